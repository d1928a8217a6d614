//! ELF loading (in progress).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ElfError(pub String);
