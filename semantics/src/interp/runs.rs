//! Straight-line runs of simple ALU instructions, executed without a dispatch per instruction.
//!
//! An interpreter pays one indirect branch per instruction, and on code without loops that
//! branch is mispredicted most of the time. A maximal run of [`MIN_RUN`] or more consecutive
//! instructions from {add, sub, mul, or, and, xor, lsh, rsh, arsh, mov} (either width, register
//! or immediate source) is compiled into [`Micro`] ops, and the run's first slot gets an
//! `Op::AluRun`. [`eval`] computes every candidate result with the functions of
//! [`crate::alu`] and selects the one the micro op names, so it has no data-dependent branch.
//! The other slots of the run keep their ordinary ops, so a jump into the middle of a run is
//! executed instruction by instruction.

use crate::alu;
use crate::isa::{AluOp, Instruction, Source, Width};

/// One ALU instruction of a run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Micro {
    /// Index into the candidate table: operation (0..10) plus 10 for 32-bit.
    pub kind: u8,
    pub dst: u8,
    pub src: u8,
    /// Whether the source is `imm` rather than register `src`.
    pub use_imm: bool,
    pub imm: u64,
}

const KINDS: [AluOp; 10] = [
    AluOp::Add,
    AluOp::Sub,
    AluOp::Mul,
    AluOp::Or,
    AluOp::And,
    AluOp::Xor,
    AluOp::Lsh,
    AluOp::Rsh,
    AluOp::Arsh,
    AluOp::Mov,
];

/// The micro op of an instruction that can be part of a run.
pub fn micro_of(ins: &Instruction) -> Option<Micro> {
    let Instruction::Alu {
        width,
        op,
        dst,
        src,
    } = *ins
    else {
        return None;
    };
    let k = KINDS.iter().position(|k| *k == op)? as u8;
    let (use_imm, s, imm) = match src {
        Source::Reg(r) => (false, r.num(), 0),
        Source::Imm(v) => (
            true,
            0,
            if width == Width::W64 {
                v as i64 as u64
            } else {
                v as u32 as u64
            },
        ),
    };
    Some(Micro {
        kind: k + if width == Width::W32 { 10 } else { 0 },
        dst: dst.num(),
        src: s,
        use_imm,
        imm,
    })
}

/// Executes one micro op on the register file.
///
/// Both widths share one set of ten candidates: add, sub, mul, or, and, xor and mov at 32
/// bits are the low halves of the 64-bit results, and the 32-bit shifts are the 64-bit
/// shifts of the zero- (rsh) or sign-extended (arsh) low half by the amount masked to 31.
/// The result is then truncated for 32-bit kinds. `eval_matches_alu_semantics` checks this
/// against [`crate::alu`] at both widths.
#[inline(always)]
pub fn eval(m: &Micro, regs: &mut [u64; 16]) {
    let a = regs[(m.dst & 15) as usize];
    let r = regs[(m.src & 15) as usize];
    let b = if m.use_imm { m.imm } else { r };
    let w32 = m.kind >= 10;
    let mask = if w32 { 0xffff_ffff } else { u64::MAX };
    let amt = b & if w32 { 31 } else { 63 };
    let a_lo = a & mask;
    let a_sx = if w32 { alu::sext::<u64>(&a, 32) } else { a };
    let c: [u64; 10] = [
        alu::add::<u64>(&a, &b),
        alu::sub::<u64>(&a, &b),
        alu::mul::<u64>(&a, &b),
        alu::or::<u64>(&a, &b),
        alu::and::<u64>(&a, &b),
        alu::xor::<u64>(&a, &b),
        alu::lsh::<u64>(&a, &amt),
        alu::rsh::<u64>(&a_lo, &amt),
        alu::arsh::<u64>(&a_sx, &amt),
        b,
    ];
    regs[(m.dst & 15) as usize] = c[(m.kind % 10) as usize] & mask;
}

/// Runs shorter than this are left to the ordinary dispatch, which is cheaper when the
/// branch predictor knows the sequence (short runs are mostly loop bodies).
pub const MIN_RUN: usize = 4;

/// Finds the runs of a decoded program: (first slot, micro ops), each of length >= [`MIN_RUN`].
pub fn find(insns: &[(usize, Instruction)]) -> Vec<(usize, Vec<Micro>)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, Vec<Micro>)> = None;
    for (pc, ins) in insns {
        match micro_of(ins) {
            Some(m) => match &mut cur {
                Some((start, v)) if *start + v.len() == *pc => v.push(m),
                _ => {
                    if let Some(r) = cur.take().filter(|(_, v)| v.len() >= MIN_RUN) {
                        out.push(r);
                    }
                    cur = Some((*pc, vec![m]));
                }
            },
            None => {
                if let Some(r) = cur.take().filter(|(_, v)| v.len() >= MIN_RUN) {
                    out.push(r);
                }
            }
        }
    }
    if let Some(r) = cur.take().filter(|(_, v)| v.len() >= MIN_RUN) {
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isa::Reg;

    /// `eval` agrees with the instruction-by-instruction semantics on every kind.
    #[test]
    fn eval_matches_alu_semantics() {
        let vals = [
            0u64,
            1,
            7,
            63,
            64,
            0x8000_0000,
            0xffff_ffff,
            0x8000_0000_0000_0000,
            u64::MAX,
            0x1234_5678_9abc_def0,
        ];
        for width in [Width::W64, Width::W32] {
            for op in KINDS {
                for &a in &vals {
                    for &b in &vals {
                        let ins = Instruction::Alu {
                            width,
                            op,
                            dst: Reg::R1,
                            src: Source::Reg(Reg::R2),
                        };
                        let m = micro_of(&ins).unwrap();
                        let mut regs = [0u64; 16];
                        regs[1] = a;
                        regs[2] = b;
                        eval(&m, &mut regs);
                        let want = alu::alu_at(op, width, &a, &b);
                        assert_eq!(regs[1], want, "{op:?} {width:?} {a:#x} {b:#x}");
                    }
                }
            }
        }
    }
}
