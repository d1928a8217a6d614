//! Context access rules per program type (Linux 6.18, checked on the live kernel).
//!
//! This module answers, for the program types listed below, whether a load or a
//! store through the context pointer (r1 at program entry, with no added
//! offset) at a given offset and width passes the kernel's `is_valid_access`
//! callback, and for a load what the destination register becomes.
//!
//! Ground truth: every rule here was replayed against a live 6.18.44 x86-64
//! kernel by loading `r0 = *(uN *)(r1 + off)`, `*(uN *)(r1 + off) = r2`
//! (BPF_STX) and `*(uN *)(r1 + off) = 0` (BPF_ST) for every offset in
//! `-8 .. ctx_size + 8` (more for some types) and every width 1/2/4/8, as root
//! (so every capability-gated field, e.g. `__sk_buff->data` for cgroup_skb, is
//! granted). Every rejection the kernel gave was
//! `invalid bpf_context access off=X size=Y`.
//!
//! General shape (not program-type specific):
//! * Widths are 1, 2, 4, 8 bytes; an access must be naturally aligned
//!   (`off % size == 0`) for every program type.
//! * A "narrow" load reads the low-addressed part of a 32-bit (or 64-bit) field;
//!   the verifier marks the result as an unknown scalar zero-extended from the
//!   access width (`scalar(umax=2^(8*size)-1)`; 8-byte loads give `scalar()`).
//!   This was checked for every accepted scalar load.
//! * Stores are never narrow except into `__sk_buff->cb[]`; the others must be
//!   exactly the field width.
//! * BPF_ST (immediate store) and BPF_STX behave identically for context
//!   stores in 6.18 (no accepted/rejected difference in any observation), so
//!   `ctx_access` has no `imm_store` parameter.
//! * Stores never produce a register type; `ctx_access` returns
//!   `Ok(CtxLoad::Scalar)` for an accepted store (the value is meaningless).
//!
//! Neighbouring checks that are NOT modelled here (seen live, different messages):
//! * a context pointer with a non-zero offset (`r1 += 8; r0 = *(u32 *)(r1 + 0)`)
//!   is refused with `dereference of modified ctx ptr R1 off=8 disallowed`;
//! * atomic instructions on the context are refused with
//!   `BPF_ATOMIC stores into R1 ctx is not allowed`;
//! * a privileged loader may store a pointer (e.g. r1 itself) into a writable
//!   field such as `cb[0]`: the store is accepted.

/// What a context load gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CtxLoad {
    /// An unknown scalar of the access size (zero-extended).
    Scalar,
    /// PTR_TO_PACKET (skb->data, xdp->data, sk_msg data, flow dissector data,
    /// sock_ops skb_data). The log shows `pkt(r=0)`: no bytes proven in range yet.
    PacketData,
    /// PTR_TO_PACKET_END (log: `pkt_end()`).
    PacketEnd,
    /// PTR_TO_PACKET_META (log: `pkt_meta(r=0)`), `__sk_buff->data_meta` (tc only)
    /// and `xdp_md->data_meta`.
    PacketMeta,
    /// PTR_TO_SOCK_COMMON_OR_NULL (log: `sock_common_or_null(id=N)`), from
    /// `__sk_buff->sk`. The verifier gives it a fresh non-reference id.
    SockCommonOrNull,
    /// PTR_TO_SOCKET (`or_null == false`, log `sock()`) for
    /// `bpf_sock_addr->sk` and `sk_msg_md->sk`; PTR_TO_SOCKET_OR_NULL
    /// (`or_null == true`, log `sock_or_null(id=N)`) for `bpf_sock_ops->sk` and
    /// `bpf_sk_lookup->sk`.
    Socket { or_null: bool },
    /// PTR_TO_FLOW_KEYS (log: `flow_keys()`), flow_dissector `__sk_buff->flow_keys`.
    FlowKeys,
    /// A BTF pointer. None of the program types covered here yields one from a
    /// plain context load in 6.18 (sock_ops->sk is a PTR_TO_SOCKET_OR_NULL, not a
    /// BTF pointer); kept for the tracing/struct_ops types handled elsewhere.
    BtfId { or_null: bool },
}

// ---------------------------------------------------------------------------
// Program type numbers (enum bpf_prog_type).
// ---------------------------------------------------------------------------
pub const SOCKET_FILTER: u32 = 1;
pub const KPROBE: u32 = 2;
pub const SCHED_CLS: u32 = 3;
pub const SCHED_ACT: u32 = 4;
pub const TRACEPOINT: u32 = 5;
pub const XDP: u32 = 6;
pub const PERF_EVENT: u32 = 7;
pub const CGROUP_SKB: u32 = 8;
pub const CGROUP_SOCK: u32 = 9;
pub const LWT_IN: u32 = 10;
pub const LWT_OUT: u32 = 11;
pub const LWT_XMIT: u32 = 12;
pub const SOCK_OPS: u32 = 13;
pub const SK_SKB: u32 = 14;
pub const CGROUP_DEVICE: u32 = 15;
pub const SK_MSG: u32 = 16;
pub const RAW_TRACEPOINT: u32 = 17;
pub const CGROUP_SOCK_ADDR: u32 = 18;
pub const LWT_SEG6LOCAL: u32 = 19;
pub const FLOW_DISSECTOR: u32 = 22;
pub const CGROUP_SYSCTL: u32 = 23;
pub const SK_LOOKUP: u32 = 30;

// ---------------------------------------------------------------------------
// Attach type numbers (enum bpf_attach_type) that change context rules.
// ---------------------------------------------------------------------------
pub const ATTACH_CGROUP_INET_SOCK_CREATE: u32 = 2;
pub const ATTACH_CGROUP_INET4_BIND: u32 = 8;
pub const ATTACH_CGROUP_INET6_BIND: u32 = 9;
pub const ATTACH_CGROUP_INET4_CONNECT: u32 = 10;
pub const ATTACH_CGROUP_INET6_CONNECT: u32 = 11;
pub const ATTACH_CGROUP_INET4_POST_BIND: u32 = 12;
pub const ATTACH_CGROUP_INET6_POST_BIND: u32 = 13;
pub const ATTACH_CGROUP_UDP4_SENDMSG: u32 = 14;
pub const ATTACH_CGROUP_UDP6_SENDMSG: u32 = 15;
pub const ATTACH_CGROUP_UDP4_RECVMSG: u32 = 19;
pub const ATTACH_CGROUP_UDP6_RECVMSG: u32 = 20;
pub const ATTACH_CGROUP_INET4_GETPEERNAME: u32 = 29;
pub const ATTACH_CGROUP_INET6_GETPEERNAME: u32 = 30;
pub const ATTACH_CGROUP_INET4_GETSOCKNAME: u32 = 31;
pub const ATTACH_CGROUP_INET6_GETSOCKNAME: u32 = 32;
pub const ATTACH_XDP_DEVMAP: u32 = 33;
pub const ATTACH_CGROUP_INET_SOCK_RELEASE: u32 = 34;
pub const ATTACH_SK_LOOKUP: u32 = 36;

/// Size of `struct __sk_buff` in 6.18 (last field `hwtstamp` at 184, 8 bytes).
const SK_BUFF_SIZE: u32 = 192;
/// `sizeof(struct pt_regs)` on x86-64 (21 8-byte slots).
const PT_REGS_SIZE: u32 = 168;
/// PERF_MAX_TRACE_SIZE in 6.18: upper bound for tracepoint context offsets.
const PERF_MAX_TRACE_SIZE: i64 = 8192;
/// Raw tracepoint arguments: MAX_BPF_FUNC_ARGS (12) 8-byte slots.
const RAW_TP_ARGS_SIZE: u32 = 12 * 8;

/// The size in bytes of the context structure the program sees.
///
/// Layouts were read from the live kernel's BTF (`/sys/kernel/btf/vmlinux`):
/// * `struct __sk_buff` = 192 (socket_filter, sched_cls/act, cgroup_skb, lwt_*,
///   sk_skb, flow_dissector);
/// * `struct pt_regs` (x86-64) = 168 (kprobe);
/// * tracepoint: no fixed struct; the verifier bounds offsets by
///   PERF_MAX_TRACE_SIZE = 8192 (the kernel also takes negative offsets,
///   which we refuse: see `tracepoint_access`);
/// * `struct xdp_md` = 24; `struct bpf_perf_event_data` = 184;
///   `struct bpf_sock` = 80; `struct bpf_sock_ops` = 224;
///   `struct bpf_cgroup_dev_ctx` = 12; `struct sk_msg_md` = 80;
/// * raw_tracepoint: `struct bpf_raw_tracepoint_args` is a flexible array; the
///   verifier allows 12 u64 arguments = 96 bytes;
/// * `struct bpf_sock_addr` = 72; `struct bpf_sysctl` = 8;
///   `struct bpf_sk_lookup` = 72 (68 bytes of fields padded to 8-byte alignment).
pub fn ctx_size(prog_type: u32) -> Option<u32> {
    Some(match prog_type {
        SOCKET_FILTER | SCHED_CLS | SCHED_ACT | CGROUP_SKB | LWT_IN | LWT_OUT | LWT_XMIT
        | SK_SKB | LWT_SEG6LOCAL | FLOW_DISSECTOR => SK_BUFF_SIZE,
        KPROBE => PT_REGS_SIZE,
        TRACEPOINT => PERF_MAX_TRACE_SIZE as u32,
        XDP => 24,
        PERF_EVENT => 184,
        CGROUP_SOCK => 80,
        SOCK_OPS => 224,
        CGROUP_DEVICE => 12,
        SK_MSG => 80,
        RAW_TRACEPOINT => RAW_TP_ARGS_SIZE,
        CGROUP_SOCK_ADDR => 72,
        CGROUP_SYSCTL => 8,
        SK_LOOKUP => 72,
        _ => return None,
    })
}

/// Whether a load (`write == false`) or store of `size` bytes at `off` into the
/// context of `prog_type` (with `expected_attach_type`) is allowed, and for loads
/// what it yields. `Err(())` when the kernel says "invalid bpf_context access".
///
/// BPF_ST (immediate store) and BPF_STX are treated alike by 6.18 for every
/// program type here (checked for every offset/width), hence no `imm_store`
/// parameter. For an accepted store the returned `CtxLoad` is `Scalar` and
/// carries no meaning.
///
/// `off` is the instruction offset (the context register must carry no fixed
/// or variable offset of its own; the verifier rejects that earlier with a
/// different message, which is out of scope here).
///
/// Attach types: cgroup_sock treats 0 as BPF_CGROUP_INET_SOCK_CREATE (the
/// kernel rewrites it at load); cgroup_sock_addr and sk_lookup need a real
/// attach type to load at all (this function still answers for any value,
/// following the kernel's per-field switch). XDP differs only for
/// BPF_XDP_DEVMAP (egress_ifindex readable). For the other types the attach
/// type does not matter (checked: tc with TCX_INGRESS, cgroup_skb
/// ingress/egress, sk_skb parser/verdict/skb_verdict, sock_ops, sk_msg,
/// cgroup_device, cgroup_sysctl, flow_dissector with and without their
/// attach type).
#[allow(clippy::result_unit_err)] // signature fixed by the project's brief
pub fn ctx_access(
    prog_type: u32,
    expected_attach_type: u32,
    off: i64,
    size: u32,
    write: bool,
) -> Result<CtxLoad, ()> {
    if !matches!(size, 1 | 2 | 4 | 8) {
        return Err(());
    }
    let size = size as i64;
    match prog_type {
        SOCKET_FILTER => skb_access(SkbFlavor::SocketFilter, off, size, write),
        SCHED_CLS | SCHED_ACT => skb_access(SkbFlavor::Tc, off, size, write),
        CGROUP_SKB => skb_access(SkbFlavor::CgroupSkb, off, size, write),
        LWT_IN | LWT_OUT | LWT_XMIT | LWT_SEG6LOCAL => skb_access(SkbFlavor::Lwt, off, size, write),
        SK_SKB => skb_access(SkbFlavor::SkSkb, off, size, write),
        FLOW_DISSECTOR => skb_access(SkbFlavor::FlowDissector, off, size, write),
        KPROBE => flat_read(off, size, write, PT_REGS_SIZE as i64),
        RAW_TRACEPOINT => flat_read(off, size, write, RAW_TP_ARGS_SIZE as i64),
        TRACEPOINT => tracepoint_access(off, size, write),
        PERF_EVENT => perf_event_access(off, size, write),
        XDP => xdp_access(expected_attach_type, off, size, write),
        CGROUP_SOCK => sock_access(expected_attach_type, off, size, write),
        SOCK_OPS => sock_ops_access(off, size, write),
        CGROUP_DEVICE => cgroup_dev_access(off, size, write),
        SK_MSG => sk_msg_access(off, size, write),
        CGROUP_SOCK_ADDR => sock_addr_access(expected_attach_type, off, size, write),
        CGROUP_SYSCTL => sysctl_access(off, size, write),
        SK_LOOKUP => sk_lookup_access(off, size, write),
        _ => Err(()),
    }
}

// ---------------------------------------------------------------------------
// Shared helpers.
// ---------------------------------------------------------------------------

fn ok_if(cond: bool, load: CtxLoad) -> Result<CtxLoad, ()> {
    if cond {
        Ok(load)
    } else {
        Err(())
    }
}

/// `size` bytes at `off` lie inside `[start, start + len)` and are naturally aligned.
fn inside(off: i64, size: i64, start: i64, len: i64) -> bool {
    off >= start && off + size <= start + len && off % size == 0
}

/// Narrow read of a 32-bit field (or an array of 32-bit words starting at
/// `start`, `len` bytes): widths 1/2/4, aligned, never crossing a word.
fn narrow32(off: i64, size: i64, start: i64, len: i64) -> bool {
    size <= 4 && inside(off, size, start, len)
}

/// Exactly the word at a field start (or any word of a 32-bit array), full width.
fn word(off: i64, size: i64, start: i64, len: i64) -> bool {
    size == 4 && inside(off, size, start, len)
}

/// Width 1, 2 or 4 but only at the very first byte of the field.
fn start_only(off: i64, size: i64, start: i64) -> bool {
    off == start && size <= 4
}

/// 8-byte access at an 8-aligned offset fully inside `[start, start+len)`.
fn wide64(off: i64, size: i64, start: i64, len: i64) -> bool {
    size == 8 && inside(off, size, start, len)
}

/// An 8-byte field read (or written) only as a whole.
fn whole64(off: i64, size: i64, start: i64) -> bool {
    off == start && size == 8
}

/// kprobe (pt_regs) and raw_tracepoint (u64 args): read-only, any width,
/// aligned, inside `[0, limit)`.
fn flat_read(off: i64, size: i64, write: bool, limit: i64) -> Result<CtxLoad, ()> {
    ok_if(!write && inside(off, size, 0, limit), CtxLoad::Scalar)
}

// ---------------------------------------------------------------------------
// struct __sk_buff users.
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SkbFlavor {
    /// socket_filter (sk_filter_is_valid_access).
    SocketFilter,
    /// sched_cls / sched_act (tc_cls_act_is_valid_access).
    Tc,
    /// cgroup_skb (cg_skb_is_valid_access), assuming a privileged loader.
    CgroupSkb,
    /// lwt_in / lwt_out / lwt_xmit / lwt_seg6local (lwt_is_valid_access).
    Lwt,
    /// sk_skb (sk_skb_is_valid_access).
    SkSkb,
    /// flow_dissector (flow_dissector_is_valid_access).
    FlowDissector,
}

/// `__sk_buff` field offsets (6.18). Some are listed only for reference.
#[allow(dead_code)]
mod skb {
    pub const LEN: i64 = 0;
    pub const MARK: i64 = 8;
    pub const QUEUE_MAPPING: i64 = 12;
    pub const PRIORITY: i64 = 32;
    pub const TC_INDEX: i64 = 44;
    pub const CB: i64 = 48; // u32 cb[5]
    pub const CB_LEN: i64 = 20;
    pub const HASH: i64 = 68;
    pub const TC_CLASSID: i64 = 72;
    pub const DATA: i64 = 76;
    pub const DATA_END: i64 = 80;
    pub const NAPI_ID: i64 = 84;
    pub const FAMILY: i64 = 88;
    pub const REMOTE_IP4: i64 = 92;
    pub const LOCAL_IP4: i64 = 96;
    pub const REMOTE_IP6: i64 = 100; // 4 words
    pub const LOCAL_IP6: i64 = 116; // 4 words
    pub const REMOTE_PORT: i64 = 132;
    pub const LOCAL_PORT: i64 = 136;
    pub const DATA_META: i64 = 140;
    pub const FLOW_KEYS: i64 = 144; // 8-byte pointer
    pub const TSTAMP: i64 = 152; // u64
    pub const WIRE_LEN: i64 = 160;
    pub const GSO_SEGS: i64 = 164;
    pub const SK: i64 = 168; // 8-byte pointer
    pub const GSO_SIZE: i64 = 176;
    pub const TSTAMP_TYPE: i64 = 180; // u8, then 3 bytes of padding
    pub const HWTSTAMP: i64 = 184; // u64
}

/// Rules for every `__sk_buff` program type.
///
/// Field classes (for the flavours that may touch them at all):
/// * ordinary u32 fields (len .. tc_index, hash, tc_classid, napi_id, family,
///   remote_port, local_port, wire_len, gso_segs, gso_size): loads of width
///   1/2/4 aligned inside the field; stores only at width 4 and only where
///   the flavour allows;
/// * cb[5] (48..68): loads and stores of width 1/2/4 aligned, plus 8-byte
///   accesses at 48 and 56;
/// * remote_ip4/local_ip4/remote_ip6[4]/local_ip6[4]: loads of width 4 only;
/// * data/data_end/data_meta: width 4 only, give packet pointers;
/// * flow_keys, sk: width 8 only, give pointers; tstamp, hwtstamp: width 8 only;
/// * tstamp_type (u8 at 180): width 1 only, tc only.
///
/// Per-flavour visibility (R = readable, W = writable):
///
/// | field                     | sock_filter | tc  | cgroup_skb | lwt | sk_skb | flow_dissector |
/// |---------------------------|-------------|-----|------------|-----|--------|----------------|
/// | len..vlan_proto, ifindexes, hash, napi_id, gso_segs, gso_size, sk | R | R | R | R | R | - |
/// | mark                      | R           | RW  | RW         | RW  | -      | -              |
/// | queue_mapping             | R           | RW  | R          | R   | R      | -              |
/// | priority                  | R           | RW  | RW         | RW  | RW     | -              |
/// | tc_index                  | R           | RW  | R          | R   | RW     | -              |
/// | cb[]                      | RW          | RW  | RW         | RW  | R      | -              |
/// | tc_classid                | -           | RW  | -          | -   | -      | -              |
/// | data, data_end            | -           | R   | R          | R   | R      | R              |
/// | family..local_port        | -           | -   | R          | -   | R      | -              |
/// | data_meta                 | -           | R   | -          | -   | -      | -              |
/// | flow_keys                 | -           | -   | -          | -   | -      | R              |
/// | tstamp                    | -           | RW  | RW         | -   | -      | -              |
/// | wire_len, tstamp_type     | -           | R   | -          | -   | -      | -              |
/// | hwtstamp                  | -           | R   | R          | -   | -      | -              |
fn skb_access(flavor: SkbFlavor, off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    use self::skb::*;
    use SkbFlavor::*;

    if off < 0 || off >= SK_BUFF_SIZE as i64 {
        return Err(());
    }

    if flavor == FlowDissector {
        if write {
            return Err(());
        }
        return match off {
            DATA if size == 4 => Ok(CtxLoad::PacketData),
            DATA_END if size == 4 => Ok(CtxLoad::PacketEnd),
            FLOW_KEYS if size == 8 => Ok(CtxLoad::FlowKeys),
            _ => Err(()),
        };
    }

    let is_tc = flavor == Tc;

    // cb[]: the only region with narrow (and 8-byte) stores.
    if (CB..CB + CB_LEN).contains(&off) {
        let shape_ok =
            (size <= 4 && inside(off, size, CB, CB_LEN)) || wide64(off, size, CB, CB_LEN);
        let allowed = !write || flavor != SkSkb;
        return ok_if(shape_ok && allowed, CtxLoad::Scalar);
    }

    // Pointer-valued and 64-bit fields.
    match off & !3 {
        DATA | DATA_END | DATA_META => {
            let visible = match off & !3 {
                DATA_META => is_tc,
                _ => flavor != SocketFilter,
            };
            if write || !visible || size != 4 || off % 4 != 0 {
                return Err(());
            }
            return Ok(match off {
                DATA => CtxLoad::PacketData,
                DATA_END => CtxLoad::PacketEnd,
                _ => CtxLoad::PacketMeta,
            });
        }
        _ => {}
    }
    if (FLOW_KEYS..FLOW_KEYS + 8).contains(&off) {
        return Err(()); // only flow_dissector sees flow_keys
    }
    if (SK..SK + 8).contains(&off) {
        return ok_if(!write && whole64(off, size, SK), CtxLoad::SockCommonOrNull);
    }
    if (TSTAMP..TSTAMP + 8).contains(&off) {
        let visible = matches!(flavor, Tc | CgroupSkb);
        return ok_if(visible && whole64(off, size, TSTAMP), CtxLoad::Scalar);
    }
    if (HWTSTAMP..HWTSTAMP + 8).contains(&off) {
        let visible = matches!(flavor, Tc | CgroupSkb);
        return ok_if(
            !write && visible && whole64(off, size, HWTSTAMP),
            CtxLoad::Scalar,
        );
    }
    if (TSTAMP_TYPE..TSTAMP_TYPE + 4).contains(&off) {
        return ok_if(
            !write && is_tc && off == TSTAMP_TYPE && size == 1,
            CtxLoad::Scalar,
        );
    }

    // Remaining fields are all 32-bit words.
    let start = off & !3;
    let visible = match start {
        MARK => flavor != SkSkb,
        TC_CLASSID => is_tc,
        FAMILY..=LOCAL_PORT => matches!(flavor, CgroupSkb | SkSkb),
        WIRE_LEN => is_tc,
        _ => true,
    };
    if !visible {
        return Err(());
    }
    let full_word_only =
        matches!(start, REMOTE_IP4 | LOCAL_IP4) || (REMOTE_IP6..LOCAL_IP6 + 16).contains(&start);
    if write {
        let writable = match start {
            MARK => matches!(flavor, Tc | CgroupSkb | Lwt),
            QUEUE_MAPPING => is_tc,
            PRIORITY => matches!(flavor, Tc | CgroupSkb | Lwt | SkSkb),
            TC_INDEX => matches!(flavor, Tc | SkSkb),
            TC_CLASSID => is_tc,
            _ => false,
        };
        return ok_if(writable && word(off, size, start, 4), CtxLoad::Scalar);
    }
    let shape_ok = if full_word_only {
        word(off, size, start, 4)
    } else {
        narrow32(off, size, start, 4)
    };
    ok_if(shape_ok, CtxLoad::Scalar)
}

// ---------------------------------------------------------------------------
// Tracing types.
// ---------------------------------------------------------------------------

/// tracepoint (tp_prog_is_valid_access): read-only, aligned, `off < 8192`, and
/// the first 8 bytes (the common trace-entry header) are refused.
///
/// Where we differ on purpose: the kernel compares the signed offset against an
/// unsigned `sizeof`, so a NEGATIVE offset passes its "at least 8" test and any
/// aligned offset down to -32768 is accepted (observed live): a read before the
/// trace record. We refuse it, as the unsafe access it is.
fn tracepoint_access(off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    ok_if(
        !write && (8..PERF_MAX_TRACE_SIZE).contains(&off) && off % size == 0,
        CtxLoad::Scalar,
    )
}

/// perf_event (pe_prog_is_valid_access), ctx = `struct bpf_perf_event_data`:
/// `regs` (0..168) only as whole aligned 8-byte words; `sample_period` (168)
/// and `addr` (176) with any aligned width. Read-only.
fn perf_event_access(off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if write {
        return Err(());
    }
    let regs = size == 8 && inside(off, size, 0, PT_REGS_SIZE as i64);
    let tail = inside(off, size, 168, 8) || inside(off, size, 176, 8);
    ok_if(regs || tail, CtxLoad::Scalar)
}

// ---------------------------------------------------------------------------
// XDP.
// ---------------------------------------------------------------------------

/// xdp (xdp_is_valid_access), ctx = `struct xdp_md` (24 bytes): read-only
/// (writes are only for offloaded programs, not modelled), every field at
/// width 4 only (no narrow loads). data/data_end/data_meta give packet
/// pointers; ingress_ifindex (12) and rx_queue_index (16) are scalars;
/// egress_ifindex (20) only when expected_attach_type is BPF_XDP_DEVMAP.
fn xdp_access(attach: u32, off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if write || size != 4 {
        return Err(());
    }
    match off {
        0 => Ok(CtxLoad::PacketData),
        4 => Ok(CtxLoad::PacketEnd),
        8 => Ok(CtxLoad::PacketMeta),
        12 | 16 => Ok(CtxLoad::Scalar),
        20 if attach == ATTACH_XDP_DEVMAP => Ok(CtxLoad::Scalar),
        _ => Err(()),
    }
}

// ---------------------------------------------------------------------------
// cgroup_sock (struct bpf_sock).
// ---------------------------------------------------------------------------

/// cgroup_sock (sock_filter_is_valid_access + bpf_sock_is_valid_access),
/// ctx = `struct bpf_sock` (80 bytes). Layout: bound_dev_if 0, family 4,
/// type 8, protocol 12, mark 16, priority 20, src_ip4 24, src_ip6[4] 28,
/// src_port 44, dst_port 48 (be16 + 2 zero bytes), dst_ip4 52, dst_ip6[4] 56,
/// state 72, rx_queue_mapping 76.
///
/// * bound_dev_if, mark, priority: only for SOCK_CREATE (or 0) and
///   SOCK_RELEASE; read and write, width 4 only.
/// * family, type, protocol, state, rx_queue_mapping, src_port: widths 1/2/4
///   but only at the field's first byte.
/// * src_ip4: INET4_POST_BIND only; src_ip6: INET6_POST_BIND only; src_port:
///   either POST_BIND. Narrow loads anywhere aligned inside.
/// * dst_ip4, dst_ip6: narrow loads anywhere aligned inside.
/// * dst_port: width 4 at 48, width 2 at 48, width 1 at 48 or 49.
/// * No 8-byte access anywhere; only the three fields above are writable.
fn sock_access(attach: u32, off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    let attach = if attach == 0 {
        ATTACH_CGROUP_INET_SOCK_CREATE
    } else {
        attach
    };
    let create_or_release =
        attach == ATTACH_CGROUP_INET_SOCK_CREATE || attach == ATTACH_CGROUP_INET_SOCK_RELEASE;
    if !(0..80).contains(&off) || off % size != 0 {
        return Err(());
    }
    let start = off & !3;
    match start {
        0 | 16 | 20 => ok_if(create_or_release && size == 4, CtxLoad::Scalar),
        _ if write => Err(()),
        4 | 8 | 12 | 72 | 76 => ok_if(start_only(off, size, start), CtxLoad::Scalar),
        24 => ok_if(
            attach == ATTACH_CGROUP_INET4_POST_BIND && narrow32(off, size, 24, 4),
            CtxLoad::Scalar,
        ),
        28..=40 => ok_if(
            attach == ATTACH_CGROUP_INET6_POST_BIND && narrow32(off, size, 28, 16),
            CtxLoad::Scalar,
        ),
        44 => ok_if(
            (attach == ATTACH_CGROUP_INET4_POST_BIND || attach == ATTACH_CGROUP_INET6_POST_BIND)
                && start_only(off, size, 44),
            CtxLoad::Scalar,
        ),
        48 => ok_if(
            (off == 48 && size <= 4) || (off == 49 && size == 1),
            CtxLoad::Scalar,
        ),
        52..=68 => ok_if(narrow32(off, size, 52, 20), CtxLoad::Scalar),
        _ => Err(()),
    }
}

// ---------------------------------------------------------------------------
// sock_ops (struct bpf_sock_ops).
// ---------------------------------------------------------------------------

/// sock_ops (sock_ops_is_valid_access), ctx = `struct bpf_sock_ops` (224 bytes).
///
/// * Loads: every u32 field from op (0) through sk_txhash (164) and skb_len
///   (208) at width 4 only (no narrow loads); skb_tcp_flags (212) at width
///   1/2/4 at its first byte; bytes_received (168), bytes_acked (176) and
///   skb_hwtstamp (216) as whole 8-byte words; sk (184) -> socket-or-null,
///   skb_data (192) -> packet, skb_data_end (200) -> packet end, each 8 bytes.
/// * Stores: only reply (= args[0] = replylong[0], offset 4) and sk_txhash
///   (164), width 4.
fn sock_ops_access(off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if write {
        return ok_if((off == 4 || off == 164) && size == 4, CtxLoad::Scalar);
    }
    match off {
        0..=167 | 208..=211 => ok_if(word(off, size, off & !3, 4), CtxLoad::Scalar),
        212..=215 => ok_if(start_only(off, size, 212), CtxLoad::Scalar),
        168 | 176 | 216 => ok_if(size == 8, CtxLoad::Scalar),
        184 => ok_if(size == 8, CtxLoad::Socket { or_null: true }),
        192 => ok_if(size == 8, CtxLoad::PacketData),
        200 => ok_if(size == 8, CtxLoad::PacketEnd),
        _ => Err(()),
    }
}

// ---------------------------------------------------------------------------
// cgroup_device, sk_msg, sysctl, sk_lookup.
// ---------------------------------------------------------------------------

/// cgroup_device (cgroup_dev_is_valid_access), ctx = `struct
/// bpf_cgroup_dev_ctx` {access_type, major, minor}: read-only; access_type
/// allows narrow loads, major and minor width 4 only.
fn cgroup_dev_access(off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if write {
        return Err(());
    }
    ok_if(
        narrow32(off, size, 0, 4) || word(off, size, 4, 8),
        CtxLoad::Scalar,
    )
}

/// sk_msg (sk_msg_is_valid_access), ctx = `struct sk_msg_md` (80 bytes):
/// read-only. data (0) -> packet, data_end (8) -> packet end, sk (72) ->
/// socket (never null), each 8 bytes only. The u32 fields family (16) through
/// size (68) at width 4 only.
fn sk_msg_access(off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if write {
        return Err(());
    }
    match off {
        0 => ok_if(size == 8, CtxLoad::PacketData),
        8 => ok_if(size == 8, CtxLoad::PacketEnd),
        72 => ok_if(size == 8, CtxLoad::Socket { or_null: false }),
        _ => ok_if(word(off, size, 16, 56), CtxLoad::Scalar),
    }
}

/// cgroup_sysctl (sysctl_is_valid_access), ctx = `struct bpf_sysctl`
/// {write, file_pos}: both narrow-readable; only file_pos is writable, at
/// width 4.
fn sysctl_access(off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if write {
        return ok_if(off == 4 && size == 4, CtxLoad::Scalar);
    }
    ok_if(narrow32(off, size, 0, 8), CtxLoad::Scalar)
}

/// sk_lookup (sk_lookup_is_valid_access), ctx = `struct bpf_sk_lookup` (72
/// bytes): read-only. sk (0, 8 bytes only; shares storage with `cookie`) ->
/// socket-or-null. Every u32 word from family (8) through ingress_ifindex (64)
/// -- including remote_port's 2 padding bytes at 38 -- allows narrow loads.
fn sk_lookup_access(off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if write {
        return Err(());
    }
    if off == 0 {
        return ok_if(size == 8, CtxLoad::Socket { or_null: true });
    }
    ok_if(narrow32(off, size, 8, 60), CtxLoad::Scalar)
}

// ---------------------------------------------------------------------------
// cgroup_sock_addr (struct bpf_sock_addr).
// ---------------------------------------------------------------------------

fn sock_addr_is_inet4(attach: u32) -> bool {
    matches!(
        attach,
        ATTACH_CGROUP_INET4_BIND
            | ATTACH_CGROUP_INET4_CONNECT
            | ATTACH_CGROUP_UDP4_SENDMSG
            | ATTACH_CGROUP_UDP4_RECVMSG
            | ATTACH_CGROUP_INET4_GETPEERNAME
            | ATTACH_CGROUP_INET4_GETSOCKNAME
    )
}

fn sock_addr_is_inet6(attach: u32) -> bool {
    matches!(
        attach,
        ATTACH_CGROUP_INET6_BIND
            | ATTACH_CGROUP_INET6_CONNECT
            | ATTACH_CGROUP_UDP6_SENDMSG
            | ATTACH_CGROUP_UDP6_RECVMSG
            | ATTACH_CGROUP_INET6_GETPEERNAME
            | ATTACH_CGROUP_INET6_GETSOCKNAME
    )
}

/// cgroup_sock_addr (sock_addr_is_valid_access), ctx = `struct bpf_sock_addr`
/// (72 bytes). Layout: user_family 0, user_ip4 4, user_ip6[4] 8, user_port 24,
/// family 28, type 32, protocol 36, msg_src_ip4 40, msg_src_ip6[4] 44,
/// (4 bytes padding), sk 64.
///
/// * user_family, family, type, protocol: read-only, width 4 only.
/// * user_ip4: INET4 attach types (bind4, connect4, udp4 send/recvmsg,
///   getpeername4, getsockname4); user_ip6: the INET6 counterparts;
///   msg_src_ip4: UDP4_SENDMSG only; msg_src_ip6: UDP6_SENDMSG only. For the
///   ones allowed: narrow loads anywhere aligned, stores at width 4 per word,
///   and for the ip6 arrays also 8-byte loads and stores at 8-aligned offsets
///   that stay inside the array (user_ip6: 8, 16; msg_src_ip6: 48 only).
/// * user_port: every attach type (unix ones included); narrow loads, width-4
///   stores.
/// * sk (64): 8 bytes only, a non-null socket pointer.
fn sock_addr_access(attach: u32, off: i64, size: i64, write: bool) -> Result<CtxLoad, ()> {
    if !(0..72).contains(&off) || off % size != 0 {
        return Err(());
    }
    // Addresses that may be read narrowly, written per word, and (for the
    // arrays) accessed 8 bytes at a time.
    let addr_field = |start: i64, len: i64, allowed: bool| -> Result<CtxLoad, ()> {
        let shape_ok = if write {
            word(off, size, start, len) || (len > 4 && wide64(off, size, start, len))
        } else {
            narrow32(off, size, start, len) || (len > 4 && wide64(off, size, start, len))
        };
        ok_if(allowed && shape_ok, CtxLoad::Scalar)
    };
    match off {
        0..=3 | 28..=39 => ok_if(!write && word(off, size, off & !3, 4), CtxLoad::Scalar),
        4..=7 => addr_field(4, 4, sock_addr_is_inet4(attach)),
        8..=23 => addr_field(8, 16, sock_addr_is_inet6(attach)),
        24..=27 => addr_field(24, 4, true),
        40..=43 => addr_field(40, 4, attach == ATTACH_CGROUP_UDP4_SENDMSG),
        44..=59 => addr_field(44, 16, attach == ATTACH_CGROUP_UDP6_SENDMSG),
        64 => ok_if(!write && size == 8, CtxLoad::Socket { or_null: false }),
        _ => Err(()),
    }
}
