//! The JIT against the interpreter: the conformance suite in both memory modes, every
//! program of the corpora, generated programs, and exhaustive register and edge-value tables
//! for the instructions whose lowering depends most on the registers (division, shifts,
//! atomics). Every comparison covers the outcome, the instruction count, all memory, the maps
//! and helper output (`harness::jitdiff`).

use harness::conformance::{self, Engine};
use harness::jitdiff;
use semantics::interp::{Config, Input, Vm};
use std::path::{Path, PathBuf};

fn shared(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(sub)
}

#[test]
fn all_313_conformance_tests_pass_with_the_jit_in_both_modes() {
    for engine in [Engine::Jit, Engine::JitTrusted] {
        let s = conformance::run_dir(
            &shared("bpf-conformance/tests"),
            engine,
            conformance::Mode::Positive,
        )
        .unwrap();
        let failures: Vec<String> = s
            .cases
            .iter()
            .filter(|c| !c.passed)
            .map(|c| format!("{}: expected {}, got {:?}", c.file, c.expected, c.got))
            .collect();
        assert_eq!(s.passed, 313, "{engine:?}: {}", failures.join("\n"));
    }
}

/// Each conformance program run by both engines leaves the same state, not only the same r0.
#[test]
fn conformance_programs_leave_the_interpreters_state() {
    let mut compared = 0;
    for f in conformance::data_files(&shared("bpf-conformance/tests")).unwrap() {
        let tc = conformance::parse(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let Some(asm) = &tc.asm else { continue };
        let Ok(slots) = semantics::text::assemble_conformance(asm) else {
            continue;
        };
        let mut vm = Vm::new(Config::default(), &[]);
        let Ok(id) = vm.load("t", &slots) else {
            continue;
        };
        let inputs = [Input::Mem(tc.mem.clone()), Input::Mem(tc.mem.clone())];
        for mode in [jit::Mode::Checked, jit::Mode::Trusted] {
            if let Err(m) = jitdiff::compare_vm(&f.display().to_string(), &vm, id, &inputs, mode) {
                panic!("{m}");
            }
        }
        compared += 1;
    }
    assert!(compared >= 300, "{compared}");
}

#[test]
fn every_corpus_program_runs_the_same_in_both_engines() {
    let paths = [
        shared("ebpf-samples"),
        shared("kernel-test-verifier/tests.json"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions"),
    ];
    let (targets, _) = harness::commands::collect_targets(&paths, None, &None);
    assert!(targets.len() > 1800, "{}", targets.len());
    let s = jitdiff::run_targets(&targets, 4, 1);
    assert!(s.mismatches.is_empty(), "{}", s.mismatches.join("\n"));
    assert!(s.tally.programs > 1700, "{:?}", s.tally);
    assert!(s.tally.trusted_runs > 4000, "{:?}", s.tally);
}

#[test]
fn generated_programs_run_the_same_in_both_engines() {
    let s = jitdiff::run_generated(11, 3000, 24, 4, 4, &|_| {});
    assert!(s.mismatches.is_empty(), "{}", s.mismatches.join("\n"));
    assert!(s.tally.programs >= 2900, "{:?}", s.tally);
    // Mutated programs and small budgets stop runs early in every way.
    assert!(s.tally.stopped > 1000, "{:?}", s.tally);
}

/// The comparison sees a difference: the same program in two VMs that differ in one map
/// value.
#[test]
fn a_difference_is_reported() {
    let text = "; type: xdp\n; map: m array 4 8 1\n\
        r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_idx(0) ll\ncall 1\n\
        if r0 == 0 goto out\nr0 = *(u64 *)(r0 + 0)\nexit\nout:\nr0 = 7\nexit\n";
    let t = harness::campaign::target_of_text(text, "planted").unwrap();
    let mut vm = Vm::new(Config::default(), &t.maps);
    let id = vm.load("planted", &t.prog.slots).unwrap();
    let input = [Input::Packet {
        layout: semantics::interp::CtxLayout::Xdp,
        data: vec![0; 64],
    }];
    jitdiff::compare_vm("planted", &vm, id, &input, jit::Mode::Checked).unwrap();
    // A JIT compiled for this VM, run on a VM whose map value differs, gives another r0.
    let mut other = vm.clone();
    let addr = other.value_address(0, 0).unwrap();
    other.mem.store(addr, 8, 42, 0).unwrap();
    let mut j = jit::Jit::compile(&vm, jit::Mode::Checked).unwrap();
    let a = vm.run(id, &input[0]);
    let b = j.run(&mut other, id, &input[0]);
    assert_ne!(a, b);
    assert_eq!(b.outcome, semantics::interp::Outcome::Exit(42));
}

/// Values at the edges of every width.
const EDGES: [u64; 10] = [
    0,
    1,
    2,
    u64::MAX,
    0x8000_0000_0000_0000,
    0x7fff_ffff_ffff_ffff,
    0xffff_ffff,
    0x8000_0000,
    0xffff_ffff_8000_0000,
    0x1_0000_0007,
];

/// Runs `body` (pseudo-C with `%A`, `%B` for 64-bit and `%a`, `%b` for 32-bit register
/// names) for every pair of registers among r0-r6 and r9 (equal ones included) and every
/// pair of `values`, in both engines and both memory modes. Each result goes to its own
/// stack slot, so that the comparison of memory sees every one.
fn register_table(body: &str, values: &[u64]) -> usize {
    let regs = [0u8, 1, 2, 3, 4, 5, 6, 9];
    let mut n = 0;
    for &a in &regs {
        for &b in &regs {
            let code = body
                .replace("%A", &format!("r{a}"))
                .replace("%B", &format!("r{b}"))
                .replace("%a", &format!("w{a}"))
                .replace("%b", &format!("w{b}"));
            let mut src = String::new();
            for (i, &va) in values.iter().enumerate() {
                for (j, &vb) in values.iter().enumerate() {
                    let k = (i * values.len() + j) % 31;
                    src.push_str(&format!(
                        "r{a} = {va:#x} ll\nr{b} = {vb:#x} ll\n{code}\n*(u64 *)(r10 - {}) = r{a}\n*(u64 *)(r10 - {}) = r{b}\n",
                        8 + 16 * k,
                        16 + 16 * k
                    ));
                }
            }
            src.push_str(&format!("r0 = r{a}\nexit\n"));
            let slots = semantics::text::assemble(&src).unwrap_or_else(|e| panic!("{e}\n{code}"));
            let mut vm = Vm::new(Config::default(), &[]);
            let id = vm.load("t", &slots).unwrap();
            for mode in [jit::Mode::Checked, jit::Mode::Trusted] {
                if let Err(m) = jitdiff::compare_vm(&code, &vm, id, &[Input::None], mode) {
                    panic!("{m}");
                }
            }
            n += 1;
        }
    }
    n
}

#[test]
fn division_and_remainder_match_for_every_register_pair_and_edge_value() {
    let mut n = 0;
    for op in ["/=", "%=", "s/=", "s%="] {
        n += register_table(&format!("%A {op} %B"), &EDGES);
        n += register_table(&format!("%a {op} %b"), &EDGES);
        // By constants: zero, minus one, and others.
        for k in [
            "0",
            "-1",
            "1",
            "3",
            "-7",
            "7",
            "13",
            "1024",
            "1000000007",
            "0x40000000",
            "-2147483648",
        ] {
            n += register_table(&format!("%A {op} {k}"), &EDGES[..4]);
            n += register_table(&format!("%a {op} {k}"), &EDGES[..4]);
        }
    }
    assert_eq!(n, 4 * 24 * 64);
}

#[test]
fn shifts_and_byte_swaps_match_for_every_register_pair_and_edge_value() {
    let counts = [
        0,
        1,
        31,
        32,
        33,
        63,
        64,
        65,
        u64::MAX,
        0x8000_0000_0000_0000,
    ];
    let mut n = 0;
    for op in ["<<=", ">>=", "s>>="] {
        n += register_table(&format!("%A {op} %B"), &counts);
        n += register_table(&format!("%a {op} %b"), &counts);
    }
    for op in [
        "%A = be16 %A",
        "%A = be32 %A",
        "%A = be64 %A",
        "%A = le16 %A",
        "%A = le32 %A",
        "%A = bswap16 %A",
        "%A = (s8)%B",
        "%A = (s16)%B",
        "%A = (s32)%B",
        "%a = (s8)%b",
        "%a = (s16)%b",
        "%A = -%A",
        "%a = -%a",
        "%a = %b",
        "%A *= %B",
        "%a *= %b",
        "%A *= 3",
        "%A *= 5",
        "%A *= 9",
        "%A *= 8",
        "%A *= 1",
        "%a *= 1",
        "%a *= 4",
        "%A *= -1",
        "%a *= 9",
    ] {
        n += register_table(op, &EDGES);
    }
    assert_eq!(n, 31 * 64);
}

/// Atomics on the stack, through every register as address and operand, with every kind
/// and width; the results land in memory and registers that the comparison checks.
#[test]
fn atomics_match_for_every_register_pair() {
    let ops = [
        "lock *(u64 *)(A - 8) += B",
        "lock *(u32 *)(A - 8) |= B",
        "lock *(u64 *)(A - 8) &= B",
        "lock *(u32 *)(A - 8) ^= B",
        "B = atomic64_fetch_add((u64 *)(A - 8), B)",
        "B = atomic_fetch_add((u32 *)(A - 8), B)",
        "B = atomic64_fetch_or((u64 *)(A - 8), B)",
        "B = atomic_fetch_and((u32 *)(A - 8), B)",
        "B = atomic64_fetch_xor((u64 *)(A - 8), B)",
        "B = atomic_fetch_or((u32 *)(A - 8), B)",
        "B = atomic64_xchg((u64 *)(A - 8), B)",
        "B = atomic_xchg((u32 *)(A - 8), B)",
        "r0 = atomic64_cmpxchg((u64 *)(A - 8), r0, B)",
        "r0 = atomic_cmpxchg((u32 *)(A - 8), r0, B)",
    ];
    let regs = [0u8, 1, 2, 3, 4, 5, 6, 9];
    let mut n = 0;
    for op in ops {
        for &a in &regs {
            for &b in &regs {
                if a == b {
                    continue;
                }
                let code = op
                    .replace('A', &format!("r{a}"))
                    .replace('B', &format!("r{b}"));
                let mut src = String::new();
                for (i, v) in EDGES.iter().enumerate() {
                    src.push_str(&format!(
                        "r0 = {:#x} ll\nr{a} = r10\n*(u64 *)(r10 - 8) = r{b}\nr{b} = {v:#x} ll\n{code}\nr{a} = *(u64 *)(r10 - 8)\n*(u64 *)(r10 - {}) = r{a}\n*(u64 *)(r10 - {}) = r{b}\n*(u64 *)(r10 - {}) = r0\n",
                        EDGES[(i + 3) % EDGES.len()],
                        16 + 24 * i,
                        24 + 24 * i,
                        32 + 24 * i
                    ));
                }
                src.push_str("exit\n");
                let slots = match semantics::text::assemble(&src) {
                    Ok(s) => s,
                    Err(e) => panic!("{e}\n{src}"),
                };
                let mut vm = Vm::new(Config::default(), &[]);
                let id = vm.load("t", &slots).unwrap();
                for mode in [jit::Mode::Checked, jit::Mode::Trusted] {
                    if let Err(m) = jitdiff::compare_vm(&code, &vm, id, &[Input::None], mode) {
                        panic!("{m}");
                    }
                }
                n += 1;
            }
        }
    }
    assert_eq!(n, 14 * 56);
}

/// The code is mapped read+execute, never writable.
#[test]
fn code_is_never_writable_and_executable() {
    let slots = semantics::text::assemble("r0 = 1\nexit\n").unwrap();
    let mut vm = Vm::new(Config::default(), &[]);
    let id = vm.load("t", &slots).unwrap();
    let mut j = jit::Jit::compile(&vm, jit::Mode::Checked).unwrap();
    let addr = j.code_address();
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let line = maps
        .lines()
        .find(|l| {
            let range = l.split_whitespace().next().unwrap();
            let (lo, hi) = range.split_once('-').unwrap();
            let (lo, hi) = (
                u64::from_str_radix(lo, 16).unwrap(),
                u64::from_str_radix(hi, 16).unwrap(),
            );
            (lo..hi).contains(&addr)
        })
        .expect("the code is mapped");
    let perms = line.split_whitespace().nth(1).unwrap();
    assert_eq!(&perms[..3], "r-x", "{line}");
    assert_eq!(
        j.run(&mut vm, id, &Input::None).outcome,
        semantics::interp::Outcome::Exit(1)
    );
}

/// For budgets from 0 past what each example needs, the JIT stops at the interpreter's
/// instruction with the interpreter's count (the examples and their kernel forms, both
/// memory modes; trusted mode with the verifier's facts where our verifier accepts).
#[test]
fn budget_runs_out_at_the_same_instruction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<PathBuf> = [
        "call_local.s",
        "straight_line.s",
        "xdp_count_ipv4.s",
        "byte_sum.s",
        "divmod_loop.s",
    ]
    .iter()
    .map(|n| root.join(n))
    .collect();
    files.push(root.join("kernel").join("byte_sum.s"));
    let mut compared = 0;
    for path in files {
        let p = harness::input::read(&path).unwrap().remove(0);
        let input = harness::demo::input_for(
            p.prog_type,
            None,
            p.default_input.clone().unwrap_or_default(),
        );
        let mut vm = Vm::new(Config::default(), &p.maps);
        let id = vm.load("t", &p.insns).unwrap();
        let full = vm.clone().run(id, &input);
        let prog = verifier::Program {
            slots: p.insns.clone(),
            prog_type: p.prog_type.map(|t| t as u32).unwrap_or(0),
            expected_attach_type: 0,
            maps: p.maps.iter().map(verifier::MapInfo::from_def).collect(),
            strict_alignment: false,
            global_funcs: Vec::new(),
        };
        let v = verifier::verify(&prog, &verifier::Options::for_this_machine());
        let step = (full.insns / 200).max(1);
        for b in (0..=full.insns + 1)
            .step_by(step as usize)
            .chain([full.insns - 1, full.insns])
        {
            let mut base = vm.clone();
            base.config.budget = b;
            let want = base.clone().run(id, &input);
            let mut modes = vec![(jit::Mode::Checked, jit::Facts::default())];
            if v.accepted {
                modes.push((jit::Mode::Trusted, jitdiff::facts(&v)));
            }
            for (mode, facts) in modes {
                let mut jvm = base.clone();
                let mut j = jit::Jit::compile_with(&jvm, mode, &facts).unwrap();
                let got = j.run(&mut jvm, id, &input);
                assert_eq!(got, want, "{} with budget {b} ({mode:?})", path.display());
                compared += 1;
            }
        }
    }
    assert!(compared > 1500, "{compared}");
}

/// Found by review: context accesses the verifier allows (a sign-extending load, an offset
/// far into a tracepoint's record, more loads than the context block has entries for) on a
/// context shorter than the program type's; trusted mode must fault where the interpreter
/// does, not read past the buffer.
#[test]
fn trusted_context_accesses_past_a_short_context_fault_like_the_interpreter() {
    let many = format!(
        "; type: kprobe\n{}r0 = *(u64 *)(r1 + 160)\nexit\n",
        "r0 = *(u64 *)(r1 + 0)\n".repeat(256)
    );
    let cases = [
        "; type: kprobe\nr0 = *(s32 *)(r1 + 160)\nexit\n".to_string(),
        "; type: tracepoint\nr0 = *(u64 *)(r1 + 4096)\nexit\n".to_string(),
        many,
    ];
    for text in cases {
        let t = harness::campaign::target_of_text(&text, "short-ctx").unwrap();
        let v = verifier::verify(&t.prog, &verifier::Options::for_this_machine());
        assert!(v.accepted, "{}", v.message);
        let mut vm = Vm::new(Config::default(), &t.maps);
        let id = vm.load("t", &t.prog.slots).unwrap();
        let inputs = [
            Input::Ctx(vec![1, 2, 3, 4, 5, 6, 7, 8]),
            Input::Ctx(vec![7; 4096]),
        ];
        if let Err(m) = jitdiff::compare_vm_with(
            "short-ctx",
            &vm,
            id,
            &inputs,
            jit::Mode::Trusted,
            &jitdiff::facts(&v),
        ) {
            panic!("{m}\n{text}");
        }
        assert!(matches!(
            vm.run(id, &inputs[0]).outcome,
            semantics::interp::Outcome::Fault(_)
        ));
    }
}

/// Counted loops whose copy is unrolled by two (a straight-line body, the counter used only
/// as a memory base, a sum kept in two registers): every length, odd and even, and budgets
/// that end the run inside the loop or just after it, in the modes where the copy applies.
/// Runs `slots` twice on `input` in the interpreter and in the JIT, in both memory modes, at
/// each of `budgets` and at 1,000,000; panics on a difference. Returns the comparisons made.
fn both_modes_at_budgets(
    src: &str,
    slots: &[semantics::insn::Insn],
    input: &Input,
    budgets: &[u64],
) -> usize {
    let mut compared = 0;
    for &budget in budgets.iter().chain(&[1_000_000]) {
        let mut vm = Vm::new(
            Config {
                budget,
                ..Config::default()
            },
            &[],
        );
        let id = vm.load("t", slots).unwrap();
        for mode in [jit::Mode::Trusted, jit::Mode::Checked] {
            let inputs = [input.clone(), input.clone()];
            if let Err(m) = jitdiff::compare_vm(src, &vm, id, &inputs, mode) {
                panic!("budget {budget}: {m}");
            }
            compared += 1;
        }
    }
    compared
}

#[test]
fn unrolled_loops_match_the_interpreter() {
    let programs = [
        // A byte sum over the input buffer (trusted mode: the input-buffer variant).
        (
            "r0 = 0\nr2 = r1\nr2 += r2\nr2 = r1\nr3 = 0\nr4 = 7\nloop:\nr3 = *(u8 *)(r1 + 0)\nr0 += r3\nr4 ^= r3\nr1 += 1\nif r1 < r5 goto loop\nr0 += r4\nexit\n",
            true,
        ),
        // The same with `!=` and a store through the counter.
        (
            "r0 = 0\nloop:\nr3 = *(u8 *)(r1 + 0)\n*(u8 *)(r1 + 0) = r0\nr0 += r3\nr1 += 1\nif r1 != r5 goto loop\nexit\n",
            true,
        ),
        // A loop over the stack (both modes: frame accesses need no slow path).
        (
            "r0 = 0\nr1 = 3\n*(u64 *)(r10 - 8) = r1\nloop:\nr2 = *(u64 *)(r10 - 8)\nr0 += r2\n*(u64 *)(r10 - 16) = r2\nr2 *= 3\n*(u64 *)(r10 - 8) = r2\nr1 += 1\nif r1 < 20 goto loop\nr1 = *(u64 *)(r10 - 16)\nr0 ^= r1\nexit\n",
            false,
        ),
    ];
    let mut compared = 0;
    for (text, uses_input) in programs {
        for len in [1usize, 2, 3, 4, 5, 6, 7, 8, 9, 11, 64, 1500] {
            // r5 = r1 + len: the end of the buffer.
            let src = if uses_input {
                format!("r5 = r1\nr5 += {len}\n{text}")
            } else {
                text.to_string()
            };
            let slots = semantics::text::assemble(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
            let input = Input::Mem((0..len).map(|i| (i * 37 + 11) as u8).collect());
            compared += both_modes_at_budgets(&src, &slots, &input, &[1, 5, 9, 10, 11, 17, 40]);
        }
    }
    assert_eq!(compared, 3 * 12 * 8 * 2);
}

/// Unrolled loops that an exit can leave early (a bound check against the end of the data, a
/// test of a loaded byte): the kernel form of the byte sum with its verifier facts, over
/// packets whose end stops the loop in every position of an unrolled group, and programs on
/// the input buffer; every exit at every budget around it.
#[test]
fn unrolled_loops_with_exits_match_the_interpreter() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let p = harness::input::read(&root.join("kernel").join("byte_sum.s"))
        .unwrap()
        .remove(0);
    let prog = verifier::Program {
        slots: p.insns.clone(),
        prog_type: p.prog_type.map(|t| t as u32).unwrap_or(0),
        expected_attach_type: 0,
        maps: Vec::new(),
        strict_alignment: false,
        global_funcs: Vec::new(),
    };
    let v = verifier::verify(&prog, &verifier::Options::for_this_machine());
    assert!(v.accepted, "{}", v.message);
    let facts = jitdiff::facts(&v);
    let unrolled = |slots: &[semantics::insn::Insn], facts: &jit::Facts| {
        let mut vm = Vm::new(Config::default(), &[]);
        vm.load("t", slots).unwrap();
        jit::Jit::compile_with(&vm, jit::Mode::Trusted, facts)
            .unwrap()
            .stats()
            .unrolled_loops
    };
    assert_eq!(unrolled(&p.insns, &facts), 1);
    let mut compared = 0;
    for len in [0usize, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 100, 1499, 1500, 1501] {
        let input = Input::Packet {
            layout: semantics::interp::CtxLayout::Xdp,
            data: (0..len).map(|i| (i * 37 + 11) as u8).collect(),
        };
        let need = 8 * len.min(1500) as u64 + 8;
        for budget in [1, 7, 8, 9, 17, 33, 100, need - 1, need, need + 1, 1_000_000] {
            let mut vm = Vm::new(
                Config {
                    budget,
                    ..Config::default()
                },
                &[],
            );
            let id = vm.load("t", &p.insns).unwrap();
            for (mode, f) in [
                (jit::Mode::Trusted, facts.clone()),
                (jit::Mode::Checked, jit::Facts::default()),
            ] {
                if let Err(m) =
                    jitdiff::compare_vm_with("byte_sum", &vm, id, &[input.clone()], mode, &f)
                {
                    panic!("len {len}, budget {budget}: {m}");
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 15 * 11 * 2);

    let programs = [
        // The byte sum's loop on the input buffer, with a counter limit of its own.
        "r0 = 0\nr6 = 0\nloop:\nr4 = r1\nr4 += 1\nif r4 > r5 goto out\nr3 = *(u8 *)(r1 + 0)\nr0 += r3\nr1 = r4\nr6 += 1\nif r6 < LIMIT goto loop\nout:\nr0 += r6\nexit\n",
        // Two exits to different places, one on a loaded byte.
        "r0 = 0\nr6 = 0\nloop:\nr4 = r1\nr4 += 1\nif r4 > r5 goto out\nr3 = *(u8 *)(r1 + 0)\nif r3 == 0xe9 goto found\nr0 += r3\nr1 = r4\nr6 += 1\nif r6 < LIMIT goto loop\nout:\nr0 += r6\nexit\nfound:\nr0 <<= 8\nr0 |= r6\nexit\n",
        // The counter a memory base, and an exit on a loaded byte.
        "r0 = 0\nr2 = r1\nloop:\nr3 = *(u8 *)(r1 + 0)\nif r3 == 0xe9 goto found\nr0 += r3\nr1 += 1\nif r1 < r5 goto loop\nexit\nfound:\nr1 -= r2\nr0 <<= 8\nr0 |= r1\nexit\n",
    ];
    for text in programs {
        let limits: &[u32] = if text.contains("LIMIT") {
            &[3, 7, 1000]
        } else {
            &[0]
        };
        for &limit in limits {
            for len in [1usize, 2, 3, 4, 5, 6, 7, 8, 9, 11, 64, 1500] {
                let src = format!(
                    "r5 = r1\nr5 += {len}\n{}",
                    text.replace("LIMIT", &limit.to_string())
                );
                let slots =
                    semantics::text::assemble(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
                assert!(unrolled(&slots, &jit::Facts::default()) > 0, "{src}");
                // 0xe9 is the seventh byte.
                let input = Input::Mem((0..len).map(|i| (i * 37 + 11) as u8).collect());
                compared +=
                    both_modes_at_budgets(&src, &slots, &input, &[1, 5, 9, 10, 11, 17, 40, 77]);
            }
        }
    }
    assert_eq!(compared, 15 * 11 * 2 + 7 * 12 * 9 * 2);
}

/// A program whose last instruction falls through, after a counted loop (whose unchecked copy
/// the JIT places after the program's body): both engines stop with `FellOffEnd`.
#[test]
fn falling_off_the_end_after_a_counted_loop() {
    let text = "r0 = 0\nr1 = 0\nloop:\nr0 += 3\nr1 += 1\nif r1 < 10 goto loop\nr0 += 1\n";
    let slots = semantics::text::assemble(text).unwrap();
    for budget in [5, 1_000_000] {
        let mut vm = Vm::new(
            Config {
                budget,
                ..Config::default()
            },
            &[],
        );
        let id = vm.load("t", &slots).unwrap();
        for mode in [jit::Mode::Checked, jit::Mode::Trusted] {
            if let Err(m) = jitdiff::compare_vm(text, &vm, id, &[Input::None], mode) {
                panic!("{m}");
            }
        }
        if budget > 100 {
            assert!(matches!(
                vm.run(id, &Input::None).outcome,
                semantics::interp::Outcome::FellOffEnd { .. }
            ));
        }
    }
}
