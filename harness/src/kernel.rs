//! The live Linux kernel as an oracle: loading programs with the bpf() system call and
//! reading the verifier's log.
//!
//! Everything here talks to the running kernel. Where bpf() is refused (no privilege, no
//! syscall), [`available`] says why, and the tests that need the kernel print that one line
//! and skip.

use semantics::insn::Insn;
use std::os::fd::{FromRawFd, OwnedFd};

const BPF_PROG_LOAD: libc::c_long = 5;

/// The bpf() system call with `attr` (a `union bpf_attr` prefix, which some commands
/// write back into); returns its result.
///
/// # Safety
/// Every pointer inside `attr` must point at a buffer that lives for the call and is as
/// large as the size field beside it says.
unsafe fn sys_bpf<T>(cmd: libc::c_long, attr: &mut T) -> libc::c_long {
    libc::syscall(libc::SYS_bpf, cmd, attr as *mut T, std::mem::size_of::<T>())
}

/// `union bpf_attr` as BPF_PROG_LOAD reads it, up to the fields we set; the rest is zero.
#[repr(C)]
#[derive(Default)]
struct ProgLoadAttr {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; 16],
    prog_ifindex: u32,
    expected_attach_type: u32,
    prog_btf_fd: u32,
    func_info_rec_size: u32,
    func_info: u64,
    func_info_cnt: u32,
    line_info_rec_size: u32,
    line_info: u64,
    line_info_cnt: u32,
    attach_btf_id: u32,
    /// The remaining fields of the union, left zero.
    rest: [u64; 7],
}

/// A program's BTF as libbpf would pass it: the object's type information (with data
/// sections fixed up) and one `bpf_func_info` record (instruction, FUNC type id) per
/// function of the program, sorted by instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgBtf {
    pub btf: Vec<u8>,
    pub func_info: Vec<[u32; 2]>,
}

impl ProgBtf {
    /// The BTF of program `p` of `obj`: `None` when the object has no BTF or a function of
    /// the program has no FUNC type.
    pub fn of(obj: &semantics::elf::Object, p: &semantics::elf::Program) -> Option<ProgBtf> {
        let raw = obj.btf.as_ref()?;
        let btf = semantics::elf::btf::Btf::parse(raw).ok()?;
        let mut func_info = vec![[0, btf.func_id(&p.name)?]];
        for (name, start) in &p.subprograms {
            func_info.push([*start as u32, btf.func_id(name)?]);
        }
        func_info.sort();
        Some(ProgBtf {
            btf: raw.clone(),
            func_info,
        })
    }
}

const BPF_BTF_LOAD: libc::c_long = 18;

/// `union bpf_attr` as BPF_BTF_LOAD reads it.
#[repr(C)]
#[derive(Default)]
struct BtfLoadAttr {
    btf: u64,
    btf_log_buf: u64,
    btf_size: u32,
    btf_log_size: u32,
    btf_log_level: u32,
    pad: u32,
}

/// Loads BTF into the kernel; the error carries the kernel's BTF log.
pub fn btf_load(btf: &[u8]) -> Result<OwnedFd, String> {
    let mut log = vec![0u8; 64 << 10];
    let mut attr = BtfLoadAttr {
        btf: btf.as_ptr() as u64,
        btf_log_buf: log.as_mut_ptr() as u64,
        btf_size: btf.len() as u32,
        btf_log_size: log.len() as u32,
        btf_log_level: 1,
        pad: 0,
    };
    // SAFETY: `attr` points at `btf` and `log`, live for the call, with their sizes.
    let rc = unsafe { sys_bpf(BPF_BTF_LOAD, &mut attr) };
    if rc < 0 {
        let e = std::io::Error::last_os_error();
        let end = log.iter().position(|b| *b == 0).unwrap_or(0);
        let text = String::from_utf8_lossy(&log[..end]);
        return Err(format!(
            "BPF_BTF_LOAD: {e}: {}",
            text.lines().last().unwrap_or("")
        ));
    }
    // SAFETY: a non-negative return of BPF_BTF_LOAD is a new file descriptor we own.
    Ok(unsafe { OwnedFd::from_raw_fd(rc as i32) })
}

/// What the kernel said about one program.
#[derive(Debug)]
pub struct Load {
    /// The program's file descriptor when the kernel accepted it (closed on drop).
    pub fd: Option<OwnedFd>,
    /// `errno` of a refused load (0 when accepted).
    pub errno: i32,
    /// The verifier log at the requested level.
    pub log: String,
}

impl Load {
    pub fn accepted(&self) -> bool {
        self.fd.is_some()
    }
}

/// The size of the log buffer: large enough for a level-2 log of the corpora's programs.
pub const LOG_SIZE: usize = 16 << 20;

/// Loads `insns` as a program of type `prog_type` (the UAPI number, e.g. 1 for
/// socket_filter) under the GPL licence, with a verifier log at `log_level` (0, 1, 2; add 4
/// for statistics).
pub fn prog_load(prog_type: u32, insns: &[Insn], log_level: u32) -> Load {
    prog_load_attach(prog_type, 0, insns, log_level)
}

/// `prog_load` with an expected attach type.
pub fn prog_load_attach(prog_type: u32, attach: u32, insns: &[Insn], log_level: u32) -> Load {
    prog_load_btf(prog_type, attach, insns, log_level, None)
}

/// `prog_load_attach` with BTF: a loaded BTF object and the `bpf_func_info` records.
pub fn prog_load_btf(
    prog_type: u32,
    attach: u32,
    insns: &[Insn],
    log_level: u32,
    btf: Option<(&OwnedFd, &[[u32; 2]])>,
) -> Load {
    use std::os::fd::AsRawFd;
    let bytes: Vec<u8> = insns.iter().flat_map(|i| i.to_bytes()).collect();
    let license = b"GPL\0";
    let mut log = vec![0u8; if log_level == 0 { 0 } else { LOG_SIZE }];
    let mut attr = ProgLoadAttr {
        prog_type,
        insn_cnt: insns.len() as u32,
        insns: bytes.as_ptr() as u64,
        license: license.as_ptr() as u64,
        log_level,
        expected_attach_type: attach,
        log_size: log.len() as u32,
        log_buf: if log.is_empty() {
            0
        } else {
            log.as_mut_ptr() as u64
        },
        prog_btf_fd: btf.map(|(fd, _)| fd.as_raw_fd() as u32).unwrap_or(0),
        func_info_rec_size: if btf.is_some() { 8 } else { 0 },
        func_info: btf.map(|(_, f)| f.as_ptr() as u64).unwrap_or(0),
        func_info_cnt: btf.map(|(_, f)| f.len() as u32).unwrap_or(0),
        ..Default::default()
    };
    // SAFETY: `attr` points at live buffers (`bytes`, `license`, `log`) for the whole call,
    // and the size passed is the size of `attr`; the kernel writes only into `log`.
    let rc = unsafe { sys_bpf(BPF_PROG_LOAD, &mut attr) };
    let errno = if rc < 0 {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(-1)
    } else {
        0
    };
    let end = log.iter().position(|b| *b == 0).unwrap_or(log.len());
    Load {
        // SAFETY: a non-negative return of BPF_PROG_LOAD is a new file descriptor we own.
        fd: (rc >= 0).then(|| unsafe { OwnedFd::from_raw_fd(rc as i32) }),
        errno,
        log: String::from_utf8_lossy(&log[..end]).into_owned(),
    }
}

/// Whether this process may load BPF programs: `Err` with the reason when not.
pub fn available() -> Result<(), String> {
    // r0 = 0; exit
    let prog = [Insn::new(0xb7, 0, 0, 0, 0), Insn::new(0x95, 0, 0, 0, 0)];
    let l = prog_load(1, &prog, 0);
    if l.accepted() {
        Ok(())
    } else {
        Err(format!(
            "bpf(BPF_PROG_LOAD) refused: {}",
            std::io::Error::from_raw_os_error(l.errno)
        ))
    }
}

/// One instruction's line of a level-2 log: `PC: (op) text ; R1=... R2_w=...`, with the
/// register states printed after it.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine<'a> {
    pub pc: usize,
    pub text: &'a str,
    /// `(register, value)` pairs, the value as printed (`scalar(...)`, `ctx()`, `fp-8`, ...).
    pub regs: Vec<(u8, &'a str)>,
}

/// The instruction lines of a level-2 log, in order (branch and state lines are skipped).
pub fn log_lines(log: &str) -> Vec<LogLine<'_>> {
    log.lines().filter_map(log_line).collect()
}

fn log_line(line: &str) -> Option<LogLine<'_>> {
    let (pc, rest) = line.split_once(": (")?;
    let pc = pc.parse().ok()?;
    let (text, state) = match rest.split_once(" ; ") {
        Some((t, s)) => (t, s),
        None => (rest, ""),
    };
    Some(LogLine {
        pc,
        text: text.trim_end(),
        regs: registers(state),
    })
}

/// `R1=ctx() R2_w=scalar(smin=0,smax=5)` as pairs. Values contain no spaces except inside
/// `var_off=(a; b)`, so tokens are split at spaces outside parentheses.
pub fn registers(state: &str) -> Vec<(u8, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let bytes = state.as_bytes();
    for i in 0..=bytes.len() {
        let c = bytes.get(i).copied().unwrap_or(b' ');
        match c {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b' ' if depth == 0 => {
                if let Some(pair) = register(&state[start..i]) {
                    out.push(pair);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

fn register(tok: &str) -> Option<(u8, &str)> {
    let (name, value) = tok.split_once('=')?;
    let n = name.strip_prefix('R')?;
    let n = n.strip_suffix("_w").unwrap_or(n);
    Some((n.parse().ok()?, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_split_registers_outside_parentheses() {
        let l = log_line(
            "3: (57) r2 &= 1020                    ; R2_w=scalar(smin=0,var_off=(0x0; 0x3fc)) R10=fp0",
        )
        .unwrap();
        assert_eq!(l.pc, 3);
        assert_eq!(l.text, "57) r2 &= 1020");
        assert_eq!(
            l.regs,
            vec![(2, "scalar(smin=0,var_off=(0x0; 0x3fc))"), (10, "fp0")]
        );
        assert!(log_line("from 4 to 6: R0=1").is_none());
    }
}

const BPF_MAP_CREATE: libc::c_long = 0;

/// `union bpf_attr` as BPF_MAP_CREATE reads it, up to the fields we set.
#[repr(C)]
#[derive(Default)]
struct MapCreateAttr {
    map_type: u32,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    map_flags: u32,
    inner_map_fd: u32,
    numa_node: u32,
    map_name: [u8; 16],
    /// The remaining fields, zero (u32s, so that the struct has no padding, which the
    /// kernel would see as set fields).
    rest: [u32; 24],
}

/// Creates a map in the kernel; for a map of maps, `inner` is the template inner map.
pub fn map_create(m: &verifier::MapInfo, inner: Option<&OwnedFd>) -> Result<OwnedFd, String> {
    use std::os::fd::AsRawFd;
    // What libbpf does before creating a map: ring buffers have no keys or values; perf
    // event arrays hold file descriptors, one per CPU unless the object says how many.
    let (key_size, value_size, max_entries) = match m.map_type {
        27 | 31 => (0, 0, m.max_entries),
        4 => (
            4,
            4,
            if m.max_entries == 0 {
                verifier::Options::for_this_machine().nr_cpus
            } else {
                m.max_entries
            },
        ),
        // Maps of maps hold file descriptors.
        12 | 13 => (m.key_size, 4, m.max_entries),
        // Storage maps have no size: one value per object.
        19 | 21 | 24 | 28 | 29 | 32 => (m.key_size, m.value_size, 0),
        _ => (m.key_size, m.value_size, m.max_entries),
    };
    let mut attr = MapCreateAttr {
        map_type: m.map_type,
        key_size,
        value_size,
        max_entries: if matches!(m.map_type, 19 | 21 | 24 | 28 | 29 | 32) {
            0
        } else {
            max_entries.max(1)
        },
        // Local storage maps must not be preallocated.
        map_flags: m.flags
            | if matches!(m.map_type, 24 | 28 | 29 | 32) {
                1
            } else {
                0
            },
        inner_map_fd: inner.map(|f| f.as_raw_fd() as u32).unwrap_or(0),
        ..Default::default()
    };
    // SAFETY: `attr` is a plain struct that lives for the call; the size passed is its size.
    let rc = unsafe { sys_bpf(BPF_MAP_CREATE, &mut attr) };
    if rc < 0 {
        return Err(format!(
            "BPF_MAP_CREATE (type {}, key {}, value {}, entries {}): {}",
            m.map_type,
            m.key_size,
            m.value_size,
            m.max_entries,
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: a non-negative return of BPF_MAP_CREATE is a new file descriptor we own.
    Ok(unsafe { OwnedFd::from_raw_fd(rc as i32) })
}

/// What the kernel said about one program of ours: the load, and the statistics of its
/// level-4 log line (`processed N insns`, `verification time N usec`).
#[derive(Debug)]
pub struct KernelVerdict {
    pub load: Load,
    pub processed_insns: Option<u64>,
    pub time_us: Option<u64>,
    /// `total_states` and `peak_states` of the statistics line.
    pub total_states: Option<u64>,
    pub peak_states: Option<u64>,
    /// The last line of the log before the statistics: the kernel's message.
    pub message: String,
    /// The program's maps, in `Program::maps` order (to read them after a test run).
    pub maps: Vec<OwnedFd>,
}

impl KernelVerdict {
    /// Whether the load failed before the verifier ran (no log: the environment refused
    /// the program type, attach type or a map), which is not a verdict.
    pub fn refused_before_verifier(&self) -> bool {
        !self.load.accepted() && self.processed_insns.is_none() && self.message.is_empty()
    }
}

/// Loads a program as the verifier sees it: its maps are created, LD_IMM64 map references
/// (by index) are patched with their file descriptors, and the log (level 1, with
/// statistics) is read.
pub fn verify(p: &verifier::Program) -> Result<KernelVerdict, String> {
    verify_at(p, 1)
}

/// `verify` with the log at `log_level` (1 or 2; statistics are always asked for).
pub fn verify_at(p: &verifier::Program, log_level: u32) -> Result<KernelVerdict, String> {
    verify_btf(p, log_level, None)
}

/// `verify_at` with the program's BTF and function records, as libbpf loads it; where the
/// kernel refuses the BTF (or the load fails before the verifier runs because of it) the
/// program is loaded without.
pub fn verify_btf(
    p: &verifier::Program,
    log_level: u32,
    btf: Option<&ProgBtf>,
) -> Result<KernelVerdict, String> {
    let mut fds = Vec::new();
    for m in &p.maps {
        let inner = match &m.inner {
            Some(i) => Some(map_create(i, None)?),
            None => None,
        };
        fds.push(map_create(m, inner.as_ref())?);
    }
    let mut slots = p.slots.clone();
    for i in 0..slots.len() {
        if slots[i].code != 0x18 {
            continue;
        }
        let new_src = match slots[i].src {
            1 | 5 => 1,
            2 | 6 => 2,
            _ => continue,
        };
        use std::os::fd::AsRawFd;
        let idx = slots[i].imm as usize;
        slots[i].src = new_src;
        // A reference to a map the program does not have stays an invalid descriptor,
        // which the kernel rejects as such.
        slots[i].imm = fds.get(idx).map(|fd| fd.as_raw_fd()).unwrap_or(-1);
    }
    let btf_fd = btf.and_then(|b| btf_load(&b.btf).ok());
    let info = btf_fd
        .as_ref()
        .zip(btf)
        .map(|(fd, b)| (fd, b.func_info.as_slice()));
    let load_at =
        |level: u32, info| prog_load_btf(p.prog_type, p.expected_attach_type, &slots, level, info);
    let mut info = info;
    // Statistics alone first: logging the path costs the kernel time, which would count in
    // its verification time.
    let first = if log_level == 1 { 4 } else { log_level | 4 };
    let mut load = load_at(first, info);
    if info.is_some() && !load.accepted() && !load.log.contains("processed ") {
        // Refused for its BTF before the verifier ran: as without BTF.
        info = None;
        load = load_at(first, None);
    }
    if !load.accepted() && load.errno == libc::ENOSPC {
        // The log of a long path overflowed the buffer: the verdict comes from a reload
        // with statistics only.
        load = load_at(4, info);
    }
    let stat = |key: &str| -> Option<u64> {
        let at = load.log.rfind(key)? + key.len();
        load.log[at..]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
    };
    let processed_insns = stat("processed ");
    let time_us = stat("verification time ");
    let total_states = stat("total_states ");
    let peak_states = stat("peak_states ");
    if log_level == 1 && !load.accepted() && processed_insns.is_some() {
        // The message and the path to it come with the level-1 log.
        let again = load_at(1 | 4, info);
        if again.errno != libc::ENOSPC {
            load.log = again.log;
        }
    }
    let message = load
        .log
        .lines()
        .filter(|l| {
            !l.starts_with("processed ")
                && !l.starts_with("verification time")
                && !l.starts_with("stack depth")
                && !l.trim().is_empty()
        })
        .last()
        .unwrap_or("")
        .to_string();
    Ok(KernelVerdict {
        load,
        processed_insns,
        time_us,
        total_states,
        peak_states,
        message,
        maps: fds,
    })
}

/// The instructions of a rejecting level-1 log's last path: the `N: (op) ...` lines after
/// the last `from X to Y:` line (all of them when there is none), in order.
pub fn error_path(log: &str) -> Vec<usize> {
    let lines: Vec<&str> = log.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.starts_with("from "))
        .map_or(0, |i| i + 1);
    lines[start..]
        .iter()
        .filter_map(|l| insn_line_pc(l))
        .collect()
}

/// The instruction of a log line `N: (op) ...`.
fn insn_line_pc(l: &str) -> Option<usize> {
    let (n, rest) = l.split_once(": (")?;
    rest.get(..2)?
        .chars()
        .all(|c| c.is_ascii_hexdigit())
        .then_some(())?;
    n.trim().parse().ok()
}

/// The instruction a rejecting log's path ends at: the last `N: (op) ...` line.
pub fn error_pc(log: &str) -> Option<usize> {
    log.lines().rev().find_map(insn_line_pc)
}

const BPF_MAP_LOOKUP_ELEM: libc::c_long = 1;
const BPF_MAP_GET_NEXT_KEY: libc::c_long = 4;

/// `union bpf_attr` as the map element commands read it.
#[repr(C)]
#[derive(Default)]
struct MapElemAttr {
    map_fd: u32,
    pad: u32,
    key: u64,
    value_or_next: u64,
    flags: u64,
}

fn map_elem(cmd: libc::c_long, fd: &OwnedFd, key: Option<&[u8]>, out: &mut [u8]) -> bool {
    use std::os::fd::AsRawFd;
    let mut attr = MapElemAttr {
        map_fd: fd.as_raw_fd() as u32,
        key: key.map(|k| k.as_ptr() as u64).unwrap_or(0),
        value_or_next: out.as_mut_ptr() as u64,
        ..Default::default()
    };
    // SAFETY: the key and output buffers live for the call and are as large as the map's
    // key and value (the callers size them from the map definition).
    let rc = unsafe { sys_bpf(cmd, &mut attr) };
    rc == 0
}

/// Every entry of a kernel map with `key_size`-byte keys and `value_size`-byte values, in
/// the kernel's iteration order (at most 4,096).
pub fn map_entries(fd: &OwnedFd, key_size: usize, value_size: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    let mut key: Option<Vec<u8>> = None;
    while out.len() < 4096 {
        let mut next = vec![0u8; key_size];
        if !map_elem(BPF_MAP_GET_NEXT_KEY, fd, key.as_deref(), &mut next) {
            break;
        }
        let mut value = vec![0u8; value_size];
        if map_elem(BPF_MAP_LOOKUP_ELEM, fd, Some(&next), &mut value) {
            out.push((next.clone(), value));
        }
        key = Some(next);
    }
    out
}

const BPF_PROG_TEST_RUN: libc::c_long = 10;

/// `union bpf_attr` as BPF_PROG_TEST_RUN reads it.
#[repr(C)]
#[derive(Default)]
struct TestRunAttr {
    prog_fd: u32,
    retval: u32,
    data_size_in: u32,
    data_size_out: u32,
    data_in: u64,
    data_out: u64,
    repeat: u32,
    duration: u32,
    ctx_size_in: u32,
    ctx_size_out: u32,
    ctx_in: u64,
    ctx_out: u64,
    flags: u32,
    cpu: u32,
    batch_size: u32,
    pad: u32,
    rest: [u64; 6],
}

/// The result of BPF_PROG_TEST_RUN: the program's return value (32 bits), the packet as
/// the program left it, and the mean duration of one run in nanoseconds.
#[derive(Debug)]
pub struct TestRun {
    pub retval: u32,
    pub data_out: Vec<u8>,
    /// The context as the program left it, when one was passed in.
    pub ctx_out: Vec<u8>,
    pub duration_ns: u32,
}

/// Runs a loaded program once (or `repeat` times) on `data` with BPF_PROG_TEST_RUN, on
/// CPU 0.
pub fn test_run(fd: &OwnedFd, data: &[u8], repeat: u32) -> Result<TestRun, String> {
    test_run_ctx(fd, data, None, repeat)
}

/// `test_run` with a context passed in (`struct __sk_buff`, `xdp_md`, ...; the kernel
/// checks which fields may be set) and read back.
pub fn test_run_ctx(
    fd: &OwnedFd,
    data: &[u8],
    ctx: Option<&[u8]>,
    repeat: u32,
) -> Result<TestRun, String> {
    use std::os::fd::AsRawFd;
    let mut out = vec![0u8; data.len() + 256];
    let mut ctx_out = vec![0u8; ctx.map_or(0, |c| c.len())];
    let mut attr = TestRunAttr {
        prog_fd: fd.as_raw_fd() as u32,
        data_size_in: data.len() as u32,
        data_size_out: out.len() as u32,
        data_in: data.as_ptr() as u64,
        data_out: out.as_mut_ptr() as u64,
        repeat,
        ctx_size_in: ctx.map_or(0, |c| c.len() as u32),
        ctx_in: ctx.map_or(0, |c| c.as_ptr() as u64),
        ctx_size_out: ctx_out.len() as u32,
        ctx_out: if ctx_out.is_empty() {
            0
        } else {
            ctx_out.as_mut_ptr() as u64
        },
        ..Default::default()
    };
    // The run happens on the calling CPU: pin it to CPU 0, as our interpreter's
    // bpf_get_smp_processor_id says, and restore the thread's CPUs afterwards.
    // SAFETY: `cpu_set_t` is plain data; the calls get its size and a valid pointer.
    let saved = unsafe {
        let mut old: libc::cpu_set_t = std::mem::zeroed();
        let ok = libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut old) == 0;
        let mut one: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(0, &mut one);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &one);
        ok.then_some(old)
    };
    // SAFETY: the buffers live for the call and their sizes are the ones passed; the kernel
    // writes at most `data_size_out` bytes into `out` and updates `attr`.
    let rc = unsafe { sys_bpf(BPF_PROG_TEST_RUN, &mut attr) };
    let err = std::io::Error::last_os_error();
    if let Some(old) = saved {
        // SAFETY: as above.
        unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &old) };
    }
    if rc < 0 {
        return Err(format!("BPF_PROG_TEST_RUN: {err}"));
    }
    out.truncate(attr.data_size_out as usize);
    ctx_out.truncate(attr.ctx_size_out as usize);
    Ok(TestRun {
        retval: attr.retval,
        data_out: out,
        ctx_out,
        duration_ns: attr.duration,
    })
}
