//! The implementations of the commands that set our tools beside the live kernel and run
//! the oracles (`diff`, `campaign`, `embed`), and the argument helpers the command line
//! shares.

use semantics::elf::ProgType;
use std::path::PathBuf;
use std::process::ExitCode;

/// What a command returns: its exit code, or an error to print.
pub type Res = Result<ExitCode, Box<dyn std::error::Error>>;

/// The program type a `--type` argument names.
pub fn type_arg(t: &Option<String>) -> Result<Option<ProgType>, String> {
    t.as_deref()
        .map(|t| ProgType::from_name(t).ok_or(format!("unknown program type `{t}`")))
        .transpose()
}

/// The programs of `paths` (of section or function `section`, when given). Files that cannot
/// be read are reported on stderr and counted.
pub fn collect_targets(
    paths: &[PathBuf],
    ty: Option<ProgType>,
    section: &Option<String>,
) -> (Vec<crate::verify::Target>, usize) {
    let (mut targets, mut errors) = (Vec::new(), 0);
    for p in paths {
        for t in crate::corpus::targets(p, ty) {
            match t {
                Ok(t)
                    if section
                        .as_ref()
                        .is_none_or(|s| t.section == *s || t.program == *s) =>
                {
                    targets.push(t)
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("error: {e}");
                    errors += 1;
                }
            }
        }
    }
    (targets, errors)
}

/// The `diff` commands need bpf().
pub fn require_kernel() -> Result<(), String> {
    crate::kernel::available().map_err(|why| format!("the live kernel is not available: {why}"))
}

pub fn parse_hex(h: &str) -> Result<Vec<u8>, String> {
    let clean: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    if clean.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    (0..clean.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).map_err(|e| format!("hex: {e}")))
        .collect()
}

pub fn diff_verdict_cmd(
    paths: &[PathBuf],
    prog_type: Option<String>,
    json: Option<PathBuf>,
) -> Res {
    use crate::{embed, kernel, verify};
    require_kernel()?;
    let ty = type_arg(&prog_type)?;
    let (targets, _) = collect_targets(paths, ty, &None);
    let opts = verifier::Options::for_this_machine();
    let ours = verify::run(&targets, &opts);
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    let mut records = Vec::new();
    let (mut ours_us, mut kernel_us, mut ours_insns, mut kernel_insns) = (0u64, 0u64, 0u64, 0u64);
    println!(
        "{:<56} {:<7} {:<7} {:>9} {:>9} {:>9} {:>9}  category / messages",
        "program", "ours", "kernel", "insns", "k insns", "us", "k us"
    );
    for (t, v) in targets.iter().zip(&ours) {
        let name = format!("{}:{}/{}", t.object, t.section, t.program);
        let k = match kernel::verify_btf(&t.prog, 1, t.btf.as_deref()) {
            Ok(k) => k,
            Err(e) => {
                println!("{name:<56} kernel load not possible: {e}");
                *counts.entry("kernel error").or_default() += 1;
                continue;
            }
        };
        let ka = k.load.accepted();
        let category = match (v.accepted, ka) {
            _ if k.refused_before_verifier() => "kernel refused before verifying",
            (true, true) => "both accept",
            (false, false) => "both reject",
            (false, true) => "we reject only",
            (true, false) => "we accept only",
        };
        *counts.entry(category).or_default() += 1;
        ours_us += v.stats.time_us;
        kernel_us += k.time_us.unwrap_or(0);
        ours_insns += v.stats.processed_insns;
        kernel_insns += k.processed_insns.unwrap_or(0);
        // A program only we accept is run on many generated inputs to look for a fault.
        let witness = (category == "we accept only")
            .then(|| embed::fault_witness(t, 1024, 1).map(|(n, f)| format!("input {n}: {f}")));
        let verdict = |a: bool| if a { "accept" } else { "reject" };
        println!(
            "{:<56} {:<7} {:<7} {:>9} {:>9} {:>9} {:>9}  {category}{}{}",
            name,
            verdict(v.accepted),
            verdict(ka),
            v.stats.processed_insns,
            k.processed_insns.map(|n| n.to_string()).unwrap_or_default(),
            v.stats.time_us,
            k.time_us.map(|n| n.to_string()).unwrap_or_default(),
            if v.accepted && ka {
                String::new()
            } else {
                format!(" | ours: {} | kernel: {}", v.message, k.message)
            },
            match &witness {
                Some(Some(w)) => format!(" | FAULT WITNESS {w}"),
                Some(None) => " | no fault in 1024 runs".into(),
                None => String::new(),
            }
        );
        records.push(serde_json::json!({
            "object": t.object, "section": t.section, "program": t.program,
            "ours": verdict(v.accepted), "kernel": verdict(ka), "category": category,
            "message": v.message, "kernel_message": k.message, "pc": v.pc,
            "processed_insns": v.stats.processed_insns, "kernel_processed_insns": k.processed_insns,
            "verification_time_us": v.stats.time_us, "kernel_verification_time_us": k.time_us,
            "total_states": v.stats.total_states, "kernel_total_states": k.total_states,
            "peak_states": v.stats.peak_states, "kernel_peak_states": k.peak_states,
            "fault_witness": witness.flatten(),
        }));
    }
    let total: usize = counts.values().sum();
    println!("\n{:<34} {:>8} {:>7}", "category", "programs", "share");
    for (c, n) in &counts {
        println!(
            "{c:<34} {n:>8} {:>6.1}%",
            100.0 * *n as f64 / total.max(1) as f64
        );
    }
    let witnesses = records
        .iter()
        .filter(|r| !r["fault_witness"].is_null())
        .count();
    println!(
        "verification time summed: ours {:.3} s, kernel {:.3} s; processed insns summed: ours {ours_insns}, kernel {kernel_insns}; fault witnesses among programs only we accept: {witnesses}",
        ours_us as f64 / 1e6,
        kernel_us as f64 / 1e6
    );
    if let Some(out) = json {
        let doc = serde_json::json!({
            "summary": {"categories": counts, "ours_time_us": ours_us, "kernel_time_us": kernel_us,
                        "ours_processed_insns": ours_insns, "kernel_processed_insns": kernel_insns,
                        "fault_witnesses": witnesses},
            "programs": records,
        });
        std::fs::write(&out, serde_json::to_string_pretty(&doc)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn campaign_cmd(cfg: &crate::campaign::Config, json: Option<PathBuf>) -> Res {
    let (s, records) = crate::campaign::run(cfg);
    for r in records.iter().filter(|r| r.disagrees()) {
        println!(
            "program {:>7} {:<14} {:<22} ours: {} | kernel: {}{}{}{}",
            r.index,
            r.prog_type,
            r.category,
            r.message,
            r.kernel_message,
            r.exec
                .as_ref()
                .map(|e| format!(" | exec {e}"))
                .unwrap_or_default(),
            r.violations
                .first()
                .map(|v| format!(" | embedding: {v}"))
                .unwrap_or_default(),
            r.regression
                .as_ref()
                .map(|p| format!(" -> {p}"))
                .unwrap_or_default(),
        );
        if r.category == "we accept only" {
            println!(
                "        fault witness: {}; {}",
                r.witness.as_deref().unwrap_or("none found in 256 runs"),
                r.explanation.as_deref().unwrap_or("UNEXPLAINED")
            );
        }
    }
    println!(
        "{} programs in {:.1} s ({:.0} programs/s), seed {}",
        s.programs, s.seconds, s.programs_per_second, s.seed
    );
    for (c, n) in &s.categories {
        println!("  {c:<34} {n:>8}");
    }
    println!(
        "  mutated programs {} (kernel rejects {}); executions compared: {} same, {} different; embedding: {} runs, {} violations; fault witnesses {}",
        s.mutated, s.mutated_kernel_rejects, s.exec_same, s.exec_different, s.embed_runs, s.violations, s.fault_witnesses
    );
    if let Some(out) = json {
        let doc = serde_json::json!({"summary": s, "disagreements": records.iter().filter(|r| r.disagrees()).collect::<Vec<_>>()});
        std::fs::write(&out, serde_json::to_string_pretty(&doc)?)?;
    }
    let unexplained = records
        .iter()
        .filter(|r| r.category == "we accept only" && r.explanation.is_none())
        .count() as u64;
    println!("  we accept only, unexplained: {unexplained}");
    let bad = s.exec_different + s.violations + unexplained;
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[allow(clippy::too_many_arguments)]
pub fn embed_cmd(
    paths: &[PathBuf],
    prog_type: Option<String>,
    section: Option<String>,
    inputs: usize,
    seed: u64,
    record_limit: u64,
    json: Option<PathBuf>,
) -> Res {
    let ty = type_arg(&prog_type)?;
    let (targets, _) = collect_targets(paths, ty, &section);
    let start = std::time::Instant::now();
    let recs = crate::embed::run_all_limited(&targets, inputs, seed, record_limit);
    let mut bad = 0;
    for r in &recs {
        if r.unfinished {
            println!("{}: not embedded: {}", r.program, r.note);
        }
        if !r.violations.is_empty() || !r.faults.is_empty() {
            bad += 1;
            println!("{}", r.program);
            for v in r.violations.iter().chain(&r.faults).take(6) {
                println!("  {v}");
            }
        }
    }
    let accepted = recs.iter().filter(|r| r.accepted).count();
    let unfinished = recs.iter().filter(|r| r.unfinished).count();
    let runs: usize = recs.iter().map(|r| r.runs).sum();
    let steps: u64 = recs.iter().map(|r| r.steps).sum();
    let violations: usize = recs.iter().map(|r| r.violations.len()).sum();
    let faults: usize = recs.iter().map(|r| r.faults.len()).sum();
    println!(
        "{accepted} accepted of {} programs embedded ({unfinished} of them not recordable within the raised limits): {runs} runs, {steps} instructions checked, {violations} violations, {faults} faults, on {bad} programs ({:.1} s)",
        recs.len(),
        start.elapsed().as_secs_f64()
    );
    if let Some(out) = json {
        std::fs::write(&out, serde_json::to_string_pretty(&recs)?)?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn diff_states_cmd(
    path: &std::path::Path,
    section: Option<String>,
    prog_type: Option<String>,
    kernel_log: bool,
) -> Res {
    require_kernel()?;
    let ty = type_arg(&prog_type)?;
    for t in collect_targets(&[path.to_path_buf()], ty, &section).0 {
        if kernel_log {
            print!(
                "{}",
                crate::kernel::verify_btf(&t.prog, 2, t.btf.as_deref())?
                    .load
                    .log
            );
        }
        let d = crate::diff::states(&t.prog, t.btf.as_deref())?;
        println!("{}:{}/{}", t.object, t.section, t.program);
        for l in &d.differences {
            println!("  {l}");
        }
        println!(
            "  {} registers compared ({} pointers): {} equal, ours more precise on {}, less precise on {}, incomparable on {}",
            d.compared, d.pointers, d.equal, d.ours_more_precise, d.ours_less_precise, d.incomparable
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn diff_exec_cmd(
    paths: &[PathBuf],
    prog_type: Option<String>,
    data_hex: Option<String>,
) -> Res {
    use crate::kernel;
    require_kernel()?;
    let ty = type_arg(&prog_type)?;
    let data = match &data_hex {
        Some(h) => parse_hex(h).map_err(|e| format!("--data-hex: {e}"))?,
        None => crate::input::pattern(64),
    };
    let (mut same, mut differ, mut skipped) = (0, 0, 0);
    for t in collect_targets(paths, ty, &None).0 {
        let name = format!("{}:{}/{}", t.object, t.section, t.program);
        let k = kernel::verify_btf(&t.prog, 1, t.btf.as_deref())?;
        if !k.load.accepted() {
            println!("{name:<56} rejected by the kernel: {}", k.message);
            skipped += 1;
            continue;
        }
        match crate::campaign::compare_exec(&t, &k, std::slice::from_ref(&data)) {
            None => {
                println!("{name:<56} not run in both (no test run for this type, or our interpreter cannot load it)");
                skipped += 1;
            }
            Some(r) => {
                if r == "same" {
                    same += 1;
                } else {
                    differ += 1;
                }
                println!("{name:<56} {r}");
            }
        }
    }
    println!("{same} same, {differ} different, {skipped} not run");
    Ok(if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `tristate triage`: each program beside the live kernel as a campaign sets it (verdicts,
/// executions, state embedding, fault witnesses and the explanation of programs only we
/// accept).
pub fn triage_cmd(paths: &[PathBuf], prog_type: Option<String>, inputs: usize) -> Res {
    let kernel = crate::kernel::available().is_ok();
    if !kernel {
        println!("the live kernel is not available: our side only");
    }
    let ty = type_arg(&prog_type)?;
    let cfg = crate::campaign::Config::triage(kernel, inputs);
    let mut unexplained = 0;
    for (i, t) in collect_targets(paths, ty, &None).0.iter().enumerate() {
        let mut r = crate::campaign::blank_record(i as u64, "");
        crate::campaign::triage(&cfg, t, true, &mut r);
        println!(
            "{}:{}/{}: {} | ours: {} | kernel: {}{}{}",
            t.object,
            t.section,
            t.program,
            r.category,
            r.message,
            r.kernel_message,
            r.exec.map(|e| format!(" | exec {e}")).unwrap_or_default(),
            r.violations
                .first()
                .map(|v| format!(" | EMBEDDING {v}"))
                .unwrap_or_default()
        );
        if r.category == "we accept only" {
            println!(
                "    fault witness: {}; {}",
                r.witness.as_deref().unwrap_or("none"),
                r.explanation.as_deref().unwrap_or("UNEXPLAINED")
            );
            unexplained += r.explanation.is_none() as usize;
        }
    }
    Ok(if unexplained == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_compile(t: &crate::jitdiff::Tally) {
    println!(
        "  JIT compilation: {} instructions in {:.1} ms ({:.0} ns per instruction, fixed costs included)",
        t.compiled_insns,
        t.compile_ns as f64 / 1e6,
        t.compile_ns as f64 / t.compiled_insns.max(1) as f64
    );
}

/// `tristate jit-diff`: the JIT against the interpreter over PATHS and generated programs.
#[allow(clippy::too_many_arguments)]
pub fn jitdiff_cmd(
    paths: &[PathBuf],
    ty: Option<ProgType>,
    generated: u64,
    seed: u64,
    size: usize,
    mutate_every: u64,
    inputs: usize,
    jobs: usize,
    json: Option<PathBuf>,
) -> Res {
    use crate::jitdiff;
    if jobs > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .map_err(|e| e.to_string())?;
    }
    let mut parts = Vec::new();
    if !paths.is_empty() {
        let (targets, errors) = collect_targets(paths, ty, &None);
        let s = jitdiff::run_targets(&targets, inputs, seed);
        println!(
            "corpus: {} programs ({} unreadable files), {} runs ({} trusted), {} stopped early, {} instructions, {} mismatches, {:.1} s",
            s.tally.programs, errors, s.tally.runs, s.tally.trusted_runs, s.tally.stopped, s.tally.insns, s.mismatches.len(), s.seconds
        );
        print_compile(&s.tally);
        parts.push(("corpus", s));
    }
    if generated > 0 {
        let bar = indicatif::ProgressBar::new(generated);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let s = jitdiff::run_generated(seed, generated, size, mutate_every, inputs, &|d| {
            bar.set_position(d)
        });
        bar.finish_and_clear();
        println!(
            "generated: {} programs (seed {seed}), {} runs ({} trusted), {} stopped early, {} instructions, {} mismatches, {:.1} s ({:.0} programs/s)",
            s.tally.programs, s.tally.runs, s.tally.trusted_runs, s.tally.stopped, s.tally.insns, s.mismatches.len(), s.seconds,
            generated as f64 / s.seconds.max(1e-9)
        );
        print_compile(&s.tally);
        parts.push(("generated", s));
    }
    let mut bad = 0;
    for (_, s) in &parts {
        for m in s.mismatches.iter().take(20) {
            println!("MISMATCH {m}");
        }
        bad += s.mismatches.len();
    }
    if let Some(path) = json {
        let v: serde_json::Map<String, serde_json::Value> = parts
            .iter()
            .map(|(k, s)| (k.to_string(), serde_json::to_value(s).unwrap_or_default()))
            .collect();
        std::fs::write(&path, serde_json::to_string_pretty(&v)?)?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
