//! Abstract domains over [`Word`](semantics::word::Word).
//!
//! - [`tnum`]: tristate numbers (known bits), as the Linux verifier's `tnum.c`.
//! - [`scalar`]: a tnum with u64/s64/u32/s32 bounds and the reduction between them.
//!
//! Every operation is written without data-dependent control flow (choices go through
//! `Word::select`), so that the same code runs on machine words and on symbolic Z3 words.

pub mod scalar;
pub mod tnum;

pub use scalar::Scalar;
pub use tnum::Tnum;
