//! Verification speed on the ebpf-samples corpus, beside the kernel: every program the
//! kernel verified, verified one after another on one thread (as the kernel's per-program
//! times are summed). Before criterion's measurement it prints our summed time and the
//! kernel's summed `verification_time_usec` from `kernel-6.18-verdicts.csv`, and how many
//! programs we process in no more instructions than the kernel.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;
use std::time::Instant;

fn corpus(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ebpf-samples");
    let jobs = harness::verify::sample_jobs(&dir).expect("the corpus loads");
    let opts = verifier::Options::default();
    let kernel_us: u64 = jobs.iter().map(|j| j.record.kernel_time_us).sum();
    // One warm-up pass, then the median of five summed passes.
    let mut sums = Vec::new();
    let mut fewer = 0;
    let mut both = 0;
    for pass in 0..6 {
        let start = Instant::now();
        for j in &jobs {
            let v = verifier::verify(&j.prog, &opts);
            if pass == 0 && v.accepted && j.record.kernel == "accept" {
                both += 1;
                if v.stats.processed_insns <= j.record.kernel_processed {
                    fewer += 1;
                }
            }
        }
        if pass > 0 {
            sums.push(start.elapsed().as_secs_f64());
        }
    }
    sums.sort_by(|a, b| a.partial_cmp(b).expect("times are numbers"));
    println!(
        "ebpf-samples, {} programs: ours {:.3} s summed (median of 5), the kernel's {:.3} s summed; {:.2}x; processed insns <= the kernel's on {fewer} of {both} programs both accept",
        jobs.len(),
        sums[2],
        kernel_us as f64 / 1e6,
        kernel_us as f64 / 1e6 / sums[2]
    );
    let mut g = c.benchmark_group("verify");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(30));
    g.bench_function("ebpf-samples (all programs, one thread)", |b| {
        b.iter(|| {
            for j in &jobs {
                criterion::black_box(verifier::verify(&j.prog, &opts));
            }
        })
    });
}

criterion_group!(benches, corpus);
criterion_main!(benches);
