//! The JIT's x86-64 encoder against the `iced-x86` decoder: an instruction built from
//! arbitrary bytes (every form, any registers, sizes, memory operands and immediates) is
//! either refused by the encoder or decodes to the instruction it describes, with nothing
//! left over.

use arbitrary::Unstructured;
use iced_x86::{Decoder, DecoderOptions, Mnemonic, OpKind, Register};
use jit::x86::*;

/// An operand as the decoder should see it.
#[derive(Debug, PartialEq)]
enum Op {
    R(Register),
    M {
        base: Register,
        index: Register,
        scale: u32,
        disp: u64,
        bytes: usize,
    },
    /// An immediate, compared at the operand size in bytes.
    I(u64, usize),
    Branch(u64),
}

fn reg(r: Reg, size: Size) -> Register {
    use Register::*;
    let q = [
        RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    ];
    let d = [
        EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, R8D, R9D, R10D, R11D, R12D, R13D, R14D, R15D,
    ];
    let w = [
        AX, CX, DX, BX, SP, BP, SI, DI, R8W, R9W, R10W, R11W, R12W, R13W, R14W, R15W,
    ];
    let b = [
        AL, CL, DL, BL, SPL, BPL, SIL, DIL, R8L, R9L, R10L, R11L, R12L, R13L, R14L, R15L,
    ];
    let i = r.num() as usize;
    match size {
        Size::Q => q[i],
        Size::D => d[i],
        Size::W => w[i],
        Size::B => b[i],
    }
}

fn mem(m: Mem, bytes: usize) -> Op {
    let (index, scale) = match m.index {
        Some((i, s)) => (reg(i, Size::Q), s.factor()),
        None => (Register::None, 1),
    };
    Op::M {
        base: reg(m.base, Size::Q),
        index,
        scale,
        disp: m.disp as i64 as u64,
        bytes,
    }
}

fn rm(x: Rm, size: Size) -> Op {
    match x {
        Rm::Reg(r) => Op::R(reg(r, size)),
        Rm::Mem(m) => mem(m, size.bytes()),
    }
}

fn imm(v: i64, size: Size) -> Op {
    Op::I(v as u64, size.bytes())
}

fn alu_mnemonic(op: AluOp) -> Mnemonic {
    match op {
        AluOp::Add => Mnemonic::Add,
        AluOp::Or => Mnemonic::Or,
        AluOp::And => Mnemonic::And,
        AluOp::Sub => Mnemonic::Sub,
        AluOp::Xor => Mnemonic::Xor,
        AluOp::Cmp => Mnemonic::Cmp,
    }
}

fn cond_index(c: Cond) -> usize {
    Cond::ALL.iter().position(|x| *x == c).unwrap()
}

/// What the decoder must report for `inst` at address `ip` with length `len`: mnemonic,
/// lock prefix, operands.
fn expected(inst: &Inst, ip: u64, len: u64) -> (Mnemonic, bool, Vec<Op>) {
    use Mnemonic as N;
    let target = |rel: i32| ip.wrapping_add(len).wrapping_add(rel as i64 as u64);
    match *inst {
        Inst::Alu { op, size, dst, src } => (
            alu_mnemonic(op),
            false,
            vec![rm(dst, size), Op::R(reg(src, size))],
        ),
        Inst::AluLoad { op, size, dst, src } => (
            alu_mnemonic(op),
            false,
            vec![Op::R(reg(dst, size)), mem(src, size.bytes())],
        ),
        Inst::AluImm {
            op,
            size,
            dst,
            imm: k,
        } => (
            alu_mnemonic(op),
            false,
            vec![rm(dst, size), imm(k as i64, size)],
        ),
        Inst::Mov { size, dst, src } => (N::Mov, false, vec![rm(dst, size), Op::R(reg(src, size))]),
        Inst::Load { size, dst, src } => (
            N::Mov,
            false,
            vec![Op::R(reg(dst, size)), mem(src, size.bytes())],
        ),
        Inst::MovImm32 { dst, imm: k } => (
            N::Mov,
            false,
            vec![Op::R(reg(dst, Size::D)), imm(k as i64, Size::D)],
        ),
        Inst::MovImm64 { dst, imm: k } => (
            N::Mov,
            false,
            vec![Op::R(reg(dst, Size::Q)), imm(k as i64, Size::Q)],
        ),
        Inst::MovImm { size, dst, imm: k } => {
            (N::Mov, false, vec![rm(dst, size), imm(k as i64, size)])
        }
        Inst::Movzx { from, dst, src } => (
            N::Movzx,
            false,
            vec![Op::R(reg(dst, Size::D)), rm(src, from)],
        ),
        Inst::Movsx {
            from,
            size,
            dst,
            src,
        } => (
            if from == Size::D { N::Movsxd } else { N::Movsx },
            false,
            vec![Op::R(reg(dst, size)), rm(src, from)],
        ),
        Inst::Lea { dst, src } => (N::Lea, false, vec![Op::R(reg(dst, Size::Q)), mem(src, 0)]),
        Inst::Imul { size, dst, src } => {
            (N::Imul, false, vec![Op::R(reg(dst, size)), rm(src, size)])
        }
        Inst::ImulImm {
            size,
            dst,
            src,
            imm: k,
        } => (
            N::Imul,
            false,
            vec![Op::R(reg(dst, size)), rm(src, size), imm(k as i64, size)],
        ),
        Inst::Div { size, signed, src } => (
            if signed { N::Idiv } else { N::Div },
            false,
            vec![rm(src, size)],
        ),
        Inst::Mul { size, src } => (N::Mul, false, vec![rm(src, size)]),
        Inst::Neg { size, dst } => (N::Neg, false, vec![rm(dst, size)]),
        Inst::ShiftImm {
            op,
            size,
            dst,
            imm: k,
        } => {
            let n = match op {
                ShiftOp::Rol => N::Rol,
                ShiftOp::Shl => N::Shl,
                ShiftOp::Shr => N::Shr,
                ShiftOp::Sar => N::Sar,
            };
            (n, false, vec![rm(dst, size), Op::I(k as u64, 1)])
        }
        Inst::ShiftX {
            op,
            size,
            dst,
            src,
            count,
        } => {
            let n = match op {
                ShiftOp::Shl => N::Shlx,
                ShiftOp::Shr => N::Shrx,
                _ => N::Sarx,
            };
            (
                n,
                false,
                vec![
                    Op::R(reg(dst, size)),
                    rm(src, size),
                    Op::R(reg(count, size)),
                ],
            )
        }
        Inst::Bswap { size, reg: r } => (N::Bswap, false, vec![Op::R(reg(r, size))]),
        Inst::Test { size, a, b } => (N::Test, false, vec![rm(a, size), Op::R(reg(b, size))]),
        Inst::TestImm { size, a, imm: k } => {
            (N::Test, false, vec![rm(a, size), imm(k as i64, size)])
        }
        Inst::SignExtendAx { size } => {
            (if size == Size::Q { N::Cqo } else { N::Cdq }, false, vec![])
        }
        Inst::Cmov {
            cond,
            size,
            dst,
            src,
        } => {
            let all = [
                N::Cmovo,
                N::Cmovno,
                N::Cmovb,
                N::Cmovae,
                N::Cmove,
                N::Cmovne,
                N::Cmovbe,
                N::Cmova,
                N::Cmovs,
                N::Cmovns,
                N::Cmovp,
                N::Cmovnp,
                N::Cmovl,
                N::Cmovge,
                N::Cmovle,
                N::Cmovg,
            ];
            (
                all[cond_index(cond)],
                false,
                vec![Op::R(reg(dst, size)), rm(src, size)],
            )
        }
        Inst::Jcc { cond, rel } => {
            let all = [
                N::Jo,
                N::Jno,
                N::Jb,
                N::Jae,
                N::Je,
                N::Jne,
                N::Jbe,
                N::Ja,
                N::Js,
                N::Jns,
                N::Jp,
                N::Jnp,
                N::Jl,
                N::Jge,
                N::Jle,
                N::Jg,
            ];
            (all[cond_index(cond)], false, vec![Op::Branch(target(rel))])
        }
        Inst::Jmp { rel } => (N::Jmp, false, vec![Op::Branch(target(rel))]),
        Inst::Call { rel } => (N::Call, false, vec![Op::Branch(target(rel))]),
        Inst::CallInd { target: t } => (N::Call, false, vec![rm(t, Size::Q)]),
        Inst::JmpInd { target: t } => (N::Jmp, false, vec![rm(t, Size::Q)]),
        Inst::Ret => (N::Ret, false, vec![]),
        Inst::Push { reg: r } => (N::Push, false, vec![Op::R(reg(r, Size::Q))]),
        Inst::Pop { reg: r } => (N::Pop, false, vec![Op::R(reg(r, Size::Q))]),
        Inst::Lock { op, size, dst, src } => {
            let n = match op {
                LockOp::Add => N::Add,
                LockOp::Or => N::Or,
                LockOp::And => N::And,
                LockOp::Xor => N::Xor,
            };
            (n, true, vec![mem(dst, size.bytes()), Op::R(reg(src, size))])
        }
        Inst::LockXadd { size, dst, src } => (
            N::Xadd,
            true,
            vec![mem(dst, size.bytes()), Op::R(reg(src, size))],
        ),
        Inst::Xchg { size, dst, src } => (
            N::Xchg,
            false,
            vec![mem(dst, size.bytes()), Op::R(reg(src, size))],
        ),
        Inst::LockCmpxchg { size, dst, src } => (
            N::Cmpxchg,
            true,
            vec![mem(dst, size.bytes()), Op::R(reg(src, size))],
        ),
        Inst::Ud2 => (N::Ud2, false, vec![]),
    }
}

/// The operands the decoder reports.
fn decoded_ops(ins: &iced_x86::Instruction) -> Vec<Op> {
    (0..ins.op_count())
        .map(|i| match ins.op_kind(i) {
            OpKind::Register => Op::R(ins.op_register(i)),
            OpKind::Memory => Op::M {
                base: ins.memory_base(),
                index: ins.memory_index(),
                scale: ins.memory_index_scale(),
                disp: ins.memory_displacement64(),
                bytes: ins.memory_size().size(),
            },
            OpKind::NearBranch64 => Op::Branch(ins.near_branch64()),
            k => {
                let v = ins.immediate(i);
                // The operand size: that of operand 0 when it is a register or memory.
                let bytes = match k {
                    OpKind::Immediate8 => 1,
                    OpKind::Immediate16 => 2,
                    OpKind::Immediate32 => 4,
                    OpKind::Immediate64 => 8,
                    _ => match ins.op_kind(0) {
                        OpKind::Register => ins.op_register(0).size(),
                        OpKind::Memory => ins.memory_size().size(),
                        _ => 8,
                    },
                };
                Op::I(v, bytes)
            }
        })
        .collect()
}

fn mask(v: u64, bytes: usize) -> u64 {
    if bytes >= 8 {
        v
    } else {
        v & ((1u64 << (8 * bytes)) - 1)
    }
}

fn normalise(ops: Vec<Op>) -> Vec<Op> {
    ops.into_iter()
        .map(|o| match o {
            Op::I(v, n) => Op::I(mask(v, n), n),
            o => o,
        })
        .collect()
}

/// Encodes `inst`, decodes it and compares; `Ok(false)` when the form has no encoding.
pub fn check_inst(inst: &Inst) -> Result<bool, String> {
    let mut buf = Vec::new();
    if encode(inst, &mut buf).is_err() {
        return Ok(false);
    }
    let ip = 0x7000_0000_0000u64;
    let mut d = Decoder::with_ip(64, &buf, ip, DecoderOptions::NONE);
    let ins = d.decode();
    if ins.is_invalid() {
        return Err(format!("{inst:?}: {buf:02x?} does not decode"));
    }
    if ins.len() != buf.len() {
        return Err(format!(
            "{inst:?}: {buf:02x?} decodes as {} bytes, not {}",
            ins.len(),
            buf.len()
        ));
    }
    let (mn, lock, ops) = expected(inst, ip, buf.len() as u64);
    let got = normalise(decoded_ops(&ins));
    let want = normalise(ops);
    if ins.mnemonic() != mn || ins.has_lock_prefix() != lock || got != want {
        return Err(format!(
            "{inst:?}: {buf:02x?} decodes as {:?} lock={} {:?}, expected {:?} lock={} {:?}",
            ins.mnemonic(),
            ins.has_lock_prefix(),
            got,
            mn,
            lock,
            want
        ));
    }
    Ok(true)
}

/// The fuzz oracle: the instruction `data` describes encodes to itself or is refused.
pub fn check(data: &[u8]) {
    let inst = inst_from(&mut Unstructured::new(data));
    if let Err(e) = check_inst(&inst) {
        panic!("{e}");
    }
}

fn pick<T: Copy>(u: &mut Unstructured, all: &[T]) -> T {
    all[u.choose_index(all.len()).unwrap_or(0)]
}

fn int<T: for<'a> arbitrary::Arbitrary<'a> + Default>(u: &mut Unstructured) -> T {
    u.arbitrary().unwrap_or_default()
}

fn any_reg(u: &mut Unstructured) -> Reg {
    pick(u, &Reg::ALL)
}

fn any_size(u: &mut Unstructured) -> Size {
    pick(u, &Size::ALL)
}

fn wide(u: &mut Unstructured) -> Size {
    pick(u, &[Size::D, Size::Q])
}

/// A displacement: zero, one byte or four (the encodings differ).
fn disp(u: &mut Unstructured) -> i32 {
    match int::<u8>(u) % 3 {
        0 => 0,
        1 => int::<i8>(u) as i32,
        _ => int(u),
    }
}

/// An immediate: one byte, four, or an extreme.
fn any_imm(u: &mut Unstructured) -> i32 {
    match int::<u8>(u) % 4 {
        0 => int::<i8>(u) as i32,
        1 => int(u),
        2 => i32::MIN,
        _ => -1,
    }
}

/// An immediate that fits the operand size (wider ones have no encoding).
fn sized_imm(u: &mut Unstructured, size: Size) -> i32 {
    let imm = any_imm(u);
    match size {
        Size::B => imm as i8 as i32,
        Size::W => imm as i16 as i32,
        _ => imm,
    }
}

fn any_mem(u: &mut Unstructured) -> Mem {
    let base = any_reg(u);
    let d = disp(u);
    if int::<bool>(u) {
        let (i, s) = (any_reg(u), pick(u, &Scale::ALL));
        Mem::indexed(base, i, s, d).unwrap_or(Mem::base(base, d))
    } else {
        Mem::base(base, d)
    }
}

fn any_rm(u: &mut Unstructured) -> Rm {
    if int::<bool>(u) {
        Rm::Reg(any_reg(u))
    } else {
        Rm::Mem(any_mem(u))
    }
}

/// The instruction the choices in `u` describe: every form of [`Inst`], with operands
/// chosen as above (a form the encoder refuses is possible, and checked to be refused
/// rather than mis-encoded).
pub fn inst_from(u: &mut Unstructured) -> Inst {
    match int::<u8>(u) % 35 {
        0 => Inst::Alu {
            op: pick(u, &AluOp::ALL),
            size: any_size(u),
            dst: any_rm(u),
            src: any_reg(u),
        },
        1 => Inst::AluLoad {
            op: pick(u, &AluOp::ALL),
            size: any_size(u),
            dst: any_reg(u),
            src: any_mem(u),
        },
        2 => {
            let (op, size, dst) = (pick(u, &AluOp::ALL), any_size(u), any_rm(u));
            let imm = sized_imm(u, size);
            Inst::AluImm { op, size, dst, imm }
        }
        3 => Inst::Mov {
            size: any_size(u),
            dst: any_rm(u),
            src: any_reg(u),
        },
        4 => Inst::Load {
            size: any_size(u),
            dst: any_reg(u),
            src: any_mem(u),
        },
        5 => Inst::MovImm32 {
            dst: any_reg(u),
            imm: int(u),
        },
        6 => Inst::MovImm64 {
            dst: any_reg(u),
            imm: int(u),
        },
        7 => {
            let (size, dst) = (any_size(u), any_rm(u));
            let imm = sized_imm(u, size);
            Inst::MovImm { size, dst, imm }
        }
        8 => Inst::Movzx {
            from: pick(u, &[Size::B, Size::W]),
            dst: any_reg(u),
            src: any_rm(u),
        },
        9 => {
            let (from, size) = (pick(u, &[Size::B, Size::W, Size::D]), wide(u));
            Inst::Movsx {
                from,
                size: if from == Size::D { Size::Q } else { size },
                dst: any_reg(u),
                src: any_rm(u),
            }
        }
        10 => Inst::Lea {
            dst: any_reg(u),
            src: any_mem(u),
        },
        11 => Inst::Imul {
            size: wide(u),
            dst: any_reg(u),
            src: any_rm(u),
        },
        12 => Inst::ImulImm {
            size: wide(u),
            dst: any_reg(u),
            src: any_rm(u),
            imm: any_imm(u),
        },
        13 => Inst::Div {
            size: wide(u),
            signed: int(u),
            src: any_rm(u),
        },
        14 => Inst::Mul {
            size: wide(u),
            src: any_rm(u),
        },
        15 => Inst::Neg {
            size: any_size(u),
            dst: any_rm(u),
        },
        16 => Inst::ShiftImm {
            op: pick(u, &ShiftOp::ALL),
            size: any_size(u),
            dst: any_rm(u),
            imm: int::<u8>(u) % 64,
        },
        17 => Inst::ShiftX {
            op: pick(u, &ShiftOp::ALL[1..]),
            size: wide(u),
            dst: any_reg(u),
            src: any_rm(u),
            count: any_reg(u),
        },
        18 => Inst::Bswap {
            size: wide(u),
            reg: any_reg(u),
        },
        19 => Inst::Test {
            size: any_size(u),
            a: any_rm(u),
            b: any_reg(u),
        },
        20 => {
            let (size, a) = (any_size(u), any_rm(u));
            let imm = sized_imm(u, size);
            Inst::TestImm { size, a, imm }
        }
        21 => Inst::SignExtendAx { size: wide(u) },
        22 => Inst::Cmov {
            cond: pick(u, &Cond::ALL),
            size: wide(u),
            dst: any_reg(u),
            src: any_rm(u),
        },
        23 => Inst::Jcc {
            cond: pick(u, &Cond::ALL),
            rel: int(u),
        },
        24 => Inst::Jmp { rel: int(u) },
        25 => Inst::Call { rel: int(u) },
        26 => Inst::CallInd { target: any_rm(u) },
        27 => Inst::JmpInd { target: any_rm(u) },
        28 => Inst::Ret,
        29 => Inst::Push { reg: any_reg(u) },
        30 => Inst::Pop { reg: any_reg(u) },
        31 => Inst::Lock {
            op: pick(u, &LockOp::ALL),
            size: wide(u),
            dst: any_mem(u),
            src: any_reg(u),
        },
        32 => Inst::LockXadd {
            size: wide(u),
            dst: any_mem(u),
            src: any_reg(u),
        },
        33 => {
            let (size, dst, src) = (wide(u), any_mem(u), any_reg(u));
            if int::<bool>(u) {
                Inst::Xchg { size, dst, src }
            } else {
                Inst::LockCmpxchg { size, dst, src }
            }
        }
        _ => Inst::Ud2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form, over random choices: each decodes to itself, and every form the choices
    /// describe (with immediates that fit) has an encoding.
    #[test]
    fn every_form_decodes_to_itself() {
        let mut rng = crate::rng::Rng::new(0x5eed_c0de);
        let mut forms = std::collections::HashSet::new();
        for _ in 0..20_000 {
            let bytes = rng.bytes(48);
            let inst = inst_from(&mut Unstructured::new(&bytes));
            forms.insert(std::mem::discriminant(&inst));
            match check_inst(&inst) {
                Ok(true) => {}
                Ok(false) => panic!("{inst:?} has no encoding"),
                Err(e) => panic!("{e}"),
            }
        }
        assert!(forms.len() >= 36, "{} forms", forms.len());
    }

    /// Every register pair, every size and every base/index register of a memory operand,
    /// exhaustively for the forms whose encoding depends most on them.
    #[test]
    fn every_register_combination() {
        let mut n = 0;
        for a in Reg::ALL {
            for b in Reg::ALL {
                for size in Size::ALL {
                    for inst in [
                        Inst::Alu {
                            op: AluOp::Add,
                            size,
                            dst: Rm::Reg(a),
                            src: b,
                        },
                        Inst::Mov {
                            size,
                            dst: Rm::Mem(Mem::base(a, 0)),
                            src: b,
                        },
                        Inst::Load {
                            size,
                            dst: b,
                            src: Mem::base(a, -8),
                        },
                    ] {
                        assert!(check_inst(&inst).unwrap(), "{inst:?}");
                        n += 1;
                    }
                }
                for size in [Size::D, Size::Q] {
                    for c in Reg::ALL {
                        let inst = Inst::ShiftX {
                            op: ShiftOp::Shr,
                            size,
                            dst: a,
                            src: Rm::Reg(b),
                            count: c,
                        };
                        assert!(check_inst(&inst).unwrap(), "{inst:?}");
                        n += 1;
                    }
                    if let Some(m) = Mem::indexed(a, b, Scale::S8, 0) {
                        for r in Reg::ALL {
                            let inst = Inst::Movzx {
                                from: Size::B,
                                dst: r,
                                src: Rm::Mem(m),
                            };
                            assert!(check_inst(&inst).unwrap(), "{inst:?}");
                            n += 1;
                        }
                    }
                }
            }
        }
        assert!(n > 10_000);
    }

    /// Forms that do not exist are refused, not mis-encoded.
    #[test]
    fn forms_without_an_encoding_are_refused() {
        for inst in [
            Inst::Imul {
                size: Size::B,
                dst: Reg::Rax,
                src: Rm::Reg(Reg::Rcx),
            },
            Inst::Bswap {
                size: Size::W,
                reg: Reg::Rax,
            },
            Inst::ShiftX {
                op: ShiftOp::Rol,
                size: Size::Q,
                dst: Reg::Rax,
                src: Rm::Reg(Reg::Rcx),
                count: Reg::Rdx,
            },
            Inst::Movsx {
                from: Size::D,
                size: Size::D,
                dst: Reg::Rax,
                src: Rm::Reg(Reg::Rcx),
            },
            Inst::AluImm {
                op: AluOp::Add,
                size: Size::W,
                dst: Rm::Reg(Reg::Rax),
                imm: 70_000,
            },
        ] {
            let mut buf = Vec::new();
            assert!(encode(&inst, &mut buf).is_err(), "{inst:?} encoded");
            assert!(buf.is_empty());
        }
        assert!(Mem::indexed(Reg::Rax, Reg::Rsp, Scale::S1, 0).is_none());
    }
}
