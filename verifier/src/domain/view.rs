//! One width's view of a scalar: a tnum with unsigned and signed bounds, and the transfer
//! functions of the binary ALU operations at that width. [`super::Scalar`] combines the
//! 64-bit view with the 32-bit view of the low half.
//!
//! Every function is written over [`Word`] with selects. Each result over-approximates the
//! concrete operation of [`semantics::alu`] on all member pairs (`# Soundness`); the bounds
//! are deliberately simple, because `Scalar::sync` then tightens every view from the others.

use super::order::{sign_bit as sign, smax_of, smin_of, umax_of, umin_of};
use super::Tnum;
use semantics::word::Word;

/// A tnum with unsigned and signed bounds at one width. γ is the intersection of the three.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct View<V> {
    pub t: Tnum<V>,
    pub umin: V,
    pub umax: V,
    pub smin: V,
    pub smax: V,
}

/// `a == b` on booleans.
fn bool_eq<V: Word>(a: &V::Bool, b: &V::Bool) -> V::Bool {
    V::bool_or(
        &V::bool_and(a, b),
        &V::bool_and(&V::bool_not(a), &V::bool_not(b)),
    )
}

impl<V: Word> View<V> {
    /// Nothing known.
    pub fn top(like: &V) -> Self {
        let s = sign(like);
        View {
            t: Tnum::unknown(like),
            umin: like.lit(0),
            umax: like.lit(u64::MAX),
            smin: s.clone(),
            smax: s.not(),
        }
    }

    /// Exactly `v`.
    pub fn constant(v: &V) -> Self {
        View {
            t: Tnum::constant(v.clone()),
            umin: v.clone(),
            umax: v.clone(),
            smin: v.clone(),
            smax: v.clone(),
        }
    }

    /// A tnum with no further bounds (the scalar's sync derives them).
    pub fn from_tnum(t: Tnum<V>) -> Self {
        let mut v = View::top(&t.value);
        v.t = t;
        v
    }

    /// Whether the view is one known value.
    pub fn is_const(&self) -> V::Bool {
        self.t.is_const()
    }

    pub fn contains(&self, x: &V) -> V::Bool {
        let c = [
            self.t.contains(x),
            self.umin.ule(x),
            x.ule(&self.umax),
            self.smin.sle(x),
            x.sle(&self.smax),
        ];
        c.iter()
            .skip(1)
            .fold(c[0].clone(), |a, b| V::bool_and(&a, b))
    }

    /// Field-wise `if c { a } else { b }`.
    pub fn select(c: &V::Bool, a: &Self, b: &Self) -> Self {
        View {
            t: Tnum::select(c, &a.t, &b.t),
            umin: V::select(c, &a.umin, &b.umin),
            umax: V::select(c, &a.umax, &b.umax),
            smin: V::select(c, &a.smin, &b.smin),
            smax: V::select(c, &a.smax, &b.smax),
        }
    }

    /// Replaces the unsigned bounds by `[lo, hi]` where `ok`, by the full range elsewhere.
    fn with_unsigned(mut self, ok: &V::Bool, lo: &V, hi: &V) -> Self {
        self.umin = V::select(ok, lo, &lo.lit(0));
        self.umax = V::select(ok, hi, &lo.lit(u64::MAX));
        self
    }

    fn with_signed(mut self, ok: &V::Bool, lo: &V, hi: &V) -> Self {
        let s = sign(lo);
        self.smin = V::select(ok, lo, &s);
        self.smax = V::select(ok, hi, &s.not());
        self
    }

    /// Addition.
    ///
    /// # Soundness
    /// x + y ∈ γ(add(a, b)) for x ∈ γ(a), y ∈ γ(b) (theorem `view_add_sound`): the sums of
    /// the ends bound every sum unless exactly one end wraps around.
    pub fn add(&self, b: &Self) -> Self {
        let lo = self.umin.add(&b.umin);
        let hi = self.umax.add(&b.umax);
        let u_ok = bool_eq::<V>(&lo.ult(&self.umin), &hi.ult(&self.umax));
        let slo = self.smin.add(&b.smin);
        let shi = self.smax.add(&b.smax);
        let s_ok = V::bool_and(
            &bool_eq::<V>(
                &add_overflows_up(&self.smin, &b.smin, &slo),
                &add_overflows_up(&self.smax, &b.smax, &shi),
            ),
            &bool_eq::<V>(
                &add_overflows_down(&self.smin, &b.smin, &slo),
                &add_overflows_down(&self.smax, &b.smax, &shi),
            ),
        );
        View::from_tnum(self.t.add(&b.t))
            .with_unsigned(&u_ok, &lo, &hi)
            .with_signed(&s_ok, &slo, &shi)
    }

    /// Subtraction.
    ///
    /// # Soundness
    /// x - y ∈ γ(sub(a, b)) (theorem `view_sub_sound`): the differences of opposite ends
    /// bound every difference unless exactly one of them wraps.
    pub fn sub(&self, b: &Self) -> Self {
        let lo = self.umin.sub(&b.umax);
        let hi = self.umax.sub(&b.umin);
        let u_ok = bool_eq::<V>(&self.umin.ult(&b.umax), &self.umax.ult(&b.umin));
        let slo = self.smin.sub(&b.smax);
        let shi = self.smax.sub(&b.smin);
        let s_ok = V::bool_and(
            &bool_eq::<V>(
                &sub_overflows_up(&self.smin, &b.smax, &slo),
                &sub_overflows_up(&self.smax, &b.smin, &shi),
            ),
            &bool_eq::<V>(
                &sub_overflows_down(&self.smin, &b.smax, &slo),
                &sub_overflows_down(&self.smax, &b.smin, &shi),
            ),
        );
        View::from_tnum(self.t.sub(&b.t))
            .with_unsigned(&u_ok, &lo, &hi)
            .with_signed(&s_ok, &slo, &shi)
    }

    /// Multiplication.
    ///
    /// # Soundness
    /// x * y ∈ γ(mul(a, b)) (theorem `view_mul_sound`).
    ///
    /// # Precision
    /// Unsigned bounds when neither end's product wraps; signed bounds from the four corner
    /// products when none overflows; the tnum product carries the rest.
    pub fn mul(&self, b: &Self) -> Self {
        let zero = self.umin.lit(0);
        // Unsigned: the products of the ends bound every product when neither wraps.
        let u_ovf = |x: &V, y: &V| {
            V::bool_and(
                &V::bool_not(&x.eq(&zero)),
                &V::bool_not(
                    &x.mul(y)
                        .udiv_raw(&V::select(&x.eq(&zero), &zero.lit(1), x))
                        .eq(y),
                ),
            )
        };
        let u_ok = V::bool_not(&V::bool_or(
            &u_ovf(&self.umin, &b.umin),
            &u_ovf(&self.umax, &b.umax),
        ));
        // Signed: the extremes of the four corner products, when none overflows.
        let m1 = zero.lit(u64::MAX);
        let smin_c = sign(&zero);
        let s_ovf = |x: &V, y: &V| {
            let special = V::bool_or(
                &V::bool_and(&x.eq(&m1), &y.eq(&smin_c)),
                &V::bool_and(&y.eq(&m1), &x.eq(&smin_c)),
            );
            let div = V::select(&V::bool_or(&x.eq(&zero), &special), &zero.lit(1), x);
            let wrong = V::bool_not(&x.mul(y).sdiv_raw(&div).eq(y));
            V::bool_or(&special, &V::bool_and(&V::bool_not(&x.eq(&zero)), &wrong))
        };
        let corners = [
            (&self.smin, &b.smin),
            (&self.smin, &b.smax),
            (&self.smax, &b.smin),
            (&self.smax, &b.smax),
        ];
        let any_ovf = corners
            .iter()
            .fold(V::bool_not(&t_true(&zero)), |acc, (x, y)| {
                V::bool_or(&acc, &s_ovf(x, y))
            });
        let prods: Vec<V> = corners.iter().map(|(x, y)| x.mul(y)).collect();
        let lo = prods
            .iter()
            .skip(1)
            .fold(prods[0].clone(), |m, p| smin_of(&m, p));
        let hi = prods
            .iter()
            .skip(1)
            .fold(prods[0].clone(), |m, p| smax_of(&m, p));
        View::from_tnum(self.t.mul(&b.t))
            .with_unsigned(&u_ok, &self.umin.mul(&b.umin), &self.umax.mul(&b.umax))
            .with_signed(&V::bool_not(&any_ovf), &lo, &hi)
    }

    /// Bitwise and: the tnum is exact; an unsigned result is at most either operand.
    pub fn and(&self, b: &Self) -> Self {
        let mut r = View::from_tnum(self.t.and(&b.t));
        r.umax = umin_of(&self.umax, &b.umax);
        r
    }

    /// Bitwise or: the tnum is exact; an unsigned result is at least either operand.
    pub fn or(&self, b: &Self) -> Self {
        let mut r = View::from_tnum(self.t.or(&b.t));
        r.umin = umax_of(&self.umin, &b.umin);
        r
    }

    /// Bitwise exclusive or: the tnum is exact.
    pub fn xor(&self, b: &Self) -> Self {
        View::from_tnum(self.t.xor(&b.t))
    }

    /// The shift amounts the ISA uses (`b mod BITS`) as (tnum, min, max).
    fn amounts(b: &Self) -> (Tnum<V>, V, V) {
        let m = b.umin.lit(V::BITS as u64 - 1);
        let t = b.t.and(&Tnum::constant(m.clone()));
        let in_range = b.umax.ule(&m);
        let lo = V::select(&in_range, &b.umin, &m.lit(0));
        let hi = V::select(&in_range, &b.umax, &m);
        (t, lo, hi)
    }

    /// The join of `f(k)` over every shift amount `k` the view `b` allows.
    fn over_amounts(b: &Self, f: impl Fn(u32) -> Self) -> Self {
        let (t, lo, hi) = View::amounts(b);
        let mut acc = View::top(&lo);
        let mut have = V::bool_not(&t_true(&lo));
        for k in 0..V::BITS {
            let kk = lo.lit(k as u64);
            let possible = V::bool_and(&V::bool_and(&lo.ule(&kk), &kk.ule(&hi)), &t.contains(&kk));
            // On machine words, skip the amounts that cannot occur.
            if V::truth(&possible) == Some(false) {
                continue;
            }
            let r = f(k);
            let next = View::select(&have, &acc.join(&r), &r);
            acc = View::select(&possible, &next, &acc);
            have = V::bool_or(&have, &possible);
        }
        View::select(&have, &acc, &View::top(&lo))
    }

    /// The join: a view containing both.
    ///
    /// # Soundness
    /// γ(a) ∪ γ(b) ⊆ γ(join(a, b)) (theorem `view_join_sound`).
    pub fn join(&self, b: &Self) -> Self {
        View {
            t: self.t.join(&b.t),
            umin: umin_of(&self.umin, &b.umin),
            umax: umax_of(&self.umax, &b.umax),
            smin: smin_of(&self.smin, &b.smin),
            smax: smax_of(&self.smax, &b.smax),
        }
    }

    /// Shift left by the amount in `b` (masked as the ISA does).
    ///
    /// # Precision
    /// The join over every possible amount: exact on the tnum for a constant amount, and
    /// still informative for a variable one (rather than unknown).
    pub fn lsh(&self, b: &Self) -> Self {
        View::over_amounts(b, |k| {
            let kk = self.umax.lit(k as u64);
            // No set bit of umax is shifted out, so no member's bits are.
            let no_loss = self.umax.shl(&kk).lshr(&kk).eq(&self.umax);
            View::from_tnum(self.t.lshift(k)).with_unsigned(
                &no_loss,
                &self.umin.shl(&kk),
                &self.umax.shl(&kk),
            )
        })
    }

    /// Logical shift right by the amount in `b`.
    pub fn rsh(&self, b: &Self) -> Self {
        View::over_amounts(b, |k| {
            let kk = self.umax.lit(k as u64);
            View::from_tnum(self.t.rshift(k)).with_unsigned(
                &t_true(&kk),
                &self.umin.lshr(&kk),
                &self.umax.lshr(&kk),
            )
        })
    }

    /// Arithmetic shift right by the amount in `b`.
    pub fn arsh(&self, b: &Self) -> Self {
        View::over_amounts(b, |k| {
            let kk = self.umax.lit(k as u64);
            View::from_tnum(self.t.arshift(k)).with_signed(
                &t_true(&kk),
                &self.smin.ashr(&kk),
                &self.smax.ashr(&kk),
            )
        })
    }

    /// Unsigned division (by zero gives 0).
    ///
    /// # Soundness
    /// Every quotient is at most the dividend; with a divisor that cannot be 0 it lies
    /// between `umin / b.umax` and `umax / b.umin`.
    pub fn div(&self, b: &Self) -> Self {
        let zero = self.umin.lit(0);
        let nz = V::bool_not(&b.umin.eq(&zero));
        let safe = V::select(&nz, &b.umin, &zero.lit(1));
        let when_nz = View::top(&zero).with_unsigned(
            &nz,
            &self.umin.udiv_raw(&V::select(&nz, &b.umax, &zero.lit(1))),
            &self.umax.udiv_raw(&safe),
        );
        let when_z = View::top(&zero).with_unsigned(&t_true(&zero), &zero, &self.umax);
        let r = View::select(&nz, &when_nz, &when_z);
        View::with_constants(self, b, r, |x, y| semantics::alu::div(x, y))
    }

    /// Unsigned remainder (by zero leaves the dividend).
    ///
    /// # Soundness
    /// The remainder is at most the dividend, and below the divisor when that is not 0.
    pub fn modulo(&self, b: &Self) -> Self {
        let zero = self.umin.lit(0);
        let nz = V::bool_not(&b.umin.eq(&zero));
        let below = b.umax.sub(&zero.lit(1));
        let hi = V::select(&nz, &umin_of(&self.umax, &below), &self.umax);
        let r = View::top(&zero).with_unsigned(&t_true(&zero), &zero, &hi);
        View::with_constants(self, b, r, |x, y| semantics::alu::modulo(x, y))
    }

    /// Signed division: exact for two constants, unknown otherwise.
    pub fn sdiv(&self, b: &Self) -> Self {
        View::with_constants(self, b, View::top(&self.umin), |x, y| {
            semantics::alu::sdiv(x, y)
        })
    }

    /// Signed remainder: exact for two constants, unknown otherwise.
    pub fn smod(&self, b: &Self) -> Self {
        View::with_constants(self, b, View::top(&self.umin), |x, y| {
            semantics::alu::smod(x, y)
        })
    }

    /// `r`, or the exact constant when both operands are constants.
    fn with_constants(a: &Self, b: &Self, r: Self, f: impl Fn(&V, &V) -> V) -> Self {
        let both = V::bool_and(&a.is_const(), &b.is_const());
        View::select(&both, &View::constant(&f(&a.t.value, &b.t.value)), &r)
    }
}

/// A true boolean in `V`'s boolean type.
fn t_true<V: Word>(like: &V) -> V::Bool {
    like.eq(like)
}

/// Whether `a + b = s` overflowed past the signed maximum (two non-negatives, negative sum).
fn add_overflows_up<V: Word>(a: &V, b: &V, s: &V) -> V::Bool {
    let z = a.lit(0);
    V::bool_and(&V::bool_and(&z.sle(a), &z.sle(b)), &s.slt(&z))
}
/// Whether `a + b = s` overflowed below the signed minimum.
fn add_overflows_down<V: Word>(a: &V, b: &V, s: &V) -> V::Bool {
    let z = a.lit(0);
    V::bool_and(&V::bool_and(&a.slt(&z), &b.slt(&z)), &z.sle(s))
}
/// Whether `a - b = d` overflowed past the signed maximum.
fn sub_overflows_up<V: Word>(a: &V, b: &V, d: &V) -> V::Bool {
    let z = a.lit(0);
    V::bool_and(&V::bool_and(&z.sle(a), &b.slt(&z)), &d.slt(&z))
}
/// Whether `a - b = d` overflowed below the signed minimum.
fn sub_overflows_down<V: Word>(a: &V, b: &V, d: &V) -> V::Bool {
    let z = a.lit(0);
    V::bool_and(&V::bool_and(&a.slt(&z), &z.sle(b)), &z.sle(d))
}
