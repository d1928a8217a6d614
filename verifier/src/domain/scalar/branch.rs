//! Branch refinement: what a conditional jump teaches about its operands on each edge.

use super::Scalar;
use crate::domain::order::{smax_of, smin_of, umax_of, umin_of};
use crate::domain::{Tnum, View};
use semantics::isa::{JmpCond, Width};
use semantics::word::{Split, Word};

/// The operands on one edge of a conditional jump. `feasible` is false only when no pair of
/// members takes the edge.
#[derive(Clone)]
pub struct Edge<W: Split> {
    pub dst: Scalar<W>,
    pub src: Scalar<W>,
    pub feasible: W::Bool,
}

/// The relation an edge establishes between `a` (dst) and `b` (src).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rel {
    Eq,
    Ne,
    /// Unsigned less-than / less-or-equal, with the operands possibly swapped.
    Ult,
    Ule,
    Slt,
    Sle,
    Set,
    NotSet,
}

/// (relation, operands swapped) for the taken edge of `c`.
fn taken(c: JmpCond) -> (Rel, bool) {
    match c {
        JmpCond::Eq => (Rel::Eq, false),
        JmpCond::Ne => (Rel::Ne, false),
        JmpCond::Lt => (Rel::Ult, false),
        JmpCond::Le => (Rel::Ule, false),
        JmpCond::Gt => (Rel::Ult, true),
        JmpCond::Ge => (Rel::Ule, true),
        JmpCond::Slt => (Rel::Slt, false),
        JmpCond::Sle => (Rel::Sle, false),
        JmpCond::Sgt => (Rel::Slt, true),
        JmpCond::Sge => (Rel::Sle, true),
        JmpCond::Set => (Rel::Set, false),
    }
}

/// The relation of the fall-through edge.
fn fallthrough(c: JmpCond) -> (Rel, bool) {
    match c {
        JmpCond::Set => (Rel::NotSet, false),
        c => taken(c.negate().expect("only JSET has no negation")),
    }
}

/// The meet of two views: members of both.
fn meet<V: Word>(a: &View<V>, b: &View<V>) -> View<V> {
    let umin = V::select(&a.umin.ult(&b.umin), &b.umin, &a.umin);
    let umax = V::select(&a.umax.ult(&b.umax), &a.umax, &b.umax);
    let smin = V::select(&a.smin.slt(&b.smin), &b.smin, &a.smin);
    let smax = V::select(&a.smax.slt(&b.smax), &a.smax, &b.smax);
    let compatible = a.t.compatible(&b.t);
    let v = View {
        t: a.t.intersect(&b.t),
        umin,
        umax,
        smin,
        smax,
    };
    empty_unless(&compatible, v)
}

/// `v`, or an empty view when `ok` is false.
fn empty_unless<V: Word>(ok: &V::Bool, v: View<V>) -> View<V> {
    let z = v.umin.lit(0);
    let mut e = v.clone();
    e.umin = z.lit(1);
    e.umax = z;
    View::select(ok, &v, &e)
}

/// `x != c` where `c` is a constant: drop `c` from the ends of the bounds.
fn exclude<V: Word>(x: &View<V>, c: &View<V>, c_const: &V::Bool) -> View<V> {
    let k = &c.t.value;
    let one = k.lit(1);
    let mut r = x.clone();
    r.umin = V::select(
        &V::bool_and(c_const, &x.umin.eq(k)),
        &x.umin.add(&one),
        &x.umin,
    );
    r.umax = V::select(
        &V::bool_and(c_const, &x.umax.eq(k)),
        &x.umax.sub(&one),
        &x.umax,
    );
    r.smin = V::select(
        &V::bool_and(c_const, &x.smin.eq(k)),
        &x.smin.add(&one),
        &x.smin,
    );
    r.smax = V::select(
        &V::bool_and(c_const, &x.smax.eq(k)),
        &x.smax.sub(&one),
        &x.smax,
    );
    // Excluding the only member empties the view (the bumps above may wrap, so say so).
    let only = V::bool_and(c_const, &V::bool_and(&x.umin.eq(k), &x.umax.eq(k)));
    empty_unless(&V::bool_not(&only), r)
}

/// Refines `(a, b)` under `a rel b` at one width.
fn refine<V: Word>(rel: Rel, a: &View<V>, b: &View<V>) -> (View<V>, View<V>) {
    let (mut ra, mut rb) = (a.clone(), b.clone());
    let one = a.umin.lit(1);
    let smax_v = a.umin.lit(u64::MAX >> (64 - V::BITS + 1));
    let smin_v = smax_v.not();
    match rel {
        Rel::Eq => {
            let m = meet(a, b);
            return (m.clone(), m);
        }
        Rel::Ne => {
            return (exclude(a, b, &b.is_const()), exclude(b, a, &a.is_const()));
        }
        Rel::Ult => {
            // a < b: a <= b.umax - 1 and b >= a.umin + 1.
            ra.umax = umin_of(&a.umax, &b.umax.sub(&one));
            rb.umin = umax_of(&b.umin, &a.umin.add(&one));
            let ok = V::bool_and(
                &V::bool_not(&b.umax.eq(&one.lit(0))),
                &V::bool_not(&a.umin.eq(&one.lit(u64::MAX))),
            );
            return (empty_unless(&ok, ra), empty_unless(&ok, rb));
        }
        Rel::Ule => {
            ra.umax = umin_of(&a.umax, &b.umax);
            rb.umin = umax_of(&b.umin, &a.umin);
        }
        Rel::Slt => {
            ra.smax = smin_of(&a.smax, &b.smax.sub(&one));
            rb.smin = smax_of(&b.smin, &a.smin.add(&one));
            let ok = V::bool_and(
                &V::bool_not(&b.smax.eq(&smin_v)),
                &V::bool_not(&a.smin.eq(&smax_v)),
            );
            return (empty_unless(&ok, ra), empty_unless(&ok, rb));
        }
        Rel::Sle => {
            ra.smax = smin_of(&a.smax, &b.smax);
            rb.smin = smax_of(&b.smin, &a.smin);
        }
        Rel::Set => {
            // Some bit is set in both: impossible when no bit can be.
            let can_a = a.t.value.or(&a.t.mask);
            let can_b = b.t.value.or(&b.t.mask);
            let ok = V::bool_not(&can_a.and(&can_b).eq(&one.lit(0)));
            // With a single-bit constant, that bit is set in `a` (and the same the other way).
            let single = |c: &View<V>| {
                V::bool_and(
                    &c.is_const(),
                    &V::bool_and(
                        &V::bool_not(&c.t.value.eq(&one.lit(0))),
                        &c.t.value.and(&c.t.value.sub(&one)).eq(&one.lit(0)),
                    ),
                )
            };
            let set_bit = |x: &View<V>, c: &View<V>| {
                let t = Tnum::new(x.t.value.or(&c.t.value), x.t.mask.and(&c.t.value.not()));
                let mut r = x.clone();
                r.t = Tnum::select(&single(c), &t, &x.t);
                r
            };
            return (
                empty_unless(&ok, set_bit(a, b)),
                empty_unless(&ok, set_bit(b, a)),
            );
        }
        Rel::NotSet => {
            // No bit is set in both: bits known set in one are clear in the other.
            let clear = |x: &View<V>, c: &View<V>| {
                let mut r = x.clone();
                r.t = Tnum::new(
                    x.t.value.and(&c.t.value.not()),
                    x.t.mask.and(&c.t.value.not()),
                );
                r
            };
            let ok = a.t.value.and(&b.t.value).eq(&one.lit(0));
            return (
                empty_unless(&ok, clear(a, b)),
                empty_unless(&ok, clear(b, a)),
            );
        }
    }
    (ra, rb)
}

impl<W: Split> Scalar<W> {
    /// Replaces the 64-bit view.
    fn with_view64(&self, v: &View<W>) -> Self {
        let mut s = self.clone();
        s.var_off = v.t.clone();
        s.umin = v.umin.clone();
        s.umax = v.umax.clone();
        s.smin = v.smin.clone();
        s.smax = v.smax.clone();
        s
    }

    /// Replaces the 32-bit view (and the low half of the tnum).
    fn with_view32(&self, v: &View<W::Half>) -> Self {
        let mut s = self.clone();
        let hi_mask = s
            .var_off
            .value
            .lit(u64::MAX)
            .shl(&s.var_off.value.lit(W::BITS as u64 / 2));
        s.var_off = Tnum::new(
            s.var_off.value.and(&hi_mask).or(&W::zext_half(&v.t.value)),
            s.var_off.mask.and(&hi_mask).or(&W::zext_half(&v.t.mask)),
        );
        s.u32_min = v.umin.clone();
        s.u32_max = v.umax.clone();
        s.s32_min = v.smin.clone();
        s.s32_max = v.smax.clone();
        s
    }

    fn edge(&self, src: &Self, (rel, swap): (Rel, bool), width: Width) -> Edge<W> {
        let (a, b) = if swap { (src, self) } else { (self, src) };
        let (ra, rb) = match width {
            Width::W64 => {
                let (x, y) = refine(rel, &a.view64(), &b.view64());
                (a.with_view64(&x).sync(), b.with_view64(&y).sync())
            }
            Width::W32 => {
                let (x, y) = refine(rel, &a.view32(), &b.view32());
                (a.with_view32(&x).sync(), b.with_view32(&y).sync())
            }
        };
        let feasible = W::bool_and(&ra.maybe_nonempty(), &rb.maybe_nonempty());
        let (dst, src) = if swap { (rb, ra) } else { (ra, rb) };
        Edge { dst, src, feasible }
    }

    /// The operands on the taken and on the fall-through edge of `if self cond src`.
    ///
    /// # Soundness
    /// Every pair of members that takes an edge stays in that edge's operands, and an edge
    /// is said infeasible only when no pair takes it (theorems `scalar branch jCOND` and `jCOND32`).
    pub fn branch(&self, cond: JmpCond, width: Width, src: &Self) -> (Edge<W>, Edge<W>) {
        (
            self.edge(src, taken(cond), width),
            self.edge(src, fallthrough(cond), width),
        )
    }
}

impl Scalar<u64> {
    /// `Some(true)` when the jump is always taken, `Some(false)` when never, `None` when it
    /// depends on the values.
    pub fn is_branch_taken(&self, cond: JmpCond, width: Width, src: &Self) -> Option<bool> {
        let (t, f) = self.branch(cond, width, src);
        match (t.feasible, f.feasible) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        }
    }
}
