//! Lowering of BPF instructions to x86-64.
//!
//! Register mapping (the kernel JIT's): r0 rax, r1 rdi, r2 rsi, r3 rdx, r4 rcx, r5 r8, r6 rbx,
//! r7 r13, r8 r14, r9 r15, r10 rbp. r12 holds the context block ([`crate::runtime::Ctx`]), r9
//! the remaining instruction budget, r11 is scratch, and r10 is scratch or, in trusted code,
//! the offset of the packet or of the input buffer.
//!
//! Pointers keep the interpreter's synthetic addresses (region `i` at `(i + 1) << 32`), so that
//! every value a program sees is the interpreter's. A memory access translates the address
//! through the context's tables; what the fast path cannot do (a check fails, a context field
//! that reads as another value, a freed region) goes to the interpreter, which produces the
//! exact outcome.
//!
//! The budget is kept as the interpreter's fast loop keeps it: a segment (a basic block, split
//! where a jump lands inside it, joined with the block after a forward conditional jump) is
//! charged when it is entered; when the budget cannot pay, the interpreter runs the segment
//! one instruction at a time. Counted loops also get a copy without budget tests, entered when
//! the budget covers every iteration the counter allows.

use crate::asm::{Asm, Label};
use crate::runtime::{self, Offsets, CAP};
use crate::x86::{mov_const, AluOp as X, Cond, Inst, LockOp, Mem, Reg, Rm, Scale, ShiftOp, Size};
use crate::Mode;
use semantics::isa::{AluOp, Atomic, AtomicOp, Call, EndKind, Instruction, JmpCond, Source, Width};
use Reg::*;

mod analysis;
mod arith;
mod mem;
mod stubs;

pub use analysis::{counted_loops, input_derived, CountedLoop};
pub use stubs::{shared, Shared};

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

/// How `Lower::unrolled` unrolls a loop: the counter's change, and the reduction if any.
struct UnrollPlan {
    inc: usize,
    reduction: Option<usize>,
}

/// The registers an instruction reads or writes (bit `i` for r`i`).
fn writes_or_reads(ins: &Instruction) -> u16 {
    let (u, d) = ins.uses_defs();
    u | d
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
    /// Counted loops given an unchecked copy, and how many of the copies are unrolled.
    pub loop_copies: usize,
    pub unrolled_loops: usize,
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
    /// While emitting an unrolled loop: the counter register and how far its value is ahead
    /// of the register (memory accesses through it add this to their offset).
    ahead: Option<(u8, i32)>,
    cold: Vec<Cold>,
}

impl<'a> Lower<'a> {
    #[allow(clippy::too_many_arguments)]
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
            ahead: None,
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
            if let Some(t) = ins.jump_target(pc).or(ins.function_target(pc)) {
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
            let ends = ins.ends_block();
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
        // Past the end (the last instruction may fall through to here, so this comes before
        // the unchecked copies).
        if let Some(l) = entries[nslots] {
            self.a.bind(l);
        }
        self.e(mov_const(S2, nslots as u64));
        self.a.call(self.s.fell_off);
        self.e(Inst::Ud2);
        // The unchecked copies: the same code and charges without the budget test, entered
        // only when the budget covers every iteration the loop can make.
        let loop_copies = versioned.len();
        let mut unrolled_loops = 0;
        for (lp, _, u) in &versioned {
            let body: Vec<(usize, Instruction)> = insns
                .iter()
                .copied()
                .filter(|(pc, _)| *pc >= lp.head && *pc <= lp.latch)
                .collect();
            if let Some(plan) = self.unroll_plan(lp, &body) {
                let copy = u[lp.head].expect("copy label");
                self.unrolled(
                    lp,
                    &body,
                    &plan,
                    copy,
                    entries[lp.latch + 1],
                    &entries,
                    &imm,
                );
                unrolled_loops += 1;
                continue;
            }
            // The copy is entered by a jump only: align its head to 64 bytes with filler that
            // never runs.
            while !self.a.buf.len().is_multiple_of(64) {
                self.e(Inst::Ud2);
                if self.a.buf.len() % 64 == 63 {
                    self.e(Inst::Ret);
                }
            }
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
        while !self.cold.is_empty() {
            for c in std::mem::take(&mut self.cold) {
                self.cold_code(c);
            }
        }
        Lowered {
            entries,
            seg,
            rest,
            loop_copies,
            unrolled_loops,
        }
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
        // A `<` (`>`) loop whose counter is not below (above) its limit: the subtraction
        // borrowed, and the count above is not the loop's; the checked code.
        if !lp.ne {
            self.a.jcc(Cond::B, checked);
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

    /// Whether a counted loop's unchecked copy can be unrolled by four: counting up by one to
    /// a limit with `<` or `!=`; every instruction an ALU instruction other than a division
    /// (which needs scratch registers), an LD_IMM64, a load or store that compiles without a
    /// slow path, or an exit (a conditional jump forward out of the loop, before the
    /// counter's change); the counter used only as a memory base besides its change and the
    /// latch. Such a loop runs `limit - counter` iterations unless an exit leaves it, and
    /// nothing in it can stop the run. Optionally one `a += b` whose `a` nothing else in the
    /// loop touches is a reduction, summed in two registers.
    fn unroll_plan(&self, lp: &CountedLoop, body: &[(usize, Instruction)]) -> Option<UnrollPlan> {
        if !lp.up || lp.insns < 2 {
            return None;
        }
        let Instruction::Jmp { cond, .. } = body.last()?.1 else {
            return None;
        };
        if !matches!(cond, JmpCond::Lt | JmpCond::Ne) {
            return None;
        }
        let c = lp.counter;
        let bit = |r: semantics::isa::Reg| 1u16 << r.num();
        let mut inc = None;
        let mut reduction = None;
        for &(pc, ins) in &body[..body.len() - 1] {
            let reads_c = match ins {
                Instruction::Alu { dst, src, .. } => {
                    dst.num() == c || matches!(src, Source::Reg(r) if r.num() == c)
                }
                Instruction::Neg { dst, .. } | Instruction::End { dst, .. } => dst.num() == c,
                Instruction::LdImm64 { dst, .. } => dst.num() == c,
                Instruction::Load {
                    dst,
                    src,
                    off,
                    size,
                    ..
                } => {
                    if dst.num() == c || !self.direct_access(pc, src.num(), off, size.bytes()) {
                        return None;
                    }
                    false
                }
                Instruction::Store {
                    dst,
                    src,
                    off,
                    size,
                } => {
                    if matches!(src, Source::Reg(r) if r.num() == c)
                        || !self.direct_access(pc, dst.num(), off, size.bytes())
                    {
                        return None;
                    }
                    false
                }
                // An exit: a forward jump out of the loop, before the counter's change,
                // comparing registers other than the counter.
                Instruction::Jmp { dst, src, .. } => {
                    if ins.jump_target(pc).is_none_or(|t| t <= lp.latch)
                        || inc.is_some()
                        || dst.num() == c
                        || matches!(src, Source::Reg(r) if r.num() == c)
                    {
                        return None;
                    }
                    false
                }
                _ => return None,
            };
            if let Instruction::Alu {
                op: AluOp::Div | AluOp::Mod | AluOp::Sdiv | AluOp::Smod,
                ..
            } = ins
            {
                return None;
            }
            if reads_c {
                if inc.is_some() {
                    return None;
                }
                if !matches!(
                    ins,
                    Instruction::Alu {
                        width: Width::W64,
                        op: AluOp::Add,
                        src: Source::Imm(1),
                        ..
                    } | Instruction::Alu {
                        width: Width::W64,
                        op: AluOp::Sub,
                        src: Source::Imm(-1),
                        ..
                    }
                ) {
                    return None;
                }
                inc = Some(pc);
            }
            if let Instruction::Alu {
                width: Width::W64,
                op: AluOp::Add,
                dst,
                src: Source::Reg(r),
            } = ins
            {
                let touches = body
                    .iter()
                    .filter(|(q, i)| *q != pc && (writes_or_reads(i) & bit(dst)) != 0)
                    .count();
                if touches == 0 && r.num() != dst.num() && dst.num() != c && reduction.is_none() {
                    reduction = Some(pc);
                }
            }
        }
        // Stack accesses use r11 for the frame's address, which the second sum needs.
        let frame = body.iter().any(|(_, i)| match i {
            Instruction::Load { src, .. } => src.num() == 10,
            Instruction::Store { dst, .. } => dst.num() == 10,
            _ => false,
        });
        Some(UnrollPlan {
            inc: inc?,
            reduction: if frame { None } else { reduction },
        })
    }

    /// The unrolled unchecked copy (see `unroll_plan`), entered from `loop_check` with r11 =
    /// the loop's whole cost, which it pays at once; r9 counts the iterations left meanwhile
    /// (the budget waits in the context block) and r11 holds the second sum. An exit taken
    /// in the `k`th iteration of a group goes through a stub that adds the second sum to the
    /// first, brings the counter's register up to date, and gives back what the loop did
    /// not run: with `n` iterations left at the group's start, `i` instructions per
    /// iteration and the exit the `p`th instruction of the body (from 0), the budget is
    /// the one saved plus `(n - k) * i - (p + 1)`.
    #[allow(clippy::too_many_arguments)]
    fn unrolled(
        &mut self,
        lp: &CountedLoop,
        body: &[(usize, Instruction)],
        plan: &UnrollPlan,
        copy: Label,
        exit: Option<Label>,
        entries: &[Option<Label>],
        imm: &dyn Fn(usize) -> u64,
    ) {
        let c = MAP[lp.counter as usize];
        let limit_minus_counter = |me: &mut Self| {
            match lp.limit {
                Source::Imm(k) => me.e(mov_const(BUDGET, k as i64 as u64)),
                Source::Reg(r) => me.mov(Size::Q, BUDGET, x(r)),
            }
            me.e(Inst::Alu {
                op: X::Sub,
                size: Size::Q,
                dst: Rm::Reg(BUDGET),
                src: c,
            });
        };
        self.a.bind(copy);
        self.e(Inst::Alu {
            op: X::Sub,
            size: Size::Q,
            dst: Rm::Reg(BUDGET),
            src: S2,
        });
        self.e(Inst::Mov {
            size: Size::Q,
            dst: Rm::Mem(ctx(Offsets::LOOP_BUDGET)),
            src: BUDGET,
        });
        if plan.reduction.is_some() {
            self.e(Inst::Alu {
                op: X::Xor,
                size: Size::D,
                dst: Rm::Reg(S2),
                src: S2,
            });
        }
        const FACTOR: i32 = 4;
        let group = self.a.label();
        let rem = self.a.label();
        let done = self.a.label();
        // r9 = iterations left (1 ..= 2^31 here).
        limit_minus_counter(self);
        self.e(Inst::AluImm {
            op: X::Cmp,
            size: Size::Q,
            dst: Rm::Reg(BUDGET),
            imm: FACTOR,
        });
        self.a.jcc(Cond::B, rem);
        self.a.bind(group);
        // The exits' stubs: (label, iteration in the group, position in the body, target).
        let mut exits: Vec<(Label, i32, usize, usize)> = Vec::new();
        let mut targets = entries.to_vec();
        for k in 0..FACTOR {
            for &(pc, ins) in &body[..body.len() - 1] {
                let before = pc < plan.inc;
                // The counter's lag: iteration k sees it k (before its change) or k + 1
                // (after) ahead of the register, until the last one adds them all.
                let lag = if before { k } else { k + 1 };
                self.ahead = (lag > 0 && (before || k != FACTOR - 1)).then_some((lp.counter, lag));
                if pc == plan.inc {
                    if k == FACTOR - 1 {
                        self.e(Inst::AluImm {
                            op: X::Add,
                            size: Size::Q,
                            dst: Rm::Reg(c),
                            imm: FACTOR,
                        });
                    }
                    continue;
                }
                if k % 2 == 1 && Some(pc) == plan.reduction {
                    if let Instruction::Alu {
                        src: Source::Reg(r),
                        ..
                    } = ins
                    {
                        self.e(Inst::Alu {
                            op: X::Add,
                            size: Size::Q,
                            dst: Rm::Reg(S2),
                            src: x(r),
                        });
                    }
                    continue;
                }
                self.body_insn(pc, ins, imm(pc), k, &mut exits, &mut targets, entries);
            }
        }
        self.ahead = None;
        limit_minus_counter(self);
        self.e(Inst::AluImm {
            op: X::Cmp,
            size: Size::Q,
            dst: Rm::Reg(BUDGET),
            imm: FACTOR,
        });
        self.a.jcc(Cond::Ae, group);
        // The rest, one iteration at a time.
        self.a.bind(rem);
        self.e(Inst::Test {
            size: Size::Q,
            a: Rm::Reg(BUDGET),
            b: BUDGET,
        });
        self.a.jcc(Cond::E, done);
        for &(pc, ins) in &body[..body.len() - 1] {
            self.body_insn(pc, ins, imm(pc), 0, &mut exits, &mut targets, entries);
        }
        self.e(Inst::AluImm {
            op: X::Sub,
            size: Size::Q,
            dst: Rm::Reg(BUDGET),
            imm: 1,
        });
        self.a.jmp(rem);
        self.a.bind(done);
        self.fold_reduction(body, plan);
        self.e(Inst::Load {
            size: Size::Q,
            dst: BUDGET,
            src: ctx(Offsets::LOOP_BUDGET),
        });
        if let Some(l) = exit {
            self.a.jmp(l);
        }
        for (label, k, at, target) in exits {
            self.a.bind(label);
            let pos = body
                .iter()
                .position(|(q, _)| *q == at)
                .expect("an exit is in the body");
            self.fold_reduction(body, plan);
            self.e(Inst::Load {
                size: Size::Q,
                dst: S2,
                src: ctx(Offsets::LOOP_BUDGET),
            });
            self.e(Inst::ImulImm {
                size: Size::Q,
                dst: BUDGET,
                src: Rm::Reg(BUDGET),
                imm: lp.insns as i32,
            });
            self.e(Inst::Alu {
                op: X::Add,
                size: Size::Q,
                dst: Rm::Reg(BUDGET),
                src: S2,
            });
            self.e(Inst::AluImm {
                op: X::Sub,
                size: Size::Q,
                dst: Rm::Reg(BUDGET),
                imm: k * lp.insns as i32 + pos as i32 + 1,
            });
            if k > 0 {
                self.e(Inst::AluImm {
                    op: X::Add,
                    size: Size::Q,
                    dst: Rm::Reg(c),
                    imm: k,
                });
            }
            self.a
                .jmp(entries[target].expect("every jump target has an entry"));
        }
    }

    /// Adds the second sum (r11) of an unrolled copy's reduction to the first.
    fn fold_reduction(&mut self, body: &[(usize, Instruction)], plan: &UnrollPlan) {
        let Some(pc) = plan.reduction else { return };
        if let Some((_, Instruction::Alu { dst, .. })) = body.iter().find(|(q, _)| *q == pc) {
            self.e(Inst::Alu {
                op: X::Add,
                size: Size::Q,
                dst: Rm::Reg(x(*dst)),
                src: S2,
            });
        }
    }

    /// One instruction of an unrolled copy, in the `k`th iteration of a group: an exit
    /// jumps to a new stub, recorded in `exits`; `targets` is scratch space for `insn`.
    #[allow(clippy::too_many_arguments)]
    fn body_insn(
        &mut self,
        pc: usize,
        ins: Instruction,
        imm64: u64,
        k: i32,
        exits: &mut Vec<(Label, i32, usize, usize)>,
        targets: &mut [Option<Label>],
        entries: &[Option<Label>],
    ) {
        if let (Instruction::Jmp { .. }, Some(t)) = (ins, ins.jump_target(pc)) {
            let stub = self.a.label();
            exits.push((stub, k, pc, t));
            targets[t] = Some(stub);
            self.insn(pc, ins, imm64, targets, 0);
            targets[t] = entries[t];
        } else {
            self.insn(pc, ins, imm64, targets, 0);
        }
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
                let t = ins.jump_target(pc).expect("a jump has a target");
                self.a.jmp(goto(t));
            }
            Instruction::Jmp {
                width,
                cond,
                dst,
                src,
                ..
            } => {
                let t = ins.jump_target(pc).expect("a jump has a target");
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
            Instruction::Call(Call::Local(_)) => {
                let t = ins.function_target(pc).expect("a local call has a target");
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

    /// Saves r6-r10, enters a new frame (depth, r10, the frame's stack zeroed). Uses r11
    /// only (r10 may hold the packet's offset).
    fn push_frame(&mut self) {
        for r in [Rbx, R13, R14, R15, Rbp] {
            self.e(Inst::Push { reg: r });
        }
        self.move_depth(X::Add);
        // r10 = region_base(depth) + 512 = ((depth + 1) << 32) + 512 (r11 = depth here).
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
        self.set_frame();
        self.a.call(self.s.zero_frame);
    }

    /// Restores r6-r10 and returns to the caller's frame.
    fn pop_frame(&mut self) {
        for r in [Rbp, R15, R14, R13, Rbx] {
            self.e(Inst::Pop { reg: r });
        }
        self.move_depth(X::Sub);
        self.set_frame();
    }

    /// The call depth one up (`X::Add`) or down (`X::Sub`), left in r11 too.
    fn move_depth(&mut self, op: X) {
        self.e(Inst::Load {
            size: Size::Q,
            dst: S2,
            src: ctx(Offsets::DEPTH),
        });
        self.e(Inst::AluImm {
            op,
            size: Size::Q,
            dst: Rm::Reg(S2),
            imm: 1,
        });
        self.e(Inst::Mov {
            size: Size::Q,
            dst: Rm::Mem(ctx(Offsets::DEPTH)),
            src: S2,
        });
    }

    /// The current frame's host stack address (of depth r11) into the context block.
    fn set_frame(&mut self) {
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
}
