//! Abstract domains over [`Word`](semantics::word::Word).
//!
//! - [`tnum`]: tristate numbers (known bits), as the Linux verifier's `tnum.c`.
//!
//! Every operation is written without data-dependent control flow (choices go through
//! `Word::select`), so that the same code runs on machine words and on symbolic Z3 words.

pub mod tnum;

pub use tnum::Tnum;
