//! Unsigned division by a constant without a divide instruction: the multiply-and-shift method
//! of Granlund and Montgomery (PLDI 1994), with the "N+1-bit multiplier" fix-up so that it is
//! exact for every 64-bit dividend.
//!
//! The interpreter uses it for `DIV`/`MOD` by an immediate. The results must equal
//! [`crate::alu::div`] and [`crate::alu::modulo`] for every dividend at both widths; the tests
//! check that on edge cases and random values for thousands of divisors.

/// A precomputed divisor.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Divisor {
    /// The divisor itself (for remainders).
    pub d: u64,
    m: u64,
    shift: u8,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Division by zero: the quotient is 0 (the ISA's rule), so the remainder is the dividend.
    Zero,
    /// A power of two: a shift.
    Pow2,
    /// A divisor above 2^63: the quotient is 0 or 1.
    Large,
    /// Any other divisor: multiply-high, fix-up, shift.
    General,
}

/// How [`Divisor`] divides, for engines that emit the same computation (the JIT).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Plan {
    /// By zero: the quotient is 0.
    Zero,
    /// By `1 << shift`.
    Pow2 { shift: u8 },
    /// By a divisor above 2^63: the quotient is `n >= d`.
    Large,
    /// `t = (m * n) >> 64; q = (t + ((n - t) >> 1)) >> shift`.
    General { m: u64, shift: u8 },
}

impl Divisor {
    /// The method, with its constants.
    pub fn plan(&self) -> Plan {
        match self.kind {
            Kind::Zero => Plan::Zero,
            Kind::Pow2 => Plan::Pow2 { shift: self.shift },
            Kind::Large => Plan::Large,
            Kind::General => Plan::General {
                m: self.m,
                shift: self.shift,
            },
        }
    }

    pub fn new(d: u64) -> Divisor {
        if d == 0 {
            return Divisor {
                d,
                m: 0,
                shift: 0,
                kind: Kind::Zero,
            };
        }
        if d.is_power_of_two() {
            return Divisor {
                d,
                m: 0,
                shift: d.trailing_zeros() as u8,
                kind: Kind::Pow2,
            };
        }
        if d > 1 << 63 {
            return Divisor {
                d,
                m: 0,
                shift: 0,
                kind: Kind::Large,
            };
        }
        // l = ceil(log2 d), 2 <= l <= 63 here; m = floor(2^(64 + l) / d) - 2^64 + 1.
        let l = 64 - (d - 1).leading_zeros();
        let m = ((1u128 << (64 + l)) / d as u128 + 1) as u64;
        Divisor {
            d,
            m,
            shift: (l - 1) as u8,
            kind: Kind::General,
        }
    }

    /// `n / d`, with `n / 0 == 0`.
    #[inline(always)]
    pub fn div(&self, n: u64) -> u64 {
        match self.kind {
            Kind::Zero => 0,
            Kind::Pow2 => n >> self.shift,
            Kind::Large => (n >= self.d) as u64,
            Kind::General => {
                let t = ((self.m as u128 * n as u128) >> 64) as u64;
                (t + ((n - t) >> 1)) >> self.shift
            }
        }
    }

    /// `n % d`, with `n % 0 == n`.
    #[inline(always)]
    pub fn rem(&self, n: u64) -> u64 {
        n.wrapping_sub(self.div(n).wrapping_mul(self.d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alu;

    fn check(d: u64, n: u64) {
        let v = Divisor::new(d);
        assert_eq!(v.div(n), alu::div::<u64>(&n, &d), "{n} / {d}");
        assert_eq!(v.rem(n), alu::modulo::<u64>(&n, &d), "{n} % {d}");
        let (n32, d32) = (n as u32, d as u32);
        let w = Divisor::new(d32 as u64);
        assert_eq!(
            w.div(n32 as u64) as u32,
            alu::div::<u32>(&n32, &d32),
            "{n32} / {d32} (32-bit)"
        );
        assert_eq!(
            w.rem(n32 as u64) as u32,
            alu::modulo::<u32>(&n32, &d32),
            "{n32} % {d32} (32-bit)"
        );
    }

    #[test]
    fn matches_the_isa_division_on_edges_and_random_values() {
        let mut divisors: Vec<u64> = (0..=300).collect();
        for k in 1..64 {
            let p = 1u64 << k;
            divisors.extend([p - 1, p, p + 1]);
        }
        divisors.extend([
            u64::MAX,
            u64::MAX - 1,
            u32::MAX as u64,
            641,
            6_700_417,
            (1 << 63) + 1,
            7,
            13,
            1_000_000_007,
        ]);
        let mut s = 0x1234_5678_9abc_def1u64;
        let mut rnd = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        for _ in 0..2000 {
            let r = rnd();
            divisors.push(r >> (r % 64));
        }
        for &d in &divisors {
            let mut ns = vec![
                0,
                1,
                2,
                d.wrapping_sub(1),
                d,
                d.wrapping_add(1),
                u64::MAX,
                u64::MAX - 1,
                1 << 63,
                u32::MAX as u64,
            ];
            if d > 0 {
                ns.push(u64::MAX / d * d);
                ns.push((u64::MAX / d * d).wrapping_sub(1));
            }
            for _ in 0..50 {
                ns.push(rnd());
                let r = rnd();
                ns.push(r >> (r % 64));
            }
            for n in ns {
                check(d, n);
            }
        }
    }
}
