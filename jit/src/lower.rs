//! Lowering of BPF instructions to x86-64.
//!
//! Register mapping (the kernel JIT's): r0 rax, r1 rdi, r2 rsi, r3 rdx, r4 rcx, r5 r8, r6 rbx,
//! r7 r13, r8 r14, r9 r15, r10 rbp. r12 holds the context block ([`crate::runtime::Ctx`]), r9
//! the remaining instruction budget, r10 and r11 are scratch.
//!
//! Pointers keep the interpreter's synthetic addresses (region `i` at `(i + 1) << 32`), so that
//! every value a program sees is the interpreter's. A memory access translates the address
//! through the context's tables; what the fast path cannot do (a check fails, a context field
//! that reads as another value, a freed region) goes to the interpreter, which produces the
//! exact outcome.
//!
//! The budget is kept as the interpreter's fast loop keeps it: a basic block is charged when
//! it is entered by a jump, a call, a return or the start; when the budget cannot pay for a
//! block, the interpreter runs what is left of it.

use crate::asm::{Asm, Label};
use crate::runtime::{self, Offsets, CAP};
use crate::x86::{mov_const, AluOp as X, Cond, Inst, LockOp, Mem, Reg, Rm, Scale, ShiftOp, Size};
use crate::Mode;
use semantics::isa::{AluOp, Atomic, AtomicOp, Call, EndKind, Instruction, JmpCond, Source, Width};
use Reg::*;

/// BPF register -> host register.
pub const MAP: [Reg; 11] = [Rax, Rdi, Rsi, Rdx, Rcx, R8, Rbx, R13, R14, R15, Rbp];
const S1: Reg = R10;
const S2: Reg = R11;
const BUDGET: Reg = R9;
const CTX: Reg = R12;

fn x(r: semantics::isa::Reg) -> Reg {
    MAP[r.idx()]
}

fn ctx(off: i32) -> Mem {
    Mem::base(CTX, off)
}

fn ctx_idx(off: i32, index: Reg) -> Mem {
    Mem::indexed(CTX, index, Scale::S8, off).expect("index is not rsp")
}

fn wsize(w: Width) -> Size {
    if w == Width::W64 {
        Size::Q
    } else {
        Size::D
    }
}

/// Per slot, the registers (bit `i` for r`i`) that hold, on every path from the start, the
/// value r1 had at the program's start plus or minus constants (a pointer into the input
/// buffer, for the input-buffer variant). Function starts, the targets of local calls and
/// function addresses, begin with none; calls end every register but r6-r9.
pub fn input_derived(insns: &[(usize, Instruction)], nslots: usize) -> Vec<u16> {
    use semantics::isa::Pseudo;
    const ALL: u16 = 0xffff;
    let mut state = vec![ALL; nslots + 1];
    let mut func_start = vec![false; nslots + 1];
    let mut callx = false;
    for &(pc, ins) in insns {
        match ins {
            Instruction::Call(Call::Local(_))
            | Instruction::LdImm64 {
                pseudo: Pseudo::Func,
                ..
            } => {
                if let Some(rel) = ins.function_offset() {
                    func_start[(pc as i64 + 1 + rel) as usize] = true;
                }
            }
            Instruction::CallX { .. } => callx = true,
            _ => {}
        }
    }
    if callx {
        return vec![0; nslots + 1];
    }
    let at: std::collections::HashMap<usize, Instruction> = insns.iter().copied().collect();
    state[0] = if func_start[0] { 0 } else { 1 << 1 };
    for (t, f) in func_start.iter().enumerate() {
        if *f {
            state[t] = 0;
        }
    }
    let mut work: Vec<usize> = std::iter::once(0)
        .chain((0..nslots).filter(|t| func_start[*t]))
        .collect();
    while let Some(pc) = work.pop() {
        let Some(&ins) = at.get(&pc) else { continue };
        let mut out = state[pc];
        let bit = |r: semantics::isa::Reg| 1u16 << r.num();
        match ins {
            Instruction::Alu {
                width: Width::W64,
                op: AluOp::Mov,
                dst,
                src: Source::Reg(r),
            } => {
                out = (out & !bit(dst)) | if out & bit(r) != 0 { bit(dst) } else { 0 };
            }
            Instruction::Alu {
                width: Width::W64,
                op: AluOp::Add | AluOp::Sub,
                src: Source::Imm(_),
                ..
            } => {}
            Instruction::Alu { dst, .. }
            | Instruction::Neg { dst, .. }
            | Instruction::End { dst, .. }
            | Instruction::LdImm64 { dst, .. }
            | Instruction::Load { dst, .. } => out &= !bit(dst),
            Instruction::Atomic { src, op, .. } => {
                out &= !bit(src);
                if op == Atomic::Cmpxchg {
                    out &= !1;
                }
            }
            Instruction::LdAbs { .. } | Instruction::LdInd { .. } => out &= !1,
            Instruction::Call(_) | Instruction::CallX { .. } => out &= !0x3f,
            _ => {}
        }
        let next = pc + ins.slots();
        let mut succ = Vec::with_capacity(2);
        match ins {
            Instruction::Exit => {}
            Instruction::Ja { .. } | Instruction::JaLong { .. } => {
                succ.push((pc as i64 + 1 + ins.jump_offset().unwrap_or(0)) as usize)
            }
            Instruction::Jmp { off, .. } => {
                succ.push((pc as i64 + 1 + off as i64) as usize);
                succ.push(next);
            }
            _ => succ.push(next),
        }
        for t in succ {
            if t > nslots {
                continue;
            }
            let joined = state[t] & out;
            if joined != state[t] {
                state[t] = joined;
                work.push(t);
            }
        }
    }
    // Slots the analysis never reached (dead code) claim nothing.
    for m in state.iter_mut() {
        if *m == ALL {
            *m = 0;
        }
    }
    state
}

/// A loop that a counter bounds: the slots `head..=latch` form it, entered only at `head`;
/// the latch `if counter (<|!=) limit goto head` (counting up by 1) or `if counter (>|!=)
/// limit goto head` (down by 1) ends it; the counter changes once per iteration, on the way
/// to the latch, and neither it nor a register limit changes otherwise; no call is made, and
/// no other jump goes backwards. An iteration runs at most `insns` instructions, and the loop
/// at most |limit - counter| iterations from the header.
#[derive(Clone, Copy, Debug)]
pub struct CountedLoop {
    pub head: usize,
    pub latch: usize,
    pub counter: u8,
    pub limit: Source,
    pub up: bool,
    pub insns: u32,
}

/// The registers an instruction writes (bit `i` for r`i`).
fn writes(ins: &Instruction) -> u16 {
    let b = |r: semantics::isa::Reg| 1u16 << r.num();
    match *ins {
        Instruction::Alu { dst, .. }
        | Instruction::Neg { dst, .. }
        | Instruction::End { dst, .. }
        | Instruction::LdImm64 { dst, .. }
        | Instruction::Load { dst, .. } => b(dst),
        Instruction::Atomic { src, op, .. } => b(src) | if op == Atomic::Cmpxchg { 1 } else { 0 },
        Instruction::LdAbs { .. } | Instruction::LdInd { .. } => 1,
        Instruction::Call(_) | Instruction::CallX { .. } => 0x3f,
        _ => 0,
    }
}

/// The counted loops of a program (see [`CountedLoop`]).
pub fn counted_loops(insns: &[(usize, Instruction)], nslots: usize) -> Vec<CountedLoop> {
    let target_of = |pc: usize, ins: &Instruction| {
        ins.jump_offset()
            .or(ins.function_offset())
            .map(|rel| (pc as i64 + 1 + rel) as usize)
    };
    let mut out = Vec::new();
    for (li, &(latch, lins)) in insns.iter().enumerate() {
        let Instruction::Jmp {
            width: Width::W64,
            cond,
            dst,
            src,
            off,
        } = lins
        else {
            continue;
        };
        if off >= 0 {
            continue;
        }
        let head = (latch as i64 + 1 + off as i64) as usize;
        let inside = |pc: usize| pc >= head && pc <= latch;
        let body: Vec<(usize, Instruction)> = insns
            .iter()
            .copied()
            .filter(|(pc, _)| inside(*pc))
            .collect();
        // Entered only at the head; no calls; no other backward jump.
        let entered_inside = insns.iter().any(|&(pc, ins)| {
            target_of(pc, &ins).is_some_and(|t| t > head && t <= latch && !inside(pc))
                || (matches!(ins, Instruction::Call(_) | Instruction::LdImm64 { .. })
                    && target_of(pc, &ins).is_some_and(|t| t > head && t <= latch))
        });
        let bad = body.iter().any(|&(pc, ins)| {
            matches!(ins, Instruction::Call(_) | Instruction::CallX { .. })
                || (pc != latch && ins.jump_offset().is_some_and(|o| o < 0))
        });
        if entered_inside || bad || latch + 1 > nslots {
            continue;
        }
        // The counter's one change, with nothing but straight-line code up to the latch.
        let counter = dst.num();
        let changes: Vec<&(usize, Instruction)> = body
            .iter()
            .filter(|(pc, i)| *pc != latch && writes(i) & (1 << counter) != 0)
            .collect();
        let [&(inc_pc, inc)] = changes[..] else {
            continue;
        };
        let step = match inc {
            Instruction::Alu {
                width: Width::W64,
                op: AluOp::Add,
                src: Source::Imm(1),
                ..
            }
            | Instruction::Alu {
                width: Width::W64,
                op: AluOp::Sub,
                src: Source::Imm(-1),
                ..
            } => 1,
            Instruction::Alu {
                width: Width::W64,
                op: AluOp::Add,
                src: Source::Imm(-1),
                ..
            }
            | Instruction::Alu {
                width: Width::W64,
                op: AluOp::Sub,
                src: Source::Imm(1),
                ..
            } => -1,
            _ => continue,
        };
        let up = step == 1;
        let cond_ok = match cond {
            JmpCond::Ne => true,
            JmpCond::Lt => up,
            JmpCond::Gt => !up,
            _ => false,
        };
        if !cond_ok {
            continue;
        }
        if let Source::Reg(r) = src {
            if r.num() == counter || body.iter().any(|(_, i)| writes(i) & (1 << r.num()) != 0) {
                continue;
            }
        }
        // Straight-line from the change to the latch: no control, no jump lands between.
        let straight = insns[..li]
            .iter()
            .rev()
            .take_while(|(pc, _)| *pc > inc_pc)
            .all(|&(pc, ins)| {
                ins.jump_offset().is_none()
                    && !matches!(ins, Instruction::Exit)
                    && !insns.iter().any(|&(q, qi)| target_of(q, &qi) == Some(pc))
            })
            && !insns
                .iter()
                .any(|&(q, qi)| target_of(q, &qi) == Some(latch));
        if !straight {
            continue;
        }
        out.push(CountedLoop {
            head,
            latch,
            counter,
            limit: src,
            up,
            insns: body.len() as u32,
        });
    }
    // Nested or overlapping candidates: keep the first of any overlap.
    let mut kept: Vec<CountedLoop> = Vec::new();
    for l in out {
        if kept.iter().all(|k| l.latch < k.head || l.head > k.latch) {
            kept.push(l);
        }
    }
    kept
}

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

/// What compiling one program produced.
pub struct Lowered {
    /// Per slot: the label of the budget-charging entry, where there is one.
    pub entries: Vec<Option<Label>>,
    /// Per slot: the instructions from it to the end of its segment (at most what the
    /// interpreter runs when a charge there fails).
    pub seg: Vec<u32>,
    /// Per slot: the instructions a charge there pays for, from it on (what a stop there
    /// gives back of the charge, less one).
    pub rest: Vec<u32>,
}

/// Code emitted out of line, after the program's body.
enum Cold {
    /// The budget cannot pay for the block at `pc`.
    Exhausted { label: Label, cost: u32, pc: usize },
    /// Hand instruction `pc` to the interpreter, then go on at `resume`.
    Step {
        label: Label,
        pc: usize,
        resume: Label,
    },
    /// A call at `pc` exceeds the frame limit.
    Depth { label: Label, pc: usize },
    /// A tail call happened: jump to the new program.
    TailJump { label: Label },
    /// The entry of a merged block, for the runtime to continue at after it ran the block
    /// before: charge, then go to the body.
    Resume {
        entry: Label,
        body: Label,
        cost: u32,
        pc: usize,
    },
    /// The taken edge of a conditional jump whose fall-through was charged in advance.
    Refund { label: Label, cost: u32, to: Label },
    /// A context load answered by a field's value, or handed to the interpreter.
    CtxField {
        label: Label,
        slow: Label,
        resume: Label,
        dst: Reg,
        k: usize,
        pc: usize,
    },
}

pub struct Lower<'a> {
    pub a: &'a mut Asm,
    pub s: Shared,
    pub mode: Mode,
    /// No program writes r10, so an access at a constant offset from r10 is within the
    /// current frame's stack.
    pub r10_fixed: bool,
    /// Memory instructions the verifier proved to access only the packet (trusted mode).
    packet: &'a std::collections::BTreeSet<usize>,
    /// Loads the verifier proved to read only the context (trusted mode).
    ctx: &'a std::collections::BTreeSet<usize>,
    /// The context loads compiled so far (offset, size), numbered for the runtime.
    ctx_loads: &'a mut Vec<(u32, u32)>,
    /// Trusted mode with packet facts: r10 holds the packet's offset throughout.
    pkt_reg: bool,
    /// Trusted mode, the input-buffer variant: per slot, the registers that hold a pointer
    /// into the region r1 pointed to at entry, moved by constants only; r10 holds that
    /// region's offset throughout.
    input: Option<&'a [u16]>,
    /// r10 holds an offset, and code that needs r10 as scratch saves it.
    r10_reserved: bool,
    cold: Vec<Cold>,
}

impl<'a> Lower<'a> {
    pub fn new(
        a: &'a mut Asm,
        s: Shared,
        mode: Mode,
        r10_fixed: bool,
        packet: &'a std::collections::BTreeSet<usize>,
        input: Option<&'a [u16]>,
        ctx: &'a std::collections::BTreeSet<usize>,
        ctx_loads: &'a mut Vec<(u32, u32)>,
    ) -> Lower<'a> {
        let pkt_reg = mode == Mode::Trusted && !packet.is_empty();
        let input = if mode == Mode::Trusted && !pkt_reg {
            input
        } else {
            None
        };
        Lower {
            a,
            s,
            mode,
            r10_fixed,
            packet,
            ctx,
            ctx_loads,
            pkt_reg,
            input,
            r10_reserved: pkt_reg || input.is_some(),
            cold: Vec::new(),
        }
    }

    fn e(&mut self, i: Inst) {
        self.a.emit(i);
    }

    fn mov(&mut self, size: Size, dst: Reg, src: Reg) {
        self.e(Inst::Mov {
            size,
            dst: Rm::Reg(dst),
            src,
        });
    }

    /// Compiles one program: `insns` decoded, `imm64` the resolved LD_IMM64 values, `blocks`
    /// the interpreter's block costs.
    pub fn program(
        &mut self,
        insns: &[(usize, Instruction)],
        imm64: &[(usize, u64)],
        blocks: &[u32],
        nslots: usize,
    ) -> Lowered {
        // Where a block is entered: the start, jump and call targets, the instruction after
        // a conditional jump or a call, and with `callx` every instruction. `target`: entered
        // otherwise than by falling through a conditional jump.
        let mut entry = vec![false; nslots + 1];
        let mut target = vec![false; nslots + 1];
        entry[0] = true;
        target[0] = true;
        let has_callx = insns
            .iter()
            .any(|(_, i)| matches!(i, Instruction::CallX { .. }));
        // Conditional jumps whose fall-through may be charged with the block before: forward
        // ones (a backward jump is a loop's latch, whose taken edge is the hot one and must
        // not pay a refund).
        let mut cond_at = vec![false; nslots + 1];
        for &(pc, ins) in insns {
            let next = pc + ins.slots();
            match ins {
                Instruction::Jmp { off, .. } => {
                    entry[next] = true;
                    cond_at[pc] = off >= 0;
                }
                Instruction::Call(_) | Instruction::CallX { .. } => {
                    entry[next] = true;
                    target[next] = true;
                }
                _ => {}
            }
            if let Some(rel) = ins.jump_offset().or(ins.function_offset()) {
                let t = (pc as i64 + 1 + rel) as usize;
                entry[t] = true;
                target[t] = true;
            }
            if has_callx {
                entry[pc] = true;
                target[pc] = true;
            }
        }
        // An entry reached only by falling through a forward conditional jump is charged
        // together with the block before the jump (one charge per iteration of a loop whose
        // body checks a bound); the jump's taken edge gives that charge back.
        let mut merged = vec![false; nslots + 1];
        for &(pc, ins) in insns {
            let next = pc + ins.slots();
            if cond_at[pc] && next < nslots && !target[next] {
                merged[next] = true;
            }
        }
        let inline_entry: Vec<bool> = (0..=nslots).map(|t| entry[t] && !merged[t]).collect();
        // `seg[pc]`: the instructions from `pc` to the end of its segment (the next jump,
        // call or exit, or the instruction before an entry). `rest[pc]`: the same through
        // merged entries, what a charge at `pc` pays for. The interpreter charges whole
        // blocks; charging them in other pieces costs the same in total, and when a charge
        // fails the interpreter runs the instructions one at a time from there, so the
        // budget runs out at the same instruction and every count is the same.
        let mut seg = vec![0u32; nslots + 1];
        let mut rest = vec![0u32; nslots + 1];
        for &(pc, ins) in insns.iter().rev() {
            let next = (pc + ins.slots()).min(nslots);
            let ends = matches!(
                ins,
                Instruction::Ja { .. }
                    | Instruction::JaLong { .. }
                    | Instruction::Jmp { .. }
                    | Instruction::Call(_)
                    | Instruction::CallX { .. }
                    | Instruction::Exit
            );
            seg[pc] = 1 + if ends || inline_entry[next] {
                0
            } else {
                seg[next]
            };
            rest[pc] =
                1 + if (ends && !(cond_at[pc] && merged[next])) || (!ends && inline_entry[next]) {
                    0
                } else {
                    rest[next]
                };
        }
        let _ = blocks;
        let mut entries: Vec<Option<Label>> = vec![None; nslots + 1];
        let mut bodies: Vec<Option<Label>> = vec![None; nslots + 1];
        for t in 0..=nslots {
            if entry[t] {
                entries[t] = Some(self.a.label());
            }
            if merged[t] {
                bodies[t] = Some(self.a.label());
            }
        }
        let imm = |pc: usize| {
            imm64
                .iter()
                .find(|(p, _)| *p == pc)
                .map(|(_, v)| *v)
                .unwrap_or(0)
        };
        let loops = if has_callx {
            Vec::new()
        } else {
            counted_loops(insns, nslots)
        };
        // Per versioned loop: (its header, the label after the check, the unchecked copy's
        // labels).
        let mut versioned: Vec<(CountedLoop, Label, Vec<Option<Label>>)> = Vec::new();
        for lp in loops {
            let after = self.a.label();
            let mut u = entries.clone();
            for &(pc, _) in insns {
                if pc >= lp.head && pc <= lp.latch {
                    u[pc] = Some(self.a.label());
                }
            }
            versioned.push((lp, after, u));
        }
        for &(pc, ins) in insns {
            if let Some(l) = entries[pc] {
                if merged[pc] {
                    let body = bodies[pc].expect("merged entries have a body label");
                    self.a.bind(body);
                    self.cold.push(Cold::Resume {
                        entry: l,
                        body,
                        cost: rest[pc],
                        pc,
                    });
                } else {
                    self.a.bind(l);
                    if let Some((lp, after, u)) = versioned.iter().find(|v| v.0.head == pc) {
                        self.loop_check(lp, *after, u[pc].expect("copy label"));
                        self.a.bind(*after);
                    }
                    self.charge(rest[pc], pc);
                }
            }
            let refund = if cond_at[pc] && merged[pc + 1] {
                rest[pc + 1]
            } else {
                0
            };
            // A versioned loop's latch goes back past the check.
            if let Some((lp, after, _)) = versioned.iter().find(|v| v.0.latch == pc) {
                let mut m = entries.clone();
                m[lp.head] = Some(*after);
                self.insn(pc, ins, imm(pc), &m, refund);
            } else {
                self.insn(pc, ins, imm(pc), &entries, refund);
            }
        }
        // The unchecked copies: the same code and charges without the budget test, entered
        // only when the budget covers every iteration the loop can make.
        for (lp, _, u) in &versioned {
            for &(pc, ins) in insns {
                if pc < lp.head || pc > lp.latch {
                    continue;
                }
                if let Some(l) = u[pc] {
                    self.a.bind(l);
                }
                if entries[pc].is_some() && !merged[pc] && rest[pc] > 0 {
                    self.e(Inst::AluImm {
                        op: X::Sub,
                        size: Size::Q,
                        dst: Rm::Reg(BUDGET),
                        imm: rest[pc] as i32,
                    });
                }
                let refund = if cond_at[pc] && merged[pc + 1] {
                    rest[pc + 1]
                } else {
                    0
                };
                self.insn(pc, ins, imm(pc), u, refund);
            }
            // Falling out of the latch.
            self.a
                .jmp(entries[lp.latch + 1].expect("a conditional jump's successor has an entry"));
        }
        // Past the end.
        if let Some(l) = entries[nslots] {
            self.a.bind(l);
        }
        self.e(mov_const(S2, nslots as u64));
        self.a.call(self.s.fell_off);
        self.e(Inst::Ud2);
        while !self.cold.is_empty() {
            for c in std::mem::take(&mut self.cold) {
                self.cold_code(c);
            }
        }
        Lowered { entries, seg, rest }
    }

    /// At a counted loop's header: unless the budget covers `bound * insns` instructions
    /// (`bound` the iterations the counter allows, `insns` the loop's instructions), go on to
    /// `checked`; otherwise enter the unchecked copy at `copy` (its header, which pays the
    /// header's segment without a test).
    fn loop_check(&mut self, lp: &CountedLoop, checked: Label, copy: Label) {
        let x_reg = MAP[lp.counter as usize];
        // r11 = iterations left: limit - counter (counting up) or counter - limit (down).
        match (lp.up, lp.limit) {
            (true, Source::Imm(k)) => {
                self.e(mov_const(S2, k as i64 as u64));
                self.e(Inst::Alu {
                    op: X::Sub,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    src: x_reg,
                });
            }
            (true, Source::Reg(r)) => {
                self.mov(Size::Q, S2, x(r));
                self.e(Inst::Alu {
                    op: X::Sub,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    src: x_reg,
                });
            }
            (false, Source::Imm(k)) => {
                self.mov(Size::Q, S2, x_reg);
                self.e(Inst::AluImm {
                    op: X::Sub,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    imm: k,
                });
            }
            (false, Source::Reg(r)) => {
                self.mov(Size::Q, S2, x_reg);
                self.e(Inst::Alu {
                    op: X::Sub,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    src: x(r),
                });
            }
        }
        // 0 (a `!=` loop that wraps around) or more than 2^31 iterations: the checked code.
        self.e(Inst::Test {
            size: Size::Q,
            a: Rm::Reg(S2),
            b: S2,
        });
        self.a.jcc(Cond::E, checked);
        self.e(Inst::AluImm {
            op: X::Cmp,
            size: Size::Q,
            dst: Rm::Reg(S2),
            imm: i32::MAX,
        });
        self.a.jcc(Cond::A, checked);
        self.e(Inst::ImulImm {
            size: Size::Q,
            dst: S2,
            src: Rm::Reg(S2),
            imm: lp.insns as i32,
        });
        self.e(Inst::Alu {
            op: X::Cmp,
            size: Size::Q,
            dst: Rm::Reg(S2),
            src: BUDGET,
        });
        self.a.jcc(Cond::A, checked);
        self.a.jmp(copy);
    }

    /// Charges `cost` instructions for the block at `pc`.
    fn charge(&mut self, cost: u32, pc: usize) {
        if cost == 0 {
            return;
        }
        let l = self.a.label();
        self.e(Inst::AluImm {
            op: X::Sub,
            size: Size::Q,
            dst: Rm::Reg(BUDGET),
            imm: cost as i32,
        });
        self.a.jcc(Cond::B, l);
        self.cold.push(Cold::Exhausted { label: l, cost, pc });
    }

    fn cold_code(&mut self, c: Cold) {
        match c {
            Cold::Exhausted { label, cost, pc } => {
                self.a.bind(label);
                self.e(Inst::AluImm {
                    op: X::Add,
                    size: Size::Q,
                    dst: Rm::Reg(BUDGET),
                    imm: cost as i32,
                });
                self.e(mov_const(S2, pc as u64));
                self.a.call(self.s.exhausted);
                // The runtime ran the first segment and names where to go on.
                self.e(Inst::JmpInd {
                    target: Rm::Mem(ctx(Offsets::JUMP)),
                });
            }
            Cold::Resume {
                entry,
                body,
                cost,
                pc,
            } => {
                self.a.bind(entry);
                self.charge(cost, pc);
                self.a.jmp(body);
            }
            Cold::CtxField {
                label,
                slow,
                resume,
                dst,
                k,
                pc,
            } => {
                self.a.bind(label);
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::D,
                    dst: Rm::Reg(S2),
                    imm: 1,
                });
                self.a.jcc(Cond::Ne, slow);
                self.e(Inst::Load {
                    size: Size::Q,
                    dst,
                    src: ctx(Offsets::CTX_VALUE + 8 * k as i32),
                });
                self.a.jmp(resume);
                self.a.bind(slow);
                self.e(mov_const(S2, pc as u64));
                self.a.call(self.s.step);
                self.a.jmp(resume);
            }
            Cold::Refund { label, cost, to } => {
                self.a.bind(label);
                self.e(Inst::AluImm {
                    op: X::Add,
                    size: Size::Q,
                    dst: Rm::Reg(BUDGET),
                    imm: cost as i32,
                });
                self.a.jmp(to);
            }
            Cold::Step { label, pc, resume } => {
                self.a.bind(label);
                self.e(mov_const(S2, pc as u64));
                self.a.call(self.s.step);
                self.a.jmp(resume);
            }
            Cold::Depth { label, pc } => {
                self.a.bind(label);
                self.e(mov_const(S2, pc as u64));
                self.a.call(self.s.depth);
                self.e(Inst::Ud2);
            }
            Cold::TailJump { label } => {
                self.a.bind(label);
                self.e(Inst::JmpInd {
                    target: Rm::Mem(ctx(Offsets::JUMP)),
                });
            }
        }
    }

    /// Hands instruction `pc` to the interpreter inline (always, not as a slow path).
    fn step_inline(&mut self, pc: usize) {
        self.e(mov_const(S2, pc as u64));
        self.a.call(self.s.step);
    }

    fn insn(
        &mut self,
        pc: usize,
        ins: Instruction,
        imm64: u64,
        entries: &[Option<Label>],
        refund: u32,
    ) {
        let goto = |t: usize| entries[t].expect("every jump target has an entry");
        match ins {
            Instruction::Alu {
                width,
                op,
                dst,
                src,
            } => self.alu(width, op, x(dst), src),
            Instruction::Neg { width, dst } => self.e(Inst::Neg {
                size: wsize(width),
                dst: Rm::Reg(x(dst)),
            }),
            Instruction::End { kind, bits, dst } => self.end(kind, bits, x(dst)),
            Instruction::Ja { .. } | Instruction::JaLong { .. } => {
                let t = (pc as i64 + 1 + ins.jump_offset().unwrap_or(0)) as usize;
                self.a.jmp(goto(t));
            }
            Instruction::Jmp {
                width,
                cond,
                dst,
                src,
                off,
            } => {
                let t = (pc as i64 + 1 + off as i64) as usize;
                let cc = self.compare(width, cond, x(dst), src);
                if refund > 0 {
                    let l = self.a.label();
                    self.a.jcc(cc, l);
                    self.cold.push(Cold::Refund {
                        label: l,
                        cost: refund,
                        to: goto(t),
                    });
                } else {
                    self.a.jcc(cc, goto(t));
                }
                // Not taken: the entry of pc + 1 follows inline.
            }
            Instruction::LdImm64 { dst, .. } => self.e(mov_const(x(dst), imm64)),
            Instruction::Load {
                size,
                sign_extend,
                dst,
                src,
                off,
            } => {
                let d = x(dst);
                let n = size.bytes();
                if !sign_extend && self.ctx_load(pc, d, off, n) {
                    return;
                }
                self.access(pc, src.num(), off, n, false, false, |me, m| {
                    let i = match (n, sign_extend) {
                        (1, false) => Inst::Movzx {
                            from: Size::B,
                            dst: d,
                            src: Rm::Mem(m),
                        },
                        (2, false) => Inst::Movzx {
                            from: Size::W,
                            dst: d,
                            src: Rm::Mem(m),
                        },
                        (4, false) => Inst::Load {
                            size: Size::D,
                            dst: d,
                            src: m,
                        },
                        (8, _) => Inst::Load {
                            size: Size::Q,
                            dst: d,
                            src: m,
                        },
                        (k, _) => Inst::Movsx {
                            from: match k {
                                1 => Size::B,
                                2 => Size::W,
                                _ => Size::D,
                            },
                            size: Size::Q,
                            dst: d,
                            src: Rm::Mem(m),
                        },
                    };
                    me.e(i);
                });
            }
            Instruction::Store {
                size,
                dst,
                off,
                src,
            } => {
                let n = size.bytes();
                let sz = [Size::B, Size::W, Size::D, Size::Q][n.trailing_zeros() as usize];
                self.access(pc, dst.num(), off, n, true, false, |me, m| {
                    let i = match src {
                        Source::Reg(r) => Inst::Mov {
                            size: sz,
                            dst: Rm::Mem(m),
                            src: x(r),
                        },
                        Source::Imm(k) => Inst::MovImm {
                            size: sz,
                            dst: Rm::Mem(m),
                            imm: match sz {
                                Size::B => k as i8 as i32,
                                Size::W => k as i16 as i32,
                                _ => k,
                            },
                        },
                    };
                    me.e(i);
                });
            }
            Instruction::Atomic {
                width,
                op,
                dst,
                src,
                off,
            } => {
                let n = if width == Width::W64 { 8 } else { 4 };
                let s = x(src);
                let sz = wsize(width);
                self.access(pc, dst.num(), off, n, true, true, |me, m| {
                    me.atomic(sz, op, m, s)
                });
            }
            Instruction::LdAbs { .. } | Instruction::LdInd { .. } => self.step_inline(pc),
            Instruction::Call(Call::Helper(12)) => {
                self.step_inline(pc);
                let l = self.a.label();
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: Rm::Mem(ctx(Offsets::JUMP)),
                    imm: 0,
                });
                self.a.jcc(Cond::Ne, l);
                self.cold.push(Cold::TailJump { label: l });
            }
            Instruction::Call(Call::Helper(_)) | Instruction::Call(Call::Kfunc { .. }) => {
                self.step_inline(pc)
            }
            Instruction::Call(Call::Local(imm)) => {
                let t = (pc as i64 + 1 + imm as i64) as usize;
                let over = self.a.label();
                self.e(Inst::Load {
                    size: Size::Q,
                    dst: S2,
                    src: ctx(Offsets::DEPTH),
                });
                self.e(Inst::AluLoad {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: S2,
                    src: ctx(Offsets::MAX_DEPTH),
                });
                self.a.jcc(Cond::Ae, over);
                self.cold.push(Cold::Depth { label: over, pc });
                self.push_frame();
                self.a.call(goto(t));
                self.pop_frame();
            }
            Instruction::CallX { .. } => {
                self.e(mov_const(S2, pc as u64));
                self.a.call(self.s.callx);
                let skip = self.a.label();
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: Rm::Mem(ctx(Offsets::JUMP)),
                    imm: 0,
                });
                self.a.jcc(Cond::E, skip);
                self.push_frame();
                // Neither the frame set-up nor the zeroing touches the target.
                self.e(Inst::CallInd {
                    target: Rm::Mem(ctx(Offsets::JUMP)),
                });
                self.pop_frame();
                self.a.bind(skip);
            }
            Instruction::Exit => {
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: Rm::Mem(ctx(Offsets::DEPTH)),
                    imm: 0,
                });
                self.a.jcc(Cond::Ne, self.s.ret);
                self.a.jmp(self.s.main_exit);
            }
        }
    }

    /// A load the verifier proved to read the context (whose pointer it dereferences only
    /// unmoved, so the address is the context's start plus `off`), in trusted mode: per run,
    /// the runtime says whether a context field answers it (`ctx_kind` 1, the value in
    /// `ctx_value`), the bytes do (0), or the interpreter must (2: the run's r1 is not a
    /// context that holds the bytes). `false` when the load is not such a one.
    fn ctx_load(&mut self, pc: usize, d: Reg, off: i16, n: usize) -> bool {
        if self.mode != Mode::Trusted || !self.ctx.contains(&pc) || off < 0 {
            return false;
        }
        let k = self.ctx_loads.len();
        if k >= runtime::CTX_LOADS {
            return false;
        }
        self.ctx_loads.push((off as u32, n as u32));
        let special = self.a.label();
        let resume = self.a.label();
        let slow = self.a.label();
        self.e(Inst::Movzx {
            from: Size::B,
            dst: S2,
            src: Rm::Mem(ctx(Offsets::CTX_KIND + k as i32)),
        });
        self.e(Inst::Test {
            size: Size::D,
            a: Rm::Reg(S2),
            b: S2,
        });
        self.a.jcc(Cond::Ne, special);
        self.e(Inst::Load {
            size: Size::Q,
            dst: S2,
            src: ctx(Offsets::BASE + 8 * (semantics::interp::CTX_REGION as i32 + 1)),
        });
        let m = Mem::base(S2, off as i32);
        self.e(match n {
            1 => Inst::Movzx {
                from: Size::B,
                dst: d,
                src: Rm::Mem(m),
            },
            2 => Inst::Movzx {
                from: Size::W,
                dst: d,
                src: Rm::Mem(m),
            },
            4 => Inst::Load {
                size: Size::D,
                dst: d,
                src: m,
            },
            _ => Inst::Load {
                size: Size::Q,
                dst: d,
                src: m,
            },
        });
        self.a.bind(resume);
        self.cold.push(Cold::CtxField {
            label: special,
            slow,
            resume,
            dst: d,
            k,
            pc,
        });
        true
    }

    /// Saves r6-r10, enters a new frame (depth, r10, the frame's stack zeroed). Uses r11
    /// only (r10 may hold the packet's offset).
    fn push_frame(&mut self) {
        for r in [Rbx, R13, R14, R15, Rbp] {
            self.e(Inst::Push { reg: r });
        }
        self.e(Inst::Load {
            size: Size::Q,
            dst: S2,
            src: ctx(Offsets::DEPTH),
        });
        self.e(Inst::AluImm {
            op: X::Add,
            size: Size::Q,
            dst: Rm::Reg(S2),
            imm: 1,
        });
        self.e(Inst::Mov {
            size: Size::Q,
            dst: Rm::Mem(ctx(Offsets::DEPTH)),
            src: S2,
        });
        // r10 = region_base(depth) + 512 = ((depth + 1) << 32) + 512.
        self.e(Inst::Lea {
            dst: Rbp,
            src: Mem::base(S2, 1),
        });
        self.e(Inst::ShiftImm {
            op: ShiftOp::Shl,
            size: Size::Q,
            dst: Rm::Reg(Rbp),
            imm: 32,
        });
        self.e(Inst::AluImm {
            op: X::Add,
            size: Size::Q,
            dst: Rm::Reg(Rbp),
            imm: 512,
        });
        self.e(Inst::Load {
            size: Size::Q,
            dst: S2,
            src: ctx_idx(Offsets::STACK_HOST, S2),
        });
        self.e(Inst::Mov {
            size: Size::Q,
            dst: Rm::Mem(ctx(Offsets::FRAME)),
            src: S2,
        });
        self.a.call(self.s.zero_frame);
    }

    fn pop_frame(&mut self) {
        for r in [Rbp, R15, R14, R13, Rbx] {
            self.e(Inst::Pop { reg: r });
        }
        self.e(Inst::Load {
            size: Size::Q,
            dst: S2,
            src: ctx(Offsets::DEPTH),
        });
        self.e(Inst::AluImm {
            op: X::Sub,
            size: Size::Q,
            dst: Rm::Reg(S2),
            imm: 1,
        });
        self.e(Inst::Mov {
            size: Size::Q,
            dst: Rm::Mem(ctx(Offsets::DEPTH)),
            src: S2,
        });
        self.e(Inst::Load {
            size: Size::Q,
            dst: S2,
            src: ctx_idx(Offsets::STACK_HOST, S2),
        });
        self.e(Inst::Mov {
            size: Size::Q,
            dst: Rm::Mem(ctx(Offsets::FRAME)),
            src: S2,
        });
    }

    /// Emits the address translation of `base + off` for an `n`-byte access, `body` with the
    /// host memory operand, and the slow path. With `single`, the operand uses r11 alone
    /// (the body may use r10 and rax).
    #[allow(clippy::too_many_arguments)]
    fn access(
        &mut self,
        pc: usize,
        bpf_base: u8,
        off: i16,
        n: usize,
        write: bool,
        single: bool,
        body: impl FnOnce(&mut Self, Mem),
    ) {
        let off32 = off as i32;
        let base = MAP[bpf_base as usize % 11];
        let base_is_r10 = bpf_base == 10;
        // The current frame's stack, at a constant offset: always in bounds and writable.
        if base_is_r10 && self.r10_fixed && off32 >= -512 && off32 + n as i32 <= 0 {
            self.e(Inst::Load {
                size: Size::Q,
                dst: S2,
                src: ctx(Offsets::FRAME),
            });
            body(self, Mem::base(S2, off32));
            return;
        }
        let via_input = self
            .input
            .is_some_and(|d| d.get(pc).is_some_and(|m| m & (1 << bpf_base) != 0));
        if (self.pkt_reg && self.packet.contains(&pc)) || via_input {
            // r10 holds the offset of the packet (the verifier proved the access within the
            // packet: a verified program checks it against data_end; the packet region is
            // always writable and never has context fields), or of the input buffer (a plain
            // region: this variant runs only then), so nothing is checked.
            let m = Mem::indexed(S1, base, Scale::S1, off32).expect("not rsp");
            if single {
                self.e(Inst::Lea { dst: S2, src: m });
                body(self, Mem::base(S2, 0));
            } else {
                body(self, m);
            }
            return;
        }
        let slow = self.a.label();
        let resume = self.a.label();
        match self.mode {
            Mode::Checked => {
                self.e(Inst::Lea {
                    dst: S2,
                    src: Mem::base(base, off32),
                });
                self.mov(Size::Q, S1, S2);
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shr,
                    size: Size::Q,
                    dst: Rm::Reg(S1),
                    imm: 32,
                });
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: Rm::Reg(S1),
                    imm: CAP as i32,
                });
                self.a.jcc(Cond::Ae, slow);
                self.mov(Size::D, S2, S2);
                self.e(Inst::AluImm {
                    op: X::Add,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    imm: n as i32,
                });
                let lens = if write {
                    Offsets::LEN_WRITE
                } else {
                    Offsets::LEN_READ
                };
                self.e(Inst::AluLoad {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: S2,
                    src: ctx_idx(lens, S1),
                });
                self.a.jcc(Cond::A, slow);
                self.e(Inst::AluLoad {
                    op: X::Add,
                    size: Size::Q,
                    dst: S2,
                    src: ctx_idx(Offsets::BASE, S1),
                });
                body(self, Mem::base(S2, -(n as i32)));
            }
            Mode::Trusted => {
                self.mov(Size::Q, S2, base);
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shr,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    imm: 32,
                });
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    imm: CAP as i32,
                });
                self.a.jcc(Cond::Ae, slow);
                let deltas = if write {
                    Offsets::DELTA_STORE
                } else {
                    Offsets::DELTA_LOAD
                };
                self.e(Inst::Load {
                    size: Size::Q,
                    dst: S2,
                    src: ctx_idx(deltas, S2),
                });
                self.e(Inst::Test {
                    size: Size::Q,
                    a: Rm::Reg(S2),
                    b: S2,
                });
                self.a.jcc(Cond::E, slow);
                if single {
                    self.e(Inst::Lea {
                        dst: S2,
                        src: Mem::indexed(S2, base, Scale::S1, off32).expect("not rsp"),
                    });
                    body(self, Mem::base(S2, 0));
                } else {
                    body(
                        self,
                        Mem::indexed(S2, base, Scale::S1, off32).expect("not rsp"),
                    );
                }
            }
        }
        self.a.bind(resume);
        self.cold.push(Cold::Step {
            label: slow,
            pc,
            resume,
        });
    }

    fn atomic(&mut self, sz: Size, op: Atomic, m: Mem, s: Reg) {
        match op {
            Atomic::Rmw { op, fetch: false } => {
                let op = match op {
                    AtomicOp::Add => LockOp::Add,
                    AtomicOp::Or => LockOp::Or,
                    AtomicOp::And => LockOp::And,
                    AtomicOp::Xor => LockOp::Xor,
                };
                self.e(Inst::Lock {
                    op,
                    size: sz,
                    dst: m,
                    src: s,
                });
            }
            Atomic::Rmw {
                op: AtomicOp::Add,
                fetch: true,
            } => self.e(Inst::LockXadd {
                size: sz,
                dst: m,
                src: s,
            }),
            Atomic::Rmw { op, fetch: true } => {
                // A compare-and-exchange loop: rax holds the old value, r9 the new one.
                let alu = match op {
                    AtomicOp::Or => X::Or,
                    AtomicOp::And => X::And,
                    _ => X::Xor,
                };
                self.e(Inst::Push { reg: BUDGET });
                if self.r10_reserved {
                    self.e(Inst::Push { reg: S1 });
                }
                self.mov(Size::Q, S1, Rax);
                // The operand: r0's value is in r10 from here on.
                let operand = if s == Rax { S1 } else { s };
                self.e(Inst::Load {
                    size: sz,
                    dst: Rax,
                    src: m,
                });
                let retry = self.a.label();
                self.a.bind(retry);
                self.mov(Size::Q, BUDGET, Rax);
                self.e(Inst::Alu {
                    op: alu,
                    size: sz,
                    dst: Rm::Reg(BUDGET),
                    src: operand,
                });
                self.e(Inst::LockCmpxchg {
                    size: sz,
                    dst: m,
                    src: BUDGET,
                });
                self.a.jcc(Cond::Ne, retry);
                // src = old (zero-extended at 32 bits); r0 back unless it is src.
                if s == Rax {
                    if sz == Size::D {
                        self.mov(Size::D, Rax, Rax);
                    }
                } else {
                    self.mov(sz, s, Rax);
                    self.mov(Size::Q, Rax, S1);
                }
                if self.r10_reserved {
                    self.e(Inst::Pop { reg: S1 });
                }
                self.e(Inst::Pop { reg: BUDGET });
            }
            Atomic::Xchg => self.e(Inst::Xchg {
                size: sz,
                dst: m,
                src: s,
            }),
            Atomic::Cmpxchg => {
                self.e(Inst::LockCmpxchg {
                    size: sz,
                    dst: m,
                    src: s,
                });
                if sz == Size::D {
                    // r0 = old, zero-extended (on success the instruction leaves rax as is).
                    self.mov(Size::D, Rax, Rax);
                }
            }
        }
    }

    /// Emits the comparison of a conditional jump and returns the condition that takes it.
    fn compare(&mut self, width: Width, cond: JmpCond, d: Reg, src: Source) -> Cond {
        let sz = wsize(width);
        if cond == JmpCond::Set {
            match src {
                Source::Reg(r) => self.e(Inst::Test {
                    size: sz,
                    a: Rm::Reg(d),
                    b: x(r),
                }),
                Source::Imm(k) => self.e(Inst::TestImm {
                    size: sz,
                    a: Rm::Reg(d),
                    imm: k,
                }),
            }
            return Cond::Ne;
        }
        match src {
            Source::Reg(r) => self.e(Inst::Alu {
                op: X::Cmp,
                size: sz,
                dst: Rm::Reg(d),
                src: x(r),
            }),
            Source::Imm(k) => self.e(Inst::AluImm {
                op: X::Cmp,
                size: sz,
                dst: Rm::Reg(d),
                imm: k,
            }),
        }
        match cond {
            JmpCond::Eq => Cond::E,
            JmpCond::Ne => Cond::Ne,
            JmpCond::Gt => Cond::A,
            JmpCond::Ge => Cond::Ae,
            JmpCond::Lt => Cond::B,
            JmpCond::Le => Cond::Be,
            JmpCond::Sgt => Cond::G,
            JmpCond::Sge => Cond::Ge,
            JmpCond::Slt => Cond::L,
            JmpCond::Sle => Cond::Le,
            JmpCond::Set => Cond::Ne,
        }
    }

    fn end(&mut self, kind: EndKind, bits: u8, d: Reg) {
        match (kind, bits) {
            (EndKind::Le, 16) => self.e(Inst::Movzx {
                from: Size::W,
                dst: d,
                src: Rm::Reg(d),
            }),
            (EndKind::Le, 32) => self.mov(Size::D, d, d),
            (EndKind::Le, _) => {}
            (_, 16) => {
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Rol,
                    size: Size::W,
                    dst: Rm::Reg(d),
                    imm: 8,
                });
                self.e(Inst::Movzx {
                    from: Size::W,
                    dst: d,
                    src: Rm::Reg(d),
                });
            }
            (_, 32) => self.e(Inst::Bswap {
                size: Size::D,
                reg: d,
            }),
            _ => self.e(Inst::Bswap {
                size: Size::Q,
                reg: d,
            }),
        }
    }

    fn alu(&mut self, width: Width, op: AluOp, d: Reg, src: Source) {
        let sz = wsize(width);
        // The immediate as the interpreter reads it: sign-extended at 64 bits, as is at 32.
        let kval = |k: i32| {
            if width == Width::W64 {
                k as i64 as u64
            } else {
                k as u32 as u64
            }
        };
        let simple = |op: AluOp| match op {
            AluOp::Add => Some(X::Add),
            AluOp::Sub => Some(X::Sub),
            AluOp::And => Some(X::And),
            AluOp::Or => Some(X::Or),
            AluOp::Xor => Some(X::Xor),
            _ => None,
        };
        let shift = |op: AluOp| match op {
            AluOp::Lsh => Some(ShiftOp::Shl),
            AluOp::Rsh => Some(ShiftOp::Shr),
            AluOp::Arsh => Some(ShiftOp::Sar),
            _ => None,
        };
        match (op, src) {
            (AluOp::Mov, Source::Reg(r)) => self.mov(sz, d, x(r)),
            (AluOp::Mov, Source::Imm(k)) => self.e(mov_const(d, kval(k))),
            (AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32, Source::Reg(r)) => {
                let from = match op {
                    AluOp::MovSx8 => Size::B,
                    AluOp::MovSx16 => Size::W,
                    _ => Size::D,
                };
                if from == Size::D && sz == Size::D {
                    self.mov(Size::D, d, x(r));
                } else {
                    self.e(Inst::Movsx {
                        from,
                        size: sz,
                        dst: d,
                        src: Rm::Reg(x(r)),
                    });
                }
            }
            (AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32, Source::Imm(_)) => {
                // Not a valid instruction (the decoder refuses it).
                self.e(Inst::Ud2);
            }
            (AluOp::Mul, Source::Reg(r)) => self.e(Inst::Imul {
                size: sz,
                dst: d,
                src: Rm::Reg(x(r)),
            }),
            (AluOp::Mul, Source::Imm(k)) => self.mul_const(sz, d, k),
            (AluOp::Div | AluOp::Mod | AluOp::Sdiv | AluOp::Smod, _) => {
                let signed = matches!(op, AluOp::Sdiv | AluOp::Smod);
                let rem = matches!(op, AluOp::Mod | AluOp::Smod);
                let dv = match src {
                    Source::Reg(r) => Divisor::Reg(x(r)),
                    Source::Imm(k) => Divisor::Const(kval(k)),
                };
                self.divmod(sz, signed, rem, d, dv);
            }
            (op, Source::Reg(r)) if simple(op).is_some() => self.e(Inst::Alu {
                op: simple(op).unwrap_or(X::Add),
                size: sz,
                dst: Rm::Reg(d),
                src: x(r),
            }),
            (op, Source::Imm(k)) if simple(op).is_some() => self.e(Inst::AluImm {
                op: simple(op).unwrap_or(X::Add),
                size: sz,
                dst: Rm::Reg(d),
                imm: k,
            }),
            (op, Source::Reg(r)) => {
                let sop = shift(op).unwrap_or(ShiftOp::Shl);
                self.e(Inst::ShiftX {
                    op: sop,
                    size: sz,
                    dst: d,
                    src: Rm::Reg(d),
                    count: x(r),
                });
            }
            (op, Source::Imm(k)) => {
                let sop = shift(op).unwrap_or(ShiftOp::Shl);
                let bits = if sz == Size::Q { 63 } else { 31 };
                self.e(Inst::ShiftImm {
                    op: sop,
                    size: sz,
                    dst: Rm::Reg(d),
                    imm: (k as u32 & bits) as u8,
                });
            }
        }
    }

    /// `d *= k` (the immediate sign-extended at 64 bits): a shift for a power of two, `lea`
    /// for 3, 5 and 9 at 64 bits (shorter latency than `imul`), `imul` otherwise.
    fn mul_const(&mut self, sz: Size, d: Reg, k: i32) {
        if k > 0 && (k as u32).is_power_of_two() {
            let n = k.trailing_zeros() as u8;
            if n > 0 {
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shl,
                    size: sz,
                    dst: Rm::Reg(d),
                    imm: n,
                });
            } else if sz == Size::D {
                // `* 1` at 32 bits still zero-extends.
                self.mov(Size::D, d, d);
            }
            return;
        }
        let scale = match k {
            3 => Some(Scale::S2),
            5 => Some(Scale::S4),
            9 => Some(Scale::S8),
            _ => None,
        };
        if let (Some(scale), Size::Q) = (scale, sz) {
            if let Some(m) = Mem::indexed(d, d, scale, 0) {
                self.e(Inst::Lea { dst: d, src: m });
                return;
            }
        }
        self.e(Inst::ImulImm {
            size: sz,
            dst: d,
            src: Rm::Reg(d),
            imm: k,
        });
    }

    /// Division and remainder with the ISA's rules: by zero, the quotient is 0 and the
    /// remainder the dividend; signed `MIN / -1` is `MIN` and `MIN % -1` is 0 (no #DE).
    fn divmod(&mut self, sz: Size, signed: bool, rem: bool, d: Reg, dv: Divisor) {
        let minus_one = |v: u64| {
            if sz == Size::Q {
                v == u64::MAX
            } else {
                v as u32 == u32::MAX
            }
        };
        match dv {
            Divisor::Const(v) if (sz == Size::Q && v == 0) || (sz == Size::D && v as u32 == 0) => {
                self.by_zero(sz, rem, d);
            }
            Divisor::Const(v) if signed && minus_one(v) => self.by_minus_one(sz, rem, d),
            Divisor::Const(v) if !signed && self.div_by_constant(sz, rem, d, v) => {}
            Divisor::Const(v) => {
                self.e(Inst::Push { reg: BUDGET });
                self.e(mov_const(BUDGET, v));
                self.div_core(sz, signed, rem, d, BUDGET, false);
                self.e(Inst::Pop { reg: BUDGET });
            }
            Divisor::Reg(r) => self.div_core(sz, signed, rem, d, r, true),
        }
    }

    /// Unsigned division or remainder by a non-zero constant without `div`: a shift or mask
    /// for a power of two, else the interpreter's multiply-high method
    /// (`semantics::interp::divide`). `false` when the constant needs `div`.
    fn div_by_constant(&mut self, sz: Size, rem: bool, d: Reg, v: u64) -> bool {
        use semantics::interp::divide::{Divisor as Dv, Plan};
        let v = if sz == Size::D { v as u32 as u64 } else { v };
        match Dv::new(v).plan() {
            Plan::Pow2 { shift } => {
                if !rem {
                    self.e(Inst::ShiftImm {
                        op: ShiftOp::Shr,
                        size: sz,
                        dst: Rm::Reg(d),
                        imm: shift,
                    });
                } else if shift <= 31 {
                    self.e(Inst::AluImm {
                        op: X::And,
                        size: sz,
                        dst: Rm::Reg(d),
                        imm: (v - 1) as i32,
                    });
                } else {
                    return false;
                }
                true
            }
            Plan::General { m, shift } => {
                // r9 holds the dividend; rax and rdx are saved in r10 and r11.
                self.e(Inst::Push { reg: BUDGET });
                if self.r10_reserved {
                    self.e(Inst::Push { reg: S1 });
                }
                self.mov(Size::Q, S1, Rax);
                self.mov(Size::Q, S2, Rdx);
                self.mov(sz, BUDGET, d);
                self.e(mov_const(Rax, m));
                self.e(Inst::Mul {
                    size: Size::Q,
                    src: Rm::Reg(BUDGET),
                });
                self.mov(Size::Q, Rax, BUDGET);
                self.e(Inst::Alu {
                    op: X::Sub,
                    size: Size::Q,
                    dst: Rm::Reg(Rax),
                    src: Rdx,
                });
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shr,
                    size: Size::Q,
                    dst: Rm::Reg(Rax),
                    imm: 1,
                });
                self.e(Inst::Alu {
                    op: X::Add,
                    size: Size::Q,
                    dst: Rm::Reg(Rax),
                    src: Rdx,
                });
                if shift > 0 {
                    self.e(Inst::ShiftImm {
                        op: ShiftOp::Shr,
                        size: Size::Q,
                        dst: Rm::Reg(Rax),
                        imm: shift,
                    });
                }
                if rem {
                    self.e(mov_const(Rdx, v));
                    self.e(Inst::Imul {
                        size: Size::Q,
                        dst: Rax,
                        src: Rm::Reg(Rdx),
                    });
                    self.e(Inst::Alu {
                        op: X::Sub,
                        size: Size::Q,
                        dst: Rm::Reg(BUDGET),
                        src: Rax,
                    });
                } else {
                    self.mov(Size::Q, BUDGET, Rax);
                }
                self.mov(Size::Q, Rax, S1);
                self.mov(Size::Q, Rdx, S2);
                self.mov(sz, d, BUDGET);
                if self.r10_reserved {
                    self.e(Inst::Pop { reg: S1 });
                }
                self.e(Inst::Pop { reg: BUDGET });
                true
            }
            Plan::Zero | Plan::Large => false,
        }
    }

    fn by_zero(&mut self, sz: Size, rem: bool, d: Reg) {
        if !rem {
            self.e(Inst::Alu {
                op: X::Xor,
                size: Size::D,
                dst: Rm::Reg(d),
                src: d,
            });
        } else if sz == Size::D {
            self.mov(Size::D, d, d);
        }
    }

    fn by_minus_one(&mut self, sz: Size, rem: bool, d: Reg) {
        if rem {
            self.e(Inst::Alu {
                op: X::Xor,
                size: Size::D,
                dst: Rm::Reg(d),
                src: d,
            });
        } else {
            self.e(Inst::Neg {
                size: sz,
                dst: Rm::Reg(d),
            });
        }
    }

    fn div_core(&mut self, sz: Size, signed: bool, rem: bool, d: Reg, r: Reg, checks: bool) {
        if self.r10_reserved {
            self.e(Inst::Push { reg: S1 });
        }
        self.div_body(sz, signed, rem, d, r, checks);
        if self.r10_reserved {
            self.e(Inst::Pop { reg: S1 });
        }
    }

    fn div_body(&mut self, sz: Size, signed: bool, rem: bool, d: Reg, r: Reg, checks: bool) {
        self.mov(Size::Q, S1, Rax);
        self.mov(Size::Q, S2, Rdx);
        let dv = match r {
            Rax => S1,
            Rdx => S2,
            other => other,
        };
        let zero = self.a.label();
        let m1 = self.a.label();
        let done = self.a.label();
        if checks {
            self.e(Inst::Test {
                size: sz,
                a: Rm::Reg(dv),
                b: dv,
            });
            self.a.jcc(Cond::E, zero);
            if signed {
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: sz,
                    dst: Rm::Reg(dv),
                    imm: -1,
                });
                self.a.jcc(Cond::E, m1);
            }
        }
        if d != Rax {
            self.mov(Size::Q, Rax, d);
        }
        if signed {
            self.e(Inst::SignExtendAx { size: sz });
        } else {
            self.e(Inst::Alu {
                op: X::Xor,
                size: Size::D,
                dst: Rm::Reg(Rdx),
                src: Rdx,
            });
        }
        self.e(Inst::Div {
            size: sz,
            signed,
            src: Rm::Reg(dv),
        });
        match d {
            Rax => {
                if rem {
                    self.mov(sz, Rax, Rdx);
                }
                self.mov(Size::Q, Rdx, S2);
            }
            Rdx => {
                if !rem {
                    self.mov(sz, Rdx, Rax);
                }
                self.mov(Size::Q, Rax, S1);
            }
            _ => {
                self.mov(sz, d, if rem { Rdx } else { Rax });
                self.mov(Size::Q, Rax, S1);
                self.mov(Size::Q, Rdx, S2);
            }
        }
        if checks {
            self.a.jmp(done);
            // rax and rdx are untouched on these paths.
            self.a.bind(zero);
            self.by_zero(sz, rem, d);
            if signed {
                self.a.jmp(done);
                self.a.bind(m1);
                self.by_minus_one(sz, rem, d);
            }
        }
        self.a.bind(done);
        if !(checks && signed) {
            // m1 is unused.
            self.a.bind(m1);
        }
    }
}

#[derive(Clone, Copy)]
enum Divisor {
    Reg(Reg),
    Const(u64),
}
