//! Map declarations in ELF objects: records of the legacy `maps` section and BTF-defined maps
//! in `.maps`.

use super::btf::{Btf, KIND_ARRAY, KIND_PTR, KIND_STRUCT};
use super::ElfError;
use crate::maps::{map_type, MapDef, MapOrigin};

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    b.get(off..off + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Parses one record of a legacy `maps` section. Both layouts in use share the first five
/// fields (`type, key_size, value_size, max_entries, map_flags`). For map-in-map types, the
/// inner map's index is field 5 in `struct bpf_map_def` (28-byte records) and field 8 in
/// iproute2's `struct bpf_elf_map` (36 bytes). Returns the map and the inner index, if any.
pub fn legacy_record(name: &str, rec: &[u8]) -> Result<(MapDef, Option<u32>), ElfError> {
    let field = |i: usize| u32_at(rec, 4 * i);
    let (Some(t), Some(k), Some(v), Some(m)) = (field(0), field(1), field(2), field(3)) else {
        return Err(ElfError::Map {
            name: name.into(),
            msg: format!("record of {} bytes is too short", rec.len()),
        });
    };
    let mut def = MapDef::new(name, t, k, v, m);
    def.flags = field(4).unwrap_or(0);
    def.origin = MapOrigin::Legacy;
    let inner = if matches!(t, map_type::ARRAY_OF_MAPS | map_type::HASH_OF_MAPS) {
        if rec.len() >= 36 {
            field(8)
        } else {
            field(5)
        }
    } else {
        None
    };
    Ok((def, inner))
}

/// Reads a `__uint(name, N)` member: a pointer to an array of N elements.
fn uint_member(btf: &Btf, ty: u32) -> Result<u32, ElfError> {
    let p = btf.get(btf.skip_mods(ty)?)?;
    if p.kind != KIND_PTR {
        return Err(ElfError::Btf(format!(
            "__uint member of type {ty} is not a pointer"
        )));
    }
    let a = btf.get(btf.skip_mods(p.size_or_type)?)?;
    match (a.kind, a.array) {
        (KIND_ARRAY, Some((_, n))) => Ok(n),
        _ => Err(ElfError::Btf(format!(
            "__uint member of type {ty} does not point to an array"
        ))),
    }
}

/// Reads a `__type(name, T)` member: a pointer to T; returns sizeof(T).
fn type_member(btf: &Btf, ty: u32) -> Result<u32, ElfError> {
    let p = btf.get(btf.skip_mods(ty)?)?;
    if p.kind != KIND_PTR {
        return Err(ElfError::Btf(format!(
            "__type member of type {ty} is not a pointer"
        )));
    }
    Ok(btf.size_of(p.size_or_type)? as u32)
}

/// Builds a map from a BTF map definition struct (the type of a `.maps` variable).
pub fn btf_map(btf: &Btf, name: &str, ty: u32, depth: u32) -> Result<MapDef, ElfError> {
    if depth > 4 {
        return Err(ElfError::Map {
            name: name.into(),
            msg: "inner maps nested too deeply".into(),
        });
    }
    let st = btf.get(btf.skip_mods(ty)?)?;
    if st.kind != KIND_STRUCT {
        return Err(ElfError::Map {
            name: name.into(),
            msg: format!("BTF type {ty} is not a struct"),
        });
    }
    let mut def = MapDef::new(name, 0, 0, 0, 0);
    def.origin = MapOrigin::Btf;
    for (m, mty, _) in &st.members {
        match m.as_str() {
            "type" => def.map_type = uint_member(btf, *mty)?,
            "max_entries" => def.max_entries = uint_member(btf, *mty)?,
            "map_flags" => def.flags = uint_member(btf, *mty)?,
            "key_size" => def.key_size = uint_member(btf, *mty)?,
            "value_size" => def.value_size = uint_member(btf, *mty)?,
            "key" => def.key_size = type_member(btf, *mty)?,
            "value" => def.value_size = type_member(btf, *mty)?,
            "values" => {
                // `__array(values, struct inner)`: an array of pointers to the inner definition.
                let arr = btf.get(btf.skip_mods(*mty)?)?;
                let (elem, _) = arr.array.ok_or_else(|| ElfError::Map {
                    name: name.into(),
                    msg: "`values` is not an array".into(),
                })?;
                let p = btf.get(btf.skip_mods(elem)?)?;
                // Map-in-map values point to a map definition; prog arrays' to functions.
                let is_struct = p.kind == KIND_PTR
                    && btf.get(btf.skip_mods(p.size_or_type)?)?.kind == KIND_STRUCT;
                if is_struct {
                    let inner = btf_map(btf, &format!("{name}.inner"), p.size_or_type, depth + 1)?;
                    def.inner = Some(Box::new(inner));
                }
                if def.value_size == 0 {
                    def.value_size = 4;
                }
            }
            _ => {}
        }
    }
    Ok(def)
}
