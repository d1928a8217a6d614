//! Our disassembly of every ebpf-samples object agrees with `llvm-objdump -d`, instruction by
//! instruction, up to whitespace and symbol decoration; and assembling our disassembly gives
//! back the same slots.

use semantics::decode::decode_all;
use semantics::text::print::{print, Flavor};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ebpf-samples")
}

fn objects(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("corpus directory") {
        let p = e.expect("entry").path();
        if p.is_dir() && p.file_name().is_some_and(|n| n != "invalid") {
            objects(&p, out);
        } else if p.extension().is_some_and(|x| x == "o") {
            out.push(p);
        }
    }
}

/// Whitespace collapsed, `<label>` decorations dropped, and the one spelling that differs by
/// design: LLVM prints a local call as `call -1` (its raw imm), we print `call pc-1`.
fn normalise(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '<' if !out.ends_with(' ') && !out.ends_with("if") => out.push(c),
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.replace("call pc", "call ")
}

fn objdump(path: &Path) -> Option<HashMap<String, Vec<(usize, String)>>> {
    let out = Command::new("llvm-objdump")
        .arg("-d")
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut map: HashMap<String, Vec<(usize, String)>> = HashMap::new();
    let mut section = String::new();
    for line in text.lines() {
        if let Some(s) = line.strip_prefix("Disassembly of section ") {
            section = s.trim_end_matches(':').to_string();
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        if parts.len() >= 3 {
            if let Ok(idx) = parts[0].trim().trim_end_matches(':').parse::<usize>() {
                map.entry(section.clone())
                    .or_default()
                    .push((idx, parts[2].to_string()));
            }
        }
    }
    Some(map)
}

#[test]
fn disassembly_agrees_with_llvm_objdump() {
    if Command::new("llvm-objdump")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("skipped: llvm-objdump is not installed (apt-get install llvm)");
        return;
    }
    let mut files = Vec::new();
    objects(&corpus(), &mut files);
    files.sort();
    let (mut compared, mut mismatched, mut skipped_objects) = (0usize, Vec::new(), 0usize);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        if u16::from_le_bytes([bytes[18], bytes[19]]) != semantics::elf::EM_BPF {
            // llvm-objdump cannot disassemble EM_NONE objects.
            skipped_objects += 1;
            continue;
        }
        let theirs = objdump(f).expect("llvm-objdump runs");
        for (name, slots) in semantics::elf::code_sections(&bytes).unwrap() {
            let d = decode_all(&slots).unwrap_or_else(|e| panic!("{}: {name}: {e}", f.display()));
            let ours: HashMap<usize, String> = d
                .insns
                .iter()
                .map(|(pc, i)| (*pc, print(i, Flavor::Llvm)))
                .collect();
            let list = theirs
                .get(&name)
                .unwrap_or_else(|| panic!("{}: llvm-objdump shows no section {name}", f.display()));
            assert_eq!(
                list.len(),
                d.insns.len(),
                "{}: {name}: instruction count",
                f.display()
            );
            for (idx, text) in list {
                compared += 1;
                let o = ours.get(idx).map(|s| normalise(s)).unwrap_or_default();
                if o != normalise(text) {
                    mismatched.push(format!(
                        "{}: {name} {idx}: llvm `{}` ours `{o}`",
                        f.display(),
                        normalise(text)
                    ));
                }
            }
        }
    }
    println!("{compared} instructions compared, {} mismatches, {skipped_objects} EM_NONE objects skipped", mismatched.len());
    assert!(compared > 230_000, "{compared}");
    assert!(
        mismatched.is_empty(),
        "{}",
        mismatched[..mismatched.len().min(30)].join("\n")
    );
}

#[test]
fn disassembly_of_every_sample_reassembles_to_the_same_slots() {
    let mut files = Vec::new();
    objects(&corpus(), &mut files);
    let mut programs = 0;
    for f in &files {
        let obj = semantics::elf::load_file(f).unwrap();
        let bytes = std::fs::read(f).unwrap();
        let raw = semantics::elf::code_sections(&bytes).unwrap();
        let linked = obj.programs.iter().map(|p| p.insns.clone());
        for slots in linked.chain(raw.into_iter().map(|(_, s)| s)) {
            let d = decode_all(&slots).unwrap();
            let text = semantics::text::print::print_program(&d.insns, Flavor::Llvm);
            assert_eq!(
                semantics::text::assemble(&text).unwrap(),
                slots,
                "{}",
                f.display()
            );
            let ins: Vec<_> = d.insns.iter().map(|(_, i)| *i).collect();
            let text = semantics::text::conformance::print_program(&ins);
            assert_eq!(
                semantics::text::assemble_conformance(&text).unwrap(),
                slots,
                "{}",
                f.display()
            );
            programs += 1;
        }
    }
    assert!(programs > 600, "{programs}");
}
