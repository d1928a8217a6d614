//! ALU transfer functions on scalars, at 64 bits and at 32 bits (with the result
//! zero-extended), built from the one-width [`View`] operations and the reduction `sync`.

use super::Scalar;
use crate::domain::{Tnum, View};
use semantics::isa::{AluOp, EndKind, Width};
use semantics::word::{Split, Word};

impl<W: Split> Scalar<W> {
    /// The 64-bit view: the tnum and the u64/s64 bounds.
    pub fn view64(&self) -> View<W> {
        View {
            t: self.var_off.clone(),
            umin: self.umin.clone(),
            umax: self.umax.clone(),
            smin: self.smin.clone(),
            smax: self.smax.clone(),
        }
    }

    /// The 32-bit view of the low half.
    pub fn view32(&self) -> View<W::Half> {
        View {
            t: Tnum::new(self.var_off.value.low(), self.var_off.mask.low()),
            umin: self.u32_min.clone(),
            umax: self.u32_max.clone(),
            smin: self.s32_min.clone(),
            smax: self.s32_max.clone(),
        }
    }

    /// A scalar from a 64-bit view of it and a view of its low half (both sound), reduced.
    fn from_views(v64: View<W>, v32: View<W::Half>) -> Self {
        let lo = Tnum::new(v64.t.value.low(), v64.t.mask.low()).intersect(&v32.t);
        let hi_mask = v64
            .t
            .value
            .lit(u64::MAX)
            .shl(&v64.t.value.lit(W::BITS as u64 / 2));
        let var_off = Tnum::new(
            v64.t.value.and(&hi_mask).or(&W::zext_half(&lo.value)),
            v64.t.mask.and(&hi_mask).or(&W::zext_half(&lo.mask)),
        );
        Scalar {
            var_off,
            umin: v64.umin,
            umax: v64.umax,
            smin: v64.smin,
            smax: v64.smax,
            u32_min: v32.umin,
            u32_max: v32.umax,
            s32_min: v32.smin,
            s32_max: v32.smax,
        }
        .sync()
    }

    /// The scalar of a 32-bit result, zero-extended into the register.
    fn from_view32(v: View<W::Half>) -> Self {
        let (lo, hi) = (W::zext_half(&v.umin), W::zext_half(&v.umax));
        Scalar {
            var_off: Tnum::new(W::zext_half(&v.t.value), W::zext_half(&v.t.mask)),
            umin: lo.clone(),
            umax: hi.clone(),
            smin: lo,
            smax: hi,
            u32_min: v.umin,
            u32_max: v.umax,
            s32_min: v.smin,
            s32_max: v.smax,
        }
        .sync()
    }

    /// `self op src` at the given width; a 32-bit result is zero-extended.
    ///
    /// # Soundness
    /// For x ∈ γ(self), y ∈ γ(src): `semantics::alu` of the operation (at 64 bits, or on the
    /// low halves, zero-extended) is in γ of the result (theorems `scalar alu64 OP` and `scalar alu32 OP`, checked
    /// exhaustively at 8 bits in the tests).
    pub fn alu(&self, op: AluOp, width: Width, src: &Self) -> Self {
        match width {
            Width::W64 => self.alu64(op, src),
            Width::W32 => self.alu32(op, src),
        }
    }

    fn alu64(&self, op: AluOp, src: &Self) -> Self {
        let (a, b) = (self.view64(), src.view64());
        let (a32, b32) = (self.view32(), src.view32());
        let top32 = View::top(&a32.umin);
        match op {
            AluOp::Mov => src.clone(),
            AluOp::MovSx8 => src.movsx(8),
            AluOp::MovSx16 => src.movsx(16),
            AluOp::MovSx32 => src.movsx(32),
            // The low half of these results depends only on the low halves.
            AluOp::Add | AluOp::Sub | AluOp::Mul | AluOp::And | AluOp::Or | AluOp::Xor => {
                Scalar::from_views(binary(op, &a, &b), binary(op, &a32, &b32))
            }
            _ => Scalar::from_views(binary(op, &a, &b), top32),
        }
    }

    fn alu32(&self, op: AluOp, src: &Self) -> Self {
        let (a, b) = (self.view32(), src.view32());
        let r = match op {
            // MOVSX32 exists only at 64 bits; at 32 bits it would be a plain move.
            AluOp::Mov | AluOp::MovSx32 => b,
            AluOp::MovSx8 => sext_view(&b.t, 8),
            AluOp::MovSx16 => sext_view(&b.t, 16),
            _ => binary(op, &a, &b),
        };
        Scalar::from_view32(r)
    }

    /// Sign extension of the low `bits` bits to 64 bits. When every member already lies in
    /// the signed range of `bits` bits the value does not change (so all bounds carry over);
    /// otherwise the tnum extends exactly and the bounds follow from it.
    fn movsx(&self, bits: u32) -> Self {
        if bits >= W::BITS {
            return self.clone();
        }
        let lim = self.umin.lit(1u64 << (bits - 1));
        let fits = W::bool_and(&lim.neg().sle(&self.smin), &self.smax.slt(&lim));
        let low = self.view32();
        let v32 = if bits < W::BITS / 2 {
            sext_view(&low.t, bits)
        } else {
            low
        };
        let ext = Scalar::from_views(sext_view(&self.var_off, bits), v32);
        Scalar::select(&fits, self, &ext)
    }

    /// Field-wise `if c { a } else { b }`.
    pub fn select(c: &W::Bool, a: &Self, b: &Self) -> Self {
        let h = <W::Half as Word>::select;
        Scalar {
            var_off: Tnum::select(c, &a.var_off, &b.var_off),
            umin: W::select(c, &a.umin, &b.umin),
            umax: W::select(c, &a.umax, &b.umax),
            smin: W::select(c, &a.smin, &b.smin),
            smax: W::select(c, &a.smax, &b.smax),
            u32_min: h(c, &a.u32_min, &b.u32_min),
            u32_max: h(c, &a.u32_max, &b.u32_max),
            s32_min: h(c, &a.s32_min, &b.s32_min),
            s32_max: h(c, &a.s32_max, &b.s32_max),
        }
    }

    /// `-self` at the given width.
    pub fn neg(&self, width: Width) -> Self {
        Scalar::constant(&self.umin.lit(0)).alu(AluOp::Sub, width, self)
    }

    /// A byte-order instruction: a permutation (and truncation) of bits, so the tnum maps
    /// exactly; the bounds follow from it.
    pub fn end(&self, kind: EndKind, bits: u32) -> Self {
        let t = &self.var_off;
        let r = Tnum::new(
            semantics::alu::end(kind, bits, &t.value),
            semantics::alu::end(kind, bits, &t.mask),
        );
        Scalar::from_tnum(&r)
    }
}

/// The view operation of a binary ALU operation, or the proofs' summary of it (see
/// [`super::summary`]). The moves have none: `alu64` and `alu32` handle them first.
fn binary<V: Word>(op: AluOp, a: &View<V>, b: &View<V>) -> View<V> {
    if let Some(r) = super::summary::apply_view(op, a, b) {
        return r;
    }
    match op {
        AluOp::Add => a.add(b),
        AluOp::Sub => a.sub(b),
        AluOp::Mul => a.mul(b),
        AluOp::And => a.and(b),
        AluOp::Or => a.or(b),
        AluOp::Xor => a.xor(b),
        AluOp::Div => a.div(b),
        AluOp::Mod => a.modulo(b),
        AluOp::Sdiv => a.sdiv(b),
        AluOp::Smod => a.smod(b),
        AluOp::Lsh => a.lsh(b),
        AluOp::Rsh => a.rsh(b),
        AluOp::Arsh => a.arsh(b),
        AluOp::Mov | AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32 => {
            unreachable!("moves have no view operation")
        }
    }
}

/// The sign extension of a tnum's low `bits` bits: exact, since an unknown sign bit makes
/// every copied bit unknown.
/// The view of a value sign-extended from `bits` bits: the exact tnum, and the signed range
/// of `bits` bits, which the tnum alone loses when the sign bit is unknown.
fn sext_view<V: Word>(t: &Tnum<V>, bits: u32) -> View<V> {
    let mut v = View::from_tnum(sext(t, bits));
    if bits < V::BITS {
        let lim = t.value.lit(1u64 << (bits - 1));
        v.smin = lim.neg();
        v.smax = lim.sub(&t.value.lit(1));
    }
    v
}

fn sext<V: Word>(t: &Tnum<V>, bits: u32) -> Tnum<V> {
    if bits >= V::BITS {
        return t.clone();
    }
    t.lshift(V::BITS - bits).arshift(V::BITS - bits)
}
