//! Tnum operations checked against the concrete semantics: exhaustively at 8 bits, and with
//! random members at 64 bits.

use super::Tnum;
use proptest::prelude::*;
use semantics::alu;

/// Every well-formed tnum at 8 bits (3^8 = 6,561).
fn all8() -> Vec<Tnum<u8>> {
    let mut v = Vec::new();
    for value in 0..=255u8 {
        for mask in 0..=255u8 {
            if value & mask == 0 {
                v.push(Tnum::new(value, mask));
            }
        }
    }
    v
}

/// The members of a tnum.
fn members(t: Tnum<u8>) -> impl Iterator<Item = u8> {
    let m = t.mask;
    let mut s: u16 = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let x = t.value | s as u8;
        s = (s.wrapping_sub(m as u16)) & m as u16;
        if s == 0 {
            done = true;
        }
        Some(x)
    })
}

/// The best tnum abstraction of a non-empty set.
fn best(xs: impl Iterator<Item = u8>) -> Tnum<u8> {
    let mut first = None;
    let mut diff = 0u8;
    for x in xs {
        match first {
            None => first = Some(x),
            Some(f) => diff |= f ^ x,
        }
    }
    let f = first.expect("non-empty");
    Tnum::new(f & !diff, diff)
}

/// Checks `op#` against `op` on every pair of tnums and every pair of members; with `exact`,
/// also that the result is the best abstraction.
fn check_binary(
    name: &str,
    abs: impl Fn(&Tnum<u8>, &Tnum<u8>) -> Tnum<u8>,
    conc: impl Fn(u8, u8) -> u8,
    exact: bool,
) {
    let all = all8();
    let mem: Vec<Vec<u8>> = all.iter().map(|t| members(*t).collect()).collect();
    for (a, ma) in all.iter().zip(&mem) {
        for (b, mb) in all.iter().zip(&mem) {
            let r = abs(a, b);
            assert!(
                r.check_invariants(),
                "{name}: ill-formed result for {a:?} {b:?}: {r:?}"
            );
            // Accumulate the best abstraction of the outputs; membership follows from it.
            let first = conc(ma[0], mb[0]);
            let mut diff = 0u8;
            for &x in ma {
                for &y in mb {
                    diff |= conc(x, y) ^ first;
                }
            }
            let want = Tnum::new(first & !diff, diff);
            if exact {
                assert_eq!(r, want, "{name}: not the best abstraction for {a:?} {b:?}");
            } else {
                assert!(
                    r.includes(&want),
                    "{name}: {r:?} misses outputs {want:?} for {a:?} {b:?}"
                );
            }
        }
    }
}

#[test]
fn add_is_sound_at_8_bits() {
    check_binary("add", |a, b| a.add(b), |x, y| alu::add::<u8>(&x, &y), false);
}

#[test]
fn sub_is_sound_at_8_bits() {
    check_binary("sub", |a, b| a.sub(b), |x, y| alu::sub::<u8>(&x, &y), false);
}

#[test]
fn mul_is_sound_at_8_bits() {
    check_binary("mul", |a, b| a.mul(b), |x, y| alu::mul::<u8>(&x, &y), false);
    check_binary(
        "mul_union",
        |a, b| a.mul_union(b),
        |x, y| alu::mul::<u8>(&x, &y),
        false,
    );
}

#[test]
fn bitwise_ops_are_exact_at_8_bits() {
    check_binary("and", |a, b| a.and(b), |x, y| x & y, true);
    check_binary("or", |a, b| a.or(b), |x, y| x | y, true);
    check_binary("xor", |a, b| a.xor(b), |x, y| x ^ y, true);
}

#[test]
fn join_is_the_least_upper_bound_at_8_bits() {
    let all = all8();
    for a in &all {
        for b in &all {
            assert_eq!(
                a.join(b),
                best(members(*a).chain(members(*b))),
                "{a:?} {b:?}"
            );
        }
    }
}

#[test]
fn intersect_keeps_common_members_and_compatible_detects_emptiness() {
    let all = all8();
    for a in &all {
        for b in &all {
            let common: Vec<u8> = members(*a).filter(|x| b.contains(x)).collect();
            assert_eq!(a.compatible(b), !common.is_empty(), "{a:?} {b:?}");
            if !common.is_empty() {
                let r = a.intersect(b);
                assert!(r.check_invariants());
                // Intersection of two tnums is exactly representable.
                assert_eq!(r, best(common.into_iter()), "{a:?} {b:?}");
            }
        }
    }
}

#[test]
fn shifts_and_neg_are_exact_at_8_bits() {
    for a in all8() {
        for k in 0..8 {
            assert_eq!(
                a.lshift(k),
                best(members(a).map(|x| x << k)),
                "lsh {a:?} {k}"
            );
            assert_eq!(
                a.rshift(k),
                best(members(a).map(|x| x >> k)),
                "rsh {a:?} {k}"
            );
            assert_eq!(
                a.arshift(k),
                best(members(a).map(|x| ((x as i8) >> k) as u8)),
                "arsh {a:?} {k}"
            );
        }
        let n = a.neg();
        assert!(
            members(a).all(|x| n.contains(&x.wrapping_neg())),
            "neg {a:?}"
        );
    }
}

#[test]
fn includes_is_exact_and_range_is_sound() {
    let all = all8();
    for (i, a) in all.iter().enumerate() {
        // Every b for a sample of a, and a sample of b for every a.
        let bs: Box<dyn Iterator<Item = &Tnum<u8>>> = if i % 97 == 0 {
            Box::new(all.iter())
        } else {
            Box::new(all.iter().step_by(61))
        };
        for b in bs {
            let subset = members(*b).all(|x| a.contains(&x));
            assert_eq!(a.includes(b), subset, "{a:?} includes {b:?}");
        }
    }
    for min in 0..=255u8 {
        for max in min..=255u8 {
            let r = Tnum::range(&min, &max);
            assert!(r.check_invariants());
            assert!(
                (min..=max).all(|x| r.contains(&x)),
                "range {min} {max}: {r:?}"
            );
        }
    }
    assert_eq!(
        Tnum::range(&0u64, &2),
        Tnum::new(0, 3),
        "range(0, 2) also contains 3"
    );
    assert_eq!(Tnum::range(&5u8, &3), Tnum::unknown(&0u8));
}

#[test]
fn cast_and_alignment() {
    let t = Tnum::new(0x1_0000_0004u64, 0xf0);
    assert_eq!(t.subreg(), Tnum::new(4, 0xf0));
    assert_eq!(t.cast(1), Tnum::new(4, 0xf0));
    assert!(t.is_aligned(4));
    assert!(!t.is_aligned(8));
    assert_eq!(t.log(), "(0x100000004; 0xf0)");
}

/// A random well-formed 64-bit tnum and one of its members.
fn tnum_and_member() -> impl Strategy<Value = (Tnum<u64>, u64)> {
    (any::<u64>(), any::<u64>(), any::<u64>()).prop_map(|(v, m, pick)| {
        let t = Tnum::new(v & !m, m);
        (t, t.value | (pick & m))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn binary_ops_are_sound_at_64_bits((a, x) in tnum_and_member(), (b, y) in tnum_and_member()) {
        prop_assert!(a.add(&b).contains(&alu::add::<u64>(&x, &y)));
        prop_assert!(a.sub(&b).contains(&alu::sub::<u64>(&x, &y)));
        prop_assert!(a.mul(&b).contains(&alu::mul::<u64>(&x, &y)));
        prop_assert!(a.and(&b).contains(&(x & y)));
        prop_assert!(a.or(&b).contains(&(x | y)));
        prop_assert!(a.xor(&b).contains(&(x ^ y)));
        prop_assert!(a.join(&b).contains(&x) && a.join(&b).contains(&y));
        for r in [a.add(&b), a.sub(&b), a.mul(&b), a.and(&b), a.or(&b), a.xor(&b), a.join(&b)] {
            prop_assert!(r.check_invariants());
        }
    }

    #[test]
    fn ops_are_sound_at_32_bits((a, x) in tnum_and_member(), (b, y) in tnum_and_member(), k in 0u32..32) {
        let (a, b) = (Tnum::new(a.value as u32, a.mask as u32), Tnum::new(b.value as u32, b.mask as u32));
        let (x, y) = (x as u32, y as u32);
        prop_assert!(a.add(&b).contains(&alu::add::<u32>(&x, &y)));
        prop_assert!(a.sub(&b).contains(&alu::sub::<u32>(&x, &y)));
        prop_assert!(a.mul(&b).contains(&alu::mul::<u32>(&x, &y)));
        prop_assert!(a.lshift(k).contains(&(x << k)));
        prop_assert!(a.rshift(k).contains(&(x >> k)));
        prop_assert!(a.arshift(k).contains(&(((x as i32) >> k) as u32)));
    }
}
