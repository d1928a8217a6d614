//! The reference interpreter.
//!
//! A [`Vm`] holds maps, loaded programs and the memory model; [`Vm::run`] executes one program
//! on one [`Input`] and returns a [`Run`]: how it ended ([`Outcome`]) and how many instructions
//! it executed. Nothing a program does can make the interpreter panic or touch host memory:
//! every access goes through [`memory::Memory`], every call depth and the instruction budget
//! are bounded.
//!
//! Conventions the interpreter defines where the ISA leaves them open:
//! - Registers other than r1, r2 (see [`Input`]) and r10 start at 0, and so does the stack.
//! - A tail call is allowed from the outermost frame only; from a subprogram it fails like
//!   a missing prog array entry (the program continues after the call).
//! - Map types other than (LRU/per-CPU) hash, array and prog array are not modelled: lookups
//!   find nothing and updates fail with `-EOPNOTSUPP`.

pub mod ctx;
pub mod divide;
pub mod mapstate;
pub mod memory;
pub mod ops;
mod run;
pub use run::{Observed, Resume};
pub mod runs;

pub use ctx::{CtxLayout, Input};
pub use mapstate::MapState;
pub use memory::{Fault, FaultKind, Memory, RegionKind};
pub use ops::LoadError;

use crate::decode::decode_program;
use crate::insn::Insn;
use crate::isa::Pseudo;
use crate::maps::MapDef;
use ops::{Op, PseudoResolver};
use std::rc::Rc;

/// Limits and seeds of a [`Vm`]. No global state: everything configurable is here.
#[derive(Clone, Debug)]
pub struct Config {
    /// Instructions one run may execute before it is stopped.
    pub budget: u64,
    /// Seed of `bpf_get_prandom_u32` and the start of `bpf_ktime_get_ns`.
    pub seed: u64,
    /// Call frames, the main program's included (the kernel allows 8).
    pub max_frames: usize,
    /// Tail calls one run may make (the kernel allows 33).
    pub max_tail_calls: u32,
    /// Refuse to load a program that calls a helper the interpreter does not have (the
    /// default). When off, such a call is an `Outcome::Error` if it runs, so that programs
    /// whose unknown calls are dead code still run (state embedding).
    pub strict_helpers: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            budget: 100_000_000,
            seed: 0,
            max_frames: 8,
            max_tail_calls: 33,
            strict_helpers: true,
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `exit` from the outermost frame, with r0.
    Exit(u64),
    /// A memory access the model refused.
    Fault(Fault),
    /// The instruction budget ran out before instruction `pc`.
    BudgetExhausted { pc: usize },
    /// A call at `pc` would exceed the frame limit.
    CallDepthExceeded { pc: usize },
    /// Execution ran past the last instruction.
    FellOffEnd { pc: usize },
    /// A helper or an indirect call could not do what was asked (the reason says what).
    Error { pc: usize, reason: String },
}

/// The result of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub outcome: Outcome,
    /// Instructions executed, the last one included.
    pub insns: u64,
}

/// Output that helpers produce, captured for inspection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// Formatted `bpf_trace_printk` lines.
    pub printk: Vec<String>,
    /// Records passed to `bpf_perf_event_output`.
    pub perf: Vec<Vec<u8>>,
    /// Records submitted to ring buffers, with the map index.
    pub ringbuf: Vec<(u32, Vec<u8>)>,
}

/// Mutable state besides memory and maps.
#[derive(Clone, Debug)]
pub struct Env {
    pub rng: u64,
    pub time_ns: u64,
    pub trace: Trace,
    /// Live ring buffer reservations: region -> map.
    pub reservations: Vec<(usize, u32)>,
    /// XDP headroom taken by `bpf_xdp_adjust_head` in this run.
    pub headroom_used: i64,
    /// Bytes of XDP metadata (`bpf_xdp_adjust_meta`) at the start of the packet region,
    /// before `data`.
    pub meta_len: usize,
}

/// One loaded program.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub ops: Rc<[Op]>,
    /// The micro ops of the program's straight-line ALU runs.
    pub micro: Rc<[runs::Micro]>,
    /// The precomputed divisors of division and remainder by constants.
    pub divisors: Rc<[divide::Divisor]>,
    /// For each slot, the instructions from it to the end of its basic block (the next jump,
    /// call or exit, inclusive); one more entry, 0, for the slot past the end.
    pub blocks: Rc<[u32]>,
    /// The decoded instructions, `(slot, instruction)`, for other engines (the JIT).
    pub decoded: Rc<[(usize, crate::isa::Instruction)]>,
    /// The value of every LD_IMM64 with its pseudo source resolved: `(slot, value)`.
    pub imm64: Rc<[(usize, u64)]>,
    pub name: String,
}

/// Fixed region indices.
pub const STACK_SIZE: usize = 512;
pub const CTX_REGION: usize = 8;
pub const PACKET_REGION: usize = 9;
pub const MEM_REGION: usize = 10;
pub const CODE_REGION: usize = 11;

/// An interpreter instance: maps, programs and memory.
#[derive(Clone, Debug)]
pub struct Vm {
    pub config: Config,
    pub mem: Memory,
    pub maps: Vec<MapState>,
    pub progs: Vec<Loaded>,
    pub env: Env,
    /// The region of the current packet (it moves when a helper resizes the packet).
    pub packet_region: usize,
    /// File descriptor -> map index, for LD_IMM64 with `MapFd`/`MapValue`; by default the
    /// identity.
    pub fd_table: Vec<(i32, u32)>,
}

impl Vm {
    /// A VM with the given maps (indexed in order).
    pub fn new(config: Config, maps: &[MapDef]) -> Vm {
        let mut mem = Memory::default();
        for f in 0..8 {
            mem.add(RegionKind::Stack(f), vec![0; STACK_SIZE], true);
        }
        mem.add(RegionKind::Ctx, Vec::new(), true);
        mem.add(RegionKind::Packet, Vec::new(), true);
        mem.add(RegionKind::Mem, Vec::new(), true);
        mem.add(RegionKind::ReadOnly, Vec::new(), false);
        let maps = maps
            .iter()
            .enumerate()
            .map(|(i, d)| MapState::new(d.clone(), &mut mem, i as u32))
            .collect();
        let env = Env {
            rng: config.seed ^ 0x9e37_79b9_7f4a_7c15,
            time_ns: 1_000_000_000 + config.seed,
            trace: Trace::default(),
            reservations: Vec::new(),
            headroom_used: 0,
            meta_len: 0,
        };
        Vm {
            config,
            mem,
            maps,
            progs: Vec::new(),
            env,
            packet_region: PACKET_REGION,
            fd_table: Vec::new(),
        }
    }

    fn map_by_fd(&self, fd: i32) -> Option<u32> {
        if let Some((_, m)) = self.fd_table.iter().find(|(f, _)| *f == fd) {
            return Some(*m);
        }
        (fd >= 0 && (fd as usize) < self.maps.len()).then_some(fd as u32)
    }

    /// The map whose object address is `addr`.
    pub fn map_at(&self, addr: u64) -> Option<u32> {
        let region = (addr >> 32).wrapping_sub(1) as usize;
        if addr & 0xffff_ffff != 0 {
            return None;
        }
        self.maps
            .iter()
            .position(|m| m.object_region == region)
            .map(|i| i as u32)
    }

    /// Decodes, checks and prepares a program; returns its id.
    pub fn load(&mut self, name: &str, slots: &[Insn]) -> Result<usize, LoadError> {
        let d = decode_program(slots)?;
        let c = ops::compile(&d, &mut Resolver { vm: self })?;
        let blocks = ops::block_lengths(&d);
        self.progs.push(Loaded {
            ops: c.ops.into(),
            micro: c.micro.into(),
            divisors: c.divisors.into(),
            blocks: blocks.into(),
            decoded: d.insns.clone().into(),
            imm64: c.imm64.into(),
            name: name.to_string(),
        });
        Ok(self.progs.len() - 1)
    }

    /// Puts program `prog` at `index` of the prog array map `map`.
    pub fn set_prog_array(&mut self, map: u32, index: u32, prog: usize) {
        if let Some(m) = self.maps.get_mut(map as usize) {
            m.progs.insert(index, prog);
        }
    }

    /// The address of the value of entry `key` of an array-like global data map (for tests).
    pub fn value_address(&mut self, map: u32, key: u32) -> Option<u64> {
        let m = self.maps.get_mut(map as usize)?;
        m.lookup(&mut self.mem, map, &key.to_le_bytes())
            .map(memory::region_base)
    }

    /// The packet with the XDP metadata before it (what BPF_PROG_TEST_RUN hands back for
    /// XDP programs).
    pub fn packet_with_meta(&self) -> &[u8] {
        &self.mem.regions[self.packet_region].data
    }

    /// The packet, from `data` to `data_end`.
    pub fn packet(&self) -> &[u8] {
        let d = &self.mem.regions[self.packet_region].data;
        d.get(self.env.meta_len..).unwrap_or(&[])
    }
}

struct Resolver<'a> {
    vm: &'a mut Vm,
}

impl PseudoResolver for Resolver<'_> {
    fn resolve(
        &mut self,
        pc: usize,
        pseudo: Pseudo,
        imm: i32,
        next_imm: i32,
    ) -> Result<u64, String> {
        let vm = &mut *self.vm;
        let map = match pseudo {
            Pseudo::MapFd | Pseudo::MapValue => vm.map_by_fd(imm),
            Pseudo::MapIdx | Pseudo::MapIdxValue => {
                (imm >= 0 && (imm as usize) < vm.maps.len()).then_some(imm as u32)
            }
            Pseudo::Func => {
                return Ok(
                    memory::region_base(CODE_REGION) + (pc as i64 + 1 + imm as i64) as u64 * 8
                )
            }
            Pseudo::BtfId => {
                return Err(format!(
                    "kernel variable (BTF id {imm}) cannot be interpreted"
                ))
            }
            Pseudo::Imm64 => return Ok(crate::isa::Instruction::imm64(imm, next_imm)),
        };
        let Some(map) = map else {
            return Err(format!("LD_IMM64 names map {imm}, which does not exist"));
        };
        let m = &vm.maps[map as usize];
        match pseudo {
            Pseudo::MapFd | Pseudo::MapIdx => Ok(memory::region_base(m.object_region)),
            _ => {
                // Direct value access: entry 0 of an array map, at an offset (global data).
                if mapstate::storage(m.def.map_type) != mapstate::Storage::Array
                    || next_imm < 0
                    || next_imm as u32 >= m.def.value_size
                {
                    return Err(format!(
                        "map value address of map {imm} at offset {next_imm} is not an array value"
                    ));
                }
                let base = vm
                    .value_address(map, 0)
                    .ok_or_else(|| format!("map {imm} has no entry 0"))?;
                Ok(base + next_imm as u64)
            }
        }
    }
    fn has_helper(&self, n: i32) -> bool {
        crate::helpers::implemented(n) || !self.vm.config.strict_helpers
    }
}
