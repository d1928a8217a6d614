//! The assembler for pseudo-C text, in the LLVM and the kernel flavour (see [`super::print`]).
//!
//! One instruction per line. A line may start with a slot index (`12:`), which is ignored, or
//! define a label (`name:`). Comments start with `;`, `//` or `#` at the start of a line.
//! Targets are `+3`, `-3`, `pc+3`, a label, or `<label>` as llvm-objdump decorates them.

use super::cursor::{imm32, off16, strip_comment, Cursor};
use super::print::pseudo_from_name;
use super::{AsmError, Listing, Target};
use crate::isa::*;

/// Parses a whole text.
pub fn parse(text: &str) -> Result<Listing, AsmError> {
    let mut src = Listing::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let mut cur = Cursor::new(strip_comment(raw, &[";", "//"]));
        // A leading slot index as `print_program` and llvm-objdump write it.
        let save = cur;
        if cur.number().is_some() && cur.eat(":") {
            // Skip raw bytes as llvm-objdump prints them (`bf 18 00 ...`), if any.
        } else {
            cur = save;
        }
        super::parse_line(&mut src, cur, line, parse_insn, "unexpected text ")?;
    }
    Ok(src)
}

type R<T> = Result<T, String>;

fn reg(c: &mut Cursor) -> R<(Reg, Width)> {
    let (n, w) = c
        .reg_with(&["r", "w"])
        .ok_or_else(|| format!("expected a register at `{}`", c.rest.trim()))?;
    let r = Reg::new(n).ok_or_else(|| format!("invalid register {n}"))?;
    Ok((r, if w { Width::W32 } else { Width::W64 }))
}

fn imm(c: &mut Cursor) -> R<i32> {
    let v = c
        .number()
        .ok_or_else(|| format!("expected a number at `{}`", c.rest.trim()))?;
    imm32(v).ok_or_else(|| format!("immediate {v} does not fit 32 bits"))
}

fn expect(c: &mut Cursor, lit: &str) -> R<()> {
    if c.eat(lit) {
        Ok(())
    } else {
        Err(format!("expected `{lit}` at `{}`", c.rest.trim()))
    }
}

fn target(c: &mut Cursor) -> R<Target> {
    if c.peek("pc+") || c.peek("pc-") {
        c.eat("pc");
    }
    if c.eat("<") {
        let name = c.ident().ok_or("expected a label")?;
        expect(c, ">")?;
        return Ok(Target::Label(name.to_string()));
    }
    if let Some(n) = c.number() {
        // llvm-objdump follows relative targets with `<LBB0_3>`; drop it.
        if c.eat("<") {
            c.ident();
            expect(c, ">")?;
        }
        return Ok(Target::Rel(n as i64));
    }
    let name = c
        .ident()
        .ok_or_else(|| format!("expected a target at `{}`", c.rest.trim()))?;
    Ok(Target::Label(name.to_string()))
}

fn size_type(c: &mut Cursor) -> R<(Size, bool)> {
    expect(c, "(")?;
    let t = c.ident().ok_or("expected a type")?;
    let (sz, sx) = match t {
        "u8" => (Size::B, false),
        "u16" => (Size::H, false),
        "u32" => (Size::W, false),
        "u64" => (Size::DW, false),
        "s8" => (Size::B, true),
        "s16" => (Size::H, true),
        "s32" => (Size::W, true),
        _ => return Err(format!("unknown type `{t}`")),
    };
    expect(c, "*")?;
    expect(c, ")")?;
    Ok((sz, sx))
}

/// `(rN +off)` in either flavour.
fn mem(c: &mut Cursor) -> R<(Reg, i16)> {
    expect(c, "(")?;
    let (r, _) = reg(c)?;
    let off = if c.eat(")") {
        return Ok((r, 0));
    } else {
        let neg = if c.eat("-") {
            true
        } else {
            expect(c, "+")?;
            false
        };
        let v = c.number().ok_or("expected an offset")?;
        expect(c, ")")?;
        if neg {
            -v
        } else {
            v
        }
    };
    Ok((
        r,
        off16(off).ok_or_else(|| format!("offset {off} does not fit 16 bits"))?,
    ))
}

fn parse_insn(c: &mut Cursor) -> R<(Instruction, Option<Target>)> {
    if c.eat_word("exit") {
        return Ok((Instruction::Exit, None));
    }
    if c.eat_word("callx") {
        return Ok((Instruction::CallX { reg: reg(c)?.0 }, None));
    }
    if c.eat_word("call") {
        return parse_call(c);
    }
    if c.eat_word("gotol") {
        return Ok((Instruction::JaLong { imm: 0 }, Some(target(c)?)));
    }
    if c.eat_word("goto") {
        return Ok((Instruction::Ja { off: 0 }, Some(target(c)?)));
    }
    if c.eat_word("if") {
        return parse_if(c);
    }
    if c.eat_word("lock") {
        return Ok((parse_lock(c)?, None));
    }
    if c.eat("*") {
        let (size, sx) = size_type(c)?;
        if sx {
            return Err("stores take unsigned types".into());
        }
        let (dst, off) = mem(c)?;
        expect(c, "=")?;
        let src = if let Ok((r, _)) = reg(c) {
            Source::Reg(r)
        } else {
            Source::Imm(imm(c)?)
        };
        return Ok((
            Instruction::Store {
                size,
                dst,
                off,
                src,
            },
            None,
        ));
    }
    let (dst, width) = reg(c)?;
    if c.eat("=") {
        return parse_assign(c, dst, width);
    }
    for (s, op) in [
        ("s>>=", AluOp::Arsh),
        ("s/=", AluOp::Sdiv),
        ("s%=", AluOp::Smod),
        ("+=", AluOp::Add),
        ("-=", AluOp::Sub),
        ("*=", AluOp::Mul),
        ("/=", AluOp::Div),
        ("%=", AluOp::Mod),
        ("|=", AluOp::Or),
        ("&=", AluOp::And),
        ("^=", AluOp::Xor),
        ("<<=", AluOp::Lsh),
        (">>=", AluOp::Rsh),
    ] {
        if c.eat(s) {
            let src = alu_source(c, width)?;
            return Ok((
                Instruction::Alu {
                    width,
                    op,
                    dst,
                    src,
                },
                None,
            ));
        }
    }
    Err(format!("unknown instruction at `{}`", c.rest.trim()))
}

fn alu_source(c: &mut Cursor, width: Width) -> R<Source> {
    if let Ok((r, w)) = reg(c) {
        if w != width {
            return Err("operands of different widths".into());
        }
        Ok(Source::Reg(r))
    } else {
        Ok(Source::Imm(imm(c)?))
    }
}

fn parse_call(c: &mut Cursor) -> R<(Instruction, Option<Target>)> {
    if c.eat("kfunc#") {
        let btf_id = imm(c)?;
        let off = if c.eat("@") {
            off16(c.number().ok_or("expected a module offset")?).ok_or("offset out of range")?
        } else {
            0
        };
        return Ok((Instruction::Call(Call::Kfunc { btf_id, off }), None));
    }
    if c.peek("pc+") || c.peek("pc-") || c.peek("<") {
        return Ok((Instruction::Call(Call::Local(0)), Some(target(c)?)));
    }
    if let Some(n) = c.number() {
        return Ok((
            Instruction::Call(Call::Helper(imm32(n).ok_or("helper number out of range")?)),
            None,
        ));
    }
    // The kernel log's `call bpf_map_lookup_elem#1`, or a label for a local call.
    let name = c.ident().ok_or("expected a call target")?;
    if c.eat("#") {
        return Ok((Instruction::Call(Call::Helper(imm(c)?)), None));
    }
    Ok((
        Instruction::Call(Call::Local(0)),
        Some(Target::Label(name.to_string())),
    ))
}

fn parse_if(c: &mut Cursor) -> R<(Instruction, Option<Target>)> {
    let (dst, width) = reg(c)?;
    let mut cond = None;
    for (s, jc) in [
        ("s>=", JmpCond::Sge),
        ("s<=", JmpCond::Sle),
        ("s>", JmpCond::Sgt),
        ("s<", JmpCond::Slt),
        ("==", JmpCond::Eq),
        ("!=", JmpCond::Ne),
        (">=", JmpCond::Ge),
        ("<=", JmpCond::Le),
        (">", JmpCond::Gt),
        ("<", JmpCond::Lt),
        ("&", JmpCond::Set),
    ] {
        if c.eat(s) {
            cond = Some(jc);
            break;
        }
    }
    let cond = cond.ok_or_else(|| format!("expected a comparison at `{}`", c.rest.trim()))?;
    let src = alu_source(c, width)?;
    if !c.eat_word("goto") {
        return Err("expected `goto`".into());
    }
    Ok((
        Instruction::Jmp {
            width,
            cond,
            dst,
            src,
            off: 0,
        },
        Some(target(c)?),
    ))
}

fn parse_lock(c: &mut Cursor) -> R<Instruction> {
    expect(c, "*")?;
    let (size, _) = size_type(c)?;
    let width = match size {
        Size::DW => Width::W64,
        Size::W => Width::W32,
        _ => return Err("atomic operations are 32 or 64 bits".into()),
    };
    let (dst, off) = mem(c)?;
    let op = [
        ("+=", AtomicOp::Add),
        ("|=", AtomicOp::Or),
        ("&=", AtomicOp::And),
        ("^=", AtomicOp::Xor),
    ]
    .into_iter()
    .find(|(s, _)| c.eat(s))
    .map(|(_, o)| o)
    .ok_or("expected an atomic operator")?;
    let (src, _) = reg(c)?;
    Ok(Instruction::Atomic {
        width,
        op: Atomic::Rmw { op, fetch: false },
        dst,
        src,
        off,
    })
}

fn parse_assign(c: &mut Cursor, dst: Reg, width: Width) -> R<(Instruction, Option<Target>)> {
    let alu = |op, src| {
        Ok((
            Instruction::Alu {
                width,
                op,
                dst,
                src,
            },
            None,
        ))
    };
    if c.eat("*") {
        let (size, sign_extend) = size_type(c)?;
        if c.eat("skb") {
            return parse_skb(c, dst, size).map(|i| (i, None));
        }
        let (src, off) = mem(c)?;
        return Ok((
            Instruction::Load {
                size,
                sign_extend,
                dst,
                src,
                off,
            },
            None,
        ));
    }
    if let Some(ins) = parse_atomic_call(c, dst)? {
        return Ok((ins, None));
    }
    for (k, kind) in [
        ("bswap", EndKind::Swap),
        ("be", EndKind::Be),
        ("le", EndKind::Le),
    ] {
        let save = *c;
        if c.eat(k) {
            if let Some(bits) = c.number() {
                if matches!(bits, 16 | 32 | 64) && reg(c)?.0 == dst {
                    return Ok((
                        Instruction::End {
                            kind,
                            bits: bits as u8,
                            dst,
                        },
                        None,
                    ));
                }
                return Err("malformed byte swap".into());
            }
            *c = save;
        }
    }
    if c.eat("(s8)") {
        return alu(AluOp::MovSx8, Source::Reg(reg(c)?.0));
    }
    if c.eat("(s16)") {
        return alu(AluOp::MovSx16, Source::Reg(reg(c)?.0));
    }
    if c.eat("(s32)") {
        return alu(AluOp::MovSx32, Source::Reg(reg(c)?.0));
    }
    if c.peek("-") {
        let save = *c;
        c.eat("-");
        if let Ok((r, _)) = reg(c) {
            if r != dst {
                return Err("negation must be `rX = -rX`".into());
            }
            return Ok((Instruction::Neg { width, dst }, None));
        }
        *c = save;
    }
    if let Ok((r, w)) = reg(c) {
        if w != width {
            return Err("operands of different widths".into());
        }
        return alu(AluOp::Mov, Source::Reg(r));
    }
    let save = *c;
    if let Some(name) = c.ident() {
        if let Some(p) = pseudo_from_name(name) {
            return parse_pseudo(c, dst, p);
        }
        *c = save;
    }
    let v = c
        .number()
        .ok_or_else(|| format!("expected a value at `{}`", c.rest.trim()))?;
    if c.eat_word("ll") || (v > u32::MAX as i128 || v < i32::MIN as i128) {
        if width == Width::W32 {
            return Err("64-bit immediates load into rN".into());
        }
        let bits = if (i64::MIN as i128..=u64::MAX as i128).contains(&v) {
            v as u64
        } else {
            return Err(format!("{v} does not fit 64 bits"));
        };
        return Ok((
            Instruction::LdImm64 {
                dst,
                pseudo: Pseudo::Imm64,
                imm: bits as u32 as i32,
                next_imm: (bits >> 32) as u32 as i32,
            },
            None,
        ));
    }
    alu(
        AluOp::Mov,
        Source::Imm(imm32(v).ok_or("immediate out of range")?),
    )
}

fn parse_pseudo(c: &mut Cursor, dst: Reg, pseudo: Pseudo) -> R<(Instruction, Option<Target>)> {
    expect(c, "(")?;
    let mut target = None;
    let first = if pseudo == Pseudo::Func {
        target = Some(self::target(c)?);
        0
    } else {
        imm(c)?
    };
    let next_imm = if c.eat(",") { imm(c)? } else { 0 };
    expect(c, ")")?;
    c.eat_word("ll");
    Ok((
        Instruction::LdImm64 {
            dst,
            pseudo,
            imm: first,
            next_imm,
        },
        target,
    ))
}

fn parse_skb(c: &mut Cursor, dst: Reg, size: Size) -> R<Instruction> {
    if dst != Reg::R0 {
        return Err("legacy packet loads write r0".into());
    }
    expect(c, "[")?;
    let ins = if let Ok((src, _)) = reg(c) {
        let imm = if c.eat("+") || c.peek("-") {
            imm(c)?
        } else {
            0
        };
        Instruction::LdInd { size, src, imm }
    } else {
        Instruction::LdAbs { size, imm: imm(c)? }
    };
    expect(c, "]")?;
    Ok(ins)
}

/// `rS = atomic64_fetch_add((u64 *)(rD +off), rS)` and the xchg/cmpxchg forms, in the kernel's
/// and LLVM's spellings.
fn parse_atomic_call(c: &mut Cursor, lhs: Reg) -> R<Option<Instruction>> {
    let save = *c;
    let Some(name) = c.ident() else {
        return Ok(None);
    };
    let (width_hint, op) = match name {
        "atomic_fetch_add" | "atomic64_fetch_add" => (
            name.contains("64"),
            Atomic::Rmw {
                op: AtomicOp::Add,
                fetch: true,
            },
        ),
        "atomic_fetch_or" | "atomic64_fetch_or" => (
            name.contains("64"),
            Atomic::Rmw {
                op: AtomicOp::Or,
                fetch: true,
            },
        ),
        "atomic_fetch_and" | "atomic64_fetch_and" => (
            name.contains("64"),
            Atomic::Rmw {
                op: AtomicOp::And,
                fetch: true,
            },
        ),
        "atomic_fetch_xor" | "atomic64_fetch_xor" => (
            name.contains("64"),
            Atomic::Rmw {
                op: AtomicOp::Xor,
                fetch: true,
            },
        ),
        "atomic_xchg" | "atomic64_xchg" => (name.contains("64"), Atomic::Xchg),
        "atomic_cmpxchg" | "atomic64_cmpxchg" => (name.contains("64"), Atomic::Cmpxchg),
        "xchg_64" => (true, Atomic::Xchg),
        "xchg32_32" => (false, Atomic::Xchg),
        "cmpxchg_64" => (true, Atomic::Cmpxchg),
        "cmpxchg32_32" => (false, Atomic::Cmpxchg),
        _ => {
            *c = save;
            return Ok(None);
        }
    };
    expect(c, "(")?;
    // `((u64 *)(r1 +0), ...)` or LLVM's `(r1 + 0, ...)`.
    let width = if c.peek("(") {
        let (size, _) = size_type(c)?;
        match size {
            Size::DW => Width::W64,
            Size::W => Width::W32,
            _ => return Err("atomic operations are 32 or 64 bits".into()),
        }
    } else if width_hint {
        Width::W64
    } else {
        Width::W32
    };
    let (dst, off) = if c.peek("(") {
        mem(c)?
    } else {
        let (r, _) = reg(c)?;
        let v = c.number().unwrap_or(0);
        (r, off16(v).ok_or("offset out of range")?)
    };
    expect(c, ",")?;
    if op == Atomic::Cmpxchg {
        let (r0, _) = reg(c)?;
        if r0 != Reg::R0 || lhs != Reg::R0 {
            return Err("cmpxchg compares with r0 and writes r0".into());
        }
        expect(c, ",")?;
    }
    let (src, _) = reg(c)?;
    expect(c, ")")?;
    if op != Atomic::Cmpxchg && src != lhs {
        return Err("the fetched value goes to the source register".into());
    }
    Ok(Some(Instruction::Atomic {
        width,
        op,
        dst,
        src,
        off,
    }))
}
