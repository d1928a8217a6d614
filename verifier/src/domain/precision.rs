//! Precision of the scalar domain at 8 bits (with 4-bit halves): for each operation, how
//! often our result is the best abstraction of the concrete results, and by how much γ of
//! our result exceeds γ of the best one on average.
//!
//! Inputs: every tnum at 8 bits (as `Scalar::from_tnum`) paired both ways with a fixed set of
//! other scalars (random loose abstractions of small sets and a few constants), plus random
//! pairs of interval combinations; the concrete inputs are all members of each. The best
//! abstraction of a set is the scalar whose every view is the tightest one containing the
//! set; results are compared by their γ.

use super::Scalar;
use super::Tnum;
use semantics::isa::{AluOp, JmpCond, Width};
use semantics::word::{Split, U4};

/// γ of an 8-bit scalar as a bitset.
type Set = [u64; 4];

fn gamma(s: &Scalar<u8>) -> Set {
    let mut g = [0u64; 4];
    for x in 0..=255u8 {
        if s.contains(&x) {
            g[(x >> 6) as usize] |= 1 << (x & 63);
        }
    }
    g
}

fn count(g: &Set) -> u32 {
    g.iter().map(|w| w.count_ones()).sum()
}

/// The best abstraction of a non-empty set of 8-bit values.
pub fn best(xs: &[u8]) -> Scalar<u8> {
    let diff = xs.iter().fold(0u8, |d, x| d | (x ^ xs[0]));
    let s4 = |v: U4| ((v.0 << 4) as i8) >> 4;
    let lows: Vec<U4> = xs.iter().map(|x| x.low()).collect();
    Scalar {
        var_off: Tnum::new(xs[0] & !diff, diff),
        umin: *xs.iter().min().unwrap(),
        umax: *xs.iter().max().unwrap(),
        smin: *xs.iter().min_by_key(|x| **x as i8).unwrap(),
        smax: *xs.iter().max_by_key(|x| **x as i8).unwrap(),
        u32_min: *lows.iter().min().unwrap(),
        u32_max: *lows.iter().max().unwrap(),
        s32_min: *lows.iter().min_by_key(|v| s4(**v)).unwrap(),
        s32_max: *lows.iter().max_by_key(|v| s4(**v)).unwrap(),
    }
}

/// One row of the table.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub name: String,
    pub inputs: u64,
    /// Inputs where γ of our result equals γ of the best abstraction.
    pub best: u64,
    /// Sum over inputs of |γ(ours)| / |γ(best)|.
    pub ratio_sum: f64,
    /// Against the model of the kernel's operator (`kernel_model`), where there is one:
    /// inputs where γ(ours) ⊊ γ(kernel), γ(ours) = γ(kernel), γ(kernel) ⊊ γ(ours), neither.
    pub vs_kernel: Option<[u64; 4]>,
}

impl Row {
    fn compare(&mut self, ours: &Scalar<u8>, kernel: &Scalar<u8>) {
        let (o, k) = (gamma(ours), gamma(kernel));
        let sub = |a: &Set, b: &Set| a.iter().zip(b).all(|(x, y)| x & !y == 0);
        let i = match (sub(&o, &k), sub(&k, &o)) {
            (true, true) => 1,
            (true, false) => 0,
            (false, true) => 2,
            (false, false) => 3,
        };
        self.vs_kernel.get_or_insert([0; 4])[i] += 1;
    }

    fn add(&mut self, ours: &Scalar<u8>, outs: &[u8]) {
        let b = gamma(&best(outs));
        let o = gamma(ours);
        self.inputs += 1;
        if o == b {
            self.best += 1;
        }
        self.ratio_sum += count(&o) as f64 / count(&b).max(1) as f64;
    }
}

fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// A scalar around a set, loosened at random (the same family the soundness tests use).
fn around(set: &[u8], seed: &mut u64) -> Scalar<u8> {
    let b = best(set);
    let mut s = Scalar::unknown(&0u8);
    let r = rng(seed);
    if r & 1 != 0 {
        s.umin = b.umin;
        s.umax = b.umax;
    }
    if r & 2 != 0 {
        s.smin = b.smin;
        s.smax = b.smax;
    }
    if r & 4 != 0 {
        s.var_off = b.var_off;
    }
    if r & 8 != 0 {
        s.u32_min = b.u32_min;
        s.u32_max = b.u32_max;
    }
    s.sync()
}

/// The input pairs: (a, members of a, b, members of b).
fn inputs(random_pairs: usize, all_tnums: bool) -> Vec<(Scalar<u8>, Vec<u8>, Scalar<u8>, Vec<u8>)> {
    let mut seed = 0x9e37_79b9_u64;
    let mut others = Vec::new();
    for _ in 0..4 {
        let n = 1 + (rng(&mut seed) % 4) as usize;
        let set: Vec<u8> = (0..n).map(|_| rng(&mut seed) as u8).collect();
        others.push((around(&set, &mut seed), set));
    }
    for k in [0u8, 1, 3, 0x80] {
        others.push((Scalar::constant(&k), vec![k]));
    }
    let members = |s: &Scalar<u8>| -> Vec<u8> { (0..=255u8).filter(|x| s.contains(x)).collect() };
    let others: Vec<(Scalar<u8>, Vec<u8>)> =
        others.into_iter().map(|(s, _)| (s, members(&s))).collect();
    let mut out = Vec::new();
    for value in 0..=255u8 {
        for mask in 0..=255u8 {
            if value & mask != 0 || !all_tnums {
                continue;
            }
            let t = Tnum::new(value, mask);
            let a = Scalar::from_tnum(&t);
            let xs: Vec<u8> = (0..=255u8).filter(|x| t.contains(x)).collect();
            for (b, ys) in &others {
                out.push((a, xs.clone(), *b, ys.clone()));
            }
        }
    }
    for _ in 0..random_pairs {
        let mk = |seed: &mut u64| {
            let n = 1 + (rng(seed) % 5) as usize;
            let base = rng(seed) as u8;
            let xs: Vec<u8> = (0..n)
                .map(|_| base.wrapping_add(rng(seed) as u8 % 32))
                .collect();
            (around(&xs, seed), xs)
        };
        let (a, _) = mk(&mut seed);
        let (b, _) = mk(&mut seed);
        let (xs, ys) = (members(&a), members(&b));
        if !xs.is_empty() && !ys.is_empty() {
            out.push((a, xs, b, ys));
        }
    }
    out
}

/// Measures every ALU operation and branch refinement at both widths, on every tnum and
/// `random_pairs` random interval pairs.
pub fn measure(random_pairs: usize) -> Vec<Row> {
    measure_with(random_pairs, true)
}

/// `measure`, optionally without the enumeration of every tnum (for quick tests).
pub fn measure_with(random_pairs: usize, all_tnums: bool) -> Vec<Row> {
    let ins = inputs(random_pairs, all_tnums);
    let mut rows = Vec::new();
    for op in AluOp::ALL {
        for w in [Width::W64, Width::W32] {
            let mut row = Row {
                name: format!("{op:?}{}", if w == Width::W32 { "32" } else { "" }),
                ..Row::default()
            };
            for (a, xs, b, ys) in &ins {
                let r = a.alu(op, w, b);
                let outs: Vec<u8> = xs
                    .iter()
                    .flat_map(|x| ys.iter().map(move |y| semantics::alu::alu_at(op, w, x, y)))
                    .collect();
                row.add(&r, &outs);
                row.compare(&r, &super::kernel_model::alu(a, op, w, b));
            }
            rows.push(row);
        }
    }
    for c in JmpCond::ALL {
        for w in [Width::W64, Width::W32] {
            let mut row = Row {
                name: format!("branch {c:?}{}", if w == Width::W32 { "32" } else { "" }),
                ..Row::default()
            };
            for (a, xs, b, ys) in &ins {
                let (t, _) = a.branch(c, w, b);
                let holds = |x: &u8, y: &u8| semantics::alu::cond_at(c, w, x, y);
                let dsts: Vec<u8> = xs
                    .iter()
                    .copied()
                    .filter(|x| ys.iter().any(|y| holds(x, y)))
                    .collect();
                if dsts.is_empty() {
                    continue;
                }
                row.add(&t.dst, &dsts);
                row.compare(&t.dst, &super::kernel_model::branch_taken_dst(a, c, w, b));
            }
            rows.push(row);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    /// The target of the domain: never less precise than the kernel's operator, on any input
    /// (here a sample; `tristate domain-precision --bits 8` runs every tnum).
    #[test]
    fn never_less_precise_than_the_kernel_model() {
        for r in super::measure_with(3000, false) {
            if let Some([_, _, less, incomparable]) = r.vs_kernel {
                assert_eq!((less, incomparable), (0, 0), "{}: less precise than the kernel on {less} inputs, incomparable on {incomparable}", r.name);
            }
        }
    }
}
