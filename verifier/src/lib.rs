//! The verifier. So far: the abstract domains ([`domain`]), written once over
//! [`semantics::word::Word`] so that the proofs can run this very code on Z3 bit-vectors.

pub mod domain;
