//! The x86-64 JIT compiler.
pub mod x86;
