//! `tristate diff states`: our abstract registers beside the kernel's, instruction by
//! instruction, from the two level-2 logs (both in the kernel's notation).

use crate::kernel;
use std::collections::HashMap;
use verifier::domain::Scalar;

/// How our scalars compare with the kernel's at the same instruction.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct StateDiff {
    /// Scalar registers compared (first visit of each instruction in both logs).
    pub compared: usize,
    pub equal: usize,
    /// Ours strictly inside the kernel's.
    pub ours_more_precise: usize,
    /// The kernel's strictly inside ours.
    pub ours_less_precise: usize,
    pub incomparable: usize,
    /// One line per register that differs: `pc Rn: ours | kernel (relation)`.
    pub differences: Vec<String>,
}

/// The registers of the first line of each instruction in a level-2 log.
fn first_states(log: &str) -> HashMap<usize, Vec<(u8, String)>> {
    let mut out: HashMap<usize, Vec<(u8, String)>> = HashMap::new();
    for l in kernel::log_lines(log) {
        out.entry(l.pc)
            .or_insert_with(|| l.regs.iter().map(|(r, v)| (*r, v.to_string())).collect());
    }
    out
}

/// Compares the scalar registers the kernel prints after each instruction (on the first
/// path that reaches it) with ours at the same instruction.
pub fn states(p: &verifier::Program) -> Result<StateDiff, String> {
    let opts = verifier::Options {
        log_level: 2,
        ..verifier::Options::for_this_machine()
    };
    let ours = verifier::verify(p, &opts);
    let theirs = kernel::verify_at(p, 2)?;
    let ours_at = first_states(&ours.log);
    let theirs_at = first_states(&theirs.load.log);
    let mut d = StateDiff::default();
    let mut pcs: Vec<&usize> = theirs_at.keys().collect();
    pcs.sort();
    for pc in pcs {
        let Some(our_regs) = ours_at.get(pc) else {
            continue;
        };
        for (r, kv) in &theirs_at[pc] {
            let (Ok(k), Some(Ok(o))) = (
                Scalar::parse_log(kv),
                our_regs
                    .iter()
                    .find(|(x, _)| x == r)
                    .map(|(_, v)| Scalar::parse_log(v)),
            ) else {
                continue;
            };
            d.compared += 1;
            let (in_k, in_o) = (o.is_subsumed_by(&k), k.is_subsumed_by(&o));
            let rel = match (in_k, in_o) {
                (true, true) => {
                    d.equal += 1;
                    continue;
                }
                (true, false) => {
                    d.ours_more_precise += 1;
                    "ours more precise"
                }
                (false, true) => {
                    d.ours_less_precise += 1;
                    "ours LESS precise"
                }
                (false, false) => {
                    d.incomparable += 1;
                    "incomparable"
                }
            };
            d.differences.push(format!(
                "{pc} R{r}: {} | kernel {} ({rel})",
                o.log(),
                k.log()
            ));
        }
    }
    Ok(d)
}
