//! What the verifier is given: the instruction slots, the program type, and the maps the
//! program refers to (by index: `LD_IMM64` with a map fd or map index holds an index into
//! [`Program::maps`]).

use semantics::insn::Insn;

/// A map as the verifier needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapInfo {
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
    /// The program may not write values (BPF_F_RDONLY_PROG, or `.rodata`).
    pub readonly: bool,
    /// The program may not read values (BPF_F_WRONLY_PROG).
    pub writeonly: bool,
    /// The inner map of a map-in-map.
    pub inner: Option<Box<MapInfo>>,
    /// Offset of the `struct bpf_spin_lock` in the value, where the value's BTF has one.
    pub spin_lock_off: Option<u32>,
    /// Kernel pointers stored in the value (BTF `kptr` fields): offset, whether referenced,
    /// and the size of the kernel struct they point to (0: not known, not bounded).
    pub kptrs: Vec<(u32, bool, u32)>,
}

impl MapInfo {
    pub fn from_def(d: &semantics::maps::MapDef) -> MapInfo {
        MapInfo {
            map_type: d.map_type,
            key_size: d.key_size,
            value_size: d.value_size,
            max_entries: d.max_entries,
            flags: d.flags,
            readonly: d.readonly || d.flags & BPF_F_RDONLY_PROG != 0,
            writeonly: d.flags & BPF_F_WRONLY_PROG != 0,
            inner: d.inner.as_ref().map(|i| Box::new(MapInfo::from_def(i))),
            spin_lock_off: None,
            kptrs: Vec::new(),
        }
    }
}

pub const BPF_F_RDONLY_PROG: u32 = 1 << 7;
pub const BPF_F_WRONLY_PROG: u32 = 1 << 8;

/// Limits and modes.
#[derive(Clone, Debug)]
pub struct Options {
    /// Unprivileged loading: pointer leaks and comparisons are refused.
    pub unprivileged: bool,
    /// 0: no log; 1: the path to an error; 2: every instruction with its state.
    pub log_level: u32,
    /// Processed-instruction limit (the kernel's BPF_COMPLEXITY_LIMIT_INSNS).
    pub insn_limit: u64,
    /// Pending-branch limit (BPF_COMPLEXITY_LIMIT_JMP_SEQ).
    pub max_pending: usize,
    /// The kernel's `nr_cpu_ids`: bpf_get_smp_processor_id returns less. The default is
    /// the largest CONFIG_NR_CPUS (8192), true of every kernel; `Options::for_this_machine`
    /// reads the possible CPUs, as the running kernel does.
    pub nr_cpus: u32,
    /// Whether the kernel would JIT-compile the program (`net.core.bpf_jit_enable`), which
    /// sets how it rounds each frame's stack for the combined-stack limit (16 bytes, else
    /// 32). The default is on, as on every machine with a JIT built in.
    pub jit: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            unprivileged: false,
            log_level: 0,
            insn_limit: 1_000_000,
            max_pending: 8192,
            nr_cpus: 8192,
            jit: true,
        }
    }
}

impl Options {
    /// The defaults, with `nr_cpus` from `/sys/devices/system/cpu/possible` (as the running
    /// kernel's `nr_cpu_ids`), so that verdicts can be set beside this machine's kernel.
    pub fn for_this_machine() -> Options {
        let possible = std::fs::read_to_string("/sys/devices/system/cpu/possible").ok();
        // The format is a list of ranges, such as `0-1` or `0,2-5`.
        let last = possible.as_deref().and_then(|s| {
            s.trim()
                .split(',')
                .filter_map(|r| r.rsplit('-').next()?.parse::<u32>().ok())
                .max()
        });
        let jit = std::fs::read_to_string("/proc/sys/net/core/bpf_jit_enable")
            .map(|s| s.trim() != "0")
            .unwrap_or(true);
        Options {
            nr_cpus: last.map(|l| l + 1).unwrap_or(8192),
            jit,
            ..Options::default()
        }
    }
}

/// An argument of a global (non-static) function, from its BTF prototype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalArg {
    Scalar,
    /// A pointer to `size` bytes, possibly null.
    Mem {
        size: u32,
    },
    /// The program's context.
    Ctx,
}

/// A global function: the kernel verifies it on its own, with its arguments as its BTF
/// prototype declares them, and a call to it checks the arguments and returns a scalar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalFunc {
    /// Its first instruction.
    pub start: usize,
    pub args: Vec<GlobalArg>,
}

/// A program to verify.
#[derive(Clone, Debug)]
pub struct Program {
    pub slots: Vec<Insn>,
    /// `enum bpf_prog_type`.
    pub prog_type: u32,
    /// `enum bpf_attach_type` (0 when unset).
    pub expected_attach_type: u32,
    pub maps: Vec<MapInfo>,
    /// BPF_F_STRICT_ALIGNMENT: packet accesses are checked for alignment (with the
    /// kernel's NET_IP_ALIGN of 2).
    pub strict_alignment: bool,
    /// The global functions among the subprograms.
    pub global_funcs: Vec<GlobalFunc>,
}
