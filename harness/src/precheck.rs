//! A kernel-like load check for conformance programs: every register an instruction reads must
//! be written on every path that reaches it (the kernel rejects such programs with
//! `R0 !read_ok`, errno EINVAL). It is a path-insensitive must-analysis, so it can reject more
//! than the kernel does; the conformance suite's positive tests never trigger it.
//!
//! The main program starts with r1, r2 (bpf_conformance passes the buffer and its length) and
//! r10; a subprogram starts with r1-r5 and r10. A helper call defines r0 and leaves r1-r5
//! undefined; `exit` reads r0.

use semantics::decode::decode_program;
use semantics::isa::{Call, Instruction, Source};
use semantics::Insn;

type Set = u16;

fn bit(r: semantics::isa::Reg) -> Set {
    1 << r.num()
}

fn src_bit(s: Source) -> Set {
    match s {
        Source::Reg(r) => bit(r),
        Source::Imm(_) => 0,
    }
}

/// (reads, writes) of an instruction, as register sets.
fn uses(ins: &Instruction) -> (Set, Set) {
    use semantics::isa::AluOp;
    use Instruction as I;
    match *ins {
        I::Alu {
            op: AluOp::Mov | AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32,
            dst,
            src,
            ..
        } => (src_bit(src), bit(dst)),
        I::Alu { dst, src, .. } => (bit(dst) | src_bit(src), bit(dst)),
        I::Neg { dst, .. } | I::End { dst, .. } => (bit(dst), bit(dst)),
        I::Jmp { dst, src, .. } => (bit(dst) | src_bit(src), 0),
        I::LdImm64 { dst, .. } => (0, bit(dst)),
        I::Load { dst, src, .. } => (bit(src), bit(dst)),
        I::Store { dst, src, .. } => (bit(dst) | src_bit(src), 0),
        I::Atomic { dst, src, op, .. } => {
            let r0 = if op == semantics::isa::Atomic::Cmpxchg {
                1
            } else {
                0
            };
            (bit(dst) | bit(src) | r0, bit(src) | r0)
        }
        I::LdAbs { .. } => (0, 1),
        I::LdInd { src, .. } => (bit(src), 1),
        I::CallX { reg } => (bit(reg), 1),
        I::Exit => (1, 0),
        _ => (0, 0),
    }
}

/// Checks a program; the error names the instruction and the register.
pub fn check(slots: &[Insn]) -> Result<(), String> {
    let d = decode_program(slots).map_err(|e| e.to_string())?;
    let n = slots.len();
    let mut index_of = vec![usize::MAX; n];
    for (i, (pc, _)) in d.insns.iter().enumerate() {
        index_of[*pc] = i;
    }
    // in[i]: registers defined on entry to instruction i; None = not reached yet.
    let mut inset: Vec<Option<Set>> = vec![None; d.insns.len()];
    let mut work = vec![(0usize, 0b100_0000_0110u16)];
    for (pc, ins) in &d.insns {
        if let Instruction::Call(Call::Local(imm)) = ins {
            let t = (*pc as i64 + 1 + *imm as i64) as usize;
            work.push((index_of[t], 0b100_0011_1110));
        }
    }
    while let Some((i, set)) = work.pop() {
        let merged = match inset[i] {
            Some(old) if old & set == old => continue,
            Some(old) => old & set,
            None => set,
        };
        inset[i] = Some(merged);
        let (pc, ins) = d.insns[i];
        let (reads, writes) = uses(&ins);
        if reads & !merged != 0 {
            let r = (reads & !merged).trailing_zeros();
            return Err(format!("instruction {pc}: R{r} !read_ok"));
        }
        let mut out = merged | writes;
        if matches!(ins, Instruction::Call(_) | Instruction::CallX { .. }) {
            out = (out & !0b11_1110) | 1;
        }
        let next = pc + ins.slots();
        let mut succ = Vec::new();
        match ins {
            Instruction::Exit => {}
            Instruction::Ja { .. } | Instruction::JaLong { .. } => {
                succ.push((pc as i64 + 1 + ins.jump_offset().unwrap_or(0)) as usize)
            }
            Instruction::Jmp { off, .. } => {
                succ.push(next);
                succ.push((pc as i64 + 1 + off as i64) as usize);
            }
            _ => succ.push(next),
        }
        for s in succ {
            if s >= n {
                return Err(format!(
                    "instruction {pc}: falls off the end of the program"
                ));
            }
            work.push((index_of[s], out));
        }
    }
    Ok(())
}
