//! The model of the kernel's scalar operators (`verifier::domain::kernel_model`) against the
//! running Linux kernel: random programs shape two unknown registers with masks, constants,
//! shifts and branches, then combine them with one ALU operation. The kernel's level-2 log
//! gives the two inputs and the result; the model, run on the logged inputs, must print the
//! logged result exactly; for a conditional jump, the logged state of r6 on the taken edge
//! must be the model's refinement. This is what makes the precision table's "vs kernel" columns a
//! comparison with the real kernel rather than with our reading of its source.

use harness::kernel;
use semantics::isa::{AluOp, JmpCond, Width};
use verifier::domain::{kernel_model, Scalar};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// A constant of varied magnitude, sometimes negative.
    fn constant(&mut self) -> i64 {
        let bits = self.below(33);
        let v = (self.next() & ((1u64 << bits) - 1).max(1)) as i64;
        let v = v.min(i32::MAX as i64);
        if self.below(3) == 0 {
            -v
        } else {
            v
        }
    }
}

/// One shaping step on register `r`.
fn shape(rng: &mut Rng, r: u8) -> String {
    let w = if rng.below(4) == 0 { 'w' } else { 'r' };
    match rng.below(9) {
        0 | 1 => {
            let m = rng.next() & rng.next() & 0x7fff_ffff;
            format!("{w}{r} &= {m}")
        }
        2 => format!("{w}{r} |= {}", rng.next() & 0xff0),
        3 => format!("{w}{r} += {}", rng.constant()),
        4 => format!("{w}{r} -= {}", rng.constant()),
        5 => {
            let ops = ["<<=", ">>=", "s>>="];
            let max = if w == 'w' { 32 } else { 64 };
            format!("{w}{r} {} {}", ops[rng.below(3) as usize], rng.below(max))
        }
        _ => {
            let conds = [
                ">", ">=", "<", "<=", "s>", "s>=", "s<", "s<=", "==", "!=", "&",
            ];
            let c = conds[rng.below(conds.len() as u64) as usize];
            format!("if {w}{r} {c} {} goto out", rng.constant())
        }
    }
}

const OPS: [(AluOp, &str); 13] = [
    (AluOp::Add, "+="),
    (AluOp::Sub, "-="),
    (AluOp::Mul, "*="),
    (AluOp::And, "&="),
    (AluOp::Or, "|="),
    (AluOp::Xor, "^="),
    (AluOp::Lsh, "<<="),
    (AluOp::Rsh, ">>="),
    (AluOp::Arsh, "s>>="),
    (AluOp::Div, "/="),
    (AluOp::Mod, "%="),
    (AluOp::Sdiv, "s/="),
    (AluOp::Smod, "s%="),
];

const CONDS: [(JmpCond, &str); 11] = [
    (JmpCond::Eq, "=="),
    (JmpCond::Ne, "!="),
    (JmpCond::Gt, ">"),
    (JmpCond::Ge, ">="),
    (JmpCond::Lt, "<"),
    (JmpCond::Le, "<="),
    (JmpCond::Sgt, "s>"),
    (JmpCond::Sge, "s>="),
    (JmpCond::Slt, "s<"),
    (JmpCond::Sle, "s<="),
    (JmpCond::Set, "&"),
];

/// The operation under test: an ALU operation, or a conditional jump whose taken edge is
/// compared.
#[derive(Clone, Copy, Debug)]
enum Op {
    Alu(AluOp),
    Jump(JmpCond),
}

/// A program whose instruction at the returned pc is `r6 op= r7` or `if r6 cond r7 goto
/// taken` (or `w6`, or a constant source), with r6 and r7 shaped before it.
fn program(rng: &mut Rng) -> (String, usize, Op, Width, Option<i64>) {
    let mut lines = vec![
        "call 5".to_string(),
        "r6 = r0".into(),
        "call 7".into(),
        "r7 = r0".into(),
    ];
    for r in [6u8, 7] {
        for _ in 0..rng.below(5) {
            lines.push(shape(rng, r));
        }
    }
    let jump = rng.below(3) == 0;
    let (op, text) = if jump {
        let (c, t) = CONDS[rng.below(CONDS.len() as u64) as usize];
        (Op::Jump(c), t)
    } else {
        let (o, t) = OPS[rng.below(OPS.len() as u64) as usize];
        (Op::Alu(o), t)
    };
    let width = if rng.below(3) == 0 {
        Width::W32
    } else {
        Width::W64
    };
    let w = if width == Width::W32 { 'w' } else { 'r' };
    let shift = matches!(op, Op::Alu(AluOp::Lsh | AluOp::Rsh | AluOp::Arsh));
    let const_src = rng.below(3) == 0;
    let imm = const_src.then(|| {
        if shift {
            rng.below(if width == Width::W32 { 32 } else { 64 }) as i64
        } else {
            // The kernel refuses a division by the constant 0 ("div by zero").
            Some(rng.constant()).filter(|v| *v != 0).unwrap_or(7)
        }
    });
    let src = match imm {
        Some(v) => v.to_string(),
        None => format!("{w}7"),
    };
    let pc = lines.len();
    if jump {
        lines.push(format!("if {w}6 {text} {src} goto taken"));
    } else {
        lines.push(format!("{w}6 {text} {src}"));
    }
    lines.push("out:".into());
    lines.push("r0 = 0".into());
    lines.push("exit".into());
    if jump {
        lines.push("taken:".into());
        lines.push("r0 = 1".into());
        lines.push("exit".into());
    }
    (lines.join("\n"), pc, op, width, imm)
}

/// The value of r6 on the `from PC to ...:` line of a level-2 log.
fn taken_state(log: &str, pc: usize) -> Option<&str> {
    let prefix = format!("from {pc} to ");
    let line = log.lines().find(|l| l.starts_with(&prefix))?;
    let (_, state) = line.split_once(": ")?;
    kernel::registers(state)
        .into_iter()
        .find(|(r, _)| *r == 6)
        .map(|(_, v)| v)
}

#[test]
fn the_kernel_model_matches_the_live_kernel_on_random_programs() {
    if let Err(why) = kernel::available() {
        println!("skipped: the live kernel is not available ({why})");
        return;
    }
    let mut rng = Rng(0x5eed_0618);
    let (mut compared, mut unreached, mut forked) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for _ in 0..4000 {
        let (text, op_pc, op, width, imm) = program(&mut rng);
        let insns = semantics::text::assemble(&text).expect("generated text assembles");
        let load = kernel::prog_load(1, &insns, 2);
        assert!(
            load.accepted(),
            "the kernel refused a generated program:\n{text}\n{}",
            load.log
        );
        // Linux 6.18 forks the state at an AND whose destination is in [-1, 0] (one path
        // with each value); that is exploration, not the operator, so it is not compared.
        if load.log.contains(&format!("from {op_pc} to {op_pc}:")) {
            forked += 1;
            continue;
        }
        // The latest logged value of r6 and r7 before the operation, and r6 after it, on the
        // first path that reaches it (the fall-through path of every branch).
        let (mut r6, mut r7, mut out) = (None, None, None);
        for line in kernel::log_lines(&load.log) {
            if line.pc == op_pc {
                out = match op {
                    Op::Alu(_) => line.regs.iter().find(|(r, _)| *r == 6).map(|(_, v)| *v),
                    // The taken edge's state: `from PC to TARGET: R0=... R6=...`.
                    Op::Jump(_) => taken_state(&load.log, op_pc),
                };
                break;
            }
            for (r, v) in &line.regs {
                match r {
                    6 => r6 = Some(*v),
                    7 => r7 = Some(*v),
                    _ => {}
                }
            }
        }
        let (Some(a), Some(out)) = (r6, out) else {
            unreached += 1;
            continue;
        };
        let parse = |v: &str| {
            Scalar::parse_log(v)
                .unwrap_or_else(|e| panic!("{e} in the log of\n{text}\n{}", load.log))
        };
        let a = parse(a);
        let b = if let Some(imm) = imm {
            Scalar::constant(&(imm as u64))
        } else {
            match r7 {
                Some(v) => parse(v),
                None => {
                    unreached += 1;
                    continue;
                }
            }
        };
        let ours = match op {
            Op::Alu(o) => kernel_model::alu(&a, o, width, &b),
            Op::Jump(c) => kernel_model::branch_taken_dst(&a, c, width, &b),
        }
        .log();
        let theirs = parse(out).log();
        compared += 1;
        if ours != theirs {
            mismatches.push(format!(
                "{op:?} {width:?}\n  dst    {}\n  src    {}\n  kernel {theirs}\n  model  {ours}\n{text}",
                a.log(),
                b.log()
            ));
        }
    }
    println!(
        "{compared} operations compared with the live kernel, {} mismatches; {unreached} not reached, {forked} forked by the kernel",
        mismatches.len()
    );
    assert!(compared > 3000, "too few programs reached the operation");
    assert!(
        mismatches.is_empty(),
        "{} of {compared} differ; first ones:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(3)].join("\n\n")
    );
}
