//! The reference interpreter beside the `rbpf` crate's interpreter on the four benchmark
//! programs of `examples/`: a 100k-iteration ALU loop, a byte sum over a 1,500-byte packet,
//! 500 instructions of straight-line code, and a division/modulo loop.
//!
//! Run: `cargo bench -p semantics --bench interp`. Throughput is in executed BPF instructions
//! per second (criterion's "elem/s").

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use semantics::insn::insns_to_bytes;
use semantics::interp::{Config, Input, Outcome, Vm};

const PROGRAMS: [(&str, &str); 4] = [
    ("alu_loop", include_str!("../../examples/alu_loop.s")),
    ("byte_sum_1500", include_str!("../../examples/byte_sum.s")),
    (
        "straight_line_500",
        include_str!("../../examples/straight_line.s"),
    ),
    ("divmod_loop", include_str!("../../examples/divmod_loop.s")),
];

fn packet() -> Vec<u8> {
    (0..1500usize).map(|i| (i * 7 + 3) as u8).collect()
}

fn bench(c: &mut Criterion) {
    for (name, text) in PROGRAMS {
        let slots = semantics::text::assemble(text).expect("benchmark program assembles");
        let bytes = insns_to_bytes(&slots);
        let mem = packet();
        let input = Input::Mem(mem.clone());
        let mut vm = Vm::new(Config::default(), &[]);
        let id = vm.load(name, &slots).expect("benchmark program loads");
        let first = vm.run(id, &input);
        let Outcome::Exit(ours) = first.outcome else {
            panic!("{name}: {:?}", first.outcome)
        };
        let rb = rbpf::EbpfVmRaw::new(Some(&bytes)).expect("rbpf accepts the program");
        let mut m = mem.clone();
        let theirs = rb.execute_program(&mut m).expect("rbpf runs the program");
        assert_eq!(ours, theirs, "{name}: the two interpreters disagree");

        paired_ratio(name, &mut vm, id, &input, &rb, &mut m, first.insns);

        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(first.insns));
        g.bench_function(BenchmarkId::new("tristate_interp", first.insns), |b| {
            b.iter(|| {
                let r = vm.run(id, &input);
                std::hint::black_box(r.outcome)
            })
        });
        g.bench_function(BenchmarkId::new("rbpf_interp", first.insns), |b| {
            b.iter(|| {
                let r = rb.execute_program(&mut m);
                std::hint::black_box(r.ok())
            })
        });
        g.finish();
    }
}

/// The throughput ratio measured in interleaved rounds (ours, then rbpf's, 31 times), which
/// is robust to the slow drifts of a shared machine: the median of the per-round ratios.
fn paired_ratio(
    name: &str,
    vm: &mut Vm,
    id: usize,
    input: &Input,
    rb: &rbpf::EbpfVmRaw,
    m: &mut [u8],
    insns: u64,
) {
    use std::time::Instant;
    let reps = (10_000_000 / insns).clamp(1, 5000);
    let mut ratios = Vec::new();
    for _ in 0..31 {
        let t = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(vm.run(id, input).outcome);
        }
        let ours = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(rb.execute_program(m).ok());
        }
        let theirs = t.elapsed().as_secs_f64();
        ratios.push(theirs / ours);
    }
    ratios.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let total = (reps * insns) as f64;
    println!(
        "{name}: tristate/rbpf throughput ratio, median of 31 interleaved rounds: {:.2}x (min {:.2}x, max {:.2}x; {:.0} M insns per round each)",
        ratios[15],
        ratios[0],
        ratios[30],
        total / 1e6
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
