//! Z3 bit-vectors as [`Word`]s, so that the verifier's transfer functions and the concrete
//! semantics run symbolically: `Bv<N>` is an `N`-bit Z3 term, and its comparisons are Z3
//! booleans.
//!
//! Z3 contexts are per thread (the `z3` crate's implicit context): every term of one theorem
//! is built and solved on the same thread.

use semantics::word::{Split, Word};
use z3::ast::{Bool, BV};

/// The exact product of two unsigned words of `n` bits, as a word of `2n` bits (where it
/// cannot wrap). The proofs state facts about these very terms.
pub fn exact_umul(a: &BV, b: &BV) -> BV {
    let n = a.get_size();
    a.zero_ext(n).bvmul(b.zero_ext(n))
}

/// The exact product of two signed words of `n` bits, as a signed word of `2n` bits.
pub fn exact_smul(a: &BV, b: &BV) -> BV {
    let n = a.get_size();
    a.sign_ext(n).bvmul(b.sign_ext(n))
}

/// An `N`-bit symbolic word (`N` in 4, 8, 16, 32, 64).
#[derive(Clone, Debug)]
pub struct Bv<const N: u32>(pub BV);

impl<const N: u32> Bv<N> {
    /// A fresh unknown named `name`.
    pub fn fresh(name: &str) -> Self {
        Bv(BV::new_const(name, N))
    }

    /// The constant `v` (its low `N` bits).
    pub fn constant(v: u64) -> Self {
        Bv(BV::from_u64(v & Self::MASK, N))
    }

    const MASK: u64 = if N >= 64 { u64::MAX } else { (1u64 << N) - 1 };
}

impl<const N: u32> Word for Bv<N> {
    type Bool = Bool;
    const BITS: u32 = N;

    fn lit(&self, v: u64) -> Self {
        Bv::constant(v)
    }
    fn add(&self, o: &Self) -> Self {
        Bv(self.0.bvadd(&o.0))
    }
    fn sub(&self, o: &Self) -> Self {
        Bv(self.0.bvsub(&o.0))
    }
    fn mul(&self, o: &Self) -> Self {
        Bv(self.0.bvmul(&o.0))
    }
    fn umul_hi(&self, o: &Self) -> Self {
        Bv(exact_umul(&self.0, &o.0).extract(2 * N - 1, N))
    }
    fn smul_hi(&self, o: &Self) -> Self {
        Bv(exact_smul(&self.0, &o.0).extract(2 * N - 1, N))
    }
    fn udiv_raw(&self, o: &Self) -> Self {
        Bv(self.0.bvudiv(&o.0))
    }
    fn urem_raw(&self, o: &Self) -> Self {
        Bv(self.0.bvurem(&o.0))
    }
    fn sdiv_raw(&self, o: &Self) -> Self {
        // SMT-LIB's bvsdiv truncates toward zero and wraps MIN / -1 to MIN.
        Bv(self.0.bvsdiv(&o.0))
    }
    fn srem_raw(&self, o: &Self) -> Self {
        // bvsrem: the sign of the dividend; MIN % -1 == 0.
        Bv(self.0.bvsrem(&o.0))
    }
    fn and(&self, o: &Self) -> Self {
        Bv(self.0.bvand(&o.0))
    }
    fn or(&self, o: &Self) -> Self {
        Bv(self.0.bvor(&o.0))
    }
    fn xor(&self, o: &Self) -> Self {
        Bv(self.0.bvxor(&o.0))
    }
    fn not(&self) -> Self {
        Bv(self.0.bvnot())
    }
    fn neg(&self) -> Self {
        Bv(self.0.bvneg())
    }
    fn shl(&self, amt: &Self) -> Self {
        Bv(self.0.bvshl(&amt.0))
    }
    fn lshr(&self, amt: &Self) -> Self {
        Bv(self.0.bvlshr(&amt.0))
    }
    fn ashr(&self, amt: &Self) -> Self {
        Bv(self.0.bvashr(&amt.0))
    }
    fn eq(&self, o: &Self) -> Bool {
        self.0.eq(&o.0)
    }
    fn ult(&self, o: &Self) -> Bool {
        self.0.bvult(&o.0)
    }
    fn ule(&self, o: &Self) -> Bool {
        self.0.bvule(&o.0)
    }
    fn slt(&self, o: &Self) -> Bool {
        self.0.bvslt(&o.0)
    }
    fn sle(&self, o: &Self) -> Bool {
        self.0.bvsle(&o.0)
    }
    fn select(c: &Bool, a: &Self, b: &Self) -> Self {
        Bv(c.ite(&a.0, &b.0))
    }
    fn bool_not(b: &Bool) -> Bool {
        b.not()
    }
    fn bool_and(a: &Bool, b: &Bool) -> Bool {
        Bool::and(&[a, b])
    }
    fn bool_or(a: &Bool, b: &Bool) -> Bool {
        Bool::or(&[a, b])
    }
    fn truth(_: &Bool) -> Option<bool> {
        None
    }
}

macro_rules! split {
    ($n:literal, $h:literal) => {
        impl Split for Bv<$n> {
            type Half = Bv<$h>;
            fn low(&self) -> Bv<$h> {
                Bv(self.0.extract($h - 1, 0))
            }
            fn zext_half(h: &Bv<$h>) -> Self {
                Bv(h.0.zero_ext($h))
            }
            fn sext_half(h: &Bv<$h>) -> Self {
                Bv(h.0.sign_ext($h))
            }
            fn high(&self) -> Bv<$h> {
                Bv(self.0.extract($n - 1, $h))
            }
        }
    };
}

split!(64, 32);
split!(32, 16);
split!(16, 8);
split!(8, 4);

#[cfg(test)]
mod tests {
    use super::*;
    use z3::ast::Ast;
    use z3::{SatResult, Solver};

    /// The symbolic word computes what the machine word computes, for every first operand
    /// and a spread of second operands, at 8 bits (each term simplifies to a constant).
    #[test]
    fn symbolic_words_agree_with_machine_words() {
        type Op = (
            &'static str,
            fn(&u8, &u8) -> u8,
            fn(&Bv<8>, &Bv<8>) -> Bv<8>,
        );
        let ops: [Op; 15] = [
            ("add", |a, b| a.add(b), |a, b| a.add(b)),
            ("sub", |a, b| a.sub(b), |a, b| a.sub(b)),
            ("mul", |a, b| a.mul(b), |a, b| a.mul(b)),
            ("umul_hi", |a, b| a.umul_hi(b), |a, b| a.umul_hi(b)),
            ("smul_hi", |a, b| a.smul_hi(b), |a, b| a.smul_hi(b)),
            ("div", semantics::alu::div, semantics::alu::div),
            ("mod", semantics::alu::modulo, semantics::alu::modulo),
            ("sdiv", semantics::alu::sdiv, semantics::alu::sdiv),
            ("smod", semantics::alu::smod, semantics::alu::smod),
            ("lsh", semantics::alu::lsh, semantics::alu::lsh),
            ("rsh", semantics::alu::rsh, semantics::alu::rsh),
            ("arsh", semantics::alu::arsh, semantics::alu::arsh),
            ("xor", |a, b| a.xor(b), |a, b| a.xor(b)),
            (
                "ule",
                |a, b| a.ule(b) as u8,
                |a, b| Bv::select(&a.ule(b), &a.lit(1), &a.lit(0)),
            ),
            (
                "slt",
                |a, b| a.slt(b) as u8,
                |a, b| Bv::select(&a.slt(b), &a.lit(1), &a.lit(0)),
            ),
        ];
        let seconds: Vec<u8> = (0..=255u8)
            .filter(|b| *b < 10 || *b > 245 || (120..=136).contains(b) || b % 37 == 0)
            .collect();
        for (name, conc, sym) in ops {
            for a in 0..=255u8 {
                for &b in &seconds {
                    let r = sym(&Bv::constant(a as u64), &Bv::constant(b as u64));
                    let got = r.0.simplify().as_u64();
                    assert_eq!(got, Some(conc(&a, &b) as u64), "{name}({a}, {b})");
                }
            }
        }
    }

    #[test]
    fn halves_split_and_join() {
        let s = Solver::new();
        let x = Bv::<16>::fresh("x");
        let back = Bv::<16>::zext_half(&x.high())
            .shl(&x.lit(8))
            .or(&Bv::<16>::zext_half(&x.low()));
        s.assert(back.0.eq(&x.0).not());
        assert_eq!(s.check(), SatResult::Unsat);
        let t = Solver::new();
        let h = Bv::<8>::constant(0x80);
        t.assert(
            Bv::<16>::sext_half(&h)
                .0
                .eq(Bv::<16>::constant(0xff80).0)
                .not(),
        );
        assert_eq!(t.check(), SatResult::Unsat);
    }
}
