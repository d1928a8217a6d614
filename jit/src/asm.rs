//! An assembler over [`crate::x86::encode`]: a code buffer, labels, and branches to labels
//! patched once every label is bound.

use crate::x86::{encode, EncodeError, Inst};

/// A position in the code, bound once.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Label(u32);

impl Label {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Default)]
pub struct Asm {
    pub buf: Vec<u8>,
    labels: Vec<Option<usize>>,
    /// (offset of a rel32 field, the label it points to); the field is relative to its end.
    fixups: Vec<(usize, Label)>,
    /// The first form that could not be encoded (a bug of the lowering, reported at the end).
    error: Option<EncodeError>,
}

impl Asm {
    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }
    pub fn bind(&mut self, l: Label) {
        self.labels[l.0 as usize] = Some(self.buf.len());
    }
    pub fn emit(&mut self, i: Inst) {
        if let Err(e) = encode(&i, &mut self.buf) {
            self.error.get_or_insert(e);
        }
    }
    /// Emits a branch form whose last four bytes are a rel32 to `l`.
    fn branch(&mut self, i: Inst, l: Label) {
        self.emit(i);
        self.fixups.push((self.buf.len() - 4, l));
    }
    pub fn jcc(&mut self, cond: crate::x86::Cond, l: Label) {
        self.branch(Inst::Jcc { cond, rel: 0 }, l);
    }
    pub fn jmp(&mut self, l: Label) {
        self.branch(Inst::Jmp { rel: 0 }, l);
    }
    pub fn call(&mut self, l: Label) {
        self.branch(Inst::Call { rel: 0 }, l);
    }
    /// Patches every branch; fails on an unbound label or an encoding error.
    pub fn finish(mut self) -> Result<(Vec<u8>, Vec<Option<usize>>), String> {
        if let Some(e) = self.error {
            return Err(e.to_string());
        }
        for &(at, l) in &self.fixups {
            let target = self.labels[l.0 as usize].ok_or("a branch to an unbound label")?;
            let rel = target as i64 - (at as i64 + 4);
            let rel = i32::try_from(rel).map_err(|_| "code larger than 2 GiB")?;
            self.buf[at..at + 4].copy_from_slice(&rel.to_le_bytes());
        }
        Ok((self.buf, self.labels))
    }
}
