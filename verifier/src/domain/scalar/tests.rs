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

#[test]
fn sync_keeps_every_member_and_reaches_its_fixpoint() {
    let mut seed = 0x0123_4567_89ab_cdefu64;
    for i in 0..300_000 {
        let n = 1 + (rng(&mut seed) % 6) as usize;
        let base = rng(&mut seed) as u8;
        let spread = [1u8, 4, 16, 64, 255][(rng(&mut seed) % 5) as usize];
        let set: Vec<u8> = (0..n).map(|_| base.wrapping_add((rng(&mut seed) as u8) % spread.max(1))).collect();
        let s = loose(&set, &mut seed);
        assert!(set.iter().all(|x| s.contains(x)), "case {i}: the loosened scalar lost a member");
        let t = s.sync();
        for x in &set {
            assert!(t.contains(x), "case {i}: sync lost {x:#x}: {s:?} -> {t:?}");
        }
        assert!(t.check_invariants(), "case {i}: {t:?}");
        assert_eq!(t.round(), t, "case {i}: not a fixpoint after {SYNC_ROUNDS} rounds: {s:?}");
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
            assert_eq!((s.umin, s.umax), (members[0], *members.last().unwrap()), "{t:?}");
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
    assert_eq!((t.u32_min, t.u32_max, t.s32_min, t.s32_max), (0, 255, 0, 255));
    // A non-negative signed range is an unsigned one.
    let mut s = Scalar::unknown(&0u64);
    s.smin = 16;
    s.smax = 48;
    let t = s.sync();
    assert_eq!((t.umin, t.umax), (16, 48));
    assert_eq!(t.var_off, Tnum::new(0, 0x3f));
}
