//! Interpreter behaviour as data: every `interp/*.s` file is a program with its input and maps
//! (see `harness::input`) and an `; expect:` line, one of
//! `exit N`, `fault read|write KIND at PC`, `budget at PC after N`, `depth at PC`,
//! `fell-off at PC`. Each program runs twice and must give the same result both times.

use harness::demo::input_for;
use semantics::interp::{Config, Outcome, Run, Vm};
use std::path::Path;

fn num(s: &str) -> u64 {
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap(),
        None => s
            .parse::<i64>()
            .map(|v| v as u64)
            .or_else(|_| s.parse::<u64>())
            .unwrap(),
    }
}

fn matches(expect: &str, run: &Run) -> bool {
    let w: Vec<&str> = expect.split_whitespace().collect();
    match (w.as_slice(), &run.outcome) {
        (["exit", v], Outcome::Exit(r0)) => num(v) == *r0,
        (["fault", rw, kind, "at", pc], Outcome::Fault(f)) => {
            (f.write == (*rw == "write"))
                && format!("{:?}", f.kind) == *kind
                && f.pc as u64 == num(pc)
        }
        (["budget", "at", pc, "after", n], Outcome::BudgetExhausted { pc: p }) => {
            *p as u64 == num(pc) && run.insns == num(n)
        }
        (["depth", "at", pc], Outcome::CallDepthExceeded { pc: p }) => *p as u64 == num(pc),
        (["fell-off", "at", pc], Outcome::FellOffEnd { pc: p }) => *p as u64 == num(pc),
        _ => false,
    }
}

#[test]
fn interpreter_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interp");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let directive = |key: &str| {
            text.lines().find_map(|l| {
                l.trim_start()
                    .strip_prefix(';')
                    .and_then(|c| c.trim().strip_prefix(key))
                    .map(|v| v.trim().to_string())
            })
        };
        let expect =
            directive("expect:").unwrap_or_else(|| panic!("{}: no `; expect:` line", f.display()));
        let budget = directive("budget:")
            .map(|b| b.parse().unwrap())
            .unwrap_or(1_000_000);
        let prog = harness::input::read(f).unwrap().remove(0);
        let mut runs = Vec::new();
        for _ in 0..2 {
            let mut vm = Vm::new(
                Config {
                    budget,
                    ..Config::default()
                },
                &prog.maps,
            );
            let id = vm.load("case", &prog.insns).unwrap();
            runs.push(vm.run(
                id,
                &input_for(
                    prog.prog_type,
                    None,
                    prog.default_input.clone().unwrap_or_default(),
                ),
            ));
        }
        assert_eq!(runs[0], runs[1], "{}: runs differ", f.display());
        // The budget is exact: with a budget of exactly the instructions executed, the run
        // ends the same way; with one less, it stops after that many.
        let n = runs[0].insns;
        for (b, want) in [
            (n, Some(runs[0].outcome.clone())),
            (n.saturating_sub(1), None),
        ] {
            if want.is_none()
                && (n == 0 || matches!(runs[0].outcome, Outcome::BudgetExhausted { .. }))
            {
                continue;
            }
            let mut vm = Vm::new(
                Config {
                    budget: b,
                    ..Config::default()
                },
                &prog.maps,
            );
            let id = vm.load("case", &prog.insns).unwrap();
            let r = vm.run(
                id,
                &input_for(
                    prog.prog_type,
                    None,
                    prog.default_input.clone().unwrap_or_default(),
                ),
            );
            assert_eq!(r.insns, b, "{}: budget {b}", f.display());
            match want {
                Some(o) => assert_eq!(r.outcome, o, "{}: budget {b}", f.display()),
                None => assert!(
                    matches!(r.outcome, Outcome::BudgetExhausted { .. }),
                    "{}: budget {b}: {:?}",
                    f.display(),
                    r.outcome
                ),
            }
        }
        if !matches(&expect, &runs[0]) {
            failures.push(format!(
                "{}: expected `{expect}`, got {:?} after {} instructions",
                f.file_name().unwrap().to_string_lossy(),
                runs[0].outcome,
                runs[0].insns
            ));
        }
    }
    assert!(files.len() >= 29);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
