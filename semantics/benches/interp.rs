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
    ("straight_line_500", include_str!("../../examples/straight_line.s")),
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
        let Outcome::Exit(ours) = first.outcome else { panic!("{name}: {:?}", first.outcome) };
        let rb = rbpf::EbpfVmRaw::new(Some(&bytes)).expect("rbpf accepts the program");
        let mut m = mem.clone();
        let theirs = rb.execute_program(&mut m).expect("rbpf runs the program");
        assert_eq!(ours, theirs, "{name}: the two interpreters disagree");

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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
