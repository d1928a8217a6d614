//! The proofs under `cargo test`: every theorem at 8 bits, the cheap ones at 64 bits, a
//! deliberately broken operator refuted with a concrete counterexample, and a check that
//! every public transfer function of the domains has a theorem.

use proofs::run;
use proofs::theorems::{self, Spec, Status, TnumOp};
use semantics::isa::{AluOp, JmpCond};
use semantics::word::Word;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;
use verifier::domain::{Scalar, Tnum};

/// Every theorem holds on 8-bit words (4-bit halves). A timeout fails too: at this width
/// Z3 decides each in seconds.
#[test]
fn every_theorem_is_proved_at_8_bits() {
    let ths = theorems::all();
    let outcomes = run::prove_all(&ths, &[8], Duration::from_secs(120), &|_| {});
    let bad: Vec<String> = outcomes
        .iter()
        .filter(|o| o.proved_bits() != Some(8))
        .map(run::line)
        .collect();
    assert!(bad.is_empty(), "not proved at 8 bits:\n{}", bad.join("\n"));
    assert_eq!(outcomes.len(), ths.len());
}

/// The theorems Z3 decides quickly at full width: bitwise tnum operations, the rules of
/// sync, subsumption, the byte swaps, the 32-bit moves, a compositional ALU theorem, the
/// remainder with its lemma, the 32-bit view's multiplication (its steps), the rounds of
/// the tnum multiplications, and the lemmas of integer arithmetic.
#[test]
fn cheap_theorems_are_proved_at_64_bits() {
    let cheap = [
        "tnum64 and",
        "tnum64 or",
        "tnum64 xor",
        "tnum64 lshift",
        "tnum64 intersect",
        "tnum64 join",
        "tnum64 includes",
        "tnum64 cast",
        "tnum32 add",
        "view64 and",
        "view64 xor",
        "scalar subsumption",
        "scalar maybe_nonempty",
        "scalar end swap",
        "scalar alu32 mov",
        "scalar alu64 and",
        "scalar branch jset",
        "scalar alu64 div",
        "view32 mod",
        "view32 mul",
        "tnum64 mul round",
        "tnum64 mulunion round",
    ];
    let mut ths: Vec<theorems::Theorem> = theorems::all()
        .into_iter()
        .filter(|t| {
            cheap.contains(&t.name.as_str())
                || t.name.starts_with("scalar sync ")
                || t.name.starts_with("arith ")
        })
        .collect();
    ths.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        ths.len(),
        cheap.len() + 6 + 6,
        "a cheap theorem was renamed"
    );
    let outcomes = run::prove_all(&ths, &[64], Duration::from_secs(120), &|_| {});
    let bad: Vec<String> = outcomes
        .iter()
        .filter(|o| o.proved_bits() != Some(64))
        .map(run::line)
        .collect();
    assert!(bad.is_empty(), "not proved at 64 bits:\n{}", bad.join("\n"));
}

/// A tnum addition that drops the carries (the unknown bits of a sum are only those unknown
/// in an operand) is refuted, and the counterexample is real: run on machine words, its
/// members add up to a value outside the broken result.
#[test]
fn a_tnum_add_without_carries_has_a_counterexample() {
    fn broken<W: Word>(a: &Tnum<W>, b: &Tnum<W>) -> Tnum<W> {
        let mu = a.mask.or(&b.mask);
        Tnum::new(a.value.add(&b.value).and(&mu.not()), mu)
    }
    let q = theorems::tnum_binary_with::<proofs::bv::Bv<64>>(TnumOp::Add, &broken);
    let Status::Counterexample(c) = q.decide(Duration::from_secs(120)) else {
        panic!("the broken addition was not refuted");
    };
    let get = |n: &str| {
        c.values
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {n} in {}", c.text))
    };
    let (a, b) = (get("a"), get("b"));
    let (a, b) = (Tnum::new(a[0], a[1]), Tnum::new(b[0], b[1]));
    let (x, y) = (get("x")[0], get("y")[0]);
    assert!(a.contains(&x) && b.contains(&y), "{}", c.text);
    assert!(!broken(&a, &b).contains(&x.wrapping_add(y)), "{}", c.text);
    // The real operator contains the sum.
    assert!(a.add(&b).contains(&x.wrapping_add(y)));
    assert!(c.text.contains("a=var_off=(0x"), "{}", c.text);
}

/// A rule that sets the unsigned maximum to the minimum is refuted at 64 bits, with the
/// scalar printed in the kernel's notation and a member that the rule drops.
#[test]
fn a_broken_sync_rule_has_a_counterexample_in_the_kernel_notation() {
    fn broken<W: semantics::word::Split>(s: &mut Scalar<W>) {
        s.umax = s.umin.clone();
    }
    let q = theorems::scalar_rule_with::<proofs::bv::Bv<64>>(broken);
    let Status::Counterexample(c) = q.decide(Duration::from_secs(120)) else {
        panic!("the broken rule was not refuted");
    };
    let f = c
        .values
        .iter()
        .find(|(k, _)| k == "s")
        .expect("s is shown")
        .1
        .clone();
    let s = Scalar::<u64> {
        var_off: Tnum::new(f[0], f[1]),
        umin: f[2],
        umax: f[3],
        smin: f[4],
        smax: f[5],
        u32_min: f[6] as u32,
        u32_max: f[7] as u32,
        s32_min: f[8] as u32,
        s32_max: f[9] as u32,
    };
    let x = c
        .values
        .iter()
        .find(|(k, _)| k == "x")
        .expect("x is shown")
        .1[0];
    assert!(s.contains(&x), "{}", c.text);
    let mut r = s;
    broken(&mut r);
    assert!(!r.contains(&x), "{}", c.text);
    assert!(
        c.text.starts_with(&format!("s={} x=", s.log())),
        "{}",
        c.text
    );
}

/// Every public function of the domains' tnum, view and scalar types has a theorem, or is
/// listed here with the reason it needs none; every ALU operation at both widths, every
/// jump condition at both widths, and every rule of `sync` has a theorem.
#[test]
fn every_public_transfer_function_has_a_theorem() {
    let exempt: &[(&str, &str)] = &[
        ("Tnum::new", "the representation itself"),
        ("Tnum::constant", "constructor: exactly one value"),
        ("Tnum::unknown", "constructor: every value"),
        (
            "Tnum::check_invariants",
            "the well-formedness the theorems state",
        ),
        ("Tnum::is_const", "predicate on the representation"),
        (
            "Tnum::contains",
            "γ itself, which the theorems are stated with",
        ),
        ("Tnum::select", "field-wise choice between two values"),
        ("Tnum::log", "printing"),
        ("View::top", "constructor: every value"),
        ("View::constant", "constructor: exactly one value"),
        ("View::from_tnum", "a tnum with the full bounds"),
        ("View::is_const", "predicate on the representation"),
        ("View::contains", "γ itself"),
        ("View::contains_parts", "γ itself, condition by condition"),
        ("View::select", "field-wise choice"),
        ("Scalar::unknown", "constructor: every value"),
        ("Scalar::constant", "constructor: exactly one value"),
        ("Scalar::contains", "γ itself"),
        ("Scalar::contains_parts", "γ itself, condition by condition"),
        ("Scalar::same", "equality of representations"),
        ("Scalar::as_const", "reads a fully known tnum"),
        ("Scalar::log", "printing (tested against the kernel's logs)"),
        (
            "Scalar::parse_log",
            "parsing (tested against the kernel's logs)",
        ),
        ("Scalar::with", "proof support: the summary of sync"),
        (
            "Scalar::with_all",
            "proof support: the summaries of sync and the views",
        ),
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../verifier/src/domain");
    let files = [
        ("Tnum", "tnum/mod.rs"),
        ("View", "view.rs"),
        ("Scalar", "scalar/mod.rs"),
        ("Scalar", "scalar/alu.rs"),
        ("Scalar", "scalar/branch.rs"),
        ("Scalar", "scalar/parse.rs"),
        ("Scalar", "scalar/summary.rs"),
    ];
    let mut public = BTreeSet::new();
    for (ty, f) in files {
        let text = std::fs::read_to_string(root.join(f)).expect("domain source reads");
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("pub fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                public.insert(format!("{ty}::{name}"));
            }
        }
    }
    assert!(public.len() > 50, "{public:?}");
    let ths = theorems::all();
    let covered: BTreeSet<String> = ths
        .iter()
        .flat_map(|t| t.covers.iter().map(|c| c.to_string()))
        .collect();
    let exempt_names: BTreeSet<String> = exempt.iter().map(|(n, _)| n.to_string()).collect();
    let missing: Vec<&String> = public
        .iter()
        .filter(|f| !covered.contains(*f) && !exempt_names.contains(*f))
        .collect();
    assert!(
        missing.is_empty(),
        "public functions without a theorem: {missing:?}"
    );
    let stale: Vec<&String> = covered
        .iter()
        .chain(&exempt_names)
        .filter(|f| !public.contains(*f))
        .collect();
    assert!(
        stale.is_empty(),
        "named but not public functions: {stale:?}"
    );
    for width in [64, 32] {
        for op in AluOp::ALL {
            assert!(
                ths.iter()
                    .any(|t| t.width == width && t.spec == Spec::Alu(op)),
                "no theorem for {op:?} at {width} bits"
            );
        }
        for c in JmpCond::ALL {
            assert!(
                ths.iter()
                    .any(|t| t.width == width && t.spec == Spec::Branch(c)),
                "no theorem for {c:?} at {width} bits"
            );
        }
    }
    for i in 0..Scalar::<u64>::RULES.len() {
        assert!(ths.iter().any(|t| t.spec == Spec::SyncRule(i)));
    }
}
