//! ALU instructions, comparisons, byte swaps, multiplication and division.

use super::*;

impl Lower<'_> {
    /// Emits the comparison of a conditional jump and returns the condition that takes it.
    pub(super) fn compare(&mut self, width: Width, cond: JmpCond, d: Reg, src: Source) -> Cond {
        let sz = wsize(width);
        if cond == JmpCond::Set {
            match src {
                Source::Reg(r) => self.e(Inst::Test {
                    size: sz,
                    a: Rm::Reg(d),
                    b: x(r),
                }),
                Source::Imm(k) => self.e(Inst::TestImm {
                    size: sz,
                    a: Rm::Reg(d),
                    imm: k,
                }),
            }
            return Cond::Ne;
        }
        match src {
            Source::Reg(r) => self.e(Inst::Alu {
                op: X::Cmp,
                size: sz,
                dst: Rm::Reg(d),
                src: x(r),
            }),
            Source::Imm(k) => self.e(Inst::AluImm {
                op: X::Cmp,
                size: sz,
                dst: Rm::Reg(d),
                imm: k,
            }),
        }
        match cond {
            JmpCond::Eq => Cond::E,
            JmpCond::Ne => Cond::Ne,
            JmpCond::Gt => Cond::A,
            JmpCond::Ge => Cond::Ae,
            JmpCond::Lt => Cond::B,
            JmpCond::Le => Cond::Be,
            JmpCond::Sgt => Cond::G,
            JmpCond::Sge => Cond::Ge,
            JmpCond::Slt => Cond::L,
            JmpCond::Sle => Cond::Le,
            JmpCond::Set => Cond::Ne,
        }
    }

    pub(super) fn end(&mut self, kind: EndKind, bits: u8, d: Reg) {
        match (kind, bits) {
            (EndKind::Le, 16) => self.e(Inst::Movzx {
                from: Size::W,
                dst: d,
                src: Rm::Reg(d),
            }),
            (EndKind::Le, 32) => self.mov(Size::D, d, d),
            (EndKind::Le, _) => {}
            (_, 16) => {
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Rol,
                    size: Size::W,
                    dst: Rm::Reg(d),
                    imm: 8,
                });
                self.e(Inst::Movzx {
                    from: Size::W,
                    dst: d,
                    src: Rm::Reg(d),
                });
            }
            (_, 32) => self.e(Inst::Bswap {
                size: Size::D,
                reg: d,
            }),
            _ => self.e(Inst::Bswap {
                size: Size::Q,
                reg: d,
            }),
        }
    }

    pub(super) fn alu(&mut self, width: Width, op: AluOp, d: Reg, src: Source) {
        let sz = wsize(width);
        // The immediate as the interpreter reads it: sign-extended at 64 bits, as is at 32.
        let kval = |k: i32| {
            if width == Width::W64 {
                k as i64 as u64
            } else {
                k as u32 as u64
            }
        };
        let simple = |op: AluOp| match op {
            AluOp::Add => Some(X::Add),
            AluOp::Sub => Some(X::Sub),
            AluOp::And => Some(X::And),
            AluOp::Or => Some(X::Or),
            AluOp::Xor => Some(X::Xor),
            _ => None,
        };
        let shift = |op: AluOp| match op {
            AluOp::Lsh => Some(ShiftOp::Shl),
            AluOp::Rsh => Some(ShiftOp::Shr),
            AluOp::Arsh => Some(ShiftOp::Sar),
            _ => None,
        };
        match (op, src) {
            (AluOp::Mov, Source::Reg(r)) => self.mov(sz, d, x(r)),
            (AluOp::Mov, Source::Imm(k)) => self.e(mov_const(d, kval(k))),
            (AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32, Source::Reg(r)) => {
                let from = match op {
                    AluOp::MovSx8 => Size::B,
                    AluOp::MovSx16 => Size::W,
                    _ => Size::D,
                };
                if from == Size::D && sz == Size::D {
                    self.mov(Size::D, d, x(r));
                } else {
                    self.e(Inst::Movsx {
                        from,
                        size: sz,
                        dst: d,
                        src: Rm::Reg(x(r)),
                    });
                }
            }
            (AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32, Source::Imm(_)) => {
                // Not a valid instruction (the decoder refuses it).
                self.e(Inst::Ud2);
            }
            (AluOp::Mul, Source::Reg(r)) => self.e(Inst::Imul {
                size: sz,
                dst: d,
                src: Rm::Reg(x(r)),
            }),
            (AluOp::Mul, Source::Imm(k)) => self.mul_const(sz, d, k),
            (AluOp::Div | AluOp::Mod | AluOp::Sdiv | AluOp::Smod, _) => {
                let signed = matches!(op, AluOp::Sdiv | AluOp::Smod);
                let rem = matches!(op, AluOp::Mod | AluOp::Smod);
                let dv = match src {
                    Source::Reg(r) => Divisor::Reg(x(r)),
                    Source::Imm(k) => Divisor::Const(kval(k)),
                };
                self.divmod(sz, signed, rem, d, dv);
            }
            (op, Source::Reg(r)) if simple(op).is_some() => self.e(Inst::Alu {
                op: simple(op).unwrap_or(X::Add),
                size: sz,
                dst: Rm::Reg(d),
                src: x(r),
            }),
            (op, Source::Imm(k)) if simple(op).is_some() => self.e(Inst::AluImm {
                op: simple(op).unwrap_or(X::Add),
                size: sz,
                dst: Rm::Reg(d),
                imm: k,
            }),
            (op, Source::Reg(r)) => {
                let sop = shift(op).unwrap_or(ShiftOp::Shl);
                self.e(Inst::ShiftX {
                    op: sop,
                    size: sz,
                    dst: d,
                    src: Rm::Reg(d),
                    count: x(r),
                });
            }
            (op, Source::Imm(k)) => {
                let sop = shift(op).unwrap_or(ShiftOp::Shl);
                let bits = if sz == Size::Q { 63 } else { 31 };
                self.e(Inst::ShiftImm {
                    op: sop,
                    size: sz,
                    dst: Rm::Reg(d),
                    imm: (k as u32 & bits) as u8,
                });
            }
        }
    }

    /// `d *= k` (the immediate sign-extended at 64 bits): a shift for a power of two, `lea`
    /// for 3, 5 and 9 at 64 bits (shorter latency than `imul`), `imul` otherwise.
    pub(super) fn mul_const(&mut self, sz: Size, d: Reg, k: i32) {
        if k > 0 && (k as u32).is_power_of_two() {
            let n = k.trailing_zeros() as u8;
            if n > 0 {
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shl,
                    size: sz,
                    dst: Rm::Reg(d),
                    imm: n,
                });
            } else if sz == Size::D {
                // `* 1` at 32 bits still zero-extends.
                self.mov(Size::D, d, d);
            }
            return;
        }
        let scale = match k {
            3 => Some(Scale::S2),
            5 => Some(Scale::S4),
            9 => Some(Scale::S8),
            _ => None,
        };
        if let (Some(scale), Size::Q) = (scale, sz) {
            if let Some(m) = Mem::indexed(d, d, scale, 0) {
                self.e(Inst::Lea { dst: d, src: m });
                return;
            }
        }
        self.e(Inst::ImulImm {
            size: sz,
            dst: d,
            src: Rm::Reg(d),
            imm: k,
        });
    }

    /// Division and remainder with the ISA's rules: by zero, the quotient is 0 and the
    /// remainder the dividend; signed `MIN / -1` is `MIN` and `MIN % -1` is 0 (no #DE).
    pub(super) fn divmod(&mut self, sz: Size, signed: bool, rem: bool, d: Reg, dv: Divisor) {
        let minus_one = |v: u64| {
            if sz == Size::Q {
                v == u64::MAX
            } else {
                v as u32 == u32::MAX
            }
        };
        match dv {
            Divisor::Const(v) if (sz == Size::Q && v == 0) || (sz == Size::D && v as u32 == 0) => {
                self.by_zero(sz, rem, d);
            }
            Divisor::Const(v) if signed && minus_one(v) => self.by_minus_one(sz, rem, d),
            Divisor::Const(v) if !signed && self.div_by_constant(sz, rem, d, v) => {}
            Divisor::Const(v) => {
                self.e(Inst::Push { reg: BUDGET });
                self.e(mov_const(BUDGET, v));
                self.div_core(sz, signed, rem, d, BUDGET, false);
                self.e(Inst::Pop { reg: BUDGET });
            }
            Divisor::Reg(r) => self.div_core(sz, signed, rem, d, r, true),
        }
    }

    /// Unsigned division or remainder by a non-zero constant without `div`: a shift or mask
    /// for a power of two, else the interpreter's multiply-high method
    /// (`semantics::interp::divide`). `false` when the constant needs `div`.
    pub(super) fn div_by_constant(&mut self, sz: Size, rem: bool, d: Reg, v: u64) -> bool {
        use semantics::interp::divide::{Divisor as Dv, Plan};
        let v = if sz == Size::D { v as u32 as u64 } else { v };
        match Dv::new(v).plan() {
            Plan::Pow2 { shift } => {
                if !rem {
                    self.e(Inst::ShiftImm {
                        op: ShiftOp::Shr,
                        size: sz,
                        dst: Rm::Reg(d),
                        imm: shift,
                    });
                } else if shift <= 31 {
                    self.e(Inst::AluImm {
                        op: X::And,
                        size: sz,
                        dst: Rm::Reg(d),
                        imm: (v - 1) as i32,
                    });
                } else {
                    return false;
                }
                true
            }
            Plan::General { m, shift } => {
                // r9 holds the dividend; rax and rdx are saved in r10 and r11.
                self.e(Inst::Push { reg: BUDGET });
                if self.r10_reserved {
                    self.e(Inst::Push { reg: S1 });
                }
                self.mov(Size::Q, S1, Rax);
                self.mov(Size::Q, S2, Rdx);
                self.mov(sz, BUDGET, d);
                self.e(mov_const(Rax, m));
                self.e(Inst::Mul {
                    size: Size::Q,
                    src: Rm::Reg(BUDGET),
                });
                self.mov(Size::Q, Rax, BUDGET);
                self.e(Inst::Alu {
                    op: X::Sub,
                    size: Size::Q,
                    dst: Rm::Reg(Rax),
                    src: Rdx,
                });
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shr,
                    size: Size::Q,
                    dst: Rm::Reg(Rax),
                    imm: 1,
                });
                self.e(Inst::Alu {
                    op: X::Add,
                    size: Size::Q,
                    dst: Rm::Reg(Rax),
                    src: Rdx,
                });
                if shift > 0 {
                    self.e(Inst::ShiftImm {
                        op: ShiftOp::Shr,
                        size: Size::Q,
                        dst: Rm::Reg(Rax),
                        imm: shift,
                    });
                }
                if rem {
                    self.e(mov_const(Rdx, v));
                    self.e(Inst::Imul {
                        size: Size::Q,
                        dst: Rax,
                        src: Rm::Reg(Rdx),
                    });
                    self.e(Inst::Alu {
                        op: X::Sub,
                        size: Size::Q,
                        dst: Rm::Reg(BUDGET),
                        src: Rax,
                    });
                } else {
                    self.mov(Size::Q, BUDGET, Rax);
                }
                self.mov(Size::Q, Rax, S1);
                self.mov(Size::Q, Rdx, S2);
                self.mov(sz, d, BUDGET);
                if self.r10_reserved {
                    self.e(Inst::Pop { reg: S1 });
                }
                self.e(Inst::Pop { reg: BUDGET });
                true
            }
            Plan::Zero | Plan::Large => false,
        }
    }

    pub(super) fn by_zero(&mut self, sz: Size, rem: bool, d: Reg) {
        if !rem {
            self.e(Inst::Alu {
                op: X::Xor,
                size: Size::D,
                dst: Rm::Reg(d),
                src: d,
            });
        } else if sz == Size::D {
            self.mov(Size::D, d, d);
        }
    }

    pub(super) fn by_minus_one(&mut self, sz: Size, rem: bool, d: Reg) {
        if rem {
            self.e(Inst::Alu {
                op: X::Xor,
                size: Size::D,
                dst: Rm::Reg(d),
                src: d,
            });
        } else {
            self.e(Inst::Neg {
                size: sz,
                dst: Rm::Reg(d),
            });
        }
    }

    pub(super) fn div_core(
        &mut self,
        sz: Size,
        signed: bool,
        rem: bool,
        d: Reg,
        r: Reg,
        checks: bool,
    ) {
        if self.r10_reserved {
            self.e(Inst::Push { reg: S1 });
        }
        self.div_body(sz, signed, rem, d, r, checks);
        if self.r10_reserved {
            self.e(Inst::Pop { reg: S1 });
        }
    }

    pub(super) fn div_body(
        &mut self,
        sz: Size,
        signed: bool,
        rem: bool,
        d: Reg,
        r: Reg,
        checks: bool,
    ) {
        self.mov(Size::Q, S1, Rax);
        self.mov(Size::Q, S2, Rdx);
        let dv = match r {
            Rax => S1,
            Rdx => S2,
            other => other,
        };
        let zero = self.a.label();
        let m1 = self.a.label();
        let done = self.a.label();
        if checks {
            self.e(Inst::Test {
                size: sz,
                a: Rm::Reg(dv),
                b: dv,
            });
            self.a.jcc(Cond::E, zero);
            if signed {
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: sz,
                    dst: Rm::Reg(dv),
                    imm: -1,
                });
                self.a.jcc(Cond::E, m1);
            }
        }
        if d != Rax {
            self.mov(Size::Q, Rax, d);
        }
        if signed {
            self.e(Inst::SignExtendAx { size: sz });
        } else {
            self.e(Inst::Alu {
                op: X::Xor,
                size: Size::D,
                dst: Rm::Reg(Rdx),
                src: Rdx,
            });
        }
        self.e(Inst::Div {
            size: sz,
            signed,
            src: Rm::Reg(dv),
        });
        match d {
            Rax => {
                if rem {
                    self.mov(sz, Rax, Rdx);
                }
                self.mov(Size::Q, Rdx, S2);
            }
            Rdx => {
                if !rem {
                    self.mov(sz, Rdx, Rax);
                }
                self.mov(Size::Q, Rax, S1);
            }
            _ => {
                self.mov(sz, d, if rem { Rdx } else { Rax });
                self.mov(Size::Q, Rax, S1);
                self.mov(Size::Q, Rdx, S2);
            }
        }
        if checks {
            self.a.jmp(done);
            // rax and rdx are untouched on these paths.
            self.a.bind(zero);
            self.by_zero(sz, rem, d);
            if signed {
                self.a.jmp(done);
                self.a.bind(m1);
                self.by_minus_one(sz, rem, d);
            }
        }
        self.a.bind(done);
        if !(checks && signed) {
            // m1 is unused.
            self.a.bind(m1);
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum Divisor {
    Reg(Reg),
    Const(u64),
}
