//! Facts of integer arithmetic that the domains' division and remainder rely on, proved by
//! Z3 over the unbounded integers (nonlinear integer arithmetic), and instantiated on
//! bit-vector terms as hypotheses of the theorems that use them.
//!
//! Why: a bit-blasted query cannot see that `x / y` grows with `x` (a divider circuit
//! compared with another), and times out already at 16 bits; over the integers the same
//! fact takes Z3 a fraction of a second. The step from integers to bit-vectors is SMT-LIB's
//! definition of the operations: `bvule` compares `bv2nat` of its operands, and for a
//! non-zero divisor `bvudiv` and `bvurem` are `div` and `mod` of `bv2nat`, which stay below
//! 2^N, so `nat2bv` does not wrap them. A lemma about naturals therefore holds of the
//! bit-vector operations at every width.
//!
//! The products are the same kind of step on words of twice the width: the exact product of
//! two zero-extended `n`-bit words ([`crate::bv::exact_umul`]) is below 2^2n, so `bvmul`
//! does not wrap it and `bvule` orders it as a natural; the exact product of two
//! sign-extended ones ([`crate::bv::exact_smul`]) has magnitude at most 2^(2n-2), so its
//! two's-complement reading is the integer product and `bvsle` orders it as an integer.

use crate::bv::{exact_smul, exact_umul};
use crate::theorems::Term;
use z3::ast::{Bool, Int};

/// A lemma: its name, and what it states of naturals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lemma {
    /// x1 ≤ x2 ∧ y > 0 ⟹ x1 / y ≤ x2 / y.
    DivGrowsWithDividend,
    /// 0 < y1 ≤ y2 ⟹ x / y2 ≤ x / y1.
    DivShrinksWithDivisor,
    /// y > 0 ⟹ x / y ≤ x.
    DivAtMostDividend,
    /// y > 0 ⟹ x mod y < y ∧ x mod y ≤ x.
    ModBelowBoth,
    /// x1 ≤ x2 ∧ y1 ≤ y2 ⟹ x1 * y1 ≤ x2 * y2, for naturals.
    MulGrows,
    /// x1 ≤ x ≤ x2 ⟹ x * y lies between x1 * y and x2 * y, for integers of any sign
    /// (a product is linear in each factor, so over a box it is bounded by the corners).
    MulBetween,
}

impl Lemma {
    pub const ALL: [Lemma; 6] = [
        Lemma::DivGrowsWithDividend,
        Lemma::DivShrinksWithDivisor,
        Lemma::DivAtMostDividend,
        Lemma::ModBelowBoth,
        Lemma::MulGrows,
        Lemma::MulBetween,
    ];

    /// The theorem's name.
    pub fn name(self) -> &'static str {
        match self {
            Lemma::DivGrowsWithDividend => "arith div grows with dividend",
            Lemma::DivShrinksWithDivisor => "arith div shrinks with divisor",
            Lemma::DivAtMostDividend => "arith div at most dividend",
            Lemma::ModBelowBoth => "arith mod below both",
            Lemma::MulGrows => "arith mul grows",
            Lemma::MulBetween => "arith mul between",
        }
    }

    /// The statement over the integers: for all naturals (for all integers, `MulBetween`).
    pub fn over_integers(self) -> Bool {
        let v = |n: &str| Int::new_const(n);
        let zero = Int::from_i64(0);
        let nat = |x: &Int| x.ge(&zero);
        match self {
            Lemma::DivGrowsWithDividend => {
                let (x1, x2, y) = (v("x1"), v("x2"), v("y"));
                Bool::and(&[&nat(&x1), &x1.le(&x2), &y.gt(&zero)])
                    .implies(x1.div(&y).le(x2.div(&y)))
            }
            Lemma::DivShrinksWithDivisor => {
                let (x, y1, y2) = (v("x"), v("y1"), v("y2"));
                Bool::and(&[&nat(&x), &y1.gt(&zero), &y1.le(&y2)])
                    .implies(x.div(&y2).le(x.div(&y1)))
            }
            Lemma::DivAtMostDividend => {
                let (x, y) = (v("x"), v("y"));
                Bool::and(&[&nat(&x), &y.gt(&zero)]).implies(x.div(&y).le(&x))
            }
            Lemma::ModBelowBoth => {
                let (x, y) = (v("x"), v("y"));
                let r = x.modulo(&y);
                Bool::and(&[&nat(&x), &y.gt(&zero)]).implies(Bool::and(&[&r.lt(&y), &r.le(&x)]))
            }
            Lemma::MulGrows => {
                let (x1, x2, y1, y2) = (v("x1"), v("x2"), v("y1"), v("y2"));
                Bool::and(&[&nat(&x1), &x1.le(&x2), &nat(&y1), &y1.le(&y2)])
                    .implies((&x1 * &y1).le(&(&x2 * &y2)))
            }
            Lemma::MulBetween => {
                let (x1, x, x2, y) = (v("x1"), v("x"), v("x2"), v("y"));
                let (p1, p, p2) = (&x1 * &y, &x * &y, &x2 * &y);
                Bool::and(&[&x1.le(&x), &x.le(&x2)]).implies(Bool::or(&[
                    &Bool::and(&[&p1.le(&p), &p.le(&p2)]),
                    &Bool::and(&[&p2.le(&p), &p.le(&p1)]),
                ]))
            }
        }
    }
}

fn nonzero<V: Term>(y: &V) -> Bool {
    y.eq(&y.lit(0)).not()
}

/// `DivGrowsWithDividend` of `x1`, `x2`, `y`.
pub fn div_grows<V: Term>(x1: &V, x2: &V, y: &V) -> Bool {
    Bool::and(&[&x1.ule(x2), &nonzero(y)]).implies(x1.udiv_raw(y).ule(&x2.udiv_raw(y)))
}

/// `DivShrinksWithDivisor` of `x`, `y1`, `y2`.
pub fn div_shrinks<V: Term>(x: &V, y1: &V, y2: &V) -> Bool {
    Bool::and(&[&nonzero(y1), &y1.ule(y2)]).implies(x.udiv_raw(y2).ule(&x.udiv_raw(y1)))
}

/// `DivAtMostDividend` of `x`, `y`.
pub fn div_at_most<V: Term>(x: &V, y: &V) -> Bool {
    nonzero(y).implies(x.udiv_raw(y).ule(x))
}

/// `ModBelowBoth` of `x`, `y`.
pub fn mod_below<V: Term>(x: &V, y: &V) -> Bool {
    let r = x.urem_raw(y);
    nonzero(y).implies(Bool::and(&[&r.ult(y), &r.ule(x)]))
}

/// `MulGrows` of `x1`, `y1`, `x2`, `y2`, on the exact products.
pub fn mul_grows<V: Term>(x1: &V, y1: &V, x2: &V, y2: &V) -> Bool {
    Bool::and(&[&x1.ule(x2), &y1.ule(y2)])
        .implies(exact_umul(x1.term(), y1.term()).bvule(exact_umul(x2.term(), y2.term())))
}

/// `MulBetween` of `x1`, `x`, `x2` and the other factor `y`, on the exact signed products;
/// with `y_first`, the products are `y * x1`, `y * x`, `y * x2` (the same integers).
pub fn mul_between<V: Term>(x1: &V, x: &V, x2: &V, y: &V, y_first: bool) -> Bool {
    let p = |f: &V| {
        if y_first {
            exact_smul(y.term(), f.term())
        } else {
            exact_smul(f.term(), y.term())
        }
    };
    let (p1, px, p2) = (p(x1), p(x), p(x2));
    Bool::and(&[&x1.sle(x), &x.sle(x2)]).implies(Bool::or(&[
        &Bool::and(&[&p1.bvsle(&px), &px.bvsle(&p2)]),
        &Bool::and(&[&p2.bvsle(&px), &px.bvsle(&p1)]),
    ]))
}
