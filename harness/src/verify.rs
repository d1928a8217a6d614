//! `tristate verify`: the programs of ELF objects, folders of them, raw programs and
//! assembly files, verified in parallel; and the ebpf-samples corpus set beside the
//! kernel's verdicts (`kernel-6.18-verdicts.csv`).

use crate::input;
use rayon::prelude::*;
use semantics::elf::ProgType;
use std::path::{Path, PathBuf};
use verifier::{GlobalArg, GlobalFunc, MapInfo, Options, Program, Verdict};

/// One program to verify.
#[derive(Clone, Debug)]
pub struct Target {
    pub object: String,
    pub section: String,
    pub program: String,
    pub prog_type: u32,
    pub prog: Program,
    /// The maps as the object defines them (with initial contents), for running it.
    pub maps: Vec<semantics::maps::MapDef>,
    /// The object's BTF and the program's function records, for loading it into the kernel
    /// as libbpf would.
    pub btf: Option<std::sync::Arc<crate::kernel::ProgBtf>>,
}

/// `enum bpf_attach_type` numbers of libbpf's attach type names.
pub fn attach_type(name: &str) -> u32 {
    match name {
        "cgroup_inet_ingress" => 0,
        "cgroup_inet_egress" => 1,
        "cgroup_inet_sock_create" => 2,
        "cgroup_sock_ops" => 3,
        "sk_skb_stream_parser" => 4,
        "sk_skb_stream_verdict" => 5,
        "cgroup_device" => 6,
        "sk_msg_verdict" => 7,
        "cgroup_inet4_bind" => 8,
        "cgroup_inet6_bind" => 9,
        "cgroup_inet4_connect" => 10,
        "cgroup_inet6_connect" => 11,
        "cgroup_inet4_post_bind" => 12,
        "cgroup_inet6_post_bind" => 13,
        "cgroup_udp4_sendmsg" => 14,
        "cgroup_udp6_sendmsg" => 15,
        "cgroup_sysctl" => 18,
        "cgroup_udp4_recvmsg" => 19,
        "cgroup_udp6_recvmsg" => 20,
        "trace_raw_tp" => 23,
        "trace_fentry" => 24,
        "trace_fexit" => 25,
        "modify_return" => 26,
        "lsm_mac" => 27,
        "trace_iter" => 28,
        "xdp_devmap" => 35,
        "sk_lookup" => 36,
        "xdp" => 37,
        "xdp_cpumap" => 38,
        _ => 0,
    }
}

/// Every file under `path` (itself, if it is a file), in sorted order.
pub(crate) fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else if path.extension().and_then(|e| e.to_str()) == Some("o") || !path.starts_with(".") {
        out.push(path.to_path_buf());
    }
}

/// The programs of `path` (a folder is searched recursively for `.o` objects and `.s`
/// assembly files). `prog_type`
/// overrides the type derived from section names. Errors name the file.
pub fn targets(path: &Path, prog_type: Option<ProgType>) -> Vec<Result<Target, String>> {
    let mut list = Vec::new();
    if path.is_dir() {
        let mut all = Vec::new();
        files(path, &mut all);
        list.extend(
            all.into_iter()
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("o" | "s"))),
        );
    } else {
        list.push(path.to_path_buf());
    }
    let mut out = Vec::new();
    for f in list {
        let object = f.display().to_string();
        let is_elf = std::fs::read(&f)
            .map(|b| b.starts_with(b"\x7fELF"))
            .unwrap_or(false);
        type Extra = (
            u32,
            Vec<GlobalFunc>,
            Option<std::sync::Arc<crate::kernel::ProgBtf>>,
        );
        let extra: Vec<Extra> = if is_elf {
            match semantics::elf::load_file(&f) {
                Ok(o) => o
                    .programs
                    .iter()
                    .map(|p| {
                        (
                            p.expected_attach_type.map(attach_type).unwrap_or(0),
                            global_funcs(&o, p),
                            crate::kernel::ProgBtf::of(&o, p).map(std::sync::Arc::new),
                        )
                    })
                    .collect(),
                Err(_) => Default::default(),
            }
        } else {
            Default::default()
        };
        match input::read(&f) {
            Err(e) => out.push(Err(e.to_string())),
            Ok(progs) => {
                for (i, p) in progs.into_iter().enumerate() {
                    let (section, program) = match p.name.rsplit_once('/') {
                        Some((s, n)) if is_elf => (s.to_string(), n.to_string()),
                        _ => (String::new(), p.name.clone()),
                    };
                    let ty = prog_type
                        .or(p.prog_type)
                        .or_else(|| semantics::elf::progtype::from_legacy_section(&section));
                    let Some(ty) = ty else {
                        out.push(Err(format!(
                            "{object}: {}: unknown program type (give --type)",
                            p.name
                        )));
                        continue;
                    };
                    out.push(Ok(Target {
                        btf: extra.get(i).and_then(|e| e.2.clone()),
                        maps: p.maps.clone(),
                        object: object.clone(),
                        section,
                        program,
                        prog_type: ty as u32,
                        prog: Program {
                            slots: p.insns,
                            prog_type: ty as u32,
                            expected_attach_type: extra.get(i).map(|e| e.0).unwrap_or(0),
                            maps: p.maps.iter().map(MapInfo::from_def).collect(),
                            strict_alignment: false,
                            global_funcs: extra.get(i).map(|e| e.1.clone()).unwrap_or_default(),
                        },
                    }));
                }
            }
        }
    }
    out
}

/// The global functions among a program's subprograms, with their BTF prototypes: integer
/// arguments are scalars, pointers to the program's context are the context, other pointers
/// are memory of the pointee's size that may be null.
pub fn global_funcs(obj: &semantics::elf::Object, p: &semantics::elf::Program) -> Vec<GlobalFunc> {
    use semantics::elf::btf::{Btf, KIND_PTR, KIND_STRUCT};
    let Some(btf) = obj.btf.as_ref().and_then(|b| Btf::parse(b).ok()) else {
        return Vec::new();
    };
    const CTX: &[&str] = &[
        "__sk_buff",
        "xdp_md",
        "pt_regs",
        "bpf_sock_ops",
        "bpf_sock",
        "bpf_sock_addr",
        "sk_msg_md",
        "bpf_perf_event_data",
        "bpf_raw_tracepoint_args",
        "bpf_sk_lookup",
        "bpf_sysctl",
        "bpf_cgroup_dev_ctx",
        "sk_reuseport_md",
    ];
    p.subprograms
        .iter()
        .filter_map(|(name, start)| {
            let params = btf.global_func(name)?;
            let args = params
                .iter()
                .map(|&t| {
                    let t = btf.skip_mods(t).unwrap_or(0);
                    match btf.types.get(t as usize) {
                        Some(ty) if ty.kind == KIND_PTR => {
                            let target = btf.skip_mods(ty.size_or_type).unwrap_or(0);
                            match btf.types.get(target as usize) {
                                Some(s)
                                    if s.kind == KIND_STRUCT && CTX.contains(&s.name.as_str()) =>
                                {
                                    GlobalArg::Ctx
                                }
                                _ => GlobalArg::Mem {
                                    size: btf.size_of(target).unwrap_or(0) as u32,
                                },
                            }
                        }
                        _ => GlobalArg::Scalar,
                    }
                })
                .collect();
            Some(GlobalFunc {
                start: *start,
                args,
            })
        })
        .collect()
}

/// A progress bar of `n` programs (hidden for one), showing programs/s; it draws only on a
/// terminal.
pub fn progress(n: usize) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressStyle};
    let bar = if n > 1 {
        ProgressBar::new(n as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} programs, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Verifies every target in parallel, with a progress bar on a terminal (programs/s).
pub fn run(targets: &[Target], opts: &Options) -> Vec<Verdict> {
    use indicatif::ParallelProgressIterator;
    let bar = progress(targets.len());
    let out = targets
        .par_iter()
        .progress_with(bar.clone())
        .map(|t| verifier::verify(&t.prog, opts))
        .collect();
    bar.finish_and_clear();
    out
}

/// One row of `kernel-6.18-verdicts.csv` with our verdict beside it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SampleRecord {
    pub object: String,
    pub section: String,
    pub program: String,
    pub prog_type: String,
    pub kernel: String,
    pub kernel_message: String,
    pub kernel_processed: u64,
    pub kernel_time_us: u64,
    pub ours: String,
    pub message: String,
    pub pc: Option<usize>,
    pub processed: u64,
    pub time_us: u64,
}

fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// One program of the ebpf-samples corpus with the kernel's record, not yet verified.
#[derive(Clone, Debug)]
pub struct SampleJob {
    pub record: SampleRecord,
    pub prog: Program,
    /// The object's maps (with initial contents), for running the program.
    pub maps: Vec<semantics::maps::MapDef>,
    pub btf: Option<std::sync::Arc<crate::kernel::ProgBtf>>,
}

/// The ebpf-samples programs the kernel verified (accepted or rejected by the verifier),
/// with the CSV's program types.
pub fn sample_jobs(dir: &Path) -> Result<Vec<SampleJob>, String> {
    let csv = dir.join("kernel-6.18-verdicts.csv");
    let text = std::fs::read_to_string(&csv).map_err(|e| format!("{}: {e}", csv.display()))?;
    let mut lines = text.lines();
    let header = csv_fields(lines.next().unwrap_or(""));
    let col = |n: &str| header.iter().position(|h| h == n);
    let (o, s, p, t, a, v, st, pi, tu, el) = (
        col("object"),
        col("section"),
        col("program"),
        col("prog_type"),
        col("expected_attach_type"),
        col("verdict"),
        col("stage"),
        col("processed_insns"),
        col("verification_time_usec_stats_only"),
        col("error_line"),
    );
    let get =
        |f: &Vec<String>, i: Option<usize>| i.and_then(|i| f.get(i)).cloned().unwrap_or_default();
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    let mut objects: std::collections::HashMap<String, semantics::elf::Object> = Default::default();
    let mut jobs = Vec::new();
    for f in &rows {
        let verdict = get(f, v);
        if get(f, st) != "verifier" || !(verdict == "accept" || verdict == "reject") {
            continue;
        }
        let object = get(f, o);
        if !objects.contains_key(&object) {
            match semantics::elf::load_file(&dir.join(&object)) {
                Ok(obj) => {
                    objects.insert(object.clone(), obj);
                }
                Err(e) => return Err(format!("{object}: {e}")),
            }
        }
        let obj = &objects[&object];
        let (section, program) = (get(f, s), get(f, p));
        let Some(pr) = obj
            .programs
            .iter()
            .find(|x| x.section == section && x.name == program)
            .or_else(|| obj.programs.iter().find(|x| x.section == section))
        else {
            return Err(format!("{object}: no program {section}/{program}"));
        };
        let ty = ProgType::from_name(&get(f, t))
            .map(|t| t as u32)
            .ok_or_else(|| format!("{object}: unknown type {}", get(f, t)))?;
        let prog = Program {
            slots: pr.insns.clone(),
            prog_type: ty,
            expected_attach_type: attach_type(&get(f, a)),
            maps: obj.maps.iter().map(MapInfo::from_def).collect(),
            strict_alignment: false,
            global_funcs: global_funcs(obj, pr),
        };
        jobs.push(SampleJob {
            record: SampleRecord {
                object,
                section,
                program,
                prog_type: get(f, t),
                kernel: get(f, v),
                kernel_message: get(f, el),
                kernel_processed: get(f, pi).parse().unwrap_or(0),
                kernel_time_us: get(f, tu).parse().unwrap_or(0),
                ours: String::new(),
                message: String::new(),
                pc: None,
                processed: 0,
                time_us: 0,
            },
            prog,
            maps: obj.maps.clone(),
            btf: crate::kernel::ProgBtf::of(obj, pr).map(std::sync::Arc::new),
        });
    }
    Ok(jobs)
}

/// The ebpf-samples programs the kernel verified (accepted or rejected by the verifier),
/// each verified by us with the CSV's program type.
pub fn samples(dir: &Path, opts: &Options) -> Result<Vec<SampleRecord>, String> {
    Ok(sample_jobs(dir)?
        .par_iter()
        .map(|j| {
            let verdict = verifier::verify(&j.prog, opts);
            SampleRecord {
                ours: if verdict.accepted { "accept" } else { "reject" }.into(),
                message: verdict.message.clone(),
                pc: verdict.pc,
                processed: verdict.stats.processed_insns,
                time_us: verdict.stats.time_us,
                ..j.record.clone()
            }
        })
        .collect())
}
