//! State embedding, the soundness oracle: a program the verifier accepted is run in the
//! reference interpreter on many generated inputs, and before every instruction each live
//! register and each stack slot of the current frame must lie inside the states the verifier
//! recorded for that instruction and call depth (`verifier::embed`). A value outside, an
//! instruction reached concretely that the verifier never reached, or a fault, is a
//! soundness bug with a concrete witness.

use crate::rng::Rng;
use crate::verify::Target;
use semantics::elf::ProgType;
use semantics::interp::{Config, Input, Memory, Observed, Outcome, RegionKind, Vm};
use verifier::embed::{PtrSum, Recording, RegSum, Summary};
use verifier::state::Kind;

/// One value outside the verifier's states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub pc: usize,
    pub depth: usize,
    /// Which generated input (0-based) showed it.
    pub input: usize,
    pub what: String,
}

/// What embedding one program found.
#[derive(Clone, Debug, Default)]
pub struct Embedding {
    pub runs: usize,
    /// Instructions checked, over all runs.
    pub steps: u64,
    pub violations: Vec<Violation>,
    /// Runs that ended in a fault: (input, description).
    pub faults: Vec<(usize, String)>,
    /// The recording run (exact pruning) exceeded its limits: nothing was checked.
    pub unfinished: bool,
    /// The recording run's message when it did not finish.
    pub note: String,
}

/// The `n`-th generated input of a program of type `t`: for packet types a packet of a
/// length drawn from typical frame sizes (and sometimes empty or odd) with random or zero
/// bytes; for other types a random context as large as the verifier lets a program read
/// (a tracepoint's reaches PERF_MAX_TRACE_SIZE), 1 KiB where it states no size.
pub fn input(t: ProgType, rng: &mut Rng) -> Input {
    let len = *rng.pick(&[
        0usize, 1, 13, 14, 20, 34, 42, 54, 60, 64, 100, 128, 255, 600,
    ]);
    let mut data = rng.bytes(len);
    if rng.below(4) == 0 {
        data.fill(0);
    } else if len >= 14 && rng.below(2) == 0 {
        // An IPv4 or IPv6 ethertype, so that parsers go deeper.
        let et: &[u8] = *rng.pick(&[&[0x08u8, 0x00][..], &[0x86, 0xdd], &[0x81, 0x00]]);
        data[12..14].copy_from_slice(et);
    }
    match crate::demo::layout_of(t) {
        Some(layout) => Input::Packet { layout, data },
        None => {
            Input::Ctx(rng.bytes(verifier::ctx::ctx_size(t as u32).map_or(1024, |n| n as usize)))
        }
    }
}

/// Fills the first entries of every array map with random bytes.
pub fn randomise_maps(vm: &mut Vm, rng: &mut Rng) {
    let Vm { maps, mem, .. } = vm;
    for (i, m) in maps.iter_mut().enumerate() {
        if semantics::interp::mapstate::storage(m.def.map_type)
            != semantics::interp::mapstate::Storage::Array
        {
            continue;
        }
        for k in 0..m.def.max_entries.min(4) {
            if let Some(r) = m.lookup(mem, i as u32, &k.to_le_bytes()) {
                let d = &mut mem.regions[r].data;
                let b = rng.bytes(d.len());
                d.copy_from_slice(&b);
            }
        }
    }
}

/// A fresh interpreter with `t` loaded and its array maps filled at random, and an input:
/// one run's set-up, drawn from `rng`.
fn prepare(t: &Target, pt: ProgType, rng: &mut Rng) -> Option<(Vm, usize, Input)> {
    let config = Config {
        budget: 1_000_000,
        seed: rng.next_u64(),
        strict_helpers: false,
        ..Config::default()
    };
    let mut vm = Vm::new(config, &t.maps);
    let id = vm.load(&t.program, &t.prog.slots).ok()?;
    randomise_maps(&mut vm, rng);
    let inp = input(pt, rng);
    Some((vm, id, inp))
}

/// Whether the concrete `v` may be the pointer `p`. `base` is the concrete call depth of
/// the abstract frame 0 (non-zero inside a global function, which is verified alone).
/// Offsets count from where the interpreter puts each object, so a pointer that arithmetic
/// has moved outside its object (to be moved back before any access) still compares.
fn ptr_holds(p: &PtrSum, v: u64, mem: &Memory, base: usize) -> bool {
    if v == 0 {
        return p.or_null;
    }
    let region_of = |k: RegionKind| mem.regions.iter().position(|r| r.kind == k);
    let start = |i: usize| semantics::interp::memory::region_base(i);
    // The context's packet fields: data, data_end (and data_meta).
    let packet_field = |i: usize| {
        region_of(RegionKind::Ctx)
            .and_then(|c| mem.regions[c].fields.get(i))
            .map(|f| f.value)
    };
    let within = |origin: Option<u64>| origin.is_some_and(|o| p.off.contains(&v.wrapping_sub(o)));
    match p.kind {
        Kind::Stack(f) => {
            within(region_of(RegionKind::Stack(f + base as u8)).map(|i| start(i) + 512))
        }
        Kind::Ctx => within(region_of(RegionKind::Ctx).map(start)),
        Kind::Packet => within(packet_field(0)),
        Kind::PacketMeta => within(packet_field(2)),
        Kind::PacketEnd => packet_field(1) == Some(v),
        Kind::MapValue(_) => {
            // The value the address falls in, when it falls in one; an address moved
            // outside every value cannot be attributed, and passes.
            // An offset past the end of the window's region may as well be a negative
            // offset from the next one: only in-bounds addresses are attributed.
            match mem.regions.get((v >> 32).wrapping_sub(1) as usize) {
                Some(r)
                    if matches!(r.kind, RegionKind::MapValue { .. })
                        && ((v & 0xffff_ffff) as usize) < r.data.len() =>
                {
                    p.off.contains(&(v & 0xffff_ffff))
                }
                _ => true,
            }
        }
        // Kinds the interpreter models loosely (map objects, keys, sockets, helper memory,
        // kernel objects, functions): any non-null value.
        _ => true,
    }
}

fn holds(s: &RegSum, v: u64, mem: &Memory, base: usize) -> bool {
    s.uninit
        || s.scalar.as_ref().is_some_and(|x| x.contains(&v))
        || s.ptrs.iter().any(|p| ptr_holds(p, v, mem, base))
}

fn describe(s: &RegSum) -> String {
    let mut parts = Vec::new();
    if let Some(x) = &s.scalar {
        parts.push(x.log());
    }
    for p in &s.ptrs {
        parts.push(format!("{}(off={})", p.kind.name(p.or_null), p.off.log()));
    }
    parts.join(" | ")
}

/// Checks one machine state against the summary of its instruction.
fn check_step(o: &Observed, sum: &Summary, base: usize, out: &mut Vec<String>) {
    for r in 0..11 {
        if sum.live & (1 << r) == 0 {
            continue;
        }
        let v = o.regs[r];
        if !holds(&sum.regs[r], v, o.mem, base) {
            out.push(format!("r{r} = {v:#x} outside {}", describe(&sum.regs[r])));
        }
    }
    let Some(stack) = o.mem.regions.get(o.depth) else {
        return;
    };
    for (&k, slot) in &sum.stack {
        let Some(bytes) = (512usize)
            .checked_sub(8 * (k as usize + 1))
            .and_then(|lo| stack.data.get(lo..lo + 8))
        else {
            continue;
        };
        for (i, b) in bytes.iter().enumerate() {
            if slot.zero & (1 << i) != 0 && *b != 0 {
                out.push(format!(
                    "stack byte fp-{} = {b:#x}, but zero on every path",
                    8 * (k as usize + 1) - i
                ));
            }
        }
        if let Some(sp) = &slot.spill {
            let v = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
            if !holds(sp, v, o.mem, base) {
                out.push(format!(
                    "stack slot fp-{} = {v:#x} outside the spilled {}",
                    8 * (k as usize + 1),
                    describe(sp)
                ));
            }
        }
    }
}

/// Runs `t` on `inputs` generated inputs (from `seed`) and checks every step against
/// `rec`, the recording of a verification that accepted it.
pub fn check_with(t: &Target, rec: &Recording, inputs: usize, seed: u64) -> Embedding {
    let pt = ProgType::from_u32(t.prog_type).unwrap_or(ProgType::SocketFilter);
    let globals: Vec<usize> = t.prog.global_funcs.iter().map(|g| g.start).collect();
    let mut rng = Rng::new(seed);
    let mut e = Embedding::default();
    for n in 0..inputs {
        let Some((mut vm, id, inp)) = prepare(t, pt, &mut rng) else {
            return e;
        };
        let mut found: Vec<Violation> = Vec::new();
        let mut steps = 0u64;
        // The concrete depths at which global functions were entered (innermost last).
        let mut bases: Vec<usize> = Vec::new();
        let run = vm.run_observed(id, &inp, &mut |o| {
            if o.tail_calls > 0 || found.len() >= 8 {
                return;
            }
            while bases.last().is_some_and(|b| o.depth < *b) {
                bases.pop();
            }
            if o.depth > bases.last().copied().unwrap_or(0) && globals.contains(&o.pc) {
                bases.push(o.depth);
            }
            let b = bases.last().copied().unwrap_or(0);
            steps += 1;
            let mut what = Vec::new();
            match rec.at.get(&(o.pc, (o.depth - b) as u8)) {
                None => what.push("reached concretely, never by the verifier".to_string()),
                Some(sum) => check_step(o, sum, b, &mut what),
            }
            found.extend(what.into_iter().map(|w| Violation {
                pc: o.pc,
                depth: o.depth,
                input: n,
                what: w,
            }));
        });
        e.runs += 1;
        e.steps += steps;
        e.violations.extend(found);
        if let Outcome::Fault(f) = &run.outcome {
            e.faults.push((n, f.to_string()));
        }
    }
    e
}

/// The processed-instruction limit of a recording verification.
pub const RECORD_INSN_LIMIT: u64 = 30_000_000;

/// Verifies `t` (recording the states) and, when it is accepted, embeds `inputs` runs.
/// `None` when the verifier rejects it. A program accepted that the recording run (exact
/// pruning, limits raised 1000-fold) cannot finish counts as embedded with no runs.
pub fn check(t: &Target, inputs: usize, seed: u64) -> Option<Embedding> {
    check_limited(t, inputs, seed, RECORD_INSN_LIMIT)
}

/// `check` with the recording run's instruction limit capped at `cap`.
pub fn check_limited(t: &Target, inputs: usize, seed: u64, cap: u64) -> Option<Embedding> {
    let base = verifier::Options::for_this_machine();
    let plain = verifier::verify(&t.prog, &base);
    if !plain.accepted {
        return None;
    }
    // Exact pruning explores more than the verifier's own run: the limits are raised, since
    // they bound the work of this check, not what the program may do, but in proportion to
    // the plain run, which keeps the stored states in bounds.
    let opts = verifier::Options {
        insn_limit: (plain.stats.processed_insns * 1000).clamp(1_000_000, cap.max(1_000_000)),
        max_pending: 1 << 20,
        ..base
    };
    let (v, rec) = verifier::verify_recording(&t.prog, &opts);
    if !v.accepted {
        // Only a limit may stop the recording run; any other rejection of a program the
        // plain run accepts means the plain run's pruning lost a path.
        if v.reason == Some(verifier::Reason::TooComplex) {
            return Some(Embedding {
                unfinished: true,
                note: format!("recording run: {} (limit {})", v.message, opts.insn_limit),
                ..Embedding::default()
            });
        }
        return Some(Embedding {
            violations: vec![Violation {
                pc: v.pc.unwrap_or(0),
                depth: 0,
                input: 0,
                what: format!(
                    "the exact-pruning run rejects what the verifier accepts: {}",
                    v.message
                ),
            }],
            ..Embedding::default()
        });
    }
    Some(check_with(t, &rec, inputs, seed))
}

/// Runs `t` (without the verifier) on `inputs` generated inputs and returns the first fault:
/// the search for a fault witness of a program only we accept.
pub fn fault_witness(t: &Target, inputs: usize, seed: u64) -> Option<(usize, String)> {
    let pt = ProgType::from_u32(t.prog_type).unwrap_or(ProgType::SocketFilter);
    let mut rng = Rng::new(seed);
    for n in 0..inputs {
        let (mut vm, id, inp) = prepare(t, pt, &mut rng)?;
        if let Outcome::Fault(f) = vm.run(id, &inp).outcome {
            return Some((n, f.to_string()));
        }
    }
    None
}

/// The embedding of one program, for reports.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Record {
    pub program: String,
    pub accepted: bool,
    /// Accepted, but the recording run exceeded its limits (not embedded).
    pub unfinished: bool,
    pub note: String,
    pub runs: usize,
    pub steps: u64,
    pub violations: Vec<String>,
    pub faults: Vec<String>,
}

/// Embeds every target (in parallel, with a progress bar): `inputs` runs each, inputs
/// generated from `seed` and the target's position.
pub fn run_all(targets: &[Target], inputs: usize, seed: u64) -> Vec<Record> {
    run_all_limited(targets, inputs, seed, RECORD_INSN_LIMIT)
}

/// `run_all` with the recording runs' instruction limit capped at `cap`.
pub fn run_all_limited(targets: &[Target], inputs: usize, seed: u64, cap: u64) -> Vec<Record> {
    use indicatif::ParallelProgressIterator;
    use rayon::prelude::*;
    let bar = crate::verify::progress(targets.len());
    let out = targets
        .par_iter()
        .enumerate()
        .progress_with(bar.clone())
        .map(|(i, t)| {
            let program = format!("{}:{}/{}", t.object, t.section, t.program);
            match check_limited(t, inputs, seed ^ (i as u64).wrapping_mul(0x9e37_79b9), cap) {
                None => Record {
                    program,
                    accepted: false,
                    unfinished: false,
                    note: String::new(),
                    runs: 0,
                    steps: 0,
                    violations: vec![],
                    faults: vec![],
                },
                Some(e) => Record {
                    program,
                    accepted: true,
                    unfinished: e.unfinished,
                    note: e.note.clone(),
                    runs: e.runs,
                    steps: e.steps,
                    violations: e
                        .violations
                        .iter()
                        .map(|v| {
                            format!(
                                "input {} pc {} depth {}: {}",
                                v.input, v.pc, v.depth, v.what
                            )
                        })
                        .collect(),
                    faults: e
                        .faults
                        .iter()
                        .map(|(n, f)| format!("input {n}: {f}"))
                        .collect(),
                },
            }
        })
        .collect();
    bar.finish_and_clear();
    out
}
