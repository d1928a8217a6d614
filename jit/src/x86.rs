//! A typed x86-64 encoder.
//!
//! Registers, operand sizes, memory operands and instruction forms are types; [`encode`] is
//! the only function that writes machine code bytes, and derives the prefixes, REX, ModRM, SIB,
//! displacement and immediate of each form. It is tested against the `iced-x86` decoder over
//! every form and register combination (`harness::fuzzing::x86`).
//!
//! Only the forms the JIT needs are here. Branches always take 32-bit displacements, so that a
//! branch's length does not depend on where its target ends up.

/// A general-purpose register (its 64-bit name; the operand size picks the part used).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum Reg {
    Rax = 0,
    Rcx,
    Rdx,
    Rbx,
    Rsp,
    Rbp,
    Rsi,
    Rdi,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
}

impl Reg {
    pub const ALL: [Reg; 16] = [
        Reg::Rax,
        Reg::Rcx,
        Reg::Rdx,
        Reg::Rbx,
        Reg::Rsp,
        Reg::Rbp,
        Reg::Rsi,
        Reg::Rdi,
        Reg::R8,
        Reg::R9,
        Reg::R10,
        Reg::R11,
        Reg::R12,
        Reg::R13,
        Reg::R14,
        Reg::R15,
    ];
    /// The register's number 0..=15.
    pub const fn num(self) -> u8 {
        self as u8
    }
    const fn low(self) -> u8 {
        self as u8 & 7
    }
    const fn ext(self) -> bool {
        self as u8 >= 8
    }
}

/// Operand size.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Size {
    B,
    W,
    D,
    Q,
}

impl Size {
    pub const ALL: [Size; 4] = [Size::B, Size::W, Size::D, Size::Q];
    pub const fn bytes(self) -> usize {
        match self {
            Size::B => 1,
            Size::W => 2,
            Size::D => 4,
            Size::Q => 8,
        }
    }
}

/// The scale of a memory operand's index.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Scale {
    S1,
    S2,
    S4,
    S8,
}

impl Scale {
    pub const ALL: [Scale; 4] = [Scale::S1, Scale::S2, Scale::S4, Scale::S8];
    const fn bits(self) -> u8 {
        match self {
            Scale::S1 => 0,
            Scale::S2 => 1,
            Scale::S4 => 2,
            Scale::S8 => 3,
        }
    }
    pub const fn factor(self) -> u32 {
        1 << self.bits()
    }
}

/// A memory operand `[base + index * scale + disp]`. The index cannot be `rsp` (the encoding
/// means "no index"); [`Mem::indexed`] refuses it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Mem {
    pub base: Reg,
    pub index: Option<(Reg, Scale)>,
    pub disp: i32,
}

impl Mem {
    pub const fn base(base: Reg, disp: i32) -> Mem {
        Mem {
            base,
            index: None,
            disp,
        }
    }
    /// `[base + index * scale + disp]`, or `None` for an `rsp` index.
    pub const fn indexed(base: Reg, index: Reg, scale: Scale, disp: i32) -> Option<Mem> {
        if matches!(index, Reg::Rsp) {
            return None;
        }
        Some(Mem {
            base,
            index: Some((index, scale)),
            disp,
        })
    }
}

/// A register or memory operand (the ModRM `r/m` field).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Rm {
    Reg(Reg),
    Mem(Mem),
}

/// The binary operations of the classic ALU group.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AluOp {
    Add,
    Or,
    And,
    Sub,
    Xor,
    Cmp,
}

impl AluOp {
    pub const ALL: [AluOp; 6] = [
        AluOp::Add,
        AluOp::Or,
        AluOp::And,
        AluOp::Sub,
        AluOp::Xor,
        AluOp::Cmp,
    ];
    /// The ModRM `reg` digit of the immediate forms; the register forms' opcode is 8 times it.
    const fn digit(self) -> u8 {
        match self {
            AluOp::Add => 0,
            AluOp::Or => 1,
            AluOp::And => 4,
            AluOp::Sub => 5,
            AluOp::Xor => 6,
            AluOp::Cmp => 7,
        }
    }
}

/// Shifts.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ShiftOp {
    Rol,
    Shl,
    Shr,
    Sar,
}

impl ShiftOp {
    pub const ALL: [ShiftOp; 4] = [ShiftOp::Rol, ShiftOp::Shl, ShiftOp::Shr, ShiftOp::Sar];
    const fn digit(self) -> u8 {
        match self {
            ShiftOp::Rol => 0,
            ShiftOp::Shl => 4,
            ShiftOp::Shr => 5,
            ShiftOp::Sar => 7,
        }
    }
}

/// Condition codes, in encoding order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Cond {
    O,
    No,
    B,
    Ae,
    E,
    Ne,
    Be,
    A,
    S,
    Ns,
    P,
    Np,
    L,
    Ge,
    Le,
    G,
}

impl Cond {
    pub const ALL: [Cond; 16] = [
        Cond::O,
        Cond::No,
        Cond::B,
        Cond::Ae,
        Cond::E,
        Cond::Ne,
        Cond::Be,
        Cond::A,
        Cond::S,
        Cond::Ns,
        Cond::P,
        Cond::Np,
        Cond::L,
        Cond::Ge,
        Cond::Le,
        Cond::G,
    ];
    const fn code(self) -> u8 {
        self as u8
    }
    /// The condition that holds exactly when this one does not.
    pub const fn negate(self) -> Cond {
        Cond::ALL[(self as usize) ^ 1]
    }
}

/// The atomic read-modify-write operations with a `lock` prefix.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum LockOp {
    Add,
    Or,
    And,
    Xor,
}

impl LockOp {
    pub const ALL: [LockOp; 4] = [LockOp::Add, LockOp::Or, LockOp::And, LockOp::Xor];
    const fn alu(self) -> AluOp {
        match self {
            LockOp::Add => AluOp::Add,
            LockOp::Or => AluOp::Or,
            LockOp::And => AluOp::And,
            LockOp::Xor => AluOp::Xor,
        }
    }
}

/// One instruction form. Sizes a form does not have (a byte `imul`, a 16-bit `bswap`) are
/// refused by [`encode`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Inst {
    /// `op dst, src` with a register source.
    Alu {
        op: AluOp,
        size: Size,
        dst: Rm,
        src: Reg,
    },
    /// `op dst, [mem]`.
    AluLoad {
        op: AluOp,
        size: Size,
        dst: Reg,
        src: Mem,
    },
    /// `op dst, imm` (the immediate sign-extended to the size; 8-bit when it fits).
    AluImm {
        op: AluOp,
        size: Size,
        dst: Rm,
        imm: i32,
    },
    /// `mov dst, src` (register to register or store).
    Mov {
        size: Size,
        dst: Rm,
        src: Reg,
    },
    /// `mov dst, [mem]`.
    Load {
        size: Size,
        dst: Reg,
        src: Mem,
    },
    /// `mov r32, imm32` (zero-extends into the 64-bit register).
    MovImm32 {
        dst: Reg,
        imm: u32,
    },
    /// `mov r64, imm64`.
    MovImm64 {
        dst: Reg,
        imm: u64,
    },
    /// `mov r/m, imm` with the immediate sign-extended to the size (store or register).
    MovImm {
        size: Size,
        dst: Rm,
        imm: i32,
    },
    /// `movzx dst32, r/m8` or `r/m16` (`from` is B or W).
    Movzx {
        from: Size,
        dst: Reg,
        src: Rm,
    },
    /// `movsx dst, r/m8`, `r/m16`, or `movsxd dst64, r/m32` (`size` is D or Q).
    Movsx {
        from: Size,
        size: Size,
        dst: Reg,
        src: Rm,
    },
    /// `lea dst64, [mem]`.
    Lea {
        dst: Reg,
        src: Mem,
    },
    /// `imul dst, src` (D or Q).
    Imul {
        size: Size,
        dst: Reg,
        src: Rm,
    },
    /// `imul dst, src, imm` (D or Q).
    ImulImm {
        size: Size,
        dst: Reg,
        src: Rm,
        imm: i32,
    },
    /// `div src` / `idiv src`: rdx:rax by src (D or Q).
    Div {
        size: Size,
        signed: bool,
        src: Rm,
    },
    /// `mul src`: rdx:rax = rax * src, unsigned (D or Q).
    Mul {
        size: Size,
        src: Rm,
    },
    /// `neg dst`.
    Neg {
        size: Size,
        dst: Rm,
    },
    /// `shl`/`shr`/`sar`/`rol dst, imm`.
    ShiftImm {
        op: ShiftOp,
        size: Size,
        dst: Rm,
        imm: u8,
    },
    /// BMI2 `shlx`/`shrx`/`sarx dst, src, count` (D or Q; not `rol`).
    ShiftX {
        op: ShiftOp,
        size: Size,
        dst: Reg,
        src: Rm,
        count: Reg,
    },
    /// `bswap reg` (D or Q).
    Bswap {
        size: Size,
        reg: Reg,
    },
    /// `test a, b`.
    Test {
        size: Size,
        a: Rm,
        b: Reg,
    },
    /// `test a, imm`.
    TestImm {
        size: Size,
        a: Rm,
        imm: i32,
    },
    /// `cdq` (D) / `cqo` (Q): sign-extends eax/rax into edx/rdx.
    SignExtendAx {
        size: Size,
    },
    /// `cmovcc dst, src` (D or Q).
    Cmov {
        cond: Cond,
        size: Size,
        dst: Reg,
        src: Rm,
    },
    /// `jcc rel32`, relative to the end of the instruction.
    Jcc {
        cond: Cond,
        rel: i32,
    },
    /// `jmp rel32`.
    Jmp {
        rel: i32,
    },
    /// `call rel32`.
    Call {
        rel: i32,
    },
    /// `call r/m64`.
    CallInd {
        target: Rm,
    },
    /// `jmp r/m64`.
    JmpInd {
        target: Rm,
    },
    Ret,
    Push {
        reg: Reg,
    },
    Pop {
        reg: Reg,
    },
    /// `lock op [mem], src` (D or Q).
    Lock {
        op: LockOp,
        size: Size,
        dst: Mem,
        src: Reg,
    },
    /// `lock xadd [mem], src` (D or Q).
    LockXadd {
        size: Size,
        dst: Mem,
        src: Reg,
    },
    /// `xchg [mem], src` (locked by the processor; D or Q).
    Xchg {
        size: Size,
        dst: Mem,
        src: Reg,
    },
    /// `lock cmpxchg [mem], src`: compares with eax/rax (D or Q).
    LockCmpxchg {
        size: Size,
        dst: Mem,
        src: Reg,
    },
    /// `ud2`.
    Ud2,
}

/// Why a form cannot be encoded.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
#[error("x86-64 has no encoding for {0:?}")]
pub struct EncodeError(pub Inst);

/// The pieces of one instruction besides its opcode.
struct Enc<'a> {
    buf: &'a mut Vec<u8>,
}

impl Enc<'_> {
    /// Emits `[66] [F0?] [REX] opcode ModRM [SIB] [disp]` for a `reg`-field value (a register
    /// number or an opcode digit) and an `r/m` operand.
    #[allow(clippy::too_many_arguments)]
    fn modrm(
        &mut self,
        size: Size,
        lock: bool,
        byte_regs: bool,
        opcode: &[u8],
        reg: u8,
        rm: Rm,
        w_from_size: bool,
    ) {
        if lock {
            self.buf.push(0xf0);
        }
        if size == Size::W {
            self.buf.push(0x66);
        }
        let w = w_from_size && size == Size::Q;
        let r = reg >= 8;
        let (x, b) = match rm {
            Rm::Reg(g) => (false, g.ext()),
            Rm::Mem(m) => (m.index.is_some_and(|(i, _)| i.ext()), m.base.ext()),
        };
        // spl, bpl, sil and dil need a REX prefix (without one they mean ah, ch, dh, bh).
        let needs_byte_rex = byte_regs
            && ((4..8).contains(&reg) || matches!(rm, Rm::Reg(g) if (4..8).contains(&g.num())));
        if w || r || x || b || needs_byte_rex {
            self.buf
                .push(0x40 | (w as u8) << 3 | (r as u8) << 2 | (x as u8) << 1 | b as u8);
        }
        self.buf.extend_from_slice(opcode);
        let reg3 = (reg & 7) << 3;
        match rm {
            Rm::Reg(g) => self.buf.push(0xc0 | reg3 | g.low()),
            Rm::Mem(m) => {
                let (md, disp_len) = if m.disp == 0 && m.base.low() != 5 {
                    (0u8, 0)
                } else if i8::try_from(m.disp).is_ok() {
                    (1, 1)
                } else {
                    (2, 4)
                };
                match m.index {
                    None if m.base.low() != 4 => self.buf.push(md << 6 | reg3 | m.base.low()),
                    None => {
                        self.buf.push(md << 6 | reg3 | 4);
                        self.buf.push(4 << 3 | m.base.low());
                    }
                    Some((i, s)) => {
                        self.buf.push(md << 6 | reg3 | 4);
                        self.buf.push(s.bits() << 6 | i.low() << 3 | m.base.low());
                    }
                }
                match disp_len {
                    1 => self.buf.push(m.disp as i8 as u8),
                    4 => self.buf.extend_from_slice(&m.disp.to_le_bytes()),
                    _ => {}
                }
            }
        }
    }

    fn imm(&mut self, size: Size, imm: i32) {
        match size {
            Size::B => self.buf.push(imm as u8),
            Size::W => self.buf.extend_from_slice(&(imm as u16).to_le_bytes()),
            _ => self.buf.extend_from_slice(&imm.to_le_bytes()),
        }
    }

    /// A VEX-encoded BMI2 shift: `VEX.LZ.pp.0F38.W F7 /r` with the count in `vvvv`.
    fn vex_shift(&mut self, pp: u8, size: Size, dst: Reg, src: Rm, count: Reg) {
        let (x, b) = match src {
            Rm::Reg(g) => (false, g.ext()),
            Rm::Mem(m) => (m.index.is_some_and(|(i, _)| i.ext()), m.base.ext()),
        };
        self.buf.push(0xc4);
        // R, X, B inverted; map 0F38 = 2.
        self.buf
            .push((!dst.ext() as u8) << 7 | (!x as u8) << 6 | (!b as u8) << 5 | 0x02);
        let w = (size == Size::Q) as u8;
        self.buf.push(w << 7 | ((!count.num()) & 0xf) << 3 | pp);
        // The opcode and operands, without prefixes or REX.
        let mut rest = Vec::new();
        Enc { buf: &mut rest }.modrm(Size::D, false, false, &[0xf7], dst.num(), src, false);
        // `modrm` emitted no REX (size D, and the extension bits are in the VEX prefix) but
        // may have: strip it.
        let start = if rest[0] & 0xf0 == 0x40 { 1 } else { 0 };
        self.buf.extend_from_slice(&rest[start..]);
    }
}

fn rm_size_ok(size: Size) -> bool {
    matches!(size, Size::D | Size::Q)
}

/// Appends the machine code of `inst` to `buf`.
pub fn encode(inst: &Inst, buf: &mut Vec<u8>) -> Result<(), EncodeError> {
    let err = Err(EncodeError(*inst));
    let start = buf.len();
    let mut e = Enc { buf };
    let byte = |s: Size| s == Size::B;
    match *inst {
        Inst::Alu { op, size, dst, src } => {
            let opc = op.digit() * 8 + if byte(size) { 0 } else { 1 };
            e.modrm(size, false, byte(size), &[opc], src.num(), dst, true);
        }
        Inst::AluLoad { op, size, dst, src } => {
            let opc = op.digit() * 8 + if byte(size) { 2 } else { 3 };
            e.modrm(
                size,
                false,
                byte(size),
                &[opc],
                dst.num(),
                Rm::Mem(src),
                true,
            );
        }
        Inst::AluImm { op, size, dst, imm } => {
            if byte(size) {
                e.modrm(size, false, true, &[0x80], op.digit(), dst, true);
                e.imm(Size::B, imm);
            } else if i8::try_from(imm).is_ok() {
                e.modrm(size, false, false, &[0x83], op.digit(), dst, true);
                e.imm(Size::B, imm);
            } else {
                if size == Size::W && i16::try_from(imm).is_err() {
                    return err;
                }
                e.modrm(size, false, false, &[0x81], op.digit(), dst, true);
                e.imm(size, imm);
            }
        }
        Inst::Mov { size, dst, src } => {
            let opc = if byte(size) { 0x88 } else { 0x89 };
            e.modrm(size, false, byte(size), &[opc], src.num(), dst, true);
        }
        Inst::Load { size, dst, src } => {
            let opc = if byte(size) { 0x8a } else { 0x8b };
            e.modrm(
                size,
                false,
                byte(size),
                &[opc],
                dst.num(),
                Rm::Mem(src),
                true,
            );
        }
        Inst::MovImm32 { dst, imm } => {
            if dst.ext() {
                e.buf.push(0x41);
            }
            e.buf.push(0xb8 + dst.low());
            e.buf.extend_from_slice(&imm.to_le_bytes());
        }
        Inst::MovImm64 { dst, imm } => {
            e.buf.push(0x48 | dst.ext() as u8);
            e.buf.push(0xb8 + dst.low());
            e.buf.extend_from_slice(&imm.to_le_bytes());
        }
        Inst::MovImm { size, dst, imm } => {
            if size == Size::W && i16::try_from(imm).is_err() {
                return err;
            }
            if byte(size) && i8::try_from(imm).is_err() && u8::try_from(imm).is_err() {
                return err;
            }
            let opc = if byte(size) { 0xc6 } else { 0xc7 };
            e.modrm(size, false, byte(size), &[opc], 0, dst, true);
            e.imm(size, imm);
        }
        Inst::Movzx { from, dst, src } => {
            let opc = match from {
                Size::B => 0xb6,
                Size::W => 0xb7,
                _ => return err,
            };
            e.modrm(
                Size::D,
                false,
                from == Size::B,
                &[0x0f, opc],
                dst.num(),
                src,
                true,
            );
        }
        Inst::Movsx {
            from,
            size,
            dst,
            src,
        } => {
            if !rm_size_ok(size) {
                return err;
            }
            match from {
                Size::B => e.modrm(size, false, true, &[0x0f, 0xbe], dst.num(), src, true),
                Size::W => e.modrm(size, false, false, &[0x0f, 0xbf], dst.num(), src, true),
                Size::D if size == Size::Q => {
                    e.modrm(size, false, false, &[0x63], dst.num(), src, true)
                }
                _ => return err,
            }
        }
        Inst::Lea { dst, src } => e.modrm(
            Size::Q,
            false,
            false,
            &[0x8d],
            dst.num(),
            Rm::Mem(src),
            true,
        ),
        Inst::Imul { size, dst, src } => {
            if !rm_size_ok(size) {
                return err;
            }
            e.modrm(size, false, false, &[0x0f, 0xaf], dst.num(), src, true);
        }
        Inst::ImulImm {
            size,
            dst,
            src,
            imm,
        } => {
            if !rm_size_ok(size) {
                return err;
            }
            if i8::try_from(imm).is_ok() {
                e.modrm(size, false, false, &[0x6b], dst.num(), src, true);
                e.imm(Size::B, imm);
            } else {
                e.modrm(size, false, false, &[0x69], dst.num(), src, true);
                e.imm(Size::D, imm);
            }
        }
        Inst::Div { size, signed, src } => {
            if !rm_size_ok(size) {
                return err;
            }
            e.modrm(
                size,
                false,
                false,
                &[0xf7],
                if signed { 7 } else { 6 },
                src,
                true,
            );
        }
        Inst::Mul { size, src } => {
            if !rm_size_ok(size) {
                return err;
            }
            e.modrm(size, false, false, &[0xf7], 4, src, true);
        }
        Inst::Neg { size, dst } => {
            let opc = if byte(size) { 0xf6 } else { 0xf7 };
            e.modrm(size, false, byte(size), &[opc], 3, dst, true);
        }
        Inst::ShiftImm { op, size, dst, imm } => {
            let opc = if byte(size) { 0xc0 } else { 0xc1 };
            e.modrm(size, false, byte(size), &[opc], op.digit(), dst, true);
            e.imm(Size::B, imm as i32);
        }
        Inst::ShiftX {
            op,
            size,
            dst,
            src,
            count,
        } => {
            if !rm_size_ok(size) {
                return err;
            }
            let pp = match op {
                ShiftOp::Shl => 1,
                ShiftOp::Sar => 2,
                ShiftOp::Shr => 3,
                ShiftOp::Rol => return err,
            };
            e.vex_shift(pp, size, dst, src, count);
        }
        Inst::Bswap { size, reg } => {
            if !rm_size_ok(size) {
                return err;
            }
            let w = size == Size::Q;
            if w || reg.ext() {
                e.buf.push(0x40 | (w as u8) << 3 | reg.ext() as u8);
            }
            e.buf.extend_from_slice(&[0x0f, 0xc8 + reg.low()]);
        }
        Inst::Test { size, a, b } => {
            let opc = if byte(size) { 0x84 } else { 0x85 };
            e.modrm(size, false, byte(size), &[opc], b.num(), a, true);
        }
        Inst::TestImm { size, a, imm } => {
            if size == Size::W && i16::try_from(imm).is_err() && u16::try_from(imm).is_err() {
                return err;
            }
            let opc = if byte(size) { 0xf6 } else { 0xf7 };
            e.modrm(size, false, byte(size), &[opc], 0, a, true);
            e.imm(size, imm);
        }
        Inst::SignExtendAx { size } => match size {
            Size::D => e.buf.push(0x99),
            Size::Q => e.buf.extend_from_slice(&[0x48, 0x99]),
            _ => return err,
        },
        Inst::Cmov {
            cond,
            size,
            dst,
            src,
        } => {
            if !rm_size_ok(size) {
                return err;
            }
            e.modrm(
                size,
                false,
                false,
                &[0x0f, 0x40 + cond.code()],
                dst.num(),
                src,
                true,
            );
        }
        Inst::Jcc { cond, rel } => {
            e.buf.extend_from_slice(&[0x0f, 0x80 + cond.code()]);
            e.buf.extend_from_slice(&rel.to_le_bytes());
        }
        Inst::Jmp { rel } => {
            e.buf.push(0xe9);
            e.buf.extend_from_slice(&rel.to_le_bytes());
        }
        Inst::Call { rel } => {
            e.buf.push(0xe8);
            e.buf.extend_from_slice(&rel.to_le_bytes());
        }
        Inst::CallInd { target } => e.modrm(Size::D, false, false, &[0xff], 2, target, true),
        Inst::JmpInd { target } => e.modrm(Size::D, false, false, &[0xff], 4, target, true),
        Inst::Ret => e.buf.push(0xc3),
        Inst::Push { reg } => {
            if reg.ext() {
                e.buf.push(0x41);
            }
            e.buf.push(0x50 + reg.low());
        }
        Inst::Pop { reg } => {
            if reg.ext() {
                e.buf.push(0x41);
            }
            e.buf.push(0x58 + reg.low());
        }
        Inst::Lock { op, size, dst, src } => {
            if !rm_size_ok(size) {
                return err;
            }
            let opc = op.alu().digit() * 8 + 1;
            e.modrm(size, true, false, &[opc], src.num(), Rm::Mem(dst), true);
        }
        Inst::LockXadd { size, dst, src } => {
            if !rm_size_ok(size) {
                return err;
            }
            e.modrm(
                size,
                true,
                false,
                &[0x0f, 0xc1],
                src.num(),
                Rm::Mem(dst),
                true,
            );
        }
        Inst::Xchg { size, dst, src } => {
            if !rm_size_ok(size) {
                return err;
            }
            e.modrm(size, false, false, &[0x87], src.num(), Rm::Mem(dst), true);
        }
        Inst::LockCmpxchg { size, dst, src } => {
            if !rm_size_ok(size) {
                return err;
            }
            e.modrm(
                size,
                true,
                false,
                &[0x0f, 0xb1],
                src.num(),
                Rm::Mem(dst),
                true,
            );
        }
        Inst::Ud2 => e.buf.extend_from_slice(&[0x0f, 0x0b]),
    }
    debug_assert!(buf.len() > start);
    Ok(())
}

/// The shortest instruction that sets a 64-bit register to `v`.
pub fn mov_const(dst: Reg, v: u64) -> Inst {
    if let Ok(k) = u32::try_from(v) {
        Inst::MovImm32 { dst, imm: k }
    } else if let Ok(k) = i32::try_from(v as i64) {
        Inst::MovImm {
            size: Size::Q,
            dst: Rm::Reg(dst),
            imm: k,
        }
    } else {
        Inst::MovImm64 { dst, imm: v }
    }
}
