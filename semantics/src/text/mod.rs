//! Assembly text in both directions.
//!
//! - [`print`]: the pseudo-C syntax of `llvm-objdump -d` and of the kernel log.
//! - [`parse`]: the assembler for that syntax (either flavour, with labels).
//! - [`conformance`]: the bpf_conformance/uBPF syntax (`mov %r0, 1`), both directions.
//!
//! Both assemblers produce [`Pending`] instructions whose jump targets may be labels, and
//! [`resolve`] turns them into instructions with relative offsets.

pub mod conformance;
pub mod cursor;
pub mod parse;
pub mod print;

use crate::decode::encode_all;
use crate::insn::Insn;
use crate::isa::{Call, Instruction, Pseudo};

/// An assembly error at a 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {msg}")]
pub struct AsmError {
    pub line: usize,
    pub msg: String,
}

/// A jump or call target as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Relative to the next instruction, as encoded.
    Rel(i64),
    /// A label defined somewhere in the text.
    Label(String),
}

/// An assembled instruction whose target may still be a label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub ins: Instruction,
    pub target: Option<Target>,
    pub line: usize,
}

/// A parsed source: instructions and the labels, each label naming the index in `items` it
/// precedes.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    pub items: Vec<Pending>,
    pub labels: Vec<(String, usize, usize)>,
}

impl Listing {
    pub fn define_label(&mut self, name: &str, line: usize) -> Result<(), AsmError> {
        if self.labels.iter().any(|(n, _, _)| n == name) {
            return Err(AsmError {
                line,
                msg: format!("label `{name}` defined twice"),
            });
        }
        self.labels.push((name.to_string(), self.items.len(), line));
        Ok(())
    }
}

/// Parses the rest of one line: any `label:` definitions, then at most one instruction with
/// `parse_insn`, which must consume the line.
pub(crate) fn parse_line(
    src: &mut Listing,
    mut cur: cursor::Cursor,
    line: usize,
    parse_insn: fn(&mut cursor::Cursor) -> Result<(Instruction, Option<Target>), String>,
    trailing: &str,
) -> Result<(), AsmError> {
    loop {
        let save = cur;
        if let Some(name) = cur.ident() {
            if cur.eat(":") && !cur.peek("=") {
                src.define_label(name, line)?;
                continue;
            }
        }
        cur = save;
        break;
    }
    if cur.at_end() {
        return Ok(());
    }
    let (ins, target) = parse_insn(&mut cur).map_err(|msg| AsmError { line, msg })?;
    if !cur.at_end() {
        return Err(AsmError {
            line,
            msg: format!("{trailing}`{}`", cur.rest.trim()),
        });
    }
    src.items.push(Pending { ins, target, line });
    Ok(())
}

/// Resolves labels and relative targets and returns the instructions.
pub fn resolve(src: Listing) -> Result<Vec<Instruction>, AsmError> {
    let mut pcs = Vec::with_capacity(src.items.len() + 1);
    let mut pc = 0usize;
    for it in &src.items {
        pcs.push(pc);
        pc += it.ins.slots();
    }
    pcs.push(pc);
    let mut out = Vec::with_capacity(src.items.len());
    for (idx, it) in src.items.into_iter().enumerate() {
        let mut ins = it.ins;
        if let Some(t) = it.target {
            let rel = match t {
                Target::Rel(r) => r,
                Target::Label(name) => {
                    let Some((_, item, _)) = src.labels.iter().find(|(n, _, _)| *n == name) else {
                        return Err(AsmError {
                            line: it.line,
                            msg: format!("unknown label `{name}`"),
                        });
                    };
                    pcs[*item] as i64 - (pcs[idx] as i64 + 1)
                }
            };
            set_target(&mut ins, rel).map_err(|msg| AsmError { line: it.line, msg })?;
        }
        out.push(ins);
    }
    Ok(out)
}

fn set_target(ins: &mut Instruction, rel: i64) -> Result<(), String> {
    let r16 = || i16::try_from(rel).map_err(|_| format!("jump offset {rel} does not fit 16 bits"));
    let r32 = || i32::try_from(rel).map_err(|_| format!("offset {rel} does not fit 32 bits"));
    match ins {
        Instruction::Ja { off } | Instruction::Jmp { off, .. } => *off = r16()?,
        Instruction::JaLong { imm } => *imm = r32()?,
        Instruction::Call(Call::Local(imm)) => *imm = r32()?,
        Instruction::LdImm64 {
            pseudo: Pseudo::Func,
            imm,
            ..
        } => *imm = r32()?,
        _ => return Err("this instruction takes no target".into()),
    }
    Ok(())
}

/// Assembles pseudo-C text into slots.
pub fn assemble(text: &str) -> Result<Vec<Insn>, AsmError> {
    Ok(encode_all(&resolve(parse::parse(text)?)?))
}

/// Assembles bpf_conformance text into slots.
pub fn assemble_conformance(text: &str) -> Result<Vec<Insn>, AsmError> {
    Ok(encode_all(&resolve(conformance::parse(text)?)?))
}
