//! Abstract domains over [`Word`](semantics::word::Word).
//!
//! - [`tnum`]: tristate numbers (known bits), as the Linux verifier's `tnum.c`.
//! - [`view`]: one width's tnum and bounds, with the binary ALU transfer functions.
//! - [`scalar`]: a tnum with u64/s64/u32/s32 bounds, the reduction between them, and the
//!   ALU transfer functions at both widths.
//!
//! Every operation is written without data-dependent control flow (choices go through
//! `Word::select`), so that the same code runs on machine words and on symbolic Z3 words.

pub mod kernel_model;
mod order;
pub mod precision;
pub mod scalar;
pub mod tnum;
pub mod view;

pub use scalar::Scalar;
pub use tnum::Tnum;
pub use view::View;
