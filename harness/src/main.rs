//! `tristate`: the command-line program of the workbench.

use clap::{Parser, Subcommand, ValueEnum};
use harness::conformance::{self, Engine};
use harness::input::{self, Prog};
use semantics::decode::decode_all;
use semantics::interp::{Config, CtxLayout, Input, Outcome, Vm};
use semantics::text::print::Flavor;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tristate",
    version,
    about = "A workbench for BPF verification research"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum Syntax {
    /// As `llvm-objdump -d` prints.
    Llvm,
    /// As the kernel verifier log prints.
    Kernel,
    /// The bpf_conformance assembler syntax.
    Conformance,
}

#[derive(Clone, Copy, ValueEnum)]
enum JitModeArg {
    Checked,
    Trusted,
}

#[derive(Clone, Copy, ValueEnum)]
enum CtxKind {
    /// From the program type: `xdp_md` for XDP, `__sk_buff` for socket filters, tc and
    /// cgroup skb programs; otherwise a plain buffer (r1 = data, r2 = length).
    Auto,
    None,
    Mem,
    Skb,
    Xdp,
}

#[derive(Subcommand)]
enum Cmd {
    /// Disassemble an ELF object, a raw program, a `.data` test or an assembly file.
    Disasm {
        file: PathBuf,
        /// Only the program with this function or section name.
        #[arg(long)]
        program: Option<String>,
        #[arg(long, value_enum, default_value = "llvm")]
        syntax: Syntax,
    },
    /// Assemble a text file (pseudo-C, or conformance syntax) into raw instruction bytes.
    Asm {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Run a program in the reference interpreter and print r0, the instruction count and any
    /// fault.
    Run {
        file: PathBuf,
        #[arg(long)]
        program: Option<String>,
        /// Input bytes from a file.
        #[arg(long, conflicts_with = "data_hex")]
        data: Option<PathBuf>,
        /// Input bytes in hexadecimal.
        #[arg(long)]
        data_hex: Option<String>,
        #[arg(long, value_enum, default_value = "auto")]
        ctx: CtxKind,
        /// Override the program type (for example `xdp`, `sched_cls`).
        #[arg(long = "type")]
        prog_type: Option<String>,
        /// Instruction budget.
        #[arg(long, default_value_t = 100_000_000)]
        budget: u64,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Run with the JIT instead of the interpreter.
        #[arg(long)]
        jit: bool,
        /// The JIT's memory mode (`trusted` only for programs the verifier accepted).
        #[arg(long, value_enum, default_value = "checked")]
        jit_mode: JitModeArg,
    },
    /// Run a bpf_conformance test directory.
    Conformance {
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "interp")]
        engine: Engine,
        /// Write `{"passed": N, "failed": M, "cases": [...]}` here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Read the directory as negative tests (bpf_conformance's `negative/`): each must fail
        /// as it states.
        #[arg(long)]
        negative: bool,
    },
    /// List the fuzz targets (`fuzz/fuzz_targets/NAME.rs`), one per line.
    FuzzTargets,
    /// Write the fuzz targets' seed corpora (`OUT/TARGET/seed-N`) from the shared corpora,
    /// and the opcode dictionary (`--dict`).
    FuzzSeeds {
        out: PathBuf,
        /// The shared corpora (conformance tests, kernel selftests, ebpf-samples).
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Also write the libFuzzer dictionary here.
        #[arg(long)]
        dict: Option<PathBuf>,
    },
    /// Measure the precision of the scalar domain exhaustively at 8 bits: per operation, the
    /// share of inputs where the result is the best abstraction, and the mean ratio of
    /// |γ(ours)| to |γ(best)|.
    DomainPrecision {
        #[arg(long, default_value_t = 8)]
        bits: u32,
        /// Random interval pairs besides the enumeration of every tnum.
        #[arg(long, default_value_t = 20_000)]
        random: usize,
    },
    /// Verify programs: ELF objects, folders of them (recursively, in parallel), raw
    /// programs or assembly files. Exit 0 if all are accepted, 1 if any is rejected, 2 on
    /// errors.
    Verify {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Only programs of this section (or function name).
        #[arg(long)]
        section: Option<String>,
        /// The program type (overrides the section name's).
        #[arg(long = "type")]
        prog_type: Option<String>,
        #[arg(long, default_value_t = 0)]
        log_level: u32,
        #[arg(long)]
        unprivileged: bool,
        /// Write one record per program here.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Set our verdicts beside the live kernel's (bpf(BPF_PROG_LOAD) on this machine).
    Diff {
        #[command(subcommand)]
        what: DiffCmd,
    },
    /// Verify the ebpf-samples corpus with the program types of its kernel-6.18-verdicts.csv
    /// and print the agreement with the kernel and the verification times.
    Samples {
        #[arg(default_value = "../shared/corpus/ebpf-samples")]
        dir: PathBuf,
        #[arg(long)]
        json: Option<PathBuf>,
        /// List every disagreement.
        #[arg(long)]
        show: bool,
    },
    /// Run the kernel's test_verifier selftests (the JSON data set) through our verifier and
    /// print the agreement with the Linux 6.18 verdicts.
    Selftests {
        file: PathBuf,
        /// Write one record per test and the summary here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// List every disagreement.
        #[arg(long)]
        show: bool,
        /// Only the test with this id (prints our log at level 2).
        #[arg(long)]
        id: Option<u64>,
    },
    /// State embedding: run every program the verifier accepts on generated inputs and check
    /// that each live register and stack slot stays inside the verifier's states at every
    /// instruction. Exit 1 on any violation or fault.
    Embed {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long = "type")]
        prog_type: Option<String>,
        /// Only programs of this section (or function name).
        #[arg(long)]
        section: Option<String>,
        /// Runs per program.
        #[arg(long, default_value_t = 32)]
        inputs: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The most instructions a recording run (exact pruning) may process.
        #[arg(long, default_value_t = harness::embed::RECORD_INSN_LIMIT)]
        record_limit: u64,
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// A differential campaign: generate programs, verify them with ours and the live
    /// kernel's verifier, run the accepted ones in both, embed them in our states; minimise
    /// every disagreement into a regression file.
    Campaign {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 10_000)]
        count: u64,
        /// Worker threads (default: one per CPU).
        #[arg(long, default_value_t = 0)]
        jobs: usize,
        /// Stop after this many minutes.
        #[arg(long)]
        minutes: Option<f64>,
        /// Statements per program.
        #[arg(long, default_value_t = 24)]
        size: usize,
        /// One program in N breaks a rule (0: none).
        #[arg(long, default_value_t = 4)]
        mutate_every: u64,
        /// Embedding runs per program we accept.
        #[arg(long, default_value_t = 4)]
        inputs: usize,
        /// Where regression files go.
        #[arg(long, default_value = "regressions")]
        out: PathBuf,
        /// Do not minimise disagreements or write regression files.
        #[arg(long)]
        no_minimise: bool,
        /// Only our verifier, interpreter and embedding (no bpf()).
        #[arg(long)]
        no_kernel: bool,
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// The JIT against the interpreter: every program of PATHS and GENERATED generated ones
    /// run in both engines on the same inputs (checked mode; trusted mode too for programs
    /// our verifier accepts); exit 1 on any difference in outcome, instruction count, memory
    /// or maps.
    JitDiff {
        paths: Vec<PathBuf>,
        #[arg(long = "type")]
        prog_type: Option<String>,
        /// Generated programs to compare besides PATHS.
        #[arg(long, default_value_t = 0)]
        generated: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Statements per generated program.
        #[arg(long, default_value_t = 24)]
        size: usize,
        /// One generated program in N breaks a rule (0: none).
        #[arg(long, default_value_t = 4)]
        mutate_every: u64,
        /// Runs per program.
        #[arg(long, default_value_t = 4)]
        inputs: usize,
        #[arg(long, default_value_t = 0)]
        jobs: usize,
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Set programs beside the live kernel as a campaign does: verdicts, executions, state
    /// embedding, and for programs only we accept a fault-witness search and an explanation.
    /// Exit 1 if a program only we accept is unexplained.
    Triage {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long = "type")]
        prog_type: Option<String>,
        #[arg(long, default_value_t = 16)]
        inputs: usize,
    },
    /// Print one generated program (as `campaign` makes it).
    Gen {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 0)]
        index: u64,
        #[arg(long, default_value_t = 24)]
        size: usize,
        #[arg(long, default_value_t = 4)]
        mutate_every: u64,
    },
    /// Run the bundled example programs (examples/) and check their stated results.
    Demo {
        #[arg(long, default_value = "examples")]
        dir: PathBuf,
    },
}

#[derive(clap::Subcommand)]
enum DiffCmd {
    /// Run each program the kernel accepts in our interpreter and in the kernel
    /// (BPF_PROG_TEST_RUN) on the same packet, and compare the 32-bit return values.
    Exec {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long = "type")]
        prog_type: Option<String>,
        /// The packet, in hex (default: 64 bytes of a fixed pattern).
        #[arg(long)]
        data_hex: Option<String>,
    },
    /// At each instruction, our abstract scalar registers beside the kernel's from its
    /// level-2 log (first path reaching it in both), flagged more precise, less precise or
    /// incomparable.
    States {
        path: PathBuf,
        #[arg(long)]
        section: Option<String>,
        #[arg(long = "type")]
        prog_type: Option<String>,
        /// Also print the kernel's level-2 log.
        #[arg(long)]
        kernel_log: bool,
    },
    /// Our verdict and the kernel's for each program, side by side, with messages,
    /// processed instructions and both verification times.
    Verdict {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long = "type")]
        prog_type: Option<String>,
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.cmd) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

use harness::commands::{
    campaign_cmd, collect_targets, diff_exec_cmd, diff_states_cmd, diff_verdict_cmd, embed_cmd,
    parse_hex, require_kernel, type_arg, Res,
};

fn select(progs: Vec<Prog>, name: &Option<String>) -> Result<Vec<Prog>, String> {
    match name {
        None => Ok(progs),
        Some(n) => {
            let v: Vec<Prog> = progs
                .into_iter()
                .filter(|p| {
                    p.name == *n
                        || p.name.ends_with(&format!("/{n}"))
                        || p.name.starts_with(&format!("{n}/"))
                })
                .collect();
            if v.is_empty() {
                Err(format!("no program called `{n}`"))
            } else {
                Ok(v)
            }
        }
    }
}

fn run(cmd: Cmd) -> Res {
    match cmd {
        Cmd::Disasm {
            file,
            program,
            syntax,
        } => {
            let progs = select(input::read(&file)?, &program)?;
            for p in progs {
                println!("{}:", p.name);
                let d = decode_all(&p.insns).map_err(|e| format!("{}: {e}", p.name))?;
                match syntax {
                    Syntax::Llvm => print!(
                        "{}",
                        semantics::text::print::print_program(&d.insns, Flavor::Llvm)
                    ),
                    Syntax::Kernel => print!(
                        "{}",
                        semantics::text::print::print_program(&d.insns, Flavor::Kernel)
                    ),
                    Syntax::Conformance => {
                        let ins: Vec<_> = d.insns.iter().map(|(_, i)| *i).collect();
                        print!("{}", semantics::text::conformance::print_program(&ins));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Asm { file, output } => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let conf = text.lines().any(|l| {
                !l.trim_start().starts_with(';')
                    && !l.trim_start().starts_with('#')
                    && l.contains("%r")
            });
            let insns = if conf {
                semantics::text::assemble_conformance(&text)
            } else {
                semantics::text::assemble(&text)
            }
            .map_err(|e| format!("{}: {e}", file.display()))?;
            std::fs::write(&output, semantics::insn::insns_to_bytes(&insns))
                .map_err(|e| format!("{}: {e}", output.display()))?;
            println!(
                "{} instructions slots written to {}",
                insns.len(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run {
            file,
            program,
            data,
            data_hex,
            ctx,
            prog_type,
            budget,
            seed,
            jit,
            jit_mode,
        } => {
            let mut progs = select(input::read(&file)?, &program)?;
            if progs.len() != 1 {
                let names: Vec<String> = progs.iter().map(|p| p.name.clone()).collect();
                return Err(format!(
                    "{} programs; choose one with --program: {}",
                    names.len(),
                    names.join(", ")
                )
                .into());
            }
            let mut p = progs.remove(0);
            if let Some(t) = type_arg(&prog_type)? {
                p.prog_type = Some(t);
            }
            let bytes = match (data, data_hex) {
                (Some(f), _) => {
                    Some(std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?)
                }
                (None, Some(h)) => Some(parse_hex(&h)?),
                (None, None) => p.default_input.clone(),
            };
            let inp = make_input(&p, ctx, bytes.unwrap_or_default());
            let config = Config {
                budget,
                seed,
                ..Config::default()
            };
            let engine = jit.then_some(match jit_mode {
                JitModeArg::Checked => jit::Mode::Checked,
                JitModeArg::Trusted => jit::Mode::Trusted,
            });
            let (run, _vm) = execute(&p, config, &inp, engine)?;
            println!("program: {}", p.name);
            report(&run);
            Ok(match run.outcome {
                Outcome::Exit(_) => ExitCode::SUCCESS,
                _ => ExitCode::from(2),
            })
        }
        Cmd::Conformance {
            dir,
            engine,
            json,
            negative,
        } => {
            let mode = if negative {
                conformance::Mode::Negative
            } else {
                conformance::Mode::Positive
            };
            let s = conformance::run_dir(&dir, engine, mode)?;
            for c in s.cases.iter().filter(|c| !c.passed) {
                println!("FAIL {}: expected {}, got {:?}", c.file, c.expected, c.got);
            }
            println!(
                "passed {} failed {} ({})",
                s.passed,
                s.failed,
                dir.display()
            );
            if let Some(j) = json {
                std::fs::write(&j, serde_json::to_string_pretty(&s)?)
                    .map_err(|e| format!("{}: {e}", j.display()))?;
            }
            Ok(if s.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Cmd::Demo { dir } => harness::demo::run(&dir),
        Cmd::Selftests {
            file,
            json,
            show,
            id,
        } => selftests_cmd(&file, json, show, id),
        Cmd::Verify {
            paths,
            section,
            prog_type,
            log_level,
            unprivileged,
            json,
        } => verify_cmd(&paths, section, prog_type, log_level, unprivileged, json),
        Cmd::Samples { dir, json, show } => samples_cmd(&dir, json, show),
        Cmd::Campaign {
            seed,
            count,
            jobs,
            minutes,
            size,
            mutate_every,
            inputs,
            out,
            no_minimise,
            no_kernel,
            json,
        } => {
            let kernel = !no_kernel;
            if kernel {
                require_kernel()?;
            }
            let cfg = harness::campaign::Config {
                seed,
                count,
                jobs,
                minutes,
                size,
                mutate_every,
                inputs,
                out: (!no_minimise).then_some(out),
                kernel,
            };
            campaign_cmd(&cfg, json)
        }
        Cmd::JitDiff {
            paths,
            prog_type,
            generated,
            seed,
            size,
            mutate_every,
            inputs,
            jobs,
            json,
        } => harness::commands::jitdiff_cmd(
            &paths,
            type_arg(&prog_type)?,
            generated,
            seed,
            size,
            mutate_every,
            inputs,
            jobs,
            json,
        ),
        Cmd::Triage {
            paths,
            prog_type,
            inputs,
        } => harness::commands::triage_cmd(&paths, prog_type, inputs),
        Cmd::Gen {
            seed,
            index,
            size,
            mutate_every,
        } => {
            let g = harness::gen::generate(seed, index, size, mutate_every);
            if let Some(m) = g.mutation {
                println!("; mutation: {}", m.name());
            }
            print!("{}", g.text);
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Embed {
            paths,
            prog_type,
            section,
            inputs,
            seed,
            record_limit,
            json,
        } => embed_cmd(&paths, prog_type, section, inputs, seed, record_limit, json),
        Cmd::Diff {
            what:
                DiffCmd::Verdict {
                    paths,
                    prog_type,
                    json,
                },
        } => diff_verdict_cmd(&paths, prog_type, json),
        Cmd::Diff {
            what:
                DiffCmd::Exec {
                    paths,
                    prog_type,
                    data_hex,
                },
        } => diff_exec_cmd(&paths, prog_type, data_hex),
        Cmd::Diff {
            what:
                DiffCmd::States {
                    path,
                    section,
                    prog_type,
                    kernel_log,
                },
        } => diff_states_cmd(&path, section, prog_type, kernel_log),
        Cmd::FuzzTargets => {
            for t in harness::fuzzing::seeds::TARGETS {
                println!("{t}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::FuzzSeeds { out, corpus, dict } => {
            if !corpus.is_dir() {
                return Err(format!("{}: no corpus folder there", corpus.display()).into());
            }
            let counts = harness::fuzzing::seeds::write(&out, &corpus)
                .map_err(|e| format!("{}: {e}", out.display()))?;
            for (target, n) in counts {
                println!(
                    "{target:<18} {n:>6} seeds in {}",
                    out.join(target).display()
                );
            }
            if let Some(d) = dict {
                std::fs::write(&d, harness::fuzzing::seeds::dictionary())
                    .map_err(|e| format!("{}: {e}", d.display()))?;
                println!("dictionary: {}", d.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::DomainPrecision { bits, random } => {
            if bits != 8 {
                return Err(format!(
                    "--bits {bits}: only 8 is supported (the domain is enumerated exhaustively)"
                )
                .into());
            }
            println!(
                "{:<16} {:>9} {:>8} {:>10}   {:>8} {:>8} {:>8} {:>8}",
                "operation",
                "inputs",
                "best",
                "|γ|/best",
                "vs kernel: more",
                "equal",
                "less",
                "incomparable"
            );
            for r in verifier::domain::precision::measure(random) {
                let n = r.inputs.max(1) as f64;
                let k = match r.vs_kernel {
                    Some([m, e, l, i]) => format!(
                        "{:>7.1}% {:>7.1}% {:>7.1}% {:>7.1}%",
                        100.0 * m as f64 / n,
                        100.0 * e as f64 / n,
                        100.0 * l as f64 / n,
                        100.0 * i as f64 / n
                    ),
                    None => "(no kernel model yet)".to_string(),
                };
                println!(
                    "{:<16} {:>9} {:>7.1}% {:>10.3}   {}",
                    r.name,
                    r.inputs,
                    100.0 * r.best as f64 / n,
                    r.ratio_sum / n,
                    k
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn make_input(p: &Prog, ctx: CtxKind, bytes: Vec<u8>) -> Input {
    harness::demo::input_for(
        p.prog_type,
        match ctx {
            CtxKind::Auto => None,
            CtxKind::None => Some(harness::demo::Ctx::None),
            CtxKind::Mem => Some(harness::demo::Ctx::Mem),
            CtxKind::Skb => Some(harness::demo::Ctx::Packet(CtxLayout::SkBuff)),
            CtxKind::Xdp => Some(harness::demo::Ctx::Packet(CtxLayout::Xdp)),
        },
        bytes,
    )
}

fn execute(
    p: &Prog,
    config: Config,
    inp: &Input,
    engine: Option<jit::Mode>,
) -> Result<(semantics::interp::Run, Vm), String> {
    let mut vm = Vm::new(config, &p.maps);
    let id = vm
        .load(&p.name, &p.insns)
        .map_err(|e| format!("{}: {e}", p.name))?;
    let run = match engine {
        None => vm.run(id, inp),
        Some(mode) => {
            let mut facts = jit::Facts::default();
            if mode == jit::Mode::Trusted {
                let prog = verifier::Program {
                    slots: p.insns.clone(),
                    prog_type: p.prog_type.map(|t| t as u32).unwrap_or(0),
                    expected_attach_type: 0,
                    maps: p.maps.iter().map(verifier::MapInfo::from_def).collect(),
                    strict_alignment: false,
                    global_funcs: Vec::new(),
                };
                let v = verifier::verify(&prog, &verifier::Options::for_this_machine());
                if !v.accepted {
                    return Err(format!(
                        "{}: the verifier rejects the program, so it cannot run in trusted mode: {}",
                        p.name,
                        v.message
                    ));
                }
                facts = harness::jitdiff::facts(&v);
            }
            let mut j = jit::Jit::compile_with(&vm, mode, &facts)
                .map_err(|e| format!("{}: {e}", p.name))?;
            let s = j.stats();
            eprintln!(
                "jit: {} instructions compiled to {} bytes in {:.1} us ({:.0} ns per instruction); {} counted loop(s) with an unchecked copy, {} unrolled",
                s.insns,
                s.code_bytes,
                s.time.as_secs_f64() * 1e6,
                s.time.as_secs_f64() * 1e9 / s.insns.max(1) as f64,
                s.loop_copies,
                s.unrolled_loops
            );
            if let Ok(path) = std::env::var("TRISTATE_JIT_DUMP") {
                let (code, starts) = j.machine_code();
                std::fs::write(&path, code).map_err(|e| format!("{path}: {e}"))?;
                eprintln!(
                    "jit: machine code written to {path}; program entry at offset {:#x}",
                    starts[id]
                );
            }
            j.run(&mut vm, id, inp)
        }
    };
    Ok((run, vm))
}

fn report(run: &semantics::interp::Run) {
    match &run.outcome {
        Outcome::Exit(r0) => println!("r0: {r0:#x} ({r0})"),
        Outcome::Fault(f) => println!("fault: {f}"),
        other => println!("stopped: {other:?}"),
    }
    println!("instructions: {}", run.insns);
}

fn selftests_cmd(
    file: &std::path::Path,
    json: Option<PathBuf>,
    show: bool,
    id: Option<u64>,
) -> Res {
    use harness::selftests;
    let mut cases = selftests::load(file)?;
    let mut opts = verifier::Options::for_this_machine();
    if let Some(id) = id {
        cases.retain(|c| c.id == id);
        opts.log_level = 2;
    }
    let start = std::time::Instant::now();
    let verdicts = selftests::run(&cases, &opts);
    let elapsed = start.elapsed();
    if id.is_some() {
        for (c, v) in cases.iter().zip(&verdicts) {
            println!("#{} {}\n{}", c.id, c.name, v.log);
            println!(
                "kernel: {} ({})\n{}",
                if c.kernel_accepts { "accept" } else { "reject" },
                c.category,
                c.kernel_log_tail
            );
        }
    }
    let a = selftests::agreement(&cases, &verdicts);
    if show {
        for (c, v) in cases.iter().zip(&verdicts) {
            if c.usable() && c.kernel_accepts != v.accepted {
                let kmsg = c.kernel_log_tail.lines().last().unwrap_or("");
                println!(
                    "#{:<5} {:<60} kernel {:<6} ours {:<6} {} | kernel: {}",
                    c.id,
                    c.name.chars().take(60).collect::<String>(),
                    if c.kernel_accepts { "accept" } else { "reject" },
                    if v.accepted { "accept" } else { "reject" },
                    v.message,
                    kmsg
                );
            }
        }
    }
    println!(
        "{} of {} usable tests agree ({:.1}%): both accept {}, both reject {}, we reject only {}, we accept only {}; {} tests in {:.2} s",
        a.agree(),
        a.usable,
        100.0 * a.agree() as f64 / a.usable.max(1) as f64,
        a.both_accept,
        a.both_reject,
        a.we_reject_only,
        a.we_accept_only,
        cases.len(),
        elapsed.as_secs_f64()
    );
    if let Some(out) = json {
        let records: Vec<serde_json::Value> = cases
            .iter()
            .zip(&verdicts)
            .map(|(c, v)| {
                serde_json::json!({
                    "id": c.id, "name": c.name, "usable": c.usable(),
                    "kernel": if c.kernel_accepts { "accept" } else { "reject" },
                    "ours": if v.accepted { "accept" } else { "reject" },
                    "pc": v.pc, "message": v.message,
                    "processed_insns": v.stats.processed_insns,
                })
            })
            .collect();
        let doc = serde_json::json!({"summary": a, "tests": records});
        std::fs::write(&out, serde_json::to_string_pretty(&doc)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn verify_cmd(
    paths: &[PathBuf],
    section: Option<String>,
    prog_type: Option<String>,
    log_level: u32,
    unprivileged: bool,
    json: Option<PathBuf>,
) -> Res {
    use harness::verify;
    let ty = type_arg(&prog_type)?;
    let (targets, errors) = collect_targets(paths, ty, &section);
    let opts = verifier::Options {
        unprivileged,
        log_level,
        ..verifier::Options::for_this_machine()
    };
    let verdicts = verify::run(&targets, &opts);
    let mut rejected = 0;
    let mut records = Vec::new();
    println!(
        "{:<50} {:<14} {:>8} {:>9} {:>9}  message",
        "program", "type", "verdict", "insns", "time(us)"
    );
    for (t, v) in targets.iter().zip(&verdicts) {
        if log_level > 0 {
            print!("{}", v.log);
        }
        let name = format!("{}:{}/{}", t.object, t.section, t.program);
        let tyname = semantics::elf::ProgType::from_u32(t.prog_type)
            .map(|p| p.name())
            .unwrap_or("?");
        if !v.accepted {
            rejected += 1;
        }
        let msg = match v.pc {
            Some(pc) => format!("{pc}: {}", v.message),
            None => String::new(),
        };
        println!(
            "{:<50} {:<14} {:>8} {:>9} {:>9}  {}",
            name,
            tyname,
            if v.accepted { "accept" } else { "reject" },
            v.stats.processed_insns,
            v.stats.time_us,
            msg
        );
        records.push(serde_json::json!({
            "object": t.object, "section": t.section, "program": t.program,
            "prog_type": tyname,
            "verdict": if v.accepted { "accept" } else { "reject" },
            "pc": v.pc, "message": v.message,
            "processed_insns": v.stats.processed_insns,
            "total_states": v.stats.total_states,
            "peak_states": v.stats.peak_states,
            "verification_time_us": v.stats.time_us,
            "machine_dependent": v.stats.machine_dependent,
        }));
    }
    if let Some(out) = json {
        std::fs::write(&out, serde_json::to_string_pretty(&records)?)?;
    }
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn samples_cmd(dir: &std::path::Path, json: Option<PathBuf>, show: bool) -> Res {
    let opts = verifier::Options::for_this_machine();
    let start = std::time::Instant::now();
    let recs = harness::verify::samples(dir, &opts)?;
    let wall = start.elapsed();
    let ka: Vec<_> = recs.iter().filter(|r| r.kernel == "accept").collect();
    let kr: Vec<_> = recs.iter().filter(|r| r.kernel == "reject").collect();
    let agree_a = ka.iter().filter(|r| r.ours == "accept").count();
    let agree_r = kr.iter().filter(|r| r.ours == "reject").count();
    if show {
        for r in &recs {
            if r.kernel != r.ours {
                println!(
                    "{}:{}/{} {} kernel {} ours {} {:?}: {} | kernel: {}",
                    r.object,
                    r.section,
                    r.program,
                    r.prog_type,
                    r.kernel,
                    r.ours,
                    r.pc,
                    r.message,
                    r.kernel_message
                );
            }
        }
    }
    let ours_us: u64 = recs.iter().map(|r| r.time_us).sum();
    let kernel_us: u64 = recs.iter().map(|r| r.kernel_time_us).sum();
    let fewer = recs
        .iter()
        .filter(|r| r.kernel == "accept" && r.ours == "accept" && r.processed <= r.kernel_processed)
        .count();
    println!(
        "kernel-accepted programs we accept: {agree_a} of {} ({:.1}%); kernel-rejected we reject: {agree_r} of {}",
        ka.len(),
        100.0 * agree_a as f64 / ka.len().max(1) as f64,
        kr.len()
    );
    println!(
        "verification time: ours {:.3} s summed ({:.3} s wall), kernel {:.3} s summed; processed insns no higher than the kernel's on {fewer} of {agree_a} programs both accept",
        ours_us as f64 / 1e6,
        wall.as_secs_f64(),
        kernel_us as f64 / 1e6
    );
    if let Some(out) = json {
        std::fs::write(&out, serde_json::to_string_pretty(&recs)?)?;
    }
    Ok(ExitCode::SUCCESS)
}
