//! Tristate numbers: a `value` and a `mask`; bit `i` is known to be `value[i]` where
//! `mask[i] == 0`, and unknown where `mask[i] == 1`.
//!
//! Lattice: γ(t) = { x | x & !t.mask == t.value }. Order: a ⊑ b iff γ(a) ⊆ γ(b), that is
//! `a.mask & !b.mask == 0` and `(a.value & !b.mask) == b.value`. Top is (0, all ones); there
//! is no bottom in this representation (an impossible edge is reported separately).
//!
//! Invariant: `value & mask == 0` (checked by [`Tnum::check_invariants`]).
//!
//! Each operation is the kernel's (`kernel/bpf/tnum.c`, Linux 6.18) written over `Word` with
//! selects instead of branches. `# Soundness` states what each guarantees; the proofs crate
//! checks it with Z3 and the tests here check it exhaustively at 8 bits.

use semantics::word::Word;

/// A tristate number over the word type `W`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Tnum<W> {
    pub value: W,
    pub mask: W,
}

impl<W: Word> Tnum<W> {
    /// The tnum `(value, mask)`; callers keep `value & mask == 0`.
    pub fn new(value: W, mask: W) -> Self {
        Tnum { value, mask }
    }

    /// The constant `v`: every bit known.
    pub fn constant(v: W) -> Self {
        let zero = v.lit(0);
        Tnum {
            value: v,
            mask: zero,
        }
    }

    /// Nothing known. `like` only supplies the word context.
    pub fn unknown(like: &W) -> Self {
        Tnum {
            value: like.lit(0),
            mask: like.lit(u64::MAX),
        }
    }

    /// Whether `value & mask == 0` (the representation invariant).
    pub fn check_invariants(&self) -> W::Bool {
        self.value.and(&self.mask).eq(&self.value.lit(0))
    }

    /// Whether every bit is known.
    pub fn is_const(&self) -> W::Bool {
        self.mask.eq(&self.mask.lit(0))
    }

    /// Whether `x` is in γ(self).
    pub fn contains(&self, x: &W) -> W::Bool {
        x.and(&self.mask.not()).eq(&self.value)
    }

    /// Whether γ(other) ⊆ γ(self) (the kernel's `tnum_in(self, other)`).
    ///
    /// # Soundness
    /// Exact: true iff every member of `other` is a member of `self`.
    pub fn includes(&self, other: &Self) -> W::Bool {
        let no_new_unknowns = other.mask.and(&self.mask.not()).eq(&self.value.lit(0));
        let agree = other.value.and(&self.mask.not()).eq(&self.value);
        W::bool_and(&no_new_unknowns, &agree)
    }

    /// The smallest tnum containing every x with `min <= x <= max` (unsigned). Unknown when
    /// `min > max`.
    ///
    /// # Precision
    /// Imprecise for most ranges: `range(0, 2)` also contains 3.
    pub fn range(min: &W, max: &W) -> Self {
        // All bits from the highest differing bit down are unknown.
        let delta = smear_right(&min.xor(max));
        let t = Tnum {
            value: min.and(&delta.not()),
            mask: delta,
        };
        let bad = max.ult(min);
        Tnum::select(&bad, &Tnum::unknown(min), &t)
    }

    /// `if c { a } else { b }`, field by field.
    pub fn select(c: &W::Bool, a: &Self, b: &Self) -> Self {
        Tnum {
            value: W::select(c, &a.value, &b.value),
            mask: W::select(c, &a.mask, &b.mask),
        }
    }

    /// Addition.
    ///
    /// # Soundness
    /// For x ∈ γ(a), y ∈ γ(b): x + y ∈ γ(add(a, b)) (theorems `tnum64 add`, `tnum32 add`).
    pub fn add(&self, b: &Self) -> Self {
        let sv = self.value.add(&b.value);
        let sm = self.mask.add(&b.mask);
        let sigma = sv.add(&sm);
        let chi = sigma.xor(&sv);
        let mu = chi.or(&self.mask).or(&b.mask);
        Tnum {
            value: sv.and(&mu.not()),
            mask: mu,
        }
    }

    /// Subtraction.
    ///
    /// # Soundness
    /// For x ∈ γ(a), y ∈ γ(b): x - y ∈ γ(sub(a, b)) (theorems `tnum64 sub`, `tnum32 sub`).
    pub fn sub(&self, b: &Self) -> Self {
        let dv = self.value.sub(&b.value);
        let alpha = dv.add(&self.mask);
        let beta = dv.sub(&b.mask);
        let chi = alpha.xor(&beta);
        let mu = chi.or(&self.mask).or(&b.mask);
        Tnum {
            value: dv.and(&mu.not()),
            mask: mu,
        }
    }

    /// Negation, as `0 - a`.
    pub fn neg(&self) -> Self {
        Tnum::constant(self.value.lit(0)).sub(self)
    }

    /// Bitwise and. Exact (the best abstraction).
    pub fn and(&self, b: &Self) -> Self {
        let alpha = self.value.or(&self.mask);
        let beta = b.value.or(&b.mask);
        let v = self.value.and(&b.value);
        Tnum {
            value: v.clone(),
            mask: alpha.and(&beta).and(&v.not()),
        }
    }

    /// Bitwise or. Exact (the best abstraction).
    pub fn or(&self, b: &Self) -> Self {
        let v = self.value.or(&b.value);
        let mu = self.mask.or(&b.mask);
        Tnum {
            value: v.clone(),
            mask: mu.and(&v.not()),
        }
    }

    /// Bitwise exclusive or. Exact (the best abstraction).
    pub fn xor(&self, b: &Self) -> Self {
        let v = self.value.xor(&b.value);
        let mu = self.mask.or(&b.mask);
        Tnum {
            value: v.and(&mu.not()),
            mask: mu,
        }
    }

    /// Multiplication, the algorithm of Vishwanathan et al. (CGO 2022) that Linux uses: the
    /// product of the known values plus, for each bit of `self` that is 1 or unknown, the
    /// unknown contribution of `b` shifted into place. The loop runs exactly `W::BITS` times
    /// (the kernel stops when `self` has no bits left; the extra rounds add nothing).
    ///
    /// # Soundness
    /// For x ∈ γ(a), y ∈ γ(b): x * y ∈ γ(mul(a, b)) (theorems `tnum64 mul`, `tnum32 mul`):
    /// after round i the accumulated mask holds (x mod 2^(i+1)) * y minus the known part
    /// (a.value mod 2^(i+1)) * b.value (theorem `tnum64 mul round`), by induction.
    ///
    /// # Precision
    /// Not the best abstraction: `mul` is not commutative in precision.
    pub fn mul(&self, b: &Self) -> Self {
        let zero = self.value.lit(0);
        let acc_m = self.long_multiply(b, Tnum::constant(zero), Tnum::mul_step);
        Tnum::constant(self.value.mul(&b.value)).add(&acc_m)
    }

    /// One round of [`Tnum::mul`]'s loop: adds the unknown part of `b` (already shifted to
    /// the bit) to the accumulated mask when the bit of `self` is 1, all of `b`'s possible
    /// bits when it is unknown.
    pub fn mul_step(acc: &Self, a_one: &W::Bool, a_unknown: &W::Bool, b: &Self) -> Self {
        let zero = b.value.lit(0);
        let add_mask = W::select(
            a_one,
            &b.mask,
            &W::select(a_unknown, &b.value.or(&b.mask), &zero),
        );
        acc.add(&Tnum {
            value: zero,
            mask: add_mask,
        })
    }

    /// Multiplication as Linux 6.18's `tnum_mul` computes it: a shift-and-add over the bits
    /// of `self` that adds `b` for a known 1 and, for an unknown bit, joins the sums with
    /// and without `b`.
    ///
    /// # Soundness
    /// For x ∈ γ(a), y ∈ γ(b): x * y ∈ γ(mul_union(a, b)) (theorems `tnum64 mulunion`,
    /// `tnum32 mulunion`, with the round lemma `tnum64 mulunion round`):
    /// after bit i the accumulator contains (x mod 2^(i+1)) * y.
    ///
    /// # Precision
    /// Neither this nor [`Tnum::mul`] is always the more precise; [`super::View::mul`]
    /// intersects the two.
    pub fn mul_union(&self, b: &Self) -> Self {
        let zero = self.value.lit(0);
        self.long_multiply(b, Tnum::constant(zero), Tnum::mul_union_step)
    }

    /// One round of [`Tnum::mul_union`]'s loop: adds `b` (already shifted to the bit) when
    /// the bit of `self` is 1, joins the sums with and without it when the bit is unknown.
    pub fn mul_union_step(acc: &Self, a_one: &W::Bool, a_unknown: &W::Bool, b: &Self) -> Self {
        let with_b = acc.add(b);
        Tnum::select(
            a_one,
            &with_b,
            &Tnum::select(a_unknown, &acc.join(&with_b), acc),
        )
    }

    /// Shift-and-add over the bits of `self`, lowest first: `step(acc, bit is 1, bit is
    /// unknown, b shifted to that bit)` gives the next accumulator. Public so that the
    /// proofs can follow the loop round by round (an induction over its rounds).
    pub fn long_multiply(
        &self,
        b: &Self,
        mut acc: Self,
        step: impl Fn(&Self, &W::Bool, &W::Bool, &Self) -> Self,
    ) -> Self {
        let zero = self.value.lit(0);
        let one = self.value.lit(1);
        let mut a = self.clone();
        let mut b = b.clone();
        for _ in 0..W::BITS {
            // Once no bit of `a` is left the accumulator stays as it is; machine words stop.
            if W::truth(&a.value.or(&a.mask).eq(&zero)) == Some(true) {
                break;
            }
            let a_one = W::bool_not(&a.value.and(&one).eq(&zero));
            let a_unknown = W::bool_not(&a.mask.and(&one).eq(&zero));
            acc = step(&acc, &a_one, &a_unknown, &b);
            a = a.rshift(1);
            b = b.lshift(1);
        }
        acc
    }

    /// Shift left by a constant amount (below `W::BITS`). Exact.
    pub fn lshift(&self, k: u32) -> Self {
        let s = self.value.lit(k as u64);
        Tnum {
            value: self.value.shl(&s),
            mask: self.mask.shl(&s),
        }
    }

    /// Logical shift right by a constant amount (below `W::BITS`). Exact.
    pub fn rshift(&self, k: u32) -> Self {
        let s = self.value.lit(k as u64);
        Tnum {
            value: self.value.lshr(&s),
            mask: self.mask.lshr(&s),
        }
    }

    /// Arithmetic shift right by a constant amount (below `W::BITS`). Exact: an unknown sign
    /// bit makes the copied bits unknown, a known one copies its value.
    pub fn arshift(&self, k: u32) -> Self {
        let s = self.value.lit(k as u64);
        Tnum {
            value: self.value.ashr(&s),
            mask: self.mask.ashr(&s),
        }
    }

    /// The facts of both: the kernel's `tnum_intersect`, for values known to be in both.
    ///
    /// # Soundness
    /// γ(a) ∩ γ(b) ⊆ γ(intersect(a, b)). When the two disagree on a known bit the
    /// intersection is empty and the result is not meaningful (callers detect this with
    /// [`Tnum::compatible`]).
    pub fn intersect(&self, b: &Self) -> Self {
        let v = self.value.or(&b.value);
        let mu = self.mask.and(&b.mask);
        Tnum {
            value: v.and(&mu.not()),
            mask: mu,
        }
    }

    /// Whether γ(a) ∩ γ(b) is not empty: the two agree on every bit both know.
    pub fn compatible(&self, b: &Self) -> W::Bool {
        let both_known = self.mask.or(&b.mask).not();
        self.value
            .xor(&b.value)
            .and(&both_known)
            .eq(&self.value.lit(0))
    }

    /// The join (least upper bound): a bit is known where both know it with the same value.
    ///
    /// # Soundness
    /// γ(a) ∪ γ(b) ⊆ γ(join(a, b)); it is the least such tnum.
    pub fn join(&self, b: &Self) -> Self {
        let mu = self.mask.or(&b.mask).or(&self.value.xor(&b.value));
        Tnum {
            value: self.value.and(&mu.not()),
            mask: mu,
        }
    }

    /// The low 32 bits (the kernel's `tnum_subreg`), zero-extended.
    pub fn subreg(&self) -> Self {
        self.cast(4)
    }

    /// Truncation to the low `size` bytes (the kernel's `tnum_cast`), zero-extended.
    pub fn cast(&self, size: u32) -> Self {
        let bits = 8 * size;
        if bits >= W::BITS {
            return self.clone();
        }
        let m = self.value.lit((1u64 << bits) - 1);
        Tnum {
            value: self.value.and(&m),
            mask: self.mask.and(&m),
        }
    }

    /// Whether every member is a multiple of `size` (a power of two).
    pub fn is_aligned(&self, size: u64) -> W::Bool {
        let low = self.value.lit(size.wrapping_sub(1));
        self.value.or(&self.mask).and(&low).eq(&self.value.lit(0))
    }
}

/// `x` with every bit below its highest set bit also set (`(1 << fls(x)) - 1`).
fn smear_right<W: Word>(x: &W) -> W {
    let mut r = x.clone();
    let mut k = 1;
    while k < W::BITS {
        r = r.or(&r.lshr(&r.lit(k as u64)));
        k *= 2;
    }
    r
}

impl Tnum<u64> {
    /// The kernel log's `var_off=(0x..; 0x..)`.
    pub fn log(&self) -> String {
        format!("(0x{:x}; 0x{:x})", self.value, self.mask)
    }
}

#[cfg(test)]
mod tests;
