//! The execution engines side by side on the four benchmark programs of `examples/` (a 100k
//! iteration ALU loop, a byte sum over a 1,500-byte packet, 500 instructions of straight-line
//! code, a division/modulo loop):
//!
//! - group `NAME`: the program as written, run by our interpreter, our JIT (trusted and
//!   checked memory), and the `rbpf` crate's interpreter and JIT;
//! - group `NAME/kernel-form`: the program in a form the Linux verifier accepts
//!   (the program itself as a socket filter, or `examples/kernel/`: the ALU loop with 90,000
//!   iterations, the byte sum as an XDP program that checks `data_end`), run by our JIT, our interpreter and the kernel's JIT. The
//!   kernel's time is the duration BPF_PROG_TEST_RUN reports (the mean of `repeat` runs, on
//!   CPU 0); without bpf() that function is skipped with a note.
//!
//! Our JIT is timed as the kernel's is: `tristate_jit_*` installs the input once and repeats
//! the program (`Jit::run_repeat`, the stack zeroed and registers reset per run), like
//! BPF_PROG_TEST_RUN's `repeat`; `tristate_jit_trusted_fresh_input` installs the input before
//! every run, as `Vm::run` does. Compile time per instruction of our JIT is printed before
//! the groups.
//!
//! Before each group, `paired` prints the comparison that the targets are judged on: ours
//! and theirs interleaved in 31 rounds, the median per-run times and the median ratio.
//!
//! Run: `cargo bench -p harness --bench engines` (a filter that names a program, for example
//! `-- byte_sum_1500/kernel-form`, runs that program's groups and comparisons only).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use harness::input::read_asm;
use semantics::insn::insns_to_bytes;
use semantics::interp::{Config, CtxLayout, Input, Outcome, Vm};
use std::path::Path;
use std::time::Duration;

const PROGRAMS: [(&str, &str, &str); 4] = [
    (
        "alu_loop",
        include_str!("../../examples/alu_loop.s"),
        include_str!("../../examples/kernel/alu_loop.s"),
    ),
    (
        "byte_sum_1500",
        include_str!("../../examples/byte_sum.s"),
        include_str!("../../examples/kernel/byte_sum.s"),
    ),
    // These two load in the kernel as they are (as socket filters).
    (
        "straight_line_500",
        include_str!("../../examples/straight_line.s"),
        include_str!("../../examples/straight_line.s"),
    ),
    (
        "divmod_loop",
        include_str!("../../examples/divmod_loop.s"),
        include_str!("../../examples/divmod_loop.s"),
    ),
];

fn packet(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + 3) as u8).collect()
}

fn jit_for(vm: &Vm, mode: jit::Mode) -> jit::Jit {
    jit::Jit::compile(vm, mode).expect("the JIT compiles the benchmark program")
}

fn bench(c: &mut Criterion) {
    // A filter that names programs (`cargo bench -p harness --bench engines -- byte_sum`)
    // also limits the paired comparisons, which run outside criterion, to those programs.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let named = |name: &str| filters.iter().any(|f| f.contains(name));
    let any_named = PROGRAMS.iter().any(|(n, _, _)| named(n));
    for (name, text, kernel_text) in PROGRAMS {
        if any_named && !named(name) {
            continue;
        }
        plain_group(c, name, text);
        kernel_group(c, name, kernel_text);
    }
}

/// The program as written: our engines and rbpf's, on a 1,500-byte buffer in r1.
fn plain_group(c: &mut Criterion, name: &str, text: &str) {
    let slots = semantics::text::assemble(text).expect("benchmark program assembles");
    let bytes = insns_to_bytes(&slots);
    let mem = packet(1500);
    let input = Input::Mem(mem.clone());
    let mut vm = Vm::new(Config::default(), &[]);
    let id = vm.load(name, &slots).expect("benchmark program loads");
    let first = vm.run(id, &input);
    let Outcome::Exit(ours) = first.outcome else {
        panic!("{name}: {:?}", first.outcome)
    };
    let mut trusted = jit_for(&vm, jit::Mode::Trusted);
    let mut checked = jit_for(&vm, jit::Mode::Checked);
    let s = trusted.stats();
    println!(
        "{name}: JIT compile time {:.1} us for {} instructions ({:.0} ns per instruction), {} bytes of code",
        s.time.as_secs_f64() * 1e6,
        s.insns,
        s.time.as_secs_f64() * 1e9 / s.insns as f64,
        s.code_bytes
    );
    let mut vm_t = vm.clone();
    let mut vm_c = vm.clone();
    for (j, v) in [(&mut trusted, &mut vm_t), (&mut checked, &mut vm_c)] {
        let r = j.run(v, id, &input);
        assert_eq!(r, first, "{name}: the JIT and the interpreter disagree");
    }
    let mut rb = rbpf::EbpfVmRaw::new(Some(&bytes)).expect("rbpf accepts the program");
    rb.jit_compile().expect("rbpf's JIT compiles the program");
    let mut m = mem.clone();
    // SAFETY: rbpf's JIT runs the program on `m`, which it reads within bounds here.
    let theirs = unsafe { rb.execute_program_jit(&mut m) }.expect("rbpf's JIT runs it");
    assert_eq!(ours, theirs, "{name}: rbpf's JIT disagrees");

    let reps = rounds_reps(first.insns);
    paired(
        name,
        "tristate_jit_trusted vs rbpf_jit",
        reps,
        |n| repeated(&mut trusted, &mut vm_t, id, &input, n),
        |n| {
            let t = std::time::Instant::now();
            for _ in 0..n {
                // SAFETY: as above.
                std::hint::black_box(unsafe { rb.execute_program_jit(&mut m) }.ok());
            }
            t.elapsed()
        },
    );

    let mut g = c.benchmark_group(name);
    g.bench_function(BenchmarkId::new("tristate_jit_trusted", first.insns), |b| {
        b.iter_custom(|iters| repeated(&mut trusted, &mut vm_t, id, &input, iters))
    });
    g.bench_function(BenchmarkId::new("tristate_jit_checked", first.insns), |b| {
        b.iter_custom(|iters| repeated(&mut checked, &mut vm_c, id, &input, iters))
    });
    g.bench_function(
        BenchmarkId::new("tristate_jit_trusted_fresh_input", first.insns),
        |b| b.iter(|| std::hint::black_box(trusted.run(&mut vm_t, id, &input).outcome)),
    );
    g.bench_function(BenchmarkId::new("tristate_interp", first.insns), |b| {
        b.iter(|| std::hint::black_box(vm.run(id, &input).outcome))
    });
    g.bench_function(BenchmarkId::new("rbpf_jit", first.insns), |b| {
        // SAFETY: as above.
        b.iter(|| std::hint::black_box(unsafe { rb.execute_program_jit(&mut m) }.ok()))
    });
    g.bench_function(BenchmarkId::new("rbpf_interp", first.insns), |b| {
        b.iter(|| std::hint::black_box(rb.execute_program(&mut m).ok()))
    });
    g.finish();
}

/// The kernel form: our JIT and interpreter beside the kernel's JIT on the same program.
fn kernel_group(c: &mut Criterion, name: &str, text: &str) {
    let p = read_asm(Path::new(name), text).expect("kernel form reads");
    let ty = p
        .prog_type
        .unwrap_or(semantics::elf::ProgType::SocketFilter);
    let layout = harness::demo::layout_of(ty).unwrap_or(CtxLayout::SkBuff);
    let data = packet(1500);
    let input = Input::Packet {
        layout,
        data: data.clone(),
    };
    let mut vm = Vm::new(Config::default(), &p.maps);
    let id = vm.load(name, &p.insns).expect("kernel form loads");
    let first = vm.run(id, &input);
    let Outcome::Exit(ours) = first.outcome else {
        panic!("{name}: {:?}", first.outcome)
    };
    let prog = verifier::Program {
        slots: p.insns.clone(),
        prog_type: ty as u32,
        expected_attach_type: 0,
        maps: Vec::new(),
        strict_alignment: false,
        global_funcs: Vec::new(),
    };
    let v = verifier::verify(&prog, &verifier::Options::for_this_machine());
    assert!(
        v.accepted,
        "{name}: our verifier rejects the kernel form: {}",
        v.message
    );
    let facts = harness::jitdiff::facts(&v);
    let mut trusted = jit::Jit::compile_with(&vm, jit::Mode::Trusted, &facts)
        .expect("the JIT compiles the kernel form");
    let mut vm_t = vm.clone();
    assert_eq!(trusted.run(&mut vm_t, id, &input), first);

    let mut g = c.benchmark_group(format!("{name}/kernel-form"));
    g.bench_function(BenchmarkId::new("tristate_jit_trusted", first.insns), |b| {
        b.iter_custom(|iters| repeated(&mut trusted, &mut vm_t, id, &input, iters))
    });
    g.bench_function(
        BenchmarkId::new("tristate_jit_trusted_fresh_input", first.insns),
        |b| b.iter(|| std::hint::black_box(trusted.run(&mut vm_t, id, &input).outcome)),
    );
    g.bench_function(BenchmarkId::new("tristate_interp", first.insns), |b| {
        b.iter(|| std::hint::black_box(vm.run(id, &input).outcome))
    });
    match kernel_prog(ty as u32, &p.insns) {
        Ok(fd) => {
            let r = harness::kernel::test_run(&fd, &data, 1).expect("BPF_PROG_TEST_RUN");
            assert_eq!(
                r.retval as u64,
                ours & 0xffff_ffff,
                "{name}: the kernel computes another result"
            );
            let reps = rounds_reps(first.insns);
            paired(
                name,
                "tristate_jit_trusted vs kernel_jit (kernel form)",
                reps,
                |n| repeated(&mut trusted, &mut vm_t, id, &input, n),
                |n| {
                    let r = harness::kernel::test_run(&fd, &data, n as u32).expect("test run");
                    Duration::from_nanos(r.duration_ns as u64 * n)
                },
            );
            g.bench_function(BenchmarkId::new("kernel_jit", first.insns), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    let mut left = iters;
                    while left > 0 {
                        let n = left.min(1 << 20) as u32;
                        let r = harness::kernel::test_run(&fd, &data, n).expect("test run");
                        total += Duration::from_nanos(r.duration_ns as u64 * n as u64);
                        left -= n as u64;
                    }
                    total
                })
            });
        }
        Err(why) => println!("{name}: kernel JIT skipped: {why}"),
    }
    g.finish();
}

/// `iters` runs of our JIT the way BPF_PROG_TEST_RUN repeats a program: the input installed
/// once, then the program run `iters` times (`Jit::run_repeat`).
fn repeated(j: &mut jit::Jit, vm: &mut Vm, id: usize, input: &Input, iters: u64) -> Duration {
    let t = std::time::Instant::now();
    let r = j.run_repeat(vm, id, input, iters);
    let d = t.elapsed();
    assert!(matches!(r.outcome, Outcome::Exit(_)), "{:?}", r.outcome);
    d
}

/// Runs per round of `paired`: about 3 M instructions.
fn rounds_reps(insns: u64) -> u64 {
    (3_000_000 / insns.max(1)).clamp(1, 100_000)
}

/// Ours and theirs in 31 interleaved rounds of `reps` runs each, robust to the drifts of a
/// shared machine: prints the median time per run of each and the median of the per-round
/// ratios theirs / ours (above 1: ours is faster).
fn paired(
    name: &str,
    what: &str,
    reps: u64,
    mut ours: impl FnMut(u64) -> Duration,
    mut theirs: impl FnMut(u64) -> Duration,
) {
    let (mut a, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..31 {
        let x = ours(reps).as_secs_f64() / reps as f64;
        let y = theirs(reps).as_secs_f64() / reps as f64;
        a.push(x);
        b.push(y);
        r.push(y / x);
    }
    for v in [&mut a, &mut b, &mut r] {
        v.sort_by(|p, q| p.partial_cmp(q).unwrap_or(std::cmp::Ordering::Equal));
    }
    println!(
        "{name}: {what}: {:.3} us vs {:.3} us per run; ratio (theirs / ours) median {:.2}x, min {:.2}x, max {:.2}x over 31 interleaved rounds of {reps} runs",
        a[15] * 1e6,
        b[15] * 1e6,
        r[15],
        r[0],
        r[30]
    );
}

fn kernel_prog(
    prog_type: u32,
    insns: &[semantics::insn::Insn],
) -> Result<std::os::fd::OwnedFd, String> {
    harness::kernel::available()?;
    let l = harness::kernel::prog_load(prog_type, insns, 0);
    l.fd.ok_or_else(|| format!("the kernel refused the program: {}", l.log))
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
