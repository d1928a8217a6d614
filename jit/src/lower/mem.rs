//! Memory accesses: address translation in both modes, context loads, atomics.

use super::*;

impl Lower<'_> {
    /// A load the verifier proved to read the context (whose pointer it dereferences only
    /// unmoved, so the address is the context's start plus `off`), in trusted mode: per run,
    /// the runtime says whether a context field answers it (`ctx_kind` 1, the value in
    /// `ctx_value`), the bytes do (0), or the interpreter must (2: the run's r1 is not a
    /// context that holds the bytes). `false` when the load is not such a one.
    pub(super) fn ctx_load(&mut self, pc: usize, d: Reg, off: i16, n: usize) -> bool {
        if self.mode != Mode::Trusted || !self.ctx.contains(&pc) || off < 0 || self.ahead.is_some()
        {
            return false;
        }
        let k = self.ctx_loads.len();
        if k >= runtime::CTX_LOADS {
            return false;
        }
        self.ctx_loads.push((off as u32, n as u32));
        let special = self.a.label();
        let resume = self.a.label();
        let slow = self.a.label();
        self.e(Inst::Movzx {
            from: Size::B,
            dst: S2,
            src: Rm::Mem(ctx(Offsets::CTX_KIND + k as i32)),
        });
        self.e(Inst::Test {
            size: Size::D,
            a: Rm::Reg(S2),
            b: S2,
        });
        self.a.jcc(Cond::Ne, special);
        self.e(Inst::Load {
            size: Size::Q,
            dst: S2,
            src: ctx(Offsets::BASE + 8 * (semantics::interp::CTX_REGION as i32 + 1)),
        });
        let m = Mem::base(S2, off as i32);
        self.e(match n {
            1 => Inst::Movzx {
                from: Size::B,
                dst: d,
                src: Rm::Mem(m),
            },
            2 => Inst::Movzx {
                from: Size::W,
                dst: d,
                src: Rm::Mem(m),
            },
            4 => Inst::Load {
                size: Size::D,
                dst: d,
                src: m,
            },
            _ => Inst::Load {
                size: Size::Q,
                dst: d,
                src: m,
            },
        });
        self.a.bind(resume);
        self.cold.push(Cold::CtxField {
            label: special,
            slow,
            resume,
            dst: d,
            k,
            pc,
        });
        true
    }

    /// Whether an access compiles to a direct one, without a slow path: the frame at a
    /// constant offset from r10, or (trusted) the packet or the input buffer through r10.
    pub(super) fn direct_access(&self, pc: usize, bpf_base: u8, off: i16, n: usize) -> bool {
        if self.mode == Mode::Trusted && self.ctx.contains(&pc) {
            return false;
        }
        let off32 = off as i32;
        if bpf_base == 10 && self.r10_fixed && off32 >= -512 && off32 + n as i32 <= 0 {
            return true;
        }
        let via_input = self
            .input
            .is_some_and(|d| d.get(pc).is_some_and(|m| m & (1 << bpf_base) != 0));
        (self.pkt_reg && self.packet.contains(&pc)) || via_input
    }

    /// Emits the address translation of `base + off` for an `n`-byte access, `body` with the
    /// host memory operand, and the slow path. With `single`, the operand uses r11 alone
    /// (the body may use r10 and rax).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn access(
        &mut self,
        pc: usize,
        bpf_base: u8,
        off: i16,
        n: usize,
        write: bool,
        single: bool,
        body: impl FnOnce(&mut Self, Mem),
    ) {
        // Context accesses that `ctx_load` does not answer (stores, sign-extending loads,
        // offsets below the start, loads past its table) go to the interpreter: trusted code
        // does not know how long the run's context is.
        if self.mode == Mode::Trusted && self.ctx.contains(&pc) {
            self.step_inline(pc);
            return;
        }
        // In an unrolled loop's copy, the counter may be ahead of its register.
        let off32 = off as i32
            + match self.ahead {
                Some((r, k)) if r == bpf_base => k,
                _ => 0,
            };
        let base = MAP[bpf_base as usize % 11];
        let base_is_r10 = bpf_base == 10;
        // The current frame's stack, at a constant offset: always in bounds and writable.
        if base_is_r10 && self.r10_fixed && off32 >= -512 && off32 + n as i32 <= 0 {
            self.e(Inst::Load {
                size: Size::Q,
                dst: S2,
                src: ctx(Offsets::FRAME),
            });
            body(self, Mem::base(S2, off32));
            return;
        }
        let via_input = self
            .input
            .is_some_and(|d| d.get(pc).is_some_and(|m| m & (1 << bpf_base) != 0));
        if (self.pkt_reg && self.packet.contains(&pc)) || via_input {
            // r10 holds the offset of the packet (the verifier proved the access within the
            // packet: a verified program checks it against data_end; the packet region is
            // always writable and never has context fields), or of the input buffer (a plain
            // region: this variant runs only then), so nothing is checked.
            let m = Mem::indexed(S1, base, Scale::S1, off32).expect("not rsp");
            if single {
                self.e(Inst::Lea { dst: S2, src: m });
                body(self, Mem::base(S2, 0));
            } else {
                body(self, m);
            }
            return;
        }
        let slow = self.a.label();
        let resume = self.a.label();
        match self.mode {
            Mode::Checked => {
                self.e(Inst::Lea {
                    dst: S2,
                    src: Mem::base(base, off32),
                });
                self.mov(Size::Q, S1, S2);
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shr,
                    size: Size::Q,
                    dst: Rm::Reg(S1),
                    imm: 32,
                });
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: Rm::Reg(S1),
                    imm: CAP as i32,
                });
                self.a.jcc(Cond::Ae, slow);
                self.mov(Size::D, S2, S2);
                self.e(Inst::AluImm {
                    op: X::Add,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    imm: n as i32,
                });
                let lens = if write {
                    Offsets::LEN_WRITE
                } else {
                    Offsets::LEN_READ
                };
                self.e(Inst::AluLoad {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: S2,
                    src: ctx_idx(lens, S1),
                });
                self.a.jcc(Cond::A, slow);
                self.e(Inst::AluLoad {
                    op: X::Add,
                    size: Size::Q,
                    dst: S2,
                    src: ctx_idx(Offsets::BASE, S1),
                });
                body(self, Mem::base(S2, -(n as i32)));
            }
            Mode::Trusted => {
                self.mov(Size::Q, S2, base);
                self.e(Inst::ShiftImm {
                    op: ShiftOp::Shr,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    imm: 32,
                });
                self.e(Inst::AluImm {
                    op: X::Cmp,
                    size: Size::Q,
                    dst: Rm::Reg(S2),
                    imm: CAP as i32,
                });
                self.a.jcc(Cond::Ae, slow);
                let deltas = if write {
                    Offsets::DELTA_STORE
                } else {
                    Offsets::DELTA_LOAD
                };
                self.e(Inst::Load {
                    size: Size::Q,
                    dst: S2,
                    src: ctx_idx(deltas, S2),
                });
                self.e(Inst::Test {
                    size: Size::Q,
                    a: Rm::Reg(S2),
                    b: S2,
                });
                self.a.jcc(Cond::E, slow);
                if single {
                    self.e(Inst::Lea {
                        dst: S2,
                        src: Mem::indexed(S2, base, Scale::S1, off32).expect("not rsp"),
                    });
                    body(self, Mem::base(S2, 0));
                } else {
                    body(
                        self,
                        Mem::indexed(S2, base, Scale::S1, off32).expect("not rsp"),
                    );
                }
            }
        }
        self.a.bind(resume);
        self.cold.push(Cold::Step {
            label: slow,
            pc,
            resume,
        });
    }

    pub(super) fn atomic(&mut self, sz: Size, op: Atomic, m: Mem, s: Reg) {
        match op {
            Atomic::Rmw { op, fetch: false } => {
                let op = match op {
                    AtomicOp::Add => LockOp::Add,
                    AtomicOp::Or => LockOp::Or,
                    AtomicOp::And => LockOp::And,
                    AtomicOp::Xor => LockOp::Xor,
                };
                self.e(Inst::Lock {
                    op,
                    size: sz,
                    dst: m,
                    src: s,
                });
            }
            Atomic::Rmw {
                op: AtomicOp::Add,
                fetch: true,
            } => self.e(Inst::LockXadd {
                size: sz,
                dst: m,
                src: s,
            }),
            Atomic::Rmw { op, fetch: true } => {
                // A compare-and-exchange loop: rax holds the old value, r9 the new one.
                let alu = match op {
                    AtomicOp::Or => X::Or,
                    AtomicOp::And => X::And,
                    _ => X::Xor,
                };
                self.e(Inst::Push { reg: BUDGET });
                if self.r10_reserved {
                    self.e(Inst::Push { reg: S1 });
                }
                self.mov(Size::Q, S1, Rax);
                // The operand: r0's value is in r10 from here on.
                let operand = if s == Rax { S1 } else { s };
                self.e(Inst::Load {
                    size: sz,
                    dst: Rax,
                    src: m,
                });
                let retry = self.a.label();
                self.a.bind(retry);
                self.mov(Size::Q, BUDGET, Rax);
                self.e(Inst::Alu {
                    op: alu,
                    size: sz,
                    dst: Rm::Reg(BUDGET),
                    src: operand,
                });
                self.e(Inst::LockCmpxchg {
                    size: sz,
                    dst: m,
                    src: BUDGET,
                });
                self.a.jcc(Cond::Ne, retry);
                // src = old (zero-extended at 32 bits); r0 back unless it is src.
                if s == Rax {
                    if sz == Size::D {
                        self.mov(Size::D, Rax, Rax);
                    }
                } else {
                    self.mov(sz, s, Rax);
                    self.mov(Size::Q, Rax, S1);
                }
                if self.r10_reserved {
                    self.e(Inst::Pop { reg: S1 });
                }
                self.e(Inst::Pop { reg: BUDGET });
            }
            Atomic::Xchg => self.e(Inst::Xchg {
                size: sz,
                dst: m,
                src: s,
            }),
            Atomic::Cmpxchg => {
                self.e(Inst::LockCmpxchg {
                    size: sz,
                    dst: m,
                    src: s,
                });
                if sz == Size::D {
                    // r0 = old, zero-extended (on success the instruction leaves rax as is).
                    self.mov(Size::D, Rax, Rax);
                }
            }
        }
    }
}
