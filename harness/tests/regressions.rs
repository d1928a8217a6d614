//! The regression programs in `regressions/`: disagreements the campaigns found (minimised)
//! and cases written by hand. Each file states our verdict (`; verify:`) and the kernel's
//! (`; kernel:`); both must still hold, every program we accept must embed in our states
//! without a violation or a fault, and every program only we accept must stay explained
//! as a kernel imprecision with no fault found.

use harness::{campaign, embed, kernel};
use std::path::Path;

fn header<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .filter_map(|l| l.strip_prefix(';'))
        .find_map(|l| l.trim().strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
}

#[test]
fn regression_programs_keep_their_verdicts_and_embed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the regressions folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    files.sort();
    let live = kernel::available();
    if let Err(why) = &live {
        println!("skipping the kernel's verdicts of the regression files: {why}");
    }
    let opts = verifier::Options::for_this_machine();
    let mut failures = Vec::new();
    let (mut kernel_checked, mut embedded, mut explained) = (0, 0, 0);
    for f in &files {
        let name = f.display().to_string();
        let text = std::fs::read_to_string(f).expect("readable");
        let t = match campaign::target_of_text(&text, &name) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let want = header(&text, "verify:").map(|v| v == "accept");
        let ours = verifier::verify(&t.prog, &opts);
        if want != Some(ours.accepted) {
            failures.push(format!(
                "{name}: we say {} ({}), the file says {want:?}",
                ours.accepted, ours.message
            ));
        }
        if let (Ok(()), Some(k)) = (&live, header(&text, "kernel:")) {
            if matches!(k, "accept" | "reject") {
                let kv = kernel::verify(&t.prog).expect("the kernel loads it");
                kernel_checked += 1;
                if kv.load.accepted() != (k == "accept") {
                    failures.push(format!("{name}: the kernel now says {}", kv.message));
                }
                // A program only we accept must stay explained: no fault, and a kernel
                // imprecision the harness can show.
                if ours.accepted && !kv.load.accepted() {
                    let cfg = campaign::Config::triage(true, 8);
                    let mut r = campaign::blank_record(0, "");
                    campaign::triage(&cfg, &t, true, &mut r);
                    explained += 1;
                    if r.explanation.is_none() || r.witness.is_some() {
                        failures.push(format!(
                            "{name}: only we accept it, unexplained ({:?})",
                            r.witness
                        ));
                    }
                }
            }
        }
        if ours.accepted {
            let e = embed::check(&t, 16, 7).expect("accepted");
            embedded += 1;
            if !e.violations.is_empty() || !e.faults.is_empty() {
                failures.push(format!("{name}: {:?} {:?}", e.violations, e.faults));
            }
        }
    }
    println!(
        "{} regression files: {kernel_checked} kernel verdicts checked, {embedded} embedded, {explained} programs only we accept explained",
        files.len()
    );
    assert!(
        !files.is_empty(),
        "no regression files in {}",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A 32-bit test of a pointer against zero is no null check (privileged, the regression
/// file `jmp32-null-test-marks-nothing.s` shows a dereference after it refused): such a test
/// is accepted privileged, and unprivileged it is a pointer comparison, which is
/// prohibited (found by review). The regression files have no unprivileged mode.
#[test]
fn a_32_bit_zero_test_of_a_pointer_is_no_null_check() {
    let text = "; type: socket_filter\n; map: m0 hash 4 8 4\n*(u32 *)(r10 - 4) = 0\nr2 = r10\nr2 += -4\nr1 = map_fd(0) ll\ncall 1\nif w0 == 0 goto out\nr0 = 1\nout:\nr0 = 0\nexit\n";
    let privileged = verifier::Options::for_this_machine();
    let unprivileged = verifier::Options {
        unprivileged: true,
        ..privileged.clone()
    };
    let plain = campaign::target_of_text(text, "plain").unwrap();
    let v = verifier::verify(&plain.prog, &privileged);
    assert!(v.accepted, "{}", v.message);
    let v = verifier::verify(&plain.prog, &unprivileged);
    assert!(
        !v.accepted && v.message.contains("pointer comparison prohibited"),
        "{}",
        v.message
    );
}
