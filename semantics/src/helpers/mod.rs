//! Helper functions for the interpreter, in one registry that the JIT shares.
//!
//! [`implemented`] says which helper numbers exist here; [`call`] runs one. A helper reads and
//! writes program memory only through the checked [`Memory`](crate::interp::Memory), so a bad
//! pointer argument ends the run with a fault at the call, never a host crash. Time and random
//! numbers are deterministic functions of [`Config::seed`](crate::interp::Config).

mod env;
pub mod names;
mod packet;
mod printk;

use crate::interp::mapstate::errno;
use crate::interp::memory::{region_base, RegionKind};
use crate::interp::{Outcome, Vm};
pub use names::{helper_name, helper_number};

/// The helpers this interpreter implements, by number.
pub const IMPLEMENTED: &[i32] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28,
    29, 30, 31, 33, 34, 35, 36, 37, 38, 39, 41, 42, 43, 44, 45, 49, 51, 53, 54, 55, 56, 57, 58, 59,
    65, 69, 112, 113, 114, 115, 118, 125, 130, 131, 132, 133, 137, 160,
];

/// Whether helper `n` is implemented.
pub fn implemented(n: i32) -> bool {
    IMPLEMENTED.contains(&n)
}

const EFAULT: i64 = 14;

type HResult = Result<u64, Outcome>;

fn fault(f: crate::interp::Fault) -> Outcome {
    Outcome::Fault(f)
}

fn neg(e: i64) -> u64 {
    (-e) as u64
}

/// Calls helper `n` with arguments r1-r5 from instruction `pc`; returns r0.
pub fn call(vm: &mut Vm, n: i32, a: [u64; 5], pc: usize) -> HResult {
    match n {
        1 => map_lookup(vm, a, pc),
        2 => map_update(vm, a, pc),
        3 => map_delete(vm, a, pc),
        4 | 112 | 113 => probe_read(vm, a, pc, false),
        45 | 114 | 115 => probe_read(vm, a, pc, true),
        5 | 125 | 160 => {
            vm.env.time_ns += 1000;
            Ok(vm.env.time_ns)
        }
        118 => Ok(vm.env.time_ns / 4_000_000),
        6 => printk::trace_printk(vm, a, pc),
        7 => Ok(next_random(&mut vm.env.rng) as u32 as u64),
        8 | 42 => Ok(0),
        14 => Ok((4242u64 << 32) | 4242),
        15 => Ok(0),
        16 => get_current_comm(vm, a, pc),
        34 => Ok(0x1234_5678),
        35 => Ok(0),
        23 => Ok(if is_xdp(vm) { 4 } else { 7 }),
        51 => Ok(a[2] & 0x3),
        25 => perf_event_output(vm, a, pc),
        130 => ringbuf_output(vm, a, pc),
        131 => ringbuf_reserve(vm, a),
        132 | 133 => ringbuf_commit(vm, a, pc, n == 132),
        9 => packet::skb_store_bytes(vm, a, pc),
        10 => packet::l3_csum_replace(vm, a, pc),
        11 => packet::l4_csum_replace(vm, a, pc),
        26 => packet::skb_load_bytes(vm, a, pc),
        28 => packet::csum_diff(vm, a, pc),
        39 => packet::skb_pull_data(vm, a),
        44 => packet::xdp_adjust(vm, a, packet::End::Head),
        54 => packet::xdp_adjust(vm, a, packet::End::Meta),
        65 => packet::xdp_adjust(vm, a, packet::End::Tail),
        18 => packet::skb_vlan_push(vm, a),
        19 => packet::skb_vlan_pop(vm),
        31 => packet::skb_change_proto(vm, a),
        38 => packet::skb_change_tail(vm, a),
        43 => packet::skb_change_head(vm, a),
        20 | 21 | 22 | 27 | 29 | 30 | 33 | 36 | 37 | 41 | 49 | 53 | 55 | 56 | 57 | 58 | 59 | 69
        | 137 | 13 => env::call(vm, n, a, pc),
        _ => Err(Outcome::Error {
            pc,
            reason: format!("unknown helper {n}"),
        }),
    }
}

fn is_xdp(vm: &Vm) -> bool {
    vm.mem.regions[crate::interp::CTX_REGION].data.len() == 24
}

/// xorshift64*: a small deterministic generator.
fn next_random(s: &mut u64) -> u64 {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    s.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

fn map_arg(vm: &Vm, addr: u64, pc: usize) -> Result<u32, Outcome> {
    vm.map_at(addr).ok_or_else(|| Outcome::Error {
        pc,
        reason: format!("{addr:#x} is not a map"),
    })
}

fn map_lookup(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let m = map_arg(vm, a[0], pc)?;
    let ks = vm.maps[m as usize].def.key_size as usize;
    let key = vm.mem.read_bytes(a[1], ks, pc).map_err(fault)?.to_vec();
    let map = &mut vm.maps[m as usize];
    Ok(map
        .lookup(&mut vm.mem, m, &key)
        .map(region_base)
        .unwrap_or(0))
}

fn map_update(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let m = map_arg(vm, a[0], pc)?;
    let d = &vm.maps[m as usize].def;
    let (ks, vs) = (d.key_size as usize, d.value_size as usize);
    let key = vm.mem.read_bytes(a[1], ks, pc).map_err(fault)?.to_vec();
    let value = vm.mem.read_bytes(a[2], vs, pc).map_err(fault)?.to_vec();
    let map = &mut vm.maps[m as usize];
    Ok(map.update(&mut vm.mem, m, &key, &value, a[3]) as u64)
}

fn map_delete(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let m = map_arg(vm, a[0], pc)?;
    let ks = vm.maps[m as usize].def.key_size as usize;
    let key = vm.mem.read_bytes(a[1], ks, pc).map_err(fault)?.to_vec();
    let map = &mut vm.maps[m as usize];
    Ok(map.delete(&key) as u64)
}

/// `probe_read*(dst, size, src)`: copies from any readable address; an unreadable source
/// zeroes the destination and returns `-EFAULT`. The string forms stop after a NUL and return
/// the length copied, NUL included.
fn probe_read(vm: &mut Vm, a: [u64; 5], pc: usize, string: bool) -> HResult {
    let (dst, size, src) = (a[0], a[1] as usize, a[2]);
    if size > 1 << 20 {
        return Ok(neg(errno::EINVAL));
    }
    // The destination must be writable program memory: a bad one is the program's fault.
    vm.mem.locate(dst, size.max(1), true, pc).map_err(fault)?;
    let data = if string {
        vm.mem.read_cstr(src, size.saturating_sub(1), pc).ok()
    } else {
        vm.mem.read_bytes(src, size, pc).ok().map(|b| b.to_vec())
    };
    match data {
        Some(mut d) => {
            let n = d.len();
            if string && size > 0 {
                d.push(0);
            }
            vm.mem.write_bytes(dst, &d, pc).map_err(fault)?;
            Ok(if string { (n + 1) as u64 } else { 0 })
        }
        None => {
            vm.mem.write_bytes(dst, &vec![0; size], pc).map_err(fault)?;
            Ok(neg(EFAULT))
        }
    }
}

fn get_current_comm(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let size = a[1] as usize;
    if size == 0 || size > 4096 {
        return Ok(neg(errno::EINVAL));
    }
    let mut buf = vec![0u8; size];
    let name = b"tristate";
    let n = name.len().min(size - 1);
    buf[..n].copy_from_slice(&name[..n]);
    vm.mem.write_bytes(a[0], &buf, pc).map_err(fault)?;
    Ok(0)
}

fn perf_event_output(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    map_arg(vm, a[1], pc)?;
    let data = vm
        .mem
        .read_bytes(a[3], a[4] as usize, pc)
        .map_err(fault)?
        .to_vec();
    vm.env.trace.perf.push(data);
    Ok(0)
}

fn ringbuf_output(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let m = map_arg(vm, a[0], pc)?;
    let data = vm
        .mem
        .read_bytes(a[1], a[2] as usize, pc)
        .map_err(fault)?
        .to_vec();
    vm.env.trace.ringbuf.push((m, data));
    Ok(0)
}

fn ringbuf_reserve(vm: &mut Vm, a: [u64; 5]) -> HResult {
    let Some(m) = vm.map_at(a[0]) else {
        return Ok(0);
    };
    let cap = vm.maps[m as usize].def.max_entries as u64;
    if a[1] == 0 || a[1] > cap || a[2] != 0 {
        return Ok(0);
    }
    let r = vm.mem.add(RegionKind::Mem, vec![0; a[1] as usize], true);
    vm.env.reservations.push((r, m));
    Ok(region_base(r))
}

fn ringbuf_commit(vm: &mut Vm, a: [u64; 5], pc: usize, submit: bool) -> HResult {
    let region = (a[0] >> 32).wrapping_sub(1) as usize;
    let Some(i) = vm
        .env
        .reservations
        .iter()
        .position(|(r, _)| *r == region && a[0] & 0xffff_ffff == 0)
    else {
        return Err(Outcome::Error {
            pc,
            reason: format!("{:#x} is not a ring buffer reservation", a[0]),
        });
    };
    let (r, m) = vm.env.reservations.swap_remove(i);
    if submit {
        let data = vm.mem.regions[r].data.clone();
        vm.env.trace.ringbuf.push((m, data));
    }
    vm.mem.free(r);
    Ok(0)
}
