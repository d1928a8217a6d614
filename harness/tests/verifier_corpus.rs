//! The verifier against the Linux 6.18 verdicts of both corpora: the kernel's
//! `test_verifier` selftests and the ebpf-samples objects. Agreement must not fall below
//! the measured level, and every program we accept that the kernel rejects must be one of
//! the known, documented gaps (so a new unsoundness fails this test).

use harness::{selftests, verify};
use std::path::Path;

/// Selftests the kernel rejects and we accept, each for a known reason:
/// none.
const KNOWN_SELFTEST_GAPS: &[u64] = &[];

/// ebpf-samples programs the kernel rejects and we accept: none.
const KNOWN_SAMPLE_GAPS: &[&str] = &[];

#[test]
fn selftests_agree_with_linux_6_18() {
    let path = &Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/kernel-test-verifier/tests.json");
    let cases = selftests::load(path).expect("tests.json loads");
    let verdicts = selftests::run(&cases, &verifier::Options::default());
    let a = selftests::agreement(&cases, &verdicts);
    let share = a.agree() as f64 / a.usable as f64;
    println!(
        "selftests: {} of {} usable agree ({:.1}%); we reject only {}, we accept only {}",
        a.agree(),
        a.usable,
        100.0 * share,
        a.we_reject_only,
        a.we_accept_only
    );
    let unexpected: Vec<String> = cases
        .iter()
        .zip(&verdicts)
        .filter(|(c, v)| c.usable() && v.accepted && !c.kernel_accepts)
        .filter(|(c, _)| !KNOWN_SELFTEST_GAPS.contains(&c.id))
        .map(|(c, _)| {
            format!(
                "#{} {}: kernel: {}",
                c.id,
                c.name,
                c.kernel_log_tail.lines().last().unwrap_or("")
            )
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "accepted, but the kernel rejects:\n{}",
        unexpected.join("\n")
    );
    assert!(share >= 0.99, "agreement fell to {:.1}%", 100.0 * share);
}

#[test]
fn ebpf_samples_agree_with_linux_6_18() {
    let recs = verify::samples(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ebpf-samples"),
        &verifier::Options::default(),
    )
    .expect("the corpus loads");
    let accepted: Vec<_> = recs.iter().filter(|r| r.kernel == "accept").collect();
    let agree = accepted.iter().filter(|r| r.ours == "accept").count();
    let share = agree as f64 / accepted.len() as f64;
    println!(
        "ebpf-samples: we accept {agree} of the {} programs the kernel accepts ({:.1}%)",
        accepted.len(),
        100.0 * share
    );
    for r in recs.iter().filter(|r| r.kernel != r.ours) {
        println!(
            "  {}:{}/{} kernel {} ours {}: {}",
            r.object, r.section, r.program, r.kernel, r.ours, r.message
        );
    }
    let unexpected: Vec<String> = recs
        .iter()
        .filter(|r| r.kernel == "reject" && r.ours == "accept")
        .map(|r| format!("{}:{}/{}", r.object, r.section, r.program))
        .filter(|n| !KNOWN_SAMPLE_GAPS.contains(&n.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "accepted, but the kernel rejects: {unexpected:?}"
    );
    assert!(share >= 0.995, "agreement fell to {:.1}%", 100.0 * share);
}

/// Every selftest program with bytes corrupted at random still gets a verdict (no panic).
#[test]
fn corrupted_selftest_programs_get_a_verdict() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/kernel-test-verifier/tests.json");
    let mut cases = selftests::load(&path).expect("tests.json loads");
    let mut seed = 0x0bad_5eedu64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for c in cases.iter_mut() {
        let n = c.program.slots.len();
        for _ in 0..3 {
            let i = (next() % n as u64) as usize;
            let mut b = c.program.slots[i].to_bytes();
            b[(next() % 8) as usize] ^= 1 << (next() % 8);
            c.program.slots[i] = semantics::insn::Insn::from_bytes(b);
        }
    }
    let opts = verifier::Options {
        insn_limit: 100_000,
        ..Default::default()
    };
    let verdicts = selftests::run(&cases, &opts);
    let accepted = verdicts.iter().filter(|v| v.accepted).count();
    println!(
        "{} corrupted programs: {accepted} accepted, {} rejected",
        verdicts.len(),
        verdicts.len() - accepted
    );
    assert!(verdicts.iter().all(|v| v.accepted || !v.message.is_empty()));
}
