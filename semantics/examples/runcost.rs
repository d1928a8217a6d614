//! Measures the fixed cost of a run and the cost per instruction of a program file:
//! `cargo run --release -p semantics --example runcost FILE.s`.
use semantics::interp::{Config, Input, Vm};
fn main() {
    let text =
        std::fs::read_to_string(std::env::args().nth(1).expect("a .s file")).expect("readable");
    let slots = semantics::text::assemble(&text).expect("assembles");
    let mut vm = Vm::new(Config::default(), &[]);
    let id = vm.load("x", &slots).expect("loads");
    let input = Input::Mem((0..1500usize).map(|i| i as u8).collect());
    let first = vm.run(id, &input).insns.max(1);
    let target: u64 = std::env::var("RUNCOST_INSNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000_000);
    let n = (target / first).clamp(3, 200_000);
    let t = std::time::Instant::now();
    let mut insns = 0;
    for _ in 0..n {
        insns += vm.run(id, &input).insns;
    }
    let el = t.elapsed();
    println!(
        "{:.1} ns/run, {:.2} ns/insn",
        el.as_nanos() as f64 / n as f64,
        el.as_nanos() as f64 / insns as f64
    );
}
