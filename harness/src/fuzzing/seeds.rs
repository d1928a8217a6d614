//! Seed corpora for the fuzz targets, from the shared corpora: the conformance programs,
//! the kernel's selftests and the ebpf-samples objects (as raw programs, and the objects
//! themselves for ELF loading), and reproducible random bytes for the targets that read
//! choices rather than programs. Also the dictionary of instruction opcodes.

use crate::rng::Rng;
use semantics::elf::ProgType;
use semantics::insn::{insns_to_bytes, Insn};
use std::path::Path;

/// Every fuzz target (`fuzz/fuzz_targets/NAME.rs`).
pub const TARGETS: [&str; 10] = [
    "roundtrip",
    "elf",
    "verify_raw",
    "verify_generated",
    "soundness",
    "soundness_raw",
    "jit_raw",
    "jit_generated",
    "x86",
    "domains",
];

/// The program types a raw target's first byte picks from (`programs::raw_target`).
fn type_byte(t: ProgType) -> u8 {
    match t {
        ProgType::Xdp => 1,
        ProgType::SchedCls => 2,
        ProgType::Kprobe => 3,
        ProgType::Tracepoint => 4,
        _ => 0,
    }
}

/// The programs of the corpora under `corpus` (`../shared/corpus`), with their types.
pub fn programs(corpus: &Path) -> Vec<(ProgType, Vec<Insn>)> {
    let mut out = Vec::new();
    if let Ok(files) = crate::conformance::data_files(&corpus.join("bpf-conformance/tests")) {
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let Ok(tc) = crate::conformance::parse(&text) else {
                continue;
            };
            let slots = match (&tc.raw, &tc.asm) {
                (Some(raw), _) => crate::conformance::parse_raw(raw).ok(),
                (None, Some(asm)) => semantics::text::assemble_conformance(asm).ok(),
                _ => None,
            };
            out.extend(slots.map(|s| (ProgType::SocketFilter, s)));
        }
    }
    if let Ok(cases) = crate::selftests::load(&corpus.join("kernel-test-verifier/tests.json")) {
        for c in cases {
            let ty = ProgType::from_u32(c.program.prog_type).unwrap_or(ProgType::SocketFilter);
            out.push((ty, c.program.slots));
        }
    }
    for t in crate::verify::targets(&corpus.join("ebpf-samples"), None)
        .into_iter()
        .flatten()
    {
        let ty = ProgType::from_u32(t.prog_type).unwrap_or(ProgType::SocketFilter);
        out.push((ty, t.prog.slots));
    }
    out
}

/// Writes `out/TARGET/seed-N` for every target; returns the number of seeds per target.
pub fn write(out: &Path, corpus: &Path) -> std::io::Result<Vec<(&'static str, usize)>> {
    let progs = programs(corpus);
    let mut paths = Vec::new();
    crate::verify::files(&corpus.join("ebpf-samples"), &mut paths);
    let objects: Vec<Vec<u8>> = paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "o"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    let mut rng = Rng::new(0x5eed);
    let mut counts = Vec::new();
    for target in TARGETS {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir)?;
        let seeds: Vec<Vec<u8>> = match target {
            "roundtrip" => progs.iter().map(|(_, s)| insns_to_bytes(s)).collect(),
            "verify_raw" | "soundness_raw" | "jit_raw" => progs
                .iter()
                .map(|(t, s)| [vec![type_byte(*t)], insns_to_bytes(s)].concat())
                .collect(),
            "elf" => objects.clone(),
            "verify_generated" | "soundness" | "jit_generated" => {
                (0..64).map(|_| rng.bytes(2048)).collect()
            }
            _ => (0..64).map(|_| rng.bytes(64)).collect(),
        };
        for (i, s) in seeds.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:05}")), s)?;
        }
        counts.push((target, seeds.len()));
    }
    Ok(counts)
}

/// The libFuzzer dictionary: every opcode byte the decoder accepts in some instruction,
/// and whole slots of common instructions.
pub fn dictionary() -> String {
    let mut text =
        String::from("# BPF opcodes the decoder accepts (tristate fuzz-seeds writes this)\n");
    for op in 0..=255u8 {
        let ok = (0..=1u8).any(|src| {
            let mut slot = [0u8; 16];
            slot[0] = op;
            slot[1] = src << 4;
            semantics::insn::insns_from_bytes(&slot)
                .is_some_and(|s| semantics::decode::decode_all(&s).is_ok())
                || semantics::insn::insns_from_bytes(&slot[..8])
                    .is_some_and(|s| semantics::decode::decode_all(&s).is_ok())
        });
        if ok {
            text += &format!("op_{op:02x}=\"\\x{op:02x}\"\n");
        }
    }
    for (name, slot) in [
        ("exit", [0x95u8, 0, 0, 0, 0, 0, 0, 0]),
        ("r0_0", [0xb7, 0, 0, 0, 0, 0, 0, 0]),
        ("r6_r1", [0xbf, 0x16, 0, 0, 0, 0, 0, 0]),
        ("call_map_lookup", [0x85, 0, 0, 0, 1, 0, 0, 0]),
        ("r2_r10", [0xbf, 0xa2, 0, 0, 0, 0, 0, 0]),
        ("r2_add_m8", [0x07, 0x02, 0, 0, 0xf8, 0xff, 0xff, 0xff]),
        ("if_r0_eq_0", [0x15, 0, 1, 0, 0, 0, 0, 0]),
    ] {
        let esc: String = slot.iter().map(|b| format!("\\x{b:02x}")).collect();
        text += &format!("slot_{name}=\"{esc}\"\n");
    }
    text
}
