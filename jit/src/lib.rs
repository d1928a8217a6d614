//! The x86-64 JIT compiler: the second execution engine, checked against the interpreter.
//!
//! [`Jit::compile`] translates every program loaded in a [`Vm`] into one block of machine code
//! (the encoder is [`x86`]); [`Jit::run`] runs one of them on an input with the VM's memory,
//! maps and helpers, and returns the interpreter's [`Run`]: the same r0, memory contents,
//! faults and instruction counts. See `lower/` for the code it generates.
//!
//! Two memory modes: [`Mode::Checked`] checks every access inline against the memory regions
//! (for unverified programs: a bad access is the interpreter's `Fault`, never a host crash);
//! [`Mode::Trusted`] translates addresses without bounds checks, as the kernel's JIT trusts
//! the verifier (for programs the verifier accepted).

mod asm;
mod exec;
mod lower;
mod runtime;
pub mod x86;

use semantics::interp::{memory::region_base, Input, Outcome, Run, Vm, STACK_SIZE};
use std::time::{Duration, Instant};

/// How memory accesses are compiled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Bounds and permission checks inline; for any program.
    Checked,
    /// Address translation only; for programs the verifier accepted.
    Trusted,
}

/// What the verifier proved about the programs, which trusted mode uses to drop work.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Per program (by index): the slots of the memory instructions that only ever access
    /// the packet. Their address translation is one load of the packet's offset.
    pub packet: Vec<std::collections::BTreeSet<usize>>,
    /// Per program: the slots of the loads that only ever read the context. Their value
    /// comes from the context's bytes or fields without a call into the interpreter.
    pub ctx: Vec<std::collections::BTreeSet<usize>>,
}

/// Why a VM's programs could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum JitError {
    #[error("this processor lacks BMI2, which the JIT's shifts need")]
    NoBmi2,
    #[error("internal error: {0}")]
    Internal(String),
    #[error("cannot map executable memory: {0}")]
    Memory(#[from] std::io::Error),
}

/// The programs of one VM, compiled.
pub struct Jit {
    code: exec::ExecMem,
    enter: usize,
    /// Per variant, per program: the offset of its entry. Variant 0 is the only one, or with
    /// `input_role` the input-buffer variant; variant 1 the one without.
    starts: [Vec<usize>; 2],
    ctx: Box<runtime::Ctx>,
    /// The entries of the variant not in `ctx.entries`.
    alt_entries: Vec<Vec<u64>>,
    /// The variant whose entries are in `ctx.entries`.
    variant: usize,
    input_role: bool,
    mode: Mode,
    stats: Stats,
    /// Some program uses r10 (otherwise no run can observe the stack, and it need not be
    /// zeroed).
    uses_stack: bool,
}

/// What compilation took.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    /// BPF instructions compiled.
    pub insns: usize,
    /// Bytes of machine code, shared stubs included.
    pub code_bytes: usize,
    /// Counted loops given an unchecked copy (entered when the budget covers the whole
    /// loop), and how many of those copies are unrolled; summed over both variants when
    /// trusted mode compiles an input-buffer variant too.
    pub loop_copies: usize,
    pub unrolled_loops: usize,
    pub time: Duration,
}

impl Jit {
    /// Compiles every program loaded in `vm`.
    pub fn compile(vm: &Vm, mode: Mode) -> Result<Jit, JitError> {
        Jit::compile_with(vm, mode, &Facts::default())
    }

    /// Compiles every program loaded in `vm`, in trusted mode with the verifier's `facts`
    /// (ignored in checked mode).
    pub fn compile_with(vm: &Vm, mode: Mode, facts: &Facts) -> Result<Jit, JitError> {
        if !std::arch::is_x86_feature_detected!("bmi2") {
            return Err(JitError::NoBmi2);
        }
        let t0 = Instant::now();
        let mut a = asm::Asm::default();
        let shared = lower::shared(&mut a);
        let r10_fixed = !vm.progs.iter().any(|p| writes_r10(&p.decoded));
        let none = std::collections::BTreeSet::new();
        let packet_role = mode == Mode::Trusted && facts.packet.iter().any(|p| !p.is_empty());
        // The input-buffer variant: in trusted mode without packet facts, accesses through
        // pointers into the buffer r1 points to at the start (moved by constants) need no
        // translation when that buffer is a plain region; the other variant runs otherwise.
        let derived: Vec<Vec<u16>> = vm
            .progs
            .iter()
            .map(|p| lower::input_derived(&p.decoded, p.ops.len()))
            .collect();
        let input_role = mode == Mode::Trusted
            && !packet_role
            && vm
                .progs
                .iter()
                .zip(&derived)
                .any(|(p, d)| has_input_access(&p.decoded, d));
        let variants = if input_role { 2 } else { 1 };
        let mut lowered = [Vec::new(), Vec::new()];
        let mut insns = 0;
        let (mut loop_copies, mut unrolled_loops) = (0, 0);
        let mut ctx_loads = Vec::new();
        for (v, low_v) in lowered.iter_mut().enumerate().take(variants) {
            for (i, p) in vm.progs.iter().enumerate() {
                let packet = match mode {
                    Mode::Trusted => facts.packet.get(i).unwrap_or(&none),
                    Mode::Checked => &none,
                };
                let input = (input_role && v == 0).then_some(&derived[i][..]);
                let ctxf = match mode {
                    Mode::Trusted => facts.ctx.get(i).unwrap_or(&none),
                    Mode::Checked => &none,
                };
                let mut l = lower::Lower::new(
                    &mut a,
                    shared,
                    mode,
                    r10_fixed,
                    packet,
                    input,
                    ctxf,
                    &mut ctx_loads,
                );
                let low = l.program(&p.decoded, &p.imm64, &p.blocks, p.ops.len());
                if v == 0 {
                    insns += p.decoded.len();
                }
                loop_copies += low.loop_copies;
                unrolled_loops += low.unrolled_loops;
                low_v.push(low);
            }
        }
        let enter_label = shared.enter;
        let (buf, labels) = a.finish().map_err(JitError::Internal)?;
        let code = exec::ExecMem::new(&buf)?;
        let enter = labels_offset(&labels, enter_label);
        let mut ctx = runtime::Ctx::new();
        let mut starts = [Vec::new(), Vec::new()];
        let mut entries = [Vec::new(), Vec::new()];
        for v in 0..variants {
            for low in &lowered[v] {
                let e: Vec<u64> = low
                    .entries
                    .iter()
                    .map(|l| match l {
                        Some(l) => code.addr(labels_offset(&labels, *l)),
                        None => 0,
                    })
                    .collect();
                starts[v].push(labels_offset(
                    &labels,
                    low.entries[0].expect("slot 0 has an entry"),
                ));
                entries[v].push(e);
            }
        }
        for (i, low) in lowered[0].iter().enumerate() {
            ctx.blocks.push(low.rest.clone().into());
            ctx.segs.push(low.seg.clone().into());
            let mut ins = vec![None; low.rest.len()];
            for (pc, x) in vm.progs[i].decoded.iter() {
                ins[*pc] = Some(*x);
            }
            ctx.insns.push(ins);
        }
        ctx.entries = std::mem::take(&mut entries[0]);
        ctx.ctx_loads = ctx_loads;
        let alt_entries = std::mem::take(&mut entries[1]);
        let stats = Stats {
            insns,
            code_bytes: buf.len(),
            loop_copies,
            unrolled_loops,
            time: t0.elapsed(),
        };
        let uses_stack = vm.progs.iter().any(|p| mentions_r10(&p.decoded));
        Ok(Jit {
            code,
            enter,
            starts,
            ctx,
            alt_entries,
            variant: 0,
            input_role,
            mode,
            stats,
            uses_stack,
        })
    }

    /// The address of the compiled code (to inspect its mapping).
    pub fn code_address(&self) -> u64 {
        self.code.addr(0)
    }

    /// The machine code of all programs and stubs (to disassemble), and the offset of each
    /// program's entry in it.
    pub fn machine_code(&self) -> (&[u8], &[usize]) {
        (&self.code.bytes()[..self.stats.code_bytes], &self.starts[0])
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Runs program `prog` of `vm` (the VM compiled) on `input`, as `vm.run` would.
    pub fn run(&mut self, vm: &mut Vm, prog: usize, input: &Input) -> Run {
        self.run_repeat(vm, prog, input, 1)
    }

    /// Installs `input` once and runs program `prog` `repeat` times on the memory as the
    /// previous run left it (the stack zeroed and the registers reset each time), as
    /// BPF_PROG_TEST_RUN repeats a program; returns the last run. With `repeat` 1 this is
    /// `vm.run`.
    pub fn run_repeat(&mut self, vm: &mut Vm, prog: usize, input: &Input, repeat: u64) -> Run {
        let (r1, r2) = vm.install(input);
        if prog >= self.starts[0].len() || vm.progs.len() != self.starts[0].len() {
            let reason = if prog >= vm.progs.len() {
                format!("no program {prog}")
            } else {
                "the VM's programs changed after JIT compilation".to_string()
            };
            return Run {
                outcome: Outcome::Error { pc: 0, reason },
                insns: 0,
            };
        }
        let budget = vm.config.budget;
        let ctx = &mut *self.ctx;
        ctx.max_depth = vm.config.max_frames.min(8).saturating_sub(1) as u64;
        ctx.budget = budget;
        ctx.depth = 0;
        // The input-buffer variant runs when r1 points to the start of a plain region.
        let region = (r1 >> 32).wrapping_sub(1) as usize;
        let plain = r1 & 0xffff_ffff == 0
            && vm
                .mem
                .regions
                .get(region)
                .is_some_and(|r| r.live && r.fields.is_empty());
        let variant = if self.input_role && !plain { 1 } else { 0 };
        if variant != self.variant {
            std::mem::swap(&mut ctx.entries, &mut self.alt_entries);
            self.variant = variant;
        }
        ctx.input_region = (self.input_role && variant == 0).then_some(region);
        ctx.r1 = r1;
        ctx.refresh(vm);
        let enter: extern "C" fn(*mut runtime::Ctx, u64) -> u64 =
            // SAFETY: `enter` is the trampoline emitted by `lower::shared`, which follows the
            // C calling convention for (context, target) -> status.
            unsafe { std::mem::transmute(self.code.addr(self.enter) as usize) };
        let target = self.code.addr(self.starts[variant][prog]);
        let mut last = None;
        for _ in 0..repeat.max(1) {
            if self.uses_stack {
                vm.mem.regions[0].data.fill(0);
            }
            ctx.regs = [0; 12];
            ctx.regs[1] = r1;
            ctx.regs[2] = r2;
            ctx.regs[10] = region_base(0) + STACK_SIZE as u64;
            ctx.regs[11] = budget;
            ctx.depth = 0;
            ctx.frame = ctx.stack_host[0];
            ctx.jump = 0;
            ctx.prog = prog;
            ctx.tail_calls = 0;
            ctx.outcome = None;
            ctx.vm = vm as *mut Vm;
            let status = enter(ctx as *mut runtime::Ctx, target);
            ctx.vm = std::ptr::null_mut();
            last = Some(status);
        }
        if last == Some(runtime::EXITED) {
            Run {
                outcome: Outcome::Exit(ctx.regs[0]),
                insns: budget - ctx.regs[11],
            }
        } else {
            let (outcome, insns) = ctx.outcome.take().unwrap_or((
                Outcome::Error {
                    pc: 0,
                    reason: "internal: the JIT stopped without an outcome".into(),
                },
                0,
            ));
            Run { outcome, insns }
        }
    }
}

/// Whether a program has a load, store or atomic through a register that `derived` says
/// points into the input buffer.
fn has_input_access(insns: &[(usize, semantics::isa::Instruction)], derived: &[u16]) -> bool {
    use semantics::isa::Instruction as I;
    insns.iter().any(|(pc, i)| {
        let base = match i {
            I::Load { src, .. } => src.num(),
            I::Store { dst, .. } | I::Atomic { dst, .. } => dst.num(),
            _ => return false,
        };
        derived.get(*pc).is_some_and(|m| m & (1 << base) != 0)
    })
}

/// Whether a program mentions r10 at all.
fn mentions_r10(insns: &[(usize, semantics::isa::Instruction)]) -> bool {
    insns.iter().any(|(_, i)| {
        let (u, d) = i.uses_defs();
        (u | d) & (1 << 10) != 0
    })
}

fn labels_offset(labels: &[Option<usize>], l: asm::Label) -> usize {
    labels[l.index()].unwrap_or(0)
}

/// Whether a program may write r10 (not a verified one: then stack accesses at constant
/// offsets from r10 cannot skip the checks).
fn writes_r10(insns: &[(usize, semantics::isa::Instruction)]) -> bool {
    insns.iter().any(|(_, i)| i.uses_defs().1 & (1 << 10) != 0)
}
