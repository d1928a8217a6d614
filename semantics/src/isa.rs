//! The typed instruction: what a decoded slot (or slot pair) means.
//!
//! Every variant holds exactly the fields its encoding has, so that `encode` is the inverse of
//! `decode` (see `decode.rs`). Offsets of jumps and local calls are relative, as encoded:
//! the target of a jump at `pc` is `pc + 1 + off`.

use std::fmt;

/// A register number 0..=10. `R10` is the read-only frame pointer.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Reg(u8);

impl Reg {
    pub const R0: Reg = Reg(0);
    pub const R1: Reg = Reg(1);
    pub const R2: Reg = Reg(2);
    pub const R3: Reg = Reg(3);
    pub const R4: Reg = Reg(4);
    pub const R5: Reg = Reg(5);
    pub const R6: Reg = Reg(6);
    pub const R10: Reg = Reg(10);
    /// The number of registers.
    pub const COUNT: usize = 11;

    /// A register, or `None` for numbers above 10.
    pub const fn new(n: u8) -> Option<Reg> {
        if n <= 10 {
            Some(Reg(n))
        } else {
            None
        }
    }
    pub const fn num(self) -> u8 {
        self.0
    }
    pub const fn idx(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

/// Operation width: ALU vs ALU64, JMP32 vs JMP, 32- vs 64-bit atomics.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Width {
    W32,
    W64,
}

/// Memory access size.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Size {
    B,
    H,
    W,
    DW,
}

impl Size {
    pub const ALL: [Size; 4] = [Size::B, Size::H, Size::W, Size::DW];
    pub const fn bytes(self) -> usize {
        match self {
            Size::B => 1,
            Size::H => 2,
            Size::W => 4,
            Size::DW => 8,
        }
    }
    /// The `BPF_SIZE` bits of the opcode.
    pub const fn code(self) -> u8 {
        match self {
            Size::W => 0x00,
            Size::H => 0x08,
            Size::B => 0x10,
            Size::DW => 0x18,
        }
    }
    pub const fn from_code(c: u8) -> Size {
        match c & 0x18 {
            0x00 => Size::W,
            0x08 => Size::H,
            0x10 => Size::B,
            _ => Size::DW,
        }
    }
    /// The C type the kernel log and LLVM print (`u8` ... `u64`).
    pub const fn ctype(self) -> &'static str {
        match self {
            Size::B => "u8",
            Size::H => "u16",
            Size::W => "u32",
            Size::DW => "u64",
        }
    }
}

/// The second operand of an ALU, JMP or ST instruction.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Source {
    Reg(Reg),
    Imm(i32),
}

/// Binary ALU operations (NEG and END are separate variants of [`Instruction`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AluOp {
    Add,
    Sub,
    Mul,
    Div,
    Sdiv,
    Or,
    And,
    Lsh,
    Rsh,
    Mod,
    Smod,
    Xor,
    Mov,
    /// MOVSX: move with sign extension from the low 8, 16 or 32 bits (register source only).
    MovSx8,
    MovSx16,
    MovSx32,
    Arsh,
}

impl AluOp {
    pub const ALL: [AluOp; 17] = [
        AluOp::Add,
        AluOp::Sub,
        AluOp::Mul,
        AluOp::Div,
        AluOp::Sdiv,
        AluOp::Or,
        AluOp::And,
        AluOp::Lsh,
        AluOp::Rsh,
        AluOp::Mod,
        AluOp::Smod,
        AluOp::Xor,
        AluOp::Mov,
        AluOp::MovSx8,
        AluOp::MovSx16,
        AluOp::MovSx32,
        AluOp::Arsh,
    ];
    /// The `BPF_OP` bits and the `off` field that select this operation.
    pub const fn code_off(self) -> (u8, i16) {
        match self {
            AluOp::Add => (0x00, 0),
            AluOp::Sub => (0x10, 0),
            AluOp::Mul => (0x20, 0),
            AluOp::Div => (0x30, 0),
            AluOp::Sdiv => (0x30, 1),
            AluOp::Or => (0x40, 0),
            AluOp::And => (0x50, 0),
            AluOp::Lsh => (0x60, 0),
            AluOp::Rsh => (0x70, 0),
            AluOp::Mod => (0x90, 0),
            AluOp::Smod => (0x90, 1),
            AluOp::Xor => (0xa0, 0),
            AluOp::Mov => (0xb0, 0),
            AluOp::MovSx8 => (0xb0, 8),
            AluOp::MovSx16 => (0xb0, 16),
            AluOp::MovSx32 => (0xb0, 32),
            AluOp::Arsh => (0xc0, 0),
        }
    }
    /// Whether the operation exists at this width (MOVSX32 is 64-bit only) and with an
    /// immediate (MOVSX takes a register).
    pub const fn valid(self, width: Width, imm_source: bool) -> bool {
        match self {
            AluOp::MovSx8 | AluOp::MovSx16 => !imm_source,
            AluOp::MovSx32 => !imm_source && matches!(width, Width::W64),
            _ => true,
        }
    }
}

/// Conditions of conditional jumps.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum JmpCond {
    Eq,
    Gt,
    Ge,
    Set,
    Ne,
    Sgt,
    Sge,
    Lt,
    Le,
    Slt,
    Sle,
}

impl JmpCond {
    pub const ALL: [JmpCond; 11] = [
        JmpCond::Eq,
        JmpCond::Gt,
        JmpCond::Ge,
        JmpCond::Set,
        JmpCond::Ne,
        JmpCond::Sgt,
        JmpCond::Sge,
        JmpCond::Lt,
        JmpCond::Le,
        JmpCond::Slt,
        JmpCond::Sle,
    ];
    pub const fn code(self) -> u8 {
        match self {
            JmpCond::Eq => 0x10,
            JmpCond::Gt => 0x20,
            JmpCond::Ge => 0x30,
            JmpCond::Set => 0x40,
            JmpCond::Ne => 0x50,
            JmpCond::Sgt => 0x60,
            JmpCond::Sge => 0x70,
            JmpCond::Lt => 0xa0,
            JmpCond::Le => 0xb0,
            JmpCond::Slt => 0xc0,
            JmpCond::Sle => 0xd0,
        }
    }
    pub fn from_code(c: u8) -> Option<JmpCond> {
        JmpCond::ALL.into_iter().find(|j| j.code() == c)
    }
    /// The condition that holds exactly when this one does not.
    pub const fn negate(self) -> Option<JmpCond> {
        Some(match self {
            JmpCond::Eq => JmpCond::Ne,
            JmpCond::Ne => JmpCond::Eq,
            JmpCond::Gt => JmpCond::Le,
            JmpCond::Le => JmpCond::Gt,
            JmpCond::Ge => JmpCond::Lt,
            JmpCond::Lt => JmpCond::Ge,
            JmpCond::Sgt => JmpCond::Sle,
            JmpCond::Sle => JmpCond::Sgt,
            JmpCond::Sge => JmpCond::Slt,
            JmpCond::Slt => JmpCond::Sge,
            JmpCond::Set => return None,
        })
    }
}

/// Byte-order operations (`BPF_END`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum EndKind {
    /// To little endian: on a little-endian machine, truncation to the width.
    Le,
    /// To big endian: on a little-endian machine, a byte swap of the low bits.
    Be,
    /// Unconditional byte swap (`BPF_ALU64 | BPF_END`).
    Swap,
}

/// Read-modify-write operations of `BPF_ATOMIC`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AtomicOp {
    Add,
    Or,
    And,
    Xor,
}

impl AtomicOp {
    pub const ALL: [AtomicOp; 4] = [AtomicOp::Add, AtomicOp::Or, AtomicOp::And, AtomicOp::Xor];
    pub const fn code(self) -> i32 {
        match self {
            AtomicOp::Add => 0x00,
            AtomicOp::Or => 0x40,
            AtomicOp::And => 0x50,
            AtomicOp::Xor => 0xa0,
        }
    }
}

/// What an atomic instruction does.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Atomic {
    /// `*(dst + off) op= src`, and with `fetch`, `src` receives the old value.
    Rmw { op: AtomicOp, fetch: bool },
    /// `src = xchg(dst + off, src)`.
    Xchg,
    /// `r0 = cmpxchg(dst + off, r0, src)`: stores `src` if the old value equals `r0`; `r0`
    /// receives the old value in every case.
    Cmpxchg,
}

impl Atomic {
    pub const fn imm(self) -> i32 {
        match self {
            Atomic::Rmw { op, fetch } => op.code() | if fetch { 1 } else { 0 },
            Atomic::Xchg => 0xe1,
            Atomic::Cmpxchg => 0xf1,
        }
    }
}

/// The pseudo source of an LD_IMM64 (its `src` field).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Pseudo {
    /// `src = 0`: a plain 64-bit immediate.
    Imm64,
    /// `src = 1`: a map, by file descriptor in `imm`.
    MapFd,
    /// `src = 2`: the address of a map's value at an offset (fd in `imm`, offset in `next_imm`).
    MapValue,
    /// `src = 3`: a kernel BTF variable id.
    BtfId,
    /// `src = 4`: the address of a subprogram, relative like a call.
    Func,
    /// `src = 5`: a map, by index in the program's map array.
    MapIdx,
    /// `src = 6`: a map value address, by index and offset.
    MapIdxValue,
}

impl Pseudo {
    pub const ALL: [Pseudo; 7] = [
        Pseudo::Imm64,
        Pseudo::MapFd,
        Pseudo::MapValue,
        Pseudo::BtfId,
        Pseudo::Func,
        Pseudo::MapIdx,
        Pseudo::MapIdxValue,
    ];
    pub const fn src(self) -> u8 {
        self as u8
    }
    pub fn from_src(s: u8) -> Option<Pseudo> {
        Pseudo::ALL.get(s as usize).copied()
    }
}

/// Call targets.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Call {
    /// A helper function by its number (`src = 0`).
    Helper(i32),
    /// A bpf-to-bpf call (`src = 1`); the callee starts at `pc + 1 + imm`.
    Local(i32),
    /// A kernel function by BTF id (`src = 2`); `off` selects a module BTF (0: vmlinux).
    Kfunc { btf_id: i32, off: i16 },
}

/// A decoded instruction.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Instruction {
    /// `dst = dst op src` (or `dst = src` for moves) at the given width; 32-bit results are
    /// zero-extended into the 64-bit register.
    Alu {
        width: Width,
        op: AluOp,
        dst: Reg,
        src: Source,
    },
    /// `dst = -dst`.
    Neg {
        width: Width,
        dst: Reg,
    },
    /// Byte order conversion of the low `bits` (16, 32 or 64).
    End {
        kind: EndKind,
        bits: u8,
        dst: Reg,
    },
    /// `goto pc + 1 + off` (JMP class, 16-bit offset).
    Ja {
        off: i16,
    },
    /// `gotol pc + 1 + imm` (JMP32 class, 32-bit offset).
    JaLong {
        imm: i32,
    },
    /// `if dst cond src goto pc + 1 + off`.
    Jmp {
        width: Width,
        cond: JmpCond,
        dst: Reg,
        src: Source,
        off: i16,
    },
    Call(Call),
    /// `callx dst`: an indirect call through a register (LLVM's encoding, `dst` holds the target).
    CallX {
        reg: Reg,
    },
    Exit,
    /// A two-slot 64-bit immediate load; `imm` is the first slot's, `next_imm` the second's.
    LdImm64 {
        dst: Reg,
        pseudo: Pseudo,
        imm: i32,
        next_imm: i32,
    },
    /// `dst = *(size *)(src + off)`, sign-extending with `sign_extend` (MEMSX).
    Load {
        size: Size,
        sign_extend: bool,
        dst: Reg,
        src: Reg,
        off: i16,
    },
    /// `*(size *)(dst + off) = src` (STX for a register, ST for an immediate).
    Store {
        size: Size,
        dst: Reg,
        off: i16,
        src: Source,
    },
    /// An atomic operation on `*(width *)(dst + off)` with `src`.
    Atomic {
        width: Width,
        op: Atomic,
        dst: Reg,
        src: Reg,
        off: i16,
    },
    /// Legacy packet load `r0 = ntoh(*(size *)(skb->data + imm))`.
    LdAbs {
        size: Size,
        imm: i32,
    },
    /// Legacy packet load `r0 = ntoh(*(size *)(skb->data + src + imm))`.
    LdInd {
        size: Size,
        src: Reg,
        imm: i32,
    },
}

impl Instruction {
    /// How many slots the instruction takes (2 for LD_IMM64, 1 otherwise).
    pub const fn slots(&self) -> usize {
        match self {
            Instruction::LdImm64 { .. } => 2,
            _ => 1,
        }
    }

    /// The full 64-bit value of an LD_IMM64 with `Pseudo::Imm64`.
    pub const fn imm64(imm: i32, next_imm: i32) -> u64 {
        (imm as u32 as u64) | ((next_imm as u32 as u64) << 32)
    }

    /// The relative offset of the function a local call or a function-pointer LD_IMM64
    /// refers to.
    pub const fn function_offset(&self) -> Option<i64> {
        match *self {
            Instruction::Call(Call::Local(imm)) => Some(imm as i64),
            Instruction::LdImm64 {
                pseudo: Pseudo::Func,
                imm,
                ..
            } => Some(imm as i64),
            _ => None,
        }
    }

    /// Whether the instruction ends a basic block: a jump, a call or an exit.
    pub const fn ends_block(&self) -> bool {
        matches!(
            self,
            Instruction::Ja { .. }
                | Instruction::JaLong { .. }
                | Instruction::Jmp { .. }
                | Instruction::Call(_)
                | Instruction::CallX { .. }
                | Instruction::Exit
        )
    }

    /// The registers the instruction reads and writes (bit `i` for r`i`), by the ISA's
    /// calling convention: a call reads its arguments r1-r5 and leaves r0-r5 undefined;
    /// LD_ABS/LD_IND read the context in r6 and leave r0-r5 undefined; exit reads r0.
    pub fn uses_defs(&self) -> (u16, u16) {
        const ARGS: u16 = 0b11_1110;
        const CALLER_SAVED: u16 = 0b11_1111;
        let bit = |r: &Reg| 1u16 << r.num();
        let src = |s: &Source| match s {
            Source::Reg(r) => bit(r),
            Source::Imm(_) => 0,
        };
        match self {
            Instruction::Alu {
                op, dst, src: s, ..
            } => {
                let reads_dst = !matches!(
                    op,
                    AluOp::Mov | AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32
                );
                (src(s) | if reads_dst { bit(dst) } else { 0 }, bit(dst))
            }
            Instruction::Neg { dst, .. } | Instruction::End { dst, .. } => (bit(dst), bit(dst)),
            Instruction::Jmp { dst, src: s, .. } => (bit(dst) | src(s), 0),
            Instruction::Call(_) => (ARGS, CALLER_SAVED),
            Instruction::CallX { reg } => (ARGS | bit(reg), CALLER_SAVED),
            Instruction::Exit => (1, 0),
            Instruction::LdImm64 { dst, .. } => (0, bit(dst)),
            Instruction::Load { dst, src, .. } => (bit(src), bit(dst)),
            Instruction::Store { dst, src: s, .. } => (bit(dst) | src(s), 0),
            Instruction::Atomic { op, dst, src, .. } => {
                let (r, w) = match op {
                    Atomic::Cmpxchg => (bit(src) | 1, 1),
                    Atomic::Xchg | Atomic::Rmw { fetch: true, .. } => (bit(src), bit(src)),
                    Atomic::Rmw { fetch: false, .. } => (bit(src), 0),
                };
                (bit(dst) | r, w)
            }
            Instruction::LdAbs { .. } => (1 << 6, CALLER_SAVED),
            Instruction::LdInd { src, .. } => ((1 << 6) | bit(src), CALLER_SAVED),
            Instruction::Ja { .. } | Instruction::JaLong { .. } => (0, 0),
        }
    }

    /// The relative jump offset, for instructions that jump within the function.
    pub const fn jump_offset(&self) -> Option<i64> {
        match *self {
            Instruction::Ja { off } => Some(off as i64),
            Instruction::JaLong { imm } => Some(imm as i64),
            Instruction::Jmp { off, .. } => Some(off as i64),
            _ => None,
        }
    }

    /// The slot a jump at `pc` goes to (`pc + 1 + offset`), for a jump in a decoded
    /// program (the decoder rejects targets outside it).
    pub const fn jump_target(&self, pc: usize) -> Option<usize> {
        match self.jump_offset() {
            Some(rel) => Some((pc as i64 + 1 + rel) as usize),
            None => None,
        }
    }

    /// The first slot of the function a local call or a function-pointer load at `pc`
    /// names, in a decoded program.
    pub const fn function_target(&self, pc: usize) -> Option<usize> {
        match self.function_offset() {
            Some(rel) => Some((pc as i64 + 1 + rel) as usize),
            None => None,
        }
    }
}
