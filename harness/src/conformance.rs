//! The bpf_conformance test format and its runner.
//!
//! A `.data` file has sections opened by a line containing `--`: `asm` (conformance-syntax
//! assembly), `raw` (instruction words, either one 64-bit little-endian word per token such as
//! `0x5566778800000018`, or 8 bytes per line), `mem` (input bytes, passed as r1/r2), `result`
//! (the expected r0) and `error` (expected error text, for negative tests).

use semantics::interp::{Config, Input, Outcome, Vm};
use semantics::Insn;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One parsed test file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestCase {
    pub asm: Option<String>,
    pub raw: Option<String>,
    pub mem: Vec<u8>,
    pub result: Option<u64>,
    pub error: Option<String>,
}

/// Parses the text of a `.data` file.
pub fn parse(text: &str) -> Result<TestCase, String> {
    let mut tc = TestCase::default();
    let mut body: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(i) = line.find("--") {
            if line[..i].trim().is_empty() {
                body.push((line[i + 2..].trim().to_string(), String::new()));
                continue;
            }
        }
        if let Some((_, b)) = body.last_mut() {
            b.push_str(line);
            b.push('\n');
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            return Err(format!("text before the first section: {line}"));
        }
    }
    for (name, b) in body {
        let content: String = b
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        match name.as_str() {
            "asm" => tc.asm = Some(b),
            "raw" => tc.raw = Some(content),
            "mem" => {
                for tok in content.split_whitespace() {
                    tc.mem.push(
                        u8::from_str_radix(tok, 16)
                            .map_err(|e| format!("mem byte `{tok}`: {e}"))?,
                    );
                }
            }
            "result" => {
                let t = content.trim();
                let v = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                    Some(h) => u64::from_str_radix(h, 16),
                    None => t.parse::<u64>(),
                };
                tc.result = Some(v.map_err(|e| format!("result `{t}`: {e}"))?);
            }
            "error" => tc.error = Some(content.trim().to_string()),
            "c" | "no register offset" => {}
            other => return Err(format!("unknown directive `-- {other}`")),
        }
    }
    Ok(tc)
}

/// Reads the `raw` section: 64-bit words (`0x...`), or lines of 8 bytes.
pub fn parse_raw(raw: &str) -> Result<Vec<Insn>, String> {
    let mut out = Vec::new();
    for line in raw.lines() {
        let toks: Vec<&str> = line.split_whitespace().collect();
        if toks.is_empty() {
            continue;
        }
        if toks.len() == 8 && toks.iter().all(|t| t.len() == 2) {
            let mut b = [0u8; 8];
            for (i, t) in toks.iter().enumerate() {
                b[i] = u8::from_str_radix(t, 16).map_err(|e| format!("byte `{t}`: {e}"))?;
            }
            out.push(Insn::from_bytes(b));
        } else {
            for t in toks {
                let h = t.trim_start_matches("0x");
                let w = u64::from_str_radix(h, 16).map_err(|e| format!("word `{t}`: {e}"))?;
                out.push(Insn::from_bytes(w.to_le_bytes()));
            }
        }
    }
    Ok(out)
}

/// What running a test gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Got {
    /// The program ran and returned r0.
    Result { r0: u64 },
    /// The text did not assemble, the program did not load, or the run did not exit normally.
    Error { message: String },
}

/// Which engine runs the programs.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum, Serialize)]
pub enum Engine {
    /// The reference interpreter.
    Interp,
    /// The JIT with checked memory accesses.
    Jit,
    /// The JIT with trusted (unchecked) memory accesses.
    JitTrusted,
}

/// Assembles (or reads) and runs one test.
pub fn run_case(tc: &TestCase, engine: Engine) -> Got {
    let slots = match (&tc.raw, &tc.asm) {
        (Some(raw), _) => parse_raw(raw),
        (None, Some(asm)) => semantics::text::assemble_conformance(asm).map_err(|e| e.to_string()),
        (None, None) => Err("the test has no program".to_string()),
    };
    let slots = match slots {
        Ok(s) if s.is_empty() => {
            return Got::Error {
                message: "empty program".into(),
            }
        }
        Ok(s) => s,
        Err(message) => return Got::Error { message },
    };
    if let Err(e) = crate::precheck::check(&slots) {
        return Got::Error {
            message: format!("Invalid argument: {e}"),
        };
    }
    let mut vm = Vm::new(Config::default(), &[]);
    let prog = match vm.load("test", &slots) {
        Ok(p) => p,
        Err(e) => {
            return Got::Error {
                message: e.to_string(),
            }
        }
    };
    let input = Input::Mem(tc.mem.clone());
    let run = match engine {
        Engine::Interp => vm.run(prog, &input),
        Engine::Jit | Engine::JitTrusted => {
            let mode = if engine == Engine::Jit {
                jit::Mode::Checked
            } else {
                jit::Mode::Trusted
            };
            match jit::Jit::compile(&vm, mode) {
                Ok(mut j) => j.run(&mut vm, prog, &input),
                Err(e) => {
                    return Got::Error {
                        message: e.to_string(),
                    }
                }
            }
        }
    };
    match run.outcome {
        Outcome::Exit(r0) => Got::Result { r0 },
        other => Got::Error {
            message: format!("{other:?}"),
        },
    }
}

/// The verdict on one test file.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    pub file: String,
    pub passed: bool,
    pub expected: String,
    pub got: Got,
}

/// How a directory's tests are read.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Mode {
    /// `tests/`: each test states what a correct implementation does.
    #[default]
    Positive,
    /// `negative/`: each test states an error that must be reported, or a result (or
    /// assembly) that a correct implementation must NOT produce.
    Negative,
}

/// Runs a test and compares with its expectation. A test with `-- error` passes when the
/// run gives an error containing that text (any error when the text is empty). Otherwise, in
/// positive mode it passes when r0 equals the `-- result`; in negative mode when it does not
/// (an error included).
pub fn check_case(file: &str, tc: &TestCase, engine: Engine, mode: Mode) -> CaseReport {
    let got = run_case(tc, engine);
    let (passed, expected) = match (&tc.error, tc.result, mode) {
        (Some(err), _, _) => (
            matches!(&got, Got::Error { message } if message.contains(err.as_str())),
            format!("error containing `{err}`"),
        ),
        (None, Some(r), Mode::Positive) => (got == Got::Result { r0: r }, format!("r0 = {r:#x}")),
        (None, Some(r), Mode::Negative) => (
            got != Got::Result { r0: r },
            format!("anything but r0 = {r:#x}"),
        ),
        (None, None, Mode::Positive) => (false, "nothing (the test has no result)".into()),
        (None, None, Mode::Negative) => (matches!(got, Got::Error { .. }), "an error".into()),
    };
    CaseReport {
        file: file.to_string(),
        passed,
        expected,
        got,
    }
}

/// A run over a directory.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub cases: Vec<CaseReport>,
}

/// The `.data` files of a directory, sorted.
pub fn data_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "data"))
        .collect();
    v.sort();
    Ok(v)
}

/// Runs every `.data` file of `dir`.
pub fn run_dir(dir: &Path, engine: Engine, mode: Mode) -> std::io::Result<Summary> {
    let mut cases = Vec::new();
    for p in data_files(dir)? {
        let text = std::fs::read_to_string(&p)?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rep = match parse(&text) {
            Ok(tc) => check_case(&name, &tc, engine, mode),
            // A malformed test file is itself a negative case.
            Err(e) => CaseReport {
                file: name,
                passed: mode == Mode::Negative,
                expected: "a parsable test".into(),
                got: Got::Error { message: e },
            },
        };
        cases.push(rep);
    }
    let passed = cases.iter().filter(|c| c.passed).count();
    Ok(Summary {
        passed,
        failed: cases.len() - passed,
        cases,
    })
}
