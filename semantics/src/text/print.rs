//! Printing instructions in the pseudo-C syntax of `llvm-objdump -d` and of the kernel
//! verifier log.
//!
//! The two flavours differ only in decoration: LLVM writes `(r1 + 8)`, `goto +3`, decimal
//! immediates and `r1 = 5 ll`; the kernel writes `(r1 +8)`, `goto pc+3`, hexadecimal jump
//! immediates and `r1 = 0x5`. Both print every field, so the assembler reads either back to the
//! same slots. Pseudo LD_IMM64 forms and kfunc calls, which neither tool prints losslessly, use
//! our own notation: `r1 = map_fd(3) ll`, `r1 = map_value(3, 16) ll`, `call kfunc#123`.

use crate::isa::*;
use std::fmt::Write;

/// The dialect of pseudo-C to print.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Flavor {
    /// As `llvm-objdump -d` prints.
    #[default]
    Llvm,
    /// As the Linux verifier log prints (without the `(code)` prefix).
    Kernel,
}

fn reg_name(width: Width, r: Reg) -> String {
    match width {
        Width::W64 => format!("r{}", r.num()),
        Width::W32 => format!("w{}", r.num()),
    }
}

fn mem(flavor: Flavor, base: Reg, off: i16) -> String {
    match flavor {
        Flavor::Llvm if off < 0 => format!("(r{} - {})", base.num(), -(off as i32)),
        Flavor::Llvm => format!("(r{} + {})", base.num(), off),
        Flavor::Kernel => format!("(r{} {:+})", base.num(), off),
    }
}

fn rel(flavor: Flavor, off: i64) -> String {
    match flavor {
        Flavor::Llvm => format!("{:+}", off),
        Flavor::Kernel => format!("pc{:+}", off),
    }
}

/// The compound-assignment operator of an ALU operation (`+=`, `s>>=`, ...), or `None` for
/// moves.
pub fn alu_op_str(op: AluOp) -> Option<&'static str> {
    Some(match op {
        AluOp::Add => "+=",
        AluOp::Sub => "-=",
        AluOp::Mul => "*=",
        AluOp::Div => "/=",
        AluOp::Sdiv => "s/=",
        AluOp::Or => "|=",
        AluOp::And => "&=",
        AluOp::Lsh => "<<=",
        AluOp::Rsh => ">>=",
        AluOp::Mod => "%=",
        AluOp::Smod => "s%=",
        AluOp::Xor => "^=",
        AluOp::Arsh => "s>>=",
        AluOp::Mov | AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32 => return None,
    })
}

/// The comparison operator of a jump condition (`==`, `s<=`, `&`, ...).
pub fn cond_str(c: JmpCond) -> &'static str {
    match c {
        JmpCond::Eq => "==",
        JmpCond::Ne => "!=",
        JmpCond::Gt => ">",
        JmpCond::Ge => ">=",
        JmpCond::Lt => "<",
        JmpCond::Le => "<=",
        JmpCond::Sgt => "s>",
        JmpCond::Sge => "s>=",
        JmpCond::Slt => "s<",
        JmpCond::Sle => "s<=",
        JmpCond::Set => "&",
    }
}

/// The name of an atomic read-modify-write operation (`add`, `or`, ...).
pub fn atomic_op_str(op: AtomicOp) -> &'static str {
    match op {
        AtomicOp::Add => "add",
        AtomicOp::Or => "or",
        AtomicOp::And => "and",
        AtomicOp::Xor => "xor",
    }
}

fn pseudo_name(p: Pseudo) -> &'static str {
    match p {
        Pseudo::Imm64 => "",
        Pseudo::MapFd => "map_fd",
        Pseudo::MapValue => "map_value",
        Pseudo::BtfId => "btf_id",
        Pseudo::Func => "func",
        Pseudo::MapIdx => "map_idx",
        Pseudo::MapIdxValue => "map_idx_value",
    }
}

/// Names of pseudo LD_IMM64 sources, as the assembler reads them.
pub fn pseudo_from_name(s: &str) -> Option<Pseudo> {
    Pseudo::ALL
        .into_iter()
        .skip(1)
        .find(|p| pseudo_name(*p) == s)
}

/// Prints one instruction. Jump and call targets are printed relative; see
/// [`print_program`] for labels.
pub fn print(ins: &Instruction, flavor: Flavor) -> String {
    use Instruction as I;
    match *ins {
        I::Alu {
            width,
            op,
            dst,
            src,
        } => {
            let d = reg_name(width, dst);
            let s = match src {
                Source::Reg(r) => reg_name(width, r),
                Source::Imm(v) => v.to_string(),
            };
            match op {
                AluOp::Mov => format!("{d} = {s}"),
                AluOp::MovSx8 => format!("{d} = (s8){s}"),
                AluOp::MovSx16 => format!("{d} = (s16){s}"),
                AluOp::MovSx32 => format!("{d} = (s32){s}"),
                _ => format!("{d} {} {s}", alu_op_str(op).unwrap_or("?")),
            }
        }
        I::Neg { width, dst } => {
            let d = reg_name(width, dst);
            format!("{d} = -{d}")
        }
        I::End { kind, bits, dst } => {
            let k = match kind {
                EndKind::Le => "le",
                EndKind::Be => "be",
                EndKind::Swap => "bswap",
            };
            format!("r{0} = {k}{bits} r{0}", dst.num())
        }
        I::Ja { off } => format!("goto {}", rel(flavor, off as i64)),
        I::JaLong { imm } => format!("gotol {}", rel(flavor, imm as i64)),
        I::Jmp {
            width,
            cond,
            dst,
            src,
            off,
        } => {
            let s = match (src, flavor) {
                (Source::Reg(r), _) => reg_name(width, r),
                (Source::Imm(v), Flavor::Llvm) => v.to_string(),
                (Source::Imm(v), Flavor::Kernel) => format!("{:#x}", v as u32),
            };
            format!(
                "if {} {} {s} goto {}",
                reg_name(width, dst),
                cond_str(cond),
                rel(flavor, off as i64)
            )
        }
        I::Call(Call::Helper(n)) => match (flavor, crate::helpers::helper_name(n)) {
            (Flavor::Kernel, Some(name)) => format!("call {name}#{n}"),
            _ => format!("call {n}"),
        },
        I::Call(Call::Local(n)) => format!("call pc{:+}", n),
        I::Call(Call::Kfunc { btf_id, off: 0 }) => format!("call kfunc#{btf_id}"),
        I::Call(Call::Kfunc { btf_id, off }) => format!("call kfunc#{btf_id}@{off}"),
        I::CallX { reg } => format!("callx {reg}"),
        I::Exit => "exit".to_string(),
        I::LdImm64 {
            dst,
            pseudo: Pseudo::Imm64,
            imm,
            next_imm,
        } => {
            let v = Instruction::imm64(imm, next_imm);
            match flavor {
                Flavor::Llvm => format!("{dst} = {} ll", v as i64),
                Flavor::Kernel => format!("{dst} = {v:#x}"),
            }
        }
        I::LdImm64 {
            dst,
            pseudo,
            imm,
            next_imm,
        } => {
            let name = pseudo_name(pseudo);
            let first = if pseudo == Pseudo::Func {
                format!("pc{:+}", imm)
            } else {
                imm.to_string()
            };
            let args = if next_imm != 0 || matches!(pseudo, Pseudo::MapValue | Pseudo::MapIdxValue)
            {
                format!("{first}, {next_imm}")
            } else {
                first
            };
            format!("{dst} = {name}({args}) ll")
        }
        I::Load {
            size,
            sign_extend,
            dst,
            src,
            off,
        } => {
            let t = if sign_extend {
                size.ctype().replace('u', "s")
            } else {
                size.ctype().to_string()
            };
            format!("{dst} = *({t} *){}", mem(flavor, src, off))
        }
        I::Store {
            size,
            dst,
            off,
            src,
        } => {
            let s = match src {
                Source::Reg(r) => r.to_string(),
                Source::Imm(v) => v.to_string(),
            };
            format!("*({} *){} = {s}", size.ctype(), mem(flavor, dst, off))
        }
        I::Atomic {
            width,
            op,
            dst,
            src,
            off,
        } => print_atomic(flavor, width, op, dst, src, off),
        I::LdAbs { size, imm } => format!("r0 = *({} *)skb[{imm}]", size.ctype()),
        I::LdInd { size, src, imm: 0 } => format!("r0 = *({} *)skb[{src}]", size.ctype()),
        I::LdInd { size, src, imm } => format!("r0 = *({} *)skb[{src} + {imm}]", size.ctype()),
    }
}

fn print_atomic(flavor: Flavor, width: Width, op: Atomic, dst: Reg, src: Reg, off: i16) -> String {
    let (t, sfx) = match width {
        Width::W64 => ("u64", "64"),
        Width::W32 => ("u32", ""),
    };
    let m = mem(flavor, dst, off);
    match op {
        Atomic::Rmw { op, fetch: false } => {
            let o = match op {
                AtomicOp::Add => "+=",
                AtomicOp::Or => "|=",
                AtomicOp::And => "&=",
                AtomicOp::Xor => "^=",
            };
            format!("lock *({t} *){m} {o} {src}")
        }
        Atomic::Rmw { op, fetch: true } => format!(
            "{src} = atomic{sfx}_fetch_{}(({t} *){m}, {src})",
            atomic_op_str(op)
        ),
        Atomic::Xchg => format!("{src} = atomic{sfx}_xchg(({t} *){m}, {src})"),
        Atomic::Cmpxchg => format!("r0 = atomic{sfx}_cmpxchg(({t} *){m}, r0, {src})"),
    }
}

/// Prints a program, one instruction per line, prefixed by its slot index (`  12: `), with
/// relative targets. The assembler accepts this text back.
pub fn print_program(insns: &[(usize, Instruction)], flavor: Flavor) -> String {
    let mut out = String::new();
    for (pc, ins) in insns {
        let _ = writeln!(out, "{pc:>6}: {}", print(ins, flavor));
    }
    out
}
