//! The outcome of verification: accept, or reject with the instruction and the kernel-style
//! message; statistics as the kernel reports them; the log.

/// The kernel's statistics for one verification.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub processed_insns: u64,
    pub total_states: u64,
    pub peak_states: u64,
    /// Stack depth of each subprogram, in bytes.
    pub stack_depth: Vec<u32>,
    pub time_us: u64,
    /// Instructions (on any explored path) whose effect depends on the machine, which only
    /// a privileged load may have: a pointer written to memory other than the stack or
    /// returned, a read of uninitialised stack. Runs of such a program on two machines need
    /// not agree.
    pub machine_dependent: u64,
}

/// The class of a rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The program is malformed (bad opcode, jump out of range, unreachable code, ...): the
    /// kernel refuses it before exploring it.
    Malformed,
    /// A safety rule failed on some path.
    Unsafe,
    /// A limit was reached (processed instructions, pending branches, an infinite loop).
    TooComplex,
}

/// What the verifier says about a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub accepted: bool,
    /// The instruction of the rejection.
    pub pc: Option<usize>,
    pub reason: Option<Reason>,
    /// The kernel-style message of the rejection (empty when accepted).
    pub message: String,
    pub stats: Stats,
    /// The log at the requested level.
    pub log: String,
    /// Per load, store and atomic instruction the verifier reached: the kinds of pointer it
    /// accessed memory through, on every path (bits of [`access`]). Facts for the JIT.
    pub access: std::collections::BTreeMap<usize, u8>,
}

/// The bits of [`Verdict::access`].
pub mod access {
    pub const PACKET: u8 = 1;
    pub const STACK: u8 = 2;
    pub const CTX: u8 = 4;
    pub const MAP_VALUE: u8 = 8;
    pub const OTHER: u8 = 16;
}
