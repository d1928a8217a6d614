//! Program types (`enum bpf_prog_type`) and libbpf's section-name conventions.

/// `enum bpf_prog_type`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
#[repr(u32)]
pub enum ProgType {
    Unspec = 0,
    SocketFilter = 1,
    Kprobe = 2,
    SchedCls = 3,
    SchedAct = 4,
    Tracepoint = 5,
    Xdp = 6,
    PerfEvent = 7,
    CgroupSkb = 8,
    CgroupSock = 9,
    LwtIn = 10,
    LwtOut = 11,
    LwtXmit = 12,
    SockOps = 13,
    SkSkb = 14,
    CgroupDevice = 15,
    SkMsg = 16,
    RawTracepoint = 17,
    CgroupSockAddr = 18,
    LwtSeg6local = 19,
    LircMode2 = 20,
    SkReuseport = 21,
    FlowDissector = 22,
    CgroupSysctl = 23,
    RawTracepointWritable = 24,
    CgroupSockopt = 25,
    Tracing = 26,
    StructOps = 27,
    Ext = 28,
    Lsm = 29,
    SkLookup = 30,
    Syscall = 31,
    Netfilter = 32,
}

const ALL: [ProgType; 33] = [
    ProgType::Unspec,
    ProgType::SocketFilter,
    ProgType::Kprobe,
    ProgType::SchedCls,
    ProgType::SchedAct,
    ProgType::Tracepoint,
    ProgType::Xdp,
    ProgType::PerfEvent,
    ProgType::CgroupSkb,
    ProgType::CgroupSock,
    ProgType::LwtIn,
    ProgType::LwtOut,
    ProgType::LwtXmit,
    ProgType::SockOps,
    ProgType::SkSkb,
    ProgType::CgroupDevice,
    ProgType::SkMsg,
    ProgType::RawTracepoint,
    ProgType::CgroupSockAddr,
    ProgType::LwtSeg6local,
    ProgType::LircMode2,
    ProgType::SkReuseport,
    ProgType::FlowDissector,
    ProgType::CgroupSysctl,
    ProgType::RawTracepointWritable,
    ProgType::CgroupSockopt,
    ProgType::Tracing,
    ProgType::StructOps,
    ProgType::Ext,
    ProgType::Lsm,
    ProgType::SkLookup,
    ProgType::Syscall,
    ProgType::Netfilter,
];

const NAMES: [&str; 33] = [
    "unspec",
    "socket_filter",
    "kprobe",
    "sched_cls",
    "sched_act",
    "tracepoint",
    "xdp",
    "perf_event",
    "cgroup_skb",
    "cgroup_sock",
    "lwt_in",
    "lwt_out",
    "lwt_xmit",
    "sock_ops",
    "sk_skb",
    "cgroup_device",
    "sk_msg",
    "raw_tracepoint",
    "cgroup_sock_addr",
    "lwt_seg6local",
    "lirc_mode2",
    "sk_reuseport",
    "flow_dissector",
    "cgroup_sysctl",
    "raw_tracepoint_writable",
    "cgroup_sockopt",
    "tracing",
    "struct_ops",
    "ext",
    "lsm",
    "sk_lookup",
    "syscall",
    "netfilter",
];

impl ProgType {
    /// The kernel's name without `BPF_PROG_TYPE_`, in lower case (`sched_cls`).
    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }
    pub fn from_name(s: &str) -> Option<ProgType> {
        let s = s.to_ascii_lowercase();
        let s = s.strip_prefix("bpf_prog_type_").unwrap_or(&s);
        NAMES.iter().position(|n| *n == s).map(|i| ALL[i])
    }
    pub fn from_u32(n: u32) -> Option<ProgType> {
        ALL.get(n as usize).copied()
    }
}

/// The program type and expected attach type (by libbpf's name, if any) that libbpf derives
/// from a section name, or `None` when no rule matches.
pub fn from_section(sec: &str) -> Option<(ProgType, Option<&'static str>)> {
    use ProgType as P;
    // (prefix, type, attach type, whole-word: the section must equal the prefix or continue
    // with '/' or '.').
    const RULES: &[(&str, ProgType, Option<&str>)] = &[
        ("socket", P::SocketFilter, None),
        (
            "sk_reuseport/migrate",
            P::SkReuseport,
            Some("sk_reuseport_select_or_migrate"),
        ),
        ("sk_reuseport", P::SkReuseport, Some("sk_reuseport_select")),
        ("kprobe", P::Kprobe, None),
        ("uprobe", P::Kprobe, None),
        ("kretprobe", P::Kprobe, None),
        ("uretprobe", P::Kprobe, None),
        ("ksyscall", P::Kprobe, None),
        ("kretsyscall", P::Kprobe, None),
        ("usdt", P::Kprobe, None),
        ("tc/ingress", P::SchedCls, Some("tcx_ingress")),
        ("tc/egress", P::SchedCls, Some("tcx_egress")),
        ("tcx/ingress", P::SchedCls, Some("tcx_ingress")),
        ("tcx/egress", P::SchedCls, Some("tcx_egress")),
        ("tc", P::SchedCls, None),
        ("classifier", P::SchedCls, None),
        ("action", P::SchedAct, None),
        ("tracepoint", P::Tracepoint, None),
        ("tp", P::Tracepoint, None),
        ("raw_tracepoint.w", P::RawTracepointWritable, None),
        ("raw_tp.w", P::RawTracepointWritable, None),
        ("raw_tracepoint", P::RawTracepoint, None),
        ("raw_tp", P::RawTracepoint, None),
        ("tp_btf", P::Tracing, Some("trace_raw_tp")),
        ("fentry", P::Tracing, Some("trace_fentry")),
        ("fmod_ret", P::Tracing, Some("modify_return")),
        ("fexit", P::Tracing, Some("trace_fexit")),
        ("iter", P::Tracing, Some("trace_iter")),
        ("freplace", P::Ext, None),
        ("lsm", P::Lsm, Some("lsm_mac")),
        ("xdp/devmap", P::Xdp, Some("xdp_devmap")),
        ("xdp/cpumap", P::Xdp, Some("xdp_cpumap")),
        ("xdp", P::Xdp, Some("xdp")),
        ("perf_event", P::PerfEvent, None),
        ("lwt_in", P::LwtIn, None),
        ("lwt_out", P::LwtOut, None),
        ("lwt_xmit", P::LwtXmit, None),
        ("lwt_seg6local", P::LwtSeg6local, None),
        ("sockops", P::SockOps, Some("cgroup_sock_ops")),
        (
            "sk_skb/stream_parser",
            P::SkSkb,
            Some("sk_skb_stream_parser"),
        ),
        (
            "sk_skb/stream_verdict",
            P::SkSkb,
            Some("sk_skb_stream_verdict"),
        ),
        ("sk_skb", P::SkSkb, None),
        ("sk_msg", P::SkMsg, Some("sk_msg_verdict")),
        ("lirc_mode2", P::LircMode2, Some("lirc_mode2")),
        ("flow_dissector", P::FlowDissector, Some("flow_dissector")),
        (
            "cgroup_skb/ingress",
            P::CgroupSkb,
            Some("cgroup_inet_ingress"),
        ),
        (
            "cgroup_skb/egress",
            P::CgroupSkb,
            Some("cgroup_inet_egress"),
        ),
        ("cgroup/skb", P::CgroupSkb, None),
        (
            "cgroup/sock_create",
            P::CgroupSock,
            Some("cgroup_inet_sock_create"),
        ),
        (
            "cgroup/sock_release",
            P::CgroupSock,
            Some("cgroup_inet_sock_release"),
        ),
        (
            "cgroup/sock",
            P::CgroupSock,
            Some("cgroup_inet_sock_create"),
        ),
        (
            "cgroup/post_bind4",
            P::CgroupSock,
            Some("cgroup_inet4_post_bind"),
        ),
        (
            "cgroup/post_bind6",
            P::CgroupSock,
            Some("cgroup_inet6_post_bind"),
        ),
        ("cgroup/dev", P::CgroupDevice, Some("cgroup_device")),
        ("cgroup/bind4", P::CgroupSockAddr, Some("cgroup_inet4_bind")),
        ("cgroup/bind6", P::CgroupSockAddr, Some("cgroup_inet6_bind")),
        (
            "cgroup/connect4",
            P::CgroupSockAddr,
            Some("cgroup_inet4_connect"),
        ),
        (
            "cgroup/connect6",
            P::CgroupSockAddr,
            Some("cgroup_inet6_connect"),
        ),
        (
            "cgroup/connect_unix",
            P::CgroupSockAddr,
            Some("cgroup_unix_connect"),
        ),
        (
            "cgroup/sendmsg4",
            P::CgroupSockAddr,
            Some("cgroup_udp4_sendmsg"),
        ),
        (
            "cgroup/sendmsg6",
            P::CgroupSockAddr,
            Some("cgroup_udp6_sendmsg"),
        ),
        (
            "cgroup/recvmsg4",
            P::CgroupSockAddr,
            Some("cgroup_udp4_recvmsg"),
        ),
        (
            "cgroup/recvmsg6",
            P::CgroupSockAddr,
            Some("cgroup_udp6_recvmsg"),
        ),
        (
            "cgroup/getpeername4",
            P::CgroupSockAddr,
            Some("cgroup_inet4_getpeername"),
        ),
        (
            "cgroup/getpeername6",
            P::CgroupSockAddr,
            Some("cgroup_inet6_getpeername"),
        ),
        (
            "cgroup/getsockname4",
            P::CgroupSockAddr,
            Some("cgroup_inet4_getsockname"),
        ),
        (
            "cgroup/getsockname6",
            P::CgroupSockAddr,
            Some("cgroup_inet6_getsockname"),
        ),
        ("cgroup/sysctl", P::CgroupSysctl, Some("cgroup_sysctl")),
        (
            "cgroup/getsockopt",
            P::CgroupSockopt,
            Some("cgroup_getsockopt"),
        ),
        (
            "cgroup/setsockopt",
            P::CgroupSockopt,
            Some("cgroup_setsockopt"),
        ),
        ("struct_ops", P::StructOps, None),
        ("sk_lookup", P::SkLookup, Some("sk_lookup")),
        ("syscall", P::Syscall, None),
        ("netfilter", P::Netfilter, Some("netfilter")),
    ];
    for (prefix, t, attach) in RULES {
        if let Some(rest) = sec.strip_prefix(prefix) {
            // `socket` is matched as a prefix by libbpf (`socket*`); the others must be the
            // whole name or continue with '/' or '.'.
            if rest.is_empty()
                || rest.starts_with('/')
                || rest.starts_with('.')
                || *prefix == "socket"
            {
                return Some((*t, *attach));
            }
        }
    }
    None
}

/// The program type of an old-style section name that libbpf's rules no longer match (the
/// prefixes of the kernel's old `samples/bpf` loader, used by many existing objects).
pub fn from_legacy_section(section: &str) -> Option<ProgType> {
    use ProgType as P;
    const RULES: &[(&str, P)] = &[
        ("socket", P::SocketFilter),
        ("kprobe/", P::Kprobe),
        ("kretprobe/", P::Kprobe),
        ("tracepoint/", P::Tracepoint),
        ("raw_tracepoint/", P::RawTracepoint),
        ("xdp", P::Xdp),
        ("perf_event", P::PerfEvent),
        ("cgroup/skb", P::CgroupSkb),
        ("cgroup/sock", P::CgroupSock),
        ("cgroup/dev", P::CgroupDevice),
        ("sockops", P::SockOps),
        ("sk_skb", P::SkSkb),
        ("sk_msg", P::SkMsg),
        ("lwt_in", P::LwtIn),
        ("lwt_out", P::LwtOut),
        ("lwt_xmit", P::LwtXmit),
        ("lwt_seg6local", P::LwtSeg6local),
        ("len_hist", P::LwtXmit),
        ("classifier", P::SchedCls),
        ("action", P::SchedAct),
    ];
    RULES
        .iter()
        .find(|(p, _)| section.starts_with(p))
        .map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_follow_libbpf() {
        let cases = [
            ("xdp", ProgType::Xdp),
            ("socket1", ProgType::SocketFilter),
            ("kprobe/sys_write", ProgType::Kprobe),
            ("tracepoint/syscalls/sys_enter_open", ProgType::Tracepoint),
            ("tp/sched/sched_switch", ProgType::Tracepoint),
            ("raw_tracepoint/sched_switch", ProgType::RawTracepoint),
            ("classifier", ProgType::SchedCls),
            ("tc", ProgType::SchedCls),
            ("cgroup/connect4", ProgType::CgroupSockAddr),
            ("cgroup_skb/egress", ProgType::CgroupSkb),
            ("sockops", ProgType::SockOps),
            ("sk_skb/stream_parser", ProgType::SkSkb),
            ("fentry/do_unlinkat", ProgType::Tracing),
        ];
        for (s, t) in cases {
            assert_eq!(from_section(s).map(|x| x.0), Some(t), "{s}");
        }
        assert_eq!(from_section("from-netdev"), None);
        // Old samples/bpf names that libbpf no longer knows.
        assert_eq!(from_section("xdp_fwd"), None);
        assert_eq!(from_legacy_section("xdp_fwd"), Some(ProgType::Xdp));
        assert_eq!(
            from_legacy_section("cgroup/sock1"),
            Some(ProgType::CgroupSock)
        );
        assert_eq!(from_legacy_section("from-netdev"), None);
        assert_eq!(from_section("tcp_stuff"), None);
        assert_eq!(ProgType::from_name("sched_cls"), Some(ProgType::SchedCls));
        assert_eq!(
            ProgType::from_name("BPF_PROG_TYPE_XDP"),
            Some(ProgType::Xdp)
        );
    }
}
