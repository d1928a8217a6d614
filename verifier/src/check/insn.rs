//! The checks and the abstract effect of each instruction.

use super::{Next, Reject, Verifier, R};
use crate::ctx::{ctx_access, CtxLoad};
use crate::domain::Scalar;
use crate::helpers::{self, Arg, Ret};
use crate::state::{Byte, Frame, Kind, Ptr, Reg, Slot, State};
use crate::verdict::Reason;
use semantics::isa::{AluOp, Atomic, Call, Instruction, JmpCond, Pseudo, Size, Source, Width};

/// BPF_MAX_VAR_OFF.
const MAX_VAR_OFF: i64 = 1 << 29;
const STACK: i64 = 512;

fn unsafe_at(pc: usize, message: String) -> Reject {
    Reject {
        pc,
        reason: Reason::Unsafe,
        message,
    }
}

/// An unknown scalar of `bytes` bytes, zero-extended.
fn unknown_sized(bytes: usize) -> Reg {
    let mut s = Scalar::unknown(&0u64);
    if bytes < 8 {
        s.umax = (1u64 << (8 * bytes)) - 1;
        s = s.sync();
    }
    Reg::scalar(s)
}

fn ptr_name(p: &Ptr) -> String {
    p.kind.name(p.or_null)
}

fn reg_name(r: &Reg) -> String {
    match r {
        Reg::Uninit => "?".into(),
        Reg::Scalar(..) => "scalar".into(),
        Reg::Ptr(p) => ptr_name(p),
    }
}

fn alu_str(op: AluOp) -> &'static str {
    semantics::text::print::alu_op_str(op).unwrap_or("?")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

impl<'a> Verifier<'a> {
    fn read<'s>(&self, pc: usize, st: &'s State, r: u8) -> R<&'s Reg> {
        match st.reg(r) {
            Reg::Uninit => Err(unsafe_at(pc, format!("R{r} !read_ok"))),
            x => Ok(x),
        }
    }

    fn write_check(&self, pc: usize, r: u8) -> R<()> {
        if r == 10 {
            Err(unsafe_at(pc, "frame pointer is read only".into()))
        } else {
            Ok(())
        }
    }

    pub(crate) fn step(&mut self, pc: usize, st: &mut State) -> R<Next> {
        let Some(ins) = self.cfg.insns[pc] else {
            return Err(unsafe_at(pc, format!("invalid insn idx {pc}")));
        };
        if self.opts.log_level > 0 {
            let code = self.prog.slots[pc].code;
            let text = semantics::text::print::print(&ins, semantics::text::print::Flavor::Kernel);
            self.log += &format!("{pc}: ({code:02x}) {text}\n");
        }
        let next = pc + ins.slots();
        match ins {
            Instruction::Alu {
                width,
                op,
                dst,
                src,
            } => {
                self.alu(pc, st, width, op, dst.num(), src)?;
                Ok(Next::Goto(next))
            }
            Instruction::Neg { width, dst } => {
                let d = dst.num();
                self.write_check(pc, d)?;
                let v = match self.read(pc, st, d)? {
                    Reg::Scalar(s, _) => Reg::scalar(s.neg(width)),
                    _ => Reg::unknown(),
                };
                st.set(d, v);
                Ok(Next::Goto(next))
            }
            Instruction::End { kind, bits, dst } => {
                let d = dst.num();
                self.write_check(pc, d)?;
                let v = match self.read(pc, st, d)? {
                    Reg::Scalar(s, _) => Reg::scalar(s.end(kind, bits as u32)),
                    _ => Reg::unknown(),
                };
                st.set(d, v);
                Ok(Next::Goto(next))
            }
            Instruction::Ja { .. } | Instruction::JaLong { .. } => Ok(Next::Goto(
                ins.jump_target(pc).expect("a jump has a target"),
            )),
            Instruction::Jmp {
                width,
                cond,
                dst,
                src,
                ..
            } => {
                let t = ins.jump_target(pc).expect("a jump has a target");
                self.jump(pc, st, width, cond, dst.num(), src, t, next)
            }
            Instruction::LdImm64 {
                dst,
                pseudo,
                imm,
                next_imm,
            } => {
                let d = dst.num();
                self.write_check(pc, d)?;
                let v = self.ld_imm64(pc, pseudo, imm, next_imm)?;
                st.set(d, v);
                Ok(Next::Goto(next))
            }
            Instruction::Load {
                size,
                sign_extend,
                dst,
                src,
                off,
            } => {
                let d = dst.num();
                self.write_check(pc, d)?;
                self.cur_reg = Some(d);
                let v = self.mem(
                    pc,
                    st,
                    src.num(),
                    off as i64,
                    size.bytes(),
                    Access::Read,
                    None,
                )?;
                let mut v = v.unwrap_or_else(Reg::unknown);
                if sign_extend {
                    v = match v {
                        Reg::Scalar(s, _) => Reg::scalar(s.alu(
                            match size {
                                Size::B => AluOp::MovSx8,
                                Size::H => AluOp::MovSx16,
                                _ => AluOp::MovSx32,
                            },
                            Width::W64,
                            &s,
                        )),
                        _ => Reg::unknown(),
                    };
                }
                st.set(d, v);
                Ok(Next::Goto(next))
            }
            Instruction::Store {
                size,
                dst,
                off,
                src,
            } => {
                let value = match src {
                    Source::Reg(r) => self.read(pc, st, r.num())?.clone(),
                    Source::Imm(i) => Reg::constant(i as i64 as u64),
                };
                let is_imm = matches!(src, Source::Imm(_));
                self.cur_reg = match src {
                    Source::Reg(r) => Some(r.num()),
                    Source::Imm(_) => None,
                };
                self.mem(
                    pc,
                    st,
                    dst.num(),
                    off as i64,
                    size.bytes(),
                    Access::Write,
                    Some((value, is_imm)),
                )?;
                Ok(Next::Goto(next))
            }
            Instruction::Atomic {
                width,
                op,
                dst,
                src,
                off,
            } => {
                self.atomic(pc, st, width, op, dst.num(), src.num(), off as i64)?;
                Ok(Next::Goto(next))
            }
            Instruction::LdAbs { size, .. } | Instruction::LdInd { size, .. } => {
                if !matches!(self.prog.prog_type, 1 | 3 | 4) {
                    return Err(unsafe_at(
                        pc,
                        "BPF_LD_[ABS|IND] instructions not allowed for this program type".into(),
                    ));
                }
                if st.lock.is_some() {
                    return Err(unsafe_at(
                        pc,
                        "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region".into(),
                    ));
                }
                if !st.refs.is_empty() {
                    return Err(unsafe_at(
                        pc,
                        "BPF_LD_[ABS|IND] would lead to reference leak".into(),
                    ));
                }
                if !matches!(st.reg(6), Reg::Ptr(p) if p.kind == Kind::Ctx) {
                    return Err(unsafe_at(
                        pc,
                        "at the time of BPF_LD_ABS|IND R6 != pointer to skb".into(),
                    ));
                }
                if let Instruction::LdInd { src, .. } = ins {
                    if !matches!(self.read(pc, st, src.num())?, Reg::Scalar(..)) {
                        return Err(unsafe_at(
                            pc,
                            format!("R{} type=ptr expected=scalar", src.num()),
                        ));
                    }
                }
                for r in 1..=5 {
                    st.set(r, Reg::Uninit);
                }
                st.set(0, unknown_sized(size.bytes()));
                Ok(Next::Goto(next))
            }
            Instruction::Call(Call::Helper(id)) => self.helper_call(pc, st, id as u32, next),
            Instruction::Call(Call::Local(imm)) => {
                let target = (pc as i64 + 1 + imm as i64) as usize;
                if let Some(g) = self
                    .prog
                    .global_funcs
                    .iter()
                    .find(|g| g.start == target)
                    .cloned()
                {
                    self.global_call(pc, st, &g)?;
                    return Ok(Next::Goto(next));
                }
                self.local_call(pc, st, target)?;
                Ok(Next::Goto(target))
            }
            Instruction::Call(Call::Kfunc { btf_id, .. }) => Err(unsafe_at(
                pc,
                format!("calling kernel function {btf_id} is not allowed"),
            )),
            Instruction::CallX { .. } => Err(unsafe_at(pc, "unknown opcode 8d".into())),
            Instruction::Exit => self.exit(pc, st),
        }
    }

    fn ld_imm64(&mut self, pc: usize, pseudo: Pseudo, imm: i32, next_imm: i32) -> R<Reg> {
        let map = |v: &Self, idx: i32| -> R<u32> {
            if idx < 0 || idx as usize >= v.prog.maps.len() {
                Err(unsafe_at(
                    pc,
                    format!("fd {idx} is not pointing to valid bpf_map"),
                ))
            } else {
                Ok(idx as u32)
            }
        };
        Ok(match pseudo {
            Pseudo::Imm64 => Reg::constant(Instruction::imm64(imm, next_imm)),
            Pseudo::MapFd | Pseudo::MapIdx => {
                if next_imm != 0 {
                    return Err(unsafe_at(pc, "unrecognized bpf_ld_imm64 insn".into()));
                }
                Reg::Ptr(Ptr::new(Kind::MapPtr(map(self, imm)?)))
            }
            Pseudo::MapValue | Pseudo::MapIdxValue => {
                let m = map(self, imm)?;
                let info = &self.maps[m as usize];
                if info.map_type != 2 {
                    return Err(unsafe_at(
                        pc,
                        "map type does not support direct value access".into(),
                    ));
                }
                if next_imm < 0 || next_imm as u32 >= info.value_size.max(1) {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "invalid access to map value pointer, value_size={} off={}",
                            info.value_size, next_imm
                        ),
                    ));
                }
                let mut p = Ptr::new(Kind::MapValue(m));
                p.off = next_imm;
                Reg::Ptr(p)
            }
            Pseudo::Func => Reg::Ptr(Ptr::new(Kind::Func((pc as i64 + 1 + imm as i64) as u32))),
            Pseudo::BtfId => Reg::Ptr(Ptr::new(Kind::BtfId)),
        })
    }

    fn alu(
        &mut self,
        pc: usize,
        st: &mut State,
        width: Width,
        op: AluOp,
        d: u8,
        src: Source,
    ) -> R<()> {
        self.write_check(pc, d)?;
        let sv = match src {
            Source::Reg(r) => self.read(pc, st, r.num())?.clone(),
            Source::Imm(i) => {
                if matches!(op, AluOp::Div | AluOp::Mod | AluOp::Sdiv | AluOp::Smod) && i == 0 {
                    return Err(unsafe_at(pc, "div by zero".into()));
                }
                let bits = if width == Width::W32 { 32 } else { 64 };
                if matches!(op, AluOp::Lsh | AluOp::Rsh | AluOp::Arsh) && (i < 0 || i >= bits) {
                    return Err(unsafe_at(pc, format!("invalid shift {i}")));
                }
                Reg::constant(i as i64 as u64)
            }
        };
        let is_mov = matches!(
            op,
            AluOp::Mov | AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32
        );
        if is_mov {
            let v = match (&sv, op, width) {
                (Reg::Scalar(s, id), AluOp::Mov, Width::W64) => {
                    // Copies of a non-constant scalar are linked by an id.
                    if s.as_const().is_none() {
                        let id = if *id == 0 { self.fresh_id() } else { *id };
                        if let Source::Reg(r) = src {
                            st.set(r.num(), Reg::Scalar(*s, id));
                        }
                        Reg::Scalar(*s, id)
                    } else {
                        Reg::scalar(*s)
                    }
                }
                (Reg::Scalar(s, _), _, _) => Reg::scalar(Scalar::unknown(&0u64).alu(op, width, s)),
                (Reg::Ptr(_), AluOp::Mov, Width::W64) => sv.clone(),
                (Reg::Ptr(_), _, _) => {
                    if self.opts.unprivileged {
                        return Err(unsafe_at(
                            pc,
                            format!("R{} partial copy of pointer", src_num(src)),
                        ));
                    }
                    // Part of an address becomes a number.
                    self.machine_dependent += 1;
                    Reg::scalar(Scalar::unknown(&0u64).alu(op, width, &Scalar::unknown(&0u64)))
                }
                (Reg::Uninit, _, _) => unreachable!("read checked"),
            };
            st.set(d, v);
            return Ok(());
        }
        let dv = self.read(pc, st, d)?.clone();
        let any_ptr = matches!(dv, Reg::Ptr(_)) || matches!(sv, Reg::Ptr(_));
        if any_ptr && width == Width::W32 {
            if op == AluOp::Sub && !self.opts.unprivileged {
                if !matches!((&dv, &sv), (Reg::Ptr(a), Reg::Ptr(b)) if same_object(a, b)) {
                    self.machine_dependent += 1;
                }
                st.set(d, Reg::unknown());
                return Ok(());
            }
            return Err(unsafe_at(
                pc,
                format!("R{d} 32-bit pointer arithmetic prohibited"),
            ));
        }
        // Shifts by amounts that may reach the width are undefined for the kernel: unknown.
        if let (Reg::Scalar(..), Reg::Scalar(b, _)) = (&dv, &sv) {
            let bits = if width == Width::W32 { 32 } else { 64 };
            let amt = if width == Width::W32 {
                b.u32_max as u64
            } else {
                b.umax
            };
            if matches!(op, AluOp::Lsh | AluOp::Rsh | AluOp::Arsh) && amt >= bits {
                st.set(
                    d,
                    if width == Width::W32 {
                        unknown_sized(4)
                    } else {
                        Reg::unknown()
                    },
                );
                return Ok(());
            }
        }
        let v = match (&dv, &sv) {
            (Reg::Scalar(a, _), Reg::Scalar(b, _)) => Reg::scalar(a.alu(op, width, b)),
            (Reg::Ptr(p), Reg::Scalar(b, _)) => {
                // The offset's value decides the pointer: it must be precise.
                if let Source::Reg(r) = src {
                    self.uses |= 1 << r.num();
                }
                self.ptr_arith(pc, d, p, b, op, width, true)?
            }
            (Reg::Scalar(a, _), Reg::Ptr(p)) => {
                self.uses |= 1 << d;
                if op == AluOp::Sub {
                    return Err(unsafe_at(
                        pc,
                        format!("R{d} tried to subtract pointer from scalar"),
                    ));
                }
                self.ptr_arith(pc, d, p, a, op, width, false)?
            }
            (Reg::Ptr(a), Reg::Ptr(b)) => {
                if op == AluOp::Sub && !self.opts.unprivileged {
                    // The distance between two objects differs between machines.
                    if !same_object(a, b) {
                        self.machine_dependent += 1;
                    }
                    Reg::unknown()
                } else {
                    return Err(unsafe_at(
                        pc,
                        format!("R{d} pointer {} pointer prohibited", alu_str(op)),
                    ));
                }
            }
            _ => unreachable!("reads checked"),
        };
        st.set(d, v);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn ptr_arith(
        &mut self,
        pc: usize,
        d: u8,
        p: &Ptr,
        off: &Scalar<u64>,
        op: AluOp,
        width: Width,
        ptr_is_dst: bool,
    ) -> R<Reg> {
        let name = ptr_name(p);
        if width == Width::W32 {
            return Err(unsafe_at(
                pc,
                format!("R{d} 32-bit pointer arithmetic prohibited"),
            ));
        }
        if p.or_null {
            return Err(unsafe_at(
                pc,
                format!("R{d} pointer arithmetic on {name} prohibited, null-check it first"),
            ));
        }
        let known = off.as_const();
        let allowed = match p.kind {
            Kind::Ctx
            | Kind::Stack(_)
            | Kind::MapValue(_)
            | Kind::MapKey(_)
            | Kind::Packet
            | Kind::PacketMeta
            | Kind::Mem { .. }
            | Kind::BtfId
            | Kind::Func(_) => true,
            Kind::FlowKeys => known.is_some(),
            Kind::MapPtr(_) => known == Some(0) && op == AluOp::Add,
            _ => false,
        };
        if !allowed {
            return Err(unsafe_at(
                pc,
                format!("R{d} pointer arithmetic on {name} prohibited"),
            ));
        }
        match op {
            AluOp::Add => {}
            AluOp::Sub if ptr_is_dst && matches!(p.kind, Kind::Stack(_)) => {
                return Err(unsafe_at(
                    pc,
                    format!("R{d} subtraction from stack pointer prohibited"),
                ));
            }
            AluOp::Sub if ptr_is_dst => {}
            AluOp::Sub => {
                return Err(unsafe_at(
                    pc,
                    format!("R{d} tried to subtract pointer from scalar"),
                ))
            }
            AluOp::And | AluOp::Or | AluOp::Xor => {
                return Err(unsafe_at(
                    pc,
                    format!(
                        "R{d} bitwise operator {} on pointer prohibited",
                        alu_str(op)
                    ),
                ))
            }
            _ => {
                return Err(unsafe_at(
                    pc,
                    format!(
                        "R{d} pointer arithmetic with {} operator prohibited",
                        alu_str(op)
                    ),
                ))
            }
        }
        let kname = p.kind.name(false);
        if let Some(c) = known {
            let c = c as i64;
            if c >= MAX_VAR_OFF || c <= -MAX_VAR_OFF {
                return Err(unsafe_at(
                    pc,
                    format!("math between {kname} pointer and {c} is not allowed"),
                ));
            }
        }
        if off.smin == i64::MIN as u64 {
            return Err(unsafe_at(
                pc,
                format!("math between {kname} pointer and register with unbounded min value is not allowed"),
            ));
        }
        if (off.smin as i64) <= -MAX_VAR_OFF || (off.smin as i64) >= MAX_VAR_OFF {
            return Err(unsafe_at(
                pc,
                format!(
                    "value {} makes {kname} pointer be out of bounds",
                    off.smin as i64
                ),
            ));
        }
        let mut r = p.clone();
        match known {
            Some(c) => {
                let c = if op == AluOp::Sub {
                    -(c as i64)
                } else {
                    c as i64
                };
                let n = r.off as i64 + c;
                if n >= MAX_VAR_OFF || n <= -MAX_VAR_OFF {
                    return Err(unsafe_at(
                        pc,
                        format!("value {n} makes {kname} pointer be out of bounds"),
                    ));
                }
                r.off = n as i32;
            }
            None => {
                r.var = r.var.alu(op, Width::W64, off);
                if p.kind.is_packet() {
                    r.id = self.fresh_id();
                    r.range = 0;
                }
            }
        }
        Ok(Reg::Ptr(r))
    }

    /// A memory access through register `r` at `off`; returns the loaded value for reads.
    #[allow(clippy::too_many_arguments)]
    fn mem(
        &mut self,
        pc: usize,
        st: &mut State,
        r: u8,
        off: i64,
        size: usize,
        acc: Access,
        value: Option<(Reg, bool)>,
    ) -> R<Option<Reg>> {
        let p = match self.read(pc, st, r)? {
            Reg::Ptr(p) if !p.or_null => p.clone(),
            other => {
                return Err(unsafe_at(
                    pc,
                    format!("R{r} invalid mem access '{}'", reg_name(other)),
                ));
            }
        };
        let write = acc == Access::Write;
        if matches!(value, Some((Reg::Ptr(_), _))) && !matches!(p.kind, Kind::Stack(_)) {
            self.machine_dependent += 1;
        }
        self.same_pointer_kind(pc, p.kind)?;
        *self.access.entry(pc).or_default() |= match p.kind {
            Kind::Packet => crate::verdict::access::PACKET,
            Kind::Stack(_) => crate::verdict::access::STACK,
            Kind::Ctx => crate::verdict::access::CTX,
            Kind::MapValue(_) => crate::verdict::access::MAP_VALUE,
            _ => crate::verdict::access::OTHER,
        };
        match p.kind {
            Kind::Stack(depth) => {
                self.stack_access(pc, st, r, depth as usize, &p, off, size, value)
            }
            Kind::Ctx => {
                if p.off != 0 || p.var.as_const() != Some(0) {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "dereference of modified ctx ptr R{r} off={} disallowed",
                            p.off
                        ),
                    ));
                }
                if let Some((Reg::Ptr(_), _)) = &value {
                    if self.opts.unprivileged {
                        return Err(unsafe_at(pc, format!("R{r} leaks addr into ctx")));
                    }
                }
                let k = ctx_access(
                    self.prog.prog_type,
                    self.prog.expected_attach_type,
                    off,
                    size as u32,
                    write,
                )
                .map_err(|_| {
                    unsafe_at(
                        pc,
                        format!("invalid bpf_context access off={off} size={size}"),
                    )
                })?;
                if write {
                    return Ok(None);
                }
                Ok(Some(match k {
                    CtxLoad::Scalar => unknown_sized(size),
                    CtxLoad::PacketData => Reg::Ptr(Ptr::new(Kind::Packet)),
                    CtxLoad::PacketEnd => Reg::Ptr(Ptr::new(Kind::PacketEnd)),
                    CtxLoad::PacketMeta => Reg::Ptr(Ptr::new(Kind::PacketMeta)),
                    CtxLoad::FlowKeys => Reg::Ptr(Ptr::new(Kind::FlowKeys)),
                    CtxLoad::SockCommonOrNull => self.nullable(Kind::SockCommon),
                    CtxLoad::Socket { or_null } => {
                        if or_null {
                            self.nullable(Kind::Socket)
                        } else {
                            Reg::Ptr(Ptr::new(Kind::Socket))
                        }
                    }
                    CtxLoad::BtfId { or_null } => {
                        if or_null {
                            self.nullable(Kind::BtfId)
                        } else {
                            Reg::Ptr(Ptr::new(Kind::BtfId))
                        }
                    }
                }))
            }
            Kind::MapValue(m) => {
                let info = self.maps[m as usize].clone();
                if let Some(r) = self.kptr_access(pc, &info, &p, off, size, &value)? {
                    return Ok((!write).then_some(r));
                }
                if let Some(l) = info.spin_lock_off {
                    let lo = p.off as i64 + off + p.var.smin as i64;
                    let hi = p.off as i64 + off + p.var.umax.min(1 << 30) as i64 + size as i64;
                    if lo < l as i64 + 4 && hi > l as i64 {
                        return Err(unsafe_at(
                            pc,
                            "bpf_spin_lock cannot be accessed directly by load/store".into(),
                        ));
                    }
                }
                if write && info.readonly {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "write into map forbidden, value_size={} off={} size={}",
                            info.value_size,
                            p.off as i64 + off,
                            size
                        ),
                    ));
                }
                if !write && info.writeonly {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "read from map forbidden, value_size={} off={} size={}",
                            info.value_size,
                            p.off as i64 + off,
                            size
                        ),
                    ));
                }
                self.region(pc, r, &p, off, size, info.value_size as i64, |o| {
                    format!(
                        "invalid access to map value, value_size={} off={o} size={size}",
                        info.value_size
                    )
                })?;
                Ok((!write).then(|| unknown_sized(size)))
            }
            Kind::MapKey(m) => {
                if write {
                    return Err(unsafe_at(pc, format!("R{r} cannot write into map_key")));
                }
                let ks = self.maps[m as usize].key_size as i64;
                self.region(pc, r, &p, off, size, ks, |o| {
                    format!("invalid access to map key, key_size={ks} off={o} size={size}")
                })?;
                Ok(Some(unknown_sized(size)))
            }
            Kind::Mem {
                size: ms, rdonly, ..
            } => {
                if write && rdonly {
                    return Err(unsafe_at(pc, format!("R{r} cannot write into rdonly_mem")));
                }
                self.region(pc, r, &p, off, size, ms as i64, |o| {
                    format!("invalid access to memory, mem_size={ms} off={o} size={size}")
                })?;
                Ok((!write).then(|| unknown_sized(size)))
            }
            Kind::Packet | Kind::PacketMeta => {
                if write && !matches!(self.prog.prog_type, 3 | 4 | 6 | 12 | 14 | 16 | 19) {
                    return Err(unsafe_at(pc, "cannot write into packet".into()));
                }
                if self.prog.strict_alignment && size > 1 {
                    // NET_IP_ALIGN (2) puts the IP header on a 4-byte boundary.
                    let at = 2 + p.off as i64 + off + p.var.var_off.value as i64;
                    if at % size as i64 != 0 || p.var.var_off.mask & (size as u64 - 1) != 0 {
                        return Err(unsafe_at(
                            pc,
                            format!(
                                "misaligned packet access off 2+{}+{}+{off} size {size}",
                                p.var.var_off.log(),
                                p.off
                            ),
                        ));
                    }
                }
                let lo = p.off as i64 + off;
                // The range is proven for `base + var`, shared by the pointers of one id.
                let hi = lo + size as i64;
                if lo < 0
                    || (p.var.smin as i64) < 0
                    || p.var.umax >= MAX_VAR_OFF as u64
                    || hi > p.range as i64
                {
                    return Err(unsafe_at(
                        pc,
                        format!("invalid access to packet, off={off} size={size}, R{r}(id={},off={},r={})", p.id, p.off, p.range),
                    ));
                }
                if let Some((Reg::Ptr(_), _)) = &value {
                    if self.opts.unprivileged {
                        return Err(unsafe_at(pc, format!("R{r} leaks addr into packet")));
                    }
                }
                Ok((!write).then(|| unknown_sized(size)))
            }
            Kind::FlowKeys => {
                self.region(pc, r, &p, off, size, 56, |o| {
                    format!("invalid access to flow keys off={o} size={size}")
                })?;
                Ok((!write).then(|| unknown_sized(size)))
            }
            Kind::Socket | Kind::SockCommon | Kind::TcpSock | Kind::XdpSock => {
                if write {
                    return Err(unsafe_at(
                        pc,
                        format!("R{r} cannot write into {}", p.kind.name(false)),
                    ));
                }
                let o = p.off as i64 + off;
                if p.var.as_const() != Some(0) || !sock_field_ok(p.kind, o, size) {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "R{r} invalid {} access off={o} size={size}",
                            p.kind.name(false)
                        ),
                    ));
                }
                Ok(Some(unknown_sized(size)))
            }
            Kind::BtfId => {
                let o = p.off as i64 + off;
                if p.btf_size > 0 && (o < 0 || o + size as i64 > p.btf_size as i64) {
                    return Err(unsafe_at(
                        pc,
                        format!("access beyond struct at off {o} size {size}"),
                    ));
                }
                if p.var.as_const().is_none() {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "variable untrusted_ptr_ access var_off={} disallowed",
                            p.var.var_off.log()
                        ),
                    ));
                }
                if write {
                    return Err(unsafe_at(pc, "only read is supported".into()));
                }
                Ok(Some(unknown_sized(size)))
            }
            Kind::MapPtr(m) if !write && !self.opts.unprivileged => {
                // The map's kernel structure, read through BTF: from its start to its end.
                let t = self.maps[m as usize].map_type;
                let Some((name, len)) = semantics::maps::object_struct(t) else {
                    return Err(unsafe_at(
                        pc,
                        format!("map_ptr access not supported for map type {t}"),
                    ));
                };
                let o = p.off as i64 + off;
                if p.var.as_const() != Some(0) {
                    return Err(unsafe_at(
                        pc,
                        format!("R{r} invalid variable offset into struct {name}"),
                    ));
                }
                if o < 0 {
                    return Err(unsafe_at(
                        pc,
                        format!("R{r} is {name} invalid negative access: off={o}"),
                    ));
                }
                if o + size as i64 > len as i64 {
                    return Err(unsafe_at(
                        pc,
                        format!("access beyond struct {name} at off {o} size {size}"),
                    ));
                }
                Ok(Some(unknown_sized(size)))
            }
            Kind::MapPtr(_) | Kind::PacketEnd | Kind::Func(_) => Err(unsafe_at(
                pc,
                format!("R{r} invalid mem access '{}'", ptr_name(&p)),
            )),
        }
    }

    /// The kernel rewrites context and socket accesses per instruction, so one instruction
    /// may not access those through different pointer types on different paths.
    fn same_pointer_kind(&mut self, pc: usize, kind: Kind) -> R<()> {
        let class = match kind {
            Kind::Ctx => 1,
            Kind::Socket => 2,
            Kind::SockCommon => 3,
            Kind::TcpSock => 4,
            Kind::XdpSock => 5,
            Kind::BtfId => 6,
            _ => 0,
        };
        let prev = *self.access_kind.entry(pc).or_insert(class);
        if prev != class && (prev != 0 || class != 0) {
            return Err(unsafe_at(
                pc,
                "same insn cannot be used with different pointers".into(),
            ));
        }
        Ok(())
    }

    fn nullable(&mut self, kind: Kind) -> Reg {
        let mut p = Ptr::new(kind);
        p.or_null = true;
        p.id = self.fresh_id();
        Reg::Ptr(p)
    }

    /// Bounds of an access to `[0, limit)` through `p` with a possibly variable offset.
    fn region(
        &self,
        pc: usize,
        r: u8,
        p: &Ptr,
        off: i64,
        size: usize,
        limit: i64,
        msg: impl Fn(i64) -> String,
    ) -> R<()> {
        let base = p.off as i64 + off;
        if let Some(c) = p.var.as_const() {
            let o = base + c as i64;
            if o < 0 || o + size as i64 > limit {
                return Err(unsafe_at(pc, msg(o)));
            }
            return Ok(());
        }
        let smin = p.var.smin as i64;
        if smin < 0 && base + smin < 0 {
            return Err(unsafe_at(
                pc,
                format!("R{r} min value is negative, either use unsigned index or do a if (index >=0) check."),
            ));
        }
        if p.var.umax >= MAX_VAR_OFF as u64 {
            return Err(unsafe_at(
                pc,
                format!("R{r} unbounded memory access, make sure to bounds check any such access"),
            ));
        }
        if base + (p.var.umin as i64) < 0 {
            return Err(unsafe_at(
                pc,
                format!("R{r} min value is outside of the allowed memory range"),
            ));
        }
        if base + p.var.umax as i64 + size as i64 > limit {
            return Err(unsafe_at(
                pc,
                format!("R{r} max value is outside of the allowed memory range"),
            ));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn stack_access(
        &mut self,
        pc: usize,
        st: &mut State,
        r: u8,
        depth: usize,
        p: &Ptr,
        off: i64,
        size: usize,
        value: Option<(Reg, bool)>,
    ) -> R<Option<Reg>> {
        let write = value.is_some();
        let what = if write { "write to" } else { "read from" };
        let base = p.off as i64 + off;
        let (lo, hi) = match p.var.as_const() {
            Some(c) => (base + c as i64, base + c as i64),
            None => {
                if (p.var.smin as i64) <= -MAX_VAR_OFF || (p.var.smax as i64) >= MAX_VAR_OFF {
                    return Err(unsafe_at(
                        pc,
                        format!("invalid unbounded variable-offset {what} stack R{r}"),
                    ));
                }
                (base + p.var.smin as i64, base + p.var.smax as i64)
            }
        };
        if lo < -STACK || hi + size as i64 > 0 {
            let msg = if p.var.as_const().is_some() {
                format!("invalid {what} stack R{r} off={lo} size={size}")
            } else {
                format!(
                    "invalid variable-offset {what} stack R{r} var_off={} off={base} size={size}",
                    p.var.var_off.log()
                )
            };
            return Err(unsafe_at(pc, msg));
        }
        if p.var.as_const().is_some() && lo % size as i64 != 0 {
            return Err(unsafe_at(
                pc,
                format!(
                    "misaligned stack access off (0x0; 0x0)+{}+{} size {size}",
                    p.off,
                    off + p.var.as_const().unwrap_or(0) as i64
                ),
            ));
        }
        let st_frames_len = st.frames.len();
        let Some(frame) = st.frames.get_mut(depth) else {
            return Err(unsafe_at(pc, format!("R{r} invalid stack frame")));
        };
        let sub = self.cfg.subprog_of[frame.subprog];
        self.stack_depth[sub] = self.stack_depth[sub].max((-lo) as u32);
        self.slots_frame = depth as u8;
        if value.is_none() {
            // Every slot the access may touch is read.
            for o in (lo..hi + size as i64).step_by(1) {
                self.reads |= 1u64 << (((-o - 1) / 8) as u64).min(63);
            }
        } else if lo == hi && size == 8 && lo % 8 == 0 {
            self.kills |= 1u64 << (((-lo - 1) / 8) as u64).min(63);
        }
        if let Some((v, _)) = value {
            if lo != hi {
                for o in lo..hi + size as i64 {
                    set_byte(frame, o, Byte::Misc);
                }
                return Ok(None);
            }
            let current = st_frames_len - 1;
            if let Reg::Ptr(q) = &v {
                if let Kind::Stack(_) = q.kind {
                    if depth != current {
                        return Err(unsafe_at(
                            pc,
                            "cannot spill pointers to stack into stack frame of the caller".into(),
                        ));
                    }
                }
            }
            let k = ((-lo - 1) / 8) as u16;
            // Registers spill at the start of a slot; scalars also in 1, 2 or 4 bytes.
            if lo % 8 == 0 && (size == 8 || matches!(v, Reg::Scalar(..))) {
                let mut slot = frame.slot(k);
                if slot.spill.is_some() {
                    for b in slot.bytes.iter_mut() {
                        if *b == Byte::Spill {
                            *b = Byte::Misc;
                        }
                    }
                }
                for b in slot.bytes.iter_mut().take(size) {
                    *b = Byte::Spill;
                }
                let v = match v {
                    // A narrowing spill breaks the link with the register's copies.
                    Reg::Scalar(s, _) if size < 8 && s.umax >> (8 * size) != 0 => Reg::Scalar(s, 0),
                    other => other,
                };
                slot.spill = Some(v);
                frame.stack.insert(k, slot);
                self.stack_op = Some(super::StackOp {
                    frame: depth as u8,
                    slot: k.min(63) as u8,
                    reg: self.cur_reg,
                    fill: false,
                    whole: size == 8,
                });
                return Ok(None);
            }
            if matches!(v, Reg::Ptr(_)) {
                return Err(unsafe_at(pc, "invalid size of register spill".into()));
            }
            let zero = matches!(&v, Reg::Scalar(s, _) if s.as_const() == Some(0));
            self.stack_op = Some(super::StackOp {
                frame: depth as u8,
                slot: k.min(63) as u8,
                // Zero bytes are the register's value: a use of them that depends on their
                // being zero (a constant map key) depends on the register being 0.
                reg: if zero { self.cur_reg } else { None },
                fill: false,
                whole: size == 8,
            });
            for o in lo..lo + size as i64 {
                set_byte(frame, o, if zero { Byte::Zero } else { Byte::Misc });
            }
            return Ok(None);
        }
        // Reads.
        if lo == hi {
            let k = ((-lo - 1) / 8) as u16;
            let slot = frame.slot(k);
            let first = (lo.rem_euclid(8)) as usize;
            if let Some(sp) = &slot.spill {
                let n = spill_len(&slot);
                if first == 0 && size <= n {
                    self.stack_op = Some(super::StackOp {
                        frame: depth as u8,
                        slot: k.min(63) as u8,
                        reg: self.cur_reg,
                        fill: true,
                        whole: false,
                    });
                    return match sp {
                        _ if size == 8 => Ok(Some(sp.clone())),
                        Reg::Scalar(s, id) => {
                            let mask = (1u64 << (8 * size)) - 1;
                            let t = s.alu(AluOp::And, Width::W64, &Scalar::constant(&mask));
                            let id = if s.umax <= mask { *id } else { 0 };
                            Ok(Some(Reg::Scalar(t, id)))
                        }
                        _ => Err(unsafe_at(pc, "invalid size of register fill".into())),
                    };
                }
            }
        }
        let mut all_zero = true;
        for o in lo..hi + size as i64 {
            let b = frame.byte(o);
            match b {
                Byte::Invalid if !self.opts.unprivileged => {
                    self.machine_dependent += 1;
                    all_zero = false;
                }
                Byte::Invalid => {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "invalid read from stack R{r} off {lo}+{} size {size}",
                            o - lo
                        ),
                    ));
                }
                Byte::Spill if frame.spilled_ptr(o) => {
                    return Err(unsafe_at(pc, "invalid size of register fill".into()));
                }
                Byte::Zero => {}
                _ => all_zero = false,
            }
        }
        Ok(Some(if all_zero {
            Reg::constant(0)
        } else {
            unknown_sized(size)
        }))
    }

    #[allow(clippy::too_many_arguments)]
    fn atomic(
        &mut self,
        pc: usize,
        st: &mut State,
        width: Width,
        op: Atomic,
        d: u8,
        s: u8,
        off: i64,
    ) -> R<()> {
        let size = if width == Width::W64 { 8 } else { 4 };
        let sv = self.read(pc, st, s)?.clone();
        if matches!(op, Atomic::Xchg | Atomic::Rmw { fetch: true, .. }) {
            self.write_check(pc, s)?;
        }
        if op == Atomic::Cmpxchg {
            self.read(pc, st, 0)?;
        }
        if matches!(sv, Reg::Ptr(_)) {
            if self.opts.unprivileged {
                return Err(unsafe_at(pc, format!("R{s} leaks addr into mem")));
            }
            self.machine_dependent += 1;
        }
        match self.read(pc, st, d)? {
            Reg::Ptr(p)
                if matches!(
                    p.kind,
                    Kind::Stack(_) | Kind::MapValue(_) | Kind::Mem { .. } | Kind::BtfId
                ) && !p.or_null => {}
            other => {
                return Err(unsafe_at(
                    pc,
                    format!(
                        "BPF_ATOMIC stores into R{d} {} is not allowed",
                        reg_name(other)
                    ),
                ));
            }
        }
        if let Reg::Ptr(p) = st.reg(d) {
            let o = p.off as i64 + off + p.var.var_off.value as i64;
            if o.rem_euclid(size as i64) != 0 || p.var.var_off.mask & (size as u64 - 1) != 0 {
                return Err(unsafe_at(
                    pc,
                    format!(
                        "misaligned value access off {}+{}+{} size {size}",
                        p.var.var_off.log(),
                        p.off,
                        off
                    ),
                ));
            }
        }
        // The old value, as a load would read it (a spilled scalar keeps its bounds).
        let old = self.mem(pc, st, d, off, size, Access::Read, None)?;
        self.mem(
            pc,
            st,
            d,
            off,
            size,
            Access::Write,
            Some((Reg::unknown(), false)),
        )?;
        let fetched = match old {
            Some(Reg::Scalar(s, _)) => Reg::scalar(s),
            _ => unknown_sized(size),
        };
        match op {
            Atomic::Cmpxchg => st.set(0, fetched),
            Atomic::Xchg | Atomic::Rmw { fetch: true, .. } => st.set(s, fetched),
            _ => {}
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn jump(
        &mut self,
        pc: usize,
        st: &mut State,
        width: Width,
        cond: JmpCond,
        d: u8,
        src: Source,
        target: usize,
        next: usize,
    ) -> R<Next> {
        let dv = self.read(pc, st, d)?.clone();
        let sv = match src {
            Source::Reg(r) => self.read(pc, st, r.num())?.clone(),
            Source::Imm(i) => Reg::constant(i as i64 as u64),
        };
        let src_reg = match src {
            Source::Reg(r) => Some(r.num()),
            Source::Imm(_) => None,
        };
        match (&dv, &sv) {
            // A register compared with itself: decided whatever its value, except `&`,
            // which is a test against zero.
            (Reg::Scalar(a, aid), Reg::Scalar(..)) if src_reg == Some(d) => {
                use JmpCond as C;
                match cond {
                    C::Eq | C::Ge | C::Le | C::Sge | C::Sle => Ok(Next::Goto(target)),
                    C::Ne | C::Gt | C::Lt | C::Sgt | C::Slt => Ok(Next::Goto(next)),
                    C::Set => {
                        let (t, f) = a.branch(C::Ne, width, &Scalar::constant(&0u64));
                        match (t.feasible, f.feasible) {
                            (true, true) => {
                                let mut other = st.clone();
                                refine(&mut other, d, *aid, t.dst);
                                refine(st, d, *aid, f.dst);
                                Ok(Next::Fork(next, Box::new(other), target))
                            }
                            (taken, _) => {
                                self.uses |= 1 << d;
                                Ok(Next::Goto(if taken { target } else { next }))
                            }
                        }
                    }
                }
            }
            (Reg::Scalar(a, aid), Reg::Scalar(b, bid)) => {
                let (t, f) = a.branch(cond, width, b);
                match (t.feasible, f.feasible) {
                    // A decided branch depends on both values.
                    (true, false) | (false, true) => {
                        self.uses |= 1 << d;
                        if let Some(r) = src_reg {
                            self.uses |= 1 << r;
                        }
                        Ok(Next::Goto(if t.feasible { target } else { next }))
                    }
                    (false, false) => Ok(Next::Done),
                    (true, true) => {
                        let mut other = st.clone();
                        refine(&mut other, d, *aid, t.dst);
                        if let Some(r) = src_reg {
                            refine(&mut other, r, *bid, t.src);
                        }
                        refine(st, d, *aid, f.dst);
                        if let Some(r) = src_reg {
                            refine(st, r, *bid, f.src);
                        }
                        Ok(Next::Fork(next, Box::new(other), target))
                    }
                }
            }
            // A null check: 64-bit only. A pointer's low half may be zero without the
            // pointer being null, so a 32-bit test goes to the last arm, which decides and
            // marks nothing (the kernel marks nothing either, but takes a never-null
            // pointer's low half to be non-zero; we explore both edges).
            (Reg::Ptr(p), Reg::Scalar(b, _)) | (Reg::Scalar(b, _), Reg::Ptr(p))
                if width == Width::W64
                    && b.as_const() == Some(0)
                    && matches!(cond, JmpCond::Eq | JmpCond::Ne) =>
            {
                // The null check depends on the scalar being 0.
                self.uses |= if matches!(dv, Reg::Scalar(..)) {
                    1 << d
                } else {
                    src_reg.map_or(0, |r| 1 << r)
                };
                if !p.or_null {
                    // Pointers of these kinds are never null; others (ctx, stack, packet)
                    // are compared without a conclusion, as the kernel does.
                    let not_null = matches!(
                        p.kind,
                        Kind::MapValue(_)
                            | Kind::MapKey(_)
                            | Kind::Socket
                            | Kind::SockCommon
                            | Kind::TcpSock
                            | Kind::Mem { .. }
                    );
                    if not_null {
                        return Ok(Next::Goto(if cond == JmpCond::Eq { next } else { target }));
                    }
                    return Ok(Next::Fork(next, Box::new(st.clone()), target));
                }
                let mut other = st.clone();
                let (is_null_taken, id, ref_id) = (cond == JmpCond::Eq, p.id, p.ref_id);
                mark_null(&mut other, id, ref_id, is_null_taken);
                mark_null(st, id, ref_id, !is_null_taken);
                Ok(Next::Fork(next, Box::new(other), target))
            }
            (Reg::Ptr(a), Reg::Ptr(b)) if width == Width::W64 && pkt_pair(a, b) => {
                let mut other = st.clone();
                // Which edge proves `a <= b` (or `a < b`): (taken?, open?).
                // The compared pointer: the meta one against data, the data one against end.
                let dst_is_pkt = a.kind == Kind::PacketMeta
                    || (a.kind == Kind::Packet && b.kind == Kind::PacketEnd);
                let (pkt, end) = if dst_is_pkt { (a, b) } else { (b, a) };
                // Against data, only the initial data pointer bounds meta pointers.
                let end_ok =
                    end.kind == Kind::PacketEnd || (end.off == 0 && end.var.as_const() == Some(0));
                let rule = pkt_rule(cond, dst_is_pkt).filter(|_| end_ok);
                // Against data_end, a pointer known to be at or beyond the end (from an
                // earlier comparison) decides the branch.
                if end.kind == Kind::PacketEnd && pkt.kind == Kind::Packet {
                    if let Some(taken) = pkt_end_decided(pkt.range, cond, dst_is_pkt) {
                        return Ok(Next::Goto(if taken { target } else { next }));
                    }
                }
                if let Some((on_taken, open)) = rule {
                    // The edge opposite to the one that proves the range.
                    let beyond = if on_taken { &mut *st } else { &mut other };
                    // The other edge: the compared pointer is at (or beyond) the end.
                    if end.kind == Kind::PacketEnd && pkt.kind == Kind::Packet {
                        let r = if dst_is_pkt { Some(d) } else { src_reg };
                        if let Some(r) = r {
                            if let Reg::Ptr(q) = &mut beyond.cur_mut().regs[r as usize] {
                                q.range = if open { AT_PKT_END } else { BEYOND_PKT_END };
                            }
                        }
                    }
                    let tgt = if on_taken { &mut other } else { &mut *st };
                    grow_range(tgt, pkt, open);
                }
                Ok(Next::Fork(next, Box::new(other), target))
            }
            _ => {
                if self.opts.unprivileged {
                    let r = if matches!(dv, Reg::Ptr(_)) {
                        d
                    } else {
                        src_reg.unwrap_or(d)
                    };
                    return Err(unsafe_at(pc, format!("R{r} pointer comparison prohibited")));
                }
                // Pointers into different objects, or a pointer and a number, compare by
                // addresses, which differ between machines.
                if !matches!((&dv, &sv), (Reg::Ptr(a), Reg::Ptr(b)) if same_object(a, b)) {
                    self.machine_dependent += 1;
                }
                Ok(Next::Fork(next, Box::new(st.clone()), target))
            }
        }
    }

    fn helper_call(&mut self, pc: usize, st: &mut State, id: u32, next: usize) -> R<Next> {
        let Some(proto) =
            helpers::proto_for(id, self.prog.prog_type).or_else(|| helpers::proto(id))
        else {
            return Err(unsafe_at(pc, format!("invalid func unknown#{id}")));
        };
        if !helpers::available(id, self.prog.prog_type) {
            return Err(unsafe_at(
                pc,
                format!(
                    "program of this type cannot use helper {}#{id}",
                    helper_name(id)
                ),
            ));
        }
        let mut map: Option<u32> = None;
        // The key of a lookup in an array map, where it is a known constant.
        let mut const_key: Option<u64> = None;
        let mut alloc_size = 0u32;
        // The largest size of the last memory argument (for return ranges).
        let mut msize_max = 0i64;
        if st.lock.is_some() && id != 94 {
            return Err(unsafe_at(
                pc,
                "function calls are not allowed while holding a lock".into(),
            ));
        }
        if id == 12 && !st.refs.is_empty() {
            return Err(unsafe_at(
                pc,
                "tail_call would lead to reference leak".into(),
            ));
        }
        let mut callback: Option<u32> = None;
        let mut released = None;
        for (i, arg) in proto.args.iter().enumerate() {
            let r = (i + 1) as u8;
            if *arg == Arg::None {
                continue;
            }
            let v = self.read(pc, st, r)?.clone();
            // Packet pointers go only to helpers declared with packet access (checked on
            // the live kernel: the rule is per helper, for every argument but "anything").
            if *arg != Arg::Anything
                && matches!(&v, Reg::Ptr(q) if q.kind.is_packet())
                && !PKT_ACCESS.contains(&id)
                && self.prog.prog_type != 25
            {
                return Err(unsafe_at(
                    pc,
                    "helper access to the packet is not allowed".into(),
                ));
            }
            // The values checks depend on: sizes, null pointers, a tail call's index,
            // get_local_storage's flags. Other scalar arguments (ARG_ANYTHING) are not.
            let checked =
                !matches!(arg, Arg::Anything) || (id == 12 && r == 3) || (id == 81 && r == 2);
            if checked && matches!(v, Reg::Scalar(..)) {
                self.uses |= 1 << r;
            }
            let expect =
                |what: &str| unsafe_at(pc, format!("R{r} type={} expected={what}", reg_name(&v)));
            match *arg {
                Arg::None | Arg::Anything => {}
                Arg::MapPtr => match &v {
                    Reg::Ptr(p) if matches!(p.kind, Kind::MapPtr(_)) && !p.or_null => {
                        if let Kind::MapPtr(m) = p.kind {
                            map = Some(m);
                        }
                    }
                    _ => return Err(expect("map_ptr")),
                },
                Arg::MapValueOrNull if matches!(&v, Reg::Scalar(s, _) if s.as_const() == Some(0)) =>
                    {}
                Arg::MapKey | Arg::MapValue | Arg::UninitMapValue | Arg::MapValueOrNull => {
                    let Some(m) = map else {
                        return Err(unsafe_at(pc, "invalid map_ptr to access map->key".into()));
                    };
                    let info = &self.maps[m as usize];
                    let n = if *arg == Arg::MapKey {
                        info.key_size
                    } else {
                        info.value_size
                    };
                    let w = *arg == Arg::UninitMapValue;
                    self.helper_mem(pc, st, r, n as i64, n as i64, w, false)?;
                    if id == 1 && *arg == Arg::MapKey {
                        const_key = self.constant_map_key(st, r, m);
                    }
                }
                Arg::Mem { or_null } | Arg::UninitMem { or_null } | Arg::MemRw { or_null } => {
                    let w = matches!(arg, Arg::UninitMem { .. } | Arg::MemRw { .. });
                    let sz = st.reg(r + 1).clone();
                    let (lo, hi) = match &sz {
                        Reg::Scalar(s, _) => {
                            if (s.smin as i64) < 0 {
                                return Err(unsafe_at(pc, format!("R{} min value is negative, either use unsigned or 'var &= const'", r + 1)));
                            }
                            if s.umax >= MAX_VAR_OFF as u64 {
                                return Err(unsafe_at(pc, format!("R{} unbounded memory access, use 'var &= const' or 'if (var < const)'", r + 1)));
                            }
                            (s.umin as i64, s.umax as i64)
                        }
                        Reg::Uninit => return Err(unsafe_at(pc, format!("R{} !read_ok", r + 1))),
                        Reg::Ptr(_) => {
                            return Err(unsafe_at(
                                pc,
                                format!("R{} type={} expected=scalar", r + 1, reg_name(&sz)),
                            ))
                        }
                    };
                    if proto.args.get(i + 1) == Some(&Arg::ConstSize) && hi == 0 {
                        return Err(unsafe_at(pc, format!("R{} invalid zero-sized read", r + 1)));
                    }
                    msize_max = hi;
                    if let Reg::Scalar(s, _) = &v {
                        if or_null && s.as_const() == Some(0) && hi == 0 {
                            continue;
                        }
                        return Err(expect("fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_"));
                    }
                    // A size that may be zero still needs the pointer inside its region
                    // (the kernel checks the bounds of a zero-sized access too).
                    self.helper_mem(pc, st, r, lo, hi, w, or_null)?;
                }
                Arg::FixedMem { size } | Arg::FixedMemRw { size } if matches!(&v, Reg::Ptr(p) if matches!(p.kind, Kind::Stack(_)) && (p.off as i64 + p.var.var_off.value as i64).rem_euclid(size as i64) != 0) =>
                {
                    let p = v.as_ptr().expect("matched a pointer");
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "misaligned stack access off (0x0; 0x0)+{}+0 size {size}",
                            p.off
                        ),
                    ));
                }
                Arg::FixedMem { size } | Arg::FixedMemRw { size } => {
                    self.helper_mem(pc, st, r, size as i64, size as i64, true, false)?
                }
                Arg::FixedMemRo { size } => {
                    self.helper_mem(pc, st, r, size as i64, size as i64, false, false)?
                }
                Arg::ConstSize | Arg::ConstSizeOrZero => {
                    if !matches!(v, Reg::Scalar(..)) {
                        return Err(expect("scalar"));
                    }
                }
                Arg::ConstAllocSizeOrZero => match v.as_scalar().and_then(|s| s.as_const()) {
                    Some(c) => alloc_size = c as u32,
                    None => return Err(unsafe_at(pc, format!("R{r} is not a known constant'"))),
                },
                Arg::Ctx { or_null } => match &v {
                    Reg::Ptr(p) if p.kind == Kind::Ctx => {
                        if p.off != 0 || p.var.as_const() != Some(0) {
                            return Err(unsafe_at(
                                pc,
                                format!(
                                    "dereference of modified ctx ptr R{r} off={} disallowed",
                                    p.off
                                ),
                            ));
                        }
                    }
                    Reg::Scalar(s, _) if or_null && s.as_const() == Some(0) => {}
                    _ => return Err(expect("ctx")),
                },
                Arg::Socket { or_null } => match &v {
                    Reg::Ptr(p)
                        if matches!(p.kind, Kind::Socket | Kind::TcpSock | Kind::BtfId)
                            && !p.or_null => {}
                    Reg::Scalar(s, _) if or_null && s.as_const() == Some(0) => {}
                    _ => return Err(expect("sock")),
                },
                Arg::BtfIdSockCommonOrNull if matches!(&v, Reg::Scalar(s, _) if s.as_const() == Some(0)) =>
                    {}
                Arg::SockCommon | Arg::BtfIdSockCommon | Arg::BtfIdSockCommonOrNull => match &v {
                    Reg::Ptr(p)
                        if matches!(
                            p.kind,
                            Kind::Socket
                                | Kind::SockCommon
                                | Kind::TcpSock
                                | Kind::BtfId
                                | Kind::XdpSock
                        ) && !p.or_null => {}
                    _ => return Err(expect("sock_common")),
                },
                Arg::BtfId { .. } | Arg::PercpuBtfId | Arg::Kptr => match &v {
                    Reg::Ptr(p) if !p.or_null || matches!(arg, Arg::BtfId { or_null: true }) => {}
                    Reg::Scalar(s, _)
                        if matches!(arg, Arg::BtfId { or_null: true })
                            && s.as_const() == Some(0) => {}
                    _ => return Err(expect("ptr_")),
                },
                Arg::SpinLock | Arg::Timer => match &v {
                    Reg::Ptr(p)
                        if matches!(p.kind, Kind::MapValue(_) | Kind::BtfId) && !p.or_null => {}
                    _ => return Err(expect("map_value")),
                },
                Arg::Func => match &v {
                    Reg::Ptr(p) if matches!(p.kind, Kind::Func(_)) => {
                        if let Kind::Func(t) = p.kind {
                            callback = Some(t);
                        }
                    }
                    _ => return Err(expect("func")),
                },
                Arg::StackOrNull => match &v {
                    Reg::Ptr(p) if matches!(p.kind, Kind::Stack(_)) => {}
                    Reg::Scalar(s, _) if s.as_const() == Some(0) => {}
                    _ => return Err(expect("fp")),
                },
                Arg::ConstStr => match &v {
                    Reg::Ptr(p) if matches!(p.kind, Kind::MapValue(_)) => {}
                    _ => return Err(expect("map_value")),
                },
                Arg::RingbufMem => match &v {
                    Reg::Ptr(p)
                        if matches!(p.kind, Kind::Mem { ringbuf: true, .. }) && !p.or_null =>
                    {
                        if p.off != 0 || p.var.as_const() != Some(0) {
                            return Err(unsafe_at(
                                pc,
                                format!("R{r} must have zero offset when passed to release func"),
                            ));
                        }
                        released = Some(p.ref_id);
                    }
                    _ => return Err(expect("ringbuf_mem")),
                },
                Arg::Dynptr | Arg::DynptrUninit => match &v {
                    Reg::Ptr(p) if matches!(p.kind, Kind::Stack(_)) => {}
                    _ => return Err(expect("fp")),
                },
            }
            if proto.release == Some(i as u8) && released.is_none() {
                if let Reg::Ptr(p) = &v {
                    released = Some(p.ref_id);
                }
            }
        }
        if id == 93 || id == 94 {
            self.spin_lock(pc, st, id)?;
        }
        if let Some(m) = map {
            let mt = self.maps[m as usize].map_type;
            if !map_helper_compatible(mt, id) {
                return Err(unsafe_at(
                    pc,
                    format!(
                        "cannot pass map_type {mt} into func {}#{id}",
                        helper_name(id)
                    ),
                ));
            }
        }
        if id == 81 && st.reg(2).as_scalar().and_then(|s| s.as_const()) != Some(0) {
            return Err(unsafe_at(
                pc,
                "get_local_storage() doesn't support non-zero flags".into(),
            ));
        }
        // Casts of a socket keep the reference of their argument.
        let inherited = if matches!(id, 95 | 96 | 136..=140 | 178 | 196) {
            st.reg(1).as_ptr().map(|p| p.ref_id).unwrap_or(0)
        } else {
            0
        };
        if let Some(rid) = released {
            if proto.release.is_some() {
                let Some(pos) = st.refs.iter().position(|(i, _)| *i == rid && rid != 0) else {
                    return Err(unsafe_at(
                        pc,
                        "release kernel function bpf_x expects refcounted PTR_TO_BTF_ID".replace(
                            "kernel function bpf_x expects refcounted PTR_TO_BTF_ID",
                            "reference has not been acquired before",
                        ),
                    ));
                };
                st.refs.remove(pos);
                let priv_ = !self.opts.unprivileged;
                st.for_each_reg_mut(
                    |reg| matches!(reg, Reg::Ptr(p) if p.ref_id == rid),
                    |reg| {
                        if matches!(reg, Reg::Ptr(p) if p.ref_id == rid) {
                            *reg = if priv_ { Reg::unknown() } else { Reg::Uninit };
                        }
                    },
                );
            }
        }
        // A callback's arguments, taken before r1-r5 are clobbered.
        let callback_args: Option<[Reg; 5]> = callback.map(|_| {
            let arg = |r: u8| st.reg(r).clone();
            let mut a: [Reg; 5] = Default::default();
            match id {
                181 => {
                    a[0] = unknown_sized(4);
                    a[1] = arg(3);
                }
                164 => {
                    let m = map.unwrap_or(0);
                    a[0] = Reg::Ptr(Ptr::new(Kind::MapPtr(m)));
                    a[1] = Reg::Ptr(Ptr::new(Kind::MapKey(m)));
                    a[2] = Reg::Ptr(Ptr::new(Kind::MapValue(m)));
                    a[3] = arg(3);
                }
                170 => {
                    let m = map.unwrap_or(0);
                    a[0] = Reg::Ptr(Ptr::new(Kind::MapPtr(m)));
                    a[1] = Reg::Ptr(Ptr::new(Kind::MapKey(m)));
                    a[2] = Reg::Ptr(Ptr::new(Kind::MapValue(m)));
                }
                180 => {
                    a[0] = Reg::Ptr(Ptr::new(Kind::BtfId));
                    a[1] = Reg::Ptr(Ptr::new(Kind::BtfId));
                    a[2] = arg(4);
                }
                _ => {
                    a[0] = Reg::Ptr(Ptr::new(Kind::Stack(st.frames.len() as u8 - 1)));
                    a[1] = arg(3);
                }
            }
            a
        });
        for r in 1..=5 {
            st.set(r, Reg::Uninit);
        }
        if proto.changes_pkt_data {
            let pkt = |reg: &Reg| matches!(reg, Reg::Ptr(p) if p.kind.is_packet() || p.kind == Kind::PacketEnd);
            st.for_each_reg_mut(pkt, |reg| {
                if pkt(reg) {
                    *reg = Reg::unknown();
                }
            });
        }
        let r0 = match proto.ret {
            // get_stack, get_task_stack and the probe_read_*_str helpers return at most the
            // buffer's size, or a negative errno (the kernel's `do_refine_retval_range`).
            Ret::Integer if matches!(id, 45 | 67 | 114 | 115 | 141) => {
                let mut s = Scalar::unknown(&0u64);
                s.smin = (-4095i64) as u64;
                s.smax = msize_max as u64;
                s.s32_min = (-4095i32) as u32;
                s.s32_max = msize_max as u32;
                Reg::scalar(s.sync())
            }
            // The CPU number is below the kernel's nr_cpu_ids.
            Ret::Integer if id == 8 => {
                let mut s = Scalar::unknown(&0u64);
                s.umax = self.opts.nr_cpus.saturating_sub(1) as u64;
                Reg::scalar(s.sync())
            }
            Ret::Integer => Reg::unknown(),
            Ret::Void => Reg::Uninit,
            Ret::MapValueOrNull | Ret::MapValue => {
                let m = map.unwrap_or(0);
                let mt = self.maps.get(m as usize).map(|i| i.map_type).unwrap_or(0);
                let kind = match (mt, self.inner.get(m as usize).copied().flatten()) {
                    (12 | 13, Some(inner)) => Kind::MapPtr(inner),
                    // A map of maps whose inner map is not known: an opaque pointer.
                    (12 | 13, None) => Kind::BtfId,
                    (15 | 18, _) => Kind::Socket,
                    (17, _) => Kind::XdpSock,
                    _ => Kind::MapValue(m),
                };
                let mut p = Ptr::new(kind);
                // A lookup in an array map with a constant key below max_entries finds a
                // value (the kernel's `can_elide_value_nullness`, Linux 6.14).
                let in_range = const_key.is_some_and(|k| {
                    (k as i64) >= 0
                        && k < self
                            .maps
                            .get(m as usize)
                            .map(|i| i.max_entries as u64)
                            .unwrap_or(0)
                });
                let spin_lock = self
                    .maps
                    .get(m as usize)
                    .is_some_and(|i| i.spin_lock_off.is_some());
                if proto.ret == Ret::MapValueOrNull && !in_range {
                    p.or_null = true;
                    p.id = self.fresh_id();
                } else if spin_lock {
                    // A value with a lock needs an id to tell which lock is held.
                    p.id = self.fresh_id();
                }
                Reg::Ptr(p)
            }
            Ret::SocketOrNull
            | Ret::TcpSockOrNull
            | Ret::SockCommonOrNull
            | Ret::AllocMemOrNull => {
                let kind = match proto.ret {
                    Ret::SocketOrNull => Kind::Socket,
                    Ret::TcpSockOrNull => Kind::TcpSock,
                    Ret::SockCommonOrNull => Kind::SockCommon,
                    _ => Kind::Mem {
                        size: alloc_size,
                        ringbuf: true,
                        rdonly: false,
                    },
                };
                let mut p = Ptr::new(kind);
                p.or_null = true;
                p.id = self.fresh_id();
                Reg::Ptr(p)
            }
            Ret::MemOrBtfId { or_null } | Ret::BtfId { or_null } | Ret::Mem { or_null } => {
                let mut p = Ptr::new(Kind::BtfId);
                if or_null {
                    p.or_null = true;
                    p.id = self.fresh_id();
                }
                Reg::Ptr(p)
            }
        };
        let sock_map_lookup =
            id == 1 && map.is_some_and(|m| matches!(self.maps[m as usize].map_type, 15 | 18));
        let r0 = match r0 {
            Reg::Ptr(mut p) if inherited != 0 => {
                p.ref_id = inherited;
                Reg::Ptr(p)
            }
            other => other,
        };
        let r0 = if proto.acquire || sock_map_lookup {
            match r0 {
                Reg::Ptr(mut p) => {
                    // The acquiring pointer's id is its reference (a null check of it
                    // releases the reference; one of a derived pointer does not).
                    let rid = if p.id != 0 { p.id } else { self.fresh_id() };
                    p.ref_id = rid;
                    st.refs.push((rid, pc));
                    Reg::Ptr(p)
                }
                other => other,
            }
        } else {
            r0
        };
        st.set(0, r0);
        if let (Some(t), Some(args)) = (callback, callback_args) {
            // The callback runs as a call from here; its exit returns after the helper.
            if st.frames.len() >= 8 {
                return Err(unsafe_at(
                    pc,
                    format!(
                        "the call stack of {} frames is too deep",
                        st.frames.len() + 1
                    ),
                ));
            }
            let ret = if id == 170 { (0, 0) } else { (0, 1) };
            let depth = st.frames.len() as u8;
            st.frames
                .push(Frame::callback(t as usize, pc, depth, Box::new(args), ret));
            return Ok(Next::Goto(t as usize));
        }
        Ok(Next::Goto(next))
    }

    /// A helper's access to `[ptr, ptr + n)` for every n in `lo..=hi` (read, or write).
    #[allow(clippy::too_many_arguments)]
    fn helper_mem(
        &mut self,
        pc: usize,
        st: &mut State,
        r: u8,
        _lo: i64,
        hi: i64,
        write: bool,
        null_ok: bool,
    ) -> R<()> {
        let v = self.read(pc, st, r)?.clone();
        let p = match &v {
            Reg::Ptr(p) if !p.or_null || null_ok => p.clone(),
            _ => {
                return Err(unsafe_at(
                    pc,
                    format!("R{r} type={} expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_", reg_name(&v)),
                ))
            }
        };
        if let Kind::MapValue(m) = p.kind {
            let lo = p.off as i64 + p.var.smin as i64;
            let top = p.off as i64 + p.var.umax.min(1 << 30) as i64 + hi;
            if self.maps[m as usize]
                .kptrs
                .iter()
                .any(|(k, _, _)| lo < *k as i64 + 8 && top > *k as i64)
            {
                return Err(unsafe_at(
                    pc,
                    "kptr cannot be accessed indirectly by helper".into(),
                ));
            }
        }
        match p.kind {
            Kind::Stack(depth) => {
                let base = p.off as i64;
                let (lo, top) = match p.var.as_const() {
                    Some(c) => (base + c as i64, base + c as i64 + hi),
                    None => (base + p.var.smin as i64, base + p.var.smax as i64 + hi),
                };
                if lo < -STACK || top > 0 || (p.var.smin as i64) <= -MAX_VAR_OFF {
                    return Err(unsafe_at(
                        pc,
                        format!("invalid indirect access to stack R{r} off={lo} size={hi}"),
                    ));
                }
                let Some(frame) = st.frames.get_mut(depth as usize) else {
                    return Err(unsafe_at(pc, format!("R{r} invalid stack frame")));
                };
                let sub = self.cfg.subprog_of[frame.subprog];
                self.stack_depth[sub] = self.stack_depth[sub].max((-lo) as u32);
                self.slots_frame = depth;
                for o in lo..top {
                    // Helpers may read what they are given, even memory they write.
                    self.reads |= 1u64 << (((-o - 1) / 8) as u64).min(63);
                    let b = frame.byte(o);
                    if !write
                        && (b == Byte::Invalid && !self.opts.unprivileged
                            || b == Byte::Spill && frame.spilled_ptr(o))
                    {
                        self.machine_dependent += 1;
                    }
                    if !write && b == Byte::Invalid && self.opts.unprivileged {
                        return Err(unsafe_at(
                            pc,
                            format!(
                                "invalid indirect read from stack R{r} off {lo}+{} size {hi}",
                                o - lo
                            ),
                        ));
                    }
                    if write || b == Byte::Invalid {
                        set_byte(frame, o, Byte::Misc);
                    }
                }
                Ok(())
            }
            _ => {
                // Other memory: the same bounds as a direct access of `hi` bytes.
                if hi > 0 {
                    let acc = if write { Access::Write } else { Access::Read };
                    let val = write.then(|| (Reg::unknown(), false));
                    self.mem_bytes(pc, st, r, hi as usize, acc, val)?;
                }
                Ok(())
            }
        }
    }

    fn mem_bytes(
        &mut self,
        pc: usize,
        st: &mut State,
        r: u8,
        n: usize,
        acc: Access,
        val: Option<(Reg, bool)>,
    ) -> R<()> {
        // A direct access of n bytes at offset 0 checks the same bounds, except for the
        // stack's alignment and spill rules, which `helper_mem` handles itself.
        let p = st.reg(r).as_ptr().cloned();
        if let Some(p) = p {
            // Helpers take no memory through the context or a map itself.
            if matches!(p.kind, Kind::Ctx | Kind::MapPtr(_)) {
                return Err(unsafe_at(pc, format!("R{r} type={} expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_", reg_name(st.reg(r)))));
            }
        }
        self.mem(pc, st, r, 0, n, acc, val).map(|_| ())
    }

    /// A load or store that touches a kptr field of a map value: only whole, aligned,
    /// 8-byte accesses; stores of null or (unreferenced fields) a kernel pointer. A load
    /// gives a kernel pointer that may be null. `None` when no kptr field is touched.
    fn kptr_access(
        &mut self,
        pc: usize,
        info: &crate::MapInfo,
        p: &Ptr,
        off: i64,
        size: usize,
        value: &Option<(Reg, bool)>,
    ) -> R<Option<Reg>> {
        let lo = p.off as i64 + off + p.var.smin as i64;
        let hi = p.off as i64 + off + p.var.umax.min(1 << 30) as i64 + size as i64;
        let Some(&(k, referenced, target_size)) = info
            .kptrs
            .iter()
            .find(|(k, _, _)| lo < *k as i64 + 8 && hi > *k as i64)
        else {
            return Ok(None);
        };
        if p.var.as_const().is_none() {
            return Err(unsafe_at(
                pc,
                "kptr access cannot have variable offset".into(),
            ));
        }
        if size != 8 {
            return Err(unsafe_at(pc, "kptr access size must be BPF_DW".into()));
        }
        if lo != k as i64 {
            return Err(unsafe_at(
                pc,
                format!("kptr access misaligned expected={k} off={lo}"),
            ));
        }
        match value {
            None => {
                let mut r = self.nullable(Kind::BtfId);
                if let Reg::Ptr(q) = &mut r {
                    q.btf_size = target_size;
                    q.untrusted = true;
                }
                Ok(Some(r))
            }
            Some((v, is_imm)) => {
                let null = matches!(v, Reg::Scalar(s, _) if s.as_const() == Some(0));
                if *is_imm && !null {
                    return Err(unsafe_at(
                        pc,
                        format!("BPF_ST imm must be 0 when storing to kptr at off={k}"),
                    ));
                }
                if referenced {
                    return Err(unsafe_at(pc, "store to referenced kptr disallowed".into()));
                }
                if let Reg::Ptr(q) = v {
                    if q.var.as_const() != Some(0) {
                        return Err(unsafe_at(
                            pc,
                            format!(
                                "variable untrusted_ptr_ access var_off={} disallowed",
                                q.var.var_off.log()
                            ),
                        ));
                    }
                }
                if matches!(v, Reg::Ptr(q) if q.untrusted) {
                    return Err(unsafe_at(
                        pc,
                        "invalid kptr access, R type=untrusted_ptr_ expected=ptr_".into(),
                    ));
                }
                if !null && !matches!(v, Reg::Ptr(q) if q.kind == Kind::BtfId) {
                    return Err(unsafe_at(
                        pc,
                        format!("invalid kptr access, R type={} expected=ptr_", reg_name(v)),
                    ));
                }
                Ok(Some(Reg::Uninit))
            }
        }
    }

    /// bpf_spin_lock (93) and bpf_spin_unlock (94) on the map value in r1.
    fn spin_lock(&mut self, pc: usize, st: &mut State, id: u32) -> R<()> {
        let Some(p) = st.reg(1).as_ptr().cloned() else {
            return Err(unsafe_at(pc, "R1 type=scalar expected=map_value".into()));
        };
        let (m, lock_off) = match p.kind {
            Kind::MapValue(m) => (m, self.maps[m as usize].spin_lock_off),
            _ => (0, None),
        };
        let Some(l) = lock_off else {
            return Err(unsafe_at(pc, "map has no valid bpf_spin_lock".into()));
        };
        let off = match p.var.as_const() {
            Some(c) => p.off as i64 + c as i64,
            None => return Err(unsafe_at(
                pc,
                "R1 doesn't have constant offset. bpf_spin_lock has to be at the constant offset"
                    .into(),
            )),
        };
        if off != l as i64 {
            return Err(unsafe_at(
                pc,
                format!("off {off} doesn't point to 'struct bpf_spin_lock' that is at {l}"),
            ));
        }
        let key = (m, p.id, off as i32);
        if id == 93 {
            if st.lock.is_some() {
                return Err(unsafe_at(
                    pc,
                    "Locking two bpf_spin_locks are not allowed".into(),
                ));
            }
            st.lock = Some(key);
        } else {
            match st.lock {
                None => {
                    return Err(unsafe_at(
                        pc,
                        "bpf_spin_unlock without taking a lock".into(),
                    ))
                }
                Some(k) if k != key => {
                    return Err(unsafe_at(pc, "bpf_spin_unlock of different lock".into()))
                }
                _ => st.lock = None,
            }
        }
        Ok(())
    }

    /// A call of a global function: the arguments must match its prototype; it returns
    /// an unknown scalar (its body is verified on its own).
    fn global_call(&mut self, pc: usize, st: &mut State, g: &crate::program::GlobalFunc) -> R<()> {
        if st.lock.is_some() {
            return Err(unsafe_at(
                pc,
                "function calls are not allowed while holding a lock".into(),
            ));
        }
        for (i, a) in g.args.iter().take(5).enumerate() {
            let r = (i + 1) as u8;
            let v = self.read(pc, st, r)?.clone();
            match (a, &v) {
                (crate::program::GlobalArg::Scalar, Reg::Scalar(..)) => {}
                (crate::program::GlobalArg::Ctx, Reg::Ptr(p)) if p.kind == Kind::Ctx => {}
                (crate::program::GlobalArg::Mem { .. }, Reg::Scalar(s, _))
                    if s.as_const() == Some(0) =>
                {
                    self.uses |= 1 << r;
                }
                (crate::program::GlobalArg::Mem { size }, Reg::Ptr(_)) => {
                    self.helper_mem(pc, st, r, *size as i64, *size as i64, false, false)?;
                }
                _ => {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "R{r} type={} does not match the argument of the global function",
                            reg_name(&v)
                        ),
                    ));
                }
            }
        }
        for r in 1..=5 {
            st.set(r, Reg::Uninit);
        }
        st.set(0, Reg::unknown());
        Ok(())
    }

    fn local_call(&mut self, pc: usize, st: &mut State, target: usize) -> R<()> {
        if st.lock.is_some() {
            return Err(unsafe_at(
                pc,
                "function calls are not allowed while holding a lock".into(),
            ));
        }
        if st.frames.len() >= 8 {
            return Err(unsafe_at(
                pc,
                format!(
                    "the call stack of {} frames is too deep",
                    st.frames.len() + 1
                ),
            ));
        }
        let depth = st.frames.len() as u8;
        let mut f = Frame::new(target, pc, depth);
        for r in 1..=5 {
            f.regs[r] = st.reg(r as u8).clone();
        }
        st.frames.push(f);
        Ok(())
    }

    fn exit(&mut self, pc: usize, st: &mut State) -> R<Next> {
        if st.frames.len() > 1 {
            // A subprogram may return without setting r0; the caller then cannot read it.
            let r0 = st.reg(0).clone();
            // Only the callee's own stack dies with it, but the kernel refuses every stack
            // pointer here.
            if matches!(&r0, Reg::Ptr(p) if matches!(p.kind, Kind::Stack(_))) {
                return Err(unsafe_at(
                    pc,
                    "cannot return stack pointer to the caller".into(),
                ));
            }
            if let Some((lo, hi)) = st.cur().callback_ret {
                self.uses |= 1;
                let ok = matches!(&r0, Reg::Scalar(s, _) if (s.smin as i64) >= lo && (s.smax as i64) <= hi);
                if !ok {
                    let what = match &r0 {
                        Reg::Scalar(s, _) => {
                            format!("smin={} smax={}", s.smin as i64, s.smax as i64)
                        }
                        other => format!("type {}", reg_name(other)),
                    };
                    return Err(unsafe_at(pc, format!("At callback return the register R0 has {what} should have been in [{lo}, {hi}]")));
                }
                let callee = st.frames.pop().expect("more than one frame");
                // The helper may call the callback again, with the state this invocation
                // left: explore that too, until the entry states stop growing.
                let mut again = st.clone();
                let args = callee.callback_args.clone().unwrap_or_default();
                let depth = st.frames.len() as u8;
                again.frames.push(Frame::callback(
                    callee.subprog,
                    callee.callsite,
                    depth,
                    args,
                    (lo, hi),
                ));
                return Ok(Next::Fork(
                    callee.callsite + 1,
                    Box::new(again),
                    callee.subprog,
                ));
            }
            let callee = st.frames.pop().expect("more than one frame");
            let caller = st.cur_mut();
            caller.regs[0] = r0;
            for r in 1..=5 {
                caller.regs[r] = Reg::Uninit;
            }
            return Ok(Next::Goto(callee.callsite + 1));
        }
        let r0 = self.read(pc, st, 0)?.clone();
        if st.cur().subprog != 0 {
            // The end of a global function verified on its own.
            if !matches!(r0, Reg::Scalar(..)) {
                return Err(unsafe_at(
                    pc,
                    format!(
                        "At subprogram exit the register R0 is not a scalar value ({})",
                        reg_name(&r0)
                    ),
                ));
            }
            if let Some((id, at)) = st.refs.first() {
                return Err(unsafe_at(
                    pc,
                    format!("Unreleased reference id={id} alloc_insn={at}"),
                ));
            }
            return Ok(Next::Done);
        }
        if st.lock.is_some() {
            return Err(unsafe_at(
                pc,
                "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region"
                    .into(),
            ));
        }
        if let Some((id, at)) = st.refs.first() {
            return Err(unsafe_at(
                pc,
                format!("Unreleased reference id={id} alloc_insn={at}"),
            ));
        }
        let range = match (self.prog.prog_type, self.prog.expected_attach_type) {
            (8, 1) => Some((0, 3)),
            (9 | 8 | 13 | 15 | 23 | 25 | 30, _) => Some((0, 1)),
            (18, 18 | 19 | 29..=35) => Some((1, 1)),
            (18, 8 | 9) => Some((0, 3)),
            (18, _) => Some((0, 1)),
            _ => None,
        };
        if let Some((lo, hi)) = range {
            self.uses |= 1;
            match &r0 {
                Reg::Scalar(s, _) => {
                    if (s.smin as i64) < lo || (s.smax as i64) > hi {
                        return Err(unsafe_at(
                            pc,
                            format!("At program exit the register R0 has smin={} smax={} should have been in [{lo}, {hi}]", s.smin as i64, s.smax as i64),
                        ));
                    }
                }
                other => {
                    return Err(unsafe_at(
                        pc,
                        format!(
                            "At program exit the register R0 is not a known value ({})",
                            reg_name(other)
                        ),
                    ));
                }
            }
        } else if matches!(r0, Reg::Ptr(_)) {
            if self.opts.unprivileged {
                return Err(unsafe_at(pc, "R0 leaks addr as return value".into()));
            }
            self.machine_dependent += 1;
        }
        Ok(Next::Done)
    }

    pub(crate) fn check_stack_depth(&self) -> R<()> {
        // The deepest chain of calls, with each frame rounded up as the kernel does: to 16
        // bytes when the program is to be JIT-compiled, else to 32 bytes and at least 32.
        let n = self.cfg.subprogs.len();
        let mut calls: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (pc, ins) in self.cfg.insns.iter().enumerate() {
            if let Some(Instruction::Call(Call::Local(imm))) = ins {
                let t = (pc as i64 + 1 + *imm as i64) as usize;
                let callee = self.cfg.subprog_of[t];
                calls[self.cfg.subprog_of[pc]].push(callee);
            }
        }
        let jit = self.opts.jit;
        let round = |d: u32| {
            if jit {
                d.div_ceil(16) * 16
            } else {
                d.max(1).div_ceil(32) * 32
            }
        };
        fn deepest(
            s: usize,
            calls: &[Vec<usize>],
            depth: &[u32],
            round: &dyn Fn(u32) -> u32,
            seen: &mut Vec<bool>,
        ) -> u32 {
            if seen[s] {
                return 0;
            }
            seen[s] = true;
            let below = calls[s]
                .iter()
                .map(|c| deepest(*c, calls, depth, round, seen))
                .max()
                .unwrap_or(0);
            seen[s] = false;
            round(depth[s]) + below
        }
        // Frames on the longest chain of calls, dead code included; recursion never ends.
        fn frames(s: usize, calls: &[Vec<usize>], on_path: &mut Vec<bool>) -> u32 {
            if on_path[s] {
                return 9;
            }
            on_path[s] = true;
            let below = calls[s]
                .iter()
                .map(|c| frames(*c, calls, on_path))
                .max()
                .unwrap_or(0);
            on_path[s] = false;
            (1 + below).min(9)
        }
        let chain = frames(0, &calls, &mut vec![false; n]);
        if chain > 8 {
            return Err(unsafe_at(
                0,
                "the call stack of 8 frames is too deep !".into(),
            ));
        }
        let total = deepest(0, &calls, &self.stack_depth, &round, &mut vec![false; n]);
        if total > STACK as u32 {
            return Err(unsafe_at(
                0,
                format!("combined stack size of {} calls is {total}. Too large", n),
            ));
        }
        Ok(())
    }
}

fn src_num(s: Source) -> u8 {
    match s {
        Source::Reg(r) => r.num(),
        Source::Imm(_) => 0,
    }
}

fn set_byte(frame: &mut Frame, o: i64, b: Byte) {
    let k = ((-o - 1) / 8) as u16;
    let mut slot = frame.slot(k);
    if slot.spill.is_some() {
        // A partial overwrite ends the spill; its other bytes become unknown.
        for x in slot.bytes.iter_mut() {
            if *x == Byte::Spill {
                *x = Byte::Misc;
            }
        }
        slot.spill = None;
    }
    slot.bytes[o.rem_euclid(8) as usize] = b;
    frame.stack.insert(k, slot);
}

/// Sets register `r` (and every copy linked to it by `id`) to `s`.
fn refine(st: &mut State, r: u8, id: u32, s: Scalar<u64>) {
    if id != 0 {
        st.for_each_reg_mut(
            |reg| matches!(reg, Reg::Scalar(_, i) if *i == id),
            |reg| {
                if matches!(reg, Reg::Scalar(_, i) if *i == id) {
                    *reg = Reg::Scalar(s, id);
                }
            },
        );
    }
    st.set(r, Reg::Scalar(s, id));
}

/// After a null check: the pointers with `id` are null (scalar 0) or valid.
fn mark_null(st: &mut State, id: u32, ref_id: u32, is_null: bool) {
    if id == 0 {
        return;
    }
    st.for_each_reg_mut(
        |reg| matches!(reg, Reg::Ptr(p) if p.id == id && p.or_null),
        |reg| {
            if let Reg::Ptr(p) = reg {
                if p.id == id && p.or_null {
                    if is_null {
                        *reg = Reg::constant(0);
                    } else {
                        p.or_null = false;
                    }
                }
            }
        },
    );
    if is_null && ref_id != 0 && ref_id == id {
        st.refs.retain(|(i, _)| *i != ref_id);
    }
}

fn pkt_pair(a: &Ptr, b: &Ptr) -> bool {
    (a.kind == Kind::Packet && b.kind == Kind::PacketEnd)
        || (a.kind == Kind::PacketEnd && b.kind == Kind::Packet)
        || (a.kind == Kind::PacketMeta && b.kind == Kind::Packet)
        || (a.kind == Kind::Packet && b.kind == Kind::PacketMeta)
}

/// For `if pkt' cond end` (`dst_is_pkt`) or `if end cond pkt'`: the edge on which
/// `pkt' <= end` holds (`true`: taken), and whether it is strict (`pkt' < end`).
fn pkt_rule(cond: JmpCond, dst_is_pkt: bool) -> Option<(bool, bool)> {
    use JmpCond::*;
    Some(match (cond, dst_is_pkt) {
        (Gt, true) => (false, false),
        (Lt, false) => (false, false),
        (Lt, true) => (true, true),
        (Gt, false) => (true, true),
        (Ge, true) => (false, true),
        (Le, false) => (false, true),
        (Le, true) => (true, false),
        (Ge, false) => (true, false),
        _ => return None,
    })
}

/// Every packet pointer with the same id as `pkt` may now access up to `pkt.off` bytes
/// (one more when the comparison was strict).
fn grow_range(st: &mut State, pkt: &Ptr, open: bool) {
    if pkt.off < 0 || (pkt.off == 0 && open) {
        return;
    }
    if pkt.var.umax > 0xffff || pkt.var.umax as i64 + pkt.off as i64 > 0xffff {
        return;
    }
    let range = pkt.off + if open { 1 } else { 0 };
    let (kind, id) = (pkt.kind, pkt.id);
    st.for_each_reg_mut(
        |reg| matches!(reg, Reg::Ptr(p) if p.kind == kind && p.id == id),
        |reg| {
            if let Reg::Ptr(p) = reg {
                if p.kind == kind && p.id == id {
                    p.range = p.range.max(range);
                }
            }
        },
    );
}

/// Which helpers may take which map types (the kernel's `check_map_func_compatibility`, in
/// both directions, for the map types with restrictions).
fn map_helper_compatible(map_type: u32, helper: u32) -> bool {
    let for_map: Option<&[u32]> = match map_type {
        3 => Some(&[12]),
        4 => Some(&[22, 25, 55, 111, 121]),
        7 => Some(&[27]),
        19 | 21 => Some(&[81]),
        27 => Some(&[130, 131, 132, 133, 134, 198, 199, 200]),
        24 => Some(&[107, 108]),
        _ => None,
    };
    if let Some(list) = for_map {
        if !list.contains(&helper) {
            return false;
        }
    }
    let for_helper: Option<&[u32]> = match helper {
        12 => Some(&[3]),
        22 | 25 | 55 | 111 | 121 => Some(&[4]),
        27 | 67 => Some(&[7]),
        81 => Some(&[19, 21]),
        130..=134 => Some(&[27]),
        107 | 108 => Some(&[24]),
        _ => None,
    };
    for_helper.is_none_or(|l| l.contains(&map_type))
}

/// Loads allowed from `struct bpf_sock` (a full socket, or only its `sock_common` fields),
/// `struct bpf_tcp_sock` and `struct bpf_xdp_sock`.
fn sock_field_ok(kind: Kind, off: i64, size: usize) -> bool {
    let size = size as i64;
    if off < 0 || off % size != 0 {
        return false;
    }
    match kind {
        Kind::TcpSock => off + size <= 96 && (size == 4 || (size == 8 && off >= 80)),
        Kind::XdpSock => off == 0 && size == 4,
        _ => {
            // Addresses may be read narrowly; the port only in its first two bytes; every
            // other field whole.
            let addr =
                (24..28).contains(&off) || (28..44).contains(&off) || (52..72).contains(&off);
            let narrow = matches!(off & !3, 4 | 8 | 12 | 44 | 72 | 76);
            let ok = if addr || narrow {
                size <= 4
            } else if (48..52).contains(&off) {
                off + size <= 50 || (off == 48 && size == 4)
            } else {
                size == 4 && off + 4 <= 80
            };
            let common_only = matches!(off, 4..=7 | 24..=71 | 72..=75);
            ok && (kind != Kind::SockCommon || common_only)
        }
    }
}

/// The number of bytes of a slot's spilled register (the leading `Spill` bytes).
impl Verifier<'_> {
    /// The key register `r` points to for a lookup in map `m`, where the kernel treats it as
    /// a known constant (`get_constant_map_key`): privileged, an array or per-CPU array map,
    /// a stack pointer at a constant offset, and either `key_size` zero bytes from the key
    /// up to the top of its slot, or a spilled constant scalar of exactly `key_size` bytes
    /// there (the whole spilled register's value is the key). The slot is then used
    /// precisely.
    fn constant_map_key(&mut self, st: &State, r: u8, m: u32) -> Option<u64> {
        let info = self.maps.get(m as usize)?;
        if self.opts.unprivileged || !matches!(info.map_type, 2 | 6) {
            return None;
        }
        let key_size = info.key_size as usize;
        let Reg::Ptr(p) = st.reg(r) else { return None };
        let Kind::Stack(depth) = p.kind else {
            return None;
        };
        let at = p.off as i64 + p.var.as_const()? as i64;
        if at >= 0 {
            return None;
        }
        let k = ((-at - 1) / 8) as u16;
        let first = (at + 8 * (k as i64 + 1)) as usize;
        let slot = st.frames.get(depth as usize)?.slot(k);
        let run = |b: Byte| slot.bytes[first..].iter().take_while(|x| **x == b).count();
        let key = if run(Byte::Zero) >= key_size {
            Some(0)
        } else if slot.bytes[0] != Byte::Spill || run(Byte::Spill) != key_size {
            None
        } else {
            match &slot.spill {
                Some(Reg::Scalar(s, _)) => s.as_const(),
                _ => None,
            }
        };
        if key.is_some() {
            self.slot_use = Some((depth, k.min(63) as u8));
        }
        key
    }
}

/// Whether the distance or order between two pointers is the same on every machine: both
/// into one frame's stack, one packet, the context, or copies of one pointer.
fn same_object(a: &Ptr, b: &Ptr) -> bool {
    let packet = |k: Kind| matches!(k, Kind::Packet | Kind::PacketMeta | Kind::PacketEnd);
    (packet(a.kind) && packet(b.kind))
        || (a.kind == b.kind && matches!(a.kind, Kind::Stack(_) | Kind::Ctx))
        || (a.kind == b.kind && a.id != 0 && a.id == b.id)
}

pub(crate) fn spill_len(slot: &Slot) -> usize {
    slot.bytes.iter().take_while(|b| **b == Byte::Spill).count()
}

/// Helpers that accept packet pointers (the kernel's `pkt_access`), as probed on the live
/// Linux 6.18.44 kernel: map lookup/update/delete/push, csum_diff, the socket lookups and
/// the syncookie helpers.
const PKT_ACCESS: &[u32] = &[
    1, 2, 3, 28, 84, 85, 87, 99, 100, 110, 195, 204, 205, 206, 207,
];

/// Packet pointer ranges that say where the pointer is relative to data_end (the kernel's
/// `AT_PKT_END` and `BEYOND_PKT_END`): no access through it, but later comparisons with
/// data_end are decided.
pub(crate) const AT_PKT_END: i32 = -1;
pub(crate) const BEYOND_PKT_END: i32 = -2;

/// Whether `if pkt cond end` (or `end cond pkt`, `dst_is_pkt` false) is decided by a range
/// of `AT_PKT_END` or `BEYOND_PKT_END`.
fn pkt_end_decided(range: i32, cond: JmpCond, dst_is_pkt: bool) -> Option<bool> {
    use JmpCond::*;
    if range >= 0 {
        return None;
    }
    // As `pkt cond end`.
    let cond = if dst_is_pkt {
        cond
    } else {
        match cond {
            Gt => Lt,
            Lt => Gt,
            Ge => Le,
            Le => Ge,
            c => c,
        }
    };
    match cond {
        Gt | Le if range == BEYOND_PKT_END => Some(cond == Gt),
        Lt | Ge => Some(cond == Ge),
        _ => None,
    }
}

/// The kernel's name of helper `id` (`bpf_map_lookup_elem`), from the one table in
/// `semantics`.
fn helper_name(id: u32) -> String {
    semantics::helpers::names::helper_name(id as i32).unwrap_or_else(|| format!("unknown{id}"))
}
