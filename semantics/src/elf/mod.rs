//! Loading BPF programs and maps from ELF relocatable objects, the way libbpf does.
//!
//! - Programs: one per function symbol in each executable section other than `.text` (one
//!   per section when it has no function symbols). Functions of `.text` are subprograms,
//!   appended after the program that calls them in order of first reference, with call
//!   offsets fixed up. When `.text` is the only executable section, its functions are the
//!   programs.
//! - Maps: legacy `maps` section records and BTF-defined `.maps`, plus one single-entry array
//!   per global data section (`.data*`, `.rodata*`, `.bss*`) that the code references.
//! - LD_IMM64 relocations become `Pseudo::MapIdx` (imm = map index) for maps and
//!   `Pseudo::MapIdxValue` (imm = map index, second imm = offset) for global data; the harness
//!   turns them into file descriptors for the kernel.
//!
//! Malformed input gives an [`ElfError`] naming the section, symbol or instruction; nothing
//! panics.

pub mod btf;
mod link;
pub mod maps;
pub mod progtype;

pub use progtype::ProgType;

use crate::insn::Insn;
use crate::maps::MapDef;

/// Why an object does not load.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    #[error("not an ELF object: {0}")]
    Parse(String),
    #[error("not a BPF object: e_machine is {0}")]
    Machine(u16),
    #[error("section `{section}`: {msg}")]
    Section { section: String, msg: String },
    #[error("map `{name}`: {msg}")]
    Map { name: String, msg: String },
    #[error("BTF: {0}")]
    Btf(String),
    #[error("section `{section}` instruction {insn}: {msg}")]
    Reloc {
        section: String,
        insn: usize,
        msg: String,
    },
    #[error("no program called `{0}`")]
    NoSuchProgram(String),
}

/// One program, linked with its subprograms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The ELF section it comes from.
    pub section: String,
    /// Its function symbol (the section name when there is none).
    pub name: String,
    /// The type derived from the section name, if a libbpf rule matches.
    pub prog_type: Option<ProgType>,
    /// The expected attach type's libbpf name, where the rule sets one.
    pub expected_attach_type: Option<&'static str>,
    /// The linked instruction slots.
    pub insns: Vec<Insn>,
    /// The first slot of the program within its section.
    pub section_offset: usize,
    /// Where each appended subprogram starts: (name, first slot).
    pub subprograms: Vec<(String, usize)>,
}

/// A loaded object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Object {
    pub programs: Vec<Program>,
    pub maps: Vec<MapDef>,
    pub license: Option<String>,
    pub kernel_version: Option<u32>,
    /// Non-fatal problems (EM_NONE objects, unresolved externs, ...).
    pub warnings: Vec<String>,
    /// The raw `.BTF` and `.BTF.ext` sections, for the kernel oracle.
    pub btf: Option<Vec<u8>>,
    pub btf_ext: Option<Vec<u8>>,
}

impl Object {
    /// Finds a program by function name or section name.
    pub fn program(&self, name: &str) -> Result<&Program, ElfError> {
        self.programs
            .iter()
            .find(|p| p.name == name)
            .or_else(|| self.programs.iter().find(|p| p.section == name))
            .ok_or_else(|| ElfError::NoSuchProgram(name.to_string()))
    }
}

/// The ELF machine number of BPF.
pub const EM_BPF: u16 = 247;

/// Loads an object from its bytes.
pub fn load(bytes: &[u8]) -> Result<Object, ElfError> {
    if bytes.len() < 64 || &bytes[0..4] != b"\x7fELF" {
        return Err(ElfError::Parse("missing ELF magic or header".into()));
    }
    if bytes[4] != 2 || bytes[5] != 1 {
        return Err(ElfError::Parse("not a 64-bit little-endian ELF".into()));
    }
    let machine = u16::from_le_bytes([bytes[18], bytes[19]]);
    let mut warnings = Vec::new();
    match machine {
        EM_BPF => {}
        0 => warnings.push("e_machine is 0 (EM_NONE); loading as BPF".to_string()),
        m => return Err(ElfError::Machine(m)),
    }
    let mut obj = link::load_object(bytes)?;
    warnings.append(&mut obj.warnings);
    obj.warnings = warnings;
    Ok(obj)
}

/// Loads an object from a file.
pub fn load_file(path: &std::path::Path) -> Result<Object, crate::Error> {
    let bytes = std::fs::read(path).map_err(|source| crate::Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(load(&bytes)?)
}

/// The executable sections of an object as they are in the file, before relocation and
/// linking: (section name, slots). For comparing with other disassemblers.
pub fn code_sections(bytes: &[u8]) -> Result<Vec<(String, Vec<Insn>)>, ElfError> {
    link::code_sections(bytes)
}
