//! The run loops: one `match` per instruction over the pre-decoded [`Op`]s.

use super::memory::{region_base, Fault};
use super::ops::{with_op_table, Op};
use super::{Input, Outcome, Run, Vm, CODE_REGION, PACKET_REGION, STACK_SIZE};
use crate::alu;
use crate::isa::{Atomic, AtomicOp, Width};
use std::rc::Rc;

/// The machine before one instruction, as [`Vm::run_observed`] shows it.
pub struct Observed<'a> {
    pub pc: usize,
    pub regs: &'a [u64; 16],
    /// Call frames below the current one (0 in the main program).
    pub depth: usize,
    /// Tail calls made so far (the code is another program's after one).
    pub tail_calls: u32,
    pub mem: &'a super::Memory,
}

/// A machine state from which [`Vm::step_exact`] goes on (another engine's, handed over).
#[derive(Clone, Debug)]
pub struct Resume {
    /// The program whose code runs (another one than the run's after a tail call).
    pub prog: usize,
    pub regs: [u64; 16],
    pub pc: usize,
    /// Call frames below the current one.
    pub depth: usize,
    pub tail_calls: u32,
}

struct Frame {
    ret: usize,
    callee_saved: [u64; 4],
    r10: u64,
}

/// The program being executed (a tail call replaces it).
#[derive(Clone)]
struct Code {
    /// The program's index in `Vm::progs`.
    prog: usize,
    ops: Rc<[Op]>,
    micro: Rc<[super::runs::Micro]>,
    divisors: Rc<[super::divide::Divisor]>,
    blocks: Rc<[u32]>,
}

impl Code {
    fn of(prog: usize, p: &super::Loaded) -> Code {
        Code {
            prog,
            ops: p.ops.clone(),
            micro: p.micro.clone(),
            divisors: p.divisors.clone(),
            blocks: p.blocks.clone(),
        }
    }
}

/// The machine state of one run, handed from the fast to the exact loop. Each loop keeps it
/// in local variables while it runs.
struct State {
    regs: [u64; 16],
    frames: Vec<Frame>,
    pc: usize,
    /// In the fast loop: instructions executed plus the rest of the current basic block,
    /// which is charged when the block is entered. In the exact loop: instructions executed.
    count: u64,
    code: Code,
    tail_calls: u32,
}

/// Why a loop returned.
enum Exec {
    Done(Outcome),
    /// The fast loop reached a block that would cross the budget; continue exactly.
    Exact,
}

/// What a step off the hot path asks the loop to do.
enum Flow {
    /// Go on with the next instruction of the block.
    Continue,
    /// The block ends; continue at this slot.
    Goto(usize),
    Stop(Outcome),
}

macro_rules! define_loop {
    (alu [ $( ($k64:ident, $x64:ident, $k32:ident, $x32:ident, $f:ident, $a:ident, $mk64:ident, $mx64:ident) ),* $(,)? ]
     jmp [ $( ($jk64:ident, $jx64:ident, $jk32:ident, $jx32:ident, $c:ident, $ajk64:ident, $ajx64:ident) ),* $(,)? ]) => {
        impl Vm {
            /// Runs program `prog` on `input`.
            ///
            /// The instruction budget is kept exactly without a check per instruction: the
            /// fast loop charges a whole basic block when it enters it, and hands over to the
            /// exact loop (one check per instruction) at the first block that would cross the
            /// budget.
            pub fn run(&mut self, prog: usize, input: &Input) -> Run {
                self.run_with(prog, input, None)
            }

            /// Runs program `prog` on `input` one instruction at a time, showing `observe`
            /// the machine before each instruction (for state embedding and tracing).
            pub fn run_observed(&mut self, prog: usize, input: &Input, observe: &mut dyn FnMut(&Observed)) -> Run {
                self.run_with(prog, input, Some(observe))
            }

            fn run_with(&mut self, prog: usize, input: &Input, observe: Option<&mut dyn FnMut(&Observed)>) -> Run {
                let (r1, r2) = self.install(input);
                let Some(p) = self.progs.get(prog) else {
                    return Run { outcome: Outcome::Error { pc: 0, reason: format!("no program {prog}") }, insns: 0 };
                };
                let code = Code::of(prog, p);
                let mut st = State { regs: [0u64; 16], frames: Vec::with_capacity(self.config.max_frames), pc: 0, count: 0, code, tail_calls: 0 };
                self.mem.regions[0].data.fill(0);
                st.regs[1] = r1;
                st.regs[2] = r2;
                st.regs[10] = region_base(0) + STACK_SIZE as u64;
                let first = st.code.blocks.first().copied().unwrap_or(0) as u64;
                let outcome = if let Some(obs) = observe {
                    self.exact(&mut st, obs)
                } else if first <= self.config.budget {
                    st.count = first;
                    match self.exec::<false>(&mut st, &mut |_| {}) {
                        Exec::Done(o) => o,
                        Exec::Exact => self.exact(&mut st, &mut |_| {}),
                    }
                } else {
                    self.exact(&mut st, &mut |_| {})
                };
                Run { outcome, insns: st.count }
            }

            fn exact(&mut self, st: &mut State, obs: &mut dyn FnMut(&Observed)) -> Outcome {
                match self.exec::<true>(st, obs) {
                    Exec::Done(o) => o,
                    Exec::Exact => Outcome::Error { pc: st.pc, reason: "internal: the exact loop asked for itself".into() },
                }
            }

            #[inline(never)]
            fn exec<const EXACT: bool>(&mut self, st: &mut State, obs: &mut dyn FnMut(&Observed)) -> Exec {
                let budget = self.config.budget;
                let mut regs = st.regs;
                let mut frames = std::mem::take(&mut st.frames);
                let mut pc = st.pc;
                let mut count = st.count;
                let mut code = st.code.clone();
                let mut tail_calls = st.tail_calls;
                // Writes the locals back and returns.
                macro_rules! ret {
                    ($e:expr) => {{
                        st.regs = regs;
                        st.frames = frames;
                        st.pc = pc;
                        st.count = count;
                        st.code = code;
                        st.tail_calls = tail_calls;
                        return $e;
                    }};
                }
                macro_rules! r {
                    ($i:expr) => {
                        regs[($i & 15) as usize]
                    };
                }
                // Ends the run because of the instruction at `$at`; the fast loop gives back
                // the uncharged rest of the block.
                macro_rules! stop {
                    ($at:expr, $o:expr) => {{
                        if !EXACT {
                            count = count + 1 - code.blocks[$at] as u64;
                        }
                        ret!(Exec::Done($o));
                    }};
                }
                // Enters the block at `$next`.
                macro_rules! goto {
                    ($next:expr) => {{
                        let next: usize = $next;
                        pc = next;
                        if !EXACT {
                            let c = match code.blocks.get(next) {
                                Some(c) => *c as u64,
                                None => ret!(Exec::Done(Outcome::FellOffEnd { pc: next })),
                            };
                            if count + c > budget {
                                ret!(Exec::Exact);
                            }
                            count += c;
                        }
                    }};
                }
                macro_rules! load {
                    ($at:expr, $d:expr, $s:expr, $off:expr, $n:literal) => {{
                        let addr = r!($s).wrapping_add($off as i64 as u64);
                        match self.mem.load_n::<$n>(addr, $at) {
                            Ok(v) => r!($d) = v,
                            Err(f) => stop!($at, Outcome::Fault(f)),
                        }
                    }};
                }
                macro_rules! store {
                    ($at:expr, $d:expr, $off:expr, $v:expr, $n:literal) => {{
                        let addr = r!($d).wrapping_add($off as i64 as u64);
                        if let Err(f) = self.mem.store_n::<$n>(addr, $v, $at) {
                            stop!($at, Outcome::Fault(f));
                        }
                    }};
                }
                loop {
                    let at = pc;
                    let Some(op) = code.ops.get(at) else { ret!(Exec::Done(Outcome::FellOffEnd { pc: at })) };
                    if EXACT {
                        if count >= budget {
                            ret!(Exec::Done(Outcome::BudgetExhausted { pc: at }));
                        }
                        count += 1;
                        obs(&Observed { pc: at, regs: &regs, depth: frames.len(), tail_calls, mem: &self.mem });
                    }
                    pc = at + 1;
                    match *op {
                        $(
                            Op::$k64(d, k) => r!(d) = alu::$f::<u64>(&r!(d), &k),
                            Op::$x64(d, s) => r!(d) = alu::$f::<u64>(&r!(d), &r!(s)),
                            Op::$k32(d, k) => r!(d) = alu::$f::<u32>(&(r!(d) as u32), &k) as u64,
                            Op::$x32(d, s) => r!(d) = alu::$f::<u32>(&(r!(d) as u32), &(r!(s) as u32)) as u64,
                            // A fused move and ALU instruction; the exact loop does the move
                            // only and lets the next slot count and run the second one.
                            Op::$mk64(d, s, k) => {
                                if EXACT {
                                    r!(d) = r!(s);
                                } else {
                                    r!(d) = alu::$f::<u64>(&r!(s), &k);
                                    pc = at + 2;
                                }
                            }
                            Op::$mx64(d, s, t) => {
                                if EXACT {
                                    r!(d) = r!(s);
                                } else {
                                    r!(d) = alu::$f::<u64>(&r!(s), &r!(t));
                                    pc = at + 2;
                                }
                            }
                        )*
                        $(
                            Op::$jk64(d, k, t) => {
                                let taken = alu::cond::<u64>(crate::isa::JmpCond::$c, &r!(d), &k);
                                goto!(if taken { t as usize } else { at + 1 });
                            }
                            Op::$jx64(d, s, t) => {
                                let taken = alu::cond::<u64>(crate::isa::JmpCond::$c, &r!(d), &r!(s));
                                goto!(if taken { t as usize } else { at + 1 });
                            }
                            Op::$jk32(d, k, t) => {
                                let taken = alu::cond::<u32>(crate::isa::JmpCond::$c, &(r!(d) as u32), &k);
                                goto!(if taken { t as usize } else { at + 1 });
                            }
                            Op::$jx32(d, s, t) => {
                                let taken = alu::cond::<u32>(crate::isa::JmpCond::$c, &(r!(d) as u32), &(r!(s) as u32));
                                goto!(if taken { t as usize } else { at + 1 });
                            }
                            // A fused add and jump; the exact loop does the add only and lets
                            // the next slot count and run the jump.
                            Op::$ajk64(d, k, c, t) => {
                                r!(d) = alu::add::<u64>(&r!(d), &(k as i64 as u64));
                                if !EXACT {
                                    let taken = alu::cond::<u64>(crate::isa::JmpCond::$c, &r!(d), &(c as i64 as u64));
                                    goto!(if taken { t as usize } else { at + 2 });
                                }
                            }
                            Op::$ajx64(d, k, s, t) => {
                                r!(d) = alu::add::<u64>(&r!(d), &(k as i64 as u64));
                                if !EXACT {
                                    let taken = alu::cond::<u64>(crate::isa::JmpCond::$c, &r!(d), &r!(s));
                                    goto!(if taken { t as usize } else { at + 2 });
                                }
                            }
                        )*
                        Op::MovK64(d, k) => r!(d) = k,
                        Op::DivConst64(d, i) => r!(d) = code.divisors[i as usize].div(r!(d)),
                        Op::MovDivConst64(d, s, i) => {
                            if EXACT {
                                r!(d) = r!(s);
                            } else {
                                r!(d) = code.divisors[i as usize].div(r!(s));
                                pc = at + 2;
                            }
                        }
                        Op::MovModConst64(d, s, i) => {
                            if EXACT {
                                r!(d) = r!(s);
                            } else {
                                r!(d) = code.divisors[i as usize].rem(r!(s));
                                pc = at + 2;
                            }
                        }
                        Op::ModConst64(d, i) => r!(d) = code.divisors[i as usize].rem(r!(d)),
                        Op::DivConst32(d, i) => r!(d) = code.divisors[i as usize].div(r!(d) as u32 as u64),
                        Op::ModConst32(d, i) => r!(d) = code.divisors[i as usize].rem(r!(d) as u32 as u64),
                        Op::Lddw(d, k) => {
                            r!(d) = k;
                            pc = at + 2;
                        }
                        Op::MovX64(d, s) => r!(d) = r!(s),
                        Op::MovK32(d, k) => r!(d) = k as u64,
                        Op::MovX32(d, s) => r!(d) = r!(s) as u32 as u64,
                        Op::MovSx64(d, s, bits) => r!(d) = alu::sext::<u64>(&r!(s), bits as u32),
                        Op::MovSx32(d, s, bits) => r!(d) = alu::sext::<u32>(&(r!(s) as u32), bits as u32) as u64,
                        Op::Neg64(d) => r!(d) = alu::neg::<u64>(&r!(d)),
                        Op::Neg32(d) => r!(d) = alu::neg::<u32>(&(r!(d) as u32)) as u64,
                        Op::End(d, kind, bits) => r!(d) = alu::end::<u64>(kind, bits as u32, &r!(d)),
                        Op::Ja(t) => goto!(t as usize),
                        Op::LdxB(d, s, off) => load!(at, d, s, off, 1),
                        Op::LdxH(d, s, off) => load!(at, d, s, off, 2),
                        Op::LdxW(d, s, off) => load!(at, d, s, off, 4),
                        Op::LdxDW(d, s, off) => load!(at, d, s, off, 8),
                        Op::StxB(d, off, s) => store!(at, d, off, r!(s), 1),
                        Op::StxH(d, off, s) => store!(at, d, off, r!(s), 2),
                        Op::StxW(d, off, s) => store!(at, d, off, r!(s), 4),
                        Op::StxDW(d, off, s) => store!(at, d, off, r!(s), 8),
                        Op::LdxSx(d, s, off, size) => {
                            let addr = r!(s).wrapping_add(off as i64 as u64);
                            match self.mem.load(addr, size as usize, at) {
                                Ok(v) => r!(d) = alu::sext::<u64>(&v, 8 * size as u32),
                                Err(f) => stop!(at, Outcome::Fault(f)),
                            }
                        }
                        Op::St(d, off, k, size) => {
                            let addr = r!(d).wrapping_add(off as i64 as u64);
                            if let Err(f) = self.mem.store(addr, size as usize, k, at) {
                                stop!(at, Outcome::Fault(f));
                            }
                        }
                        Op::Exit => match frames.pop() {
                            None => stop!(at, Outcome::Exit(r!(0))),
                            Some(fr) => {
                                regs[6..10].copy_from_slice(&fr.callee_saved);
                                regs[10] = fr.r10;
                                goto!(fr.ret);
                            }
                        },
                        Op::AluRun(first, len) => {
                            let run = &code.micro[first as usize..first as usize + len as usize];
                            if !EXACT {
                                for m in run {
                                    super::runs::eval(m, &mut regs);
                                }
                            } else {
                                let mut stopped = None;
                                for (i, m) in run.iter().enumerate() {
                                    if i > 0 {
                                        if count >= budget {
                                            stopped = Some(at + i);
                                            break;
                                        }
                                        count += 1;
                                        // Each instruction of the run is shown on its own.
                                        obs(&Observed { pc: at + i, regs: &regs, depth: frames.len(), tail_calls, mem: &self.mem });
                                    }
                                    super::runs::eval(m, &mut regs);
                                }
                                if let Some(p) = stopped {
                                    pc = p;
                                    ret!(Exec::Done(Outcome::BudgetExhausted { pc: p }));
                                }
                            }
                            pc = at + len as usize;
                        }
                        Op::CallLocal(t) => {
                            if let Err(o) = self.push_frame(&mut frames, &mut regs, at + 1, at) {
                                stop!(at, o);
                            }
                            goto!(t as usize);
                        }
                        other => match self.slow_step(other, at, &mut regs, &mut frames, &mut code, &mut tail_calls) {
                            Flow::Continue => {}
                            Flow::Goto(t) => goto!(t),
                            Flow::Stop(o) => stop!(at, o),
                        },
                    }
                }
            }
        }
    };
}
with_op_table!(define_loop);

impl Vm {
    /// Executes at most `n` instructions from the state `st` with the exact loop, and
    /// returns how many ran and, if the run ended, its outcome; otherwise `st` holds the
    /// state before the next instruction. For other engines, which hand over the
    /// instructions they leave to the interpreter: memory accesses they could not do
    /// themselves, helper and tail calls, and the last instructions before the budget runs
    /// out. The instructions stepped must not return from or make a bpf-to-bpf call (the
    /// frames below `st.depth` are not known here).
    pub fn step_exact(&mut self, st: &mut Resume, n: u64) -> (u64, Option<Outcome>) {
        let Some(p) = self.progs.get(st.prog) else {
            return (
                0,
                Some(Outcome::Error {
                    pc: st.pc,
                    reason: format!("no program {}", st.prog),
                }),
            );
        };
        let frames = (0..st.depth)
            .map(|_| Frame {
                ret: usize::MAX,
                callee_saved: [0; 4],
                r10: 0,
            })
            .collect();
        let mut state = State {
            regs: st.regs,
            frames,
            pc: st.pc,
            count: 0,
            code: Code::of(st.prog, p),
            tail_calls: st.tail_calls,
        };
        let budget = std::mem::replace(&mut self.config.budget, n);
        let outcome = self.exact(&mut state, &mut |_| {});
        self.config.budget = budget;
        st.regs = state.regs;
        st.pc = state.pc;
        st.prog = state.code.prog;
        st.tail_calls = state.tail_calls;
        let ended = match outcome {
            Outcome::BudgetExhausted { pc } if state.count == n && pc == state.pc => None,
            o => Some(o),
        };
        (state.count, ended)
    }

    fn push_frame(
        &mut self,
        frames: &mut Vec<Frame>,
        regs: &mut [u64; 16],
        ret: usize,
        at: usize,
    ) -> Result<(), Outcome> {
        if frames.len() + 1 >= self.config.max_frames.min(8) {
            return Err(Outcome::CallDepthExceeded { pc: at });
        }
        let mut saved = [0u64; 4];
        saved.copy_from_slice(&regs[6..10]);
        frames.push(Frame {
            ret,
            callee_saved: saved,
            r10: regs[10],
        });
        let depth = frames.len();
        self.mem.regions[depth].data.fill(0);
        regs[10] = region_base(depth) + STACK_SIZE as u64;
        Ok(())
    }

    /// Instructions off the hot path: atomics, legacy packet loads, calls.
    fn slow_step(
        &mut self,
        op: Op,
        at: usize,
        regs: &mut [u64; 16],
        frames: &mut Vec<Frame>,
        code: &mut Code,
        tail_calls: &mut u32,
    ) -> Flow {
        match op {
            Op::Atomic(width, aop, d, s, off) => {
                let addr = regs[d as usize & 15].wrapping_add(off as i64 as u64);
                match self.atomic(width, aop, addr, s, regs, at) {
                    Ok(()) => Flow::Continue,
                    Err(f) => Flow::Stop(Outcome::Fault(f)),
                }
            }
            Op::LdAbs(size, imm) => self.ld_packet(size, imm as i64 as u64, regs),
            Op::LdInd(size, s, imm) => {
                let off = regs[s as usize & 15].wrapping_add(imm as i64 as u64);
                self.ld_packet(size, off, regs)
            }
            Op::Call(n) => {
                let r = &*regs;
                let args = [r[1], r[2], r[3], r[4], r[5]];
                match crate::helpers::call(self, n as i32, args, at) {
                    Ok(v) => {
                        regs[0] = v;
                        Flow::Goto(at + 1)
                    }
                    Err(o) => Flow::Stop(o),
                }
            }
            Op::CallX(r) => {
                let v = regs[r as usize & 15];
                let base = region_base(CODE_REGION);
                if v >= base && v < base + code.ops.len() as u64 * 8 && (v - base) % 8 == 0 {
                    if let Err(o) = self.push_frame(frames, regs, at + 1, at) {
                        return Flow::Stop(o);
                    }
                    return Flow::Goto(((v - base) / 8) as usize);
                }
                // bpf_conformance's convention: a small value is a helper number.
                if v < 1 << 31 && crate::helpers::implemented(v as i32) && v != 12 {
                    return self.slow_step(Op::Call(v as u32), at, regs, frames, code, tail_calls);
                }
                Flow::Stop(Outcome::Error {
                    pc: at,
                    reason: format!(
                        "indirect call to {v:#x}, which is neither a function nor a helper"
                    ),
                })
            }
            Op::TailCall => {
                regs[0] = (-super::mapstate::errno::ENOENT) as u64;
                if !frames.is_empty() || *tail_calls >= self.config.max_tail_calls {
                    return Flow::Goto(at + 1);
                }
                let Some(map) = self.map_at(regs[2]) else {
                    return Flow::Goto(at + 1);
                };
                let idx = regs[3] as u32;
                let Some(&prog) = self.maps[map as usize].progs.get(&idx) else {
                    return Flow::Goto(at + 1);
                };
                let Some(p) = self.progs.get(prog) else {
                    return Flow::Goto(at + 1);
                };
                *tail_calls += 1;
                *code = Code::of(prog, p);
                Flow::Goto(0)
            }
            Op::Pad => Flow::Stop(Outcome::Error {
                pc: at,
                reason: "executed the second slot of an LD_IMM64".into(),
            }),
            // Every other op is handled by the fast path.
            _ => Flow::Stop(Outcome::Error {
                pc: at,
                reason: format!("internal: {op:?} reached the slow path"),
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn atomic(
        &mut self,
        width: Width,
        aop: Atomic,
        addr: u64,
        s: u8,
        regs: &mut [u64; 16],
        at: usize,
    ) -> Result<(), Fault> {
        let size = if width == Width::W64 { 8 } else { 4 };
        let old = self.mem.load(addr, size, at)?;
        // The region must be writable even where the value does not change.
        self.mem.locate(addr, size, true, at)?;
        let src = regs[s as usize & 15];
        let trunc = |v: u64| if size == 4 { v as u32 as u64 } else { v };
        let (new, fetched) = match aop {
            Atomic::Rmw { op, fetch } => {
                let v = match op {
                    AtomicOp::Add => alu::add::<u64>(&old, &src),
                    AtomicOp::Or => alu::or::<u64>(&old, &src),
                    AtomicOp::And => alu::and::<u64>(&old, &src),
                    AtomicOp::Xor => alu::xor::<u64>(&old, &src),
                };
                (v, fetch.then_some(s))
            }
            Atomic::Xchg => (src, Some(s)),
            Atomic::Cmpxchg => {
                let r0 = trunc(regs[0]);
                let new = if r0 == old { src } else { old };
                self.mem.store(addr, size, new, at)?;
                regs[0] = old;
                return Ok(());
            }
        };
        self.mem.store(addr, size, new, at)?;
        if let Some(r) = fetched {
            regs[r as usize & 15] = old;
        }
        Ok(())
    }

    /// LD_ABS/LD_IND: a big-endian load from the packet; out of bounds ends the program with
    /// r0 = 0, as in the kernel.
    fn ld_packet(&mut self, size: u8, off: u64, regs: &mut [u64; 16]) -> Flow {
        let data = self.packet();
        let size = size as usize;
        let ok = off
            .checked_add(size as u64)
            .is_some_and(|e| e <= data.len() as u64);
        if !ok || (self.packet_region == PACKET_REGION && data.is_empty()) {
            return Flow::Stop(Outcome::Exit(0));
        }
        let b = &data[off as usize..off as usize + size];
        regs[0] = b.iter().fold(0u64, |a, x| (a << 8) | *x as u64);
        Flow::Continue
    }
}
