//! Oracles on whole programs: ELF loading, the verifier, its soundness (state embedding),
//! and the interpreter against the JIT, on raw instruction bytes and on structured programs
//! from the campaign generator (`crate::gen`) driven by the fuzzer's bytes.

use crate::verify::Target;
use semantics::elf::ProgType;

/// The processed-instruction limit of the fuzzed verifications (the kernel's is 1,000,000;
/// a tenth keeps a run within a second while still reaching the limit's rejection).
pub const INSN_LIMIT: u64 = 100_000;

/// A seed for the runs' inputs, from the program's bytes (so a crash reproduces).
fn seed_of(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// A raw program: the first byte picks the program type, the rest are instruction slots
/// (a trailing partial slot is dropped); the maps are those of generated programs.
pub fn raw_target(data: &[u8]) -> Option<Target> {
    let (first, rest) = data.split_first()?;
    let types = [
        ProgType::SocketFilter,
        ProgType::Xdp,
        ProgType::SchedCls,
        ProgType::Kprobe,
        ProgType::Tracepoint,
    ];
    let ty = types[*first as usize % types.len()];
    let slots = semantics::insn::insns_from_bytes(&rest[..rest.len() - rest.len() % 8])?;
    if slots.is_empty() {
        return None;
    }
    let header = format!(
        "; type: {}\n{}exit\n",
        ty.name(),
        crate::gen::map_directives()
    );
    let mut t = crate::campaign::target_of_text(&header, "raw").ok()?;
    t.prog.slots = slots;
    Some(t)
}

/// A structured program from the generator: the first byte sets its size (1 to 32
/// statements) and whether it breaks a rule, the rest drives the generator's choices.
pub fn generated_target(data: &[u8]) -> Option<Target> {
    let (first, rest) = data.split_first()?;
    let g = crate::gen::from_bytes(rest, 1 + (*first as usize & 31), first & 0x80 != 0);
    crate::campaign::target_of(&g, "generated").ok()
}

/// Verifies `t` with the fuzzing limit, twice: as users run it (with pruning, and the
/// level-2 log, which prints every state), and recording every state (exact pruning). Each
/// recorded abstract value must be well formed, each run must stop within its limit, and
/// the two verdicts must agree unless the recording run hit its limit.
pub fn verify_checked(t: &Target) -> verifier::Verdict {
    let opts = verifier::Options {
        insn_limit: INSN_LIMIT,
        log_level: 2,
        ..verifier::Options::default()
    };
    let v = verifier::verify(&t.prog, &opts);
    assert!(
        v.stats.processed_insns <= INSN_LIMIT + 1,
        "{} instructions processed past the limit {INSN_LIMIT}",
        v.stats.processed_insns
    );
    let (r, rec) = verifier::verify_recording(
        &t.prog,
        &verifier::Options {
            log_level: 0,
            ..opts
        },
    );
    for ((pc, depth), sum) in &rec.at {
        let spills = sum.stack.values().filter_map(|s| s.spill.as_ref());
        for reg in sum.regs.iter().chain(spills) {
            let offs = reg.ptrs.iter().map(|p| &p.off);
            for s in reg.scalar.iter().chain(offs) {
                assert!(
                    s.check_invariants(),
                    "ill-formed state {} at pc {pc} depth {depth}",
                    s.log()
                );
            }
        }
    }
    if v.accepted && !r.accepted {
        assert_eq!(
            r.reason,
            Some(verifier::Reason::TooComplex),
            "accepted with pruning, rejected without: {}",
            r.message
        );
    }
    v
}

/// The verifier on raw instruction bytes: no panic, limits kept, states well formed.
pub fn verify_raw(data: &[u8]) {
    if let Some(t) = raw_target(data) {
        verify_checked(&t);
    }
}

/// The verifier on structured programs.
pub fn verify_generated(data: &[u8]) {
    if let Some(t) = generated_target(data) {
        verify_checked(&t);
    }
}

/// Soundness: a structured program the verifier accepts never faults in the interpreter
/// on generated inputs, and every value it computes lies in the verifier's states.
pub fn soundness(data: &[u8]) {
    let Some(t) = generated_target(data) else {
        return;
    };
    soundness_of(&t, seed_of(data));
}

/// Soundness on raw programs (the verifier accepts few of them, but each one counts).
pub fn soundness_raw(data: &[u8]) {
    let Some(t) = raw_target(data) else { return };
    soundness_of(&t, seed_of(data));
}

fn soundness_of(t: &Target, seed: u64) {
    let Some(e) = crate::embed::check_limited(t, 4, seed, 10 * INSN_LIMIT) else {
        return;
    };
    let text = semantics::text::print::print_program(
        &semantics::decode::decode_all(&t.prog.slots)
            .map(|d| d.insns)
            .unwrap_or_default(),
        semantics::text::print::Flavor::Llvm,
    );
    assert!(
        e.violations.is_empty() && e.faults.is_empty(),
        "accepted, yet: {:?} {:?}\n{text}",
        e.violations,
        e.faults
    );
}

/// The interpreter against the JIT on raw programs (the JIT in checked mode; in trusted
/// mode too where the verifier accepts).
pub fn jit_raw(data: &[u8]) {
    if let Some(t) = raw_target(data) {
        jit_of(&t, seed_of(data));
    }
}

/// The interpreter against the JIT on structured programs.
pub fn jit_generated(data: &[u8]) {
    if let Some(t) = generated_target(data) {
        jit_of(&t, seed_of(data));
    }
}

fn jit_of(t: &Target, seed: u64) {
    if let Err(m) = crate::jitdiff::compare_target(t, 3, seed) {
        panic!("{m}");
    }
}

/// ELF loading of arbitrary bytes: an error or an object, never a panic; each program of
/// an object that loads goes on to its BTF, its global functions and the verifier.
pub fn elf(data: &[u8]) {
    let _ = semantics::elf::code_sections(data);
    let Ok(o) = semantics::elf::load(data) else {
        return;
    };
    for p in &o.programs {
        let ty = p.prog_type.unwrap_or(ProgType::SocketFilter);
        let _ = crate::kernel::ProgBtf::of(&o, p);
        let t = Target {
            object: "fuzz.o".into(),
            section: p.section.clone(),
            program: p.name.clone(),
            prog_type: ty as u32,
            prog: verifier::Program {
                slots: p.insns.clone(),
                prog_type: ty as u32,
                expected_attach_type: 0,
                maps: o.maps.iter().map(verifier::MapInfo::from_def).collect(),
                strict_alignment: false,
                global_funcs: crate::verify::global_funcs(&o, p),
            },
            maps: o.maps.clone(),
            btf: None,
        };
        verify_checked(&t);
    }
}

/// Random byte strings for the oracles' tests: `n` strings of up to `len` bytes.
#[cfg(test)]
pub(crate) fn random_inputs(seed: u64, n: usize, len: usize) -> Vec<Vec<u8>> {
    let mut rng = crate::rng::Rng::new(seed);
    (0..n)
        .map(|_| {
            let l = rng.below(len as u64 + 1) as usize;
            rng.bytes(l)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `verify_raw` campaign: a map key built by a narrow store of a register
    /// that is 0 on one path and 7 (out of the array's 4 entries) on the other. The zero
    /// bytes made the key constant and the lookup non-null, but the register's value was not
    /// demanded, so the other path was pruned at the store and an unsafe program accepted
    /// (the kernel rejects it). Likewise when the key's other bytes come from a later store,
    /// which must not take the slot's demand away from the earlier one.
    #[test]
    fn a_constant_map_key_keeps_the_stored_register_precise() {
        for stores in [
            "*(u32 *)(r10 - 4) = r1\n",
            "*(u16 *)(r10 - 2) = r1\nr3 = 0\n*(u16 *)(r10 - 4) = r3\n",
        ] {
            let text = format!(
                "; type: tracepoint\n{}r2 = *(u32 *)(r1 + 20)\nr1 = 7\nif r2 != 0 goto +1\n\
                 r1 = 0\n{stores}r2 = r10\nr2 += -4\nr1 = map_idx(0) ll\ncall 1\n\
                 *(u64 *)(r0 + 4) = 0\nr0 = 0\nexit\n",
                crate::gen::map_directives()
            );
            let t = crate::campaign::target_of_text(&text, "key").expect("assembles");
            let v = verify_checked(&t);
            assert!(!v.accepted, "accepted:\n{text}");
        }
    }

    /// Found by the `soundness_raw` campaign: a helper given a zero size and a stack pointer
    /// far below the frame (fp-4104). The verifier skipped the pointer's checks for a zero
    /// size and accepted; the kernel checks the bounds of a zero-sized access too and
    /// rejects ("invalid write to stack R1 off=-4104 size=0"), and so must we.
    #[test]
    fn a_zero_sized_helper_access_needs_its_pointer_in_bounds() {
        for (off, accepted) in [(-4104, false), (-513, false), (-8, true)] {
            let text = format!(
                "; type: tracepoint\nr1 = r10\nr1 += {off}\nr2 = 0\nr3 = 0\ncall 113\nr0 = 0\nexit\n"
            );
            let t = crate::campaign::target_of_text(&text, "zero").expect("assembles");
            assert_eq!(verify_checked(&t).accepted, accepted, "{text}");
        }
    }

    /// Found by the `roundtrip` campaign as a timeout: `skb_change_head` in a loop grew the
    /// packet by up to 64 KiB per call without bound (each call copying it all). Like the
    /// kernel (`__bpf_skb_max_len`) and our `skb_change_tail`, it now refuses a packet past
    /// 0xffff bytes: here the second call of 0x8000 bytes fails, in both engines.
    #[test]
    fn skb_change_head_stops_at_the_largest_packet() {
        let text = "; type: sched_cls\nr6 = r1\nr7 = 0\nr1 = r6\nr2 = 32768\nr3 = 0\n\
                    call 43\nif r0 != 0 goto +2\nr7 += 1\nif r7 < 100 goto -7\nr0 = r7\nexit\n";
        let t = crate::campaign::target_of_text(text, "grow").expect("assembles");
        let mut vm = semantics::interp::Vm::new(Default::default(), &t.maps);
        let id = vm.load("grow", &t.prog.slots).expect("loads");
        let input = semantics::interp::Input::Packet {
            layout: crate::demo::layout_of(ProgType::SchedCls).expect("skb layout"),
            data: vec![0; 64],
        };
        let run = vm.run(id, &input);
        assert_eq!(run.outcome, semantics::interp::Outcome::Exit(1));
        crate::jitdiff::compare_target(&t, 2, 1).expect("the JIT agrees");
    }
}
