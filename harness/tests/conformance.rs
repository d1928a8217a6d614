//! The bpf_conformance suite: all positive tests pass with the interpreter, and every negative
//! test fails in the way it states.

use harness::conformance::{self, Engine, Got};
use std::path::{Path, PathBuf};

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/bpf-conformance")
        .join(sub)
}

#[test]
fn all_313_conformance_tests_pass_with_the_interpreter() {
    let s =
        conformance::run_dir(&dir("tests"), Engine::Interp, conformance::Mode::Positive).unwrap();
    let failures: Vec<String> = s
        .cases
        .iter()
        .filter(|c| !c.passed)
        .map(|c| format!("{}: expected {}, got {:?}", c.file, c.expected, c.got))
        .collect();
    assert_eq!(s.passed, 313, "{}", failures.join("\n"));
    assert_eq!(s.failed, 0);
}

/// A negative test states an expectation that a correct implementation must NOT meet (a
/// result that the program does not compute, or assembly that must not assemble), or an
/// error that it must report.
#[test]
fn negative_conformance_tests_fail_as_stated() {
    let files = conformance::data_files(&dir("negative")).unwrap();
    assert_eq!(files.len(), 60);
    let mut unmatched_text = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(f).unwrap();
        let tc = match conformance::parse(&text) {
            Ok(tc) => tc,
            Err(e) => {
                // Only the unknown-directive case is malformed on purpose.
                assert_eq!(name, "invalid_unknown_directive.data", "{e}");
                assert_eq!(e, "unknown directive `-- Unknown directive`");
                continue;
            }
        };
        let got = conformance::run_case(&tc, Engine::Interp);
        match (&tc.error, tc.result) {
            (Some(err), _) => match &got {
                Got::Error { message } => {
                    if !message.contains(err.as_str()) {
                        unmatched_text.push(format!("{name}: expected `{err}`, got `{message}`"));
                    }
                }
                Got::Result { r0 } => {
                    panic!("{name}: ran to r0 = {r0:#x}, but must fail with `{err}`")
                }
            },
            (None, Some(r)) => assert_ne!(
                got,
                Got::Result { r0: r },
                "{name} must not produce its stated result"
            ),
            (None, None) => assert!(matches!(got, Got::Error { .. }), "{name}: {got:?}"),
        }
    }
    assert!(unmatched_text.is_empty(), "{}", unmatched_text.join("\n"));
    // The runner's negative mode agrees.
    let s = conformance::run_dir(
        &dir("negative"),
        Engine::Interp,
        conformance::Mode::Negative,
    )
    .unwrap();
    assert_eq!((s.passed, s.failed), (60, 0));
}

#[test]
fn raw_reserved_field_cases_name_the_field() {
    let tc = conformance::parse(
        &std::fs::read_to_string(dir("negative").join("unused-exit-dst.data")).unwrap(),
    )
    .unwrap();
    let got = conformance::run_case(&tc, Engine::Interp);
    assert_eq!(
        got,
        Got::Error {
            message: "Invalid argument: instruction 0: reserved field dst is 1, must be 0".into()
        }
    );
}

#[test]
fn error_data_reads_an_uninitialised_register() {
    let tc =
        conformance::parse(&std::fs::read_to_string(dir("negative").join("error.data")).unwrap())
            .unwrap();
    assert_eq!(
        conformance::run_case(&tc, Engine::Interp),
        Got::Error {
            message: "Invalid argument: instruction 0: R0 !read_ok".into()
        }
    );
}
