//! Map definitions, as an ELF object declares them and as the interpreter and the kernel
//! oracle create them.

/// `enum bpf_map_type` values used here.
pub mod map_type {
    pub const HASH: u32 = 1;
    pub const ARRAY: u32 = 2;
    pub const PROG_ARRAY: u32 = 3;
    pub const PERF_EVENT_ARRAY: u32 = 4;
    pub const PERCPU_HASH: u32 = 5;
    pub const PERCPU_ARRAY: u32 = 6;
    pub const STACK_TRACE: u32 = 7;
    pub const CGROUP_ARRAY: u32 = 8;
    pub const LRU_HASH: u32 = 9;
    pub const LRU_PERCPU_HASH: u32 = 10;
    pub const LPM_TRIE: u32 = 11;
    pub const ARRAY_OF_MAPS: u32 = 12;
    pub const HASH_OF_MAPS: u32 = 13;
    pub const DEVMAP: u32 = 14;
    pub const SOCKMAP: u32 = 15;
    pub const CPUMAP: u32 = 16;
    pub const XSKMAP: u32 = 17;
    pub const SOCKHASH: u32 = 18;
    pub const CGROUP_STORAGE: u32 = 19;
    pub const REUSEPORT_SOCKARRAY: u32 = 20;
    pub const PERCPU_CGROUP_STORAGE: u32 = 21;
    pub const QUEUE: u32 = 22;
    pub const STACK: u32 = 23;
    pub const SK_STORAGE: u32 = 24;
    pub const DEVMAP_HASH: u32 = 25;
    pub const STRUCT_OPS: u32 = 26;
    pub const RINGBUF: u32 = 27;
    pub const INODE_STORAGE: u32 = 28;
    pub const TASK_STORAGE: u32 = 29;
    pub const BLOOM_FILTER: u32 = 30;
    pub const USER_RINGBUF: u32 = 31;
    pub const CGRP_STORAGE: u32 = 32;
    pub const ARENA: u32 = 33;

    /// The kernel's name of a map type (`BPF_MAP_TYPE_` dropped, lower case).
    pub fn name(t: u32) -> &'static str {
        const NAMES: [&str; 34] = [
            "unspec",
            "hash",
            "array",
            "prog_array",
            "perf_event_array",
            "percpu_hash",
            "percpu_array",
            "stack_trace",
            "cgroup_array",
            "lru_hash",
            "lru_percpu_hash",
            "lpm_trie",
            "array_of_maps",
            "hash_of_maps",
            "devmap",
            "sockmap",
            "cpumap",
            "xskmap",
            "sockhash",
            "cgroup_storage",
            "reuseport_sockarray",
            "percpu_cgroup_storage",
            "queue",
            "stack",
            "sk_storage",
            "devmap_hash",
            "struct_ops",
            "ringbuf",
            "inode_storage",
            "task_storage",
            "bloom_filter",
            "user_ringbuf",
            "cgrp_storage",
            "arena",
        ];
        NAMES.get(t as usize).copied().unwrap_or("unknown")
    }

    /// The map type of a kernel name (`hash`, `array`, ...), as `name` prints it.
    pub fn by_name(s: &str) -> Option<u32> {
        (0..34).find(|t| name(*t) == s)
    }
}

/// The kernel structure behind a map of type `t` (the one its operations name as
/// `map_btf_id`) and that structure's size in bytes on Linux 6.18 x86-64, as the live
/// kernel's BTF gives them. A privileged program may read this structure through a map
/// pointer (CONST_PTR_TO_MAP) and nothing past it; the interpreter gives each map object
/// this many bytes. (Where the structure ends in a flexible array of scalars, the kernel
/// also lets a read past the end through, into that array; we do not.)
pub fn object_struct(t: u32) -> Option<(&'static str, u32)> {
    use map_type::*;
    Some(match t {
        HASH | PERCPU_HASH | LRU_HASH | LRU_PERCPU_HASH | HASH_OF_MAPS => ("bpf_htab", 832),
        ARRAY | PROG_ARRAY | PERF_EVENT_ARRAY | PERCPU_ARRAY | CGROUP_ARRAY | ARRAY_OF_MAPS => {
            ("bpf_array", 312)
        }
        STACK_TRACE => ("bpf_stack_map", 320),
        LPM_TRIE => ("lpm_trie", 400),
        DEVMAP | DEVMAP_HASH => ("bpf_dtab", 344),
        SOCKMAP => ("bpf_stab", 376),
        CPUMAP => ("bpf_cpu_map", 304),
        XSKMAP => ("xsk_map", 304),
        SOCKHASH => ("bpf_shtab", 384),
        CGROUP_STORAGE | PERCPU_CGROUP_STORAGE => ("bpf_cgroup_storage_map", 328),
        REUSEPORT_SOCKARRAY => ("reuseport_array", 296),
        QUEUE | STACK => ("bpf_queue_stack", 312),
        SK_STORAGE | INODE_STORAGE | TASK_STORAGE | CGRP_STORAGE => ("bpf_local_storage_map", 448),
        STRUCT_OPS => ("bpf_struct_ops_map", 512),
        RINGBUF | USER_RINGBUF => ("bpf_ringbuf_map", 304),
        BLOOM_FILTER => ("bpf_bloom_filter", 312),
        ARENA => ("bpf_arena", 400),
        _ => return None,
    })
}

/// The size of `struct bpf_map` on Linux 6.18 x86-64, with which every map's structure
/// begins: the interpreter's map object for a type `object_struct` does not know.
pub const BPF_MAP_SIZE: u32 = 296;

/// Where a map definition came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MapOrigin {
    /// A record of the legacy `maps` section.
    Legacy,
    /// A BTF-defined map in `.maps`.
    Btf,
    /// A global data section (`.data`, `.rodata`, `.bss`): an array of one value.
    GlobalData,
    /// Created by hand (tests, the kernel selftests' fixups).
    Manual,
}

/// One map.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MapDef {
    pub name: String,
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
    /// The inner map of a map-in-map, where declared.
    pub inner: Option<Box<MapDef>>,
    /// Initial contents of entry 0 for global data sections.
    pub initial: Option<Vec<u8>>,
    /// Whether the program may not write the values (`.rodata`).
    pub readonly: bool,
    pub origin: MapOrigin,
}

impl MapDef {
    /// An array map with one value per index.
    pub fn array(name: &str, value_size: u32, max_entries: u32) -> MapDef {
        MapDef::new(name, map_type::ARRAY, 4, value_size, max_entries)
    }
    pub fn new(
        name: &str,
        map_type: u32,
        key_size: u32,
        value_size: u32,
        max_entries: u32,
    ) -> MapDef {
        MapDef {
            name: name.to_string(),
            map_type,
            key_size,
            value_size,
            max_entries,
            flags: 0,
            inner: None,
            initial: None,
            readonly: false,
            origin: MapOrigin::Manual,
        }
    }
}
