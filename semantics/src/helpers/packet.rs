//! Packet helpers: loads and stores into the packet, checksum updates, and resizing.
//!
//! Checksums are 16-bit one's complement sums. Because such sums do not depend on byte order,
//! they are computed here on the values as the program holds them (the packet bytes loaded
//! little endian), which gives the same packet bytes as the kernel's big-endian arithmetic.

use super::{fault, neg, HResult, EFAULT};
use crate::interp::mapstate::errno;
use crate::interp::memory::RegionKind;
use crate::interp::Vm;

const ETH_HLEN: usize = 14;
const XDP_HEADROOM: usize = 256;
/// The part of the headroom the kernel keeps for its `struct xdp_frame`.
const XDP_FRAME_SIZE: usize = 40;
const BPF_F_MARK_MANGLED_0: u64 = 0x20;

/// The packet's bytes from `data` to `data_end` (XDP metadata, if any, comes before).
fn packet(vm: &Vm) -> &[u8] {
    vm.packet()
}

/// The bytes `r` of the packet (from `data`), as a range of its region.
fn in_region(vm: &Vm, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    r.start + vm.env.meta_len..r.end + vm.env.meta_len
}

fn range(vm: &Vm, off: u64, len: u64) -> Option<std::ops::Range<usize>> {
    let end = off.checked_add(len)?;
    (end <= packet(vm).len() as u64).then_some(off as usize..end as usize)
}

pub(super) fn skb_store_bytes(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let Some(r) = range(vm, a[1], a[3]) else {
        return Ok(neg(EFAULT));
    };
    let bytes = vm
        .mem
        .read_bytes(a[2], a[3] as usize, pc)
        .map_err(fault)?
        .to_vec();
    let region = vm.packet_region;
    let r = in_region(vm, r);
    vm.mem.regions[region].data[r].copy_from_slice(&bytes);
    Ok(0)
}

pub(super) fn skb_load_bytes(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let len = a[3] as usize;
    match range(vm, a[1], a[3]) {
        Some(r) => {
            let bytes = packet(vm)[r].to_vec();
            vm.mem.write_bytes(a[2], &bytes, pc).map_err(fault)?;
            Ok(0)
        }
        None => {
            if len <= 1 << 16 {
                vm.mem.write_bytes(a[2], &vec![0; len], pc).map_err(fault)?;
            }
            Ok(neg(EFAULT))
        }
    }
}

fn fold(mut s: u64) -> u16 {
    while s >> 16 != 0 {
        s = (s & 0xffff) + (s >> 16);
    }
    s as u16
}

fn words(v: u64, size: u64) -> u64 {
    if size == 4 {
        (v & 0xffff) + ((v >> 16) & 0xffff)
    } else {
        v & 0xffff
    }
}

/// Replaces `from` by `to` (of `size` 2 or 4 bytes, or a precomputed difference when `size`
/// is 0) in the checksum at packet offset `off`.
fn csum_replace(vm: &mut Vm, off: u64, from: u64, to: u64, size: u64, mangled0: bool) -> HResult {
    let Some(r) = range(vm, off, 2) else {
        return Ok(neg(EFAULT));
    };
    if !matches!(size, 0 | 2 | 4) {
        return Ok(neg(errno::EINVAL));
    }
    let region = vm.packet_region;
    let r = in_region(vm, r);
    let field = &mut vm.mem.regions[region].data[r];
    let old = u16::from_le_bytes([field[0], field[1]]);
    if mangled0 && old == 0 {
        return Ok(0);
    }
    let sum = if size == 0 {
        (!old as u64) + (to & 0xffff_ffff)
    } else {
        let from_c = if size == 4 {
            (!from & 0xffff) + ((!from >> 16) & 0xffff)
        } else {
            !from & 0xffff
        };
        (!old as u64) + from_c + words(to, size)
    };
    let mut new = !fold(sum);
    if mangled0 && new == 0 {
        new = 0xffff;
    }
    field.copy_from_slice(&new.to_le_bytes());
    Ok(0)
}

pub(super) fn l3_csum_replace(vm: &mut Vm, a: [u64; 5], _pc: usize) -> HResult {
    csum_replace(vm, a[1], a[2], a[3], a[4] & 0xf, false)
}

pub(super) fn l4_csum_replace(vm: &mut Vm, a: [u64; 5], _pc: usize) -> HResult {
    csum_replace(
        vm,
        a[1],
        a[2],
        a[3],
        a[4] & 0xf,
        a[4] & BPF_F_MARK_MANGLED_0 != 0,
    )
}

/// `csum_diff(from, from_size, to, to_size, seed)`: the one's complement sum of `seed`, the
/// complement of the `from` words and the `to` words, as a 32-bit partial sum.
pub(super) fn csum_diff(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let (fs, ts) = (a[1] as usize, a[3] as usize);
    if fs % 4 != 0 || ts % 4 != 0 || fs > 512 || ts > 512 {
        return Ok(neg(errno::EINVAL));
    }
    let from = vm.mem.read_bytes(a[0], fs, pc).map_err(fault)?.to_vec();
    let to = vm.mem.read_bytes(a[2], ts, pc).map_err(fault)?.to_vec();
    let mut s = a[4] & 0xffff_ffff;
    for c in from.chunks_exact(4) {
        s += !u32::from_le_bytes(c.try_into().expect("4 bytes")) as u64;
    }
    for c in to.chunks_exact(4) {
        s += u32::from_le_bytes(c.try_into().expect("4 bytes")) as u64;
    }
    while s >> 32 != 0 {
        s = (s & 0xffff_ffff) + (s >> 32);
    }
    Ok(s)
}

pub(super) fn skb_pull_data(vm: &mut Vm, a: [u64; 5]) -> HResult {
    Ok(if a[1] as usize <= packet(vm).len() {
        0
    } else {
        neg(errno::EINVAL)
    })
}

/// Which end of an XDP packet a helper moves.
pub(super) enum End {
    Head,
    Tail,
    Meta,
}

/// `xdp_adjust_head/tail/meta(ctx, delta)`. The packet moves to a new region, so pointers
/// into the old packet fault afterwards, as the verifier requires programs to re-check them.
pub(super) fn xdp_adjust(vm: &mut Vm, a: [u64; 5], end: End) -> HResult {
    let delta = a[1] as i32 as i64;
    let old = packet(vm).to_vec();
    let len = old.len() as i64;
    let new = match end {
        End::Meta => {
            // The metadata grows into the headroom by -delta bytes; at most 32 bytes, a
            // multiple of 4, and the headroom keeps room for the kernel's xdp_frame.
            let meta = vm.env.meta_len as i64 - delta;
            if meta < 0 || vm.env.headroom_used + meta > (XDP_HEADROOM - XDP_FRAME_SIZE) as i64 {
                return Ok(neg(errno::EINVAL));
            }
            if meta % 4 != 0 || meta > 32 {
                return Ok(neg(errno::EACCES));
            }
            let region = &vm.mem.regions[vm.packet_region].data;
            let cur = vm.env.meta_len;
            let mut bytes = vec![0u8; meta as usize];
            // Bytes that stay metadata keep their values.
            let keep = cur.min(meta as usize);
            bytes[meta as usize - keep..].copy_from_slice(&region[cur - keep..cur]);
            bytes.extend_from_slice(&old);
            vm.env.meta_len = meta as usize;
            replace_region(vm, bytes);
            return Ok(0);
        }
        End::Head => {
            let used = vm.env.headroom_used - delta;
            let room = XDP_HEADROOM as i64 - XDP_FRAME_SIZE as i64 - vm.env.meta_len as i64;
            if delta < 0 && used > room || len - delta < ETH_HLEN as i64 {
                return Ok(neg(errno::EINVAL));
            }
            vm.env.headroom_used = used;
            if delta < 0 {
                let mut v = vec![0u8; (-delta) as usize];
                v.extend_from_slice(&old);
                v
            } else {
                old[delta as usize..].to_vec()
            }
        }
        End::Tail => {
            let new_len = len + delta;
            // The tailroom grows by what adjust_head took from the headroom.
            let max = 4096 - XDP_HEADROOM as i64 - 320 + vm.env.headroom_used;
            if new_len < ETH_HLEN as i64 || new_len > max {
                return Ok(neg(errno::EINVAL));
            }
            let mut v = old.clone();
            v.resize(new_len as usize, 0);
            v
        }
    };
    replace_packet(vm, new);
    Ok(0)
}

/// Installs new packet contents in a new region; pointers into the old packet fault
/// afterwards (the verifier makes programs re-check them after any helper that may change
/// the packet).
pub(super) fn replace_packet(vm: &mut Vm, new: Vec<u8>) {
    // The metadata moves with the packet.
    let meta = vm.env.meta_len;
    let mut bytes = vm.mem.regions[vm.packet_region].data[..meta].to_vec();
    bytes.extend_from_slice(&new);
    replace_region(vm, bytes);
}

/// Installs a new packet region (metadata then packet).
fn replace_region(vm: &mut Vm, bytes: Vec<u8>) {
    let r = vm.mem.add(RegionKind::Packet, bytes, true);
    let prev = vm.packet_region;
    vm.move_packet(r);
    // The fixed packet region comes back to life at the next run's input.
    vm.mem.free(prev);
}

const ETH_P_8021Q: u16 = 0x8100;
const ETH_P_8021AD: u16 = 0x88a8;
const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;
const ENOTSUPP: i64 = 524;
/// Offsets of `__sk_buff` fields the skb helpers keep current.
const SKB_PROTOCOL: usize = 16;
const SKB_VLAN_PRESENT: usize = 20;
const SKB_VLAN_TCI: usize = 24;
const SKB_VLAN_PROTO: usize = 28;

fn ctx_u32(vm: &Vm, off: usize) -> u32 {
    let c = &vm.mem.regions[crate::interp::CTX_REGION].data;
    c.get(off..off + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .unwrap_or(0)
}

fn set_ctx_u32(vm: &mut Vm, off: usize, v: u32) {
    if let Some(b) = vm.mem.regions[crate::interp::CTX_REGION]
        .data
        .get_mut(off..off + 4)
    {
        b.copy_from_slice(&v.to_le_bytes());
    }
}

/// The packet's ethertype in host order, when it has an Ethernet header.
fn ethertype(p: &[u8]) -> Option<u16> {
    (p.len() >= ETH_HLEN).then(|| u16::from_be_bytes([p[12], p[13]]))
}

/// `skb_vlan_push(skb, proto, tci)`: the tag goes into the skb's metadata (as with hardware
/// acceleration); a tag already there moves into the packet first.
pub(super) fn skb_vlan_push(vm: &mut Vm, a: [u64; 5]) -> HResult {
    let proto = u16::from_be(a[1] as u16);
    if proto != ETH_P_8021Q && proto != ETH_P_8021AD {
        return Ok(neg(errno::EINVAL));
    }
    if ctx_u32(vm, SKB_VLAN_PRESENT) != 0 {
        let old = packet(vm).to_vec();
        if old.len() < ETH_HLEN {
            return Ok(neg(errno::EINVAL));
        }
        let (tci, tproto) = (
            ctx_u32(vm, SKB_VLAN_TCI) as u16,
            u16::from_be(ctx_u32(vm, SKB_VLAN_PROTO) as u16),
        );
        let mut new = old[..12].to_vec();
        new.extend_from_slice(&tproto.to_be_bytes());
        new.extend_from_slice(&tci.to_be_bytes());
        new.extend_from_slice(&old[12..]);
        replace_packet(vm, new);
    }
    set_ctx_u32(vm, SKB_VLAN_PRESENT, 1);
    set_ctx_u32(vm, SKB_VLAN_TCI, a[2] as u16 as u32);
    set_ctx_u32(vm, SKB_VLAN_PROTO, a[1] as u16 as u32);
    Ok(0)
}

/// `skb_vlan_pop(skb)`: clears the metadata tag, or removes a tag from the packet.
pub(super) fn skb_vlan_pop(vm: &mut Vm) -> HResult {
    if ctx_u32(vm, SKB_VLAN_PRESENT) != 0 {
        set_ctx_u32(vm, SKB_VLAN_PRESENT, 0);
        set_ctx_u32(vm, SKB_VLAN_TCI, 0);
        return Ok(0);
    }
    let old = packet(vm).to_vec();
    match ethertype(&old) {
        Some(ETH_P_8021Q | ETH_P_8021AD) if old.len() >= ETH_HLEN + 4 => {
            let mut new = old[..12].to_vec();
            new.extend_from_slice(&old[16..]);
            replace_packet(vm, new);
            Ok(0)
        }
        _ => Ok(0),
    }
}

/// `skb_change_tail(skb, len, flags)`: truncates or zero-extends the packet to `len`.
pub(super) fn skb_change_tail(vm: &mut Vm, a: [u64; 5]) -> HResult {
    let len = a[1];
    if a[2] != 0 || len < ETH_HLEN as u64 || len > 0xffff {
        return Ok(neg(errno::EINVAL));
    }
    let mut new = packet(vm).to_vec();
    new.resize(len as usize, 0);
    replace_packet(vm, new);
    Ok(0)
}

/// `skb_change_head(skb, head_room, flags)`: prepends `head_room` zero bytes. Like
/// `skb_change_tail`, it refuses a packet longer than 0xffff bytes (the kernel's
/// `__bpf_skb_max_len`: the device's MTU and header), so a loop of calls cannot grow it
/// without bound.
pub(super) fn skb_change_head(vm: &mut Vm, a: [u64; 5]) -> HResult {
    if a[2] != 0 || a[1] > 0xffff || packet(vm).len() as u64 + a[1] > 0xffff {
        return Ok(neg(errno::EINVAL));
    }
    let mut new = vec![0u8; a[1] as usize];
    new.extend_from_slice(packet(vm));
    replace_packet(vm, new);
    Ok(0)
}

/// `skb_change_proto(skb, proto, flags)`: between IPv4 and IPv6, grows or shrinks the room
/// after the Ethernet header by the 20 bytes the headers differ by, and sets the protocol.
pub(super) fn skb_change_proto(vm: &mut Vm, a: [u64; 5]) -> HResult {
    let to = u16::from_be(a[1] as u16);
    let old = packet(vm).to_vec();
    if a[2] != 0 {
        return Ok(neg(errno::EINVAL));
    }
    let from = u16::from_be(ctx_u32(vm, SKB_PROTOCOL) as u16);
    let new = match (from, to) {
        (f, t) if f == t => return Ok(0),
        (ETH_P_IP, ETH_P_IPV6) if old.len() >= ETH_HLEN => {
            let mut n = old[..ETH_HLEN].to_vec();
            n.extend_from_slice(&[0u8; 20]);
            n.extend_from_slice(&old[ETH_HLEN..]);
            n
        }
        (ETH_P_IPV6, ETH_P_IP) if old.len() >= ETH_HLEN + 20 => {
            let mut n = old[..ETH_HLEN].to_vec();
            n.extend_from_slice(&old[ETH_HLEN + 20..]);
            n
        }
        _ => return Ok(neg(ENOTSUPP)),
    };
    replace_packet(vm, new);
    set_ctx_u32(vm, SKB_PROTOCOL, a[1] as u16 as u32);
    Ok(0)
}
