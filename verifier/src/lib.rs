//! The verifier: whole-program safety checking of BPF programs, path-sensitive with state
//! pruning, with kernel-compatible verdicts and logs.
//!
//! - [`domain`]: the abstract domains (tnum, intervals, their reduced product), written once
//!   over [`semantics::word::Word`] so that the proofs can run this very code on Z3 words.
//! - [`cfg`]: the control-flow graph and the checks made before exploration.
//! - [`state`]: registers, pointers, stack slots, frames.
//! - [`check`]: the exploration and the per-instruction checks; [`verify`] is the entry.
//! - [`prune`]: state subsumption for pruning.
//! - [`helpers`], [`ctx`]: helper prototypes and context access rules per program type.

pub mod cfg;
mod check;
pub mod ctx;
pub mod domain;
pub mod embed;
pub mod helpers;
pub mod program;
pub mod prune;
pub mod state;
pub mod verdict;

pub use check::{verify, verify_recording};
pub use program::{GlobalArg, GlobalFunc, MapInfo, Options, Program};
pub use verdict::{Reason, Stats, Verdict};
