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
        let c = self.contains_parts(x);
        c.iter()
            .skip(1)
            .fold(c[0].clone(), |a, b| V::bool_and(&a, b))
    }

    /// The five conditions of `contains`: `x` in the tnum, then within each bound.
    pub fn contains_parts(&self, x: &V) -> [V::Bool; 5] {
        [
            self.t.contains(x),
            self.umin.ule(x),
            x.ule(&self.umax),
            self.smin.sle(x),
            x.sle(&self.smax),
        ]
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

    /// Narrows the bounds by an exact interval of results `[lo, hi]`, each end given as a
    /// wide integer (see [`Wide`]): every result lies between the two ends, so where both
    /// ends fall in the same unsigned window (multiple of 2^BITS) the wrapped results form
    /// the unsigned range `[lo, hi]`, and where they fall in the same signed window the
    /// signed range.
    fn narrow_by(mut self, lo: &Wide<V>, hi: &Wide<V>) -> Self {
        let u_ok = lo.k.eq(&hi.k);
        self.umin = V::select(&u_ok, &umax_of(&self.umin, &lo.v), &self.umin);
        self.umax = V::select(&u_ok, &umin_of(&self.umax, &hi.v), &self.umax);
        let s_ok = lo.signed_window().eq(&hi.signed_window());
        self.smin = V::select(&s_ok, &smax_of(&self.smin, &lo.v), &self.smin);
        self.smax = V::select(&s_ok, &smin_of(&self.smax, &hi.v), &self.smax);
        self
    }

    /// Addition.
    ///
    /// # Soundness
    /// x + y ∈ γ(add(a, b)) for x ∈ γ(a), y ∈ γ(b) (theorems `view64 add`, `view32 add`): the exact
    /// sums of the unsigned ends bound every exact sum, and so do those of the signed ends.
    ///
    /// # Precision
    /// Each interval of exact sums narrows both the unsigned and the signed result where it
    /// does not cross that view's wrap point, so a sum that wraps in the unsigned view can
    /// still give signed bounds (and the other way round); the kernel gives up on both.
    pub fn add(&self, b: &Self) -> Self {
        View::from_tnum(self.t.add(&b.t))
            .narrow_by(
                &Wide::uadd(&self.umin, &b.umin),
                &Wide::uadd(&self.umax, &b.umax),
            )
            .narrow_by(
                &Wide::sadd(&self.smin, &b.smin),
                &Wide::sadd(&self.smax, &b.smax),
            )
    }

    /// Subtraction.
    ///
    /// # Soundness
    /// x - y ∈ γ(sub(a, b)) (theorems `view64 sub`, `view32 sub`): the exact differences of opposite
    /// ends bound every exact difference, in the unsigned and in the signed order.
    pub fn sub(&self, b: &Self) -> Self {
        View::from_tnum(self.t.sub(&b.t))
            .narrow_by(
                &Wide::usub(&self.umin, &b.umax),
                &Wide::usub(&self.umax, &b.umin),
            )
            .narrow_by(
                &Wide::ssub(&self.smin, &b.smax),
                &Wide::ssub(&self.smax, &b.smin),
            )
    }

    /// Multiplication.
    ///
    /// # Soundness
    /// x * y ∈ γ(mul(a, b)) (theorems `view64 mul`, `view32 mul`): the exact products of the unsigned
    /// ends bound every exact product of unsigned members, and the least and greatest exact
    /// corner products of the signed bounds bound every signed one.
    ///
    /// # Precision
    /// Products that all overflow by the same multiple of 2^BITS keep their bounds (the
    /// kernel gives up on any overflow); the tnum product carries the low bits.
    pub fn mul(&self, b: &Self) -> Self {
        let [lo, hi] = self.mul_signed_ends(b).map(|(k, v)| Wide { k, v });
        View::from_tnum(self.t.mul(&b.t).intersect(&self.t.mul_union(&b.t)))
            .narrow_by(
                &Wide::umul(&self.umin, &b.umin),
                &Wide::umul(&self.umax, &b.umax),
            )
            .narrow_by(&lo, &hi)
    }

    /// The least and the greatest exact products of the corners of the signed bounds, each
    /// as its (high, low) words (`smul_hi`, `mul`): every exact product of signed members
    /// lies between them. Public for the proofs, which reason about these very terms.
    pub fn mul_signed_ends(&self, b: &Self) -> [(V, V); 2] {
        let corners = [
            Wide::smul(&self.smin, &b.smin),
            Wide::smul(&self.smin, &b.smax),
            Wide::smul(&self.smax, &b.smin),
            Wide::smul(&self.smax, &b.smax),
        ];
        let pick = |want_less: bool| {
            let w = corners.iter().skip(1).fold(corners[0].clone(), |m, c| {
                let c_less = c.slt(&m);
                let take = if want_less {
                    c_less
                } else {
                    V::bool_not(&c_less)
                };
                Wide::select(&take, c, &m)
            });
            (w.k, w.v)
        };
        [pick(true), pick(false)]
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
    /// γ(a) ∪ γ(b) ⊆ γ(join(a, b)) (theorems `view64 join`, `view32 join`).
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

/// An exact integer result of an operation on two words: `k * 2^BITS + v`, with the window
/// `k` a small signed integer held in a word and `v` the wrapped result.
#[derive(Clone)]
struct Wide<V> {
    k: V,
    v: V,
}

impl<V: Word> Wide<V> {
    fn select(c: &V::Bool, a: &Self, b: &Self) -> Self {
        Wide {
            k: V::select(c, &a.k, &b.k),
            v: V::select(c, &a.v, &b.v),
        }
    }

    /// `0` or `-1` as a window.
    fn minus_one_if(c: &V::Bool, like: &V) -> V {
        V::select(c, &like.lit(u64::MAX), &like.lit(0))
    }

    /// The window of the signed view: `floor((k * 2^BITS + v + 2^(BITS-1)) / 2^BITS)`.
    fn signed_window(&self) -> V {
        let neg = self.v.slt(&self.v.lit(0));
        self.k.add(&V::select(&neg, &self.v.lit(1), &self.v.lit(0)))
    }

    /// Signed order of the exact values.
    fn slt(&self, o: &Self) -> V::Bool {
        V::bool_or(
            &self.k.slt(&o.k),
            &V::bool_and(&self.k.eq(&o.k), &self.v.ult(&o.v)),
        )
    }

    /// `a + b`, both unsigned.
    fn uadd(a: &V, b: &V) -> Self {
        let v = a.add(b);
        let carry = v.ult(a);
        Wide {
            k: V::select(&carry, &a.lit(1), &a.lit(0)),
            v,
        }
    }

    /// `a + b`, both signed: the exact sum is negative exactly when bit BITS of the
    /// sign-extended sum is set, which is the two signs and the carry out added mod 2.
    fn sadd(a: &V, b: &V) -> Self {
        let v = a.add(b);
        let carry = v.ult(a);
        let z = a.lit(0);
        let neg = bool_xor::<V>(&bool_xor::<V>(&a.slt(&z), &b.slt(&z)), &carry);
        Wide {
            k: Wide::minus_one_if(&neg, a),
            v,
        }
    }

    /// `a - b`, both unsigned.
    fn usub(a: &V, b: &V) -> Self {
        Wide {
            k: Wide::minus_one_if(&a.ult(b), a),
            v: a.sub(b),
        }
    }

    /// `a - b`, both signed (as in `sadd`, with the borrow).
    fn ssub(a: &V, b: &V) -> Self {
        let z = a.lit(0);
        let neg = bool_xor::<V>(&bool_xor::<V>(&a.slt(&z), &b.slt(&z)), &a.ult(b));
        Wide {
            k: Wide::minus_one_if(&neg, a),
            v: a.sub(b),
        }
    }

    /// `a * b`, both unsigned.
    fn umul(a: &V, b: &V) -> Self {
        Wide {
            k: a.umul_hi(b),
            v: a.mul(b),
        }
    }

    /// `a * b`, both signed.
    fn smul(a: &V, b: &V) -> Self {
        Wide {
            k: a.smul_hi(b),
            v: a.mul(b),
        }
    }
}

fn bool_xor<V: Word>(a: &V::Bool, b: &V::Bool) -> V::Bool {
    V::bool_not(&bool_eq::<V>(a, b))
}
