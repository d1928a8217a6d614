//! State embedding and the differential campaign, on small budgets: the oracle finds a
//! value planted outside the recorded states, the corpora and generated programs embed
//! without violation, and a short campaign against the live kernel has no unexplained
//! disagreement.

use harness::{campaign, embed, verify};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn example(name: &str) -> verify::Target {
    verify::targets(&root().join("examples").join(name), None)
        .pop()
        .expect("one program")
        .expect("readable")
}

#[test]
fn embedding_flags_values_outside_the_recorded_states() {
    let t = example("xdp_count_ipv4.s");
    let (v, rec) = verifier::verify_recording(&t.prog, &verifier::Options::default());
    assert!(v.accepted, "{}", v.message);
    assert_eq!(embed::check_with(&t, &rec, 32, 1).violations, vec![]);
    // A scalar register's recorded values narrowed to a constant it does not hold.
    let mut narrowed = rec.clone();
    for s in narrowed.at.values_mut() {
        for r in s.regs.iter_mut() {
            if let Some(x) = r.scalar.as_mut() {
                *x = verifier::domain::Scalar::constant(&0xdead_beefu64);
            }
        }
    }
    let e = embed::check_with(&t, &narrowed, 32, 1);
    assert!(
        e.violations.iter().any(|v| v.what.contains("outside")),
        "{:?}",
        e.violations
    );
    // An instruction the verifier never reached.
    let mut missing = rec.clone();
    missing.at.retain(|(pc, _), _| *pc != 1);
    let e = embed::check_with(&t, &missing, 4, 1);
    assert!(e
        .violations
        .iter()
        .any(|v| v.pc == 1 && v.what.contains("never")));
}

#[test]
fn examples_and_kernel_samples_embed_without_violation() {
    let mut targets: Vec<verify::Target> = Vec::new();
    for dir in [
        root().join("examples"),
        root().join("../shared/corpus/ebpf-samples/linux"),
    ] {
        for t in verify::targets(&dir, None).into_iter().flatten() {
            targets.push(t);
        }
    }
    let recs = embed::run_all(&targets, 16, 3);
    let accepted = recs.iter().filter(|r| r.accepted).count();
    let steps: u64 = recs.iter().map(|r| r.steps).sum();
    let bad: Vec<_> = recs
        .iter()
        .filter(|r| !r.violations.is_empty() || !r.faults.is_empty())
        .collect();
    println!(
        "{accepted} of {} programs embedded, {steps} instructions checked",
        recs.len()
    );
    assert!(accepted >= 100, "only {accepted} programs accepted");
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn generated_programs_embed_and_assemble() {
    let cfg = campaign::Config {
        seed: 11,
        count: 400,
        jobs: 0,
        minutes: None,
        size: 24,
        mutate_every: 4,
        inputs: 4,
        out: None,
        kernel: false,
    };
    let (s, records) = campaign::run(&cfg);
    println!("{s:?}");
    assert_eq!(s.programs, 400);
    assert_eq!(s.categories.get("generator error"), None, "{records:?}");
    let accepted = records.iter().filter(|r| r.ours).count();
    assert!(
        accepted > 150,
        "only {accepted} generated programs accepted"
    );
    assert_eq!(
        s.violations,
        0,
        "{:?}",
        records.iter().find(|r| !r.violations.is_empty())
    );
}

#[test]
fn a_short_campaign_against_the_live_kernel_has_no_unexplained_disagreement() {
    if let Err(why) = harness::kernel::available() {
        println!("skipping the campaign against the kernel: {why}");
        return;
    }
    let cfg = campaign::Config {
        seed: 12,
        count: 300,
        jobs: 0,
        minutes: None,
        size: 24,
        mutate_every: 4,
        inputs: 2,
        out: None,
        kernel: true,
    };
    let (s, records) = campaign::run(&cfg);
    println!("{s:?}");
    let unexplained: Vec<_> = records
        .iter()
        .filter(|r| r.category == "we accept only" && r.explanation.is_none())
        .collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
    assert_eq!(
        s.exec_different,
        0,
        "{:#?}",
        records.iter().filter(|r| r.disagrees()).collect::<Vec<_>>()
    );
    assert_eq!(s.violations, 0);
    assert!(s.exec_same > 50, "only {} executions compared", s.exec_same);
    // Mutated programs break a rule: the kernel rejects most of them.
    assert!(s.mutated_kernel_rejects * 10 >= s.mutated * 8, "{s:?}");
    let both = s.categories.get("both accept").copied().unwrap_or(0)
        + s.categories.get("both reject").copied().unwrap_or(0);
    assert!(both * 100 >= s.programs * 97, "{s:?}");
}

#[test]
fn kernel_selftest_programs_embed_without_violation() {
    let json = root().join("../shared/corpus/kernel-test-verifier/tests.json");
    let targets: Vec<verify::Target> = harness::corpus::targets(&json, None)
        .into_iter()
        .flatten()
        .collect();
    let recs = embed::run_all(&targets, 8, 5);
    let accepted = recs.iter().filter(|r| r.accepted).count();
    let bad: Vec<_> = recs
        .iter()
        .filter(|r| !r.violations.is_empty() || !r.faults.is_empty() || r.unfinished)
        .collect();
    println!("{accepted} of {} selftest programs embedded", recs.len());
    assert!(accepted >= 700, "only {accepted} accepted");
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn the_generator_makes_assembling_programs_from_any_bytes() {
    // Short and degenerate inputs run out of choices early; every one must still give a
    // program that assembles (the fuzz targets feed it raw bytes).
    let mut rng = harness::rng::Rng::new(9);
    for n in 0..300usize {
        let bytes = match n % 3 {
            0 => vec![0u8; n],
            1 => vec![0xff; n],
            _ => rng.bytes(n),
        };
        for mutate in [false, true] {
            let g = harness::gen::from_bytes(&bytes, 16, mutate);
            if let Err(e) = campaign::target_of(&g, "generated") {
                panic!("{n} bytes: {e}\n{}", g.text);
            }
        }
    }
}
