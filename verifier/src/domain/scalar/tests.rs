//! The reduced product at 8 bits (with 4-bit halves): `sync` never loses a member, reaches
//! its fixpoint within `SYNC_ROUNDS`, and derives exact bounds from a tnum.

use super::{Scalar, SYNC_ROUNDS};
use crate::domain::Tnum;
use semantics::word::{Split, U4};

fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// A scalar whose γ contains every value of `set`, with each view loosened at random.
fn loose(set: &[u8], seed: &mut u64) -> Scalar<u8> {
    let mut s = Scalar::unknown(&0u8);
    let umin = *set.iter().min().unwrap();
    let umax = *set.iter().max().unwrap();
    let smin = *set.iter().min_by_key(|x| **x as i8).unwrap();
    let smax = *set.iter().max_by_key(|x| **x as i8).unwrap();
    let lows: Vec<U4> = set.iter().map(|x| x.low()).collect();
    let u32min = *lows.iter().min().unwrap();
    let u32max = *lows.iter().max().unwrap();
    let s32min = *lows.iter().min_by_key(|x| ((x.0 << 4) as i8) >> 4).unwrap();
    let s32max = *lows.iter().max_by_key(|x| ((x.0 << 4) as i8) >> 4).unwrap();
    let r = rng(seed);
    if r & 1 != 0 {
        s.umin = umin.saturating_sub((r >> 8) as u8 % 4);
        s.umax = umax.saturating_add((r >> 16) as u8 % 4);
    }
    if r & 2 != 0 {
        s.smin = (smin as i8).saturating_sub((r >> 24) as i8 & 3) as u8;
        s.smax = (smax as i8).saturating_add((r >> 32) as i8 & 3) as u8;
    }
    if r & 4 != 0 {
        s.u32_min = u32min;
        s.u32_max = u32max;
    }
    if r & 8 != 0 {
        s.s32_min = s32min;
        s.s32_max = s32max;
    }
    if r & 16 != 0 {
        let diff = set.iter().fold(0u8, |d, x| d | (x ^ set[0]));
        let extra = (r >> 40) as u8 & (r >> 48) as u8;
        let mask = diff | extra;
        s.var_off = Tnum::new(set[0] & !mask, mask);
    }
    s
}

/// A set of up to `max_len` values within `spread` of a random base.
fn near(seed: &mut u64, max_len: u64, spread: u8) -> Vec<u8> {
    let n = 1 + (rng(seed) % max_len) as usize;
    let base = rng(seed) as u8;
    (0..n)
        .map(|_| base.wrapping_add(rng(seed) as u8 % spread))
        .collect()
}

/// Runs `check(a, members of a, b, members of b)` on every tnum at 8 bits paired both ways
/// with six loose abstractions of random sets and the constants `consts`.
fn on_every_tnum(seed: u64, consts: &[u8], check: impl Fn(&Scalar<u8>, &[u8], &Scalar<u8>, &[u8])) {
    let mut seed = seed;
    let mut others = Vec::new();
    for _ in 0..6 {
        let n = 1 + (rng(&mut seed) % 4) as usize;
        let set: Vec<u8> = (0..n).map(|_| rng(&mut seed) as u8).collect();
        others.push((loose(&set, &mut seed).sync(), set));
    }
    for &k in consts {
        others.push((Scalar::constant(&k), vec![k]));
    }
    for value in 0..=255u8 {
        for mask in 0..=255u8 {
            if value & mask != 0 {
                continue;
            }
            let t = Tnum::new(value, mask);
            let a = Scalar::from_tnum(&t);
            let xs: Vec<u8> = (0..=255u8).filter(|x| t.contains(x)).collect();
            for (b, ys) in &others {
                check(&a, &xs, b, ys);
                check(b, ys, &a, &xs);
            }
        }
    }
}

/// Runs `check` on `n` random pairs of loose abstractions of nearby values.
fn on_random_pairs(seed: u64, n: usize, check: impl Fn(&Scalar<u8>, &[u8], &Scalar<u8>, &[u8])) {
    let mut seed = seed;
    for _ in 0..n {
        let xs = near(&mut seed, 5, 24);
        let ys = near(&mut seed, 5, 24);
        let a = loose(&xs, &mut seed).sync();
        let b = loose(&ys, &mut seed).sync();
        check(&a, &xs, &b, &ys);
    }
}

#[test]
fn sync_keeps_every_member_and_reaches_its_fixpoint() {
    let mut seed = 0x0123_4567_89ab_cdefu64;
    for i in 0..300_000 {
        let n = 1 + (rng(&mut seed) % 6) as usize;
        let base = rng(&mut seed) as u8;
        let spread = [1u8, 4, 16, 64, 255][(rng(&mut seed) % 5) as usize];
        let set: Vec<u8> = (0..n)
            .map(|_| base.wrapping_add((rng(&mut seed) as u8) % spread.max(1)))
            .collect();
        let s = loose(&set, &mut seed);
        assert!(
            set.iter().all(|x| s.contains(x)),
            "case {i}: the loosened scalar lost a member"
        );
        let t = s.sync();
        for x in &set {
            assert!(t.contains(x), "case {i}: sync lost {x:#x}: {s:?} -> {t:?}");
        }
        assert!(t.check_invariants(), "case {i}: {t:?}");
        assert_eq!(
            t.round(),
            t,
            "case {i}: not a fixpoint after {SYNC_ROUNDS} rounds: {s:?}"
        );
    }
}

#[test]
fn sync_keeps_every_member_of_every_scalar_from_a_tnum_and_bounds() {
    // Every tnum, combined with every unsigned range whose ends are members.
    for value in 0..=255u8 {
        for mask in 0..=255u8 {
            if value & mask != 0 || mask.count_ones() > 5 {
                continue;
            }
            let t = Tnum::new(value, mask);
            let members: Vec<u8> = (0..=255u8).filter(|x| t.contains(x)).collect();
            let s = Scalar::from_tnum(&t);
            assert_eq!(
                (s.umin, s.umax),
                (members[0], *members.last().unwrap()),
                "{t:?}"
            );
            assert!(members.iter().all(|x| s.contains(x)));
            for (i, lo) in members.iter().enumerate().step_by(3) {
                for hi in members[i..].iter().step_by(5) {
                    let mut b = s;
                    b.umin = *lo;
                    b.umax = *hi;
                    let r = b.sync();
                    for x in members.iter().filter(|x| (*lo..=*hi).contains(x)) {
                        assert!(r.contains(x), "{t:?} [{lo}, {hi}] lost {x}: {r:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn inconsistent_views_are_seen_as_empty() {
    let mut s = Scalar::constant(&5u64);
    s.umin = 10;
    s.umax = 20;
    assert!(!s.sync().maybe_nonempty());
    let ok = Scalar::constant(&5u64).sync();
    assert!(ok.maybe_nonempty());
    assert_eq!(ok.as_const(), Some(5));
}

#[test]
fn known_deductions_at_64_bits() {
    // A value below 256 has its high bits known.
    let mut s = Scalar::unknown(&0u64);
    s.umax = 255;
    let t = s.sync();
    assert_eq!(t.var_off, Tnum::new(0, 0xff));
    assert_eq!((t.smin, t.smax), (0, 255));
    assert_eq!(
        (t.u32_min, t.u32_max, t.s32_min, t.s32_max),
        (0, 255, 0, 255)
    );
    // A non-negative signed range is an unsigned one.
    let mut s = Scalar::unknown(&0u64);
    s.smin = 16;
    s.smax = 48;
    let t = s.sync();
    assert_eq!((t.umin, t.umax), (16, 48));
    assert_eq!(t.var_off, Tnum::new(0, 0x3f));
}

/// Register states as the kernel prints them (examples from the kernel's own selftests).
#[test]
fn log_notation_matches_the_kernel() {
    let top = Scalar::unknown(&0u64);
    let mut s = top;
    s.smax = 0x7ffffffe;
    assert_eq!(s.log(), "scalar(smax=0x7ffffffe)");
    let mut s = top;
    s.smax = u64::MAX;
    s.umin = 1 << 63;
    s.var_off = Tnum::new(1 << 63, (1 << 63) - 1);
    assert_eq!(
        s.log(),
        "scalar(smax=-1,umin=0x8000000000000000,var_off=(0x8000000000000000; 0x7fffffffffffffff))"
    );
    let mut s = top;
    s.smin = 0x8000_0000;
    s.umin = 0x8000_0000;
    s.umax = i64::MAX as u64;
    s.var_off = Tnum::new(0, i64::MAX as u64);
    assert_eq!(
        s.log(),
        "scalar(smin=umin=0x80000000,umax=0x7fffffffffffffff,var_off=(0x0; 0x7fffffffffffffff))"
    );
    let mut s = top;
    s.smin = 0xffff_ffff_8000_0002;
    s.smax = 0x7fff_fffd;
    s.s32_min = 0x8000_0002;
    s.s32_max = 0x7fff_fffd;
    assert_eq!(
        s.log(),
        "scalar(smin=0xffffffff80000002,smax=smax32=0x7ffffffd,smin32=0x80000002)"
    );
    let mut s = top;
    s.smin = 0;
    s.smax = 255;
    s.umax = 255;
    s.s32_min = 0;
    s.s32_max = 255;
    s.u32_max = 255;
    s.var_off = Tnum::new(0, 0xff);
    assert_eq!(
        s.log(),
        "scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))"
    );
    assert_eq!(Scalar::constant(&5u64).log(), "5");
    assert_eq!(Scalar::constant(&(-3i64 as u64)).log(), "-3");
    assert_eq!(Scalar::constant(&0x12345u64).log(), "0x12345");
    // What sync derives from `umax = 255` prints as the kernel prints a masked byte.
    let mut s = top;
    s.umax = 255;
    assert_eq!(
        s.sync().log(),
        "scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))"
    );
}

/// What the live Linux 6.18 kernel printed for `r0 = skb->len` (a u32) and `r0 &= 1020`
/// (log level 2), against our sync of the same facts.
#[test]
fn sync_and_log_agree_with_the_live_kernel() {
    let mut len = Scalar::unknown(&0u64);
    len.umax = u32::MAX as u64;
    assert_eq!(
        len.sync().log(),
        "scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))"
    );
    let masked = Scalar::from_tnum(&Tnum::new(0u64, 0x3fc));
    assert_eq!(
        masked.log(),
        "scalar(smin=smin32=0,smax=umax=smax32=umax32=1020,var_off=(0x0; 0x3fc))"
    );
}

mod alu_soundness {
    use super::*;
    use semantics::alu;
    use semantics::isa::{AluOp, Width};

    /// The concrete result at 8 bits: the operation on the word, or on the 4-bit halves
    /// zero-extended (the 8-bit image of a 32-bit ALU instruction).
    fn conc(op: AluOp, w: Width, x: u8, y: u8) -> u8 {
        alu::alu_at(op, w, &x, &y)
    }

    fn check(a: &Scalar<u8>, xs: &[u8], b: &Scalar<u8>, ys: &[u8]) {
        for op in AluOp::ALL {
            for w in [Width::W64, Width::W32] {
                let r = a.alu(op, w, b);
                for &x in xs {
                    for &y in ys {
                        let v = conc(op, w, x, y);
                        assert!(r.contains(&v), "{op:?} {w:?}: {x:#x} op {y:#x} = {v:#x} not in {r:?}\n a = {a:?}\n b = {b:?}");
                    }
                }
            }
        }
        let n = a.neg(Width::W64);
        assert!(xs.iter().all(|x| n.contains(&x.wrapping_neg())));
    }

    #[test]
    fn every_alu_op_is_sound_on_every_tnum_at_8_bits() {
        on_every_tnum(0x5eed, &[0, 7], check);
    }

    #[test]
    fn every_alu_op_is_sound_on_random_interval_combinations_at_8_bits() {
        on_random_pairs(0xabcdef, 100_000, check);
    }
}

mod alu_soundness_64 {
    use super::super::Scalar;
    use crate::domain::Tnum;
    use proptest::prelude::*;
    use semantics::alu;
    use semantics::isa::{AluOp, Width};

    /// A scalar around a few random members: their best tnum, loosened, and their bounds.
    fn scalar_and_members() -> impl Strategy<Value = (Scalar<u64>, Vec<u64>)> {
        (
            any::<u64>(),
            prop::collection::vec(any::<u64>(), 1..4),
            any::<u64>(),
            0u32..64,
        )
            .prop_map(|(base, offs, extra, spread)| {
                let xs: Vec<u64> = offs
                    .iter()
                    .map(|o| base.wrapping_add(o >> spread))
                    .collect();
                let diff = xs.iter().fold(0, |d, x| d | (x ^ xs[0])) | (extra >> spread);
                let mut s = Scalar::from_tnum(&Tnum::new(xs[0] & !diff, diff));
                s.umin = *xs.iter().min().unwrap();
                s.umax = *xs.iter().max().unwrap();
                (s.sync(), xs)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]
        #[test]
        fn branches_join_and_subsumption_are_sound_at_64_and_32_bits((a, xs) in scalar_and_members(), (b, ys) in scalar_and_members()) {
            use semantics::isa::JmpCond;
            for c in JmpCond::ALL {
                for w in [Width::W64, Width::W32] {
                    let (t, f) = a.branch(c, w, &b);
                    for &x in &xs {
                        for &y in &ys {
                            let holds = alu::cond_at(c, w, &x, &y);
                            let e = if holds { &t } else { &f };
                            prop_assert!(e.feasible && e.dst.contains(&x) && e.src.contains(&y), "{c:?} {w:?} ({x:#x}, {y:#x}): dst {} src {}", e.dst.log(), e.src.log());
                        }
                    }
                }
            }
            let j = a.join(&b);
            prop_assert!(xs.iter().chain(&ys).all(|v| j.contains(v)));
            prop_assert!(a.is_subsumed_by(&j) && b.is_subsumed_by(&j));
        }

        #[test]
        fn the_log_notation_reads_back((a, _xs) in scalar_and_members(), (b, _ys) in scalar_and_members(), op in 0usize..AluOp::ALL.len()) {
            // Synced results of operations, as the kernel would print them.
            let r = a.alu(AluOp::ALL[op], Width::W64, &b);
            for s in [a, b, r] {
                let back = Scalar::parse_log(&s.log());
                prop_assert_eq!(back.as_ref().map(|p| p.log()), Ok(s.log()));
            }
        }

        #[test]
        fn alu_ops_are_sound_at_64_and_32_bits((a, xs) in scalar_and_members(), (b, ys) in scalar_and_members()) {
            for op in AluOp::ALL {
                for w in [Width::W64, Width::W32] {
                    let r = a.alu(op, w, &b);
                    prop_assert!(r.check_invariants(), "{op:?} {w:?}: {r:?}");
                    for &x in &xs {
                        for &y in &ys {
                            let v = alu::alu_at(op, w, &x, &y);
                            prop_assert!(r.contains(&v), "{op:?} {w:?}: {x:#x}, {y:#x} -> {v:#x} not in {}", r.log());
                        }
                    }
                }
            }
        }
    }
}

mod branch_soundness {
    use super::*;
    use semantics::alu;
    use semantics::isa::{JmpCond, Width};

    fn holds(c: JmpCond, w: Width, x: u8, y: u8) -> bool {
        alu::cond_at(c, w, &x, &y)
    }

    fn check(a: &Scalar<u8>, xs: &[u8], b: &Scalar<u8>, ys: &[u8]) {
        for c in JmpCond::ALL {
            for w in [Width::W64, Width::W32] {
                let (t, f) = a.branch(c, w, b);
                for &x in xs {
                    for &y in ys {
                        let e = if holds(c, w, x, y) { &t } else { &f };
                        assert!(e.feasible, "{c:?} {w:?}: ({x:#x}, {y:#x}) takes an edge said impossible\n a = {a:?}\n b = {b:?}");
                        assert!(e.dst.contains(&x) && e.src.contains(&y), "{c:?} {w:?}: ({x:#x}, {y:#x}) lost: dst {:?} src {:?}\n a = {a:?}\n b = {b:?}", e.dst, e.src);
                    }
                }
            }
        }
    }

    #[test]
    fn every_branch_refinement_is_sound_on_every_tnum_at_8_bits() {
        on_every_tnum(0xb4a, &[0, 1, 0x7f, 0x80, 0xff, 0x10], check);
    }

    #[test]
    fn every_branch_refinement_is_sound_on_random_intervals_at_8_bits() {
        on_random_pairs(0x1dea, 100_000, check);
    }

    #[test]
    fn constants_decide_branches() {
        let five = Scalar::constant(&5u64);
        let six = Scalar::constant(&6u64);
        assert_eq!(
            five.is_branch_taken(JmpCond::Lt, Width::W64, &six),
            Some(true)
        );
        assert_eq!(
            five.is_branch_taken(JmpCond::Eq, Width::W64, &six),
            Some(false)
        );
        let mut byte = Scalar::unknown(&0u64);
        byte.umax = 255;
        let byte = byte.sync();
        assert_eq!(
            byte.is_branch_taken(JmpCond::Gt, Width::W64, &Scalar::constant(&255)),
            Some(false)
        );
        assert_eq!(
            byte.is_branch_taken(JmpCond::Gt, Width::W64, &Scalar::constant(&100)),
            None
        );
        // The taken edge of `byte > 100` knows 101..=255.
        let (t, f) = byte.branch(JmpCond::Gt, Width::W64, &Scalar::constant(&100));
        assert_eq!((t.dst.umin, t.dst.umax), (101, 255));
        assert_eq!((f.dst.umin, f.dst.umax), (0, 100));
        // JSET with a single bit sets it on the taken edge and clears it on the other.
        let (t, f) = byte.branch(JmpCond::Set, Width::W64, &Scalar::constant(&4));
        assert_eq!(t.dst.var_off, Tnum::new(4, 0xfb));
        assert_eq!(f.dst.var_off, Tnum::new(0, 0xfb));
    }
}

#[test]
fn join_widen_and_subsumption_are_sound_at_8_bits() {
    let mut seed = 0x10111_u64;
    for _ in 0..100_000 {
        let n = 1 + (rng(&mut seed) % 4) as usize;
        let base = rng(&mut seed) as u8;
        let xs: Vec<u8> = (0..n)
            .map(|_| base.wrapping_add(rng(&mut seed) as u8 % 40))
            .collect();
        let ys: Vec<u8> = (0..n).map(|_| rng(&mut seed) as u8).collect();
        let a = loose(&xs, &mut seed).sync();
        let b = loose(&ys, &mut seed).sync();
        let j = a.join(&b);
        let w = a.widen(&b);
        for x in xs.iter().chain(&ys) {
            assert!(
                j.contains(x) && w.contains(x),
                "{x:#x}: join {j:?} widen {w:?}"
            );
        }
        assert!(a.is_subsumed_by(&j) && b.is_subsumed_by(&j));
        for x in 0..=255u8 {
            if a.contains(&x) || b.contains(&x) {
                assert!(j.contains(&x), "join {j:?} misses {x:#x} of {a:?} or {b:?}");
            }
        }
        if a.is_subsumed_by(&b) {
            // Every member of a is a member of b.
            for x in 0..=255u8 {
                if a.contains(&x) {
                    assert!(
                        b.contains(&x),
                        "{a:?} is said to be within {b:?} but {x:#x} is not"
                    );
                }
            }
        }
    }
}
