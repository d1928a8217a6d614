//! Decoding raw slots into [`Instruction`]s, and the exact inverse, encoding.
//!
//! Decoding is strict in the way the Linux verifier is: every field an instruction does not use
//! must be zero, and only the opcodes the kernel knows are accepted. `encode(decode(s)) == s`
//! for every slot sequence that decodes, and `decode(encode(i)) == i` for every instruction.

use crate::insn::{op, Insn};
use crate::isa::*;

/// Why a slot does not decode.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeErrorKind {
    #[error("unknown opcode {0:#04x}")]
    UnknownOpcode(u8),
    #[error("invalid register r{0}")]
    BadRegister(u8),
    #[error("reserved field {field} is {value}, must be {expected}")]
    Reserved {
        field: &'static str,
        value: i64,
        expected: i64,
    },
    #[error("invalid {what} {value}")]
    BadField { what: &'static str, value: i64 },
    #[error("LD_IMM64 is truncated: its second slot is missing")]
    TruncatedLdImm64,
    #[error("second slot of LD_IMM64 is malformed (code {0:#04x})")]
    BadLdImm64Second(u8),
    #[error("jump to {target} is outside the program of {len} slots")]
    JumpOutOfRange { target: i64, len: usize },
    #[error("jump to {target} lands in the second slot of an LD_IMM64")]
    JumpIntoLdImm64 { target: i64 },
    #[error("the program is empty")]
    Empty,
}

/// A decoding error at an instruction index.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("instruction {pc}: {kind}")]
pub struct DecodeError {
    pub pc: usize,
    pub kind: DecodeErrorKind,
}

fn reg(n: u8) -> Result<Reg, DecodeErrorKind> {
    Reg::new(n).ok_or(DecodeErrorKind::BadRegister(n))
}

fn zero(field: &'static str, value: i64) -> Result<(), DecodeErrorKind> {
    if value == 0 {
        Ok(())
    } else {
        Err(DecodeErrorKind::Reserved {
            field,
            value,
            expected: 0,
        })
    }
}

fn source(i: &Insn) -> Result<Source, DecodeErrorKind> {
    if i.code & op::X != 0 {
        zero("imm", i.imm as i64)?;
        Ok(Source::Reg(reg(i.src)?))
    } else {
        zero("src", i.src as i64)?;
        Ok(Source::Imm(i.imm))
    }
}

/// Decodes the instruction starting at slot `pc` of `slots`.
pub fn decode_at(slots: &[Insn], pc: usize) -> Result<Instruction, DecodeError> {
    decode_inner(slots, pc).map_err(|kind| DecodeError { pc, kind })
}

fn decode_inner(slots: &[Insn], pc: usize) -> Result<Instruction, DecodeErrorKind> {
    let i = slots[pc];
    let code = i.code;
    match i.class() {
        op::ALU | op::ALU64 => decode_alu(&i),
        op::JMP | op::JMP32 => decode_jmp(&i),
        op::LD => decode_ld(slots, pc),
        op::LDX => {
            let mode = code & 0xe0;
            let size = Size::from_code(code);
            let sign_extend = match mode {
                op::MEM => false,
                op::MEMSX if size != Size::DW => true,
                _ => return Err(DecodeErrorKind::UnknownOpcode(code)),
            };
            zero("imm", i.imm as i64)?;
            Ok(Instruction::Load {
                size,
                sign_extend,
                dst: reg(i.dst)?,
                src: reg(i.src)?,
                off: i.off,
            })
        }
        op::ST => {
            if code & 0xe0 != op::MEM {
                return Err(DecodeErrorKind::UnknownOpcode(code));
            }
            zero("src", i.src as i64)?;
            Ok(Instruction::Store {
                size: Size::from_code(code),
                dst: reg(i.dst)?,
                off: i.off,
                src: Source::Imm(i.imm),
            })
        }
        _ => decode_stx(&i),
    }
}

fn decode_stx(i: &Insn) -> Result<Instruction, DecodeErrorKind> {
    let size = Size::from_code(i.code);
    match i.code & 0xe0 {
        op::MEM => {
            zero("imm", i.imm as i64)?;
            Ok(Instruction::Store {
                size,
                dst: reg(i.dst)?,
                off: i.off,
                src: Source::Reg(reg(i.src)?),
            })
        }
        op::ATOMIC => {
            let width = match size {
                Size::W => Width::W32,
                Size::DW => Width::W64,
                _ => return Err(DecodeErrorKind::UnknownOpcode(i.code)),
            };
            let aop = match i.imm {
                op::XCHG => Atomic::Xchg,
                op::CMPXCHG => Atomic::Cmpxchg,
                imm => {
                    let fetch = imm & op::FETCH != 0;
                    let rmw = AtomicOp::ALL
                        .into_iter()
                        .find(|o| o.code() == imm & !op::FETCH);
                    match rmw {
                        Some(op) => Atomic::Rmw { op, fetch },
                        None => {
                            return Err(DecodeErrorKind::BadField {
                                what: "atomic operation",
                                value: imm as i64,
                            })
                        }
                    }
                }
            };
            Ok(Instruction::Atomic {
                width,
                op: aop,
                dst: reg(i.dst)?,
                src: reg(i.src)?,
                off: i.off,
            })
        }
        _ => Err(DecodeErrorKind::UnknownOpcode(i.code)),
    }
}

fn decode_alu(i: &Insn) -> Result<Instruction, DecodeErrorKind> {
    let width = if i.class() == op::ALU64 {
        Width::W64
    } else {
        Width::W32
    };
    let dst = reg(i.dst)?;
    let opc = i.code & 0xf0;
    match opc {
        op::NEG => {
            if i.code & op::X != 0 {
                return Err(DecodeErrorKind::UnknownOpcode(i.code));
            }
            zero("src", i.src as i64)?;
            zero("off", i.off as i64)?;
            zero("imm", i.imm as i64)?;
            Ok(Instruction::Neg { width, dst })
        }
        op::END => {
            let kind = match (width, i.code & op::X != 0) {
                (Width::W32, false) => EndKind::Le,
                (Width::W32, true) => EndKind::Be,
                (Width::W64, false) => EndKind::Swap,
                (Width::W64, true) => return Err(DecodeErrorKind::UnknownOpcode(i.code)),
            };
            zero("src", i.src as i64)?;
            zero("off", i.off as i64)?;
            if !matches!(i.imm, 16 | 32 | 64) {
                return Err(DecodeErrorKind::BadField {
                    what: "byte swap width",
                    value: i.imm as i64,
                });
            }
            Ok(Instruction::End {
                kind,
                bits: i.imm as u8,
                dst,
            })
        }
        0xe0 | 0xf0 => Err(DecodeErrorKind::UnknownOpcode(i.code)),
        _ => {
            let alu = AluOp::ALL
                .into_iter()
                .find(|a| a.code_off() == (opc, i.off));
            let Some(alu) = alu else {
                return Err(DecodeErrorKind::Reserved {
                    field: "off",
                    value: i.off as i64,
                    expected: 0,
                });
            };
            let src = source(i)?;
            if !alu.valid(width, matches!(src, Source::Imm(_))) {
                return Err(DecodeErrorKind::BadField {
                    what: "movsx form",
                    value: i.off as i64,
                });
            }
            Ok(Instruction::Alu {
                width,
                op: alu,
                dst,
                src,
            })
        }
    }
}

fn decode_jmp(i: &Insn) -> Result<Instruction, DecodeErrorKind> {
    let jmp32 = i.class() == op::JMP32;
    let width = if jmp32 { Width::W32 } else { Width::W64 };
    let x = i.code & op::X != 0;
    match i.code & 0xf0 {
        op::JA => {
            if x {
                return Err(DecodeErrorKind::UnknownOpcode(i.code));
            }
            zero("dst", i.dst as i64)?;
            zero("src", i.src as i64)?;
            if jmp32 {
                zero("off", i.off as i64)?;
                Ok(Instruction::JaLong { imm: i.imm })
            } else {
                zero("imm", i.imm as i64)?;
                Ok(Instruction::Ja { off: i.off })
            }
        }
        op::CALL if !jmp32 => {
            if x {
                zero("src", i.src as i64)?;
                zero("off", i.off as i64)?;
                zero("imm", i.imm as i64)?;
                return Ok(Instruction::CallX { reg: reg(i.dst)? });
            }
            zero("dst", i.dst as i64)?;
            let call = match i.src {
                0 => {
                    zero("off", i.off as i64)?;
                    Call::Helper(i.imm)
                }
                op::PSEUDO_CALL => {
                    zero("off", i.off as i64)?;
                    Call::Local(i.imm)
                }
                op::PSEUDO_KFUNC_CALL => Call::Kfunc {
                    btf_id: i.imm,
                    off: i.off,
                },
                s => {
                    return Err(DecodeErrorKind::BadField {
                        what: "call source",
                        value: s as i64,
                    })
                }
            };
            Ok(Instruction::Call(call))
        }
        op::EXIT if !jmp32 => {
            if x {
                return Err(DecodeErrorKind::UnknownOpcode(i.code));
            }
            zero("dst", i.dst as i64)?;
            zero("src", i.src as i64)?;
            zero("off", i.off as i64)?;
            zero("imm", i.imm as i64)?;
            Ok(Instruction::Exit)
        }
        c => {
            let cond = JmpCond::from_code(c).ok_or(DecodeErrorKind::UnknownOpcode(i.code))?;
            let src = source(i)?;
            Ok(Instruction::Jmp {
                width,
                cond,
                dst: reg(i.dst)?,
                src,
                off: i.off,
            })
        }
    }
}

fn decode_ld(slots: &[Insn], pc: usize) -> Result<Instruction, DecodeErrorKind> {
    let i = slots[pc];
    let size = Size::from_code(i.code);
    match i.code & 0xe0 {
        op::IMM if size == Size::DW => {
            let next = *slots.get(pc + 1).ok_or(DecodeErrorKind::TruncatedLdImm64)?;
            if next.code != 0 || next.dst != 0 || next.src != 0 || next.off != 0 {
                return Err(DecodeErrorKind::BadLdImm64Second(next.code));
            }
            zero("off", i.off as i64)?;
            let pseudo = Pseudo::from_src(i.src).ok_or(DecodeErrorKind::BadField {
                what: "LD_IMM64 pseudo source",
                value: i.src as i64,
            })?;
            Ok(Instruction::LdImm64 {
                dst: reg(i.dst)?,
                pseudo,
                imm: i.imm,
                next_imm: next.imm,
            })
        }
        op::ABS | op::IND if size != Size::DW => {
            zero("dst", i.dst as i64)?;
            zero("off", i.off as i64)?;
            if i.code & 0xe0 == op::ABS {
                zero("src", i.src as i64)?;
                Ok(Instruction::LdAbs { size, imm: i.imm })
            } else {
                Ok(Instruction::LdInd {
                    size,
                    src: reg(i.src)?,
                    imm: i.imm,
                })
            }
        }
        _ => Err(DecodeErrorKind::UnknownOpcode(i.code)),
    }
}

/// Encodes an instruction into its one or two slots.
pub fn encode(ins: &Instruction) -> smallslots::Slots {
    use Instruction as I;
    let one = |code: u8, dst: u8, src: u8, off: i16, imm: i32| {
        smallslots::Slots::one(Insn::new(code, dst, src, off, imm))
    };
    let src = match ins {
        I::Alu { src, .. } | I::Jmp { src, .. } | I::Store { src, .. } => *src,
        _ => Source::Imm(0),
    };
    let (x, sreg, imm) = match src {
        Source::Reg(r) => (op::X, r.num(), 0),
        Source::Imm(v) => (op::K, 0, v),
    };
    match *ins {
        I::Alu {
            width, op: a, dst, ..
        } => {
            let class = if width == Width::W64 {
                op::ALU64
            } else {
                op::ALU
            };
            let (c, off) = a.code_off();
            one(class | c | x, dst.num(), sreg, off, imm)
        }
        I::Neg { width, dst } => one(
            if width == Width::W64 {
                op::ALU64
            } else {
                op::ALU
            } | op::NEG,
            dst.num(),
            0,
            0,
            0,
        ),
        I::End { kind, bits, dst } => {
            let code = match kind {
                EndKind::Le => op::ALU | op::END,
                EndKind::Be => op::ALU | op::END | op::X,
                EndKind::Swap => op::ALU64 | op::END,
            };
            one(code, dst.num(), 0, 0, bits as i32)
        }
        I::Ja { off } => one(op::JMP | op::JA, 0, 0, off, 0),
        I::JaLong { imm } => one(op::JMP32 | op::JA, 0, 0, 0, imm),
        I::Jmp {
            width,
            cond,
            dst,
            off,
            ..
        } => {
            let class = if width == Width::W64 {
                op::JMP
            } else {
                op::JMP32
            };
            one(class | cond.code() | x, dst.num(), sreg, off, imm)
        }
        I::Call(Call::Helper(n)) => one(op::JMP | op::CALL, 0, 0, 0, n),
        I::Call(Call::Local(n)) => one(op::JMP | op::CALL, 0, op::PSEUDO_CALL, 0, n),
        I::Call(Call::Kfunc { btf_id, off }) => {
            one(op::JMP | op::CALL, 0, op::PSEUDO_KFUNC_CALL, off, btf_id)
        }
        I::CallX { reg } => one(op::JMP | op::CALL | op::X, reg.num(), 0, 0, 0),
        I::Exit => one(op::JMP | op::EXIT, 0, 0, 0, 0),
        I::LdImm64 {
            dst,
            pseudo,
            imm,
            next_imm,
        } => smallslots::Slots::two(
            Insn::new(op::LD | op::IMM | op::DW, dst.num(), pseudo.src(), 0, imm),
            Insn::new(0, 0, 0, 0, next_imm),
        ),
        I::Load {
            size,
            sign_extend,
            dst,
            src,
            off,
        } => {
            let mode = if sign_extend { op::MEMSX } else { op::MEM };
            one(op::LDX | mode | size.code(), dst.num(), src.num(), off, 0)
        }
        I::Store {
            size,
            dst,
            off,
            src,
        } => {
            let class = if matches!(src, Source::Reg(_)) {
                op::STX
            } else {
                op::ST
            };
            one(class | op::MEM | size.code(), dst.num(), sreg, off, imm)
        }
        I::Atomic {
            width,
            op: a,
            dst,
            src,
            off,
        } => {
            let size = if width == Width::W64 {
                Size::DW
            } else {
                Size::W
            };
            one(
                op::STX | op::ATOMIC | size.code(),
                dst.num(),
                src.num(),
                off,
                a.imm(),
            )
        }
        I::LdAbs { size, imm } => one(op::LD | op::ABS | size.code(), 0, 0, 0, imm),
        I::LdInd { size, src, imm } => one(op::LD | op::IND | size.code(), 0, src.num(), 0, imm),
    }
}

/// One or two slots, without allocation.
pub mod smallslots {
    use crate::insn::Insn;

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct Slots {
        slots: [Insn; 2],
        len: u8,
    }

    impl Slots {
        pub fn one(a: Insn) -> Slots {
            Slots {
                slots: [a, Insn::default()],
                len: 1,
            }
        }
        pub fn two(a: Insn, b: Insn) -> Slots {
            Slots {
                slots: [a, b],
                len: 2,
            }
        }
        pub fn as_slice(&self) -> &[Insn] {
            &self.slots[..self.len as usize]
        }
    }
}

/// Encodes a sequence of instructions into slots.
pub fn encode_all(prog: &[Instruction]) -> Vec<Insn> {
    prog.iter()
        .flat_map(|i| encode(i).as_slice().to_vec())
        .collect()
}

/// A decoded program: each instruction with the slot index where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub slots: Vec<Insn>,
    /// `(pc, instruction)` in order; `pc` is a slot index.
    pub insns: Vec<(usize, Instruction)>,
}

/// Decodes every instruction of a program, without checking jump targets.
pub fn decode_all(slots: &[Insn]) -> Result<Decoded, DecodeError> {
    let mut insns = Vec::with_capacity(slots.len());
    let mut pc = 0;
    while pc < slots.len() {
        let ins = decode_at(slots, pc)?;
        insns.push((pc, ins));
        pc += ins.slots();
    }
    Ok(Decoded {
        slots: slots.to_vec(),
        insns,
    })
}

/// Decodes a program and checks that every jump, local call and function address lands on
/// the first slot of an instruction inside the program.
pub fn decode_program(slots: &[Insn]) -> Result<Decoded, DecodeError> {
    if slots.is_empty() {
        return Err(DecodeError {
            pc: 0,
            kind: DecodeErrorKind::Empty,
        });
    }
    let d = decode_all(slots)?;
    let mut starts = vec![false; slots.len()];
    for (pc, _) in &d.insns {
        starts[*pc] = true;
    }
    for (pc, ins) in &d.insns {
        let rel = ins.function_offset().or(ins.jump_offset());
        if let Some(rel) = rel {
            let target = *pc as i64 + 1 + rel;
            if target < 0 || target >= slots.len() as i64 {
                return Err(DecodeError {
                    pc: *pc,
                    kind: DecodeErrorKind::JumpOutOfRange {
                        target,
                        len: slots.len(),
                    },
                });
            }
            if !starts[target as usize] {
                return Err(DecodeError {
                    pc: *pc,
                    kind: DecodeErrorKind::JumpIntoLdImm64 { target },
                });
            }
        }
    }
    Ok(d)
}
