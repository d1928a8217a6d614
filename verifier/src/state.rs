//! The abstract state: registers (not initialised, scalar, or a typed pointer), per-byte
//! stack slots, call frames and acquired references. Frames and stacks are persistent
//! (`imbl`) and small vectors, so forking a state at a branch copies little.

use crate::domain::Scalar;
use imbl::OrdMap;
use smallvec::SmallVec;

/// What a pointer points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Ctx,
    /// The stack of the frame with this depth (0: the main program).
    Stack(u8),
    /// A map itself (CONST_PTR_TO_MAP), by index in `Program::maps`.
    MapPtr(u32),
    /// A value of the map.
    MapValue(u32),
    /// A key of the map (callback arguments).
    MapKey(u32),
    Packet,
    PacketMeta,
    PacketEnd,
    Socket,
    SockCommon,
    TcpSock,
    XdpSock,
    FlowKeys,
    /// Helper-allocated memory of a fixed size (ringbuf records and the like).
    Mem {
        size: u32,
        ringbuf: bool,
        rdonly: bool,
    },
    /// A kernel object described by BTF (its fields are not modelled).
    BtfId,
    /// A subprogram, by its first instruction.
    Func(u32),
}

impl Kind {
    /// The kernel's name of the type, as in `invalid mem access 'map_value_or_null'`.
    pub fn name(self, or_null: bool) -> String {
        let base = match self {
            // A map-of-maps lookup is a map value until its null check makes it the inner
            // map, as the kernel says.
            Kind::MapPtr(_) if or_null => "map_value",
            Kind::Ctx => "ctx",
            Kind::Stack(_) => "fp",
            Kind::MapPtr(_) => "map_ptr",
            Kind::MapValue(_) => "map_value",
            Kind::MapKey(_) => "map_key",
            Kind::Packet => "pkt",
            Kind::PacketMeta => "pkt_meta",
            Kind::PacketEnd => "pkt_end",
            Kind::Socket => "sock",
            Kind::SockCommon => "sock_common",
            Kind::TcpSock => "tcp_sock",
            Kind::XdpSock => "xdp_sock",
            Kind::FlowKeys => "flow_keys",
            Kind::Mem { ringbuf: true, .. } => "ringbuf_mem",
            Kind::Mem { .. } => "mem",
            Kind::BtfId => "ptr_",
            Kind::Func(_) => "func",
        };
        if or_null {
            format!("{base}_or_null")
        } else {
            base.to_string()
        }
    }

    pub fn is_packet(self) -> bool {
        matches!(self, Kind::Packet | Kind::PacketMeta)
    }
}

/// A pointer: `base + off + var`, where `var` is a scalar offset.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ptr {
    pub kind: Kind,
    pub off: i32,
    pub var: Scalar<u64>,
    /// Shared by copies of one pointer: null checks and packet ranges apply to all of them.
    pub id: u32,
    /// The reference this pointer holds (0: none).
    pub ref_id: u32,
    /// Packet pointers: bytes proven accessible from `base + var`.
    pub range: i32,
    /// The pointer may be null (`_or_null`).
    pub or_null: bool,
    /// Kernel (BTF) pointers: the size of the struct pointed to (0: not bounded), and
    /// whether the pointer is untrusted (loaded from a kptr field).
    pub btf_size: u32,
    pub untrusted: bool,
}

impl Ptr {
    /// The offset from the pointer's base, fixed and variable parts together.
    pub fn total_offset(&self) -> Scalar<u64> {
        self.var.alu(
            semantics::isa::AluOp::Add,
            semantics::isa::Width::W64,
            &Scalar::constant(&(self.off as i64 as u64)),
        )
    }

    pub fn new(kind: Kind) -> Ptr {
        Ptr {
            kind,
            off: 0,
            var: Scalar::constant(&0u64),
            id: 0,
            ref_id: 0,
            range: 0,
            or_null: false,
            btf_size: 0,
            untrusted: false,
        }
    }
}

/// A register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Reg {
    #[default]
    Uninit,
    /// A scalar, with the id linking copies of one value (0: none).
    Scalar(Scalar<u64>, u32),
    Ptr(Ptr),
}

impl Reg {
    pub fn unknown() -> Reg {
        Reg::Scalar(Scalar::unknown(&0u64), 0)
    }
    pub fn constant(v: u64) -> Reg {
        Reg::Scalar(Scalar::constant(&v), 0)
    }
    pub fn scalar(s: Scalar<u64>) -> Reg {
        Reg::Scalar(s, 0)
    }
    pub fn as_scalar(&self) -> Option<&Scalar<u64>> {
        match self {
            Reg::Scalar(s, _) => Some(s),
            _ => None,
        }
    }
    pub fn as_ptr(&self) -> Option<&Ptr> {
        match self {
            Reg::Ptr(p) => Some(p),
            _ => None,
        }
    }
}

/// One byte of a stack slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Byte {
    Invalid,
    Misc,
    Zero,
    /// Part of a spilled register.
    Spill,
}

/// An 8-byte stack slot.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub bytes: [Byte; 8],
    /// The spilled register when all eight bytes are `Spill`.
    pub spill: Option<Reg>,
}

impl Slot {
    pub fn invalid() -> Slot {
        Slot {
            bytes: [Byte::Invalid; 8],
            spill: None,
        }
    }
}

/// One call frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub regs: [Reg; 11],
    /// Slot `k` holds bytes `fp - 8(k+1) .. fp - 8k`.
    pub stack: OrdMap<u16, Slot>,
    /// The call instruction that created this frame (unused for the main frame).
    pub callsite: usize,
    /// First instruction of the subprogram.
    pub subprog: usize,
    /// For a callback's frame: the range its return value must lie in.
    pub callback_ret: Option<(i64, i64)>,
    /// For a callback's frame: the arguments of each invocation (it may run again).
    pub callback_args: Option<Box<[Reg; 5]>>,
}

impl Frame {
    pub fn new(subprog: usize, callsite: usize, depth: u8) -> Frame {
        let mut regs: [Reg; 11] = Default::default();
        regs[10] = Reg::Ptr(Ptr::new(Kind::Stack(depth)));
        Frame {
            regs,
            stack: OrdMap::new(),
            callsite,
            subprog,
            callback_ret: None,
            callback_args: None,
        }
    }

    /// The byte at `fp + o` (`o` negative).
    pub fn byte(&self, o: i64) -> Byte {
        let k = ((-o - 1) / 8) as u16;
        self.stack
            .get(&k)
            .map(|s| s.bytes[o.rem_euclid(8) as usize])
            .unwrap_or(Byte::Invalid)
    }

    /// Whether the slot holding `fp + o` has a spilled pointer.
    pub fn spilled_ptr(&self, o: i64) -> bool {
        let k = ((-o - 1) / 8) as u16;
        matches!(
            self.stack.get(&k).and_then(|s| s.spill.as_ref()),
            Some(Reg::Ptr(_))
        )
    }

    /// The frame of one invocation of a callback: `args` in r1-r5, the return value bound
    /// to `ret`.
    pub fn callback(
        subprog: usize,
        callsite: usize,
        depth: u8,
        args: Box<[Reg; 5]>,
        ret: (i64, i64),
    ) -> Frame {
        let mut f = Frame::new(subprog, callsite, depth);
        for (i, a) in args.iter().enumerate() {
            f.regs[i + 1] = a.clone();
        }
        f.callback_ret = Some(ret);
        f.callback_args = Some(args);
        f
    }

    pub fn slot(&self, k: u16) -> Slot {
        self.stack.get(&k).cloned().unwrap_or_else(Slot::invalid)
    }
}

/// A whole abstract state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub frames: SmallVec<[Frame; 2]>,
    /// Acquired references: (id, instruction that acquired it).
    pub refs: SmallVec<[(u32, usize); 2]>,
    /// The bpf_spin_lock held: (map, pointer id, offset).
    pub lock: Option<(u32, u32, i32)>,
}

impl State {
    pub fn cur(&self) -> &Frame {
        self.frames.last().expect("a state has a frame")
    }
    pub fn cur_mut(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a state has a frame")
    }
    pub fn reg(&self, r: u8) -> &Reg {
        &self.cur().regs[r as usize]
    }
    pub fn set(&mut self, r: u8, v: Reg) {
        self.cur_mut().regs[r as usize] = v;
    }

    /// Applies `f` to every register and spilled register of every frame that `want`
    /// selects. Only the stack slots whose register is selected are written, so that a
    /// shared (persistent) stack is not copied for nothing.
    pub fn for_each_reg_mut(&mut self, want: impl Fn(&Reg) -> bool, mut f: impl FnMut(&mut Reg)) {
        for fr in self.frames.iter_mut() {
            for r in fr.regs.iter_mut() {
                if want(r) {
                    f(r);
                }
            }
            let keys: Vec<u16> = fr
                .stack
                .iter()
                .filter(|(_, s)| s.spill.as_ref().is_some_and(&want))
                .map(|(k, _)| *k)
                .collect();
            for k in keys {
                if let Some(r) = fr.stack.get_mut(&k).and_then(|s| s.spill.as_mut()) {
                    f(r);
                }
            }
        }
    }
}
