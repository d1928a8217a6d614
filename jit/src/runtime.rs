//! What compiled code sees at run time: the context block that r12 points to, and the Rust
//! functions compiled code calls for what it does not do itself. Those hand the instruction to
//! the interpreter ([`Vm::step_exact`]), so that helpers, faults, legacy packet loads and the
//! last instructions before the budget runs out have exactly the interpreter's semantics.

use semantics::interp::{memory::region_base, Outcome, Resume, Vm};

/// Regions whose index is below this have entries in the address tables; accesses to the
/// others take the slow path.
pub const CAP: usize = 4096;

/// Context loads of trusted code with their own entry in the context block (more take the
/// slow path).
pub const CTX_LOADS: usize = 256;

/// Status codes compiled code returns.
pub const EXITED: u64 = 0;
pub const ABORTED: u64 = 1;

/// The context block. Compiled code addresses its fields by their offsets (see
/// [`Offsets`]).
#[repr(C)]
pub struct Ctx {
    /// BPF r0..r10 while Rust code runs (spilled by compiled code), and the remaining
    /// budget at index 11.
    pub regs: [u64; 12],
    /// Call frames below the current one.
    pub depth: u64,
    /// The depth at which a further call exceeds the frame limit.
    pub max_depth: u64,
    /// The host stack pointer at entry, for leaving from any depth.
    pub host_rsp: u64,
    /// Where compiled code goes after a tail or indirect call (0: nowhere).
    pub jump: u64,
    /// The host address of the end of the current frame's stack (where r10 points).
    pub frame: u64,
    /// The host address of the end of each frame's stack.
    pub stack_host: [u64; 8],
    /// Per context load of trusted code (see `lower::Lower::ctx_load`): 0 the bytes answer
    /// it, 1 a field does (its value in `ctx_value`), 2 the interpreter must.
    pub ctx_kind: [u8; CTX_LOADS],
    pub ctx_value: [u64; CTX_LOADS],
    /// What r10 holds in trusted code: the offset (host - synthetic address) of the input
    /// buffer's region (`input_region`) or else of the packet's region, or 0.
    pub packet_load: u64,
    /// The budget while an unrolled loop uses r9.
    pub loop_budget: u64,
    /// Per region index + 1: readable and writable lengths (0 for a region that must go
    /// through the interpreter: freed, with special context fields, or absent), the host
    /// address of the first byte, and the differences host - synthetic address for loads
    /// and stores (0: slow path).
    pub len_read: [u64; CAP],
    pub len_write: [u64; CAP],
    pub base: [u64; CAP],
    pub delta_load: [u64; CAP],
    pub delta_store: [u64; CAP],
    // Rust-only fields below.
    /// The region r1 pointed to at the start, when the input-buffer variant runs.
    pub input_region: Option<usize>,
    /// r1 at the start of the run.
    pub r1: u64,
    /// The context loads compiled (offset, size), numbered as `ctx_kind`.
    pub ctx_loads: Vec<(u32, u32)>,
    pub vm: *mut Vm,
    pub prog: usize,
    pub tail_calls: u32,
    /// How the run ended, when Rust code ended it, and the instructions it counts.
    pub outcome: Option<(Outcome, u64)>,
    pub budget: u64,
    /// How many table entries hold something.
    pub filled: usize,
    /// Per program, per slot: the instructions a charge at the slot pays for, from it on.
    pub blocks: Vec<std::rc::Rc<[u32]>>,
    /// Per program, per slot: the instructions from the slot to the end of its segment.
    pub segs: Vec<std::rc::Rc<[u32]>>,
    /// Per program, per slot: the host address of the slot's budget-charging entry, or 0.
    pub entries: Vec<Vec<u64>>,
    /// Per program, per slot: the instruction that starts there.
    pub insns: Vec<Vec<Option<semantics::isa::Instruction>>>,
}

/// Field offsets for compiled code.
pub struct Offsets;

impl Offsets {
    pub const fn reg(i: usize) -> i32 {
        (std::mem::offset_of!(Ctx, regs) + 8 * i) as i32
    }
    pub const BUDGET: i32 = Offsets::reg(11);
    pub const DEPTH: i32 = std::mem::offset_of!(Ctx, depth) as i32;
    pub const MAX_DEPTH: i32 = std::mem::offset_of!(Ctx, max_depth) as i32;
    pub const HOST_RSP: i32 = std::mem::offset_of!(Ctx, host_rsp) as i32;
    pub const JUMP: i32 = std::mem::offset_of!(Ctx, jump) as i32;
    pub const FRAME: i32 = std::mem::offset_of!(Ctx, frame) as i32;
    pub const STACK_HOST: i32 = std::mem::offset_of!(Ctx, stack_host) as i32;
    pub const LOOP_BUDGET: i32 = std::mem::offset_of!(Ctx, loop_budget) as i32;
    pub const CTX_KIND: i32 = std::mem::offset_of!(Ctx, ctx_kind) as i32;
    pub const CTX_VALUE: i32 = std::mem::offset_of!(Ctx, ctx_value) as i32;
    pub const PACKET_LOAD: i32 = std::mem::offset_of!(Ctx, packet_load) as i32;
    pub const LEN_READ: i32 = std::mem::offset_of!(Ctx, len_read) as i32;
    pub const LEN_WRITE: i32 = std::mem::offset_of!(Ctx, len_write) as i32;
    pub const BASE: i32 = std::mem::offset_of!(Ctx, base) as i32;
    pub const DELTA_LOAD: i32 = std::mem::offset_of!(Ctx, delta_load) as i32;
    pub const DELTA_STORE: i32 = std::mem::offset_of!(Ctx, delta_store) as i32;
}

impl Ctx {
    pub fn new() -> Box<Ctx> {
        // SAFETY: every field is valid when zeroed except the Rust-only ones, which are
        // written before use below (without dropping the zeroed values).
        unsafe {
            let layout = std::alloc::Layout::new::<Ctx>();
            let p = std::alloc::alloc_zeroed(layout) as *mut Ctx;
            if p.is_null() {
                std::alloc::handle_alloc_error(layout);
            }
            std::ptr::addr_of_mut!((*p).vm).write(std::ptr::null_mut());
            std::ptr::addr_of_mut!((*p).outcome).write(None);
            std::ptr::addr_of_mut!((*p).input_region).write(None);
            std::ptr::addr_of_mut!((*p).ctx_loads).write(Vec::new());
            std::ptr::addr_of_mut!((*p).blocks).write(Vec::new());
            std::ptr::addr_of_mut!((*p).segs).write(Vec::new());
            std::ptr::addr_of_mut!((*p).entries).write(Vec::new());
            std::ptr::addr_of_mut!((*p).insns).write(Vec::new());
            Box::from_raw(p)
        }
    }

    /// Rebuilds the address tables from the VM's memory (after anything that may have added,
    /// freed or moved a region).
    pub fn refresh(&mut self, vm: &mut Vm) {
        let n = vm.mem.regions.len().min(CAP - 1);
        for (i, r) in vm.mem.regions.iter_mut().take(n).enumerate() {
            let t = i + 1;
            let plain = r.live && r.fields.is_empty() && !r.data.is_empty();
            let len = if plain { r.data.len() as u64 } else { 0 };
            let base = r.data.as_mut_ptr() as u64;
            let delta = base.wrapping_sub((t as u64) << 32);
            self.len_read[t] = len;
            self.len_write[t] = if r.writable { len } else { 0 };
            self.base[t] = base;
            self.delta_load[t] = if plain { delta } else { 0 };
            self.delta_store[t] = if plain && r.writable { delta } else { 0 };
        }
        for t in n + 1..=self.filled.min(CAP - 1) {
            self.len_read[t] = 0;
            self.len_write[t] = 0;
            self.base[t] = 0;
            self.delta_load[t] = 0;
            self.delta_store[t] = 0;
        }
        self.filled = n;
        for d in 0..8 {
            let r = &mut vm.mem.regions[d];
            self.stack_host[d] = r.data.as_mut_ptr() as u64 + r.data.len() as u64;
        }
        self.frame = self.stack_host[(self.depth as usize).min(7)];
        // Context loads: answered by a field, by the bytes, or (r1 is not the context's
        // start, or the bytes are not there) by the interpreter.
        let c = semantics::interp::CTX_REGION;
        let r = &vm.mem.regions[c];
        let at_ctx = self.r1 == region_base(c) && r.live;
        for (k, &(off, size)) in self.ctx_loads.iter().enumerate() {
            let field = r.fields.iter().find(|f| f.off == off && f.size == size);
            let in_bounds = (off + size) as usize <= r.data.len();
            (self.ctx_kind[k], self.ctx_value[k]) = match field {
                _ if !at_ctx || !in_bounds => (2, 0),
                Some(f) => (1, f.value),
                None => (0, 0),
            };
        }
        // The packet's offset, also when it is empty (a verified program then accesses
        // nothing through it).
        let p = self.input_region.unwrap_or(vm.packet_region);
        self.packet_load = match vm.mem.regions.get_mut(p) {
            Some(r) if r.live && r.fields.is_empty() => {
                (r.data.as_mut_ptr() as u64).wrapping_sub(((p + 1) as u64) << 32)
            }
            _ => 0,
        };
    }

    fn resume(&self, pc: usize) -> Resume {
        let mut regs = [0u64; 16];
        regs[..11].copy_from_slice(&self.regs[..11]);
        Resume {
            prog: self.prog,
            regs,
            pc,
            depth: self.depth as usize,
            tail_calls: self.tail_calls,
        }
    }

    /// Instructions executed when the run stops at `pc`: the blocks charged so far, less the
    /// rest of the block after `pc` (the interpreter's count).
    fn count_at(&self, pc: usize) -> u64 {
        let rest = self.blocks[self.prog]
            .get(pc)
            .map(|b| (*b as u64).saturating_sub(1))
            .unwrap_or(0);
        (self.budget - self.regs[11]).saturating_sub(rest)
    }

    fn abort(&mut self, o: Outcome, count: u64) -> u64 {
        self.outcome = Some((o, count));
        ABORTED
    }
}

/// Runs `f` on the context, turning a panic into an `Outcome::Error` (nothing unwinds into
/// compiled code).
fn guarded(ctx: *mut Ctx, pc: u64, f: impl FnOnce(&mut Ctx, &mut Vm) -> u64) -> u64 {
    // SAFETY: compiled code passes the context it was entered with; the VM outlives the run.
    let ctx = unsafe { &mut *ctx };
    let vm = unsafe { &mut *ctx.vm };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(ctx, vm)));
    match r {
        Ok(s) => s,
        Err(_) => {
            // SAFETY: as above; the closure's borrows ended with the panic.
            let ctx = unsafe { &mut *(ctx as *mut Ctx) };
            let count = ctx.budget - ctx.regs[11];
            ctx.abort(
                Outcome::Error {
                    pc: pc as usize,
                    reason: "internal error in the JIT runtime".into(),
                },
                count,
            )
        }
    }
}

/// One instruction the compiled code hands over: a memory access it could not do itself, an
/// atomic, a legacy packet load, or a helper or tail call.
pub extern "C" fn rt_step(ctx: *mut Ctx, pc: u64) -> u64 {
    guarded(ctx, pc, |ctx, vm| {
        let pc = pc as usize;
        // A load or store: straight to the memory model.
        if let Some(Some(ins)) = ctx.insns[ctx.prog].get(pc) {
            let mut regs = [0u64; 16];
            regs[..11].copy_from_slice(&ctx.regs[..11]);
            if let Some(r) = semantics::interp::memory::load_store(&mut vm.mem, ins, &mut regs, pc)
            {
                ctx.regs[..11].copy_from_slice(&regs[..11]);
                return match r {
                    Ok(()) => 0,
                    Err(f) => {
                        let count = ctx.count_at(pc);
                        ctx.abort(Outcome::Fault(f), count)
                    }
                };
            }
        }
        let mut st = ctx.resume(pc);
        let is_call = matches!(
            vm.progs[ctx.prog].ops.get(pc),
            Some(semantics::interp::ops::Op::Call(_) | semantics::interp::ops::Op::TailCall)
        );
        let (_, ended) = vm.step_exact(&mut st, 1);
        ctx.regs[..11].copy_from_slice(&st.regs[..11]);
        if let Some(o) = ended {
            let count = ctx.count_at(pc);
            return ctx.abort(o, count);
        }
        ctx.jump = 0;
        if is_call {
            if st.pc != pc + 1 {
                // A tail call: the next program starts, with its first block charged there.
                ctx.prog = st.prog;
                ctx.tail_calls = st.tail_calls;
                ctx.jump = ctx.entries[st.prog][st.pc];
            }
            ctx.refresh(vm);
        }
        0
    })
}

/// `callx`: a bpf-to-bpf call through a register (compiled code makes the frame and the call
/// when `jump` is set), or a helper by number, or an error.
pub extern "C" fn rt_callx(ctx: *mut Ctx, pc: u64) -> u64 {
    guarded(ctx, pc, |ctx, vm| {
        let pc = pc as usize;
        ctx.jump = 0;
        let Some(semantics::interp::ops::Op::CallX(r)) = vm.progs[ctx.prog].ops.get(pc).copied()
        else {
            let count = ctx.count_at(pc);
            return ctx.abort(
                Outcome::Error {
                    pc,
                    reason: "internal: callx expected".into(),
                },
                count,
            );
        };
        let v = ctx.regs[r as usize & 15];
        let base = region_base(semantics::interp::CODE_REGION);
        let len = vm.progs[ctx.prog].ops.len() as u64;
        if v >= base && v < base + len * 8 && (v - base).is_multiple_of(8) {
            let t = ((v - base) / 8) as usize;
            if ctx.depth >= ctx.max_depth {
                let count = ctx.count_at(pc);
                return ctx.abort(Outcome::CallDepthExceeded { pc }, count);
            }
            let e = ctx.entries[ctx.prog][t];
            if e == 0 {
                // The second slot of an LD_IMM64.
                let count = ctx.count_at(pc) + 1;
                return ctx.abort(
                    Outcome::Error {
                        pc: t,
                        reason: "executed the second slot of an LD_IMM64".into(),
                    },
                    count,
                );
            }
            ctx.jump = e;
            return 0;
        }
        // A helper by number, or an error: the interpreter's rules.
        let mut st = ctx.resume(pc);
        let (_, ended) = vm.step_exact(&mut st, 1);
        ctx.regs[..11].copy_from_slice(&st.regs[..11]);
        if let Some(o) = ended {
            let count = ctx.count_at(pc);
            return ctx.abort(o, count);
        }
        ctx.refresh(vm);
        0
    })
}

/// The budget cannot pay for the charge at `pc`. The interpreter runs the instructions of
/// the segment at `pc` one at a time: the budget runs out among them, or the segment ends
/// with a conditional jump (the charge covered the blocks after it too), and compiled code
/// goes on where the jump went, charging there.
pub extern "C" fn rt_exhausted(ctx: *mut Ctx, pc: u64) -> u64 {
    guarded(ctx, pc, |ctx, vm| {
        let pc = pc as usize;
        let remaining = ctx.regs[11];
        let seg = ctx.segs[ctx.prog].get(pc).copied().unwrap_or(0) as u64;
        let mut st = ctx.resume(pc);
        if remaining >= seg && seg > 0 {
            let (n, ended) = vm.step_exact(&mut st, seg);
            ctx.regs[..11].copy_from_slice(&st.regs[..11]);
            if let Some(o) = ended {
                let count = ctx.budget - remaining + n;
                return ctx.abort(o, count);
            }
            let next = ctx.entries[ctx.prog].get(st.pc).copied().unwrap_or(0);
            if next == 0 {
                let count = ctx.budget - remaining + n;
                return ctx.abort(
                    Outcome::Error {
                        pc: st.pc,
                        reason: "internal: no JIT entry after a stepped segment".into(),
                    },
                    count,
                );
            }
            ctx.regs[11] = remaining - n;
            ctx.jump = next;
            return 0;
        }
        let (n, ended) = vm.step_exact(&mut st, remaining);
        let count = ctx.budget - remaining + n;
        let o = ended.unwrap_or(Outcome::BudgetExhausted { pc: st.pc });
        ctx.abort(o, count)
    })
}

/// A bpf-to-bpf call at `pc` would exceed the frame limit.
pub extern "C" fn rt_depth(ctx: *mut Ctx, pc: u64) -> u64 {
    guarded(ctx, pc, |ctx, _| {
        let count = ctx.count_at(pc as usize);
        ctx.abort(Outcome::CallDepthExceeded { pc: pc as usize }, count)
    })
}

/// Execution ran past the last instruction.
pub extern "C" fn rt_fell_off(ctx: *mut Ctx, pc: u64) -> u64 {
    guarded(ctx, pc, |ctx, _| {
        let count = ctx.budget - ctx.regs[11];
        ctx.abort(Outcome::FellOffEnd { pc: pc as usize }, count)
    })
}
