//! The bit-vector trait over which the concrete semantics are written once.
//!
//! Machine words (`u8`, `u16`, `u32`, `u64`) implement it for the interpreter and for
//! exhaustive tests; the proofs crate implements it for Z3 bit-vectors, so that the theorems
//! are about this very code. Every operation is total: where the hardware would trap
//! (division by zero) the raw operation's result is unspecified, and the ISA-level functions in
//! [`crate::alu`] select the defined result.

/// A fixed-width bit-vector with two's-complement arithmetic.
pub trait Word: Clone + 'static {
    /// The truth values this word's comparisons produce (`bool`, or a Z3 boolean).
    type Bool: Clone;
    /// The width in bits.
    const BITS: u32;

    /// The constant with the low `BITS` bits of `v`.
    fn lit(&self, v: u64) -> Self;
    fn add(&self, o: &Self) -> Self;
    fn sub(&self, o: &Self) -> Self;
    fn mul(&self, o: &Self) -> Self;
    /// The high `BITS` bits of the exact unsigned product (`mul` is the low ones).
    fn umul_hi(&self, o: &Self) -> Self;
    /// The high `BITS` bits of the exact signed product, in two's complement.
    fn smul_hi(&self, o: &Self) -> Self;
    /// Unsigned quotient; unspecified when `o == 0`.
    fn udiv_raw(&self, o: &Self) -> Self;
    /// Unsigned remainder; unspecified when `o == 0`.
    fn urem_raw(&self, o: &Self) -> Self;
    /// Signed quotient rounded toward zero; unspecified when `o == 0`; `MIN / -1` wraps to `MIN`.
    fn sdiv_raw(&self, o: &Self) -> Self;
    /// Signed remainder with the sign of `self`; unspecified when `o == 0`; `MIN % -1 == 0`.
    fn srem_raw(&self, o: &Self) -> Self;
    fn and(&self, o: &Self) -> Self;
    fn or(&self, o: &Self) -> Self;
    fn xor(&self, o: &Self) -> Self;
    fn not(&self) -> Self;
    fn neg(&self) -> Self;
    /// Shift left; the amount is below `BITS` (callers mask it).
    fn shl(&self, amt: &Self) -> Self;
    /// Logical shift right; the amount is below `BITS`.
    fn lshr(&self, amt: &Self) -> Self;
    /// Arithmetic shift right; the amount is below `BITS`.
    fn ashr(&self, amt: &Self) -> Self;
    fn eq(&self, o: &Self) -> Self::Bool;
    fn ult(&self, o: &Self) -> Self::Bool;
    fn ule(&self, o: &Self) -> Self::Bool;
    fn slt(&self, o: &Self) -> Self::Bool;
    fn sle(&self, o: &Self) -> Self::Bool;
    /// `if c { a } else { b }`.
    fn select(c: &Self::Bool, a: &Self, b: &Self) -> Self;
    fn bool_not(b: &Self::Bool) -> Self::Bool;
    fn bool_and(a: &Self::Bool, b: &Self::Bool) -> Self::Bool;
    fn bool_or(a: &Self::Bool, b: &Self::Bool) -> Self::Bool;
    /// The concrete truth value, where there is one (machine words); `None` for symbolic
    /// words. Used for debug assertions in generic code.
    fn truth(b: &Self::Bool) -> Option<bool>;
}

macro_rules! machine_word {
    ($u:ty, $s:ty) => {
        impl Word for $u {
            type Bool = bool;
            const BITS: u32 = <$u>::BITS;
            #[inline(always)]
            fn lit(&self, v: u64) -> Self {
                v as $u
            }
            #[inline(always)]
            fn add(&self, o: &Self) -> Self {
                self.wrapping_add(*o)
            }
            #[inline(always)]
            fn sub(&self, o: &Self) -> Self {
                self.wrapping_sub(*o)
            }
            #[inline(always)]
            fn mul(&self, o: &Self) -> Self {
                self.wrapping_mul(*o)
            }
            #[inline(always)]
            fn umul_hi(&self, o: &Self) -> Self {
                ((*self as u128 * *o as u128) >> <$u>::BITS) as $u
            }
            #[inline(always)]
            fn smul_hi(&self, o: &Self) -> Self {
                ((*self as $s as i128 * *o as $s as i128) >> <$u>::BITS) as $u
            }
            #[inline(always)]
            fn udiv_raw(&self, o: &Self) -> Self {
                self.checked_div(*o).unwrap_or(0)
            }
            #[inline(always)]
            fn urem_raw(&self, o: &Self) -> Self {
                self.checked_rem(*o).unwrap_or(0)
            }
            #[inline(always)]
            fn sdiv_raw(&self, o: &Self) -> Self {
                if *o == 0 {
                    0
                } else {
                    (*self as $s).wrapping_div(*o as $s) as $u
                }
            }
            #[inline(always)]
            fn srem_raw(&self, o: &Self) -> Self {
                if *o == 0 {
                    0
                } else {
                    (*self as $s).wrapping_rem(*o as $s) as $u
                }
            }
            #[inline(always)]
            fn and(&self, o: &Self) -> Self {
                self & o
            }
            #[inline(always)]
            fn or(&self, o: &Self) -> Self {
                self | o
            }
            #[inline(always)]
            fn xor(&self, o: &Self) -> Self {
                self ^ o
            }
            #[inline(always)]
            fn not(&self) -> Self {
                !self
            }
            #[inline(always)]
            fn neg(&self) -> Self {
                self.wrapping_neg()
            }
            #[inline(always)]
            fn shl(&self, amt: &Self) -> Self {
                self.wrapping_shl(*amt as u32)
            }
            #[inline(always)]
            fn lshr(&self, amt: &Self) -> Self {
                self.wrapping_shr(*amt as u32)
            }
            #[inline(always)]
            fn ashr(&self, amt: &Self) -> Self {
                (*self as $s).wrapping_shr(*amt as u32) as $u
            }
            #[inline(always)]
            fn eq(&self, o: &Self) -> bool {
                self == o
            }
            #[inline(always)]
            fn ult(&self, o: &Self) -> bool {
                self < o
            }
            #[inline(always)]
            fn ule(&self, o: &Self) -> bool {
                self <= o
            }
            #[inline(always)]
            fn slt(&self, o: &Self) -> bool {
                (*self as $s) < (*o as $s)
            }
            #[inline(always)]
            fn sle(&self, o: &Self) -> bool {
                (*self as $s) <= (*o as $s)
            }
            #[inline(always)]
            fn select(c: &bool, a: &Self, b: &Self) -> Self {
                if *c {
                    *a
                } else {
                    *b
                }
            }
            #[inline(always)]
            fn bool_not(b: &bool) -> bool {
                !b
            }
            #[inline(always)]
            fn bool_and(a: &bool, b: &bool) -> bool {
                *a && *b
            }
            #[inline(always)]
            fn bool_or(a: &bool, b: &bool) -> bool {
                *a || *b
            }
            #[inline(always)]
            fn truth(b: &bool) -> Option<bool> {
                Some(*b)
            }
        }
    };
}

machine_word!(u8, i8);
machine_word!(u16, i16);
machine_word!(u32, i32);
machine_word!(u64, i64);

/// A word with a half-width view: a BPF register and its 32-bit subregister. The scalar
/// domain keeps bounds for both views.
pub trait Split: Word {
    type Half: Word<Bool = Self::Bool>;
    /// The low half.
    fn low(&self) -> Self::Half;
    /// The half `h` zero-extended.
    fn zext_half(h: &Self::Half) -> Self;
    /// The half `h` sign-extended.
    fn sext_half(h: &Self::Half) -> Self;
    /// The high half, shifted down (`x >> BITS/2`).
    fn high(&self) -> Self::Half;
}

impl Split for u64 {
    type Half = u32;
    fn low(&self) -> u32 {
        *self as u32
    }
    fn zext_half(h: &u32) -> u64 {
        *h as u64
    }
    fn sext_half(h: &u32) -> u64 {
        *h as i32 as i64 as u64
    }
    fn high(&self) -> u32 {
        (*self >> 32) as u32
    }
}

/// A 4-bit word, the half of `u8`, so that the scalar domain can be tested exhaustively at
/// 8 bits. The value is kept in the low 4 bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct U4(pub u8);

impl U4 {
    fn m(v: u8) -> U4 {
        U4(v & 0xf)
    }
    fn s(self) -> i8 {
        ((self.0 << 4) as i8) >> 4
    }
}

impl Word for U4 {
    type Bool = bool;
    const BITS: u32 = 4;
    fn lit(&self, v: u64) -> Self {
        U4::m(v as u8)
    }
    fn add(&self, o: &Self) -> Self {
        U4::m(self.0.wrapping_add(o.0))
    }
    fn sub(&self, o: &Self) -> Self {
        U4::m(self.0.wrapping_sub(o.0))
    }
    fn mul(&self, o: &Self) -> Self {
        U4::m(self.0.wrapping_mul(o.0))
    }
    fn umul_hi(&self, o: &Self) -> Self {
        U4::m((self.0 * o.0) >> 4)
    }
    fn smul_hi(&self, o: &Self) -> Self {
        U4::m(((self.s() * o.s()) >> 4) as u8)
    }
    fn udiv_raw(&self, o: &Self) -> Self {
        U4::m(self.0.checked_div(o.0).unwrap_or(0))
    }
    fn urem_raw(&self, o: &Self) -> Self {
        U4::m(self.0.checked_rem(o.0).unwrap_or(0))
    }
    fn sdiv_raw(&self, o: &Self) -> Self {
        if o.0 == 0 {
            return U4(0);
        }
        U4::m(self.s().wrapping_div(o.s()) as u8)
    }
    fn srem_raw(&self, o: &Self) -> Self {
        if o.0 == 0 {
            return U4(0);
        }
        U4::m(self.s().wrapping_rem(o.s()) as u8)
    }
    fn and(&self, o: &Self) -> Self {
        U4(self.0 & o.0)
    }
    fn or(&self, o: &Self) -> Self {
        U4(self.0 | o.0)
    }
    fn xor(&self, o: &Self) -> Self {
        U4(self.0 ^ o.0)
    }
    fn not(&self) -> Self {
        U4::m(!self.0)
    }
    fn neg(&self) -> Self {
        U4::m(self.0.wrapping_neg())
    }
    fn shl(&self, amt: &Self) -> Self {
        U4::m(self.0 << (amt.0 & 7))
    }
    fn lshr(&self, amt: &Self) -> Self {
        U4(self.0 >> (amt.0 & 7))
    }
    fn ashr(&self, amt: &Self) -> Self {
        U4::m((self.s() >> (amt.0 & 7)) as u8)
    }
    fn eq(&self, o: &Self) -> bool {
        self.0 == o.0
    }
    fn ult(&self, o: &Self) -> bool {
        self.0 < o.0
    }
    fn ule(&self, o: &Self) -> bool {
        self.0 <= o.0
    }
    fn slt(&self, o: &Self) -> bool {
        self.s() < o.s()
    }
    fn sle(&self, o: &Self) -> bool {
        self.s() <= o.s()
    }
    fn select(c: &bool, a: &Self, b: &Self) -> Self {
        if *c {
            *a
        } else {
            *b
        }
    }
    fn bool_not(b: &bool) -> bool {
        !b
    }
    fn bool_and(a: &bool, b: &bool) -> bool {
        *a && *b
    }
    fn bool_or(a: &bool, b: &bool) -> bool {
        *a || *b
    }
    fn truth(b: &bool) -> Option<bool> {
        Some(*b)
    }
}

impl Split for u8 {
    type Half = U4;
    fn low(&self) -> U4 {
        U4::m(*self)
    }
    fn zext_half(h: &U4) -> u8 {
        h.0
    }
    fn sext_half(h: &U4) -> u8 {
        h.s() as u8
    }
    fn high(&self) -> U4 {
        U4(*self >> 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact product, as the high and low words together, for every pair of 8-bit
    /// words (unsigned and signed) and for the extremes of 64-bit words.
    #[test]
    fn high_halves_complete_the_exact_products() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let u = (a as u16) * (b as u16);
                assert_eq!(((a.umul_hi(&b) as u16) << 8) | a.mul(&b) as u16, u);
                let s = (a as i8 as i16) * (b as i8 as i16);
                assert_eq!((((a.smul_hi(&b) as u16) << 8) | a.mul(&b) as u16) as i16, s);
            }
        }
        assert_eq!(u64::MAX.umul_hi(&u64::MAX), u64::MAX - 1);
        assert_eq!(u64::MAX.smul_hi(&u64::MAX), 0); // -1 * -1 = 1
        assert_eq!((1u64 << 63).smul_hi(&(1u64 << 63)), 1 << 62); // MIN * MIN = 2^126
        assert_eq!((1u64 << 63).smul_hi(&1), u64::MAX); // MIN * 1 is negative
    }

    #[test]
    fn u4_is_four_bit_twos_complement() {
        for a in 0..16u8 {
            for b in 0..16u8 {
                let (x, y) = (U4(a), U4(b));
                assert_eq!(x.add(&y).0, (a + b) & 15);
                assert_eq!(x.slt(&y), (((a << 4) as i8) >> 4) < (((b << 4) as i8) >> 4));
                assert_eq!(
                    x.ashr(&U4(1)).0,
                    (((((a << 4) as i8) >> 4) >> 1) as u8) & 15
                );
            }
        }
        assert_eq!(u8::sext_half(&U4(0x8)), 0xf8);
        assert_eq!(U4(0xf).umul_hi(&U4(0xf)), U4(0xe)); // 225 = 0xe1
        assert_eq!(U4(0x8).smul_hi(&U4(0x8)), U4(0x4)); // -8 * -8 = 64 = 0x40
        assert_eq!(U4(0x8).smul_hi(&U4(0x7)), U4(0xc)); // -56 = 0xc8
        assert_eq!(0xabu8.high(), U4(0xa));
    }
}
