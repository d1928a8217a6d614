//! Program analyses for the lowering: pointers into the input buffer, counted loops.

use super::*;

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
                if let Some(t) = ins.function_target(pc) {
                    func_start[t] = true;
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
            _ => out &= !writes(&ins),
        }
        let next = pc + ins.slots();
        let mut succ = Vec::with_capacity(2);
        match ins {
            Instruction::Exit => {}
            Instruction::Ja { .. } | Instruction::JaLong { .. } => succ.extend(ins.jump_target(pc)),
            Instruction::Jmp { .. } => {
                succ.extend(ins.jump_target(pc));
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
/// no other jump goes backwards. An iteration runs at most `insns` instructions. From the
/// header the loop runs `limit - counter` iterations (counting up; `counter - limit` down),
/// modulo 2^64, when the latch is `!=`, or when it is `<` (`>`) and the counter is below
/// (above) the limit there; a `<` loop entered at or above its limit runs once, or past
/// the wrap-around.
#[derive(Clone, Copy, Debug)]
pub struct CountedLoop {
    pub head: usize,
    pub latch: usize,
    pub counter: u8,
    pub limit: Source,
    pub up: bool,
    /// The latch is `!=` (else `<` counting up, `>` counting down).
    pub ne: bool,
    pub insns: u32,
}

/// The registers an instruction writes (bit `i` for r`i`).
fn writes(ins: &Instruction) -> u16 {
    ins.uses_defs().1
}

/// The counted loops of a program (see [`CountedLoop`]).
pub fn counted_loops(insns: &[(usize, Instruction)], nslots: usize) -> Vec<CountedLoop> {
    let target_of = |pc: usize, ins: &Instruction| ins.jump_target(pc).or(ins.function_target(pc));
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
            ne: cond == JmpCond::Ne,
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
