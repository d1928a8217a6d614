//! Scalars: a tnum and four interval views (u64, s64, and u32, s32 of the low half), as in
//! the kernel's `bpf_reg_state`, with a reduction (`sync`) that lets each view tighten the
//! others.
//!
//! γ(s) = { x | x ∈ γ(var_off), umin <= x <= umax, smin <=s x <=s smax,
//!              u32_min <= low(x) <= u32_max, s32_min <=s low(x) <=s s32_max }.
//!
//! The five views can describe the empty set (for example `umin > umax`); `sync` keeps that
//! visible through [`Scalar::maybe_nonempty`], which is false only when γ(s) is certainly
//! empty. All code is written over [`Split`] words with selects, so the proofs can run it.

mod alu;
pub mod branch;
mod parse;
pub mod summary;

use super::order::{sign_bit, smax_of, smin_of, umax_of, umin_of};
use super::Tnum;
use semantics::word::{Split, Word};

/// A deduction rule of `sync`, tightening a scalar in place.
pub type Rule<W> = fn(&mut Scalar<W>);

/// A scalar value's abstraction.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Scalar<W: Split> {
    pub var_off: Tnum<W>,
    pub umin: W,
    pub umax: W,
    pub smin: W,
    pub smax: W,
    pub u32_min: W::Half,
    pub u32_max: W::Half,
    pub s32_min: W::Half,
    pub s32_max: W::Half,
}

/// Rounds of deduction `sync` runs. The tests check, exhaustively on samples at 8 bits, that
/// one more round never changes the result: `sync` computes a fixpoint of its rules.
pub const SYNC_ROUNDS: usize = 4;

impl<W: Split> Scalar<W> {
    /// Nothing known.
    pub fn unknown(like: &W) -> Self {
        let h = like.low();
        let sign = sign_bit(like);
        let hsign = sign_bit(&h);
        Scalar {
            var_off: Tnum::unknown(like),
            umin: like.lit(0),
            umax: like.lit(u64::MAX),
            smin: sign.clone(),
            smax: sign.not(),
            u32_min: h.lit(0),
            u32_max: h.lit(u64::MAX),
            s32_min: hsign.clone(),
            s32_max: hsign.not(),
        }
    }

    /// Exactly `v`.
    pub fn constant(v: &W) -> Self {
        let l = v.low();
        Scalar {
            var_off: Tnum::constant(v.clone()),
            umin: v.clone(),
            umax: v.clone(),
            smin: v.clone(),
            smax: v.clone(),
            u32_min: l.clone(),
            u32_max: l.clone(),
            s32_min: l.clone(),
            s32_max: l,
        }
    }

    /// The scalar of a tnum, with bounds deduced from it.
    pub fn from_tnum(t: &Tnum<W>) -> Self {
        let mut s = Scalar::unknown(&t.value);
        s.var_off = t.clone();
        s.sync()
    }

    /// Whether `x` is in γ(self).
    pub fn contains(&self, x: &W) -> W::Bool {
        let c = self.contains_parts(x);
        c.iter()
            .skip(1)
            .fold(c[0].clone(), |a, b| W::bool_and(&a, b))
    }

    /// The nine conditions of `contains`: `x` in the tnum, then within each bound. (The
    /// proofs decide them one at a time.)
    pub fn contains_parts(&self, x: &W) -> [W::Bool; 9] {
        let l = x.low();
        [
            self.var_off.contains(x),
            self.umin.ule(x),
            x.ule(&self.umax),
            self.smin.sle(x),
            x.sle(&self.smax),
            self.u32_min.ule(&l),
            l.ule(&self.u32_max),
            self.s32_min.sle(&l),
            l.sle(&self.s32_max),
        ]
    }

    /// Whether the two are the same representation, field by field.
    pub fn same(&self, o: &Self) -> W::Bool {
        let h = [
            self.u32_min.eq(&o.u32_min),
            self.u32_max.eq(&o.u32_max),
            self.s32_min.eq(&o.s32_min),
            self.s32_max.eq(&o.s32_max),
        ];
        let w = [
            self.var_off.value.eq(&o.var_off.value),
            self.var_off.mask.eq(&o.var_off.mask),
            self.umin.eq(&o.umin),
            self.umax.eq(&o.umax),
            self.smin.eq(&o.smin),
            self.smax.eq(&o.smax),
        ];
        w.iter()
            .chain(h.iter())
            .skip(1)
            .fold(w[0].clone(), |a, b| W::bool_and(&a, b))
    }

    /// False only when γ(self) is certainly empty: some view is empty.
    pub fn maybe_nonempty(&self) -> W::Bool {
        let c = [
            self.var_off.check_invariants(),
            self.umin.ule(&self.umax),
            self.smin.sle(&self.smax),
            self.u32_min.ule(&self.u32_max),
            self.s32_min.sle(&self.s32_max),
            self.var_off.contains(&self.var_off.value),
        ];
        c.iter()
            .skip(1)
            .fold(c[0].clone(), |a, b| W::bool_and(&a, b))
    }

    /// The representation invariants that hold after `sync` of a non-empty scalar: every view
    /// is non-empty and the tnum is well formed. (Used after every transfer in debug builds
    /// and tests.)
    pub fn check_invariants(&self) -> W::Bool {
        self.maybe_nonempty()
    }

    /// The reduced product: applies the deduction rules `SYNC_ROUNDS` times.
    ///
    /// # Soundness
    /// γ(sync(s)) = γ(s): no rule removes a member (theorems `scalar sync RULE`, one per rule). When γ(s)
    /// is empty the result may be any empty scalar.
    ///
    /// # Precision
    /// The rules are the kernel's deductions (tnum to bounds, signed to unsigned and back,
    /// 64-bit to 32-bit and back, bounds to tnum), run to their fixpoint instead of a fixed
    /// pair of rounds; the 32-to-64 rule also applies when the high halves of the bounds are
    /// equal, which the kernel only partly does.
    pub fn sync(&self) -> Self {
        if let Some(r) = summary::apply(self) {
            return r;
        }
        let mut s = self.clone();
        for _ in 0..SYNC_ROUNDS {
            let next = s.round();
            // On machine words, stop as soon as a round changes nothing (a fixpoint); on
            // symbolic words every round runs.
            let done = W::truth(&next.same(&s)) == Some(true);
            s = next;
            if done {
                break;
            }
        }
        // A non-empty input stays well formed (checked in debug builds and tests).
        debug_assert!(
            W::truth(&self.maybe_nonempty()) == Some(false)
                || W::truth(&s.var_off.check_invariants()) != Some(false)
        );
        s
    }

    pub(crate) fn round(&self) -> Self {
        let mut s = self.clone();
        for (_, rule) in Self::RULES {
            rule(&mut s);
        }
        s
    }

    /// The deduction rules of one round of `sync`, in the order it applies them. Each keeps
    /// every member (the proofs crate proves each one); `sync` is only their repetition.
    pub const RULES: [(&'static str, Rule<W>); 6] = [
        ("bounds_from_tnum", Self::bounds_from_tnum),
        ("signed_unsigned_64", Self::signed_unsigned_64),
        ("low_from_64", Self::low_from_64),
        ("signed_unsigned_32", Self::signed_unsigned_32),
        ("wide_from_32", Self::wide_from_32),
        ("tnum_from_bounds", Self::tnum_from_bounds),
    ];

    /// Tnum to bounds: the members of a tnum lie between its value and value | mask, and
    /// (signed) between the values with the unknown sign bit set and cleared.
    fn bounds_from_tnum(&mut self) {
        let t = &self.var_off;
        let sign = sign_bit(&t.value);
        self.umin = umax_of(&self.umin, &t.value);
        self.umax = umin_of(&self.umax, &t.value.or(&t.mask));
        self.smin = smax_of(&self.smin, &t.value.or(&t.mask.and(&sign)));
        self.smax = smin_of(&self.smax, &t.value.or(&t.mask.and(&sign.not())));
        let (v, m) = (t.value.low(), t.mask.low());
        let hs = sign_bit(&v);
        self.u32_min = umax_of(&self.u32_min, &v);
        self.u32_max = umin_of(&self.u32_max, &v.or(&m));
        self.s32_min = smax_of(&self.s32_min, &v.or(&m.and(&hs)));
        self.s32_max = smin_of(&self.s32_max, &v.or(&m.and(&hs.not())));
    }

    /// An unsigned range that does not cross the sign boundary is also a signed range, and
    /// the other way round.
    fn signed_unsigned_64(&mut self) {
        let u_ok = self.umin.sle(&self.umax);
        self.smin = W::select(&u_ok, &smax_of(&self.smin, &self.umin), &self.smin);
        self.smax = W::select(&u_ok, &smin_of(&self.smax, &self.umax), &self.smax);
        let s_ok = self.smin.ule(&self.smax);
        self.umin = W::select(&s_ok, &umax_of(&self.umin, &self.smin), &self.umin);
        self.umax = W::select(&s_ok, &umin_of(&self.umax, &self.smax), &self.umax);
        // A signed range that crosses zero is, unsigned, [0, smax] ∪ [smin, MAX]; an
        // unsigned range that meets only one part selects it.
        let cross = W::bool_not(&s_ok);
        let below = W::bool_and(&cross, &self.umax.ult(&self.smin));
        let above = W::bool_and(
            &W::bool_and(&cross, &W::bool_not(&below)),
            &self.smax.ult(&self.umin),
        );
        let (umin, umax, smin, smax) = (
            self.umin.clone(),
            self.umax.clone(),
            self.smin.clone(),
            self.smax.clone(),
        );
        self.smin = W::select(&below, &smax_of(&smin, &umin), &self.smin);
        self.umax = W::select(&below, &umin_of(&umax, &smax), &self.umax);
        self.smax = W::select(&above, &smin_of(&smax, &umax), &self.smax);
        self.umin = W::select(&above, &umax_of(&umin, &smin), &self.umin);
    }

    fn signed_unsigned_32(&mut self) {
        let u_ok = self.u32_min.sle(&self.u32_max);
        self.s32_min =
            <W::Half as Word>::select(&u_ok, &smax_of(&self.s32_min, &self.u32_min), &self.s32_min);
        self.s32_max =
            <W::Half as Word>::select(&u_ok, &smin_of(&self.s32_max, &self.u32_max), &self.s32_max);
        let s_ok = self.s32_min.ule(&self.s32_max);
        self.u32_min =
            <W::Half as Word>::select(&s_ok, &umax_of(&self.u32_min, &self.s32_min), &self.u32_min);
        self.u32_max =
            <W::Half as Word>::select(&s_ok, &umin_of(&self.u32_max, &self.s32_max), &self.u32_max);
    }

    /// When the high halves of a 64-bit range's ends are equal, the low halves of its members
    /// range between the low halves of the ends (and so, signed, when that does not cross).
    fn low_from_64(&mut self) {
        for (lo, hi) in [
            (self.umin.clone(), self.umax.clone()),
            (self.smin.clone(), self.smax.clone()),
        ] {
            let same = lo.high().eq(&hi.high());
            let (l, h) = (lo.low(), hi.low());
            let sel = <W::Half as Word>::select;
            self.u32_min = sel(&same, &umax_of(&self.u32_min, &l), &self.u32_min);
            self.u32_max = sel(&same, &umin_of(&self.u32_max, &h), &self.u32_max);
            let s_ok = W::bool_and(&same, &l.sle(&h));
            self.s32_min = sel(&s_ok, &smax_of(&self.s32_min, &l), &self.s32_min);
            self.s32_max = sel(&s_ok, &smin_of(&self.s32_max, &h), &self.s32_max);
            // Consecutive high halves with the low halves crossing from negative to
            // non-negative: the low halves form one signed range.
            let hz = l.lit(0);
            let next = lo.high().add(&hz.lit(1)).eq(&hi.high());
            let c = W::bool_and(&next, &W::bool_and(&l.slt(&hz), &hz.sle(&h)));
            self.s32_min = sel(&c, &smax_of(&self.s32_min, &l), &self.s32_min);
            self.s32_max = sel(&c, &smin_of(&self.s32_max, &h), &self.s32_max);
        }
    }

    /// When the high halves of a 64-bit range's ends are equal, every member has that high
    /// half, so the 32-bit bounds tighten the 64-bit ends.
    fn wide_from_32(&mut self) {
        let hi_mask = self
            .umin
            .lit(u64::MAX)
            .shl(&self.umin.lit(W::BITS as u64 / 2));
        let join = |hi: &W, lo: &W::Half| hi.and(&hi_mask).or(&W::zext_half(lo));
        // Unsigned view.
        let same = self.umin.high().eq(&self.umax.high());
        let nmin = join(&self.umin, &self.u32_min);
        let nmax = join(&self.umax, &self.u32_max);
        self.umin = W::select(&same, &umax_of(&self.umin, &nmin), &self.umin);
        self.umax = W::select(&same, &umin_of(&self.umax, &nmax), &self.umax);
        // Signed view: with equal high halves, signed order on members is unsigned order on
        // their low halves.
        let same = self.smin.high().eq(&self.smax.high());
        let nmin = join(&self.smin, &self.u32_min);
        let nmax = join(&self.smax, &self.u32_max);
        self.smin = W::select(&same, &smax_of(&self.smin, &nmin), &self.smin);
        self.smax = W::select(&same, &smin_of(&self.smax, &nmax), &self.smax);
        // A value within the sign extension of 32-bit values whose low half is non-negative
        // has a zero high half: the 64-bit bounds are the 32-bit signed ones.
        let hz = self.s32_min.lit(0);
        let lo32 = W::sext_half(&sign_bit(&hz));
        let hi32 = W::sext_half(&sign_bit(&hz).not());
        let c = W::bool_and(
            &hz.sle(&self.s32_min),
            &W::bool_and(&lo32.sle(&self.smin), &self.smax.sle(&hi32)),
        );
        let (l, h) = (W::zext_half(&self.s32_min), W::zext_half(&self.s32_max));
        self.smin = W::select(&c, &smax_of(&self.smin, &l), &self.smin);
        self.smax = W::select(&c, &smin_of(&self.smax, &h), &self.smax);
        self.umin = W::select(&c, &umax_of(&self.umin, &l), &self.umin);
        self.umax = W::select(&c, &umin_of(&self.umax, &h), &self.umax);
    }

    /// Bounds to tnum: the members share the bits a range's ends share above their highest
    /// differing bit; the same for the low half.
    fn tnum_from_bounds(&mut self) {
        let r = Tnum::range(&self.umin, &self.umax);
        let t = self.var_off.intersect(&r);
        let lo = Tnum::new(t.value.low(), t.mask.low());
        let lo = lo.intersect(&Tnum::range(&self.u32_min, &self.u32_max));
        let hi_mask = t.value.lit(u64::MAX).shl(&t.value.lit(W::BITS as u64 / 2));
        self.var_off = Tnum::new(
            t.value.and(&hi_mask).or(&W::zext_half(&lo.value)),
            t.mask.and(&hi_mask).or(&W::zext_half(&lo.mask)),
        );
    }
}

impl Scalar<u64> {
    /// Whether the scalar is one known value.
    pub fn as_const(&self) -> Option<u64> {
        (self.var_off.mask == 0).then_some(self.var_off.value)
    }

    /// The Linux 6.18 verifier log notation: a constant as its number; otherwise
    /// `scalar(...)` with the bounds that differ from their defaults (equal minima, or
    /// maxima, of the same sign merged as `smin=umin=...`) and the tnum unless unknown.
    /// Numbers are decimal when small (|s| <= 32767, u <= 65535) and hexadecimal otherwise.
    pub fn log(&self) -> String {
        if let Some(v) = self.as_const() {
            return snum(v);
        }
        // 32-bit signed bounds print sign-extended only when decimal, as the kernel does.
        let s32 = |v: u32| {
            let x = v as i32 as i64;
            if (-32768..=32767).contains(&x) {
                x as u64
            } else {
                v as u64
            }
        };
        let mut f = [
            ("smin", self.smin, self.smin == i64::MIN as u64),
            ("smax", self.smax, self.smax == i64::MAX as u64),
            ("umin", self.umin, self.umin == 0),
            ("umax", self.umax, self.umax == u64::MAX),
            ("smin32", s32(self.s32_min), self.s32_min == i32::MIN as u32),
            ("smax32", s32(self.s32_max), self.s32_max == i32::MAX as u32),
            ("umin32", self.u32_min as u64, self.u32_min == 0),
            ("umax32", self.u32_max as u64, self.u32_max == u32::MAX),
        ];
        let neg = |name: &str, v: u64| name.starts_with('s') && (v as i64) < 0;
        let mut parts = Vec::new();
        for i in 0..f.len() {
            let (name, v, omit) = f[i];
            if omit {
                continue;
            }
            let mut text = format!("{name}=");
            let mut j = i + 2;
            while j < f.len() {
                let (n2, v2, o2) = f[j];
                if !o2 && v2 == v && neg(n2, v2) == neg(name, v) {
                    f[j].2 = true;
                    text += &format!("{n2}=");
                }
                j += 2;
            }
            text += &if name.starts_with('s') {
                snum(v)
            } else {
                unum(v)
            };
            parts.push(text);
        }
        if self.var_off.mask != u64::MAX {
            parts.push(format!("var_off={}", self.var_off.log()));
        }
        format!("scalar({})", parts.join(","))
    }
}

fn snum(v: u64) -> String {
    let x = v as i64;
    if (-32768..=32767).contains(&x) {
        x.to_string()
    } else {
        format!("{v:#x}")
    }
}

fn unum(v: u64) -> String {
    if v <= 65535 {
        v.to_string()
    } else {
        format!("{v:#x}")
    }
}

#[cfg(test)]
mod tests;

impl<W: Split> Scalar<W> {
    /// The join: a scalar containing both.
    ///
    /// # Soundness
    /// γ(a) ∪ γ(b) ⊆ γ(join(a, b)) (theorem `scalar join`).
    pub fn join(&self, b: &Self) -> Self {
        let hu = <W::Half as Word>::select;
        Scalar {
            var_off: self.var_off.join(&b.var_off),
            umin: umin_of(&self.umin, &b.umin),
            umax: umax_of(&self.umax, &b.umax),
            smin: smin_of(&self.smin, &b.smin),
            smax: smax_of(&self.smax, &b.smax),
            u32_min: hu(&self.u32_min.ult(&b.u32_min), &self.u32_min, &b.u32_min),
            u32_max: hu(&self.u32_max.ult(&b.u32_max), &b.u32_max, &self.u32_max),
            s32_min: hu(&self.s32_min.slt(&b.s32_min), &self.s32_min, &b.s32_min),
            s32_max: hu(&self.s32_max.slt(&b.s32_max), &b.s32_max, &self.s32_max),
        }
        .sync()
    }

    /// The widening hook for research on loops: like `join`, but a bound that grew from
    /// `self` to `next` jumps to its extreme, so that iterating reaches a fixpoint quickly.
    ///
    /// # Soundness
    /// γ(self) ∪ γ(next) ⊆ γ(widen(self, next)).
    pub fn widen(&self, next: &Self) -> Self {
        let j = self.join(next);
        let top = Scalar::unknown(&self.umin);
        let hu = <W::Half as Word>::select;
        Scalar {
            var_off: j.var_off.clone(),
            umin: W::select(&j.umin.ult(&self.umin), &top.umin, &j.umin),
            umax: W::select(&self.umax.ult(&j.umax), &top.umax, &j.umax),
            smin: W::select(&j.smin.slt(&self.smin), &top.smin, &j.smin),
            smax: W::select(&self.smax.slt(&j.smax), &top.smax, &j.smax),
            u32_min: hu(&j.u32_min.ult(&self.u32_min), &top.u32_min, &j.u32_min),
            u32_max: hu(&self.u32_max.ult(&j.u32_max), &top.u32_max, &j.u32_max),
            s32_min: hu(&j.s32_min.slt(&self.s32_min), &top.s32_min, &j.s32_min),
            s32_max: hu(&self.s32_max.slt(&j.s32_max), &top.s32_max, &j.s32_max),
        }
        .sync()
    }

    /// Subsumption for pruning: whether every view of `self` lies within the same view of
    /// `other` (so γ(self) ⊆ γ(other)).
    ///
    /// # Soundness
    /// `self ⊑ other` implies γ(self) ⊆ γ(other) (theorem `scalar subsumption`).
    ///
    /// # Precision
    /// Not complete: two scalars with the same γ but different (unreduced) views may not
    /// compare; `sync` both first.
    pub fn is_subsumed_by(&self, other: &Self) -> W::Bool {
        let c = [
            other.var_off.includes(&self.var_off),
            other.umin.ule(&self.umin),
            self.umax.ule(&other.umax),
            other.smin.sle(&self.smin),
            self.smax.sle(&other.smax),
            other.u32_min.ule(&self.u32_min),
            self.u32_max.ule(&other.u32_max),
            other.s32_min.sle(&self.s32_min),
            self.s32_max.sle(&other.s32_max),
        ];
        c.iter()
            .skip(1)
            .fold(c[0].clone(), |a, b| W::bool_and(&a, b))
    }
}
