//! The BPF instruction set, and the one place that says what each instruction does.
//!
//! - [`insn`]: raw 8-byte slots and opcode constants.
//! - [`isa`]: the typed [`Instruction`]; [`decode`]: strict decoding and exact encoding.
//! - [`word`] and [`alu`]: the concrete semantics, written once over a bit-vector trait.
//! - [`text`]: pseudo-C and bpf_conformance assembly, both directions.
//! - [`elf`]: loading programs and maps from ELF objects.
//! - [`interp`]: the reference interpreter with a checked memory model and helpers.

pub mod alu;
pub mod decode;
pub mod elf;
pub mod helpers;
pub mod insn;
pub mod interp;
pub mod isa;
pub mod maps;
pub mod text;
pub mod word;

pub use decode::{decode_program, encode, encode_all, DecodeError, Decoded};
pub use insn::Insn;
pub use isa::Instruction;

/// The errors of this crate. A program's runtime fault is not an error but an
/// [`interp::Outcome`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Asm(#[from] text::AsmError),
    #[error(transparent)]
    Elf(#[from] elf::ElfError),
    #[error(transparent)]
    Load(#[from] interp::LoadError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}
