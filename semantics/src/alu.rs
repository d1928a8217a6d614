//! The concrete semantics of ALU operations and jump conditions, written once over [`Word`].
//!
//! This module is the only place that says what an arithmetic instruction computes. The
//! interpreter calls it at `u64` and `u32`; the JIT is tested against the interpreter; the
//! proofs call it at Z3 bit-vectors. A 32-bit ALU instruction on 64-bit registers is the
//! operation at `u32` on the low halves, zero-extended (the interpreter does the truncation).

use crate::isa::{AluOp, EndKind, JmpCond, Width};
use crate::word::{Split, Word};

/// `a + b`, wrapping.
#[inline(always)]
pub fn add<W: Word>(a: &W, b: &W) -> W {
    a.add(b)
}
/// `a - b`, wrapping.
#[inline(always)]
pub fn sub<W: Word>(a: &W, b: &W) -> W {
    a.sub(b)
}
/// `a * b`, wrapping.
#[inline(always)]
pub fn mul<W: Word>(a: &W, b: &W) -> W {
    a.mul(b)
}
/// Unsigned division; division by zero gives 0.
#[inline(always)]
pub fn div<W: Word>(a: &W, b: &W) -> W {
    W::select(&b.eq(&a.lit(0)), &a.lit(0), &a.udiv_raw(b))
}
/// Unsigned remainder; remainder by zero leaves `a`.
#[inline(always)]
pub fn modulo<W: Word>(a: &W, b: &W) -> W {
    W::select(&b.eq(&a.lit(0)), a, &a.urem_raw(b))
}
/// Signed division truncating toward zero; by zero gives 0; `MIN / -1` gives `MIN`.
#[inline(always)]
pub fn sdiv<W: Word>(a: &W, b: &W) -> W {
    let min = a.lit(1u64 << (W::BITS - 1));
    let overflow = W::bool_and(&a.eq(&min), &b.eq(&a.lit(u64::MAX)));
    let q = W::select(&overflow, &min, &a.sdiv_raw(b));
    W::select(&b.eq(&a.lit(0)), &a.lit(0), &q)
}
/// Signed remainder with the sign of `a`; by zero leaves `a`; `MIN % -1` gives 0.
#[inline(always)]
pub fn smod<W: Word>(a: &W, b: &W) -> W {
    let r = W::select(&b.eq(&a.lit(u64::MAX)), &a.lit(0), &a.srem_raw(b));
    W::select(&b.eq(&a.lit(0)), a, &r)
}
#[inline(always)]
pub fn and<W: Word>(a: &W, b: &W) -> W {
    a.and(b)
}
#[inline(always)]
pub fn or<W: Word>(a: &W, b: &W) -> W {
    a.or(b)
}
#[inline(always)]
pub fn xor<W: Word>(a: &W, b: &W) -> W {
    a.xor(b)
}
/// The shift amount the ISA uses: the low log2(BITS) bits of `b`.
#[inline(always)]
pub fn shift_amount<W: Word>(b: &W) -> W {
    b.and(&b.lit(W::BITS as u64 - 1))
}
/// `a << (b mod BITS)`.
#[inline(always)]
pub fn lsh<W: Word>(a: &W, b: &W) -> W {
    a.shl(&shift_amount(b))
}
/// `a >> (b mod BITS)`, logical.
#[inline(always)]
pub fn rsh<W: Word>(a: &W, b: &W) -> W {
    a.lshr(&shift_amount(b))
}
/// `a >> (b mod BITS)`, arithmetic.
#[inline(always)]
pub fn arsh<W: Word>(a: &W, b: &W) -> W {
    a.ashr(&shift_amount(b))
}
/// `-a`, wrapping.
#[inline(always)]
pub fn neg<W: Word>(a: &W) -> W {
    a.neg()
}
/// Sign extension of the low `bits` bits of `a` to the full width (`bits < BITS`).
#[inline(always)]
pub fn sext<W: Word>(a: &W, bits: u32) -> W {
    if bits >= W::BITS {
        return a.clone();
    }
    let sh = a.lit((W::BITS - bits) as u64);
    a.shl(&sh).ashr(&sh)
}
/// Zero extension of the low `bits` bits of `a` (truncation to `bits`).
#[inline(always)]
pub fn zext<W: Word>(a: &W, bits: u32) -> W {
    if bits >= W::BITS {
        return a.clone();
    }
    a.and(&a.lit((1u64 << bits) - 1))
}
/// Reverses the order of the low `bits / 8` bytes of `a`; the bits above become zero.
#[inline(always)]
pub fn bswap<W: Word>(a: &W, bits: u32) -> W {
    let n = bits.min(W::BITS) / 8;
    let mut r = a.lit(0);
    for i in 0..n {
        let byte = a.lshr(&a.lit(8 * i as u64)).and(&a.lit(0xff));
        r = r.or(&byte.shl(&a.lit(8 * (n - 1 - i) as u64)));
    }
    r
}
/// A byte-order instruction on a little-endian machine: `Le` truncates, `Be` and `Swap` swap.
#[inline(always)]
pub fn end<W: Word>(kind: EndKind, bits: u32, a: &W) -> W {
    match kind {
        EndKind::Le => zext(a, bits),
        EndKind::Be | EndKind::Swap => bswap(a, bits),
    }
}

/// A binary ALU operation at the word's width. `Mov` returns `b`; the MOVSX forms sign-extend
/// the low 8, 16 or 32 bits of `b`.
#[inline(always)]
pub fn alu<W: Word>(op: AluOp, a: &W, b: &W) -> W {
    match op {
        AluOp::Add => add(a, b),
        AluOp::Sub => sub(a, b),
        AluOp::Mul => mul(a, b),
        AluOp::Div => div(a, b),
        AluOp::Sdiv => sdiv(a, b),
        AluOp::Or => or(a, b),
        AluOp::And => and(a, b),
        AluOp::Lsh => lsh(a, b),
        AluOp::Rsh => rsh(a, b),
        AluOp::Mod => modulo(a, b),
        AluOp::Smod => smod(a, b),
        AluOp::Xor => xor(a, b),
        AluOp::Mov => b.clone(),
        AluOp::MovSx8 => sext(b, 8),
        AluOp::MovSx16 => sext(b, 16),
        AluOp::MovSx32 => sext(b, 32),
        AluOp::Arsh => arsh(a, b),
    }
}

/// A binary ALU instruction of `width` on registers of `W`: at 64 bits the operation on the
/// whole words; at 32 bits the operation on the low halves, zero-extended.
#[inline(always)]
pub fn alu_at<W: Split>(op: AluOp, width: Width, a: &W, b: &W) -> W {
    match width {
        Width::W64 => alu(op, a, b),
        Width::W32 => W::zext_half(&alu(op, &a.low(), &b.low())),
    }
}

/// Whether a JMP (64 bits) or JMP32 (the low halves) instruction with condition `c` is taken.
#[inline(always)]
pub fn cond_at<W: Split>(c: JmpCond, width: Width, a: &W, b: &W) -> W::Bool {
    match width {
        Width::W64 => cond(c, a, b),
        Width::W32 => cond(c, &a.low(), &b.low()),
    }
}

/// Whether a conditional jump is taken, comparing at the word's width.
#[inline(always)]
pub fn cond<W: Word>(c: JmpCond, a: &W, b: &W) -> W::Bool {
    match c {
        JmpCond::Eq => a.eq(b),
        JmpCond::Ne => W::bool_not(&a.eq(b)),
        JmpCond::Gt => b.ult(a),
        JmpCond::Ge => b.ule(a),
        JmpCond::Lt => a.ult(b),
        JmpCond::Le => a.ule(b),
        JmpCond::Sgt => b.slt(a),
        JmpCond::Sge => b.sle(a),
        JmpCond::Slt => a.slt(b),
        JmpCond::Sle => a.sle(b),
        JmpCond::Set => W::bool_not(&a.and(b).eq(&a.lit(0))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_zero_and_overflow_follow_the_isa() {
        assert_eq!(div(&7u64, &0), 0);
        assert_eq!(modulo(&7u64, &0), 7);
        assert_eq!(sdiv(&(i64::MIN as u64), &u64::MAX), i64::MIN as u64);
        assert_eq!(smod(&(i64::MIN as u64), &u64::MAX), 0);
        assert_eq!(smod(&(-7i64 as u64), &2), -1i64 as u64);
        assert_eq!(sdiv(&(-7i32 as u32), &2), -3i32 as u32);
        assert_eq!(smod(&5u32, &0), 5);
    }

    #[test]
    fn shifts_mask_the_amount() {
        assert_eq!(lsh(&1u64, &65), 2);
        assert_eq!(lsh(&1u32, &33), 2);
        assert_eq!(arsh(&0x8000_0000u32, &31), u32::MAX);
    }

    #[test]
    fn bswap_and_sext() {
        assert_eq!(bswap(&0x1122_3344_5566_7788u64, 16), 0x8877);
        assert_eq!(bswap(&0x1122_3344_5566_7788u64, 32), 0x8877_6655);
        assert_eq!(bswap(&0x1122_3344_5566_7788u64, 64), 0x8877_6655_4433_2211);
        assert_eq!(sext(&0x80u64, 8), 0xffff_ffff_ffff_ff80);
        assert_eq!(sext(&0x7fffu32, 16), 0x7fff);
    }
}
