//! `tristate diff states`: our abstract registers beside the kernel's, instruction by
//! instruction, from the two level-2 logs (both in the kernel's notation).

use crate::kernel;
use crate::logstate::parse_reg;
use std::collections::HashMap;
use verifier::state::Reg;

/// How our registers compare with the kernel's at the same instruction.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct StateDiff {
    /// Registers compared (first visit of each instruction in both logs).
    pub compared: usize,
    /// Of which pointers (same type: fixed and variable offset, and packet range, compared).
    pub pointers: usize,
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

/// Whether ours lies within the kernel's and the kernel's within ours; `None` for values
/// not compared (unset registers).
fn relation(o: &Reg, k: &Reg) -> Option<(bool, bool)> {
    Some(match (o, k) {
        (Reg::Scalar(a, _), Reg::Scalar(b, _)) => (a.is_subsumed_by(b), b.is_subsumed_by(a)),
        (Reg::Ptr(a), Reg::Ptr(b)) => {
            if std::mem::discriminant(&a.kind) != std::mem::discriminant(&b.kind) {
                return Some((false, false));
            }
            let (x, y) = (a.total_offset(), b.total_offset());
            // A packet pointer with a longer checked range is the more precise, and so is
            // one known not to be null.
            let packet = a.kind.is_packet();
            (
                x.is_subsumed_by(&y)
                    && (!packet || a.range >= b.range)
                    && (!a.or_null || b.or_null),
                y.is_subsumed_by(&x)
                    && (!packet || b.range >= a.range)
                    && (!b.or_null || a.or_null),
            )
        }
        (Reg::Uninit, _) | (_, Reg::Uninit) => return None,
        _ => (false, false),
    })
}

/// Compares the registers the kernel prints after each instruction (on the first
/// path that reaches it) with ours at the same instruction.
/// `btf`: the object's BTF and the program's function records, passed to the kernel as in
/// `diff verdict`.
pub fn states(p: &verifier::Program, btf: Option<&kernel::ProgBtf>) -> Result<StateDiff, String> {
    let opts = verifier::Options {
        log_level: 2,
        ..verifier::Options::for_this_machine()
    };
    let ours = verifier::verify(p, &opts);
    let theirs = kernel::verify_btf(p, 2, btf)?;
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
                parse_reg(kv, 0),
                our_regs
                    .iter()
                    .find(|(x, _)| x == r)
                    .map(|(_, v)| parse_reg(v, 0)),
            ) else {
                continue;
            };
            let Some((in_k, in_o)) = relation(&o, &k) else {
                continue;
            };
            d.compared += 1;
            d.pointers += matches!(k, Reg::Ptr(_)) as usize;
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
            let our_text = our_regs
                .iter()
                .find(|(x, _)| x == r)
                .map(|(_, v)| v.as_str());
            d.differences.push(format!(
                "{pc} R{r}: {} | kernel {kv} ({rel})",
                our_text.unwrap_or("")
            ));
        }
    }
    Ok(d)
}
