//! The bit-vector trait over which the concrete semantics are written once.
//!
//! Machine words (`u8`, `u16`, `u32`, `u64`) implement it for the interpreter and for
//! exhaustive tests; the proofs crate implements it for Z3 bit-vectors, so that the theorems
//! are about this very code. Every operation is total: where the hardware would trap
//! (division by zero) the raw operation's result is unspecified, and the ISA-level functions in
//! [`crate::alu`] select the defined result.

/// A fixed-width bit-vector with two's-complement arithmetic.
pub trait Word: Clone {
    /// The truth values this word's comparisons produce (`bool`, or a Z3 boolean).
    type Bool: Clone;
    /// The width in bits.
    const BITS: u32;

    /// The constant with the low `BITS` bits of `v`.
    fn lit(&self, v: u64) -> Self;
    fn add(&self, o: &Self) -> Self;
    fn sub(&self, o: &Self) -> Self;
    fn mul(&self, o: &Self) -> Self;
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
        }
    };
}

machine_word!(u8, i8);
machine_word!(u16, i16);
machine_word!(u32, i32);
machine_word!(u64, i64);
