//! Just enough BTF to read BTF-defined maps: the type table, names, sizes, and the layout of
//! `.maps` variables. Every read is bounds-checked; malformed BTF is an error, never a panic.

use super::ElfError;

pub const KIND_INT: u32 = 1;
pub const KIND_PTR: u32 = 2;
pub const KIND_ARRAY: u32 = 3;
pub const KIND_STRUCT: u32 = 4;
pub const KIND_UNION: u32 = 5;
pub const KIND_ENUM: u32 = 6;
pub const KIND_FWD: u32 = 7;
pub const KIND_TYPEDEF: u32 = 8;
pub const KIND_VOLATILE: u32 = 9;
pub const KIND_CONST: u32 = 10;
pub const KIND_RESTRICT: u32 = 11;
pub const KIND_FUNC: u32 = 12;
pub const KIND_FUNC_PROTO: u32 = 13;
pub const KIND_VAR: u32 = 14;
pub const KIND_DATASEC: u32 = 15;
pub const KIND_FLOAT: u32 = 16;
pub const KIND_DECL_TAG: u32 = 17;
pub const KIND_TYPE_TAG: u32 = 18;
pub const KIND_ENUM64: u32 = 19;

/// One BTF type.
#[derive(Clone, Debug, Default)]
pub struct Type {
    pub kind: u32,
    pub name: String,
    /// `size` or `type`, depending on the kind.
    pub size_or_type: u32,
    /// Members of structs/unions: (name, type, bit offset); DATASEC entries: ("", type,
    /// offset) with `sizes`.
    pub members: Vec<(String, u32, u32)>,
    /// ARRAY: (element type, number of elements).
    pub array: Option<(u32, u32)>,
    /// The `vlen` field of `info`: for FUNC, the linkage (0 static, 1 global, 2 extern).
    pub vlen: u32,
    /// Where the type's record starts, in bytes from the start of the type section.
    pub pos: usize,
}

/// A parsed BTF blob. Type id `i` is `types[i]`; id 0 is `void`.
#[derive(Clone, Debug, Default)]
pub struct Btf {
    pub types: Vec<Type>,
}

fn err(msg: impl Into<String>) -> ElfError {
    ElfError::Btf(msg.into())
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn u32(&mut self) -> Result<u32, ElfError> {
        let s = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| err(format!("type data truncated at {}", self.pos)))?;
        self.pos += 4;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

fn u32_at(b: &[u8], off: usize) -> Result<u32, ElfError> {
    let s = b.get(off..off + 4).ok_or_else(|| err("header truncated"))?;
    Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

impl Btf {
    /// Parses a `.BTF` section.
    pub fn parse(data: &[u8]) -> Result<Btf, ElfError> {
        if data.len() < 24 || data[0..2] != [0x9f, 0xeb] {
            return Err(err("bad magic"));
        }
        let hdr_len = u32_at(data, 4)? as usize;
        let type_off = u32_at(data, 8)? as usize;
        let type_len = u32_at(data, 12)? as usize;
        let str_off = u32_at(data, 16)? as usize;
        let str_len = u32_at(data, 20)? as usize;
        let range = |off: usize, len: usize| {
            let s = hdr_len
                .checked_add(off)
                .ok_or_else(|| err("offset overflow"))?;
            let e = s.checked_add(len).ok_or_else(|| err("length overflow"))?;
            data.get(s..e).ok_or_else(|| err("section out of bounds"))
        };
        let types_b = range(type_off, type_len)?;
        let strs = range(str_off, str_len)?;
        let name = |off: u32| -> String {
            let s = strs.get(off as usize..).unwrap_or(&[]);
            let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
            String::from_utf8_lossy(&s[..end]).into_owned()
        };
        let mut r = Reader { b: types_b, pos: 0 };
        let mut types = vec![Type::default()];
        while r.pos < types_b.len() {
            let pos = r.pos;
            let name_off = r.u32()?;
            let info = r.u32()?;
            let size_or_type = r.u32()?;
            let kind = (info >> 24) & 0x1f;
            let vlen = (info & 0xffff) as usize;
            let mut t = Type {
                kind,
                name: name(name_off),
                size_or_type,
                vlen: vlen as u32,
                pos,
                ..Default::default()
            };
            match kind {
                KIND_INT | KIND_VAR | KIND_DECL_TAG => {
                    r.u32()?;
                }
                KIND_ARRAY => {
                    let elem = r.u32()?;
                    r.u32()?;
                    let n = r.u32()?;
                    t.array = Some((elem, n));
                }
                KIND_STRUCT | KIND_UNION | KIND_DATASEC => {
                    for _ in 0..vlen {
                        let a = r.u32()?;
                        let b = r.u32()?;
                        let c = r.u32()?;
                        if kind == KIND_DATASEC {
                            t.members.push((String::new(), a, b));
                        } else {
                            t.members.push((name(a), b, c));
                        }
                    }
                }
                KIND_FUNC_PROTO => {
                    // Parameters: (name, type).
                    for _ in 0..vlen {
                        let a = r.u32()?;
                        let b = r.u32()?;
                        t.members.push((name(a), b, 0));
                    }
                }
                KIND_ENUM => {
                    for _ in 0..vlen {
                        r.u32()?;
                        r.u32()?;
                    }
                }
                KIND_ENUM64 => {
                    for _ in 0..vlen {
                        r.u32()?;
                        r.u32()?;
                        r.u32()?;
                    }
                }
                KIND_PTR | KIND_FWD | KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT
                | KIND_FUNC | KIND_FLOAT | KIND_TYPE_TAG => {}
                k => return Err(err(format!("unknown kind {k} for type {}", types.len()))),
            }
            types.push(t);
            if types.len() > 1 << 20 {
                return Err(err("too many types"));
            }
        }
        Ok(Btf { types })
    }

    /// The id of the function (FUNC) named `name`.
    pub fn func_id(&self, name: &str) -> Option<u32> {
        self.types
            .iter()
            .position(|t| t.kind == KIND_FUNC && t.name == name)
            .map(|i| i as u32)
    }

    pub fn get(&self, id: u32) -> Result<&Type, ElfError> {
        self.types
            .get(id as usize)
            .ok_or_else(|| err(format!("type id {id} out of range")))
    }

    /// Follows typedefs, qualifiers and type tags.
    pub fn skip_mods(&self, mut id: u32) -> Result<u32, ElfError> {
        for _ in 0..64 {
            let t = self.get(id)?;
            match t.kind {
                KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT | KIND_TYPE_TAG => {
                    id = t.size_or_type
                }
                _ => return Ok(id),
            }
        }
        Err(err("type chain too long"))
    }

    /// The size in bytes of a type.
    pub fn size_of(&self, id: u32) -> Result<u64, ElfError> {
        self.size_depth(id, 0)
    }

    fn size_depth(&self, id: u32, depth: u32) -> Result<u64, ElfError> {
        if depth > 64 {
            return Err(err("type nesting too deep"));
        }
        let t = self.get(self.skip_mods(id)?)?;
        Ok(match t.kind {
            KIND_INT | KIND_STRUCT | KIND_UNION | KIND_ENUM | KIND_DATASEC | KIND_FLOAT
            | KIND_ENUM64 => t.size_or_type as u64,
            KIND_PTR => 8,
            KIND_ARRAY => {
                let (elem, n) = t.array.unwrap_or((0, 0));
                self.size_depth(elem, depth + 1)?.saturating_mul(n as u64)
            }
            KIND_VAR => self.size_depth(t.size_or_type, depth + 1)?,
            _ => return Err(err(format!("type {id} has no size"))),
        })
    }

    /// The id of the DATASEC called `name`.
    /// The parameter types of the global (non-static) function `name`, if BTF has one.
    pub fn global_func(&self, name: &str) -> Option<Vec<u32>> {
        let f = self
            .types
            .iter()
            .find(|t| t.kind == KIND_FUNC && t.name == name && t.vlen == 1)?;
        let proto = self.types.get(f.size_or_type as usize)?;
        (proto.kind == KIND_FUNC_PROTO).then(|| proto.members.iter().map(|m| m.1).collect())
    }

    pub fn datasec(&self, name: &str) -> Option<u32> {
        self.types
            .iter()
            .position(|t| t.kind == KIND_DATASEC && t.name == name)
            .map(|i| i as u32)
    }
}

/// Fills in what compilers leave to the loader, as libbpf does before handing BTF to the
/// kernel: the size of each data section (DATASEC) and the offsets of its variables, from
/// `section_size(section)` and `symbol(section, variable)`. Entries whose section or
/// symbol is unknown are left as they are.
pub fn fixup_datasecs(
    data: &mut [u8],
    section_size: &dyn Fn(&str) -> Option<u64>,
    symbol: &dyn Fn(&str, &str) -> Option<u64>,
) -> Result<(), ElfError> {
    let btf = Btf::parse(data)?;
    let base = u32_at(data, 4)? as usize + u32_at(data, 8)? as usize;
    let mut put = |off: usize, v: u64| {
        if let Some(s) = data.get_mut(off..off + 4) {
            s.copy_from_slice(&(v as u32).to_le_bytes());
        }
    };
    for t in btf.types.iter().filter(|t| t.kind == KIND_DATASEC) {
        let at = base + t.pos;
        if t.size_or_type == 0 {
            if let Some(size) = section_size(&t.name) {
                put(at + 8, size);
            }
        }
        for (i, (_, var, _)) in t.members.iter().enumerate() {
            let name = btf.types.get(*var as usize).map(|v| v.name.as_str());
            if let Some(off) = name.and_then(|n| symbol(&t.name, n)) {
                put(at + 12 + 12 * i + 4, off);
            }
        }
    }
    Ok(())
}
