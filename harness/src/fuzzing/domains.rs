//! The abstract domains against the concrete semantics on members: a scalar built from
//! arbitrary bytes by a sequence of constants, joins, widenings, ALU operations and branch
//! refinements, each step carrying the concrete values it must contain. After every step
//! each carried value lies in the scalar, and the scalar is well formed; a subsumption that
//! holds keeps every member; an edge said infeasible is taken by no carried pair.

use arbitrary::Unstructured;
use semantics::isa::{AluOp, JmpCond, Width};
use verifier::domain::Scalar;

/// A scalar and concrete members of it (at most `MAX_MEMBERS`).
#[derive(Clone)]
struct Known {
    s: Scalar<u64>,
    members: Vec<u64>,
}

const MAX_MEMBERS: usize = 12;

fn int<T: for<'a> arbitrary::Arbitrary<'a> + Default>(u: &mut Unstructured) -> T {
    u.arbitrary().unwrap_or_default()
}

/// A value that hits edges: small, near a power of two, extreme, or anything.
fn value(u: &mut Unstructured) -> u64 {
    match int::<u8>(u) % 6 {
        0 => int::<u8>(u) as u64,
        1 => (1u64 << (int::<u8>(u) % 64)).wrapping_add(int::<i8>(u) as u64),
        2 => [
            0,
            1,
            u64::MAX,
            i64::MAX as u64,
            i64::MIN as u64,
            u32::MAX as u64,
        ][int::<u8>(u) as usize % 6],
        3 => (int::<i16>(u) as i64) as u64,
        4 => int::<u32>(u) as u64,
        _ => int(u),
    }
}

fn holds(k: &Known, what: &dyn Fn() -> String) {
    assert!(
        k.s.check_invariants(),
        "ill-formed {} after {}",
        k.s.log(),
        what()
    );
    for m in &k.members {
        assert!(
            k.s.contains(m),
            "{m:#x} is not in {} after {}",
            k.s.log(),
            what()
        );
    }
}

fn leaf(u: &mut Unstructured) -> Known {
    let mut k = Known {
        s: Scalar::constant(&value(u)),
        members: Vec::new(),
    };
    k.members.push(k.s.as_const().unwrap_or(0));
    for _ in 0..int::<u8>(u) % 4 {
        let v = value(u);
        k.s = k.s.join(&Scalar::constant(&v));
        k.members.push(v);
    }
    if int::<u8>(u).is_multiple_of(8) {
        // Nothing known: the members stay members.
        k.s = Scalar::unknown(&0u64);
    }
    k
}

fn trim(mut m: Vec<u64>) -> Vec<u64> {
    m.sort_unstable();
    m.dedup();
    if m.len() > MAX_MEMBERS {
        let step = m.len() / MAX_MEMBERS + 1;
        m = m.into_iter().step_by(step).collect();
    }
    m
}

/// The oracle.
pub fn check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let mut pool = vec![leaf(&mut u), leaf(&mut u)];
    let mut trace = Vec::new();
    for _ in 0..int::<u8>(&mut u) % 10 + 1 {
        let (i, j) = (
            u.choose_index(pool.len()).unwrap_or(0),
            u.choose_index(pool.len()).unwrap_or(0),
        );
        let (a, b) = (pool[i].clone(), pool[j].clone());
        let width = if int::<bool>(&mut u) {
            Width::W64
        } else {
            Width::W32
        };
        let next = match int::<u8>(&mut u) % 6 {
            0 | 1 => {
                let op = AluOp::ALL[u.choose_index(AluOp::ALL.len()).unwrap_or(0)];
                trace.push(format!("{} {op:?}{width:?} {}", a.s.log(), b.s.log()));
                let members = a
                    .members
                    .iter()
                    .flat_map(|x| b.members.iter().map(move |y| (*x, *y)))
                    .map(|(x, y)| semantics::alu::alu_at(op, width, &x, &y))
                    .collect();
                vec![Known {
                    s: a.s.alu(op, width, &b.s),
                    members: trim(members),
                }]
            }
            2 | 3 => {
                let c = JmpCond::ALL[u.choose_index(JmpCond::ALL.len()).unwrap_or(0)];
                trace.push(format!("if {} {c:?}{width:?} {}", a.s.log(), b.s.log()));
                let (t, f) = a.s.branch(c, width, &b.s);
                let mut out = Vec::new();
                for (edge, want) in [(t, true), (f, false)] {
                    let pairs: Vec<(u64, u64)> = a
                        .members
                        .iter()
                        .flat_map(|x| b.members.iter().map(move |y| (*x, *y)))
                        .filter(|(x, y)| semantics::alu::cond_at(c, width, x, y) == want)
                        .collect();
                    if let Some((x, y)) = pairs.first() {
                        assert!(
                            edge.feasible,
                            "edge {want} said infeasible, taken by {x:#x}, {y:#x} after {}",
                            trace.join("; ")
                        );
                    }
                    if pairs.is_empty() {
                        continue;
                    }
                    let (dst, src): (Vec<u64>, Vec<u64>) = pairs.into_iter().unzip();
                    out.push(Known {
                        s: edge.dst,
                        members: trim(dst),
                    });
                    out.push(Known {
                        s: edge.src,
                        members: trim(src),
                    });
                }
                out
            }
            4 => {
                trace.push(format!("join {} {}", a.s.log(), b.s.log()));
                vec![
                    Known {
                        s: a.s.join(&b.s),
                        members: trim([a.members.clone(), b.members.clone()].concat()),
                    },
                    Known {
                        s: a.s.widen(&b.s),
                        members: trim([a.members.clone(), b.members.clone()].concat()),
                    },
                ]
            }
            _ => {
                trace.push(format!("subsumed {} {}", a.s.log(), b.s.log()));
                if a.s.is_subsumed_by(&b.s) {
                    for m in &a.members {
                        assert!(
                            b.s.contains(m),
                            "{} is subsumed by {} but its member {m:#x} is not in it",
                            a.s.log(),
                            b.s.log()
                        );
                    }
                }
                vec![leaf(&mut u)]
            }
        };
        for k in &next {
            holds(k, &|| trace.join("; "));
        }
        pool.extend(next);
        if pool.len() > 8 {
            pool.drain(..pool.len() - 8);
        }
    }
}
