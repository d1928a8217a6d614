//! Every kind of path the commands take, as [`Target`]s: ELF objects, assembly files and
//! folders of them, the kernel selftest JSON (`tests.json`, each case with its fixup maps),
//! and the ebpf-samples folder (a folder with `kernel-6.18-verdicts.csv`, whose program
//! types it then uses).

use crate::verify::{self, Target};
use semantics::elf::ProgType;
use semantics::maps::MapDef;
use std::path::Path;
use verifier::MapInfo;

/// A map definition for running a program whose maps are only described (selftests).
pub fn map_def(m: &MapInfo, name: &str) -> MapDef {
    let mut d = MapDef::new(name, m.map_type, m.key_size, m.value_size, m.max_entries);
    d.flags = m.flags;
    d.readonly = m.readonly;
    d.inner = m.inner.as_ref().map(|i| Box::new(map_def(i, "inner")));
    d
}

/// The programs of `path`; `prog_type` overrides the type of objects and assembly files.
pub fn targets(path: &Path, prog_type: Option<ProgType>) -> Vec<Result<Target, String>> {
    let object = path.display().to_string();
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        return match crate::selftests::load(path) {
            Err(e) => vec![Err(format!("{object}: {e}"))],
            Ok(cases) => cases
                .into_iter()
                .map(|c| {
                    Ok(Target {
                        maps: c
                            .program
                            .maps
                            .iter()
                            .enumerate()
                            .map(|(i, m)| map_def(m, &format!("map{i}")))
                            .collect(),
                        object: object.clone(),
                        section: format!("#{}", c.id),
                        program: c.name,
                        prog_type: c.program.prog_type,
                        prog: c.program,
                        btf: None,
                    })
                })
                .collect(),
        };
    }
    if path.is_dir() && path.join("kernel-6.18-verdicts.csv").exists() {
        return match verify::sample_jobs(path) {
            Err(e) => vec![Err(e)],
            Ok(jobs) => jobs
                .into_iter()
                .map(|j| {
                    Ok(Target {
                        object: path.join(&j.record.object).display().to_string(),
                        section: j.record.section,
                        program: j.record.program,
                        prog_type: j.prog.prog_type,
                        prog: j.prog,
                        maps: j.maps,
                        btf: j.btf,
                    })
                })
                .collect(),
        };
    }
    verify::targets(path, prog_type)
}
