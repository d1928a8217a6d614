//! Every object of ../shared/corpus/ebpf-samples loads, with the linked instruction counts
//! the kernel saw (kernel-6.18-verdicts.csv); malformed objects give errors, never panics.

use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ebpf-samples")
}

fn objects(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("corpus directory") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "invalid") {
                objects(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "o") {
            out.push(p);
        }
    }
}

#[test]
fn every_sample_object_loads_with_the_kernels_instruction_counts() {
    let root = corpus();
    let mut files = Vec::new();
    objects(&root, &mut files);
    files.sort();
    assert_eq!(
        files.len(),
        153,
        "ebpf-samples has 153 objects outside invalid/"
    );
    let csv = std::fs::read_to_string(root.join("kernel-6.18-verdicts.csv")).expect("verdicts csv");
    let mut expected = std::collections::HashMap::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if let (Some(o), Some(s), Some(p), Some(n)) = (f.first(), f.get(1), f.get(2), f.get(6)) {
            if let Ok(n) = n.parse::<usize>() {
                expected.insert((o.to_string(), s.to_string(), p.to_string()), n);
            }
        }
    }
    let mut programs = 0;
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let obj = semantics::elf::load_file(f).unwrap_or_else(|e| panic!("{rel}: {e}"));
        for p in &obj.programs {
            programs += 1;
            if let Some(&n) = expected.get(&(rel.clone(), p.section.clone(), p.name.clone())) {
                compared += 1;
                if n != p.insns.len() {
                    mismatches.push(format!(
                        "{rel} {} {}: ours {} kernel {}",
                        p.section,
                        p.name,
                        p.insns.len(),
                        n
                    ));
                }
            }
        }
    }
    println!(
        "{} objects, {programs} programs, {compared} compared with the kernel's counts",
        files.len()
    );
    assert_eq!(
        compared, programs,
        "every program we load has a row in the kernel CSV"
    );
    assert_eq!(programs, 398);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn malformed_objects_give_errors_not_panics() {
    let dir = corpus().join("invalid");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("invalid/") {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        // Either an error or an object; the point is that nothing panics.
        let r = semantics::elf::load(&bytes);
        println!(
            "{}: {}",
            p.display(),
            match &r {
                Ok(o) => format!("{} programs", o.programs.len()),
                Err(e) => e.to_string(),
            }
        );
        n += 1;
    }
    assert_eq!(n, 11);
}

#[test]
fn truncated_and_corrupted_objects_never_panic() {
    let bytes = std::fs::read(corpus().join("linux/cpustat_kern.o")).unwrap();
    let mut errors = 0;
    for cut in (0..bytes.len()).step_by(97) {
        if semantics::elf::load(&bytes[..cut]).is_err() {
            errors += 1;
        }
    }
    assert!(errors > 0);
    // Flip bytes throughout the file, one at a time.
    let mut seed = 0x1234_5678u64;
    for _ in 0..3000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut b = bytes.clone();
        let i = (seed as usize) % b.len();
        b[i] ^= (seed >> 32) as u8 | 1;
        let _ = semantics::elf::load(&b);
    }
}
