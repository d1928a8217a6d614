//! Z3 proofs that the verifier's abstract operators are sound, on the code that runs.
//!
//! - [`bv`]: Z3 bit-vectors as `semantics::word::Word`s, so the domains' transfer functions
//!   (`verifier::domain`) and the concrete semantics (`semantics::alu`) run symbolically.
//! - [`theorems`]: one query per transfer function (and operation and width), decided by Z3:
//!   proved, counterexample (printed in the kernel's log notation) or timeout.
//! - [`run`]: runs theorems in parallel, falling back to narrower words where the full width
//!   times out, and prints the table.

pub mod arith;
pub mod bv;
pub mod run;
pub mod theorems;
