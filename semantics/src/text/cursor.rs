//! A small cursor over one line of assembly text, shared by both assemblers.

/// A position in a line; every method skips leading blanks first.
#[derive(Clone, Copy, Debug)]
pub struct Cursor<'a> {
    pub rest: &'a str,
}

impl<'a> Cursor<'a> {
    pub fn new(s: &'a str) -> Self {
        Cursor { rest: s }
    }
    pub fn skip_ws(&mut self) {
        self.rest = self.rest.trim_start();
    }
    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.rest.is_empty()
    }
    /// Consumes `lit` if the text continues with it.
    pub fn eat(&mut self, lit: &str) -> bool {
        self.skip_ws();
        if let Some(r) = self.rest.strip_prefix(lit) {
            self.rest = r;
            true
        } else {
            false
        }
    }
    /// Consumes `word` only if it is not followed by an identifier character.
    pub fn eat_word(&mut self, word: &str) -> bool {
        let save = *self;
        if self.eat(word)
            && !self
                .rest
                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        {
            return true;
        }
        *self = save;
        false
    }
    pub fn peek(&mut self, lit: &str) -> bool {
        self.skip_ws();
        self.rest.starts_with(lit)
    }
    /// An identifier: letters, digits, `_`, `.`, `$`, not starting with a digit.
    pub fn ident(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let end = self
            .rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '$'))
            .map(|(i, _)| i)
            .unwrap_or(self.rest.len());
        if end == 0 || self.rest.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let (id, r) = self.rest.split_at(end);
        self.rest = r;
        Some(id)
    }
    /// A register `rN` or `wN` (with `prefix` the accepted letters) and whether it was `w`.
    pub fn reg_with(&mut self, prefixes: &[&str]) -> Option<(u8, bool)> {
        let save = *self;
        self.skip_ws();
        for p in prefixes {
            if let Some(r) = self.rest.strip_prefix(p) {
                let digits = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                if digits == 0 || digits > 2 {
                    continue;
                }
                let after = &r[digits..];
                if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                let n: u8 = r[..digits].parse().ok()?;
                self.rest = after;
                return Some((n, p.ends_with('w')));
            }
        }
        *self = save;
        None
    }
    /// A signed integer in decimal or `0x` hexadecimal, as an `i128` so that callers check
    /// ranges.
    pub fn number(&mut self) -> Option<i128> {
        let save = *self;
        self.skip_ws();
        let mut neg = false;
        if let Some(r) = self.rest.strip_prefix('-') {
            neg = true;
            self.rest = r.trim_start();
        } else if let Some(r) = self.rest.strip_prefix('+') {
            self.rest = r.trim_start();
        }
        let (radix, body) = match self
            .rest
            .strip_prefix("0x")
            .or_else(|| self.rest.strip_prefix("0X"))
        {
            Some(b) => (16, b),
            None => (10, self.rest),
        };
        let len = body.len() - body.trim_start_matches(|c: char| c.is_digit(radix)).len();
        if len == 0 || len > 40 {
            *self = save;
            return None;
        }
        if body[len..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            *self = save;
            return None;
        }
        let v = i128::from_str_radix(&body[..len], radix).ok()?;
        self.rest = &body[len..];
        Some(if neg { -v } else { v })
    }
}

/// Whether `v` fits a 32-bit immediate, read as signed or as its unsigned bit pattern.
pub fn imm32(v: i128) -> Option<i32> {
    if (i32::MIN as i128..=u32::MAX as i128).contains(&v) {
        Some(v as i64 as u32 as i32)
    } else {
        None
    }
}

/// Whether `v` fits a 16-bit offset.
pub fn off16(v: i128) -> Option<i16> {
    i16::try_from(v).ok()
}

/// Strips a trailing comment starting at any of `markers`.
pub fn strip_comment<'a>(line: &'a str, markers: &[&str]) -> &'a str {
    let mut end = line.len();
    for m in markers {
        if let Some(i) = line.find(m) {
            end = end.min(i);
        }
    }
    &line[..end]
}
