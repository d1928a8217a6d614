//! The interpreter's pre-decoded form: one [`Op`] per slot, with operands unpacked and every
//! variant specialised (operation, width, operand kind), so that the run loop dispatches once
//! per instruction. What each op computes comes from [`crate::alu`].

use crate::isa::*;

/// Calls `$cb!` with the lists of ALU and jump variants, so that the enum and the run loop are
/// generated from one table.
macro_rules! with_op_table {
    ($cb:ident) => {
        $cb! {
            alu [
                (AddK64, AddX64, AddK32, AddX32, add, Add, MovAddK64, MovAddX64),
                (SubK64, SubX64, SubK32, SubX32, sub, Sub, MovSubK64, MovSubX64),
                (MulK64, MulX64, MulK32, MulX32, mul, Mul, MovMulK64, MovMulX64),
                (DivK64, DivX64, DivK32, DivX32, div, Div, MovDivK64, MovDivX64),
                (SdivK64, SdivX64, SdivK32, SdivX32, sdiv, Sdiv, MovSdivK64, MovSdivX64),
                (OrK64, OrX64, OrK32, OrX32, or, Or, MovOrK64, MovOrX64),
                (AndK64, AndX64, AndK32, AndX32, and, And, MovAndK64, MovAndX64),
                (LshK64, LshX64, LshK32, LshX32, lsh, Lsh, MovLshK64, MovLshX64),
                (RshK64, RshX64, RshK32, RshX32, rsh, Rsh, MovRshK64, MovRshX64),
                (ModK64, ModX64, ModK32, ModX32, modulo, Mod, MovModK64, MovModX64),
                (SmodK64, SmodX64, SmodK32, SmodX32, smod, Smod, MovSmodK64, MovSmodX64),
                (XorK64, XorX64, XorK32, XorX32, xor, Xor, MovXorK64, MovXorX64),
                (ArshK64, ArshX64, ArshK32, ArshX32, arsh, Arsh, MovArshK64, MovArshX64),
            ]
            jmp [
                (JeqK64, JeqX64, JeqK32, JeqX32, Eq, AddJeqK64, AddJeqX64),
                (JneK64, JneX64, JneK32, JneX32, Ne, AddJneK64, AddJneX64),
                (JgtK64, JgtX64, JgtK32, JgtX32, Gt, AddJgtK64, AddJgtX64),
                (JgeK64, JgeX64, JgeK32, JgeX32, Ge, AddJgeK64, AddJgeX64),
                (JltK64, JltX64, JltK32, JltX32, Lt, AddJltK64, AddJltX64),
                (JleK64, JleX64, JleK32, JleX32, Le, AddJleK64, AddJleX64),
                (JsgtK64, JsgtX64, JsgtK32, JsgtX32, Sgt, AddJsgtK64, AddJsgtX64),
                (JsgeK64, JsgeX64, JsgeK32, JsgeX32, Sge, AddJsgeK64, AddJsgeX64),
                (JsltK64, JsltX64, JsltK32, JsltX32, Slt, AddJsltK64, AddJsltX64),
                (JsleK64, JsleX64, JsleK32, JsleX32, Sle, AddJsleK64, AddJsleX64),
                (JsetK64, JsetX64, JsetK32, JsetX32, Set, AddJsetK64, AddJsetX64),
            ]
        }
    };
}
pub(crate) use with_op_table;

macro_rules! define_op {
    (alu [ $( ($k64:ident, $x64:ident, $k32:ident, $x32:ident, $f:ident, $a:ident, $mk64:ident, $mx64:ident) ),* $(,)? ]
     jmp [ $( ($jk64:ident, $jx64:ident, $jk32:ident, $jx32:ident, $c:ident, $ajk64:ident, $ajx64:ident) ),* $(,)? ]) => {
        /// One pre-decoded instruction. Registers are indices 0..=10; `u32` targets are slot
        /// indices.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum Op {
            $( $k64(u8, u64), $x64(u8, u8), $k32(u8, u32), $x32(u8, u8), )*
            // `dst = src` fused with the 64-bit ALU instruction after it on `dst`:
            // (dst, src, imm) and (dst, src, second source); see `fuse`.
            $( $mk64(u8, u8, u64), $mx64(u8, u8, u8), )*
            $( $jk64(u8, u64, u32), $jx64(u8, u8, u32), $jk32(u8, u32, u32), $jx32(u8, u8, u32), )*
            // `dst += imm` fused with the 64-bit conditional jump after it on `dst` (a loop
            // latch): (dst, added imm, compared imm, target) and (dst, added imm, compared
            // register, target).
            $( $ajk64(u8, i32, i32, u32), $ajx64(u8, i32, u8, u32), )*
            MovK64(u8, u64),
            /// LD_IMM64: like `MovK64`, then skips the second slot.
            Lddw(u8, u64),
            MovX64(u8, u8),
            MovK32(u8, u32),
            MovX32(u8, u8),
            /// MOVSX from the low `bits` of a register, 64-bit result.
            MovSx64(u8, u8, u8),
            /// MOVSX from the low `bits` of a register, 32-bit result zero-extended.
            MovSx32(u8, u8, u8),
            Neg64(u8),
            Neg32(u8),
            End(u8, EndKind, u8),
            Ja(u32),
            /// Loads of 1, 2, 4, 8 bytes: (dst, src, off).
            LdxB(u8, u8, i16),
            LdxH(u8, u8, i16),
            LdxW(u8, u8, i16),
            LdxDW(u8, u8, i16),
            /// Register stores of 1, 2, 4, 8 bytes: (dst, off, src).
            StxB(u8, i16, u8),
            StxH(u8, i16, u8),
            StxW(u8, i16, u8),
            StxDW(u8, i16, u8),
            LdxSx(u8, u8, i16, u8),
            St(u8, i16, u64, u8),
            Atomic(Width, Atomic, u8, u8, i16),
            LdAbs(u8, i32),
            LdInd(u8, u8, i32),
            /// A helper call by number.
            Call(u32),
            CallLocal(u32),
            CallX(u8),
            TailCall,
            /// A straight-line run of ALU instructions: (index of its first micro op in the
            /// program's table, length).
            AluRun(u32, u16),
            /// Unsigned division and remainder by a constant: (dst, index into the program's
            /// divisor table), 64- and 32-bit.
            DivConst64(u8, u32),
            ModConst64(u8, u32),
            DivConst32(u8, u32),
            ModConst32(u8, u32),
            /// `dst = src` fused with a division or remainder of `dst` by a constant:
            /// (dst, src, index into the divisor table).
            MovDivConst64(u8, u8, u32),
            MovModConst64(u8, u8, u32),
            Exit,
            /// The second slot of an LD_IMM64; never executed.
            Pad,
        }
    };
}
with_op_table!(define_op);

/// How an LD_IMM64 with a pseudo source becomes a value at load time.
pub trait PseudoResolver {
    fn resolve(
        &mut self,
        pc: usize,
        pseudo: Pseudo,
        imm: i32,
        next_imm: i32,
    ) -> Result<u64, String>;
    /// Whether helper `n` exists.
    fn has_helper(&self, n: i32) -> bool;
}

/// Why a program cannot be prepared for execution.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Decode(#[from] crate::decode::DecodeError),
    #[error("instruction {pc}: unknown helper {helper}")]
    UnknownHelper { pc: usize, helper: i32 },
    #[error("instruction {pc}: {msg}")]
    Unsupported { pc: usize, msg: String },
}

/// Translates a decoded program into ops, one per slot.
/// What `compile` produces: one op per slot and the side tables some ops index.
pub struct Compiled {
    pub ops: Vec<Op>,
    pub micro: Vec<super::runs::Micro>,
    pub divisors: Vec<super::divide::Divisor>,
    /// The value of every LD_IMM64, resolved: (slot, value).
    pub imm64: Vec<(usize, u64)>,
}

pub fn compile(
    d: &crate::decode::Decoded,
    res: &mut dyn PseudoResolver,
) -> Result<Compiled, LoadError> {
    let mut ops = vec![Op::Pad; d.slots.len()];
    let mut divisors = Vec::new();
    let mut imm64 = Vec::new();
    for &(pc, ins) in &d.insns {
        ops[pc] = match ins {
            // Division by a constant: the reciprocal is computed once, here.
            Instruction::Alu {
                width,
                op: op @ (AluOp::Div | AluOp::Mod),
                dst,
                src: Source::Imm(k),
            } => {
                let dv = if width == Width::W64 {
                    k as i64 as u64
                } else {
                    k as u32 as u64
                };
                divisors.push(super::divide::Divisor::new(dv));
                let i = (divisors.len() - 1) as u32;
                match (width, op) {
                    (Width::W64, AluOp::Div) => Op::DivConst64(dst.num(), i),
                    (Width::W64, _) => Op::ModConst64(dst.num(), i),
                    (Width::W32, AluOp::Div) => Op::DivConst32(dst.num(), i),
                    (Width::W32, _) => Op::ModConst32(dst.num(), i),
                }
            }
            _ => compile_one(pc, &ins, res)?,
        };
        if let Op::Lddw(_, v) = ops[pc] {
            imm64.push((pc, v));
        }
    }
    // Superinstructions: the second slot keeps its own op, so a jump to it still works.
    for w in d.insns.windows(2) {
        let ((a, ia), (b, _)) = (w[0], w[1]);
        if b == a + ia.slots() {
            if let Some(f) = fuse(ops[a], ops[b]) {
                ops[a] = f;
            }
        }
    }
    let mut micro = Vec::new();
    for (start, run) in super::runs::find(&d.insns) {
        let len = run.len().min(u16::MAX as usize);
        ops[start] = Op::AluRun(micro.len() as u32, len as u16);
        micro.extend_from_slice(&run[..len]);
    }
    Ok(Compiled {
        ops,
        micro,
        divisors,
        imm64,
    })
}

/// For each slot, how many instructions run from it to the end of its basic block: up to and
/// including the next jump, call or exit (or the end of the program). Slot `len` gets 0.
pub fn block_lengths(d: &crate::decode::Decoded) -> Vec<u32> {
    let n = d.slots.len();
    let mut blocks = vec![0u32; n + 1];
    for &(pc, ins) in d.insns.iter().rev() {
        blocks[pc] = if ins.ends_block() {
            1
        } else {
            1 + blocks[(pc + ins.slots()).min(n)]
        };
    }
    blocks
}

fn target(pc: usize, off: i64) -> u32 {
    (pc as i64 + 1 + off) as u32
}

macro_rules! compile_alu_jmp {
    (alu [ $( ($k64:ident, $x64:ident, $k32:ident, $x32:ident, $f:ident, $a:ident, $mk64:ident, $mx64:ident) ),* $(,)? ]
     jmp [ $( ($jk64:ident, $jx64:ident, $jk32:ident, $jx32:ident, $c:ident, $ajk64:ident, $ajx64:ident) ),* $(,)? ]) => {
        /// The op of a binary ALU instruction other than moves.
        fn alu_op(op: AluOp, width: Width, dst: u8, src: Source) -> Option<Op> {
            match op {
                $(
                    AluOp::$a => Some(match (width, src) {
                        (Width::W64, Source::Imm(k)) => Op::$k64(dst, k as i64 as u64),
                        (Width::W64, Source::Reg(r)) => Op::$x64(dst, r.num()),
                        (Width::W32, Source::Imm(k)) => Op::$k32(dst, k as u32),
                        (Width::W32, Source::Reg(r)) => Op::$x32(dst, r.num()),
                    }),
                )*
                _ => None,
            }
        }
        /// The superinstruction for a register move followed by a 64-bit ALU instruction on
        /// the moved-to register (`r3 = r1; r3 /= 3`, `r2 = r10; r2 += -4`), or for an
        /// addition of a constant followed by a conditional jump on the same register
        /// (`r1 += 1; if r1 < r2 goto loop`), or `None`.
        fn fuse(first: Op, second: Op) -> Option<Op> {
            if let Op::AddK64(d, k) = first {
                return match second {
                    $(
                        Op::$jk64(d2, c, t) if d2 == d && c as i64 as i32 as i64 as u64 == c => Some(Op::$ajk64(d, k as i64 as i32, c as i64 as i32, t)),
                        Op::$jx64(d2, r, t) if d2 == d => Some(Op::$ajx64(d, k as i64 as i32, r, t)),
                    )*
                    _ => None,
                };
            }
            let Op::MovX64(d, s) = first else { return None };
            match second {
                $(
                    Op::$k64(d2, k) if d2 == d => Some(Op::$mk64(d, s, k)),
                    Op::$x64(d2, t) if d2 == d && t != d => Some(Op::$mx64(d, s, t)),
                )*
                Op::DivConst64(d2, i) if d2 == d => Some(Op::MovDivConst64(d, s, i)),
                Op::ModConst64(d2, i) if d2 == d => Some(Op::MovModConst64(d, s, i)),
                _ => None,
            }
        }

        fn jmp_op(cond: JmpCond, width: Width, dst: u8, src: Source, t: u32) -> Op {
            match cond {
                $(
                    JmpCond::$c => match (width, src) {
                        (Width::W64, Source::Imm(k)) => Op::$jk64(dst, k as i64 as u64, t),
                        (Width::W64, Source::Reg(r)) => Op::$jx64(dst, r.num(), t),
                        (Width::W32, Source::Imm(k)) => Op::$jk32(dst, k as u32, t),
                        (Width::W32, Source::Reg(r)) => Op::$jx32(dst, r.num(), t),
                    },
                )*
            }
        }
    };
}
with_op_table!(compile_alu_jmp);

fn compile_one(
    pc: usize,
    ins: &Instruction,
    res: &mut dyn PseudoResolver,
) -> Result<Op, LoadError> {
    use Instruction as I;
    Ok(match *ins {
        I::Alu {
            width,
            op,
            dst,
            src,
        } => {
            let d = dst.num();
            match (op, width, src) {
                (AluOp::Mov, Width::W64, Source::Imm(k)) => Op::MovK64(d, k as i64 as u64),
                (AluOp::Mov, Width::W64, Source::Reg(r)) => Op::MovX64(d, r.num()),
                (AluOp::Mov, Width::W32, Source::Imm(k)) => Op::MovK32(d, k as u32),
                (AluOp::Mov, Width::W32, Source::Reg(r)) => Op::MovX32(d, r.num()),
                (AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32, w, Source::Reg(r)) => {
                    let bits = match op {
                        AluOp::MovSx8 => 8,
                        AluOp::MovSx16 => 16,
                        _ => 32,
                    };
                    if w == Width::W64 {
                        Op::MovSx64(d, r.num(), bits)
                    } else {
                        Op::MovSx32(d, r.num(), bits)
                    }
                }
                _ => alu_op(op, width, d, src).ok_or_else(|| LoadError::Unsupported {
                    pc,
                    msg: format!("{op:?} with {src:?}"),
                })?,
            }
        }
        I::Neg {
            width: Width::W64,
            dst,
        } => Op::Neg64(dst.num()),
        I::Neg {
            width: Width::W32,
            dst,
        } => Op::Neg32(dst.num()),
        I::End { kind, bits, dst } => Op::End(dst.num(), kind, bits),
        I::Ja { off } => Op::Ja(target(pc, off as i64)),
        I::JaLong { imm } => Op::Ja(target(pc, imm as i64)),
        I::Jmp {
            width,
            cond,
            dst,
            src,
            off,
        } => jmp_op(cond, width, dst.num(), src, target(pc, off as i64)),
        I::Call(Call::Helper(12)) => Op::TailCall,
        I::Call(Call::Helper(n)) => {
            if !res.has_helper(n) {
                return Err(LoadError::UnknownHelper { pc, helper: n });
            }
            Op::Call(n as u32)
        }
        I::Call(Call::Local(imm)) => Op::CallLocal(target(pc, imm as i64)),
        I::Call(Call::Kfunc { btf_id, .. }) => {
            return Err(LoadError::Unsupported {
                pc,
                msg: format!("kfunc call (BTF id {btf_id}) cannot be interpreted"),
            })
        }
        I::CallX { reg } => Op::CallX(reg.num()),
        I::Exit => Op::Exit,
        I::LdImm64 {
            dst,
            pseudo,
            imm,
            next_imm,
        } => {
            let v = match pseudo {
                Pseudo::Imm64 => Instruction::imm64(imm, next_imm),
                _ => res
                    .resolve(pc, pseudo, imm, next_imm)
                    .map_err(|msg| LoadError::Unsupported { pc, msg })?,
            };
            Op::Lddw(dst.num(), v)
        }
        I::Load {
            size,
            sign_extend: false,
            dst,
            src,
            off,
        } => {
            let (d, s) = (dst.num(), src.num());
            match size {
                Size::B => Op::LdxB(d, s, off),
                Size::H => Op::LdxH(d, s, off),
                Size::W => Op::LdxW(d, s, off),
                Size::DW => Op::LdxDW(d, s, off),
            }
        }
        I::Load {
            size,
            sign_extend: true,
            dst,
            src,
            off,
        } => Op::LdxSx(dst.num(), src.num(), off, size.bytes() as u8),
        I::Store {
            size,
            dst,
            off,
            src: Source::Reg(r),
        } => {
            let (d, s) = (dst.num(), r.num());
            match size {
                Size::B => Op::StxB(d, off, s),
                Size::H => Op::StxH(d, off, s),
                Size::W => Op::StxW(d, off, s),
                Size::DW => Op::StxDW(d, off, s),
            }
        }
        I::Store {
            size,
            dst,
            off,
            src: Source::Imm(k),
        } => Op::St(dst.num(), off, k as i64 as u64, size.bytes() as u8),
        I::Atomic {
            width,
            op,
            dst,
            src,
            off,
        } => Op::Atomic(width, op, dst.num(), src.num(), off),
        I::LdAbs { size, imm } => Op::LdAbs(size.bytes() as u8, imm),
        I::LdInd { size, src, imm } => Op::LdInd(size.bytes() as u8, src.num(), imm),
    })
}
