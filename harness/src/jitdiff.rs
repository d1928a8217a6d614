//! The JIT against the interpreter: the same program on the same inputs in two identical VMs,
//! one run by the reference interpreter and one by the JIT; the outcome, the instruction count
//! and everything the run can change (all memory regions, map contents, helper output, the
//! helpers' random state) must be equal after every run.

use crate::rng::Rng;
use crate::verify::Target;
use rayon::prelude::*;
use semantics::elf::ProgType;
use semantics::interp::{Config, Input, Vm};
use std::sync::atomic::{AtomicU64, Ordering};

/// What one comparison covered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Programs compared.
    pub programs: u64,
    /// Runs compared (each engine ran each).
    pub runs: u64,
    /// Runs that ended in a fault, out of budget, or another non-exit outcome.
    pub stopped: u64,
    /// Runs compared with the JIT in trusted mode (programs the verifier accepted).
    pub trusted_runs: u64,
    /// BPF instructions executed by the interpreter over all runs.
    pub insns: u64,
    /// BPF instructions the JIT compiled, and the time it took (every compilation, both
    /// modes).
    pub compiled_insns: u64,
    pub compile_ns: u64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.programs += o.programs;
        self.runs += o.runs;
        self.stopped += o.stopped;
        self.trusted_runs += o.trusted_runs;
        self.insns += o.insns;
        self.compiled_insns += o.compiled_insns;
        self.compile_ns += o.compile_ns;
    }
}

/// The first difference between the two engines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub program: String,
    pub mode: jit::Mode,
    /// Which run (0-based) of the program.
    pub run: usize,
    pub what: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({:?} JIT), run {}: {}",
            self.program, self.mode, self.run, self.what
        )
    }
}

/// The first difference between two VMs after a run, if any.
fn state_difference(a: &Vm, b: &Vm) -> Option<String> {
    if a.mem.regions.len() != b.mem.regions.len() {
        return Some(format!(
            "{} memory regions vs {}",
            a.mem.regions.len(),
            b.mem.regions.len()
        ));
    }
    for (i, (x, y)) in a.mem.regions.iter().zip(&b.mem.regions).enumerate() {
        if x.data != y.data || x.live != y.live || x.writable != y.writable || x.kind != y.kind {
            let at = x
                .data
                .iter()
                .zip(&y.data)
                .position(|(p, q)| p != q)
                .unwrap_or(x.data.len().min(y.data.len()));
            return Some(format!(
                "region {i} ({:?}) differs at byte {at} (lengths {} and {})",
                x.kind,
                x.data.len(),
                y.data.len()
            ));
        }
    }
    if a.maps != b.maps {
        return Some("map state differs".into());
    }
    if a.env.trace != b.env.trace {
        return Some("helper output (printk, perf, ring buffer) differs".into());
    }
    if a.env.rng != b.env.rng || a.env.time_ns != b.env.time_ns {
        return Some("helper random or clock state differs".into());
    }
    if a.packet_region != b.packet_region || a.env.meta_len != b.env.meta_len {
        return Some("packet placement differs".into());
    }
    None
}

/// The JIT facts of a program our verifier accepted (loaded as program 0 of its VM): the
/// memory instructions that only access the packet, and those that only access the context.
pub fn facts(v: &verifier::Verdict) -> jit::Facts {
    let packet = v
        .access
        .iter()
        .filter(|(_, k)| **k == verifier::verdict::access::PACKET)
        .map(|(pc, _)| *pc)
        .collect();
    let ctx = v
        .access
        .iter()
        .filter(|(_, k)| **k == verifier::verdict::access::CTX)
        .map(|(pc, _)| *pc)
        .collect();
    jit::Facts {
        packet: vec![packet],
        ctx: vec![ctx],
    }
}

/// Runs `vm`'s program `prog` on every input in the interpreter and in the JIT (compiled in
/// `mode`), each engine on its own copy of `vm`, and compares after every run.
pub fn compare_vm(
    name: &str,
    vm: &Vm,
    prog: usize,
    inputs: &[Input],
    mode: jit::Mode,
) -> Result<Tally, Mismatch> {
    compare_vm_with(name, vm, prog, inputs, mode, &jit::Facts::default())
}

/// `compare_vm` with the verifier's facts for trusted mode.
pub fn compare_vm_with(
    name: &str,
    vm: &Vm,
    prog: usize,
    inputs: &[Input],
    mode: jit::Mode,
    facts: &jit::Facts,
) -> Result<Tally, Mismatch> {
    let mismatch = |run: usize, what: String| Mismatch {
        program: name.to_string(),
        mode,
        run,
        what,
    };
    let mut interp = vm.clone();
    let mut jitted = vm.clone();
    let mut j =
        jit::Jit::compile_with(&jitted, mode, facts).map_err(|e| mismatch(0, e.to_string()))?;
    let st = j.stats();
    let mut t = Tally {
        programs: 1,
        compiled_insns: st.insns as u64,
        compile_ns: st.time.as_nanos() as u64,
        ..Tally::default()
    };
    for (n, inp) in inputs.iter().enumerate() {
        let a = interp.run(prog, inp);
        let b = j.run(&mut jitted, prog, inp);
        if a != b {
            return Err(mismatch(
                n,
                format!(
                    "interpreter {:?} after {} instructions, JIT {:?} after {}",
                    a.outcome, a.insns, b.outcome, b.insns
                ),
            ));
        }
        if let Some(d) = state_difference(&interp, &jitted) {
            return Err(mismatch(n, d));
        }
        t.runs += 1;
        t.insns += a.insns;
        if mode == jit::Mode::Trusted {
            t.trusted_runs += 1;
        }
        if !matches!(a.outcome, semantics::interp::Outcome::Exit(_)) {
            t.stopped += 1;
        }
    }
    Ok(t)
}

/// The budgets runs are given: mostly the embedding's, sometimes a small one, so that runs
/// also stop at every kind of place for lack of budget.
fn budget(rng: &mut Rng) -> u64 {
    match rng.below(4) {
        0 => 1 + rng.below(64),
        1 => 1 + rng.below(4096),
        _ => 1_000_000,
    }
}

/// A VM with `t` loaded and its array maps randomised, and `inputs` inputs for it.
fn setup(t: &Target, inputs: usize, rng: &mut Rng) -> Option<(Vm, usize, Vec<Input>)> {
    let pt = ProgType::from_u32(t.prog_type).unwrap_or(ProgType::SocketFilter);
    let config = Config {
        budget: budget(rng),
        seed: rng.next_u64(),
        strict_helpers: false,
        ..Config::default()
    };
    let mut vm = Vm::new(config, &t.maps);
    let id = vm.load(&t.program, &t.prog.slots).ok()?;
    crate::embed::randomise_maps(&mut vm, rng);
    let ins = (0..inputs).map(|_| crate::embed::input(pt, rng)).collect();
    Some((vm, id, ins))
}

/// Compares the engines on one target: always with the JIT in checked mode, and in trusted
/// mode too when our verifier accepts the program. Targets the interpreter cannot load
/// count as nothing.
pub fn compare_target(t: &Target, inputs: usize, seed: u64) -> Result<Tally, Mismatch> {
    let mut rng = Rng::new(seed);
    let Some((vm, id, ins)) = setup(t, inputs, &mut rng) else {
        return Ok(Tally::default());
    };
    let name = format!("{}:{}", t.object, t.program);
    let mut tally = compare_vm(&name, &vm, id, &ins, jit::Mode::Checked)?;
    let opts = verifier::Options::for_this_machine();
    let v = verifier::verify(&t.prog, &opts);
    if v.accepted {
        let tr = compare_vm_with(&name, &vm, id, &ins, jit::Mode::Trusted, &facts(&v))?;
        tally.runs += tr.runs;
        tally.trusted_runs += tr.trusted_runs;
        tally.stopped += tr.stopped;
        tally.insns += tr.insns;
        tally.compiled_insns += tr.compiled_insns;
        tally.compile_ns += tr.compile_ns;
    }
    Ok(tally)
}

/// The summary of a differential run.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub tally: Tally,
    pub mismatches: Vec<String>,
    pub seconds: f64,
}

/// Compares the engines on `targets`, in parallel.
pub fn run_targets(targets: &[Target], inputs: usize, seed: u64) -> Summary {
    let start = std::time::Instant::now();
    let results: Vec<Result<Tally, Mismatch>> = targets
        .par_iter()
        .enumerate()
        .map(|(i, t)| compare_target(t, inputs, seed ^ (i as u64).wrapping_mul(0x9e37_79b9)))
        .collect();
    summarise(results, start)
}

fn summarise(results: Vec<Result<Tally, Mismatch>>, start: std::time::Instant) -> Summary {
    let mut s = Summary::default();
    for r in results {
        match r {
            Ok(t) => s.tally.add(&t),
            Err(m) => s.mismatches.push(m.to_string()),
        }
    }
    s.seconds = start.elapsed().as_secs_f64();
    s
}

/// Compares the engines on `count` generated programs (`crate::gen`, seed `seed`, one in
/// `mutate_every` mutated so that it breaks a rule), `inputs` runs each, in parallel.
/// `progress` is called with the number of programs done so far.
pub fn run_generated(
    seed: u64,
    count: u64,
    size: usize,
    mutate_every: u64,
    inputs: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Summary {
    let start = std::time::Instant::now();
    let done = AtomicU64::new(0);
    let results: Vec<Result<Tally, Mismatch>> = (0..count)
        .into_par_iter()
        .map(|i| {
            let g = crate::gen::generate(seed, i, size, mutate_every);
            let r = match crate::campaign::target_of(&g, &format!("gen-{seed}-{i}")) {
                Ok(t) => compare_target(&t, inputs, seed ^ i.wrapping_mul(0x2545_f491_4f6c_dd1d)),
                Err(_) => Ok(Tally::default()),
            };
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            if d.is_multiple_of(1000) {
                progress(d);
            }
            r
        })
        .collect();
    summarise(results, start)
}
