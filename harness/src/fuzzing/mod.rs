//! Fuzzing oracles. Each `check` takes arbitrary bytes, never panics on its own account, and
//! panics only when the property it checks is violated. The fuzz targets in `fuzz/` call these
//! (one target per oracle, named in [`seeds::TARGETS`]); the test suite runs each on random
//! inputs and on the kept crash inputs (`fuzz/regressions/TARGET/`) with a small budget, so
//! they never rot.

pub mod domains;
pub mod programs;
pub mod roundtrip;
pub mod seeds;
pub mod x86;

/// The oracle of fuzz target `name` (one of [`seeds::TARGETS`]).
pub fn oracle(name: &str) -> Option<fn(&[u8])> {
    Some(match name {
        "roundtrip" => roundtrip::check,
        "elf" => programs::elf,
        "verify_raw" => programs::verify_raw,
        "verify_generated" => programs::verify_generated,
        "soundness" => programs::soundness,
        "soundness_raw" => programs::soundness_raw,
        "jit_raw" => programs::jit_raw,
        "jit_generated" => programs::jit_generated,
        "x86" => x86::check,
        "domains" => domains::check,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Each oracle on random bytes (a small budget each; the campaigns run them for real).
    #[test]
    fn every_oracle_holds_on_random_inputs() {
        for (i, name) in seeds::TARGETS.iter().enumerate() {
            let check = oracle(name).expect("every target has an oracle");
            let (n, len) = match *name {
                "soundness" | "jit_generated" | "verify_generated" => (60, 2048),
                "elf" => (200, 512),
                _ => (400, 256),
            };
            for input in programs::random_inputs(i as u64 + 1, n, len) {
                check(&input);
            }
        }
    }

    /// Each oracle on its seeds from the shared corpora (a sample of them), and on every
    /// input a campaign found a crash or mismatch with (`fuzz/regressions/TARGET/`).
    #[test]
    fn every_oracle_holds_on_seeds_and_regressions() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let corpus = root.join("../shared/corpus");
        if !corpus.exists() {
            eprintln!("skipped: no shared corpus at {}", corpus.display());
            return;
        }
        let dir = std::env::temp_dir().join(format!("tristate-seeds-{}", std::process::id()));
        let counts = seeds::write(&dir, &corpus).expect("seeds write");
        for (name, n) in &counts {
            assert!(*n > 0, "no seeds for {name}");
            let check = oracle(name).expect("every target has an oracle");
            let mut files: Vec<_> = std::fs::read_dir(dir.join(name))
                .expect("seed folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            // Every 20th seed: all targets within seconds.
            for f in files.iter().step_by(20) {
                check(&std::fs::read(f).expect("seed reads"));
            }
        }
        std::fs::remove_dir_all(&dir).ok();
        let mut kept = 0;
        for name in seeds::TARGETS {
            let Ok(rd) = std::fs::read_dir(root.join("fuzz/regressions").join(name)) else {
                continue;
            };
            let check = oracle(name).expect("every target has an oracle");
            for f in rd.filter_map(|e| e.ok().map(|e| e.path())) {
                check(&std::fs::read(&f).expect("regression input reads"));
                kept += 1;
            }
        }
        eprintln!("{kept} regression inputs hold");
    }

    /// The targets in `fuzz/` are exactly those of `seeds::TARGETS`, each a call of its
    /// oracle.
    #[test]
    fn the_fuzz_crate_has_every_target() {
        let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
        let toml = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
        let bins = toml.matches("[[bin]]").count();
        assert_eq!(bins, seeds::TARGETS.len(), "fuzz/Cargo.toml's targets");
        for t in seeds::TARGETS {
            assert!(
                toml.contains(&format!("name = \"{t}\"")),
                "{t} not in fuzz/Cargo.toml"
            );
            let src = std::fs::read_to_string(fuzz.join(format!("fuzz_targets/{t}.rs")))
                .unwrap_or_else(|_| panic!("fuzz_targets/{t}.rs"));
            assert!(src.contains("harness::fuzzing::"), "{t} calls no oracle");
        }
    }

    /// The dictionary names the opcodes of the common instructions.
    #[test]
    fn the_dictionary_has_the_opcodes() {
        let d = seeds::dictionary();
        for op in ["op_07=", "op_b7=", "op_95=", "op_85=", "op_18=", "op_61="] {
            assert!(d.contains(op), "{op} missing");
        }
        assert!(!d.contains("op_00="), "0x00 is no opcode");
    }
}
