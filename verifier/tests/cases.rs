//! Hand-written programs with the verdict they must get, for rules the corpora exercise
//! little.

use semantics::insn::Insn;
use verifier::{verify, Options, Program};

fn prog(prog_type: u32, slots: Vec<Insn>) -> Program {
    Program {
        slots,
        prog_type,
        expected_attach_type: 0,
        maps: vec![],
        strict_alignment: false,
        global_funcs: vec![],
    }
}

const fn i(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
    Insn::new(code, dst, src, off, imm)
}

/// A bpf_loop callback that increments a counter on the caller's stack (up to `cap`, if
/// given), and a caller that then reads its stack at `fp - 64 + 8 * counter`. One
/// invocation would leave the counter at 1 (a safe index); ten leave it at 10, past the top
/// of the stack. The verifier must explore the callback as called again and again.
fn loop_counter_program(cap: Option<i32>) -> Program {
    let mut s = vec![
        i(0xb7, 6, 0, 0, 0),   // 0: r6 = 0
        i(0x7b, 10, 6, -8, 0), // 1: *(u64 *)(r10 - 8) = r6
        i(0xb7, 1, 0, 0, 10),  // 2: r1 = 10 (iterations)
        i(0x18, 2, 4, 0, 0),   // 3: r2 = the callback (patched below)
        i(0x00, 0, 0, 0, 0),   // 4
        i(0xbf, 3, 10, 0, 0),  // 5: r3 = r10
        i(0x07, 3, 0, 0, -8),  // 6: r3 += -8 (ctx: the counter)
        i(0xb7, 4, 0, 0, 0),   // 7: r4 = 0
        i(0x85, 0, 0, 0, 181), // 8: call bpf_loop
        i(0x79, 1, 10, -8, 0), // 9: r1 = *(u64 *)(r10 - 8)
        i(0x67, 1, 0, 0, 3),   // 10: r1 <<= 3
        i(0xbf, 2, 10, 0, 0),  // 11: r2 = r10
        i(0x07, 2, 0, 0, -64), // 12: r2 += -64
        i(0x0f, 2, 1, 0, 0),   // 13: r2 += r1
        i(0x79, 0, 2, 0, 0),   // 14: r0 = *(u64 *)(r2 + 0)
        i(0xb7, 0, 0, 0, 0),   // 15: r0 = 0
        i(0x95, 0, 0, 0, 0),   // 16: exit
        // The callback (17): r1 = index, r2 = ctx.
        i(0x79, 3, 2, 0, 0), // 17: r3 = *(u64 *)(r2 + 0)
    ];
    if let Some(c) = cap {
        s.push(i(0x35, 3, 0, 2, c)); // 18: if r3 >= cap goto 21
    } else {
        s.push(i(0x05, 0, 0, 0, 0)); // 18: goto +0
    }
    s.extend([
        i(0x07, 3, 0, 0, 1), // 19: r3 += 1
        i(0x7b, 2, 3, 0, 0), // 20: *(u64 *)(r2 + 0) = r3
        i(0xb7, 0, 0, 0, 0), // 21: r0 = 0
        i(0x95, 0, 0, 0, 0), // 22: exit
    ]);
    s[3].imm = 17 - 3 - 1;
    prog(1, s)
}

#[test]
fn a_callback_is_explored_as_called_many_times() {
    // Uncapped, the counter passes 8 (index 0) on the ninth invocation.
    let v = verify(&loop_counter_program(None), &Options::default());
    assert!(
        !v.accepted,
        "a counter advanced by every invocation indexes past the stack"
    );
    assert!(v.message.contains("stack"), "{}", v.message);
    // Capped at 5, every invocation's entry state repeats from the sixth on, and every
    // index (-64 .. -24) is inside the stack.
    let v = verify(&loop_counter_program(Some(5)), &Options::default());
    assert!(v.accepted, "{}", v.message);
    // Capped at 9, the index reaches 8: past the top of the stack.
    let v = verify(&loop_counter_program(Some(9)), &Options::default());
    assert!(!v.accepted);
}

#[test]
fn uninitialised_register_reads_are_refused() {
    let v = verify(
        &prog(1, vec![i(0xbf, 0, 2, 0, 0), i(0x95, 0, 0, 0, 0)]),
        &Options::default(),
    );
    assert_eq!(v.message, "R2 !read_ok");
    assert_eq!(v.pc, Some(0));
}

#[test]
fn the_frame_pointer_is_read_only() {
    let v = verify(
        &prog(1, vec![i(0xb7, 10, 0, 0, 0), i(0x95, 0, 0, 0, 0)]),
        &Options::default(),
    );
    assert_eq!(v.message, "frame pointer is read only");
}

#[test]
fn stack_accesses_are_bounded_and_aligned() {
    let below = prog(
        1,
        vec![
            i(0x7a, 10, 0, -520, 0),
            i(0xb7, 0, 0, 0, 0),
            i(0x95, 0, 0, 0, 0),
        ],
    );
    assert!(!verify(&below, &Options::default()).accepted);
    let misaligned = prog(
        1,
        vec![
            i(0x7a, 10, 0, -14, 0),
            i(0xb7, 0, 0, 0, 0),
            i(0x95, 0, 0, 0, 0),
        ],
    );
    assert!(verify(&misaligned, &Options::default())
        .message
        .contains("misaligned stack access"));
    let fine = prog(
        1,
        vec![
            i(0x7a, 10, 0, -8, 0),
            i(0x79, 0, 10, -8, 0),
            i(0x95, 0, 0, 0, 0),
        ],
    );
    let v = verify(&fine, &Options::default());
    assert!(v.accepted, "{}", v.message);
}

#[test]
fn a_loop_without_a_bound_reaches_the_instruction_limit() {
    // r0 = 0; loop: r0 += 1; if r0 != 0 goto loop; exit
    let p = prog(
        1,
        vec![
            i(0xb7, 0, 0, 0, 0),
            i(0x07, 0, 0, 0, 1),
            i(0x55, 0, 0, -2, 0),
            i(0x95, 0, 0, 0, 0),
        ],
    );
    let v = verify(
        &p,
        &Options {
            insn_limit: 50_000,
            ..Default::default()
        },
    );
    assert!(!v.accepted);
    assert!(v.message.contains("too large"), "{}", v.message);
}

#[test]
fn a_subprogram_may_not_return_a_pointer_to_its_own_stack() {
    // main: call sub; r2 = *(u64 *)(r0 + 0); r0 = 0; exit
    // sub:  r0 = r10; r0 += -8; exit
    let p = prog(
        1,
        vec![
            i(0x85, 0, 1, 0, 3),
            i(0x79, 2, 0, 0, 0),
            i(0xb7, 0, 0, 0, 0),
            i(0x95, 0, 0, 0, 0),
            i(0xbf, 0, 10, 0, 0),
            i(0x07, 0, 0, 0, -8),
            i(0x95, 0, 0, 0, 0),
        ],
    );
    let v = verify(&p, &Options::default());
    assert_eq!(v.message, "cannot return stack pointer to the caller");
    assert_eq!(v.pc, Some(6));
}

#[test]
fn a_global_function_outside_the_program_is_an_error_not_a_panic() {
    let mut p = prog(1, vec![i(0xb7, 0, 0, 0, 0), i(0x95, 0, 0, 0, 0)]);
    p.global_funcs = vec![verifier::GlobalFunc {
        start: 7,
        args: vec![],
    }];
    let v = verify(&p, &Options::default());
    assert!(!v.accepted);
    assert_eq!(v.message, "global function at insn 7 is not a subprogram");
}
