//! The encoder against the `iced-x86` decoder: every form, over random registers, sizes,
//! memory operands and immediates, decodes to the instruction it describes, with nothing left
//! over.

use iced_x86::{Decoder, DecoderOptions, Mnemonic, OpKind, Register};
use jit::x86::*;
use proptest::prelude::*;

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
fn check(inst: &Inst) -> Result<bool, String> {
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

fn any_reg() -> impl Strategy<Value = Reg> {
    (0usize..16).prop_map(|i| Reg::ALL[i])
}
fn any_size() -> impl Strategy<Value = Size> {
    (0usize..4).prop_map(|i| Size::ALL[i])
}
fn wide() -> impl Strategy<Value = Size> {
    prop_oneof![Just(Size::D), Just(Size::Q)]
}
fn disp() -> impl Strategy<Value = i32> {
    prop_oneof![Just(0), -128i32..128, any::<i32>()]
}
fn any_imm() -> impl Strategy<Value = i32> {
    prop_oneof![-128i32..128, any::<i32>(), Just(i32::MIN), Just(-1)]
}
fn any_mem() -> impl Strategy<Value = Mem> {
    (
        any_reg(),
        proptest::option::of((any_reg(), 0usize..4)),
        disp(),
    )
        .prop_map(|(base, index, disp)| match index {
            Some((i, s)) => {
                Mem::indexed(base, i, Scale::ALL[s], disp).unwrap_or(Mem::base(base, disp))
            }
            None => Mem::base(base, disp),
        })
}
fn any_rm() -> impl Strategy<Value = Rm> {
    prop_oneof![any_reg().prop_map(Rm::Reg), any_mem().prop_map(Rm::Mem)]
}
fn any_cond() -> impl Strategy<Value = Cond> {
    (0usize..16).prop_map(|i| Cond::ALL[i])
}

fn any_inst() -> impl Strategy<Value = Inst> {
    let alu = (0usize..6).prop_map(|i| AluOp::ALL[i]);
    let shift = (0usize..4).prop_map(|i| ShiftOp::ALL[i]);
    let lock = (0usize..4).prop_map(|i| LockOp::ALL[i]);
    prop_oneof![
        (alu.clone(), any_size(), any_rm(), any_reg()).prop_map(|(op, size, dst, src)| Inst::Alu {
            op,
            size,
            dst,
            src
        }),
        (alu.clone(), any_size(), any_reg(), any_mem())
            .prop_map(|(op, size, dst, src)| Inst::AluLoad { op, size, dst, src }),
        (alu, any_size(), any_rm(), any_imm()).prop_map(|(op, size, dst, imm)| {
            let imm = match size {
                Size::B => imm as i8 as i32,
                Size::W => imm as i16 as i32,
                _ => imm,
            };
            Inst::AluImm { op, size, dst, imm }
        }),
        (any_size(), any_rm(), any_reg()).prop_map(|(size, dst, src)| Inst::Mov { size, dst, src }),
        (any_size(), any_reg(), any_mem()).prop_map(|(size, dst, src)| Inst::Load {
            size,
            dst,
            src
        }),
        (any_reg(), any::<u32>()).prop_map(|(dst, imm)| Inst::MovImm32 { dst, imm }),
        (any_reg(), any::<u64>()).prop_map(|(dst, imm)| Inst::MovImm64 { dst, imm }),
        (any_size(), any_rm(), any_imm()).prop_map(|(size, dst, imm)| {
            let imm = match size {
                Size::B => imm as i8 as i32,
                Size::W => imm as i16 as i32,
                _ => imm,
            };
            Inst::MovImm { size, dst, imm }
        }),
        (
            prop_oneof![Just(Size::B), Just(Size::W)],
            any_reg(),
            any_rm()
        )
            .prop_map(|(from, dst, src)| Inst::Movzx { from, dst, src }),
        (
            prop_oneof![Just(Size::B), Just(Size::W), Just(Size::D)],
            wide(),
            any_reg(),
            any_rm()
        )
            .prop_map(|(from, size, dst, src)| Inst::Movsx {
                from,
                size: if from == Size::D { Size::Q } else { size },
                dst,
                src
            }),
        (any_reg(), any_mem()).prop_map(|(dst, src)| Inst::Lea { dst, src }),
        (wide(), any_reg(), any_rm()).prop_map(|(size, dst, src)| Inst::Imul { size, dst, src }),
        (wide(), any_reg(), any_rm(), any_imm()).prop_map(|(size, dst, src, imm)| Inst::ImulImm {
            size,
            dst,
            src,
            imm
        }),
        (wide(), any::<bool>(), any_rm()).prop_map(|(size, signed, src)| Inst::Div {
            size,
            signed,
            src
        }),
        (wide(), any_rm()).prop_map(|(size, src)| Inst::Mul { size, src }),
        (any_size(), any_rm()).prop_map(|(size, dst)| Inst::Neg { size, dst }),
        (shift.clone(), any_size(), any_rm(), 0u8..64)
            .prop_map(|(op, size, dst, imm)| Inst::ShiftImm { op, size, dst, imm }),
        (1usize..4, wide(), any_reg(), any_rm(), any_reg()).prop_map(
            |(op, size, dst, src, count)| {
                Inst::ShiftX {
                    op: ShiftOp::ALL[op],
                    size,
                    dst,
                    src,
                    count,
                }
            }
        ),
        (wide(), any_reg()).prop_map(|(size, reg)| Inst::Bswap { size, reg }),
        (any_size(), any_rm(), any_reg()).prop_map(|(size, a, b)| Inst::Test { size, a, b }),
        (any_size(), any_rm(), any_imm()).prop_map(|(size, a, imm)| {
            let imm = match size {
                Size::B => imm as i8 as i32,
                Size::W => imm as i16 as i32,
                _ => imm,
            };
            Inst::TestImm { size, a, imm }
        }),
        wide().prop_map(|size| Inst::SignExtendAx { size }),
        (any_cond(), wide(), any_reg(), any_rm()).prop_map(|(cond, size, dst, src)| Inst::Cmov {
            cond,
            size,
            dst,
            src
        }),
        (any_cond(), any::<i32>()).prop_map(|(cond, rel)| Inst::Jcc { cond, rel }),
        any::<i32>().prop_map(|rel| Inst::Jmp { rel }),
        any::<i32>().prop_map(|rel| Inst::Call { rel }),
        any_rm().prop_map(|target| Inst::CallInd { target }),
        any_rm().prop_map(|target| Inst::JmpInd { target }),
        Just(Inst::Ret),
        any_reg().prop_map(|reg| Inst::Push { reg }),
        any_reg().prop_map(|reg| Inst::Pop { reg }),
        (lock, wide(), any_mem(), any_reg()).prop_map(|(op, size, dst, src)| Inst::Lock {
            op,
            size,
            dst,
            src
        }),
        (wide(), any_mem(), any_reg()).prop_map(|(size, dst, src)| Inst::LockXadd {
            size,
            dst,
            src
        }),
        (wide(), any_mem(), any_reg()).prop_map(|(size, dst, src)| Inst::Xchg { size, dst, src }),
        (wide(), any_mem(), any_reg()).prop_map(|(size, dst, src)| Inst::LockCmpxchg {
            size,
            dst,
            src
        }),
        Just(Inst::Ud2),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, .. ProptestConfig::default() })]
    #[test]
    fn every_form_decodes_to_itself(inst in any_inst()) {
        let r = check(&inst);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        prop_assert!(r.unwrap(), "{inst:?} has no encoding");
    }
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
                    assert!(check(&inst).unwrap(), "{inst:?}");
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
                    assert!(check(&inst).unwrap(), "{inst:?}");
                    n += 1;
                }
                if let Some(m) = Mem::indexed(a, b, Scale::S8, 0) {
                    for r in Reg::ALL {
                        let inst = Inst::Movzx {
                            from: Size::B,
                            dst: r,
                            src: Rm::Mem(m),
                        };
                        assert!(check(&inst).unwrap(), "{inst:?}");
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
