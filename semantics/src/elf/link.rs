//! Reading sections, symbols and relocations with `object`, and linking programs with their
//! subprograms.

use super::btf::{Btf, KIND_VAR};
use super::maps::{btf_map, legacy_record};
use super::{progtype, ElfError, Object, Program};
use crate::insn::{op, Insn};
use crate::maps::{MapDef, MapOrigin};
use object::{
    Object as _, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget, SectionIndex,
    SymbolKind, SymbolSection,
};
use std::collections::HashMap;

const R_BPF_64_64: u32 = 1;
const R_BPF_64_32: u32 = 10;
/// Limit on linked program size, far above the kernel's one million instructions.
const MAX_LINKED: usize = 4 << 20;

#[derive(Clone, Debug)]
struct Sym {
    name: String,
    section: Option<SectionIndex>,
    value: u64,
    size: u64,
    kind: SymbolKind,
    global: bool,
}

#[derive(Clone, Debug)]
struct Func {
    name: String,
    start: usize,
    end: usize,
}

/// An executable section after relocation.
struct CodeSec {
    name: String,
    slots: Vec<Insn>,
    funcs: Vec<Func>,
    /// Slot -> (code section position, slot) for calls and function addresses.
    targets: HashMap<usize, (usize, usize)>,
}

fn sec_err(section: &str, msg: impl Into<String>) -> ElfError {
    ElfError::Section {
        section: section.to_string(),
        msg: msg.into(),
    }
}

fn is_data_section(name: &str) -> bool {
    [".data", ".rodata", ".bss"]
        .iter()
        .any(|p| name == *p || name.starts_with(&format!("{p}.")))
}

fn is_legacy_maps(name: &str) -> bool {
    name == "maps" || name.starts_with("maps/")
}

pub(super) fn load_object(bytes: &[u8]) -> Result<Object, ElfError> {
    let file = object::File::parse(bytes).map_err(|e| ElfError::Parse(e.to_string()))?;
    let mut obj = Object::default();
    let syms: Vec<Sym> = file
        .symbols()
        .map(|s| Sym {
            name: s.name().unwrap_or("").to_string(),
            section: match s.section() {
                SymbolSection::Section(i) => Some(i),
                _ => None,
            },
            value: s.address(),
            size: s.size(),
            kind: s.kind(),
            global: s.is_global(),
        })
        .collect();
    let mut sym_by_index: HashMap<usize, usize> = HashMap::new();
    for (i, s) in file.symbols().enumerate() {
        sym_by_index.insert(s.index().0, i);
    }
    let mut sec_names: HashMap<SectionIndex, String> = HashMap::new();
    for s in file.sections() {
        sec_names.insert(s.index(), s.name().unwrap_or("").to_string());
    }
    for s in file.sections() {
        let name = s.name().unwrap_or("");
        let data = s.data().map_err(|e| sec_err(name, e.to_string()))?;
        match name {
            "license" => {
                obj.license = Some(
                    String::from_utf8_lossy(data.split(|&b| b == 0).next().unwrap_or(&[]))
                        .into_owned(),
                )
            }
            "version" if data.len() >= 4 => {
                obj.kernel_version = Some(u32::from_le_bytes([data[0], data[1], data[2], data[3]]))
            }
            ".BTF" => obj.btf = Some(data.to_vec()),
            ".BTF.ext" => obj.btf_ext = Some(data.to_vec()),
            _ => {}
        }
    }
    // The loader's share of BTF: data section sizes and variable offsets.
    if let Some(b) = obj.btf.as_mut() {
        let size = |name: &str| file.section_by_name(name).map(|s| s.size());
        let symbol = |sec: &str, var: &str| {
            let idx = file.section_by_name(sec)?.index();
            syms.iter()
                .find(|y| y.section == Some(idx) && y.name == var)
                .map(|y| y.value)
        };
        // Malformed BTF stays as compiled: the kernel's BTF check then refuses it, and
        // the program is loaded without (the maps read from it report their own errors).
        let _ = super::btf::fixup_datasecs(b, &size, &symbol);
    }
    // Maps, keyed by (section, offset of the symbol).
    let mut map_at: HashMap<(SectionIndex, u64), usize> = HashMap::new();
    load_legacy_maps(&file, &syms, &mut obj, &mut map_at)?;
    load_btf_maps(&file, &syms, &mut obj, &mut map_at)?;
    // Code sections.
    let mut code: Vec<CodeSec> = Vec::new();
    let mut code_pos: HashMap<SectionIndex, usize> = HashMap::new();
    for s in file.sections() {
        if s.kind() != object::SectionKind::Text || s.size() == 0 {
            continue;
        }
        let name = s.name().unwrap_or("").to_string();
        let data = s.data().map_err(|e| sec_err(&name, e.to_string()))?;
        let slots = crate::insn::insns_from_bytes(data)
            .ok_or_else(|| sec_err(&name, format!("size {} is not a multiple of 8", data.len())))?;
        let mut funcs: Vec<Func> = syms
            .iter()
            .filter(|y| {
                y.section == Some(s.index())
                    && !y.name.is_empty()
                    && (y.kind == SymbolKind::Text || (y.global && y.kind == SymbolKind::Unknown))
            })
            .map(|y| Func {
                name: y.name.clone(),
                start: (y.value / 8) as usize,
                end: (y.value.saturating_add(y.size) / 8) as usize,
            })
            .filter(|f| f.start < slots.len())
            .collect();
        if funcs.is_empty() {
            // Old objects name a program by a local symbol at offset 0 (not a branch label).
            let named = syms.iter().find(|y| {
                y.section == Some(s.index())
                    && y.value == 0
                    && y.kind != SymbolKind::Section
                    && !y.name.is_empty()
                    && !y.name.starts_with("LBB")
                    && !y.name.starts_with(".L")
            });
            if let Some(y) = named {
                funcs.push(Func {
                    name: y.name.clone(),
                    start: 0,
                    end: slots.len(),
                });
            }
        }
        funcs.sort_by_key(|f| f.start);
        funcs.dedup_by_key(|f| f.start);
        for i in 0..funcs.len() {
            let next = funcs.get(i + 1).map(|f| f.start).unwrap_or(slots.len());
            if funcs[i].end <= funcs[i].start || funcs[i].end > next {
                funcs[i].end = next;
            }
        }
        code_pos.insert(s.index(), code.len());
        code.push(CodeSec {
            name,
            slots,
            funcs,
            targets: HashMap::new(),
        });
    }
    // Relocations.
    let mut data_maps: HashMap<SectionIndex, usize> = HashMap::new();
    for s in file.sections() {
        let Some(&pos) = code_pos.get(&s.index()) else {
            continue;
        };
        for (off, rel) in s.relocations() {
            let secname = code[pos].name.clone();
            let insn = (off / 8) as usize;
            let rerr = |msg: String| ElfError::Reloc {
                section: secname.clone(),
                insn,
                msg,
            };
            if off % 8 != 0 || insn >= code[pos].slots.len() {
                return Err(rerr(format!(
                    "relocation at byte offset {off} is not on an instruction"
                )));
            }
            let RelocationTarget::Symbol(si) = rel.target() else {
                continue;
            };
            let Some(sym) = sym_by_index.get(&si.0).map(|&i| syms[i].clone()) else {
                return Err(rerr(format!(
                    "relocation names symbol {} which does not exist",
                    si.0
                )));
            };
            let r_type = match rel.flags() {
                RelocationFlags::Elf { r_type } => r_type,
                _ => 0,
            };
            let ins = code[pos].slots[insn];
            let Some(ssec) = sym.section else {
                obj.warnings.push(format!(
                    "section `{secname}` instruction {insn}: unresolved extern `{}`",
                    sym.name
                ));
                continue;
            };
            let ssec_name = sec_names.get(&ssec).cloned().unwrap_or_default();
            let is_section_sym = sym.kind == SymbolKind::Section;
            if ins.code == op::LD | op::IMM | op::DW {
                if insn + 1 >= code[pos].slots.len() {
                    return Err(rerr("LD_IMM64 relocation on the last slot".into()));
                }
                let key_off = sym.value.checked_add(if is_section_sym {
                    ins.imm as u32 as u64
                } else {
                    0
                });
                if let Some(&idx) = key_off.and_then(|o| map_at.get(&(ssec, o))) {
                    let slot = &mut code[pos].slots[insn];
                    slot.src = op::PSEUDO_MAP_IDX;
                    slot.imm = idx as i32;
                } else if is_data_section(&ssec_name) {
                    let idx = match data_maps.get(&ssec) {
                        Some(i) => *i,
                        None => {
                            let sec = file
                                .section_by_index(ssec)
                                .map_err(|e| rerr(e.to_string()))?;
                            let contents = sec.data().map_err(|e| rerr(e.to_string()))?.to_vec();
                            let size = sec.size().max(contents.len() as u64);
                            let Ok(size) = u32::try_from(size) else {
                                return Err(rerr(format!(
                                    "data section `{ssec_name}` of {size} bytes: a map value's size is 32 bits"
                                )));
                            };
                            let mut def = MapDef::array(&ssec_name, size.max(1), 1);
                            let mut init = contents;
                            init.resize(size as usize, 0);
                            def.initial = Some(init);
                            def.readonly = ssec_name.starts_with(".rodata");
                            def.origin = MapOrigin::GlobalData;
                            obj.maps.push(def);
                            data_maps.insert(ssec, obj.maps.len() - 1);
                            obj.maps.len() - 1
                        }
                    };
                    let offset = (sym.value as i64).wrapping_add(ins.imm as i64);
                    code[pos].slots[insn].src = op::PSEUDO_MAP_IDX_VALUE;
                    code[pos].slots[insn].imm = idx as i32;
                    code[pos].slots[insn + 1].imm = offset as i32;
                } else if let Some(&tpos) = code_pos.get(&ssec) {
                    let target = ((sym.value as i64).wrapping_add(ins.imm as i64) / 8) as usize;
                    code[pos].slots[insn].src = op::PSEUDO_FUNC;
                    code[pos].targets.insert(insn, (tpos, target));
                } else {
                    return Err(rerr(format!("LD_IMM64 refers to `{}` in section `{ssec_name}`, which is neither a map nor data", sym.name)));
                }
            } else if ins.code == op::JMP | op::CALL {
                let Some(&tpos) = code_pos.get(&ssec) else {
                    return Err(rerr(format!(
                        "call to `{}` in non-code section `{ssec_name}`",
                        sym.name
                    )));
                };
                if r_type != R_BPF_64_32 && r_type != 0 {
                    obj.warnings.push(format!(
                        "section `{secname}` instruction {insn}: call relocation of type {r_type}"
                    ));
                }
                let target = (sym.value / 8) as i64 + ins.imm as i64 + 1;
                if target < 0 {
                    return Err(rerr(format!("call target {target} is negative")));
                }
                code[pos].slots[insn].src = op::PSEUDO_CALL;
                code[pos].targets.insert(insn, (tpos, target as usize));
            } else if r_type == R_BPF_64_64 || r_type == R_BPF_64_32 {
                obj.warnings.push(format!(
                    "section `{secname}` instruction {insn}: relocation on opcode {:#04x} ignored",
                    ins.code
                ));
            }
        }
    }
    // Unrelocated local calls and function addresses stay within their section.
    for (pos, c) in code.iter_mut().enumerate() {
        for (i, s) in c.slots.iter().enumerate() {
            let local = (s.code == op::JMP | op::CALL && s.src == op::PSEUDO_CALL)
                || (s.code == op::LD | op::IMM | op::DW && s.src == op::PSEUDO_FUNC);
            if local && !c.targets.contains_key(&i) {
                let t = i as i64 + 1 + s.imm as i64;
                if t >= 0 {
                    c.targets.insert(i, (pos, t as usize));
                }
            }
        }
    }
    build_programs(&code, &mut obj)?;
    Ok(obj)
}

fn load_legacy_maps(
    file: &object::File,
    syms: &[Sym],
    obj: &mut Object,
    map_at: &mut HashMap<(SectionIndex, u64), usize>,
) -> Result<(), ElfError> {
    let legacy_first = obj.maps.len();
    // (map, id, inner id, inner index) of every legacy record, resolved at the end.
    let mut inners: Vec<(usize, Option<u32>, Option<u32>, Option<u32>)> = Vec::new();
    for s in file.sections() {
        let name = s.name().unwrap_or("");
        if !is_legacy_maps(name) {
            continue;
        }
        let data = s.data().map_err(|e| sec_err(name, e.to_string()))?;
        let mut msyms: Vec<&Sym> = syms
            .iter()
            .filter(|y| {
                y.section == Some(s.index()) && y.kind != SymbolKind::Section && !y.name.is_empty()
            })
            .collect();
        msyms.sort_by_key(|y| y.value);
        if msyms.is_empty() {
            continue;
        }
        let rec = data.len() / msyms.len();
        if rec == 0 || data.len() % msyms.len() != 0 {
            return Err(sec_err(
                name,
                format!(
                    "{} bytes do not divide into {} map records",
                    data.len(),
                    msyms.len()
                ),
            ));
        }
        for y in &msyms {
            let off = y.value as usize;
            let bytes = off
                .checked_add(rec)
                .and_then(|end| data.get(off..end))
                .ok_or_else(|| ElfError::Map {
                    name: y.name.clone(),
                    msg: format!("record at {off} is outside the section"),
                })?;
            let (def, inner) = legacy_record(&y.name, bytes)?;
            map_at.insert((s.index(), y.value), obj.maps.len());
            // iproute2's records (36 bytes) name the inner map by its `id` (field 5) in
            // `inner_id` (field 7); `bpf_map_def` records by index.
            let word = |i: usize| {
                bytes
                    .get(4 * i..4 * i + 4)
                    .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            };
            let (id, inner_id) = if rec >= 36 {
                (word(5), word(7))
            } else {
                (None, None)
            };
            inners.push((obj.maps.len(), id, inner_id.filter(|x| *x != 0), inner));
            obj.maps.push(def);
        }
    }
    // An inner map is named by id (iproute2), or by its index among the legacy maps of the
    // object, in section order (the kernel samples' loader).
    for &(i, _, inner_id, inner) in &inners {
        let target = match inner_id {
            Some(want) => inners.iter().find(|x| x.1 == Some(want)).map(|x| x.0),
            None => inner.map(|j| legacy_first + j as usize),
        };
        if let Some(m) = target
            .filter(|t| *t != i)
            .and_then(|t| obj.maps.get(t).cloned())
        {
            obj.maps[i].inner = Some(Box::new(m));
        }
    }
    Ok(())
}

fn load_btf_maps(
    file: &object::File,
    syms: &[Sym],
    obj: &mut Object,
    map_at: &mut HashMap<(SectionIndex, u64), usize>,
) -> Result<(), ElfError> {
    let Some(sec) = file.sections().find(|s| s.name() == Ok(".maps")) else {
        return Ok(());
    };
    let btf_bytes = obj
        .btf
        .as_ref()
        .ok_or_else(|| sec_err(".maps", "BTF-defined maps need a .BTF section"))?;
    let btf = Btf::parse(btf_bytes)?;
    let ds = btf
        .datasec(".maps")
        .ok_or_else(|| ElfError::Btf("no DATASEC `.maps`".into()))?;
    let vars = btf.get(ds)?.members.clone();
    for (_, var, _) in vars {
        let v = btf.get(var)?;
        if v.kind != KIND_VAR {
            return Err(ElfError::Btf(format!(
                "`.maps` entry {var} is not a variable"
            )));
        }
        let name = v.name.clone();
        let def = btf_map(&btf, &name, v.size_or_type, 0)?;
        let sym = syms
            .iter()
            .find(|y| y.section == Some(sec.index()) && y.name == name);
        let Some(sym) = sym else {
            return Err(ElfError::Map {
                name,
                msg: "no ELF symbol in `.maps`".into(),
            });
        };
        if def.map_type == 0 {
            return Err(ElfError::Map {
                name,
                msg: "no map type".into(),
            });
        }
        map_at.insert((sec.index(), sym.value), obj.maps.len());
        obj.maps.push(def);
    }
    Ok(())
}

fn build_programs(code: &[CodeSec], obj: &mut Object) -> Result<(), ElfError> {
    let only_text = code.iter().all(|c| c.name == ".text");
    for (pos, c) in code.iter().enumerate() {
        if c.name == ".text" && !only_text {
            continue;
        }
        let entries: Vec<Func> = if c.funcs.is_empty() {
            vec![Func {
                name: c.name.clone(),
                start: 0,
                end: c.slots.len(),
            }]
        } else {
            c.funcs.clone()
        };
        let ptype = progtype::from_section(&c.name);
        for f in entries {
            let (insns, subprograms) = link(code, pos, &f)?;
            obj.programs.push(Program {
                section: c.name.clone(),
                name: f.name.clone(),
                prog_type: ptype.map(|p| p.0),
                expected_attach_type: ptype.and_then(|p| p.1),
                insns,
                section_offset: f.start,
                subprograms,
            });
        }
    }
    Ok(())
}

/// The function of section `pos` that contains `slot`.
fn func_at(c: &CodeSec, slot: usize) -> Option<Func> {
    if c.funcs.is_empty() {
        return (slot < c.slots.len()).then(|| Func {
            name: c.name.clone(),
            start: 0,
            end: c.slots.len(),
        });
    }
    c.funcs
        .iter()
        .find(|f| f.start <= slot && slot < f.end)
        .cloned()
}

/// Copies function `f` of section `pos`, then appends every function it reaches by calls or
/// function addresses, fixing the relative offsets.
fn link(
    code: &[CodeSec],
    pos: usize,
    f: &Func,
) -> Result<(Vec<Insn>, Vec<(String, usize)>), ElfError> {
    let mut out: Vec<Insn> = code[pos].slots[f.start..f.end].to_vec();
    let mut origin: Vec<(usize, usize)> = (f.start..f.end).map(|i| (pos, i)).collect();
    let mut placed: HashMap<(usize, usize), usize> = HashMap::new();
    placed.insert((pos, f.start), 0);
    let mut subprograms = Vec::new();
    let mut i = 0;
    while i < out.len() {
        let (sp, si) = origin[i];
        if let Some(&(tpos, tslot)) = code[sp].targets.get(&si) {
            let rerr = |msg: String| ElfError::Reloc {
                section: code[sp].name.clone(),
                insn: si,
                msg,
            };
            let g = func_at(&code[tpos], tslot).ok_or_else(|| {
                rerr(format!(
                    "call target {tslot} is outside section `{}`",
                    code[tpos].name
                ))
            })?;
            let start = match placed.get(&(tpos, g.start)) {
                Some(s) => *s,
                None => {
                    let s = out.len();
                    if s + (g.end - g.start) > MAX_LINKED {
                        return Err(rerr("linked program too large".into()));
                    }
                    out.extend_from_slice(&code[tpos].slots[g.start..g.end]);
                    origin.extend((g.start..g.end).map(|k| (tpos, k)));
                    placed.insert((tpos, g.start), s);
                    subprograms.push((g.name.clone(), s));
                    s
                }
            };
            let new_target = (start + (tslot - g.start)) as i64;
            out[i].imm = (new_target - (i as i64 + 1)) as i32;
        }
        i += 1;
    }
    Ok((out, subprograms))
}

pub(super) fn code_sections(bytes: &[u8]) -> Result<Vec<(String, Vec<Insn>)>, ElfError> {
    let file = object::File::parse(bytes).map_err(|e| ElfError::Parse(e.to_string()))?;
    let mut out = Vec::new();
    for s in file.sections() {
        if s.kind() != object::SectionKind::Text || s.size() == 0 {
            continue;
        }
        let name = s.name().unwrap_or("").to_string();
        let data = s.data().map_err(|e| sec_err(&name, e.to_string()))?;
        let slots = crate::insn::insns_from_bytes(data)
            .ok_or_else(|| sec_err(&name, "size is not a multiple of 8"))?;
        out.push((name, slots));
    }
    Ok(out)
}
