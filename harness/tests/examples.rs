//! The bundled examples compute what the same computation in plain Rust computes, and the
//! interpreter's API-level behaviours (tail calls, read-only data, unknown helpers).

use harness::demo::input_for;
use semantics::interp::{Config, Input, Outcome, Vm};
use semantics::maps::{map_type, MapDef};
use std::path::Path;

fn run_example(name: &str) -> (u64, Vm) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let p = harness::input::read(&path).unwrap().remove(0);
    let mut vm = Vm::new(Config::default(), &p.maps);
    let id = vm.load(name, &p.insns).unwrap();
    let run = vm.run(
        id,
        &input_for(
            p.prog_type,
            None,
            p.default_input.clone().unwrap_or_default(),
        ),
    );
    match run.outcome {
        Outcome::Exit(r0) => (r0, vm),
        o => panic!("{name}: {o:?}"),
    }
}

#[test]
fn alu_loop_matches_native_arithmetic() {
    let (mut r0, mut r1) = (1u64, 100_000u64);
    while r1 != 0 {
        r0 = r0.wrapping_add(r1);
        r0 ^= 0x5a5a;
        let r2 = r0 << 3;
        r0 = r0.wrapping_sub(r2);
        r0 |= r1 >> 2;
        r0 = r0.wrapping_mul(3);
        r1 -= 1;
    }
    assert_eq!(run_example("alu_loop.s").0, r0);
}

#[test]
fn byte_sum_matches_native_sum() {
    let sum: u64 = harness::input::pattern(1500)
        .iter()
        .map(|b| *b as u64)
        .sum();
    assert_eq!(run_example("byte_sum.s").0, sum);
}

#[test]
fn divmod_loop_matches_native_arithmetic() {
    let (mut r0, mut r1) = (0u64, 50_000u64);
    while r1 != 0 {
        r0 = r0.wrapping_add(r1 / 3).wrapping_add(r1 % 13);
        r0 = r0.wrapping_sub(r0 / 7);
        r0 ^= r1 % 7;
        r1 -= 1;
    }
    assert_eq!(run_example("divmod_loop.s").0, r0);
}

#[test]
fn call_local_adds_arguments_and_keeps_r6() {
    assert_eq!(run_example("call_local.s").0, 1 + 2 + 3 + 4 + 5 + 6);
}

#[test]
fn xdp_counter_counts_one_ipv4_frame() {
    let (r0, mut vm) = run_example("xdp_count_ipv4.s");
    assert_eq!(r0, 2, "XDP_PASS");
    let addr = vm.value_address(0, 0).unwrap();
    assert_eq!(vm.mem.load(addr, 8, 0).unwrap(), 1);
}

#[test]
fn tail_call_jumps_to_the_prog_array_entry_and_is_bounded() {
    let maps = [MapDef::new("jmp", map_type::PROG_ARRAY, 4, 4, 4)];
    let mut vm = Vm::new(Config::default(), &maps);
    // Program 0 tail-calls slot 0 (itself) while counting in r6... r6 is not preserved by the
    // kernel across tail calls either, so count on the stack of the same frame.
    let chain = semantics::text::assemble(
        "r6 = r1\n r0 = *(u64 *)(r10 - 8)\n r0 += 1\n *(u64 *)(r10 - 8) = r0\n r1 = r6\n r2 = map_idx(0) ll\n r3 = 0\n call 12\n r0 = *(u64 *)(r10 - 8)\n exit",
    )
    .unwrap();
    let id = vm.load("chain", &chain).unwrap();
    vm.set_prog_array(0, 0, id);
    let run = vm.run(id, &Input::None);
    // The stack is zeroed only when a run starts, so the count survives the tail calls: one
    // for the first entry, 33 for the tail calls.
    assert_eq!(run.outcome, Outcome::Exit(34));
    // An empty slot: the call fails and the program continues.
    let miss =
        semantics::text::assemble("r2 = map_idx(0) ll\n r3 = 3\n call 12\n r0 = 9\n exit").unwrap();
    let m = vm.load("miss", &miss).unwrap();
    assert_eq!(vm.run(m, &Input::None).outcome, Outcome::Exit(9));
}

#[test]
fn rodata_is_read_only() {
    let mut ro = MapDef::array(".rodata", 8, 1);
    ro.readonly = true;
    ro.initial = Some(vec![1, 2, 3, 4, 5, 6, 7, 8]);
    let mut vm = Vm::new(Config::default(), &[ro]);
    let read =
        semantics::text::assemble("r1 = map_idx_value(0, 4) ll\n r0 = *(u32 *)(r1 + 0)\n exit")
            .unwrap();
    let id = vm.load("read", &read).unwrap();
    assert_eq!(vm.run(id, &Input::None).outcome, Outcome::Exit(0x0807_0605));
    let write = semantics::text::assemble(
        "r1 = map_idx_value(0, 0) ll\n *(u8 *)(r1 + 0) = 1\n r0 = 0\n exit",
    )
    .unwrap();
    let id = vm.load("write", &write).unwrap();
    match vm.run(id, &Input::None).outcome {
        Outcome::Fault(f) => assert_eq!(
            (f.pc, f.write, f.kind),
            (2, true, semantics::interp::FaultKind::ReadOnly)
        ),
        o => panic!("{o:?}"),
    }
}

#[test]
fn unknown_helpers_and_missing_maps_are_load_errors() {
    let mut vm = Vm::new(Config::default(), &[]);
    let p = semantics::text::assemble("call 999\n exit").unwrap();
    assert_eq!(
        vm.load("p", &p).unwrap_err().to_string(),
        "instruction 0: unknown helper 999"
    );
    let p = semantics::text::assemble("r1 = map_idx(3) ll\n exit").unwrap();
    assert_eq!(
        vm.load("p", &p).unwrap_err().to_string(),
        "instruction 0: LD_IMM64 names map 3, which does not exist"
    );
}

/// Every budget from 0 to the full count stops after exactly that many instructions, across
/// blocks, calls and straight-line ALU runs.
#[test]
fn budget_is_exact_at_every_instruction() {
    for name in [
        "call_local.s",
        "straight_line.s",
        "xdp_count_ipv4.s",
        "byte_sum.s",
        "divmod_loop.s",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(name);
        let p = harness::input::read(&path).unwrap().remove(0);
        let input = input_for(
            p.prog_type,
            None,
            p.default_input.clone().unwrap_or_default(),
        );
        let full = {
            let mut vm = Vm::new(Config::default(), &p.maps);
            let id = vm.load(name, &p.insns).unwrap();
            vm.run(id, &input)
        };
        let step = (full.insns / 300).max(1);
        for b in (0..=full.insns + 1).step_by(step as usize) {
            let mut vm = Vm::new(
                Config {
                    budget: b,
                    ..Config::default()
                },
                &p.maps,
            );
            let id = vm.load(name, &p.insns).unwrap();
            let r = vm.run(id, &input);
            if b >= full.insns {
                assert_eq!(r, full, "{name} budget {b}");
            } else {
                assert_eq!(r.insns, b, "{name} budget {b}");
                assert!(
                    matches!(r.outcome, Outcome::BudgetExhausted { .. }),
                    "{name} budget {b}: {:?}",
                    r.outcome
                );
            }
        }
    }
}

#[test]
fn random_numbers_and_time_are_deterministic_under_a_seed() {
    let p = semantics::text::assemble("call 7\n r6 = r0\n call 5\n r0 ^= r6\n exit").unwrap();
    let run = |seed| {
        let mut vm = Vm::new(
            Config {
                seed,
                ..Config::default()
            },
            &[],
        );
        let id = vm.load("p", &p).unwrap();
        vm.run(id, &Input::None).outcome
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn trace_printk_output_is_captured_and_formatted() {
    // "x=%d y=%llx %s\0" on the stack, then the call.
    let fmt = b"x=%d y=%llx s=%s\0";
    let mut text = String::new();
    let mut off = -32i32;
    for chunk in fmt.chunks(8) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        text += &format!(
            "r1 = {} ll\n *(u64 *)(r10 {off}) = r1\n",
            u64::from_le_bytes(w) as i64
        );
        off += 8;
    }
    text += "r1 = 0x6b6f ll\n *(u64 *)(r10 -8) = r1\n"; // "ok\0"
    text += "r1 = r10\n r1 += -32\n r2 = 17\n r3 = -5\n r4 = 0xbeef\n r5 = r10\n r5 += -8\n call 6\n exit";
    let p = semantics::text::assemble(&text).unwrap();
    let mut vm = Vm::new(Config::default(), &[]);
    let id = vm.load("p", &p).unwrap();
    let r = vm.run(id, &Input::None);
    assert_eq!(vm.env.trace.printk, vec!["x=-5 y=beef s=ok".to_string()]);
    assert_eq!(r.outcome, Outcome::Exit(16));
}
