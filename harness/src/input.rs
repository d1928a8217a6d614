//! Reading programs from the files users hand to `tristate`: ELF objects, bpf_conformance
//! `.data` tests, assembly text (pseudo-C, or conformance syntax when it uses `%r`
//! registers), and raw instruction bytes.
//!
//! Assembly files may carry directives in comments: `; type: xdp` (the program type),
//! `; map: NAME TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES` (maps, indexed in order for
//! `map_idx(N)`), `; mem-pattern: N` (an input of N bytes, byte i = (7 i + 3) mod 256) and
//! `; set: OFF=BYTE ...` (bytes to overwrite in that input).

use semantics::elf::{self, ProgType};
use semantics::maps::{map_type, MapDef};
use semantics::Insn;
use std::path::Path;

/// One program ready to run or verify.
#[derive(Clone, Debug)]
pub struct Prog {
    pub name: String,
    pub prog_type: Option<ProgType>,
    pub insns: Vec<Insn>,
    pub maps: Vec<MapDef>,
    /// An input that the file itself proposes (conformance `-- mem`, assembly `mem-pattern`).
    pub default_input: Option<Vec<u8>>,
    /// The expected r0, where the file states one (conformance `-- result`).
    pub expected_r0: Option<u64>,
    /// The expected verdict of the verifier, where the file states one (`; verify:`).
    pub expected_verdict: Option<bool>,
}

/// Errors reading input files.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {msg}")]
    Bad { path: String, msg: String },
    #[error("{path}: {source}")]
    Semantics {
        path: String,
        source: semantics::Error,
    },
}

fn bad(path: &Path, msg: impl Into<String>) -> InputError {
    InputError::Bad {
        path: path.display().to_string(),
        msg: msg.into(),
    }
}

/// The byte pattern of `mem-pattern`: byte i is (7 i + 3) mod 256.
pub fn pattern(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| (i.wrapping_mul(7).wrapping_add(3)) as u8)
        .collect()
}

fn map_type_by_name(s: &str) -> Option<u32> {
    map_type::by_name(s).or_else(|| s.parse().ok())
}

/// Reads every program of a file.
pub fn read(path: &Path) -> Result<Vec<Prog>, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let p = path.display().to_string();
    if bytes.starts_with(b"\x7fELF") {
        let obj = elf::load(&bytes).map_err(|e| InputError::Semantics {
            path: p.clone(),
            source: e.into(),
        })?;
        for w in &obj.warnings {
            eprintln!("warning: {p}: {w}");
        }
        return Ok(obj
            .programs
            .iter()
            .map(|pr| Prog {
                name: format!("{}/{}", pr.section, pr.name),
                prog_type: pr.prog_type,
                insns: pr.insns.clone(),
                maps: obj.maps.clone(),
                default_input: None,
                expected_r0: None,
                expected_verdict: None,
            })
            .collect());
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext == "data" {
        let text = String::from_utf8_lossy(&bytes);
        let tc = crate::conformance::parse(&text).map_err(|m| bad(path, m))?;
        let insns = match (&tc.raw, &tc.asm) {
            (Some(raw), _) => crate::conformance::parse_raw(raw).map_err(|m| bad(path, m))?,
            (None, Some(asm)) => {
                semantics::text::assemble_conformance(asm).map_err(|e| InputError::Semantics {
                    path: p.clone(),
                    source: e.into(),
                })?
            }
            _ => return Err(bad(path, "the test has no program")),
        };
        return Ok(vec![Prog {
            name: p,
            prog_type: None,
            insns,
            maps: vec![],
            default_input: Some(tc.mem),
            expected_r0: tc.result,
            expected_verdict: None,
        }]);
    }
    if matches!(ext, "s" | "asm" | "bpf" | "txt") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return Ok(vec![read_asm(path, &text)?]);
    }
    let insns = semantics::insn::insns_from_bytes(&bytes).ok_or_else(|| {
        bad(
            path,
            format!(
                "raw program of {} bytes is not a multiple of 8",
                bytes.len()
            ),
        )
    })?;
    Ok(vec![Prog {
        name: p,
        prog_type: None,
        insns,
        maps: vec![],
        default_input: None,
        expected_r0: None,
        expected_verdict: None,
    }])
}

pub fn read_asm(path: &Path, text: &str) -> Result<Prog, InputError> {
    let p = path.display().to_string();
    let mut prog = Prog {
        name: p.clone(),
        prog_type: None,
        insns: vec![],
        maps: vec![],
        default_input: None,
        expected_r0: None,
        expected_verdict: None,
    };
    for line in text.lines() {
        let Some(c) = line.trim_start().strip_prefix(';') else {
            continue;
        };
        let c = c.trim();
        if let Some(t) = c.strip_prefix("type:") {
            prog.prog_type = Some(
                ProgType::from_name(t.trim())
                    .ok_or_else(|| bad(path, format!("unknown program type `{}`", t.trim())))?,
            );
        } else if let Some(m) = c.strip_prefix("map:") {
            let f: Vec<&str> = m.split_whitespace().collect();
            let nums: Vec<u32> = f.iter().skip(2).filter_map(|x| x.parse().ok()).collect();
            let (Some(name), Some(t), [k, v, n]) = (
                f.first(),
                f.get(1).and_then(|t| map_type_by_name(t)),
                nums.as_slice(),
            ) else {
                return Err(bad(
                    path,
                    format!("bad map directive `{m}`: want NAME TYPE KEY VALUE ENTRIES"),
                ));
            };
            prog.maps.push(MapDef::new(name, t, *k, *v, *n));
        } else if let Some(v) = c.strip_prefix("verify:") {
            prog.expected_verdict = match v.split_whitespace().next() {
                Some("accept") => Some(true),
                Some("reject") => Some(false),
                _ => {
                    return Err(bad(
                        path,
                        format!("bad verify directive `{v}`: want accept or reject"),
                    ))
                }
            };
        } else if let Some(n) = c.strip_prefix("mem-pattern:") {
            let n: usize = n.trim().parse().map_err(|_| bad(path, "bad mem-pattern"))?;
            prog.default_input = Some(pattern(n));
        } else if let Some(sets) = c.strip_prefix("set:") {
            let mem = prog
                .default_input
                .as_mut()
                .ok_or_else(|| bad(path, "`set:` before `mem-pattern:`"))?;
            for s in sets.split_whitespace() {
                let (o, b) = s
                    .split_once('=')
                    .ok_or_else(|| bad(path, format!("bad set `{s}`")))?;
                let o: usize = o
                    .parse()
                    .map_err(|_| bad(path, format!("bad offset `{o}`")))?;
                let b = u8::from_str_radix(b.trim_start_matches("0x"), 16)
                    .map_err(|_| bad(path, format!("bad byte `{b}`")))?;
                *mem.get_mut(o)
                    .ok_or_else(|| bad(path, format!("offset {o} outside the input")))? = b;
            }
        }
    }
    let conformance_syntax = text.lines().any(|l| {
        !l.trim_start().starts_with(';') && !l.trim_start().starts_with('#') && l.contains("%r")
    });
    let asm = if conformance_syntax {
        semantics::text::assemble_conformance(text)
    } else {
        semantics::text::assemble(text)
    };
    prog.insns = asm.map_err(|e| InputError::Semantics {
        path: p,
        source: e.into(),
    })?;
    Ok(prog)
}
