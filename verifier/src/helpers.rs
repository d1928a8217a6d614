//! Helper prototypes (Linux 6.18 `bpf_func_proto`s) and availability per program type.
//!
//! Sources: the `struct bpf_func_proto` definitions of Linux 6.18 (net/core/filter.c of the 6.18.y
//! tree; kernel/bpf/helpers.c, ringbuf.c, stackmap.c, bpf_*_storage.c, cgroup.c, syscall.c,
//! kernel/trace/bpf_trace.c, net/core/sock_map.c, net/core/bpf_sk_storage.c), restated here in
//! our own terms, and checked against a live 6.18.44 kernel (see `available`).
//!
//! Where one helper id has several kernel protos (e.g. `get_socket_cookie` takes the context in
//! networking programs but a BTF socket pointer in tracing programs), `proto` returns the most
//! common one and `proto_for` returns the one a given program type gets.

/// The kind of one helper argument (r1..r5).
///
/// Memory arguments: the verifier checks a memory argument together with the size argument
/// that follows it. "Read" arguments (`Mem`, `FixedMemRo`) are checked as reads: stack bytes must
/// be initialised (unless the loader has CAP_PERFMON, which allows reading uninitialised stack),
/// and map values must be readable by programs (no `BPF_F_WRONLY_PROG`). "Written" arguments
/// (`UninitMem`, `MemRw`, `FixedMem`, `FixedMemRw`, `UninitMapValue`) are checked as writes:
/// map values must be writable by programs (no `BPF_F_RDONLY_PROG`) and read-only memory
/// (`MEM_RDONLY` registers) is refused. `MemRw`/`FixedMemRw` additionally require initialised
/// stack (the helper reads the buffer first; again waived with CAP_PERFMON), while
/// `UninitMem`/`FixedMem` accept uninitialised stack and leave it initialised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Not used (ARG_DONTCARE).
    None,
    /// ARG_ANYTHING: any initialised scalar or pointer value (privileged).
    Anything,
    /// ARG_CONST_MAP_PTR.
    MapPtr,
    /// ARG_PTR_TO_MAP_KEY: key_size readable bytes (stack, map value, or packet).
    MapKey,
    /// ARG_PTR_TO_MAP_VALUE: value_size readable bytes.
    MapValue,
    /// ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE: value_size bytes the helper writes
    /// (map_pop_elem, map_peek_elem).
    UninitMapValue,
    /// ARG_PTR_TO_MEM (readable memory; size in the next argument). `or_null` for PTR_MAYBE_NULL.
    /// In 6.18 all such read arguments also carry MEM_RDONLY, so read-only memory is accepted.
    Mem { or_null: bool },
    /// ARG_PTR_TO_UNINIT_MEM / ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE: memory the helper writes (size in the next argument).
    UninitMem { or_null: bool },
    /// Memory of a fixed size the helper writes (MEM_FIXED_SIZE, e.g. ARG_PTR_TO_LONG / ARG_PTR_TO_INT style arguments).
    /// 6.18 spells these ARG_PTR_TO_FIXED_SIZE_MEM | MEM_UNINIT | MEM_WRITE | MEM_ALIGNED: the
    /// pointer must also be aligned to `size`.
    FixedMem { size: u32 },
    /// ARG_CONST_SIZE: a constant-bounded scalar > 0 giving the previous argument's size.
    ConstSize,
    /// ARG_CONST_SIZE_OR_ZERO.
    ConstSizeOrZero,
    /// ARG_CONST_ALLOC_SIZE_OR_ZERO (ringbuf_reserve size).
    ConstAllocSizeOrZero,
    /// ARG_PTR_TO_CTX (or_null: PTR_MAYBE_NULL).
    Ctx { or_null: bool },
    /// ARG_PTR_TO_SOCKET (or_null).
    Socket { or_null: bool },
    /// ARG_PTR_TO_SOCK_COMMON.
    SockCommon,
    /// ARG_PTR_TO_BTF_ID_SOCK_COMMON.
    BtfIdSockCommon,
    /// ARG_PTR_TO_BTF_ID (any BTF type; `or_null` for PTR_MAYBE_NULL).
    BtfId { or_null: bool },
    /// ARG_PTR_TO_SPIN_LOCK.
    SpinLock,
    /// ARG_PTR_TO_TIMER.
    Timer,
    /// ARG_PTR_TO_FUNC (a callback).
    Func,
    /// ARG_PTR_TO_STACK_OR_NULL (callback context).
    StackOrNull,
    /// ARG_PTR_TO_CONST_STR.
    ConstStr,
    /// ARG_PTR_TO_RINGBUF_MEM / ARG_PTR_TO_ALLOC_MEM | OBJ_RELEASE (ringbuf submit/discard).
    RingbufMem,
    /// ARG_PTR_TO_DYNPTR (any flavour). An initialised dynptr; for dynptr_read/write/data any
    /// flavour (MEM_RDONLY), for ringbuf_submit_dynptr/discard_dynptr a ringbuf dynptr
    /// (DYNPTR_TYPE_RINGBUF | OBJ_RELEASE).
    Dynptr,
    /// ARG_PTR_TO_KPTR. 6.18 names it ARG_KPTR_XCHG_DEST (kptr_xchg's destination field).
    Kptr,
    /// ARG_PTR_TO_PERCPU_BTF_ID.
    PercpuBtfId,
    /// Added: ARG_PTR_TO_MAP_VALUE_OR_NULL: value_size readable bytes of the map passed earlier, or
    /// NULL (the init value of sk/task/inode/cgrp_storage_get).
    MapValueOrNull,
    /// Added: ARG_PTR_TO_MEM | MEM_WRITE (without MEM_UNINIT), `or_null` for PTR_MAYBE_NULL:
    /// initialised memory the helper reads and overwrites (fib_lookup params, snprintf output,
    /// load_hdr_opt search buffer, ...). Size in the next argument.
    MemRw { or_null: bool },
    /// Added: ARG_PTR_TO_FIXED_SIZE_MEM | MEM_WRITE | MEM_ALIGNED (without MEM_UNINIT): `size`
    /// initialised, aligned bytes the helper reads and overwrites (check_mtu's mtu_len).
    FixedMemRw { size: u32 },
    /// Added: ARG_PTR_TO_FIXED_SIZE_MEM | MEM_RDONLY: `size` readable bytes (tcp_raw_* syncookie
    /// helpers' IP/TCP headers).
    FixedMemRo { size: u32 },
    /// Added: ARG_PTR_TO_BTF_ID_SOCK_COMMON | PTR_MAYBE_NULL (get_socket_cookie in tracing and
    /// sk_reuseport programs).
    BtfIdSockCommonOrNull,
    /// Added: ARG_PTR_TO_DYNPTR | MEM_UNINIT: a 16-byte stack slot that the helper initialises as
    /// a dynptr (DYNPTR_TYPE_LOCAL for dynptr_from_mem, DYNPTR_TYPE_RINGBUF for
    /// ringbuf_reserve_dynptr, which also makes it a referenced object).
    DynptrUninit,
}

/// What a helper returns in r0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    /// RET_INTEGER: an unknown scalar.
    Integer,
    /// RET_VOID: in 6.18 check_helper_call sets r0 to NOT_INIT, so reading r0 after the call
    /// fails with "R0 !read_ok" (spin_lock/unlock, tail_call, ringbuf submit/discard[_dynptr]).
    Void,
    /// RET_PTR_TO_MAP_VALUE_OR_NULL (value of the map passed as r1).
    MapValueOrNull,
    /// RET_PTR_TO_MAP_VALUE (never null).
    MapValue,
    /// RET_PTR_TO_SOCKET_OR_NULL.
    SocketOrNull,
    /// RET_PTR_TO_TCP_SOCK_OR_NULL.
    TcpSockOrNull,
    /// RET_PTR_TO_SOCK_COMMON_OR_NULL.
    SockCommonOrNull,
    /// RET_PTR_TO_RINGBUF_MEM_OR_NULL / RET_PTR_TO_ALLOC_MEM_OR_NULL: memory of the size given by the ConstAllocSizeOrZero argument.
    AllocMemOrNull,
    /// RET_PTR_TO_MEM_OR_BTF_ID (per-cpu / this_cpu ptr style). Always MEM_RDONLY in 6.18.
    MemOrBtfId { or_null: bool },
    /// RET_PTR_TO_BTF_ID (or_null). get_current_task_btf returns RET_PTR_TO_BTF_ID_TRUSTED.
    BtfId { or_null: bool },
    /// RET_PTR_TO_MEM of a fixed size known from the proto (if any helper does this), or dynamic mem.
    /// Only dynptr_data uses it (RET_PTR_TO_DYNPTR_MEM_OR_NULL, size = its ConstAllocSizeOrZero arg).
    Mem { or_null: bool },
}

#[derive(Clone, Copy, Debug)]
pub struct Proto {
    pub args: [Arg; 5],
    pub ret: Ret,
    /// The helper acquires a reference (the returned object must be released): e.g. sk_lookup_tcp, ringbuf_reserve.
    /// Also set for ringbuf_reserve_dynptr (the initialised dynptr is the referenced object) and
    /// kptr_xchg. Note: map_lookup_elem acquires too when the map is a sockmap/sockhash
    /// (map-dependent, not recorded here).
    pub acquire: bool,
    /// The argument index (0-based) that this helper releases (e.g. sk_release: Some(0); ringbuf_submit: Some(0)).
    pub release: Option<u8>,
    /// gpl_only in the kernel proto.
    pub gpl_only: bool,
    /// The helper may change packet data (bpf_helper_changes_pkt_data in 6.18: all packet pointers are invalidated after the call).
    pub changes_pkt_data: bool,
}

const X: Arg = Arg::None;
const ANY: Arg = Arg::Anything;
const CTX: Arg = Arg::Ctx { or_null: false };
const CTX_OR_NULL: Arg = Arg::Ctx { or_null: true };
const MAP: Arg = Arg::MapPtr;
const KEY: Arg = Arg::MapKey;
const VALUE: Arg = Arg::MapValue;
const VALUE_OR_NULL: Arg = Arg::MapValueOrNull;
const UNINIT_VALUE: Arg = Arg::UninitMapValue;
const MEM: Arg = Arg::Mem { or_null: false };
const MEM_OR_NULL: Arg = Arg::Mem { or_null: true };
const MEM_RW: Arg = Arg::MemRw { or_null: false };
const MEM_RW_OR_NULL: Arg = Arg::MemRw { or_null: true };
const UNINIT: Arg = Arg::UninitMem { or_null: false };
const SZ: Arg = Arg::ConstSize;
const SZ0: Arg = Arg::ConstSizeOrZero;
const ALLOC_SZ0: Arg = Arg::ConstAllocSizeOrZero;
const SOCKET_OR_NULL: Arg = Arg::Socket { or_null: true };
const SOCK_COMMON: Arg = Arg::SockCommon;
const BTF_SOCK_COMMON: Arg = Arg::BtfIdSockCommon;
const BTF_SOCK_COMMON_OR_NULL: Arg = Arg::BtfIdSockCommonOrNull;
const BTF: Arg = Arg::BtfId { or_null: false };
const BTF_OR_NULL: Arg = Arg::BtfId { or_null: true };
const SPIN_LOCK: Arg = Arg::SpinLock;
const TIMER: Arg = Arg::Timer;
const FUNC: Arg = Arg::Func;
const STACK_OR_NULL: Arg = Arg::StackOrNull;
const CONST_STR: Arg = Arg::ConstStr;
const RINGBUF_MEM: Arg = Arg::RingbufMem;
const DYNPTR: Arg = Arg::Dynptr;
const DYNPTR_UNINIT: Arg = Arg::DynptrUninit;
const KPTR: Arg = Arg::Kptr;
const PERCPU_BTF: Arg = Arg::PercpuBtfId;
const INT: Ret = Ret::Integer;

const fn p(args: [Arg; 5], ret: Ret) -> Proto {
    Proto {
        args,
        ret,
        acquire: false,
        release: None,
        gpl_only: false,
        changes_pkt_data: false,
    }
}

impl Proto {
    const fn gpl(mut self) -> Proto {
        self.gpl_only = true;
        self
    }
    const fn acquire(mut self) -> Proto {
        self.acquire = true;
        self
    }
    const fn release(mut self, arg: u8) -> Proto {
        self.release = Some(arg);
        self
    }
    const fn pkt(mut self) -> Proto {
        self.changes_pkt_data = true;
        self
    }
    const fn not_gpl(mut self) -> Proto {
        self.gpl_only = false;
        self
    }

    /// Number of arguments the proto uses (the highest non-`None` argument + 1).
    pub fn arg_count(&self) -> usize {
        self.args
            .iter()
            .rposition(|a| *a != Arg::None)
            .map_or(0, |i| i + 1)
    }
}

/// Prototypes by helper id; `PROTOS[id - 1]`.
static PROTOS: [Proto; 211] = [
    /* 1 map_lookup_elem */ p([MAP, KEY, X, X, X], Ret::MapValueOrNull),
    /* 2 map_update_elem */ p([MAP, KEY, VALUE, ANY, X], INT),
    /* 3 map_delete_elem */ p([MAP, KEY, X, X, X], INT),
    /* 4 probe_read */ p([UNINIT, SZ0, ANY, X, X], INT).gpl(),
    /* 5 ktime_get_ns */ p([X, X, X, X, X], INT),
    /* 6 trace_printk */ p([MEM, SZ, X, X, X], INT).gpl(),
    /* 7 get_prandom_u32 */ p([X, X, X, X, X], INT),
    /* 8 get_smp_processor_id */ p([X, X, X, X, X], INT),
    /* 9 skb_store_bytes */ p([CTX, ANY, MEM, SZ, ANY], INT).pkt(),
    /* 10 l3_csum_replace */ p([CTX, ANY, ANY, ANY, ANY], INT).pkt(),
    /* 11 l4_csum_replace */ p([CTX, ANY, ANY, ANY, ANY], INT).pkt(),
    /* 12 tail_call */ p([CTX, MAP, ANY, X, X], Ret::Void).pkt(),
    /* 13 clone_redirect */ p([CTX, ANY, ANY, X, X], INT).pkt(),
    /* 14 get_current_pid_tgid */ p([X, X, X, X, X], INT),
    /* 15 get_current_uid_gid */ p([X, X, X, X, X], INT),
    /* 16 get_current_comm */ p([UNINIT, SZ, X, X, X], INT),
    /* 17 get_cgroup_classid */ p([CTX, X, X, X, X], INT),
    /* 18 skb_vlan_push */ p([CTX, ANY, ANY, X, X], INT).pkt(),
    /* 19 skb_vlan_pop */ p([CTX, X, X, X, X], INT).pkt(),
    /* 20 skb_get_tunnel_key */ p([CTX, UNINIT, SZ, ANY, X], INT),
    /* 21 skb_set_tunnel_key */ p([CTX, MEM, SZ, ANY, X], INT),
    /* 22 perf_event_read */ p([MAP, ANY, X, X, X], INT).gpl(),
    /* 23 redirect */ p([ANY, ANY, X, X, X], INT),
    /* 24 get_route_realm */ p([CTX, X, X, X, X], INT),
    /* 25 perf_event_output */ p([CTX, MAP, ANY, MEM, SZ0], INT).gpl(),
    /* 26 skb_load_bytes */ p([CTX, ANY, UNINIT, SZ, X], INT),
    /* 27 get_stackid */ p([CTX, MAP, ANY, X, X], INT).gpl(),
    /* 28 csum_diff */ p([MEM_OR_NULL, SZ0, MEM_OR_NULL, SZ0, ANY], INT),
    /* 29 skb_get_tunnel_opt */ p([CTX, UNINIT, SZ, X, X], INT),
    /* 30 skb_set_tunnel_opt */ p([CTX, MEM, SZ, X, X], INT),
    /* 31 skb_change_proto */ p([CTX, ANY, ANY, X, X], INT).pkt(),
    /* 32 skb_change_type */ p([CTX, ANY, X, X, X], INT),
    /* 33 skb_under_cgroup */ p([CTX, MAP, ANY, X, X], INT),
    /* 34 get_hash_recalc */ p([CTX, X, X, X, X], INT),
    /* 35 get_current_task */ p([X, X, X, X, X], INT).gpl(),
    /* 36 probe_write_user */ p([ANY, MEM, SZ, X, X], INT).gpl(),
    /* 37 current_task_under_cgroup */ p([MAP, ANY, X, X, X], INT),
    /* 38 skb_change_tail */ p([CTX, ANY, ANY, X, X], INT).pkt(),
    /* 39 skb_pull_data */ p([CTX, ANY, X, X, X], INT).pkt(),
    /* 40 csum_update */ p([CTX, ANY, X, X, X], INT),
    /* 41 set_hash_invalid */ p([CTX, X, X, X, X], INT),
    /* 42 get_numa_node_id */ p([X, X, X, X, X], INT),
    /* 43 skb_change_head */ p([CTX, ANY, ANY, X, X], INT).pkt(),
    /* 44 xdp_adjust_head */ p([CTX, ANY, X, X, X], INT).pkt(),
    /* 45 probe_read_str */ p([UNINIT, SZ0, ANY, X, X], INT).gpl(),
    /* 46 get_socket_cookie */ p([CTX, X, X, X, X], INT),
    /* 47 get_socket_uid */ p([CTX, X, X, X, X], INT),
    /* 48 set_hash */ p([CTX, ANY, X, X, X], INT),
    /* 49 setsockopt */ p([CTX, ANY, ANY, MEM, SZ], INT),
    /* 50 skb_adjust_room */ p([CTX, ANY, ANY, ANY, X], INT).pkt(),
    /* 51 redirect_map */ p([MAP, ANY, ANY, X, X], INT),
    /* 52 sk_redirect_map */ p([CTX, MAP, ANY, ANY, X], INT),
    /* 53 sock_map_update */ p([CTX, MAP, KEY, ANY, X], INT),
    /* 54 xdp_adjust_meta */ p([CTX, ANY, X, X, X], INT).pkt(),
    /* 55 perf_event_read_value */ p([MAP, ANY, UNINIT, SZ, X], INT).gpl(),
    /* 56 perf_prog_read_value */ p([CTX, UNINIT, SZ, X, X], INT).gpl(),
    /* 57 getsockopt */ p([CTX, ANY, ANY, UNINIT, SZ], INT),
    /* 58 override_return */ p([CTX, ANY, X, X, X], INT).gpl(),
    /* 59 sock_ops_cb_flags_set */ p([CTX, ANY, X, X, X], INT),
    /* 60 msg_redirect_map */ p([CTX, MAP, ANY, ANY, X], INT),
    /* 61 msg_apply_bytes */ p([CTX, ANY, X, X, X], INT),
    /* 62 msg_cork_bytes */ p([CTX, ANY, X, X, X], INT),
    /* 63 msg_pull_data */ p([CTX, ANY, ANY, ANY, X], INT).pkt(),
    /* 64 bind */ p([CTX, MEM, SZ, X, X], INT),
    /* 65 xdp_adjust_tail */ p([CTX, ANY, X, X, X], INT).pkt(),
    /* 66 skb_get_xfrm_state */ p([CTX, ANY, UNINIT, SZ, ANY], INT),
    /* 67 get_stack */ p([CTX, UNINIT, SZ0, ANY, X], INT).gpl(),
    /* 68 skb_load_bytes_relative */ p([CTX, ANY, UNINIT, SZ, ANY], INT),
    /* 69 fib_lookup */ p([CTX, MEM_RW, SZ, ANY, X], INT).gpl(),
    /* 70 sock_hash_update */ p([CTX, MAP, KEY, ANY, X], INT),
    /* 71 msg_redirect_hash */ p([CTX, MAP, KEY, ANY, X], INT),
    /* 72 sk_redirect_hash */ p([CTX, MAP, KEY, ANY, X], INT),
    /* 73 lwt_push_encap */ p([CTX, ANY, MEM, SZ, X], INT).pkt(),
    /* 74 lwt_seg6_store_bytes */ p([CTX, ANY, MEM, SZ, X], INT).pkt(),
    /* 75 lwt_seg6_adjust_srh */ p([CTX, ANY, ANY, X, X], INT).pkt(),
    /* 76 lwt_seg6_action */ p([CTX, ANY, MEM, SZ, X], INT).pkt(),
    /* 77 rc_repeat */ p([CTX, X, X, X, X], INT).gpl(),
    /* 78 rc_keydown */ p([CTX, ANY, ANY, ANY, X], INT).gpl(),
    /* 79 skb_cgroup_id */ p([CTX, X, X, X, X], INT),
    /* 80 get_current_cgroup_id */ p([X, X, X, X, X], INT),
    /* 81 get_local_storage */ p([MAP, ANY, X, X, X], Ret::MapValue),
    /* 82 sk_select_reuseport */ p([CTX, MAP, KEY, ANY, X], INT),
    /* 83 skb_ancestor_cgroup_id */ p([CTX, ANY, X, X, X], INT),
    /* 84 sk_lookup_tcp */
    p([CTX, MEM, SZ0, ANY, ANY], Ret::SocketOrNull).acquire(),
    /* 85 sk_lookup_udp */
    p([CTX, MEM, SZ0, ANY, ANY], Ret::SocketOrNull).acquire(),
    /* 86 sk_release */ p([BTF_SOCK_COMMON, X, X, X, X], INT).release(0),
    /* 87 map_push_elem */ p([MAP, VALUE, ANY, X, X], INT),
    /* 88 map_pop_elem */ p([MAP, UNINIT_VALUE, X, X, X], INT),
    /* 89 map_peek_elem */ p([MAP, UNINIT_VALUE, X, X, X], INT),
    /* 90 msg_push_data */ p([CTX, ANY, ANY, ANY, X], INT).pkt(),
    /* 91 msg_pop_data */ p([CTX, ANY, ANY, ANY, X], INT).pkt(),
    /* 92 rc_pointer_rel */ p([CTX, ANY, ANY, X, X], INT).gpl(),
    /* 93 spin_lock */ p([SPIN_LOCK, X, X, X, X], Ret::Void),
    /* 94 spin_unlock */ p([SPIN_LOCK, X, X, X, X], Ret::Void),
    /* 95 sk_fullsock */ p([SOCK_COMMON, X, X, X, X], Ret::SocketOrNull),
    /* 96 tcp_sock */ p([SOCK_COMMON, X, X, X, X], Ret::TcpSockOrNull),
    /* 97 skb_ecn_set_ce */ p([CTX, X, X, X, X], INT),
    /* 98 get_listener_sock */
    p([SOCK_COMMON, X, X, X, X], Ret::SocketOrNull),
    /* 99 skc_lookup_tcp */
    p([CTX, MEM, SZ0, ANY, ANY], Ret::SockCommonOrNull).acquire(),
    /* 100 tcp_check_syncookie */
    p([BTF_SOCK_COMMON, MEM, SZ, MEM, SZ], INT).gpl(),
    /* 101 sysctl_get_name */ p([CTX, MEM_RW, SZ, ANY, X], INT),
    /* 102 sysctl_get_current_value */ p([CTX, UNINIT, SZ, X, X], INT),
    /* 103 sysctl_get_new_value */ p([CTX, UNINIT, SZ, X, X], INT),
    /* 104 sysctl_set_new_value */ p([CTX, MEM, SZ, X, X], INT),
    /* 105 strtol */ p([MEM, SZ, ANY, Arg::FixedMem { size: 8 }, X], INT),
    /* 106 strtoul */ p([MEM, SZ, ANY, Arg::FixedMem { size: 8 }, X], INT),
    /* 107 sk_storage_get */
    p(
        [MAP, BTF_SOCK_COMMON, VALUE_OR_NULL, ANY, X],
        Ret::MapValueOrNull,
    ),
    /* 108 sk_storage_delete */ p([MAP, BTF_SOCK_COMMON, X, X, X], INT),
    /* 109 send_signal */ p([ANY, X, X, X, X], INT),
    /* 110 tcp_gen_syncookie */
    p([BTF_SOCK_COMMON, MEM, SZ, MEM, SZ], INT).gpl(),
    /* 111 skb_output */ p([BTF, MAP, ANY, MEM, SZ0], INT).gpl(),
    /* 112 probe_read_user */ p([UNINIT, SZ0, ANY, X, X], INT).gpl(),
    /* 113 probe_read_kernel */ p([UNINIT, SZ0, ANY, X, X], INT).gpl(),
    /* 114 probe_read_user_str */ p([UNINIT, SZ0, ANY, X, X], INT).gpl(),
    /* 115 probe_read_kernel_str */ p([UNINIT, SZ0, ANY, X, X], INT).gpl(),
    /* 116 tcp_send_ack */ p([BTF, ANY, X, X, X], INT),
    /* 117 send_signal_thread */ p([ANY, X, X, X, X], INT),
    /* 118 jiffies64 */ p([X, X, X, X, X], INT),
    /* 119 read_branch_records */
    p([CTX, MEM_RW_OR_NULL, SZ0, ANY, X], INT).gpl(),
    /* 120 get_ns_current_pid_tgid */ p([ANY, ANY, UNINIT, SZ, X], INT),
    /* 121 xdp_output */ p([BTF, MAP, ANY, MEM, SZ0], INT).gpl(),
    /* 122 get_netns_cookie */ p([CTX_OR_NULL, X, X, X, X], INT),
    /* 123 get_current_ancestor_cgroup_id */ p([ANY, X, X, X, X], INT),
    /* 124 sk_assign */ p([CTX, BTF_SOCK_COMMON, ANY, X, X], INT),
    /* 125 ktime_get_boot_ns */ p([X, X, X, X, X], INT),
    /* 126 seq_printf */ p([BTF, MEM, SZ, MEM_OR_NULL, SZ0], INT).gpl(),
    /* 127 seq_write */ p([BTF, MEM, SZ0, X, X], INT).gpl(),
    /* 128 sk_cgroup_id */ p([BTF_SOCK_COMMON, X, X, X, X], INT),
    /* 129 sk_ancestor_cgroup_id */
    p([BTF_SOCK_COMMON, ANY, X, X, X], INT),
    /* 130 ringbuf_output */ p([MAP, MEM, SZ0, ANY, X], INT),
    /* 131 ringbuf_reserve */
    p([MAP, ALLOC_SZ0, ANY, X, X], Ret::AllocMemOrNull).acquire(),
    /* 132 ringbuf_submit */ p([RINGBUF_MEM, ANY, X, X, X], Ret::Void).release(0),
    /* 133 ringbuf_discard */ p([RINGBUF_MEM, ANY, X, X, X], Ret::Void).release(0),
    /* 134 ringbuf_query */ p([MAP, ANY, X, X, X], INT),
    /* 135 csum_level */ p([CTX, ANY, X, X, X], INT),
    /* 136 skc_to_tcp6_sock */
    p([BTF_SOCK_COMMON, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 137 skc_to_tcp_sock */
    p([BTF_SOCK_COMMON, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 138 skc_to_tcp_timewait_sock */
    p([BTF_SOCK_COMMON, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 139 skc_to_tcp_request_sock */
    p([BTF_SOCK_COMMON, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 140 skc_to_udp6_sock */
    p([BTF_SOCK_COMMON, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 141 get_task_stack */ p([BTF, UNINIT, SZ0, ANY, X], INT),
    /* 142 load_hdr_opt */ p([CTX, MEM_RW, SZ, ANY, X], INT),
    /* 143 store_hdr_opt */ p([CTX, MEM, SZ, ANY, X], INT).pkt(),
    /* 144 reserve_hdr_opt */ p([CTX, ANY, ANY, X, X], INT),
    /* 145 inode_storage_get */
    p(
        [MAP, BTF_OR_NULL, VALUE_OR_NULL, ANY, X],
        Ret::MapValueOrNull,
    ),
    /* 146 inode_storage_delete */ p([MAP, BTF_OR_NULL, X, X, X], INT),
    /* 147 d_path */ p([BTF, MEM_RW, SZ0, X, X], INT),
    /* 148 copy_from_user */ p([UNINIT, SZ0, ANY, X, X], INT),
    /* 149 snprintf_btf */ p([MEM_RW, SZ, MEM, SZ, ANY], INT),
    /* 150 seq_printf_btf */ p([BTF, MEM, SZ0, ANY, X], INT).gpl(),
    /* 151 skb_cgroup_classid */ p([CTX, X, X, X, X], INT),
    /* 152 redirect_neigh */ p([ANY, MEM_OR_NULL, SZ0, ANY, X], INT),
    /* 153 per_cpu_ptr */
    p(
        [PERCPU_BTF, ANY, X, X, X],
        Ret::MemOrBtfId { or_null: true },
    ),
    /* 154 this_cpu_ptr */
    p([PERCPU_BTF, X, X, X, X], Ret::MemOrBtfId { or_null: false }),
    /* 155 redirect_peer */ p([ANY, ANY, X, X, X], INT),
    /* 156 task_storage_get */
    p(
        [MAP, BTF_OR_NULL, VALUE_OR_NULL, ANY, X],
        Ret::MapValueOrNull,
    ),
    /* 157 task_storage_delete */ p([MAP, BTF_OR_NULL, X, X, X], INT),
    /* 158 get_current_task_btf */
    p([X, X, X, X, X], Ret::BtfId { or_null: false }).gpl(),
    /* 159 bprm_opts_set */ p([BTF, ANY, X, X, X], INT),
    /* 160 ktime_get_coarse_ns */ p([X, X, X, X, X], INT),
    /* 161 ima_inode_hash */ p([BTF, UNINIT, SZ, X, X], INT),
    /* 162 sock_from_file */
    p([BTF, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 163 check_mtu */
    p([CTX, ANY, Arg::FixedMemRw { size: 4 }, ANY, ANY], INT).gpl(),
    /* 164 for_each_map_elem */ p([MAP, FUNC, STACK_OR_NULL, ANY, X], INT),
    /* 165 snprintf */
    p([MEM_RW_OR_NULL, SZ0, CONST_STR, MEM_OR_NULL, SZ0], INT).gpl(),
    /* 166 sys_bpf */ p([ANY, MEM, SZ, X, X], INT),
    /* 167 btf_find_by_name_kind */ p([MEM, SZ, ANY, ANY, X], INT),
    /* 168 sys_close */ p([ANY, X, X, X, X], INT),
    /* 169 timer_init */ p([TIMER, MAP, ANY, X, X], INT).gpl(),
    /* 170 timer_set_callback */ p([TIMER, FUNC, X, X, X], INT).gpl(),
    /* 171 timer_start */ p([TIMER, ANY, ANY, X, X], INT).gpl(),
    /* 172 timer_cancel */ p([TIMER, X, X, X, X], INT).gpl(),
    /* 173 get_func_ip */ p([CTX, X, X, X, X], INT).gpl(),
    /* 174 get_attach_cookie */ p([CTX, X, X, X, X], INT),
    /* 175 task_pt_regs */
    p([BTF, X, X, X, X], Ret::BtfId { or_null: false }).gpl(),
    /* 176 get_branch_snapshot */ p([UNINIT, SZ0, ANY, X, X], INT).gpl(),
    /* 177 trace_vprintk */ p([MEM, SZ, MEM_OR_NULL, SZ0, X], INT).gpl(),
    /* 178 skc_to_unix_sock */
    p([BTF_SOCK_COMMON, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 179 kallsyms_lookup_name */
    p([MEM, SZ0, ANY, Arg::FixedMem { size: 8 }, X], INT),
    /* 180 find_vma */ p([BTF, ANY, FUNC, STACK_OR_NULL, ANY], INT),
    /* 181 loop */ p([ANY, FUNC, STACK_OR_NULL, ANY, X], INT),
    /* 182 strncmp */ p([MEM, SZ, CONST_STR, X, X], INT),
    /* 183 get_func_arg */
    p([CTX, ANY, Arg::FixedMem { size: 8 }, X, X], INT),
    /* 184 get_func_ret */
    p([CTX, Arg::FixedMem { size: 8 }, X, X, X], INT),
    /* 185 get_func_arg_cnt */ p([CTX, X, X, X, X], INT),
    /* 186 get_retval */ p([X, X, X, X, X], INT),
    /* 187 set_retval */ p([ANY, X, X, X, X], INT),
    /* 188 xdp_get_buff_len */ p([CTX, X, X, X, X], INT),
    /* 189 xdp_load_bytes */ p([CTX, ANY, UNINIT, SZ, X], INT),
    /* 190 xdp_store_bytes */ p([CTX, ANY, MEM, SZ, X], INT),
    /* 191 copy_from_user_task */ p([UNINIT, SZ0, ANY, BTF, ANY], INT).gpl(),
    /* 192 skb_set_tstamp */ p([CTX, ANY, ANY, X, X], INT),
    /* 193 ima_file_hash */ p([BTF, UNINIT, SZ, X, X], INT),
    /* 194 kptr_xchg */
    p([KPTR, BTF_OR_NULL, X, X, X], Ret::BtfId { or_null: true })
        .acquire()
        .release(1),
    /* 195 map_lookup_percpu_elem */
    p([MAP, KEY, ANY, X, X], Ret::MapValueOrNull),
    /* 196 skc_to_mptcp_sock */
    p([SOCK_COMMON, X, X, X, X], Ret::BtfId { or_null: true }),
    /* 197 dynptr_from_mem */ p([UNINIT, SZ0, ANY, DYNPTR_UNINIT, X], INT),
    /* 198 ringbuf_reserve_dynptr */
    p([MAP, ANY, ANY, DYNPTR_UNINIT, X], INT).acquire(),
    /* 199 ringbuf_submit_dynptr */ p([DYNPTR, ANY, X, X, X], Ret::Void).release(0),
    /* 200 ringbuf_discard_dynptr */ p([DYNPTR, ANY, X, X, X], Ret::Void).release(0),
    /* 201 dynptr_read */ p([UNINIT, SZ0, DYNPTR, ANY, ANY], INT),
    /* 202 dynptr_write */ p([DYNPTR, ANY, MEM, SZ0, ANY], INT),
    /* 203 dynptr_data */
    p([DYNPTR, ANY, ALLOC_SZ0, X, X], Ret::Mem { or_null: true }),
    /* 204 tcp_raw_gen_syncookie_ipv4 */
    p([Arg::FixedMemRo { size: 20 }, MEM, SZ0, X, X], INT).gpl(),
    /* 205 tcp_raw_gen_syncookie_ipv6 */
    p([Arg::FixedMemRo { size: 40 }, MEM, SZ0, X, X], INT).gpl(),
    /* 206 tcp_raw_check_syncookie_ipv4 */
    p(
        [
            Arg::FixedMemRo { size: 20 },
            Arg::FixedMemRo { size: 20 },
            X,
            X,
            X,
        ],
        INT,
    )
    .gpl(),
    /* 207 tcp_raw_check_syncookie_ipv6 */
    p(
        [
            Arg::FixedMemRo { size: 40 },
            Arg::FixedMemRo { size: 20 },
            X,
            X,
            X,
        ],
        INT,
    )
    .gpl(),
    /* 208 ktime_get_tai_ns */ p([X, X, X, X, X], INT),
    /* 209 user_ringbuf_drain */
    p([MAP, FUNC, STACK_OR_NULL, ANY, X], INT),
    /* 210 cgrp_storage_get */
    p(
        [MAP, BTF_OR_NULL, VALUE_OR_NULL, ANY, X],
        Ret::MapValueOrNull,
    ),
    /* 211 cgrp_storage_delete */ p([MAP, BTF_OR_NULL, X, X, X], INT),
];

/// The prototype of helper `id` (enum bpf_func_id number), if the table has it.
///
/// For helpers with several kernel protos this is the most common one (see `proto_for`):
/// get_cgroup_classid: the sk_buff form (tc/lwt); get_socket_cookie: the context form;
/// setsockopt/getsockopt: the context form (sock_ops, cgroup_sock_addr); sk_storage_get/delete:
/// the ARG_PTR_TO_BTF_ID_SOCK_COMMON form; sk_assign: the tc form; xdp_get_buff_len: the XDP
/// form; get_stackid: the gpl_only form.
pub fn proto(id: u32) -> Option<&'static Proto> {
    if (1..=211).contains(&id) {
        Some(&PROTOS[id as usize - 1])
    } else {
        None
    }
}

/// get_cgroup_classid outside tc/lwt: bpf_base_func_proto's "current task" form, no arguments
/// (needs CAP_BPF).
static GET_CGROUP_CLASSID_CURR: Proto = p([X, X, X, X, X], INT);
/// get_socket_cookie in tracing, lsm, syscall and sk_reuseport programs (bpf_get_socket_ptr_cookie).
static GET_SOCKET_PTR_COOKIE: Proto = p([BTF_SOCK_COMMON_OR_NULL, X, X, X, X], INT);
/// setsockopt in cgroup_sockopt, struct_ops and lsm_cgroup programs (bpf_sk_setsockopt and the
/// "unlocked" twin).
static SETSOCKOPT_BTF: Proto = p([BTF_SOCK_COMMON, ANY, ANY, MEM, SZ], INT);
/// getsockopt in cgroup_sockopt, struct_ops and lsm_cgroup programs.
static GETSOCKOPT_BTF: Proto = p([BTF_SOCK_COMMON, ANY, ANY, UNINIT, SZ], INT);
/// sk_storage_get in cgroup_sock programs: the socket is the context.
static SK_STORAGE_GET_CG_SOCK: Proto = p([MAP, CTX, VALUE_OR_NULL, ANY, X], Ret::MapValueOrNull);
/// sk_storage_get in tracing (and syscall) programs: a BTF `struct sock_common` pointer; an
/// `allowed` callback also refuses programs that trace the sk_storage functions themselves and
/// syscall programs.
static SK_STORAGE_GET_TRACING: Proto = p([MAP, BTF, VALUE_OR_NULL, ANY, X], Ret::MapValueOrNull);
/// sk_storage_delete in tracing programs.
static SK_STORAGE_DELETE_TRACING: Proto = p([MAP, BTF, X, X, X], INT);
/// sk_assign in sk_lookup programs (bpf_sk_lookup_assign).
static SK_ASSIGN_SK_LOOKUP: Proto = p([CTX, SOCKET_OR_NULL, ANY, X, X], INT);
/// xdp_get_buff_len in tracing programs: a BTF `struct xdp_buff` pointer.
static XDP_GET_BUFF_LEN_TRACE: Proto = p([BTF, X, X, X, X], INT);
/// get_stackid in perf_event programs (bpf_get_stackid_proto_pe is not gpl_only).
static GET_STACKID_PE: Proto = p([CTX, MAP, ANY, X, X], INT).not_gpl();

/// The prototype that a program of type `prog_type` gets for helper `id` (same shape as `proto`
/// except where the kernel hands that program type a different `bpf_func_proto`). Does not check
/// availability. Attach-type-only differences are not modelled: get_func_ip and
/// get_attach_cookie in kprobe_multi/uprobe_multi programs are not gpl_only.
pub fn proto_for(id: u32, prog_type: u32) -> Option<&'static Proto> {
    let v: &'static Proto = match (id, prog_type) {
        (17, 3 | 4 | 10 | 11 | 12 | 19) => return proto(id),
        (17, _) => &GET_CGROUP_CLASSID_CURR,
        (46, 21 | 26 | 29 | 31) => &GET_SOCKET_PTR_COOKIE,
        (49, 25 | 27 | 29) => &SETSOCKOPT_BTF,
        (57, 25 | 27 | 29) => &GETSOCKOPT_BTF,
        (107, 9) => &SK_STORAGE_GET_CG_SOCK,
        (107, 26 | 31) => &SK_STORAGE_GET_TRACING,
        (108, 26 | 31) => &SK_STORAGE_DELETE_TRACING,
        (124, 30) => &SK_ASSIGN_SK_LOOKUP,
        (188, 26 | 29 | 31) => &XDP_GET_BUFF_LEN_TRACE,
        (27, 7) => &GET_STACKID_PE,
        _ => return proto(id),
    };
    Some(v)
}

/// The proto has `might_sleep` (6.18): a call is refused in a non-sleepable program with
/// "helper call might sleep in a non-sleepable prog", independently of `available`.
/// copy_from_user and copy_from_user_task come from bpf_base_func_proto (CAP_PERFMON), so every
/// program type "has" them, but only sleepable programs (BPF_F_SLEEPABLE: syscall, sleepable
/// tracing/lsm/struct_ops/uprobe programs) can call them.
pub fn might_sleep(id: u32) -> bool {
    matches!(id, 148 | 161 | 191 | 193)
}

/// The BTF struct that a `BtfId` argument (0-based index) of helper `id` must point to, when the
/// proto fixes it. (kptr_xchg's type comes from the kptr field; sk_storage_get/delete's tracing
/// form takes `sock_common`; xdp_get_buff_len's tracing form takes `xdp_buff`.)
pub fn btf_arg_struct(id: u32, arg: usize) -> Option<&'static str> {
    Some(match (id, arg) {
        (111, 0) => "sk_buff",
        (121, 0) | (188, 0) => "xdp_buff",
        (126, 0) | (127, 0) | (150, 0) => "seq_file",
        (141, 0) | (156, 1) | (157, 1) | (175, 0) | (180, 0) | (191, 3) => "task_struct",
        (147, 0) => "path",
        (145, 1) | (146, 1) | (161, 0) => "inode",
        (162, 0) | (193, 0) => "file",
        (210, 1) | (211, 1) => "cgroup",
        (159, 0) => "linux_binprm",
        (116, 0) => "tcp_sock",
        (107, 1) | (108, 1) => "sock_common",
        _ => return None,
    })
}

/// The BTF struct a `Ret::BtfId` result points to, when the proto fixes it (kptr_xchg: the kptr
/// field's type).
pub fn btf_ret_struct(id: u32) -> Option<&'static str> {
    Some(match id {
        136 => "tcp6_sock",
        137 => "tcp_sock",
        138 => "tcp_timewait_sock",
        139 => "tcp_request_sock",
        140 => "udp6_sock",
        178 => "unix_sock",
        196 => "mptcp_sock",
        162 => "socket",
        175 => "pt_regs",
        158 => "task_struct",
        _ => return None,
    })
}

/// Helpers per program type (index = enum bpf_prog_type), sorted.
static AVAIL: [&[u8]; 33] = [
    /* 0 unspec */ &[],
    /* 1 socket_filter */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 26, 35, 37, 42, 46, 47, 55, 68, 80, 87,
        88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130, 131,
        132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164,
        165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198,
        199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    // kprobe: Probed live as a plain kprobe; kprobe_multi, uprobe_multi and kprobe_session gave
    // the same set (only the get_func_ip / get_attach_cookie variants differ).
    /* 2 kprobe */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88,
        89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133,
        134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 173, 174, 175,
        176, 177, 180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210,
        211,
    ],
    /* 3 sched_cls */
    &[
        1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
        28, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 50, 55, 66, 68, 69,
        79, 80, 83, 84, 85, 86, 87, 88, 89, 93, 94, 95, 96, 97, 98, 99, 100, 105, 106, 107, 108,
        109, 110, 112, 113, 114, 115, 117, 118, 120, 122, 123, 124, 125, 130, 131, 132, 133, 134,
        135, 136, 137, 138, 139, 140, 141, 148, 149, 151, 152, 153, 154, 155, 156, 157, 158, 160,
        163, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 192, 194, 195,
        196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211,
    ],
    /* 4 sched_act */
    &[
        1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
        28, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 50, 55, 66, 68, 69,
        79, 80, 83, 84, 85, 86, 87, 88, 89, 93, 94, 95, 96, 97, 98, 99, 100, 105, 106, 107, 108,
        109, 110, 112, 113, 114, 115, 117, 118, 120, 122, 123, 124, 125, 130, 131, 132, 133, 134,
        135, 136, 137, 138, 139, 140, 141, 148, 149, 151, 152, 153, 154, 155, 156, 157, 158, 160,
        163, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 192, 194, 195,
        196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211,
    ],
    /* 5 tracepoint */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88,
        89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133,
        134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 174, 175, 176,
        177, 180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    // xdp: Same set for the devmap and cpumap attach types.
    /* 6 xdp */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 23, 25, 28, 35, 37, 42, 44, 51, 54, 55, 65,
        69, 80, 84, 85, 86, 87, 88, 89, 93, 94, 99, 100, 105, 106, 109, 110, 112, 113, 114, 115,
        117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149,
        153, 154, 156, 157, 158, 160, 163, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180,
        181, 182, 188, 189, 190, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205,
        206, 207, 208, 209, 210, 211,
    ],
    /* 7 perf_event */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 56, 67, 80, 87,
        88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 119, 120, 123, 125, 130, 131,
        132, 133, 134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 174,
        175, 176, 177, 180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209,
        210, 211,
    ],
    // cgroup_skb: Same set for ingress and egress.
    /* 8 cgroup_skb */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 26, 35, 37, 42, 46, 47, 55, 68, 79, 80,
        81, 83, 84, 85, 86, 87, 88, 89, 93, 94, 95, 96, 97, 98, 99, 105, 106, 107, 108, 109, 112,
        113, 114, 115, 117, 118, 120, 122, 123, 125, 128, 129, 130, 131, 132, 133, 134, 136, 137,
        138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172,
        175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203,
        208, 209, 210, 211,
    ],
    // cgroup_sock: Same set for sock_create, post_bind4 and sock_release.
    /* 9 cgroup_sock */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 46, 55, 80, 81, 87, 88, 89,
        93, 94, 105, 106, 107, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130, 131,
        132, 133, 134, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172,
        175, 176, 177, 180, 181, 182, 186, 187, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203,
        208, 209, 210, 211,
    ],
    /* 10 lwt_in */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 24, 25, 26, 28, 33, 34, 35, 37, 39, 42, 55,
        73, 80, 87, 88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125,
        130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158,
        160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196,
        197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 11 lwt_out */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 24, 25, 26, 28, 33, 34, 35, 37, 39, 42, 55,
        80, 87, 88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130,
        131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160,
        164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197,
        198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 12 lwt_xmit */
    &[
        1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 28, 29,
        30, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 55, 73, 80, 87, 88, 89, 93, 94, 105, 106, 109,
        112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 135, 136, 137, 138,
        139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175,
        176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208,
        209, 210, 211,
    ],
    /* 13 sock_ops */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 46, 49, 53, 55, 57, 59, 70,
        80, 81, 87, 88, 89, 93, 94, 96, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117, 118, 120,
        122, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 142, 143, 144, 148,
        149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180,
        181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    // sk_skb: Same set for stream_parser, stream_verdict and attach type 0.
    /* 14 sk_skb */
    &[
        1, 2, 3, 5, 6, 7, 8, 9, 12, 14, 15, 16, 17, 22, 25, 26, 35, 37, 38, 39, 42, 43, 46, 47, 50,
        52, 55, 72, 80, 84, 85, 86, 87, 88, 89, 93, 94, 99, 105, 106, 109, 112, 113, 114, 115, 117,
        118, 120, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153,
        154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182,
        191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 15 cgroup_device */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 80, 81, 87, 88, 89, 93,
        94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134,
        141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180,
        181, 182, 186, 187, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 16 sk_msg */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 60, 61, 62, 63, 71, 80,
        87, 88, 89, 90, 91, 93, 94, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117, 118, 120,
        122, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154,
        156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191,
        194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 17 raw_tracepoint */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88,
        89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133,
        134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 174, 175, 176,
        177, 180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    // cgroup_sock_addr: Common case BPF_CGROUP_INET4_CONNECT. `bind` (64) exists only for the
    // inet4/inet6 connect hooks; get_retval/set_retval (186/187) are missing for the
    // recvmsg/getpeername/getsockname hooks.
    /* 18 cgroup_sock_addr */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 46, 49, 55, 57, 64, 80, 81,
        84, 85, 86, 87, 88, 89, 93, 94, 99, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117, 118,
        120, 122, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153,
        154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182,
        186, 187, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 19 lwt_seg6local */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 24, 25, 26, 28, 33, 34, 35, 37, 39, 42, 55,
        74, 75, 76, 80, 87, 88, 89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123,
        125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157,
        158, 160, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195,
        196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    // lirc_mode2: Not probed (CONFIG_BPF_LIRC_MODE2 is off here): the explicit list of
    // lirc_mode2_func_proto.
    /* 20 lirc_mode2 */
    &[1, 2, 3, 5, 6, 7, 12, 77, 78, 87, 88, 89, 92, 125],
    // sk_reuseport: Same set for select and select_or_migrate.
    /* 21 sk_reuseport */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 26, 35, 37, 42, 46, 55, 68, 80, 82, 87, 88,
        89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133,
        134, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172, 175, 176,
        177, 180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 22 flow_dissector */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 26, 35, 37, 42, 55, 80, 87, 88, 89, 93, 94,
        105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 136,
        137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171,
        172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202,
        203, 208, 209, 210, 211,
    ],
    /* 23 cgroup_sysctl */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 80, 81, 87, 88, 89, 93,
        94, 101, 102, 103, 104, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130,
        131, 132, 133, 134, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171,
        172, 175, 176, 177, 180, 181, 182, 186, 187, 191, 194, 195, 197, 198, 199, 200, 201, 202,
        203, 208, 209, 210, 211,
    ],
    /* 24 raw_tracepoint_writable */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88,
        89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133,
        134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 174, 175, 176,
        177, 180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    // cgroup_sockopt: Common case BPF_CGROUP_SETSOCKOPT; the getsockopt hook lacks
    // setsockopt/getsockopt (49/57).
    /* 25 cgroup_sockopt */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 49, 55, 57, 80, 81, 87, 88,
        89, 93, 94, 96, 105, 106, 107, 108, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125,
        130, 131, 132, 133, 134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171,
        172, 175, 176, 177, 180, 181, 182, 186, 187, 191, 194, 195, 197, 198, 199, 200, 201, 202,
        203, 208, 209, 210, 211,
    ],
    // tracing: Common case fentry/fexit: the live tp_btf result plus the trampoline-only helpers
    // get_func_ip/get_func_arg/get_func_ret/get_func_arg_cnt (173/183/184/185) and d_path (147,
    // which the verifier further restricts to an allow-list of attach targets). Iterators
    // (BPF_TRACE_ITER) add seq_printf/seq_write/seq_printf_btf (126/127/150) and lose
    // get_attach_cookie (174).
    /* 26 tracing */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 46, 55, 67, 80, 87,
        88, 89, 93, 94, 105, 106, 107, 108, 109, 111, 112, 113, 114, 115, 117, 118, 120, 121, 123,
        125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 147, 148, 149, 153, 154, 156,
        157, 158, 162, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 180, 181, 182,
        183, 184, 185, 188, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210,
        211,
    ],
    // struct_ops: Probed live as tcp_congestion_ops.cong_avoid; the real set depends on the
    // struct_ops type and member (for tcp_congestion_ops, `release` lacks setsockopt/getsockopt).
    /* 27 struct_ops */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 35, 37, 42, 49, 55, 57, 80, 87, 88, 89, 93,
        94, 105, 106, 107, 108, 109, 112, 113, 114, 115, 116, 117, 118, 120, 123, 125, 130, 131,
        132, 133, 134, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169, 170, 171, 172,
        175, 176, 177, 180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209,
        210, 211,
    ],
    // ext: An extension program uses its target's get_func_proto; this list is the intersection of
    // the probed program types (helpers every target offers).
    /* 28 ext */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 35, 37, 42, 55, 80, 87, 88, 89, 93, 94, 105,
        106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141, 148,
        149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182,
        191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    // lsm: Not probed (LSM loads fail with EPERM here): the fentry set plus
    // inode_storage_get/delete and bprm_opts_set; ima_inode_hash/ima_file_hash (161/193) only
    // exist for sleepable programs; BPF_LSM_CGROUP programs additionally get
    // get_local_storage/get_retval/set_retval and sockopt helpers.
    /* 29 lsm */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 46, 55, 67, 80, 87,
        88, 89, 93, 94, 105, 106, 107, 108, 109, 111, 112, 113, 114, 115, 117, 118, 120, 121, 123,
        125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 145, 146, 147, 148, 149, 153,
        154, 156, 157, 158, 159, 162, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178,
        180, 181, 182, 183, 184, 185, 188, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203,
        208, 209, 210, 211,
    ],
    /* 30 sk_lookup */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 35, 37, 42, 55, 80, 86, 87, 88, 89, 93,
        94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 124, 125, 130, 131, 132, 133,
        134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169,
        170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200,
        201, 202, 203, 208, 209, 210, 211,
    ],
    // syscall: Syscall programs are always sleepable. sk_storage_get/delete and d_path exist but
    // are refused by their `allowed` callbacks, so they are left out.
    /* 31 syscall */
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 46, 55, 67, 80, 87,
        88, 89, 93, 94, 105, 106, 109, 111, 112, 113, 114, 115, 117, 118, 120, 121, 123, 125, 130,
        131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 162,
        164, 165, 166, 167, 168, 169, 170, 171, 172, 175, 176, 177, 178, 179, 180, 181, 182, 188,
        191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
    /* 32 netfilter */
    &[
        1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 35, 37, 42, 55, 80, 87, 88, 89, 93, 94, 105,
        106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134, 141, 148,
        149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177, 180, 181, 182,
        191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
    ],
];

/// Whether a program of type `prog_type` (enum bpf_prog_type number: 1 socket_filter, 2 kprobe,
/// 3 sched_cls, 4 sched_act, 5 tracepoint, 6 xdp, 7 perf_event, 8 cgroup_skb, 9 cgroup_sock,
/// 10 lwt_in, 11 lwt_out, 12 lwt_xmit, 13 sock_ops, 14 sk_skb, 15 cgroup_device, 16 sk_msg,
/// 17 raw_tracepoint, 18 cgroup_sock_addr, 19 lwt_seg6local, 20 lirc_mode2, 21 sk_reuseport,
/// 22 flow_dissector, 23 cgroup_sysctl, 24 raw_tracepoint_writable, 25 cgroup_sockopt, 26 tracing,
/// 27 struct_ops, 28 ext, 29 lsm, 30 sk_lookup, 31 syscall, 32 netfilter) may call helper `id`,
/// for a privileged (CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN, no CAP_SYS_ADMIN) loader on Linux
/// 6.18.
///
/// "May call" means: the program type's get_func_proto returns a proto (no "program of this type
/// cannot use helper" / "unknown func"), and the checks the verifier applies right after that
/// for every program of the type pass (a proto's `allowed` callback; get_func_ip's program-type
/// check). It does not include the sleepable check (`might_sleep`), the GPL check
/// (`Proto::gpl_only`), or argument checks.
///
/// Data: loaded `r0 = 0; call id; r0 = 0; exit` for every id 1..=211 on a live 6.18.44 kernel as
/// root with CAP_SYS_ADMIN dropped (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN kept), for every program
/// type and the main attach types; types that could not be loaded here are filled in from the
/// kernel sources (see the comments in the table). Not available on that machine (and so false
/// everywhere): probe_write_user (36, needs CAP_SYS_ADMIN) and override_return (58, needs
/// CONFIG_BPF_KPROBE_OVERRIDE).
pub fn available(id: u32, prog_type: u32) -> bool {
    if !(1..=211).contains(&id) || !(1..=32).contains(&prog_type) {
        return false;
    }
    AVAIL[prog_type as usize].binary_search(&(id as u8)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for id in 1..=211u32 {
            let p = proto(id).unwrap();
            let name = semantics::helpers::names::helper_name(id as i32).unwrap();
            // Arguments are contiguous: no used argument after an unused one.
            let n = p.arg_count();
            assert!(p.args[..n].iter().all(|a| *a != Arg::None), "{name}");
            // A size argument follows a memory argument.
            for i in 0..n {
                if matches!(p.args[i], Arg::ConstSize | Arg::ConstSizeOrZero) {
                    assert!(i > 0, "{name}");
                    assert!(
                        matches!(
                            p.args[i - 1],
                            Arg::Mem { .. } | Arg::UninitMem { .. } | Arg::MemRw { .. }
                        ),
                        "{name} arg {i}"
                    );
                }
            }
            if let Some(r) = p.release {
                assert!((r as usize) < n);
            }
        }
        assert!(proto(0).is_none());
        assert!(proto(212).is_none());
    }

    #[test]
    fn avail_lists_sorted() {
        for l in AVAIL.iter() {
            assert!(l.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
