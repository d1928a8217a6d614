//! The bpf_conformance (uBPF) assembly syntax, both directions.
//!
//! `mov %r0, 1`, `add32 %r1, %r2`, `ldxw %r0, [%r1+4]`, `stxdw [%r10-8], %r1`,
//! `jgt %r1, 5, +2`, `jeq32 %r1, %r2, label`, `lddw %r0, 0x1122334455667788`,
//! `lock fetch add32 [%r10-4], %r1`, `lock cmpxchg [%r10-8], %r1`, `call 5`,
//! `call local f`, `call %r2`, `be16 %r0`, `bswap64 %r0`, `movsx832 %r0, %r1`, `exit`.
//! Comments start with `#`. Forms the syntax lacks are our extensions: `lddw %r1,
//! map_fd(3)` for pseudo sources, `call kfunc 12` for kfuncs, `ldabsw 12`, `ldindw %r1, 12`.

use super::cursor::{imm32, off16, strip_comment, Cursor};
use super::print::{atomic_op_str, pseudo_from_name};
use super::{AsmError, Listing, Target};
use crate::isa::*;

const ALU_NAMES: [(&str, AluOp); 14] = [
    ("add", AluOp::Add),
    ("sub", AluOp::Sub),
    ("mul", AluOp::Mul),
    ("div", AluOp::Div),
    ("sdiv", AluOp::Sdiv),
    ("or", AluOp::Or),
    ("and", AluOp::And),
    ("lsh", AluOp::Lsh),
    ("rsh", AluOp::Rsh),
    ("mod", AluOp::Mod),
    ("smod", AluOp::Smod),
    ("xor", AluOp::Xor),
    ("mov", AluOp::Mov),
    ("arsh", AluOp::Arsh),
];

const JMP_NAMES: [(&str, JmpCond); 11] = [
    ("jeq", JmpCond::Eq),
    ("jgt", JmpCond::Gt),
    ("jge", JmpCond::Ge),
    ("jset", JmpCond::Set),
    ("jne", JmpCond::Ne),
    ("jsgt", JmpCond::Sgt),
    ("jsge", JmpCond::Sge),
    ("jlt", JmpCond::Lt),
    ("jle", JmpCond::Le),
    ("jslt", JmpCond::Slt),
    ("jsle", JmpCond::Sle),
];

fn size_sfx(s: Size) -> &'static str {
    match s {
        Size::B => "b",
        Size::H => "h",
        Size::W => "w",
        Size::DW => "dw",
    }
}

fn w32(w: Width) -> &'static str {
    if w == Width::W32 {
        "32"
    } else {
        ""
    }
}

fn m(base: Reg, off: i16) -> String {
    format!("[%r{}{:+}]", base.num(), off)
}

fn src_str(s: Source) -> String {
    match s {
        Source::Reg(r) => format!("%r{}", r.num()),
        Source::Imm(v) => v.to_string(),
    }
}

/// Prints one instruction in conformance syntax with relative targets.
pub fn print(ins: &Instruction) -> String {
    use Instruction as I;
    match *ins {
        I::Alu {
            width,
            op,
            dst,
            src,
        } => {
            let name = match op {
                AluOp::MovSx8 => format!("movsx8{}", if width == Width::W64 { "64" } else { "32" }),
                AluOp::MovSx16 => {
                    format!("movsx16{}", if width == Width::W64 { "64" } else { "32" })
                }
                AluOp::MovSx32 => "movsx3264".to_string(),
                _ => format!(
                    "{}{}",
                    ALU_NAMES
                        .iter()
                        .find(|(_, o)| *o == op)
                        .map(|(n, _)| *n)
                        .unwrap_or("?"),
                    w32(width)
                ),
            };
            format!("{name} %r{}, {}", dst.num(), src_str(src))
        }
        I::Neg { width, dst } => format!("neg{} %r{}", w32(width), dst.num()),
        I::End { kind, bits, dst } => {
            let k = match kind {
                EndKind::Le => "le",
                EndKind::Be => "be",
                EndKind::Swap => "bswap",
            };
            format!("{k}{bits} %r{}", dst.num())
        }
        I::Ja { off } => format!("ja {:+}", off),
        I::JaLong { imm } => format!("ja32 {:+}", imm),
        I::Jmp {
            width,
            cond,
            dst,
            src,
            off,
        } => {
            let n = JMP_NAMES
                .iter()
                .find(|(_, c)| *c == cond)
                .map(|(n, _)| *n)
                .unwrap_or("?");
            format!(
                "{n}{} %r{}, {}, {:+}",
                w32(width),
                dst.num(),
                src_str(src),
                off
            )
        }
        I::Call(Call::Helper(n)) => format!("call {n}"),
        I::Call(Call::Local(n)) => format!("call local {:+}", n),
        I::Call(Call::Kfunc { btf_id, off: 0 }) => format!("call kfunc {btf_id}"),
        I::Call(Call::Kfunc { btf_id, off }) => format!("call kfunc {btf_id}, {off}"),
        I::CallX { reg } => format!("call %r{}", reg.num()),
        I::Exit => "exit".into(),
        I::LdImm64 {
            dst,
            pseudo: Pseudo::Imm64,
            imm,
            next_imm,
        } => {
            format!(
                "lddw %r{}, {:#x}",
                dst.num(),
                Instruction::imm64(imm, next_imm)
            )
        }
        I::LdImm64 { dst, .. } => {
            // Reuse the pseudo-C notation for the pseudo sources.
            let pc = super::print::print(ins, super::print::Flavor::Llvm);
            let args = pc
                .split_once(" = ")
                .map(|(_, r)| r.trim_end_matches(" ll").to_string())
                .unwrap_or_default();
            format!("lddw %r{}, {args}", dst.num())
        }
        I::Load {
            size,
            sign_extend,
            dst,
            src,
            off,
        } => {
            format!(
                "ldx{}{} %r{}, {}",
                if sign_extend { "s" } else { "" },
                size_sfx(size),
                dst.num(),
                m(src, off)
            )
        }
        I::Store {
            size,
            dst,
            off,
            src: Source::Reg(r),
        } => format!("stx{} {}, %r{}", size_sfx(size), m(dst, off), r.num()),
        I::Store {
            size,
            dst,
            off,
            src: Source::Imm(v),
        } => format!("st{} {}, {v}", size_sfx(size), m(dst, off)),
        I::Atomic {
            width,
            op,
            dst,
            src,
            off,
        } => {
            let name = match op {
                Atomic::Rmw { op, fetch } => {
                    format!("{}{}", if fetch { "fetch " } else { "" }, atomic_op_str(op))
                }
                Atomic::Xchg => "xchg".into(),
                Atomic::Cmpxchg => "cmpxchg".into(),
            };
            format!("lock {name}{} {}, %r{}", w32(width), m(dst, off), src.num())
        }
        I::LdAbs { size, imm } => format!("ldabs{} {imm}", size_sfx(size)),
        I::LdInd { size, src, imm } => format!("ldind{} %r{}, {imm}", size_sfx(size), src.num()),
    }
}

/// Prints a program, one instruction per line.
pub fn print_program(insns: &[Instruction]) -> String {
    insns.iter().map(|i| print(i) + "\n").collect()
}

type R<T> = Result<T, String>;

fn reg(c: &mut Cursor) -> R<Reg> {
    let (n, _) = c
        .reg_with(&["%r"])
        .ok_or_else(|| "Invalid register".to_string())?;
    Reg::new(n).ok_or_else(|| format!("Invalid register %r{n}"))
}

/// A 32-bit immediate: decimal in the signed range, or hexadecimal up to `0xffffffff`.
fn imm(c: &mut Cursor) -> R<i32> {
    c.skip_ws();
    let hex = c
        .rest
        .trim_start_matches(['-', '+'])
        .trim_start()
        .starts_with("0x");
    let v = c
        .number()
        .ok_or_else(|| format!("expected an immediate at `{}`", c.rest.trim()))?;
    let fits = if hex { imm32(v) } else { i32::try_from(v).ok() };
    fits.ok_or_else(|| format!("immediate {v} does not fit 32 bits"))
}

fn comma(c: &mut Cursor) -> R<()> {
    if c.eat(",") {
        Ok(())
    } else {
        Err("Invalid number of operands".into())
    }
}

fn memop(c: &mut Cursor) -> R<(Reg, i16)> {
    if !c.eat("[") {
        return Err("expected a memory operand `[%rN+off]`".into());
    }
    let r = reg(c)?;
    let off = if c.peek("+") || c.peek("-") {
        c.number().ok_or("expected an offset")?
    } else {
        0
    };
    if !c.eat("]") {
        return Err("expected `]`".into());
    }
    Ok((
        r,
        off16(off).ok_or_else(|| format!("offset {off} does not fit 16 bits"))?,
    ))
}

fn target(c: &mut Cursor) -> R<Target> {
    if let Some(n) = c.number() {
        return Ok(Target::Rel(n as i64));
    }
    c.ident()
        .map(|s| Target::Label(s.to_string()))
        .ok_or_else(|| "expected a jump target".into())
}

fn operand(c: &mut Cursor) -> R<Source> {
    if c.peek("%") {
        Ok(Source::Reg(reg(c)?))
    } else {
        Ok(Source::Imm(imm(c)?))
    }
}

fn size_of(s: &str) -> Option<Size> {
    Some(match s {
        "b" => Size::B,
        "h" => Size::H,
        "w" => Size::W,
        "dw" => Size::DW,
        _ => return None,
    })
}

/// Parses a whole text.
pub fn parse(text: &str) -> Result<Listing, AsmError> {
    let mut src = Listing::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let c = Cursor::new(strip_comment(raw, &["#", ";", "//"]));
        super::parse_line(
            &mut src,
            c,
            line,
            parse_insn,
            "Invalid number of operands: unexpected ",
        )?;
    }
    resolve_exit_label(&mut src);
    Ok(src)
}

/// The suite jumps to `exit` without defining such a label: it means the next `exit`
/// instruction (or the last one, when none follows).
fn resolve_exit_label(src: &mut Listing) {
    if src.labels.iter().any(|(n, _, _)| n == "exit") {
        return;
    }
    let mut pcs = Vec::with_capacity(src.items.len());
    let mut pc = 0i64;
    for it in &src.items {
        pcs.push(pc);
        pc += it.ins.slots() as i64;
    }
    let exits: Vec<usize> = src
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.ins == Instruction::Exit)
        .map(|(i, _)| i)
        .collect();
    for i in 0..src.items.len() {
        if src.items[i].target == Some(Target::Label("exit".into())) {
            let j = exits
                .iter()
                .copied()
                .find(|&j| j > i)
                .or(exits.last().copied());
            if let Some(j) = j {
                src.items[i].target = Some(Target::Rel(pcs[j] - pcs[i] - 1));
            }
        }
    }
}

fn parse_insn(c: &mut Cursor) -> R<(Instruction, Option<Target>)> {
    let mn = c
        .ident()
        .ok_or_else(|| format!("Invalid mnemonic at `{}`", c.rest.trim()))?
        .to_ascii_lowercase();
    let ins = |i| Ok((i, None));
    match mn.as_str() {
        "exit" => return ins(Instruction::Exit),
        "lock" => return parse_lock(c).map(|i| (i, None)),
        "ja" => return Ok((Instruction::Ja { off: 0 }, Some(target(c)?))),
        "ja32" => return Ok((Instruction::JaLong { imm: 0 }, Some(target(c)?))),
        "lddw" => return parse_lddw(c),
        "call" => {
            if c.eat_word("local") {
                return Ok((Instruction::Call(Call::Local(0)), Some(target(c)?)));
            }
            if c.eat_word("kfunc") {
                let btf_id = imm(c)?;
                let off = if c.eat(",") {
                    off16(c.number().ok_or("expected an offset")?).ok_or("offset out of range")?
                } else {
                    0
                };
                return ins(Instruction::Call(Call::Kfunc { btf_id, off }));
            }
            if c.peek("%") {
                return ins(Instruction::CallX { reg: reg(c)? });
            }
            return ins(Instruction::Call(Call::Helper(imm(c)?)));
        }
        _ => {}
    }
    let (base, width) = match mn.strip_suffix("32") {
        Some(b) if !b.is_empty() && !b.ends_with("sx") => (b, Width::W32),
        _ => (
            mn.strip_suffix("64")
                .filter(|b| !b.ends_with("sx"))
                .unwrap_or(&mn),
            Width::W64,
        ),
    };
    if base == "neg" {
        return ins(Instruction::Neg {
            width,
            dst: reg(c)?,
        });
    }
    if let Some((_, op)) = ALU_NAMES.iter().find(|(n, _)| *n == base) {
        let dst = reg(c)?;
        comma(c)?;
        return ins(Instruction::Alu {
            width,
            op: *op,
            dst,
            src: operand(c)?,
        });
    }
    if let Some((_, cond)) = JMP_NAMES.iter().find(|(n, _)| *n == base) {
        let dst = reg(c)?;
        comma(c)?;
        let src = operand(c)?;
        comma(c)?;
        return Ok((
            Instruction::Jmp {
                width,
                cond: *cond,
                dst,
                src,
                off: 0,
            },
            Some(target(c)?),
        ));
    }
    if let Some(rest) = mn.strip_prefix("movsx") {
        let (op, w) = match rest {
            "864" => (AluOp::MovSx8, Width::W64),
            "832" => (AluOp::MovSx8, Width::W32),
            "1664" => (AluOp::MovSx16, Width::W64),
            "1632" => (AluOp::MovSx16, Width::W32),
            "3264" => (AluOp::MovSx32, Width::W64),
            _ => return Err(format!("Invalid mnemonic `{mn}`")),
        };
        let dst = reg(c)?;
        comma(c)?;
        return ins(Instruction::Alu {
            width: w,
            op,
            dst,
            src: Source::Reg(reg(c)?),
        });
    }
    for (p, kind) in [
        ("bswap", EndKind::Swap),
        ("swap", EndKind::Swap),
        ("be", EndKind::Be),
        ("le", EndKind::Le),
    ] {
        if let Some(bits) = mn.strip_prefix(p).and_then(|b| b.parse::<u8>().ok()) {
            if !matches!(bits, 16 | 32 | 64) {
                return Err(format!("Invalid mnemonic `{mn}`"));
            }
            return ins(Instruction::End {
                kind,
                bits,
                dst: reg(c)?,
            });
        }
    }
    parse_mem(c, &mn).map(|i| (i, None))
}

fn parse_mem(c: &mut Cursor, mn: &str) -> R<Instruction> {
    if let Some(s) = mn.strip_prefix("ldxs").and_then(size_of) {
        if s == Size::DW {
            return Err("Invalid mnemonic `ldxsdw`".into());
        }
        let dst = reg(c)?;
        comma(c)?;
        let (src, off) = memop(c)?;
        return Ok(Instruction::Load {
            size: s,
            sign_extend: true,
            dst,
            src,
            off,
        });
    }
    if let Some(s) = mn.strip_prefix("ldx").and_then(size_of) {
        let dst = reg(c)?;
        comma(c)?;
        let (src, off) = memop(c)?;
        return Ok(Instruction::Load {
            size: s,
            sign_extend: false,
            dst,
            src,
            off,
        });
    }
    if let Some(s) = mn.strip_prefix("stx").and_then(size_of) {
        let (dst, off) = memop(c)?;
        comma(c)?;
        return Ok(Instruction::Store {
            size: s,
            dst,
            off,
            src: Source::Reg(reg(c)?),
        });
    }
    if let Some(s) = mn.strip_prefix("st").and_then(size_of) {
        let (dst, off) = memop(c)?;
        comma(c)?;
        return Ok(Instruction::Store {
            size: s,
            dst,
            off,
            src: Source::Imm(imm(c)?),
        });
    }
    if let Some(size) = mn.strip_prefix("ldabs").and_then(size_of) {
        return Ok(Instruction::LdAbs { size, imm: imm(c)? });
    }
    if let Some(size) = mn.strip_prefix("ldind").and_then(size_of) {
        let src = reg(c)?;
        comma(c)?;
        return Ok(Instruction::LdInd {
            size,
            src,
            imm: imm(c)?,
        });
    }
    Err(format!("Invalid mnemonic `{mn}`"))
}

fn parse_lddw(c: &mut Cursor) -> R<(Instruction, Option<Target>)> {
    let dst = reg(c)?;
    comma(c)?;
    let save = *c;
    if let Some(name) = c.ident() {
        if let Some(pseudo) = pseudo_from_name(name) {
            if !c.eat("(") {
                return Err("expected `(`".into());
            }
            let mut target = None;
            let first = if pseudo == Pseudo::Func {
                c.eat("pc");
                target = Some(self::target(c)?);
                0
            } else {
                imm(c)?
            };
            let next_imm = if c.eat(",") { imm(c)? } else { 0 };
            if !c.eat(")") {
                return Err("expected `)`".into());
            }
            return Ok((
                Instruction::LdImm64 {
                    dst,
                    pseudo,
                    imm: first,
                    next_imm,
                },
                target,
            ));
        }
        *c = save;
    }
    let v = c.number().ok_or("Invalid number of operands for lddw")?;
    if !(i64::MIN as i128..=u64::MAX as i128).contains(&v) {
        return Err(format!("{v} does not fit 64 bits"));
    }
    let bits = v as u64;
    Ok((
        Instruction::LdImm64 {
            dst,
            pseudo: Pseudo::Imm64,
            imm: bits as u32 as i32,
            next_imm: (bits >> 32) as u32 as i32,
        },
        None,
    ))
}

fn parse_lock(c: &mut Cursor) -> R<Instruction> {
    const ERR: &str = "Invalid number of operands for lock";
    let fetch = c.eat_word("fetch");
    let name = c.ident().ok_or(ERR)?.to_ascii_lowercase();
    let (base, width) = match name.strip_suffix("32") {
        Some(b) => (b.to_string(), Width::W32),
        None => (
            name.strip_suffix("64").unwrap_or(&name).to_string(),
            Width::W64,
        ),
    };
    let op = match base.as_str() {
        "add" => Atomic::Rmw {
            op: AtomicOp::Add,
            fetch,
        },
        "or" => Atomic::Rmw {
            op: AtomicOp::Or,
            fetch,
        },
        "and" => Atomic::Rmw {
            op: AtomicOp::And,
            fetch,
        },
        "xor" => Atomic::Rmw {
            op: AtomicOp::Xor,
            fetch,
        },
        "xchg" => Atomic::Xchg,
        "cmpxchg" => Atomic::Cmpxchg,
        _ => return Err(format!("Invalid atomic operation `{name}`")),
    };
    let (dst, off) = memop(c).map_err(|_| ERR.to_string())?;
    if !c.eat(",") {
        return Err(ERR.into());
    }
    let src = reg(c)?;
    Ok(Instruction::Atomic {
        width,
        op,
        dst,
        src,
        off,
    })
}
