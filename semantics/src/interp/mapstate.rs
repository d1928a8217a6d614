//! Map contents at run time. Every value lives in its own memory region, so a pointer returned
//! by a lookup can reach exactly `value_size` bytes. An update of an existing key writes in
//! place; a deleted or evicted value stays readable (as under the kernel's RCU, where the
//! verifier does not invalidate such pointers either).

use super::memory::{Memory, RegionKind};
use crate::maps::{map_type as mt, MapDef};
use std::collections::HashMap;

/// Errors that map operations return to the program, as negative errno values.
pub mod errno {
    pub const ENOENT: i64 = 2;
    pub const E2BIG: i64 = 7;
    pub const EACCES: i64 = 13;
    pub const EEXIST: i64 = 17;
    pub const EINVAL: i64 = 22;
    pub const ENOSPC: i64 = 28;
    pub const EOPNOTSUPP: i64 = 95;
}

/// `BPF_NOEXIST`, `BPF_EXIST` flags of map updates.
const BPF_NOEXIST: u64 = 1;
const BPF_EXIST: u64 = 2;

/// The run-time state of one map.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MapState {
    pub def: MapDef,
    /// The region whose address stands for the map itself.
    pub object_region: usize,
    /// Array maps: index -> value region, created on first use.
    pub array: HashMap<u32, usize>,
    /// Hash maps: key -> (value region, insertion stamp for LRU eviction).
    pub hash: HashMap<Vec<u8>, (usize, u64)>,
    /// Program arrays: index -> program id.
    pub progs: HashMap<u32, usize>,
    stamp: u64,
}

/// What kind of storage a map type uses in the interpreter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Storage {
    Array,
    Hash,
    ProgArray,
    /// Types whose semantics the interpreter does not model: lookups find nothing and
    /// updates fail with `EOPNOTSUPP`.
    Unmodelled,
}

pub fn storage(t: u32) -> Storage {
    match t {
        mt::ARRAY | mt::PERCPU_ARRAY | mt::CGROUP_ARRAY => Storage::Array,
        mt::HASH | mt::PERCPU_HASH | mt::LRU_HASH | mt::LRU_PERCPU_HASH => Storage::Hash,
        mt::PROG_ARRAY => Storage::ProgArray,
        _ => Storage::Unmodelled,
    }
}

impl MapState {
    pub fn new(def: MapDef, mem: &mut Memory, idx: u32) -> MapState {
        // The map object itself (the kernel structure whose fields privileged programs may
        // read, `struct bpf_map` first): read-only zeros, as many as the structure has.
        let len =
            crate::maps::object_struct(def.map_type).map_or(crate::maps::BPF_MAP_SIZE, |(_, n)| n);
        let object_region = mem.add(
            RegionKind::MapValue { map: idx },
            vec![0; len as usize],
            false,
        );
        MapState {
            def,
            object_region,
            array: HashMap::new(),
            hash: HashMap::new(),
            progs: HashMap::new(),
            stamp: 0,
        }
    }

    fn new_value(&self, mem: &mut Memory, map_idx: u32) -> usize {
        let mut data = vec![0u8; self.def.value_size as usize];
        if let Some(init) = &self.def.initial {
            let n = init.len().min(data.len());
            data[..n].copy_from_slice(&init[..n]);
        }
        mem.add(
            RegionKind::MapValue { map: map_idx },
            data,
            !self.def.readonly,
        )
    }

    /// The region of the value at `key`, or `None`.
    pub fn lookup(&mut self, mem: &mut Memory, map_idx: u32, key: &[u8]) -> Option<usize> {
        match storage(self.def.map_type) {
            Storage::Array => {
                let i = u32::from_le_bytes(key.get(..4)?.try_into().ok()?);
                if i >= self.def.max_entries {
                    return None;
                }
                if let Some(r) = self.array.get(&i) {
                    return Some(*r);
                }
                let r = self.new_value(mem, map_idx);
                self.array.insert(i, r);
                Some(r)
            }
            Storage::Hash => self.hash.get(key).map(|(r, _)| *r),
            Storage::ProgArray | Storage::Unmodelled => None,
        }
    }

    /// Stores `value` at `key`; returns 0 or a negative errno.
    pub fn update(
        &mut self,
        mem: &mut Memory,
        map_idx: u32,
        key: &[u8],
        value: &[u8],
        flags: u64,
    ) -> i64 {
        if flags > BPF_EXIST {
            return -errno::EINVAL;
        }
        match storage(self.def.map_type) {
            Storage::Array => {
                if flags == BPF_NOEXIST {
                    return -errno::EEXIST;
                }
                let Some(r) = self.lookup(mem, map_idx, key) else {
                    return -errno::E2BIG;
                };
                mem.regions[r].data.copy_from_slice(value);
                0
            }
            Storage::Hash => {
                self.stamp += 1;
                if let Some(&(old, _)) = self.hash.get(key) {
                    if flags == BPF_NOEXIST {
                        return -errno::EEXIST;
                    }
                    mem.regions[old].data.copy_from_slice(value);
                    self.hash.insert(key.to_vec(), (old, self.stamp));
                    return 0;
                }
                if flags == BPF_EXIST {
                    return -errno::ENOENT;
                }
                if self.hash.len() as u64 >= self.def.max_entries as u64 {
                    let lru = matches!(self.def.map_type, mt::LRU_HASH | mt::LRU_PERCPU_HASH);
                    if !lru {
                        return -errno::E2BIG;
                    }
                    let oldest = self
                        .hash
                        .iter()
                        .min_by_key(|(_, (_, s))| *s)
                        .map(|(k, _)| k.clone());
                    if let Some(k) = oldest {
                        self.hash.remove(&k);
                    }
                }
                let r = self.new_value(mem, map_idx);
                mem.regions[r].data.copy_from_slice(value);
                self.hash.insert(key.to_vec(), (r, self.stamp));
                0
            }
            Storage::ProgArray | Storage::Unmodelled => -errno::EOPNOTSUPP,
        }
    }

    /// Removes `key`; returns 0 or a negative errno.
    pub fn delete(&mut self, key: &[u8]) -> i64 {
        match storage(self.def.map_type) {
            Storage::Array => -errno::EINVAL,
            Storage::Hash => match self.hash.remove(key) {
                Some(_) => 0,
                None => -errno::ENOENT,
            },
            Storage::ProgArray => {
                let Some(i) = key
                    .get(..4)
                    .and_then(|k| k.try_into().ok())
                    .map(u32::from_le_bytes)
                else {
                    return -errno::EINVAL;
                };
                if self.progs.remove(&i).is_some() {
                    0
                } else {
                    -errno::ENOENT
                }
            }
            Storage::Unmodelled => -errno::EOPNOTSUPP,
        }
    }
}
