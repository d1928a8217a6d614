//! `tristate campaign`: generated programs verified by us and by the live kernel, run in our
//! interpreter and in the kernel (BPF_PROG_TEST_RUN), and embedded in our verifier's states.
//! Every disagreement is minimised by delta debugging over the instructions and written as
//! a regression file that the test suite runs.
//!
//! A campaign is reproducible: program `i` of seed `s` is `gen::generate(s, i, ...)`, and
//! every input it runs on is drawn from a generator seeded by `(s, i)`.

use crate::embed;
use crate::gen::{self, Generated};
use crate::kernel;
use crate::rng::Rng;
use crate::verify::Target;
use semantics::elf::ProgType;
use semantics::interp::{mapstate, Config as VmConfig, Outcome, Vm};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What a campaign does.
#[derive(Clone, Debug)]
pub struct Config {
    pub seed: u64,
    pub count: u64,
    /// Worker threads (0: one per CPU).
    pub jobs: usize,
    /// Stop starting programs after this many minutes.
    pub minutes: Option<f64>,
    /// Statements per generated program.
    pub size: usize,
    /// One program in this many breaks a rule (0: none).
    pub mutate_every: u64,
    /// Embedding runs per program we accept.
    pub inputs: usize,
    /// Where to write regression files (none: do not minimise).
    pub out: Option<PathBuf>,
    /// Compare with the live kernel (otherwise only our verifier, interpreter and embedding).
    pub kernel: bool,
}

impl Config {
    /// What `triage` needs to set given programs beside the kernel: no generation, no
    /// minimisation, `inputs` embedding runs each.
    pub fn triage(kernel: bool, inputs: usize) -> Config {
        Config {
            seed: 0,
            count: 0,
            jobs: 0,
            minutes: None,
            size: 0,
            mutate_every: 0,
            inputs,
            out: None,
            kernel,
        }
    }
}

/// One generated program's results.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Record {
    pub index: u64,
    pub prog_type: String,
    pub mutation: Option<String>,
    pub category: String,
    pub ours: bool,
    pub kernel: Option<bool>,
    pub message: String,
    pub kernel_message: String,
    pub processed: u64,
    pub kernel_processed: Option<u64>,
    /// `same`, `different: ...` or absent (not run in both).
    pub exec: Option<String>,
    pub embed_runs: usize,
    pub violations: Vec<String>,
    /// For a program only we accept: a fault found by running it, if any.
    pub witness: Option<String>,
    /// For a program only we accept: why it is safe, where the harness can show it.
    pub explanation: Option<String>,
    pub regression: Option<String>,
}

impl Record {
    /// Whether the record is a disagreement worth a regression file.
    pub fn disagrees(&self) -> bool {
        matches!(
            self.category.as_str(),
            "we accept only" | "we reject only" | "generator error"
        ) || self.exec.as_deref().is_some_and(|e| e != "same")
            || !self.violations.is_empty()
    }
}

/// The totals of a campaign.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub seed: u64,
    pub programs: u64,
    pub seconds: f64,
    pub programs_per_second: f64,
    pub categories: BTreeMap<String, u64>,
    pub mutated: u64,
    pub mutated_kernel_rejects: u64,
    pub exec_same: u64,
    pub exec_different: u64,
    pub embed_runs: u64,
    pub violations: u64,
    pub fault_witnesses: u64,
    pub regressions: Vec<String>,
}

/// The target of a generated program.
pub fn target_of(g: &Generated, name: &str) -> Result<Target, String> {
    target_of_text(&g.text, name)
}

/// The target of assembly text with directives.
pub fn target_of_text(text: &str, name: &str) -> Result<Target, String> {
    let p = crate::input::read_asm(Path::new(name), text).map_err(|e| e.to_string())?;
    let ty = p.prog_type.unwrap_or(ProgType::SocketFilter);
    Ok(Target {
        object: name.to_string(),
        section: String::new(),
        program: name.to_string(),
        prog_type: ty as u32,
        prog: verifier::Program {
            slots: p.insns,
            prog_type: ty as u32,
            expected_attach_type: 0,
            maps: p.maps.iter().map(verifier::MapInfo::from_def).collect(),
            strict_alignment: false,
            global_funcs: Vec::new(),
        },
        maps: p.maps,
        btf: None,
    })
}

/// Our verdict and the kernel's (None: no kernel comparison, or the kernel refused the
/// program before its verifier ran).
struct Verdicts {
    ours: verifier::Verdict,
    kernel: Option<kernel::KernelVerdict>,
}

fn verdicts(t: &Target, with_kernel: bool) -> Verdicts {
    let ours = verifier::verify(&t.prog, &verifier::Options::for_this_machine());
    let kernel = if with_kernel {
        kernel::verify(&t.prog).ok()
    } else {
        None
    };
    Verdicts { ours, kernel }
}

fn category(v: &Verdicts) -> &'static str {
    match &v.kernel {
        None => "ours only",
        Some(k) if k.refused_before_verifier() => "kernel refused before verifying",
        Some(k) => match (v.ours.accepted, k.load.accepted()) {
            (true, true) => "both accept",
            (false, false) => "both reject",
            (false, true) => "we reject only",
            (true, false) => "we accept only",
        },
    }
}

/// The maps of our interpreter after a run, as (key, value) lists like the kernel's.
fn our_maps(vm: &Vm) -> Vec<Vec<(Vec<u8>, Vec<u8>)>> {
    vm.maps
        .iter()
        .map(|m| {
            let vs = m.def.value_size as usize;
            match mapstate::storage(m.def.map_type) {
                mapstate::Storage::Array => (0..m.def.max_entries)
                    .map(|i| {
                        let v = m
                            .array
                            .get(&i)
                            .map(|r| vm.mem.regions[*r].data.clone())
                            .unwrap_or_else(|| vec![0; vs]);
                        (i.to_le_bytes().to_vec(), v)
                    })
                    .collect(),
                _ => {
                    let mut e: Vec<_> = m
                        .hash
                        .iter()
                        .map(|(k, (r, _))| (k.clone(), vm.mem.regions[*r].data.clone()))
                        .collect();
                    e.sort();
                    e
                }
            }
        })
        .collect()
}

/// Random packets for runs in the kernel (BPF_PROG_TEST_RUN wants at least an Ethernet
/// header), half of them IPv4.
pub fn packets(rng: &mut Rng, n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|_| {
            let len = 14 + rng.below(115) as usize;
            let mut data = rng.bytes(len);
            if rng.below(2) == 0 {
                data[12] = 0x08;
                data[13] = 0x00;
            }
            data
        })
        .collect()
}

/// Runs a program the kernel accepted in the kernel (BPF_PROG_TEST_RUN) and in our
/// interpreter on each packet in turn, and compares the return values, the packets after
/// the runs and the maps' contents: `same`, `different: ...`, or `None` when either cannot
/// run it.
pub fn compare_exec(t: &Target, k: &kernel::KernelVerdict, packets: &[Vec<u8>]) -> Option<String> {
    let fd = k.load.fd.as_ref()?;
    let ty = ProgType::from_u32(t.prog_type)?;
    // One interpreter for all runs: the kernel's maps keep their contents between runs too.
    let mut vm = Vm::new(VmConfig::default(), &t.maps);
    let id = vm.load("generated", &t.prog.slots).ok()?;
    for data in packets {
        let len = data.len();
        let kr = kernel::test_run(fd, data, 1).ok()?;
        // Socket filters, cgroup and lwt programs see the packet from the network header;
        // the kernel hands back the Ethernet header zeroed.
        let l3 = crate::demo::layout_of(ty) == Some(semantics::interp::CtxLayout::SkBuff)
            && !matches!(ty, ProgType::SchedCls | ProgType::SchedAct);
        let seen = if l3 {
            data.get(14..)?.to_vec()
        } else {
            data.clone()
        };
        let input = crate::demo::input_for(Some(ty), None, seen);
        let run = vm.run(id, &input);
        let ours = match run.outcome {
            Outcome::Exit(r0) => r0 as u32,
            o => return Some(format!("different: kernel r0 {:#x}, ours {o:?}", kr.retval)),
        };
        if ours != kr.retval {
            return Some(format!(
                "different: r0 kernel {:#x}, ours {ours:#x} (packet of {len} bytes)",
                kr.retval
            ));
        }
        let out = if l3 {
            kr.data_out.get(14..).unwrap_or(&[])
        } else {
            &kr.data_out[..]
        };
        // For XDP the kernel hands back the metadata too.
        let mine = if ty == ProgType::Xdp {
            vm.packet_with_meta()
        } else {
            vm.packet()
        };
        if out != mine {
            return Some(format!("different: packet after the run (of {len} bytes)"));
        }
        let mine = our_maps(&vm);
        for (i, (m, fd)) in t.prog.maps.iter().zip(&k.maps).enumerate() {
            if !matches!(
                mapstate::storage(m.map_type),
                mapstate::Storage::Array | mapstate::Storage::Hash
            ) || matches!(m.map_type, 5 | 6 | 10)
            {
                // Per-CPU and unmodelled maps are not compared.
                continue;
            }
            let mut theirs = kernel::map_entries(fd, m.key_size as usize, m.value_size as usize);
            theirs.sort();
            if theirs != mine[i] {
                return Some(format!("different: map {i} after the run"));
            }
        }
    }
    Some("same".into())
}

/// Everything about one program of the campaign.
fn examine(cfg: &Config, index: u64) -> Record {
    let g = gen::generate(cfg.seed, index, cfg.size, cfg.mutate_every);
    let mut rec = blank_record(index, g.prog_type.name());
    rec.mutation = g.mutation.map(|m| m.name().to_string());
    let t = match target_of(&g, &format!("seed {} index {index}", cfg.seed)) {
        Ok(t) => t,
        Err(e) => {
            rec.category = "generator error".into();
            rec.message = e;
            return rec;
        }
    };
    triage(cfg, &t, g.deterministic, &mut rec);
    if rec.disagrees() {
        if let Some(dir) = &cfg.out {
            rec.regression = write_regression(cfg, dir, &g, &rec).ok();
        }
    }
    rec
}

/// Sets one program beside the kernel (when `cfg.kernel`): verdicts, executions (for
/// `deterministic` programs both accept), state embedding, and for programs only we accept
/// a fault-witness search and an explanation. Fills `rec`.
pub fn triage(cfg: &Config, t: &Target, deterministic: bool, rec: &mut Record) {
    let index = rec.index;
    let v = verdicts(t, cfg.kernel);
    rec.category = category(&v).into();
    rec.ours = v.ours.accepted;
    rec.message = v.ours.message.clone();
    rec.processed = v.ours.stats.processed_insns;
    if let Some(k) = &v.kernel {
        rec.kernel = Some(k.load.accepted());
        rec.kernel_message = k.message.clone();
        rec.kernel_processed = k.processed_insns;
    }
    let mut rng = Rng::new(cfg.seed ^ index.rotate_left(17) ^ 0x1234_5678);
    // Programs whose runs depend on the machine (pointers written out, uninitialised stack
    // read) or on chance are not compared.
    if rec.category == "both accept" && deterministic && v.ours.stats.machine_dependent == 0 {
        if let Some(k) = &v.kernel {
            rec.exec = compare_exec(&t, k, &packets(&mut rng, 2));
        }
    }
    if v.ours.accepted && cfg.inputs > 0 {
        if let Some(e) = embed::check(&t, cfg.inputs, rng.next_u64()) {
            rec.embed_runs = e.runs;
            rec.violations = e
                .violations
                .iter()
                .map(|x| format!("input {} pc {}: {}", x.input, x.pc, x.what))
                .chain(
                    e.faults
                        .iter()
                        .map(|(n, f)| format!("input {n}: fault {f}")),
                )
                .collect();
        }
    }
    if rec.category == "we accept only" {
        rec.witness =
            embed::fault_witness(&t, 256, rng.next_u64()).map(|(n, f)| format!("input {n}: {f}"));
        if let Some(k) = &v.kernel {
            rec.explanation = explain(
                t,
                &k.load.log,
                rec.witness.is_some(),
                rec.embed_runs > 0 && rec.violations.is_empty(),
            );
        }
    }
}

/// A record of a program not yet examined.
pub fn blank_record(index: u64, prog_type: &str) -> Record {
    Record {
        index,
        prog_type: prog_type.to_string(),
        mutation: None,
        category: String::new(),
        ours: false,
        kernel: None,
        message: String::new(),
        kernel_message: String::new(),
        processed: 0,
        kernel_processed: None,
        exec: None,
        embed_runs: 0,
        violations: Vec::new(),
        witness: None,
        explanation: None,
        regression: None,
    }
}

/// Why a program only we accept is safe, where the harness can show it: the instruction at
/// which the kernel rejects is unreachable in our analysis (a path our more precise
/// domains prove infeasible, which state embedding checks concretely), and no run faulted.
fn explain(t: &Target, kernel_log: &str, faulted: bool, embedded: bool) -> Option<String> {
    if faulted || !embedded {
        return None;
    }
    let pc = kernel::error_pc(kernel_log)?;
    let (v, rec) = verifier::verify_recording(&t.prog, &verifier::Options::for_this_machine());
    if !v.accepted {
        return None;
    }
    if !rec.at.keys().any(|(p, _)| *p == pc) {
        return Some(format!(
            "kernel imprecision: insn {pc}, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted"
        ));
    }
    // The kernel's failing path passes an instruction our analysis proves unreachable.
    if let Some(dead) = kernel::error_path(kernel_log)
        .into_iter()
        .find(|q| !rec.at.keys().any(|(p, _)| p == q))
    {
        return Some(format!(
            "kernel imprecision: the kernel's path to its rejection at insn {pc} passes insn {dead}, which our analysis proves unreachable; no run reached it or faulted"
        ));
    }
    // Otherwise the kernel must have lost precision on the way: our registers are never
    // less precise than its own where both logs show them, and more precise somewhere.
    let d = crate::diff::states(&t.prog, t.btf.as_deref()).ok()?;
    (d.ours_less_precise == 0 && d.incomparable == 0 && d.ours_more_precise > 0).then(|| {
        format!(
            "kernel imprecision: the kernel rejects at insn {pc} after losing precision (ours more precise on {} registers, never less; first: {}); state embedding confirms our values; no run faulted",
            d.ours_more_precise,
            d.differences.first().map(String::as_str).unwrap_or("")
        )
    })
}

/// The kind of disagreement a record shows, which minimisation keeps.
fn signature(rec: &Record) -> String {
    if !rec.violations.is_empty() {
        "embedding violation".into()
    } else if rec.exec.as_deref().is_some_and(|e| e != "same") {
        "execution differs".into()
    } else {
        rec.category.clone()
    }
}

/// Delta debugging (ddmin) over the instruction lines of `text`: the smallest program found
/// for which `keep` still holds (at most `budget` tests).
pub fn minimise(text: &str, keep: &mut dyn FnMut(&str) -> bool, budget: usize) -> String {
    let (head, mut body): (Vec<&str>, Vec<&str>) = {
        let lines: Vec<&str> = text.lines().collect();
        let n = lines.iter().take_while(|l| l.starts_with(';')).count();
        (lines[..n].to_vec(), lines[n..].to_vec())
    };
    let join = |b: &[&str]| {
        let mut s = head.join("\n");
        s.push('\n');
        s += &b.join("\n");
        s.push('\n');
        s
    };
    let mut tests = 0;
    let mut chunks = 2usize;
    while body.len() >= 2 && tests < budget {
        let size = body.len().div_ceil(chunks);
        let mut reduced = false;
        let mut start = 0;
        while start < body.len() && tests < budget {
            let end = (start + size).min(body.len());
            let candidate: Vec<&str> = body[..start].iter().chain(&body[end..]).copied().collect();
            tests += 1;
            if !candidate.is_empty() && keep(&join(&candidate)) {
                body = candidate;
                reduced = true;
                chunks = (chunks - 1).max(2);
            } else {
                start = end;
            }
        }
        if !reduced {
            if chunks >= body.len() {
                break;
            }
            chunks = (chunks * 2).min(body.len());
        }
    }
    join(&body)
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Minimises a disagreement and writes it to `dir`; returns the file's path.
fn write_regression(
    cfg: &Config,
    dir: &Path,
    g: &Generated,
    rec: &Record,
) -> Result<String, String> {
    let want = signature(rec);
    let sub = Config {
        out: None,
        ..cfg.clone()
    };
    let mut keep = |text: &str| -> bool {
        let Ok(t) = target_of_text(text, "candidate") else {
            return false;
        };
        let v = verdicts(&t, sub.kernel);
        let mut r = Record {
            category: category(&v).into(),
            ..rec.clone()
        };
        r.violations.clear();
        r.exec = None;
        match want.as_str() {
            "embedding violation" => {
                if let Some(e) = v
                    .ours
                    .accepted
                    .then(|| embed::check(&t, sub.inputs.max(16), 1))
                    .flatten()
                {
                    r.violations = e
                        .violations
                        .iter()
                        .map(|x| x.what.clone())
                        .chain(e.faults.iter().map(|(_, f)| f.clone()))
                        .collect();
                }
            }
            "execution differs" => {
                if r.category == "both accept" && v.ours.stats.machine_dependent == 0 {
                    if let Some(k) = &v.kernel {
                        r.exec = compare_exec(&t, k, &packets(&mut Rng::new(rec.index), 4));
                    }
                }
            }
            _ => {}
        }
        signature(&r) == want
    };
    // A disagreement the check does not reproduce (other inputs) is kept as found.
    let small = if keep(&g.text) {
        minimise(&g.text, &mut keep, 1500)
    } else {
        g.text.clone()
    };
    let t = target_of_text(&small, "minimised")?;
    let v = verdicts(&t, cfg.kernel);
    let verdict = |a: bool| if a { "accept" } else { "reject" };
    let kernel = match &v.kernel {
        Some(k) => format!("{} ({})", verdict(k.load.accepted()), k.message),
        None => "not compared".into(),
    };
    let mut text = format!(
        "; tristate campaign --seed {} (program {}), minimised from {} to {} instructions\n\
         ; category: {want}\n; kernel: {kernel}\n; ours: {} ({})\n; verify: {}\n",
        cfg.seed,
        rec.index,
        g.text
            .lines()
            .filter(|l| !l.starts_with(';') && !l.ends_with(':'))
            .count(),
        t.prog.slots.len(),
        verdict(v.ours.accepted),
        v.ours.message,
        verdict(v.ours.accepted),
    );
    if let Some(m) = &rec.mutation {
        text += &format!("; mutation: {m}\n");
    }
    for v in rec.violations.iter().take(3) {
        text += &format!("; violation: {v}\n");
    }
    if let Some(e) = &rec.exec {
        text += &format!("; exec: {e}\n");
    }
    text += &small
        .lines()
        .filter(|l| *l != "; generated program")
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("{}-s{}-p{}.s", slug(&want), cfg.seed, rec.index));
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(path.display().to_string())
}

/// Runs a campaign (in parallel, with a progress bar) and returns its totals and records.
pub fn run(cfg: &Config) -> (Summary, Vec<Record>) {
    use indicatif::ParallelProgressIterator;
    use rayon::prelude::*;
    let start = Instant::now();
    let stop = AtomicBool::new(false);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs)
        .build()
        .expect("a thread pool");
    let bar = crate::verify::progress(cfg.count as usize);
    let records: Vec<Record> = pool.install(|| {
        (0..cfg.count)
            .into_par_iter()
            .progress_with(bar.clone())
            .filter_map(|i| {
                if let Some(m) = cfg.minutes {
                    if start.elapsed().as_secs_f64() > m * 60.0 {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                (!stop.load(Ordering::Relaxed)).then(|| examine(cfg, i))
            })
            .collect()
    });
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    let mut s = Summary {
        seed: cfg.seed,
        programs: records.len() as u64,
        seconds,
        programs_per_second: records.len() as f64 / seconds.max(1e-9),
        ..Summary::default()
    };
    for r in &records {
        *s.categories.entry(r.category.clone()).or_default() += 1;
        if r.mutation.is_some() {
            s.mutated += 1;
            if r.kernel == Some(false) {
                s.mutated_kernel_rejects += 1;
            }
        }
        match r.exec.as_deref() {
            Some("same") => s.exec_same += 1,
            Some(_) => s.exec_different += 1,
            None => {}
        }
        s.embed_runs += r.embed_runs as u64;
        s.violations += r.violations.len() as u64;
        s.fault_witnesses += r.witness.is_some() as u64;
        if let Some(p) = &r.regression {
            s.regressions.push(p.clone());
        }
    }
    (s, records)
}
