//! Nanoseconds per abstract operation on 64-bit scalars: `cargo bench -p verifier --bench
//! domain`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use semantics::isa::{AluOp, JmpCond, Width};
use verifier::domain::{Scalar, Tnum};

fn operands() -> (Scalar<u64>, Scalar<u64>) {
    let mut a = Scalar::unknown(&0u64);
    a.umax = 1000;
    let a = a.sync();
    let b = Scalar::from_tnum(&Tnum::new(0x10, 0x0f));
    (a, b)
}

fn bench(c: &mut Criterion) {
    let (a, b) = operands();
    let mut g = c.benchmark_group("scalar");
    for op in [
        AluOp::Add,
        AluOp::Sub,
        AluOp::Mul,
        AluOp::And,
        AluOp::Xor,
        AluOp::Lsh,
        AluOp::Div,
        AluOp::Mov,
    ] {
        g.bench_function(format!("{op:?}64"), |bch| {
            bch.iter(|| black_box(&a).alu(op, Width::W64, black_box(&b)))
        });
    }
    g.bench_function("Add32", |bch| {
        bch.iter(|| black_box(&a).alu(AluOp::Add, Width::W32, black_box(&b)))
    });
    g.bench_function("sync", |bch| bch.iter(|| black_box(&a).sync()));
    g.bench_function("branch Lt", |bch| {
        bch.iter(|| black_box(&a).branch(JmpCond::Lt, Width::W64, black_box(&b)))
    });
    g.bench_function("join", |bch| bch.iter(|| black_box(&a).join(black_box(&b))));
    g.bench_function("is_subsumed_by", |bch| {
        bch.iter(|| black_box(&a).is_subsumed_by(black_box(&b)))
    });
    g.bench_function("tnum mul", |bch| {
        bch.iter(|| black_box(&a.var_off).mul(black_box(&b.var_off)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(1)).warm_up_time(std::time::Duration::from_millis(300));
    targets = bench
}
criterion_main!(benches);
