//! The run loop: one `match` per instruction over the pre-decoded [`Op`]s.

use super::memory::{region_base, Fault, FaultKind};
use super::ops::{with_op_table, Op};
use super::{Input, Outcome, Run, Vm, CODE_REGION, PACKET_REGION, STACK_SIZE};
use crate::alu;
use crate::isa::{Atomic, AtomicOp, Width};
use std::rc::Rc;

struct Frame {
    ret: usize,
    callee_saved: [u64; 4],
    r10: u64,
}

/// What a step that leaves the fast path asks the loop to do.
enum Flow {
    Continue,
    Jump(usize),
    Stop(Outcome),
}

macro_rules! define_loop {
    (alu [ $( ($k64:ident, $x64:ident, $k32:ident, $x32:ident, $f:ident, $a:ident) ),* $(,)? ]
     jmp [ $( ($jk64:ident, $jx64:ident, $jk32:ident, $jx32:ident, $c:ident) ),* $(,)? ]) => {
        impl Vm {
            /// Runs program `prog` on `input`.
            pub fn run(&mut self, prog: usize, input: &Input) -> Run {
                let (r1, r2) = self.install(input);
                let Some(p) = self.progs.get(prog) else {
                    return Run { outcome: Outcome::Error { pc: 0, reason: format!("no program {prog}") }, insns: 0 };
                };
                let mut ops: Rc<[Op]> = p.ops.clone();
                self.mem.regions[0].data.fill(0);
                let mut regs = [0u64; 16];
                regs[1] = r1;
                regs[2] = r2;
                regs[10] = region_base(0) + STACK_SIZE as u64;
                let mut frames: Vec<Frame> = Vec::with_capacity(self.config.max_frames);
                let budget = self.config.budget;
                let mut tail_calls = 0u32;
                let mut count = 0u64;
                let mut pc = 0usize;
                macro_rules! r {
                    ($i:expr) => {
                        regs[($i & 15) as usize]
                    };
                }
                macro_rules! stop {
                    ($o:expr) => {
                        return Run { outcome: $o, insns: count }
                    };
                }
                loop {
                    let Some(&op) = ops.get(pc) else { stop!(Outcome::FellOffEnd { pc }) };
                    if count >= budget {
                        stop!(Outcome::BudgetExhausted { pc });
                    }
                    count += 1;
                    let at = pc;
                    pc += 1;
                    match op {
                        $(
                            Op::$k64(d, k) => r!(d) = alu::$f::<u64>(&r!(d), &k),
                            Op::$x64(d, s) => r!(d) = alu::$f::<u64>(&r!(d), &r!(s)),
                            Op::$k32(d, k) => r!(d) = alu::$f::<u32>(&(r!(d) as u32), &k) as u64,
                            Op::$x32(d, s) => r!(d) = alu::$f::<u32>(&(r!(d) as u32), &(r!(s) as u32)) as u64,
                        )*
                        $(
                            Op::$jk64(d, k, t) => {
                                if alu::cond::<u64>(crate::isa::JmpCond::$c, &r!(d), &k) {
                                    pc = t as usize;
                                }
                            }
                            Op::$jx64(d, s, t) => {
                                if alu::cond::<u64>(crate::isa::JmpCond::$c, &r!(d), &r!(s)) {
                                    pc = t as usize;
                                }
                            }
                            Op::$jk32(d, k, t) => {
                                if alu::cond::<u32>(crate::isa::JmpCond::$c, &(r!(d) as u32), &k) {
                                    pc = t as usize;
                                }
                            }
                            Op::$jx32(d, s, t) => {
                                if alu::cond::<u32>(crate::isa::JmpCond::$c, &(r!(d) as u32), &(r!(s) as u32)) {
                                    pc = t as usize;
                                }
                            }
                        )*
                        Op::MovK64(d, k) => r!(d) = k,
                        Op::Lddw(d, k) => {
                            r!(d) = k;
                            pc += 1;
                        }
                        Op::MovX64(d, s) => r!(d) = r!(s),
                        Op::MovK32(d, k) => r!(d) = k as u64,
                        Op::MovX32(d, s) => r!(d) = r!(s) as u32 as u64,
                        Op::MovSx64(d, s, bits) => r!(d) = alu::sext::<u64>(&r!(s), bits as u32),
                        Op::MovSx32(d, s, bits) => r!(d) = alu::sext::<u32>(&(r!(s) as u32), bits as u32) as u64,
                        Op::Neg64(d) => r!(d) = alu::neg::<u64>(&r!(d)),
                        Op::Neg32(d) => r!(d) = alu::neg::<u32>(&(r!(d) as u32)) as u64,
                        Op::End(d, kind, bits) => r!(d) = alu::end::<u64>(kind, bits as u32, &r!(d)),
                        Op::Ja(t) => pc = t as usize,
                        Op::Ldx(d, s, off, size) => {
                            let addr = r!(s).wrapping_add(off as i64 as u64);
                            match self.mem.load(addr, size as usize, at) {
                                Ok(v) => r!(d) = v,
                                Err(f) => stop!(Outcome::Fault(f)),
                            }
                        }
                        Op::LdxSx(d, s, off, size) => {
                            let addr = r!(s).wrapping_add(off as i64 as u64);
                            match self.mem.load(addr, size as usize, at) {
                                Ok(v) => r!(d) = alu::sext::<u64>(&v, 8 * size as u32),
                                Err(f) => stop!(Outcome::Fault(f)),
                            }
                        }
                        Op::Stx(d, off, s, size) => {
                            let addr = r!(d).wrapping_add(off as i64 as u64);
                            if let Err(f) = self.mem.store(addr, size as usize, r!(s), at) {
                                stop!(Outcome::Fault(f));
                            }
                        }
                        Op::St(d, off, k, size) => {
                            let addr = r!(d).wrapping_add(off as i64 as u64);
                            if let Err(f) = self.mem.store(addr, size as usize, k, at) {
                                stop!(Outcome::Fault(f));
                            }
                        }
                        Op::Exit => match frames.pop() {
                            None => stop!(Outcome::Exit(r!(0))),
                            Some(fr) => {
                                regs[6..10].copy_from_slice(&fr.callee_saved);
                                regs[10] = fr.r10;
                                pc = fr.ret;
                            }
                        },
                        Op::CallLocal(t) => {
                            if let Err(o) = self.push_frame(&mut frames, &mut regs, pc, at) {
                                stop!(o);
                            }
                            pc = t as usize;
                        }
                        other => {
                            let flow = self.slow_step(other, at, &mut regs, &mut frames, &mut ops, &mut tail_calls);
                            match flow {
                                Flow::Continue => {}
                                Flow::Jump(t) => pc = t,
                                Flow::Stop(o) => stop!(o),
                            }
                        }
                    }
                }
            }
        }
    };
}
with_op_table!(define_loop);

impl Vm {
    fn push_frame(&mut self, frames: &mut Vec<Frame>, regs: &mut [u64; 16], ret: usize, at: usize) -> Result<(), Outcome> {
        if frames.len() + 1 >= self.config.max_frames.min(8) {
            return Err(Outcome::CallDepthExceeded { pc: at });
        }
        let mut saved = [0u64; 4];
        saved.copy_from_slice(&regs[6..10]);
        frames.push(Frame { ret, callee_saved: saved, r10: regs[10] });
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
        ops: &mut Rc<[Op]>,
        tail_calls: &mut u32,
    ) -> Flow {
        match op {
            Op::Atomic(width, aop, d, s, off) => {
                let addr = regs[d as usize & 15].wrapping_add(off as i64 as u64);
                match self.atomic(width, aop, addr, d, s, regs, at) {
                    Ok(()) => Flow::Continue,
                    Err(f) => Flow::Stop(Outcome::Fault(f)),
                }
            }
            Op::LdAbs(size, imm) => self.ld_packet(size, imm as i64 as u64, regs),
            Op::LdInd(size, s, imm) => self.ld_packet(size, regs[s as usize & 15].wrapping_add(imm as i64 as u64), regs),
            Op::Call(n) => {
                let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
                match crate::helpers::call(self, n as i32, args, at) {
                    Ok(v) => {
                        regs[0] = v;
                        Flow::Continue
                    }
                    Err(o) => Flow::Stop(o),
                }
            }
            Op::CallX(r) => {
                let v = regs[r as usize & 15];
                let code = region_base(CODE_REGION);
                if v >= code && v < code + ops.len() as u64 * 8 && (v - code) % 8 == 0 {
                    if let Err(o) = self.push_frame(frames, regs, at + 1, at) {
                        return Flow::Stop(o);
                    }
                    return Flow::Jump(((v - code) / 8) as usize);
                }
                // bpf_conformance's convention: a small value is a helper number.
                if v < 1 << 31 && crate::helpers::implemented(v as i32) {
                    return self.slow_step(Op::Call(v as u32), at, regs, frames, ops, tail_calls);
                }
                Flow::Stop(Outcome::Error { pc: at, reason: format!("indirect call to {v:#x}, which is neither a function nor a helper") })
            }
            Op::TailCall => {
                regs[0] = (-super::mapstate::errno::ENOENT) as u64;
                if !frames.is_empty() || *tail_calls >= self.config.max_tail_calls {
                    return Flow::Continue;
                }
                let Some(map) = self.map_at(regs[2]) else { return Flow::Continue };
                let idx = regs[3] as u32;
                let Some(&prog) = self.maps[map as usize].progs.get(&idx) else { return Flow::Continue };
                let Some(p) = self.progs.get(prog) else { return Flow::Continue };
                *tail_calls += 1;
                *ops = p.ops.clone();
                Flow::Jump(0)
            }
            Op::Pad => Flow::Stop(Outcome::Error { pc: at, reason: "executed the second slot of an LD_IMM64".into() }),
            // Every other op is handled by the fast path.
            _ => Flow::Stop(Outcome::Error { pc: at, reason: format!("internal: {op:?} reached the slow path") }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn atomic(&mut self, width: Width, aop: Atomic, addr: u64, _d: u8, s: u8, regs: &mut [u64; 16], at: usize) -> Result<(), Fault> {
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
        let data = &self.mem.regions[self.packet_region].data;
        let size = size as usize;
        let ok = off.checked_add(size as u64).is_some_and(|e| e <= data.len() as u64);
        if !ok || (self.packet_region == PACKET_REGION && data.is_empty()) {
            return Flow::Stop(Outcome::Exit(0));
        }
        let b = &data[off as usize..off as usize + size];
        regs[0] = b.iter().fold(0u64, |a, x| (a << 8) | *x as u64);
        Flow::Continue
    }
}

#[allow(dead_code)]
fn unused(_: FaultKind) {}
