//! assemble(disassemble(p)) == p, in both syntaxes, for every program of the conformance suite
//! and of the kernel's test_verifier selftests that decodes (the selftests include malformed
//! programs on purpose; those must fail to decode with an error, not a panic).

use semantics::decode::decode_all;
use semantics::text::print::{print_program, Flavor};
use semantics::Insn;
use std::path::{Path, PathBuf};

fn shared(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(p)
}

/// Round-trips one program; returns false when it does not decode.
fn round_trip(slots: &[Insn]) -> bool {
    let Ok(d) = decode_all(slots) else {
        return false;
    };
    for flavor in [Flavor::Llvm, Flavor::Kernel] {
        let text = print_program(&d.insns, flavor);
        let back = semantics::text::assemble(&text);
        if flavor == Flavor::Kernel
            && d.insns
                .iter()
                .any(|(_, i)| matches!(i, semantics::Instruction::LdImm64 { .. }))
        {
            // The kernel flavour prints 64-bit constants without `ll`; not lossless.
            continue;
        }
        assert_eq!(back.as_deref(), Ok(slots), "{flavor:?}:\n{text}");
    }
    let ins: Vec<_> = d.insns.iter().map(|(_, i)| *i).collect();
    let text = semantics::text::conformance::print_program(&ins);
    assert_eq!(
        semantics::text::assemble_conformance(&text).as_deref(),
        Ok(slots),
        "{text}"
    );
    true
}

#[test]
fn conformance_programs_round_trip_through_both_syntaxes() {
    let mut n = 0;
    for sub in ["tests", "negative"] {
        for f in harness::conformance::data_files(&shared("bpf-conformance").join(sub)).unwrap() {
            let Ok(tc) = harness::conformance::parse(&std::fs::read_to_string(&f).unwrap()) else {
                continue;
            };
            let slots = match (&tc.raw, &tc.asm) {
                (Some(r), _) => harness::conformance::parse_raw(r).unwrap(),
                (None, Some(a)) => match semantics::text::assemble_conformance(a) {
                    Ok(s) => s,
                    Err(_) => continue,
                },
                _ => continue,
            };
            if round_trip(&slots) {
                n += 1;
            }
        }
    }
    assert!(n >= 313, "{n}");
}

#[test]
fn kernel_selftest_programs_round_trip_or_fail_to_decode() {
    let text = std::fs::read_to_string(shared("kernel-test-verifier/tests.json")).unwrap();
    let tests: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(tests.len(), 1352);
    let (mut ok, mut undecodable) = (0, 0);
    for t in &tests {
        let slots: Vec<Insn> = t["insns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let f: Vec<i64> = i
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_i64().unwrap())
                    .collect();
                Insn::new(f[0] as u8, f[1] as u8, f[2] as u8, f[3] as i16, f[4] as i32)
            })
            .collect();
        if round_trip(&slots) {
            ok += 1;
        } else {
            undecodable += 1;
        }
    }
    println!("{ok} selftest programs round-trip; {undecodable} do not decode");
    assert!(ok > 1250, "{ok}");
}

/// The code blocks of PREVAIL's YAML cases, as our pseudo-C text: `<label>: |` blocks joined
/// with `label:` lines. Cases that use PREVAIL's own pseudo-instructions (`assume`, ...) do
/// not assemble; every case that does round-trips.
fn prevail_cases() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let dir = shared("prevail-yaml");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for doc in text.split("\n---") {
            let name = doc
                .lines()
                .find_map(|l| l.strip_prefix("test-case:"))
                .unwrap_or("")
                .trim()
                .to_string();
            let mut asm = String::new();
            let mut in_code = false;
            for line in doc.lines() {
                if line.starts_with("code:") {
                    in_code = true;
                    continue;
                }
                if !in_code {
                    continue;
                }
                if let Some(label) = line.strip_prefix("  <").and_then(|l| l.split_once(">:")) {
                    asm.push_str(&format!("{}:\n", label.0));
                } else if let Some(body) = line.strip_prefix("    ") {
                    asm.push_str(body);
                    asm.push('\n');
                } else if !line.trim().is_empty() {
                    in_code = false;
                }
            }
            if !asm.is_empty() {
                out.push((
                    format!("{}: {name}", f.file_name().unwrap().to_string_lossy()),
                    asm,
                ));
            }
        }
    }
    out
}

#[test]
fn prevail_yaml_programs_assemble_and_round_trip() {
    let cases = prevail_cases();
    assert!(cases.len() > 750, "{}", cases.len());
    let mut assembled = 0;
    let mut refused = Vec::new();
    for (name, asm) in &cases {
        match semantics::text::assemble(asm) {
            Ok(slots) => {
                assembled += 1;
                // Programs that decode round-trip; PREVAIL also writes deliberately invalid ones.
                round_trip(&slots);
            }
            Err(e) => refused.push(format!("{name}: {e}")),
        }
    }
    println!(
        "{assembled} of {} PREVAIL cases assemble; the rest use PREVAIL's own notation, e.g.:\n{}",
        cases.len(),
        refused
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // 589 of 802 at the time of writing: the rest use `assume`, mixed-width moves and other
    // PREVAIL-only forms.
    assert!(assembled >= 580, "{assembled} of {}", cases.len());
}
