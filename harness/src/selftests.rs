//! The kernel's `test_verifier` selftests as data (`../shared/corpus/kernel-test-verifier`):
//! each case with its map fixups becomes a [`verifier::Program`], and our verdict is set
//! beside what Linux 6.18 said.

use rayon::prelude::*;
use semantics::insn::Insn;
use serde_json::Value;
use verifier::{MapInfo, Options, Program, Verdict};

/// One test case, ready to verify.
#[derive(Clone, Debug)]
pub struct Case {
    pub id: u64,
    pub name: String,
    pub program: Program,
    /// `accept` or `reject` from the live 6.18 kernel.
    pub kernel_accepts: bool,
    /// The kernel's category (`pass`, `env_blocked`, `kfunc_unavailable`, ...).
    pub category: String,
    /// The expected error substrings (tab-separated in the data), if any.
    pub errstr: Option<String>,
    pub kernel_log_tail: String,
}

impl Case {
    /// Whether the 6.18 verdict says something about the verifier (not the environment).
    pub fn usable(&self) -> bool {
        !matches!(self.category.as_str(), "env_blocked" | "kfunc_unavailable")
    }
}

/// The map a fixup kind stands for (the parameters of `test_verifier.c`).
fn fixup_map(kind: &str) -> Option<MapInfo> {
    let m = |map_type, key_size, value_size, max_entries| MapInfo {
        map_type,
        key_size,
        value_size,
        max_entries,
        flags: 0,
        readonly: false,
        writeonly: false,
        inner: None,
        spin_lock_off: None,
        kptrs: Vec::new(),
    };
    Some(match kind {
        "fixup_map_hash_8b" => m(1, 8, 8, 1),
        "fixup_map_hash_48b" => m(1, 8, 48, 1),
        "fixup_map_hash_16b" => m(1, 8, 16, 1),
        "fixup_map_array_48b" => m(2, 4, 48, 1),
        "fixup_map_array_ro" => MapInfo {
            readonly: true,
            flags: verifier::program::BPF_F_RDONLY_PROG,
            ..m(2, 4, 48, 1)
        },
        "fixup_map_array_wo" => MapInfo {
            writeonly: true,
            flags: verifier::program::BPF_F_WRONLY_PROG,
            ..m(2, 4, 48, 1)
        },
        "fixup_map_array_small" => m(2, 4, 1, 1),
        "fixup_prog1" => m(3, 4, 4, 4),
        "fixup_prog2" => m(3, 4, 4, 8),
        "fixup_map_in_map" => MapInfo {
            inner: Some(Box::new(m(2, 4, 4, 1))),
            ..m(12, 4, 4, 1)
        },
        "fixup_cgroup_storage" => m(19, 16, 64, 0),
        "fixup_percpu_cgroup_storage" => m(21, 16, 64, 0),
        "fixup_map_sockmap" => m(15, 4, 4, 1),
        "fixup_map_sockhash" => m(18, 4, 4, 1),
        "fixup_map_xskmap" => m(17, 4, 4, 1),
        "fixup_map_stacktrace" => m(7, 4, 8, 1),
        "fixup_map_event_output" => m(4, 4, 4, 1),
        "fixup_map_reuseport_array" => m(20, 4, 8, 1),
        "fixup_map_ringbuf" => m(27, 0, 0, 4096),
        // Value `struct val { int cnt; struct bpf_spin_lock l; }`.
        "fixup_map_spin_lock" => MapInfo {
            spin_lock_off: Some(4),
            ..m(2, 4, 8, 1)
        },
        "fixup_sk_storage_map" => MapInfo {
            spin_lock_off: Some(4),
            ..m(24, 4, 8, 0)
        },
        "fixup_map_timer" => m(2, 4, 16, 1),
        // `struct btf_ptr`: an untrusted kptr at 0, referenced kptrs at 8 and 16; the first
        // two point to vmlinux's `struct prog_test_ref_kfunc` (32 bytes).
        "fixup_map_kptr" => MapInfo {
            kptrs: vec![(0, false, 32), (8, true, 32), (16, true, 0)],
            ..m(2, 4, 24, 1)
        },
        _ => return None,
    })
}

fn parse_case(v: &Value) -> Result<Case, String> {
    let id = v["id"].as_u64().ok_or("missing id")?;
    let bad = |what: &str| format!("test {id}: bad {what}");
    let mut slots: Vec<Insn> = v["insns"]
        .as_array()
        .ok_or_else(|| bad("insns"))?
        .iter()
        .map(|i| {
            let f = |k: usize| i[k].as_i64().unwrap_or(0);
            Insn::new(f(0) as u8, f(1) as u8, f(2) as u8, f(3) as i16, f(4) as i32)
        })
        .collect();
    let mut maps = Vec::new();
    if let Some(fx) = v["fixups"].as_object() {
        for (kind, idx) in fx {
            let Some(info) = fixup_map(kind) else {
                continue;
            };
            let n = maps.len() as i32;
            maps.push(info);
            for i in idx.as_array().into_iter().flatten() {
                if let Some(slot) = i.as_u64().and_then(|i| slots.get_mut(i as usize)) {
                    slot.imm = n;
                }
            }
        }
    }
    let prog_type = match v["prog_type"].as_u64().unwrap_or(1) {
        0 => 1,
        t => t as u32,
    };
    let k = &v["kernel_6_18"];
    Ok(Case {
        id,
        name: v["name"].as_str().unwrap_or("").to_string(),
        program: Program {
            slots,
            prog_type,
            expected_attach_type: v["expected_attach_type"].as_u64().unwrap_or(0) as u32,
            maps,
            strict_alignment: v["prog_flags"].as_u64().unwrap_or(0) & 1 != 0,
            global_funcs: Vec::new(),
        },
        kernel_accepts: k["verdict"].as_str() == Some("accept"),
        category: k["category"].as_str().unwrap_or("").to_string(),
        errstr: v["errstr"].as_str().map(str::to_string),
        kernel_log_tail: k["log_tail"].as_str().unwrap_or("").to_string(),
    })
}

/// Reads `tests.json` (one case object per line inside a JSON array).
pub fn load(path: &std::path::Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let all: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    all.as_array()
        .ok_or_else(|| format!("{}: not a JSON array", path.display()))?
        .iter()
        .map(parse_case)
        .collect()
}

/// Our verdict on each case, in parallel.
pub fn run(cases: &[Case], opts: &Options) -> Vec<Verdict> {
    cases
        .par_iter()
        .map(|c| {
            let t = std::time::Instant::now();
            if std::env::var_os("TRISTATE_TRACE").is_some() {
                eprintln!("start #{}", c.id);
            }
            let v = verifier::verify(&c.program, opts);
            if std::env::var_os("TRISTATE_TRACE").is_some() {
                eprintln!("done  #{} in {:.3} s", c.id, t.elapsed().as_secs_f64());
            }
            v
        })
        .collect()
}

/// Agreement counts over the usable cases.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Agreement {
    pub usable: usize,
    pub both_accept: usize,
    pub both_reject: usize,
    /// We reject, the kernel accepts: our imprecision.
    pub we_reject_only: usize,
    /// We accept, the kernel rejects: possible unsoundness.
    pub we_accept_only: usize,
}

impl Agreement {
    pub fn agree(&self) -> usize {
        self.both_accept + self.both_reject
    }
}

pub fn agreement(cases: &[Case], verdicts: &[Verdict]) -> Agreement {
    let mut a = Agreement::default();
    for (c, v) in cases.iter().zip(verdicts) {
        if !c.usable() {
            continue;
        }
        a.usable += 1;
        match (v.accepted, c.kernel_accepts) {
            (true, true) => a.both_accept += 1,
            (false, false) => a.both_reject += 1,
            (false, true) => a.we_reject_only += 1,
            (true, false) => a.we_accept_only += 1,
        }
    }
    a
}
