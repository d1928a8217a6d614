//! The `tristate` program on good and bad inputs: errors go to stderr with exit status 1 and
//! name what is wrong; nothing panics.

use std::path::{Path, PathBuf};
use std::process::Command;

fn tristate(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tristate"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tristate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn malformed_inputs_are_errors_not_panics() {
    let invalid =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ebpf-samples/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&invalid)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(tmp("empty.bin", b""));
    files.push(tmp("odd.bin", b"\x95\0\0\0\0\0\0"));
    files.push(tmp("badop.bin", &[0xff, 0, 0, 0, 0, 0, 0, 0]));
    files.push(tmp(
        "wild.bin",
        &[0x05, 0, 100, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0],
    ));
    files.push(tmp("helper.s", b"call 9999\nexit\n"));
    files.push(tmp("bad.s", b"r0 = \nexit\n"));
    files.push(tmp(
        "trunc.o",
        &std::fs::read(invalid.join("../linux/cpustat_kern.o")).unwrap()[..300],
    ));
    for f in &files {
        for cmd in ["disasm", "run"] {
            let (code, _, err) = tristate(&[cmd, f.to_str().unwrap()]);
            assert!(!err.contains("panicked"), "{cmd} {}: {err}", f.display());
            assert!(
                code == 0 || code == 1 || code == 2,
                "{cmd} {}: exit {code}",
                f.display()
            );
            if code == 1 {
                assert!(err.starts_with("error: "), "{cmd} {}: {err}", f.display());
            }
        }
    }
    let (code, _, err) = tristate(&[
        "run",
        tmp("badop2.bin", &[0xff, 0, 0, 0, 0, 0, 0, 0])
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("instruction 0: unknown opcode 0xff"), "{err}");
    let (code, _, err) = tristate(&[
        "run",
        tmp("helper2.s", b"call 9999\nexit\n").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown helper 9999"), "{err}");
    let (code, _, err) = tristate(&[
        "run",
        tmp(
            "wild2.bin",
            &[0x05, 0, 100, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0],
        )
        .to_str()
        .unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("instruction 0: jump to 101 is outside the program of 2 slots"),
        "{err}"
    );
}

#[test]
fn run_prints_r0_and_the_instruction_count() {
    let (code, out, _) = tristate(&["run", "examples/call_local.s"]);
    assert_eq!(code, 0);
    assert!(out.contains("r0: 0x15 (21)"), "{out}");
    assert!(out.contains("instructions: 16"), "{out}");
    let (code, out, _) = tristate(&["run", "examples/byte_sum.s", "--data-hex", "01020304"]);
    assert_eq!(code, 2, "reading past 4 bytes faults: {out}");
    assert!(
        out.contains("fault: pc 3: invalid read of 1 bytes"),
        "{out}"
    );
}

#[test]
fn disasm_reassembles_with_asm() {
    let obj = "../shared/corpus/ebpf-samples/linux/sockex1_kern.o";
    let (code, out, err) = tristate(&["disasm", obj]);
    assert_eq!(code, 0, "{err}");
    // One program: its listing, without the header line, assembles to the linked program.
    let body: String = out.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let s = tmp("sockex1.s", body.as_bytes());
    let bin = s.with_extension("bin");
    let (code, _, err) = tristate(&["asm", s.to_str().unwrap(), "-o", bin.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let obj =
        semantics::elf::load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(obj))
            .unwrap();
    assert_eq!(
        std::fs::read(&bin).unwrap(),
        semantics::insn::insns_to_bytes(&obj.programs[0].insns)
    );
}

#[test]
fn conformance_command_writes_json() {
    let out = tmp("out.json", b"");
    let (code, stdout, _) = tristate(&[
        "conformance",
        "../shared/corpus/bpf-conformance/tests",
        "--json",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["passed"], 313);
    assert_eq!(v["failed"], 0);
}

#[test]
fn demo_runs_every_example() {
    let (code, out, err) = tristate(&["demo"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.lines().count(), 7, "{out}");
    // The JIT agrees with the interpreter on every example.
    assert_eq!(out.matches(" same ").count(), 6, "{out}");
}

/// The examples run in the live kernel (BPF_PROG_TEST_RUN, JIT on) and in our interpreter
/// on the same packet give the same return value.
#[test]
fn examples_return_the_same_in_the_kernel_and_in_our_interpreter() {
    if let Err(why) = harness::kernel::available() {
        println!("skipped: the live kernel is not available ({why})");
        return;
    }
    // As socket filters: call_local, divmod_loop and straight_line run in both, and so does
    // the kernel form of alu_loop (examples/kernel/); alu_loop is too large to verify,
    // byte_sum is a memory program, and xdp_count_ipv4 and the kernel form of byte_sum are
    // XDP programs.
    let (code, out, err) = tristate(&["diff", "exec", "examples", "--type", "socket_filter"]);
    println!("{out}");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("4 same, 0 different, 4 not run"), "{out}");
    let (code, out, err) = tristate(&["diff", "exec", "examples/xdp_count_ipv4.s"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("1 same, 0 different"), "{out}");
}
