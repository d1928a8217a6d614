//! Helpers whose result depends on the kernel's environment: tunnels, routes, sockets, perf
//! counters, cgroups, stacks. The interpreter models a host with none of these configured, and
//! each helper answers as the kernel does in that situation (or, where the kernel's answer
//! depends on state we do not have, with the documented value below). Buffers a helper fills
//! are zeroed, so a program never reads stale bytes.

use super::{fault, neg, HResult};
use crate::interp::mapstate::errno;
use crate::interp::Vm;

const EPERM: i64 = 1;

/// Zero-fills `len` bytes at `addr` (bounded), faulting if the program's buffer is bad.
fn zero(vm: &mut Vm, addr: u64, len: u64, pc: usize) -> Result<(), crate::interp::Outcome> {
    if len > 0 && len <= 1 << 16 {
        vm.mem
            .write_bytes(addr, &vec![0; len as usize], pc)
            .map_err(fault)?;
    }
    Ok(())
}

pub(super) fn call(vm: &mut Vm, n: i32, a: [u64; 5], pc: usize) -> HResult {
    Ok(match n {
        // clone_redirect: the clone goes to a device we do not model; success.
        13 => 0,
        // skb_get_tunnel_key / skb_get_tunnel_opt: the packet carries no tunnel metadata.
        20 | 29 => {
            zero(vm, a[1], a[2], pc)?;
            neg(errno::EINVAL)
        }
        // skb_set_tunnel_key / skb_set_tunnel_opt: accepted (the metadata is not modelled).
        21 | 30 => 0,
        // perf_event_read: no perf event is installed in the map.
        22 => neg(errno::ENOENT),
        // get_stackid: no stack trace is available.
        27 => neg(super::EFAULT),
        // skb_under_cgroup, current_task_under_cgroup: not in the cgroup.
        33 | 37 => 0,
        // probe_write_user: refused, as under kernel lockdown.
        36 => neg(EPERM),
        // set_hash_invalid: returns nothing.
        41 => 0,
        // setsockopt: no socket to configure.
        49 => neg(errno::EINVAL),
        // sock_map_update: socket maps are not modelled.
        53 => neg(errno::EOPNOTSUPP),
        // perf_event_read_value, perf_prog_read_value: no counter; the buffer is zeroed.
        55 => {
            zero(vm, a[3], a[4], pc)?;
            neg(errno::ENOENT)
        }
        56 => {
            zero(vm, a[1], a[2], pc)?;
            neg(errno::ENOENT)
        }
        // getsockopt: no socket; the buffer is zeroed.
        57 => {
            zero(vm, a[3], a[4], pc)?;
            neg(errno::EINVAL)
        }
        // override_return: compiled out here, as on the kernels these samples meet.
        58 => neg(errno::EOPNOTSUPP),
        // sock_ops_cb_flags_set: accepted.
        59 => 0,
        // fib_lookup: no route; BPF_FIB_LKUP_RET_NOT_FWDED.
        69 => 4,
        // skc_to_tcp_sock: not a TCP socket (NULL).
        137 => 0,
        _ => {
            return Err(crate::interp::Outcome::Error {
                pc,
                reason: format!("unknown helper {n}"),
            })
        }
    })
}
