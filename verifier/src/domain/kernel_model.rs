//! A model of the Linux 6.18 verifier's scalar operators, for precision comparisons: the
//! bounds computations of `adjust_scalar_min_max_vals` and `reg_bounds_sync` as the kernel
//! performs them (three deduction rounds, the cross-sign rule, unsigned add/sub keeping a
//! range that wraps entirely, the sign-extension special case), scaled to any
//! [`Split`] word so that it can be compared with ours exhaustively at 8 bits.
//!
//! It runs on machine words only (`Bool = bool`) and is used by `precision.rs`; it is a
//! description of behaviour, written from the kernel's documented rules, not the kernel's
//! code. Where this model and the live kernel might differ, the live kernel wins (issue 5
//! compares with it directly).

use super::order::{sign_bit as smin_v, smax_of, smin_of, umax_of, umin_of};
use super::{Scalar, Tnum};
use semantics::isa::{AluOp, JmpCond, Width};
use semantics::word::{Split, Word};

type H<W> = <W as Split>::Half;

fn smax_v<V: Word>(l: &V) -> V {
    smin_v(l).not()
}
fn umax_v<V: Word>(l: &V) -> V {
    l.lit(u64::MAX)
}
fn maxu<V: Word>(a: V, b: V) -> V {
    umax_of(&a, &b)
}
fn minu<V: Word>(a: V, b: V) -> V {
    umin_of(&a, &b)
}
fn maxs<V: Word>(a: V, b: V) -> V {
    smax_of(&a, &b)
}
fn mins<V: Word>(a: V, b: V) -> V {
    smin_of(&a, &b)
}

/// `__update_reg32_bounds` then `__update_reg64_bounds`.
fn update_bounds<W: Split<Bool = bool>>(r: &mut Scalar<W>)
where
    H<W>: Word<Bool = bool>,
{
    let (v, m) = (r.var_off.value.low(), r.var_off.mask.low());
    let s = smin_v(&v);
    r.s32_min = maxs(r.s32_min.clone(), v.or(&m.and(&s)));
    r.s32_max = mins(r.s32_max.clone(), v.or(&m.and(&s.not())));
    r.u32_min = maxu(r.u32_min.clone(), v.clone());
    r.u32_max = minu(r.u32_max.clone(), v.or(&m));
    let (v, m) = (r.var_off.value.clone(), r.var_off.mask.clone());
    let s = smin_v(&v);
    r.smin = maxs(r.smin.clone(), v.or(&m.and(&s)));
    r.smax = mins(r.smax.clone(), v.or(&m.and(&s.not())));
    r.umin = maxu(r.umin.clone(), v.clone());
    r.umax = minu(r.umax.clone(), v.or(&m));
    // "The tnum has a single possible value in [umin, umax]" (efc11a667878, Linux 7.0; the
    // live 6.18.44 kernel has it as a stable backport).
    let tmax = v.or(&m);
    let nxt = tnum_step(&r.var_off, &r.umin);
    let umin_in_t = r.umin.and(&m.not()).eq(&v);
    let known = if umin_in_t && r.umax.ult(&nxt) {
        Some(r.umin.clone())
    } else if !umin_in_t && nxt.eq(&tmax) {
        Some(tmax)
    } else if !umin_in_t && nxt.ule(&r.umax) && r.umax.ult(&tnum_step(&r.var_off, &nxt)) {
        Some(nxt)
    } else {
        None
    };
    if let Some(k) = known {
        *r = Scalar::constant(&k);
    }
}

/// The kernel's `tnum_step(t, z)`: the least member of `t` above `z`; `t`'s greatest
/// member when there is none, its least when `z` is below every member.
fn tnum_step<W: Word<Bool = bool>>(t: &Tnum<W>, z: &W) -> W {
    let (v, m) = (&t.value, &t.mask);
    let tmax = v.or(m);
    if !z.ult(&tmax) {
        return tmax;
    }
    if z.ult(v) {
        return v.clone();
    }
    // The least member x >= y = z + 1: follow y from the top bit down to the first fixed
    // bit where y and t differ.
    let one = z.lit(1);
    let y = z.add(&one);
    let below = |i: u32| one.shl(&z.lit(i as u64)).sub(&one);
    let above = |i: u32| below(i).or(&one.shl(&z.lit(i as u64))).not();
    let is_set = |x: &W, i: u32| !x.and(&one.shl(&z.lit(i as u64))).eq(&z.lit(0));
    for i in (0..W::BITS).rev() {
        if is_set(m, i) || is_set(&y, i) == is_set(v, i) {
            continue;
        }
        let bit = one.shl(&z.lit(i as u64));
        if is_set(v, i) {
            // t forces a 1 where y has 0: y's prefix, this bit, then t's least tail.
            return y.and(&above(i)).or(&bit).or(&v.and(&below(i)));
        }
        // t forces a 0 where y has 1: carry into the lowest free bit above that y has clear.
        for j in i + 1..W::BITS {
            if is_set(m, j) && !is_set(&y, j) {
                let bj = one.shl(&z.lit(j as u64));
                return y.and(&above(j)).or(&bj).or(&v.and(&below(j)));
            }
        }
        return tmax;
    }
    y
}

fn tighten_u<V: Word<Bool = bool>>(lo: &mut V, hi: &mut V, a: V, b: V) {
    *lo = maxu(lo.clone(), a);
    *hi = minu(hi.clone(), b);
}
fn tighten_s<V: Word<Bool = bool>>(lo: &mut V, hi: &mut V, a: V, b: V) {
    *lo = maxs(lo.clone(), a);
    *hi = mins(hi.clone(), b);
}

fn deduce32<W: Split<Bool = bool>>(r: &mut Scalar<W>)
where
    H<W>: Word<Bool = bool>,
{
    if r.umin.high().eq(&r.umax.high()) {
        tighten_u(&mut r.u32_min, &mut r.u32_max, r.umin.low(), r.umax.low());
        if r.umin.low().sle(&r.umax.low()) {
            tighten_s(&mut r.s32_min, &mut r.s32_max, r.umin.low(), r.umax.low());
        }
    }
    // The arithmetic upper halves of smin and smax are equal iff the plain ones are.
    if r.smin.high().eq(&r.smax.high()) {
        if r.smin.low().ule(&r.smax.low()) {
            tighten_u(&mut r.u32_min, &mut r.u32_max, r.smin.low(), r.smax.low());
        }
        if r.smin.low().sle(&r.smax.low()) {
            tighten_s(&mut r.s32_min, &mut r.s32_max, r.smin.low(), r.smax.low());
        }
    }
    let zero = r.umin.low().lit(0);
    let one = zero.lit(1);
    for (lo, hi) in [
        (r.umin.clone(), r.umax.clone()),
        (r.smin.clone(), r.smax.clone()),
    ] {
        if lo.high().add(&one).eq(&hi.high()) && lo.low().slt(&zero) && zero.sle(&hi.low()) {
            tighten_s(&mut r.s32_min, &mut r.s32_max, lo.low(), hi.low());
        }
    }
    if r.u32_min.sle(&r.u32_max) {
        tighten_s(
            &mut r.s32_min,
            &mut r.s32_max,
            r.u32_min.clone(),
            r.u32_max.clone(),
        );
    }
    if r.s32_min.ule(&r.s32_max) {
        tighten_u(
            &mut r.u32_min,
            &mut r.u32_max,
            r.s32_min.clone(),
            r.s32_max.clone(),
        );
    } else if r.u32_max.ult(&r.s32_min) {
        // The s32 range crosses the sign boundary and the u32 range overlaps only its
        // non-negative end (the 32-bit twin of the rule in `deduce64`; seen on the live
        // 6.18.44 kernel, a stable backport).
        r.s32_min = r.u32_min.clone();
        r.u32_max = minu(r.u32_max.clone(), r.s32_max.clone());
    } else if r.s32_max.ult(&r.u32_min) {
        r.s32_max = r.u32_max.clone();
        r.u32_min = maxu(r.u32_min.clone(), r.s32_min.clone());
    }
}

fn deduce64<W: Split<Bool = bool>>(r: &mut Scalar<W>) {
    if r.umin.sle(&r.umax) {
        tighten_s(&mut r.smin, &mut r.smax, r.umin.clone(), r.umax.clone());
    }
    if r.smin.ule(&r.smax) {
        tighten_u(&mut r.umin, &mut r.umax, r.smin.clone(), r.smax.clone());
    } else if r.umax.ult(&r.smin) {
        r.smin = r.umin.clone();
        r.umax = minu(r.umax.clone(), r.smax.clone());
    } else if r.smax.ult(&r.umin) {
        r.smax = r.umax.clone();
        r.umin = maxu(r.umin.clone(), r.smin.clone());
    }
}

fn deduce_mixed<W: Split<Bool = bool>>(r: &mut Scalar<W>)
where
    H<W>: Word<Bool = bool>,
{
    let hi_mask = r.umin.lit(u64::MAX).shl(&r.umin.lit(W::BITS as u64 / 2));
    let sub = |x: &W, l: &H<W>| x.and(&hi_mask).or(&W::zext_half(l));
    let (nmin, nmax) = (sub(&r.umin, &r.u32_min), sub(&r.umax, &r.u32_max));
    r.umin = maxu(r.umin.clone(), nmin);
    r.umax = minu(r.umax.clone(), nmax);
    let (nmin, nmax) = (sub(&r.smin, &r.u32_min), sub(&r.smax, &r.u32_max));
    r.smin = maxs(r.smin.clone(), nmin);
    r.smax = mins(r.smax.clone(), nmax);
    let z = r.s32_min.lit(0);
    let s32min_64 = W::sext_half(&smin_v(&z));
    let s32max_64 = W::sext_half(&smax_v(&z));
    if z.sle(&r.s32_min) && s32min_64.sle(&r.smin) && r.smax.sle(&s32max_64) {
        let (lo, hi) = (W::sext_half(&r.s32_min), W::sext_half(&r.s32_max));
        r.smin = lo.clone();
        r.umin = lo.clone();
        r.smax = hi.clone();
        r.umax = hi.clone();
        r.var_off = r.var_off.intersect(&Tnum::range(&lo, &hi));
    }
}

fn bound_offset<W: Split<Bool = bool>>(r: &mut Scalar<W>) {
    let t64 = r.var_off.intersect(&Tnum::range(&r.umin, &r.umax));
    let lo =
        Tnum::new(t64.value.low(), t64.mask.low()).intersect(&Tnum::range(&r.u32_min, &r.u32_max));
    let hi_mask = t64
        .value
        .lit(u64::MAX)
        .shl(&t64.value.lit(W::BITS as u64 / 2));
    r.var_off = Tnum::new(
        t64.value.and(&hi_mask).or(&W::zext_half(&lo.value)),
        t64.mask.and(&hi_mask).or(&W::zext_half(&lo.mask)),
    );
}

/// `reg_bounds_sync` as in Linux 6.17 and later.
pub fn sync<W: Split<Bool = bool>>(r: &Scalar<W>) -> Scalar<W>
where
    H<W>: Word<Bool = bool>,
{
    let mut r = r.clone();
    update_bounds(&mut r);
    for _ in 0..3 {
        deduce32(&mut r);
        deduce64(&mut r);
        deduce_mixed(&mut r);
    }
    bound_offset(&mut r);
    update_bounds(&mut r);
    r
}

/// Unsigned add of ranges: a range that wraps entirely is kept, a partial wrap is unbounded.
fn add_u<V: Word<Bool = bool>>(lo: &V, hi: &V, blo: &V, bhi: &V) -> (V, V) {
    let (l, h) = (lo.add(blo), hi.add(bhi));
    let (omin, omax) = (l.ult(lo), h.ult(hi));
    if !omin && omax {
        (l.lit(0), umax_v(&l))
    } else {
        (l, h)
    }
}
fn add_s<V: Word<Bool = bool>>(lo: &V, hi: &V, blo: &V, bhi: &V) -> (V, V) {
    let ovf = |a: &V, b: &V| {
        let s = a.add(b);
        let z = a.lit(0);
        (z.sle(a) && z.sle(b) && s.slt(&z)) || (a.slt(&z) && b.slt(&z) && z.sle(&s))
    };
    if ovf(lo, blo) || ovf(hi, bhi) {
        (smin_v(lo), smax_v(lo))
    } else {
        (lo.add(blo), hi.add(bhi))
    }
}
fn sub_u<V: Word<Bool = bool>>(lo: &V, hi: &V, blo: &V, bhi: &V) -> (V, V) {
    let (l, h) = (lo.sub(bhi), hi.sub(blo));
    let (umin_uf, umax_uf) = (lo.ult(bhi), hi.ult(blo));
    if umin_uf && !umax_uf {
        (l.lit(0), umax_v(&l))
    } else {
        (l, h)
    }
}
fn sub_s<V: Word<Bool = bool>>(lo: &V, hi: &V, blo: &V, bhi: &V) -> (V, V) {
    let ovf = |a: &V, b: &V| {
        let d = a.sub(b);
        let z = a.lit(0);
        (z.sle(a) && b.slt(&z) && d.slt(&z)) || (a.slt(&z) && z.sle(b) && z.sle(&d))
    };
    if ovf(lo, bhi) || ovf(hi, blo) {
        (smin_v(lo), smax_v(lo))
    } else {
        (lo.sub(bhi), hi.sub(blo))
    }
}
fn mul_u<V: Word<Bool = bool>>(lo: &V, hi: &V, blo: &V, bhi: &V) -> (V, V) {
    let ovf = |a: &V, b: &V| !a.eq(&a.lit(0)) && !a.mul(b).udiv_raw(a).eq(b);
    if ovf(hi, bhi) || ovf(lo, blo) {
        (lo.lit(0), umax_v(lo))
    } else {
        (lo.mul(blo), hi.mul(bhi))
    }
}
fn mul_s<V: Word<Bool = bool>>(lo: &V, hi: &V, blo: &V, bhi: &V) -> (V, V) {
    let m1 = lo.lit(u64::MAX);
    let ovf = |a: &V, b: &V| {
        if a.eq(&a.lit(0)) {
            return false;
        }
        if (a.eq(&m1) && b.eq(&smin_v(a))) || (b.eq(&m1) && a.eq(&smin_v(a))) {
            return true;
        }
        !a.mul(b).sdiv_raw(a).eq(b)
    };
    let ps = [(lo, blo), (lo, bhi), (hi, blo), (hi, bhi)];
    if ps.iter().any(|(a, b)| ovf(a, b)) {
        return (smin_v(lo), smax_v(lo));
    }
    let v: Vec<V> = ps.iter().map(|(a, b)| a.mul(b)).collect();
    let mn = v
        .iter()
        .skip(1)
        .fold(v[0].clone(), |m, x| mins(m, x.clone()));
    let mx = v
        .iter()
        .skip(1)
        .fold(v[0].clone(), |m, x| maxs(m, x.clone()));
    (mn, mx)
}

/// The kernel's result of `dst op src` (64-bit or 32-bit ALU), for the operations the
/// precision table compares.
pub fn alu<W: Split<Bool = bool>>(
    dst: &Scalar<W>,
    op: AluOp,
    width: Width,
    src: &Scalar<W>,
) -> Scalar<W>
where
    H<W>: Word<Bool = bool>,
{
    let unknown = Scalar::unknown(&dst.umin);
    let w32 = width == Width::W32;
    let src_const = if w32 {
        src.var_off.mask.low().eq(&src.var_off.mask.low().lit(0))
            && src.s32_min.eq(&src.s32_max)
            && src.u32_min.eq(&src.u32_max)
    } else {
        src.var_off.is_const() && src.smin.eq(&src.smax) && src.umin.eq(&src.umax)
    };
    let bits = if w32 { W::BITS / 2 } else { W::BITS };
    match op {
        AluOp::Lsh | AluOp::Rsh | AluOp::Arsh
            if !(src_const && src.umax.ult(&src.umax.lit(bits as u64))) =>
        {
            return unknown
        }
        AluOp::Div | AluOp::Mod | AluOp::Sdiv | AluOp::Smod => return unknown,
        AluOp::Mov => {
            return if w32 { zext(&sync(src)) } else { src.clone() };
        }
        AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32 => {
            return super::Scalar::alu(dst, op, width, src)
        }
        _ => {}
    }
    let mut r = dst.clone();
    let (a32, b32) = (
        (
            dst.u32_min.clone(),
            dst.u32_max.clone(),
            dst.s32_min.clone(),
            dst.s32_max.clone(),
        ),
        (
            src.u32_min.clone(),
            src.u32_max.clone(),
            src.s32_min.clone(),
            src.s32_max.clone(),
        ),
    );
    match op {
        AluOp::Add | AluOp::Sub | AluOp::Mul => {
            let (fu, fs): (fn(&W, &W, &W, &W) -> (W, W), fn(&W, &W, &W, &W) -> (W, W)) = match op {
                AluOp::Add => (add_u::<W>, add_s::<W>),
                AluOp::Sub => (sub_u::<W>, sub_s::<W>),
                _ => (mul_u::<W>, mul_s::<W>),
            };
            let (hu, hs): (
                fn(&H<W>, &H<W>, &H<W>, &H<W>) -> (H<W>, H<W>),
                fn(&H<W>, &H<W>, &H<W>, &H<W>) -> (H<W>, H<W>),
            ) = match op {
                AluOp::Add => (add_u::<H<W>>, add_s::<H<W>>),
                AluOp::Sub => (sub_u::<H<W>>, sub_s::<H<W>>),
                _ => (mul_u::<H<W>>, mul_s::<H<W>>),
            };
            (r.u32_min, r.u32_max) = hu(&a32.0, &a32.1, &b32.0, &b32.1);
            (r.s32_min, r.s32_max) = hs(&a32.2, &a32.3, &b32.2, &b32.3);
            (r.umin, r.umax) = fu(&dst.umin, &dst.umax, &src.umin, &src.umax);
            (r.smin, r.smax) = fs(&dst.smin, &dst.smax, &src.smin, &src.smax);
            r.var_off = match op {
                AluOp::Add => dst.var_off.add(&src.var_off),
                AluOp::Sub => dst.var_off.sub(&src.var_off),
                _ => dst.var_off.mul_union(&src.var_off),
            };
        }
        AluOp::And | AluOp::Or | AluOp::Xor => {
            let t = match op {
                AluOp::And => dst.var_off.and(&src.var_off),
                AluOp::Or => dst.var_off.or(&src.var_off),
                _ => dst.var_off.xor(&src.var_off),
            };
            r.var_off = t.clone();
            let (tv, tm) = (t.value.low(), t.mask.low());
            let (u32min, u32max) = match op {
                AluOp::And => (tv.clone(), minu(dst.u32_max.clone(), src.u32_max.clone())),
                AluOp::Or => (maxu(dst.u32_min.clone(), src.u32_min.clone()), tv.or(&tm)),
                _ => (tv.clone(), tv.or(&tm)),
            };
            r.u32_min = u32min.clone();
            r.u32_max = u32max.clone();
            (r.s32_min, r.s32_max) = if u32min.sle(&u32max) {
                (u32min, u32max)
            } else {
                (smin_v(&tv), smax_v(&tv))
            };
            let (umin, umax) = match op {
                AluOp::And => (t.value.clone(), minu(dst.umax.clone(), src.umax.clone())),
                AluOp::Or => (
                    maxu(dst.umin.clone(), src.umin.clone()),
                    t.value.or(&t.mask),
                ),
                _ => (t.value.clone(), t.value.or(&t.mask)),
            };
            r.umin = umin.clone();
            r.umax = umax.clone();
            (r.smin, r.smax) = if umin.sle(&umax) {
                (umin, umax)
            } else {
                (smin_v(&t.value), smax_v(&t.value))
            };
            if t.is_const() && src.var_off.is_const() {
                r = Scalar::constant(&t.value);
            }
            update_bounds(&mut r);
        }
        AluOp::Lsh | AluOp::Rsh | AluOp::Arsh => {
            let k = if w32 {
                W::zext_half(&src.u32_min)
            } else {
                src.umin.clone()
            };
            let kk = k.clone();
            let k = {
                let mut n = 0u32;
                while !W::lit(&kk, n as u64).eq(&kk) {
                    n += 1;
                }
                n
            };
            if w32 {
                let h = dst.u32_min.lit(0);
                let t = Tnum::new(dst.var_off.value.low(), dst.var_off.mask.low());
                let (t, umin, umax, smin, smax) = match op {
                    AluOp::Lsh => {
                        let over = h
                            .lit(1)
                            .shl(&h.lit((W::BITS / 2 - 1 - k) as u64))
                            .ult(&dst.u32_max);
                        let (lo, hi) = if over {
                            (h.clone(), umax_v(&h))
                        } else {
                            (
                                dst.u32_min.shl(&h.lit(k as u64)),
                                dst.u32_max.shl(&h.lit(k as u64)),
                            )
                        };
                        (t.lshift(k), lo, hi, smin_v(&h), smax_v(&h))
                    }
                    AluOp::Rsh => (
                        t.rshift(k),
                        dst.u32_min.lshr(&h.lit(k as u64)),
                        dst.u32_max.lshr(&h.lit(k as u64)),
                        smin_v(&h),
                        smax_v(&h),
                    ),
                    _ => (
                        t.arshift(k),
                        h.clone(),
                        umax_v(&h),
                        dst.s32_min.ashr(&h.lit(k as u64)),
                        dst.s32_max.ashr(&h.lit(k as u64)),
                    ),
                };
                r.var_off = Tnum::new(W::zext_half(&t.value), W::zext_half(&t.mask));
                (r.u32_min, r.u32_max, r.s32_min, r.s32_max) = (umin, umax, smin, smax);
            } else {
                let z = dst.umin.lit(0);
                match op {
                    AluOp::Lsh => {
                        r.smin = smin_v(&z);
                        r.smax = smax_v(&z);
                        if k == W::BITS / 2 {
                            let h0 = dst.s32_min.lit(0);
                            r.smax = if h0.sle(&dst.s32_max) {
                                W::zext_half(&dst.s32_max).shl(&z.lit(k as u64))
                            } else {
                                smax_v(&z)
                            };
                            r.smin = if h0.sle(&dst.s32_min) {
                                W::zext_half(&dst.s32_min).shl(&z.lit(k as u64))
                            } else {
                                smin_v(&z)
                            };
                        }
                        let limit = z.lit(1).shl(&z.lit((W::BITS - 1 - k) as u64));
                        (r.umin, r.umax) = if limit.ult(&dst.umax) {
                            (z.clone(), umax_v(&z))
                        } else {
                            (
                                dst.umin.shl(&z.lit(k as u64)),
                                dst.umax.shl(&z.lit(k as u64)),
                            )
                        };
                        let h = dst.u32_min.lit(0);
                        r.s32_min = smin_v(&h);
                        r.s32_max = smax_v(&h);
                        let lim32_over = k > W::BITS / 2 - 1
                            || h.lit(1)
                                .shl(&h.lit((W::BITS / 2 - 1 - k) as u64))
                                .ult(&dst.u32_max);
                        (r.u32_min, r.u32_max) = if lim32_over {
                            (h.clone(), umax_v(&h))
                        } else {
                            (
                                dst.u32_min.shl(&h.lit(k as u64)),
                                dst.u32_max.shl(&h.lit(k as u64)),
                            )
                        };
                        r.var_off = dst.var_off.lshift(k);
                    }
                    AluOp::Rsh => {
                        r.smin = smin_v(&z);
                        r.smax = smax_v(&z);
                        r.var_off = dst.var_off.rshift(k);
                        r.umin = dst.umin.lshr(&z.lit(k as u64));
                        r.umax = dst.umax.lshr(&z.lit(k as u64));
                        mark32_unbounded(&mut r);
                    }
                    _ => {
                        r.smin = dst.smin.ashr(&z.lit(k as u64));
                        r.smax = dst.smax.ashr(&z.lit(k as u64));
                        r.var_off = dst.var_off.arshift(k);
                        r.umin = z.clone();
                        r.umax = umax_v(&z);
                        mark32_unbounded(&mut r);
                    }
                }
                update_bounds(&mut r);
            }
        }
        _ => return unknown,
    }
    if w32 {
        r = zext(&r);
    }
    sync(&r)
}

/// `zext_32_to_64`: the tnum's low half, and 64-bit bounds from the 32-bit ones.
fn zext<W: Split<Bool = bool>>(r: &Scalar<W>) -> Scalar<W>
where
    H<W>: Word<Bool = bool>,
{
    let mut s = r.clone();
    s.var_off = Tnum::new(
        W::zext_half(&r.var_off.value.low()),
        W::zext_half(&r.var_off.mask.low()),
    );
    s.umin = W::zext_half(&r.u32_min);
    s.umax = W::zext_half(&r.u32_max);
    let z = r.s32_min.lit(0);
    if z.sle(&r.s32_min) && z.sle(&r.s32_max) {
        s.smin = W::zext_half(&r.s32_min);
        s.smax = W::zext_half(&r.s32_max);
    } else {
        s.smin = s.umin.lit(0);
        s.smax = W::zext_half(&umax_v(&z));
    }
    s
}

fn mark32_unbounded<W: Split>(r: &mut Scalar<W>) {
    let h = r.u32_min.lit(0);
    r.u32_min = h.clone();
    r.u32_max = h.lit(u64::MAX);
    r.s32_min = smin_v(&h);
    r.s32_max = smax_v(&h);
}

fn is_const_w<W: Split<Bool = bool>>(r: &Scalar<W>, w32: bool) -> Option<W>
where
    H<W>: Word<Bool = bool>,
{
    if w32 {
        let m = r.var_off.mask.low();
        m.eq(&m.lit(0))
            .then(|| W::zext_half(&r.var_off.value.low()))
    } else {
        r.var_off.is_const().then(|| r.var_off.value.clone())
    }
}

fn with_subreg<W: Split>(t: &Tnum<W>, lo: &Tnum<H<W>>) -> Tnum<W> {
    let hi_mask = t.value.lit(u64::MAX).shl(&t.value.lit(W::BITS as u64 / 2));
    Tnum::new(
        t.value.and(&hi_mask).or(&W::zext_half(&lo.value)),
        t.mask.and(&hi_mask).or(&W::zext_half(&lo.mask)),
    )
}

/// `regs_refine_cond_op` (the `NotSet` case is the false edge of JSET).
fn refine<W: Split<Bool = bool>>(
    r1: &mut Scalar<W>,
    r2: &mut Scalar<W>,
    cond: Option<JmpCond>,
    w32: bool,
) where
    H<W>: Word<Bool = bool>,
{
    use JmpCond as J;
    let (mut a, mut b) = (r1, r2);
    let cond = match cond {
        Some(J::Ge) | Some(J::Gt) | Some(J::Sge) | Some(J::Sgt) => {
            std::mem::swap(&mut a, &mut b);
            match cond {
                Some(J::Ge) => Some(J::Le),
                Some(J::Gt) => Some(J::Lt),
                Some(J::Sge) => Some(J::Sle),
                _ => Some(J::Slt),
            }
        }
        c => c,
    };
    let one = a.umin.lit(1);
    let h1 = a.u32_min.lit(1);
    match cond {
        Some(J::Eq) => {
            if w32 {
                a.u32_min = maxu(a.u32_min.clone(), b.u32_min.clone());
                a.u32_max = minu(a.u32_max.clone(), b.u32_max.clone());
                a.s32_min = maxs(a.s32_min.clone(), b.s32_min.clone());
                a.s32_max = mins(a.s32_max.clone(), b.s32_max.clone());
                (b.u32_min, b.u32_max, b.s32_min, b.s32_max) = (
                    a.u32_min.clone(),
                    a.u32_max.clone(),
                    a.s32_min.clone(),
                    a.s32_max.clone(),
                );
                let lo = |t: &Tnum<W>| Tnum::new(t.value.low(), t.mask.low());
                let t = lo(&a.var_off).intersect(&lo(&b.var_off));
                a.var_off = with_subreg(&a.var_off, &t);
                b.var_off = with_subreg(&b.var_off, &t);
            } else {
                a.umin = maxu(a.umin.clone(), b.umin.clone());
                a.umax = minu(a.umax.clone(), b.umax.clone());
                a.smin = maxs(a.smin.clone(), b.smin.clone());
                a.smax = mins(a.smax.clone(), b.smax.clone());
                (b.umin, b.umax, b.smin, b.smax) = (
                    a.umin.clone(),
                    a.umax.clone(),
                    a.smin.clone(),
                    a.smax.clone(),
                );
                a.var_off = a.var_off.intersect(&b.var_off);
                b.var_off = a.var_off.clone();
            }
        }
        Some(J::Ne) | Some(J::Set) | None => {
            if is_const_w(b, w32).is_none() {
                std::mem::swap(&mut a, &mut b);
            }
            let Some(v) = is_const_w(b, w32) else { return };
            match cond {
                Some(J::Ne) => {
                    if w32 {
                        let v = v.low();
                        if a.u32_min.eq(&v) {
                            a.u32_min = a.u32_min.add(&h1);
                        }
                        if a.u32_max.eq(&v) {
                            a.u32_max = a.u32_max.sub(&h1);
                        }
                        if a.s32_min.eq(&v) {
                            a.s32_min = a.s32_min.add(&h1);
                        }
                        if a.s32_max.eq(&v) {
                            a.s32_max = a.s32_max.sub(&h1);
                        }
                    } else {
                        if a.umin.eq(&v) {
                            a.umin = a.umin.add(&one);
                        }
                        if a.umax.eq(&v) {
                            a.umax = a.umax.sub(&one);
                        }
                        if a.smin.eq(&v) {
                            a.smin = a.smin.add(&one);
                        }
                        if a.smax.eq(&v) {
                            a.smax = a.smax.sub(&one);
                        }
                    }
                }
                Some(_) => {
                    let pow2 = !v.eq(&v.lit(0)) && v.and(&v.sub(&one)).eq(&v.lit(0));
                    if !pow2 {
                        return;
                    }
                    if w32 {
                        let lo = Tnum::new(a.var_off.value.low(), a.var_off.mask.low())
                            .or(&Tnum::constant(v.low()));
                        a.var_off = with_subreg(&a.var_off, &lo);
                    } else {
                        a.var_off = a.var_off.or(&Tnum::constant(v));
                    }
                }
                None => {
                    let t = a.var_off.clone();
                    *a = Scalar::unknown(&a.umin);
                    a.var_off = t;
                    if w32 {
                        let lo = Tnum::new(a.var_off.value.low(), a.var_off.mask.low())
                            .and(&Tnum::constant(v.low().not()));
                        a.var_off = with_subreg(&a.var_off, &lo);
                    } else {
                        a.var_off = a.var_off.and(&Tnum::constant(v.not()));
                    }
                }
            }
        }
        Some(J::Le) => {
            if w32 {
                a.u32_max = minu(a.u32_max.clone(), b.u32_max.clone());
                b.u32_min = maxu(a.u32_min.clone(), b.u32_min.clone());
            } else {
                a.umax = minu(a.umax.clone(), b.umax.clone());
                b.umin = maxu(a.umin.clone(), b.umin.clone());
            }
        }
        Some(J::Lt) => {
            if w32 {
                a.u32_max = minu(a.u32_max.clone(), b.u32_max.sub(&h1));
                b.u32_min = maxu(a.u32_min.add(&h1), b.u32_min.clone());
            } else {
                a.umax = minu(a.umax.clone(), b.umax.sub(&one));
                b.umin = maxu(a.umin.add(&one), b.umin.clone());
            }
        }
        Some(J::Sle) => {
            if w32 {
                a.s32_max = mins(a.s32_max.clone(), b.s32_max.clone());
                b.s32_min = maxs(a.s32_min.clone(), b.s32_min.clone());
            } else {
                a.smax = mins(a.smax.clone(), b.smax.clone());
                b.smin = maxs(a.smin.clone(), b.smin.clone());
            }
        }
        Some(J::Slt) => {
            if w32 {
                a.s32_max = mins(a.s32_max.clone(), b.s32_max.sub(&h1));
                b.s32_min = maxs(a.s32_min.add(&h1), b.s32_min.clone());
            } else {
                a.smax = mins(a.smax.clone(), b.smax.sub(&one));
                b.smin = maxs(a.smin.add(&one), b.smin.clone());
            }
        }
        _ => {}
    }
}

/// The kernel's refined `dst` on the taken edge of `if dst cond src` (after
/// `reg_bounds_sync`).
pub fn branch_taken_dst<W: Split<Bool = bool>>(
    dst: &Scalar<W>,
    cond: JmpCond,
    width: Width,
    src: &Scalar<W>,
) -> Scalar<W>
where
    H<W>: Word<Bool = bool>,
{
    let (mut a, mut b) = (dst.clone(), src.clone());
    refine(&mut a, &mut b, Some(cond), width == Width::W32);
    sync(&a)
}

#[cfg(test)]
mod step_tests {
    use super::tnum_step;
    use crate::domain::Tnum;

    #[test]
    fn tnum_step_is_the_least_member_above_at_8_bits() {
        for mask in 0..=255u8 {
            for value in (0..=255u8).filter(|v| v & mask == 0) {
                let t = Tnum::new(value, mask);
                for z in 0..=255u8 {
                    let expect = (z.saturating_add(1)..=255)
                        .find(|x| x & !mask == value && *x > z)
                        .unwrap_or(value | mask);
                    assert_eq!(tnum_step(&t, &z), expect, "t = {t:?}, z = {z}");
                }
            }
        }
    }
}
