//! `cargo run -p proofs --release -- [--width N] [--only OP]... [--skip OP]... [--timeout S] [--json OUT]`:
//! proves every transfer function of the verifier's domains sound with Z3 and prints a table
//! of theorem x width x {proved, counterexample, timeout} with the time of each. Exits 1 when
//! any theorem has a counterexample.

use clap::Parser;
use proofs::{run, theorems};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Z3 proofs that the verifier's abstract operators are sound")]
struct Args {
    /// Prove on words of this many bits only (64, 32, 16 or 8). Without it, each theorem is
    /// tried at 64 bits and, on a timeout, at 32, then 16, then 8.
    #[arg(long)]
    width: Option<u32>,
    /// Only the theorems whose name contains this (for example `mul`, `alu64 add`, `branch`;
    /// repeatable: any of them).
    #[arg(long)]
    only: Vec<String>,
    /// Leave out the theorems whose name contains this (repeatable).
    #[arg(long)]
    skip: Vec<String>,
    /// Seconds Z3 may spend on one theorem at one width (the measured starting widths
    /// assume 30).
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
    /// List the theorems and what they cover, without proving.
    #[arg(long)]
    list: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut ths = theorems::all();
    if !args.only.is_empty() {
        ths.retain(|t| args.only.iter().any(|f| t.name.contains(f.as_str())));
    }
    ths.retain(|t| !args.skip.iter().any(|s| t.name.contains(s.as_str())));
    // A compositional proof holds only with what it assumes: run those too.
    let all = theorems::all();
    let mut i = 0;
    while i < ths.len() {
        for u in ths[i].uses.clone() {
            if !ths.iter().any(|t| t.name == u) {
                if let Some(t) = all.iter().find(|t| t.name == u) {
                    ths.push(t.clone());
                }
            }
        }
        i += 1;
    }
    if ths.is_empty() {
        eprintln!(
            "no theorem matches --only {:?} --skip {:?}",
            args.only, args.skip
        );
        return ExitCode::from(2);
    }
    if args.list {
        for t in &ths {
            println!("{:<28} {:>3}  {}", t.name, t.width, t.covers.join(", "));
        }
        return ExitCode::SUCCESS;
    }
    let widths: Vec<u32> = match args.width {
        Some(w) if theorems::BITS.contains(&w) => vec![w],
        Some(w) => {
            eprintln!("--width {w}: the widths are {:?}", theorems::BITS);
            return ExitCode::from(2);
        }
        None => theorems::BITS.to_vec(),
    };
    let timeout = Duration::from_secs_f64(args.timeout);
    let t0 = Instant::now();
    eprintln!(
        "{} theorems, {} threads, {} s per attempt",
        ths.len(),
        rayon::current_num_threads(),
        args.timeout
    );
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = ths.len();
    let outcomes = run::prove_all(&ths, &widths, timeout, &|o| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        eprintln!("[{n}/{total}] {}", run::line(o));
    });
    println!("{}", run::header());
    for o in &outcomes {
        println!("{}", run::line(o));
    }
    let full = outcomes.iter().filter(|o| o.sound_bits == Some(64)).count();
    let narrower: Vec<&run::Outcome> = outcomes
        .iter()
        .filter(|o| o.sound_bits.is_some_and(|b| b < 64))
        .collect();
    let cex: Vec<&run::Outcome> = outcomes
        .iter()
        .filter(|o| o.counterexample().is_some())
        .collect();
    let open = outcomes.len() - full - narrower.len() - cex.len();
    println!(
        "{} theorems: {full} hold at full width, {} at a narrower width only, {} counterexamples, {open} unproved; {:.1} s",
        outcomes.len(),
        narrower.len(),
        cex.len(),
        t0.elapsed().as_secs_f64()
    );
    if !narrower.is_empty() {
        let list: Vec<String> = narrower
            .iter()
            .map(|o| {
                format!(
                    "{} ({} bits)",
                    o.theorem,
                    o.op_bits(o.sound_bits.unwrap_or(0))
                )
            })
            .collect();
        println!("narrower: {}", list.join(", "));
    }
    for o in outcomes.iter().filter(|o| !o.why_narrow.is_empty()) {
        let widest = o.attempts.first().map_or(0, |a| o.op_bits(a.bits));
        println!(
            "{}: not tried above {widest} bits: {}",
            o.theorem, o.why_narrow
        );
    }
    for o in &cex {
        if let Some(a) = o.counterexample() {
            println!(
                "counterexample to {} ({} bits): {}",
                o.theorem,
                a.bits,
                a.counterexample.as_deref().unwrap_or("")
            );
        }
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&outcomes).expect("outcomes serialise");
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if cex.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
