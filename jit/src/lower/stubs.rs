//! The code shared by all programs: the entry trampoline, the exits, and the stubs that
//! call into the runtime.

use super::*;

/// The labels of the code shared by all programs.
#[derive(Clone, Copy)]
pub struct Shared {
    pub epilogue: Label,
    pub main_exit: Label,
    pub ret: Label,
    pub step: Label,
    pub callx: Label,
    pub exhausted: Label,
    pub depth: Label,
    pub fell_off: Label,
    pub zero_frame: Label,
    pub enter: Label,
}

/// Emits the entry trampoline, the exits and the stubs that call into Rust.
pub fn shared(a: &mut Asm) -> Shared {
    let s = Shared {
        epilogue: a.label(),
        main_exit: a.label(),
        ret: a.label(),
        step: a.label(),
        callx: a.label(),
        exhausted: a.label(),
        depth: a.label(),
        fell_off: a.label(),
        zero_frame: a.label(),
        enter: a.label(),
    };
    let abort = a.label();
    // enter(ctx, target): saves the host's callee-saved registers and jumps to the target
    // with the BPF registers loaded from the context.
    a.bind(s.enter);
    for r in [Rbx, Rbp, R12, R13, R14, R15] {
        a.emit(Inst::Push { reg: r });
    }
    a.emit(Inst::Mov {
        size: Size::Q,
        dst: Rm::Reg(CTX),
        src: Rdi,
    });
    a.emit(Inst::Mov {
        size: Size::Q,
        dst: Rm::Mem(ctx(Offsets::HOST_RSP)),
        src: Rsp,
    });
    a.emit(Inst::Mov {
        size: Size::Q,
        dst: Rm::Reg(S2),
        src: Rsi,
    });
    reload(a);
    a.emit(Inst::JmpInd {
        target: Rm::Reg(S2),
    });
    // Exit from the outermost frame: r0 and the budget to the context, status EXITED.
    a.bind(s.main_exit);
    a.emit(Inst::Mov {
        size: Size::Q,
        dst: Rm::Mem(ctx(Offsets::reg(0))),
        src: Rax,
    });
    a.emit(Inst::Mov {
        size: Size::Q,
        dst: Rm::Mem(ctx(Offsets::BUDGET)),
        src: BUDGET,
    });
    a.emit(mov_const(Rax, runtime::EXITED));
    a.bind(s.epilogue);
    a.emit(Inst::Load {
        size: Size::Q,
        dst: Rsp,
        src: ctx(Offsets::HOST_RSP),
    });
    for r in [R15, R14, R13, R12, Rbp, Rbx] {
        a.emit(Inst::Pop { reg: r });
    }
    a.bind(s.ret);
    a.emit(Inst::Ret);
    a.bind(abort);
    a.emit(mov_const(Rax, runtime::ABORTED));
    a.jmp(s.epilogue);

    // The stubs: called with the instruction index in r11; spill, call Rust with (ctx,
    // index), leave on ABORTED, reload.
    let stubs: [(Label, extern "C" fn(*mut runtime::Ctx, u64) -> u64); 5] = [
        (s.step, runtime::rt_step),
        (s.callx, runtime::rt_callx),
        (s.exhausted, runtime::rt_exhausted),
        (s.depth, runtime::rt_depth),
        (s.fell_off, runtime::rt_fell_off),
    ];
    for (l, f) in stubs {
        a.bind(l);
        spill(a);
        a.emit(Inst::Mov {
            size: Size::Q,
            dst: Rm::Reg(Rdi),
            src: CTX,
        });
        a.emit(Inst::Mov {
            size: Size::Q,
            dst: Rm::Reg(Rsi),
            src: S2,
        });
        a.emit(Inst::Mov {
            size: Size::Q,
            dst: Rm::Reg(Rbx),
            src: Rsp,
        });
        a.emit(Inst::AluImm {
            op: X::And,
            size: Size::Q,
            dst: Rm::Reg(Rsp),
            imm: -16,
        });
        a.emit(mov_const(Rax, f as usize as u64));
        a.emit(Inst::CallInd {
            target: Rm::Reg(Rax),
        });
        a.emit(Inst::Mov {
            size: Size::Q,
            dst: Rm::Reg(Rsp),
            src: Rbx,
        });
        a.emit(Inst::Test {
            size: Size::D,
            a: Rm::Reg(Rax),
            b: Rax,
        });
        a.jcc(Cond::Ne, abort);
        reload(a);
        a.emit(Inst::Ret);
    }
    // Zeroes the 512 bytes below r11 (a new frame's stack).
    a.bind(s.zero_frame);
    for k in 0..64 {
        a.emit(Inst::MovImm {
            size: Size::Q,
            dst: Rm::Mem(Mem::base(S2, -512 + 8 * k)),
            imm: 0,
        });
    }
    a.emit(Inst::Ret);
    s
}

fn spill(a: &mut Asm) {
    for (i, r) in MAP.iter().enumerate() {
        a.emit(Inst::Mov {
            size: Size::Q,
            dst: Rm::Mem(ctx(Offsets::reg(i))),
            src: *r,
        });
    }
    a.emit(Inst::Mov {
        size: Size::Q,
        dst: Rm::Mem(ctx(Offsets::BUDGET)),
        src: BUDGET,
    });
}

fn reload(a: &mut Asm) {
    for (i, r) in MAP.iter().enumerate() {
        a.emit(Inst::Load {
            size: Size::Q,
            dst: *r,
            src: ctx(Offsets::reg(i)),
        });
    }
    a.emit(Inst::Load {
        size: Size::Q,
        dst: BUDGET,
        src: ctx(Offsets::BUDGET),
    });
    // Trusted code with packet facts keeps the packet's offset in r10.
    a.emit(Inst::Load {
        size: Size::Q,
        dst: S1,
        src: ctx(Offsets::PACKET_LOAD),
    });
}
