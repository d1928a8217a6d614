//! The program generator of the differential campaigns: structured programs that the kernel
//! mostly accepts, and mutations that each break one rule.
//!
//! Choices come from an `arbitrary::Unstructured` over bytes, so a fuzz target can drive the
//! generator with its own input; campaigns feed it bytes from a seeded [`Rng`], so that a
//! program is reproducible from `(seed, index)`. The output is assembly text with the
//! directives `tristate` reads (`; type:`, `; map:`), ready to verify, load into the kernel,
//! run, minimise and keep as a regression file.
//!
//! A program has a prologue that keeps the context in r6 (and, for packet types, `data` in
//! r7 and `data_end` in r8), a body of statements, and an epilogue that sets r0. Statements
//! are ALU operations of every kind and width, 64-bit constants, stack spills and fills,
//! forward branches with an optional else, bounded loops counted in r9, array and hash map
//! lookups with null checks and accesses (constant and variable offsets, atomics), map
//! updates, packet accesses behind `data_end` checks (constant and variable offsets),
//! `LD_ABS`, `bpf_skb_load_bytes`, nondeterministic helpers, and calls to generated
//! subprograms with scalar or stack-pointer arguments. The generator tracks which registers
//! hold initialised scalars so that every read is of an initialised register.

use crate::rng::Rng;
use arbitrary::Unstructured;
use semantics::elf::ProgType;

/// The rule a mutated program breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutation {
    NoNullCheck,
    MapOutOfBounds,
    PacketNoCheck,
    PacketOutOfBounds,
    StackOutOfBounds,
    UninitRead,
    WriteR10,
    InfiniteLoop,
    CtxPointerArith,
    UnknownHelper,
    PacketEndRead,
    StackVarUnbounded,
}

const MUTATIONS: [Mutation; 12] = [
    Mutation::NoNullCheck,
    Mutation::MapOutOfBounds,
    Mutation::PacketNoCheck,
    Mutation::PacketOutOfBounds,
    Mutation::StackOutOfBounds,
    Mutation::UninitRead,
    Mutation::WriteR10,
    Mutation::InfiniteLoop,
    Mutation::CtxPointerArith,
    Mutation::UnknownHelper,
    Mutation::PacketEndRead,
    Mutation::StackVarUnbounded,
];

impl Mutation {
    pub fn name(self) -> &'static str {
        match self {
            Mutation::NoNullCheck => "no-null-check",
            Mutation::MapOutOfBounds => "map-out-of-bounds",
            Mutation::PacketNoCheck => "packet-no-check",
            Mutation::PacketOutOfBounds => "packet-out-of-bounds",
            Mutation::StackOutOfBounds => "stack-out-of-bounds",
            Mutation::UninitRead => "uninit-read",
            Mutation::WriteR10 => "write-r10",
            Mutation::InfiniteLoop => "infinite-loop",
            Mutation::CtxPointerArith => "ctx-pointer-arith",
            Mutation::UnknownHelper => "unknown-helper",
            Mutation::PacketEndRead => "packet-end-read",
            Mutation::StackVarUnbounded => "stack-var-unbounded",
        }
    }
}

/// One generated program.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Assembly text with `; type:` and `; map:` directives.
    pub text: String,
    pub prog_type: ProgType,
    /// The rule the program was made to break, if any.
    pub mutation: Option<Mutation>,
    /// Whether every run on the same input gives the same result (no random numbers, time or
    /// CPU number), so that our interpreter and the kernel can be compared.
    pub deterministic: bool,
}

/// The maps every generated program declares: an array (key 4, value 32, 4 entries) and a
/// hash (key 8, value 16, 16 entries).
const MAPS: [(&str, u32, u32); 2] = [("array", 4, 32), ("hash", 8, 16)];

/// The `; map:` directives of the maps generated programs use (`m0`, `m1`).
pub fn map_directives() -> String {
    let mut text = String::new();
    for (i, (t, k, v)) in MAPS.iter().enumerate() {
        let entries = if i == 0 { 4 } else { 16 };
        text += &format!("; map: m{i} {t} {k} {v} {entries}\n");
    }
    text
}

/// Scratch stack area of map keys, values and helper buffers: fp-64 .. fp.
const SCRATCH: i32 = 64;

struct G<'a, 'b> {
    u: &'b mut Unstructured<'a>,
    out: Vec<String>,
    labels: usize,
    ty: ProgType,
    packet: bool,
    /// Registers holding initialised scalars.
    init: u16,
    /// 8-byte stack slots (index k: fp-8(k+1)) written with a full scalar.
    slots: u64,
    in_loop: bool,
    depth: usize,
    budget: usize,
    /// Subprograms: whether the second argument is a stack pointer.
    subs: Vec<bool>,
    deterministic: bool,
    mutation: Option<Mutation>,
    applied: bool,
}

fn ok<T: Default>(r: arbitrary::Result<T>) -> T {
    r.unwrap_or_default()
}

impl G<'_, '_> {
    fn emit(&mut self, s: impl Into<String>) {
        self.out.push(format!("    {}", s.into()));
    }
    fn label(&mut self) -> String {
        self.labels += 1;
        format!("l{}", self.labels)
    }
    fn place(&mut self, l: &str) {
        self.out.push(format!("{l}:"));
    }
    fn below(&mut self, n: u32) -> u32 {
        if n <= 1 {
            return 0;
        }
        ok(self.u.int_in_range(0..=n - 1))
    }
    fn chance(&mut self, num: u32, den: u32) -> bool {
        self.below(den) < num
    }
    /// Whether to break the chosen rule here (once per program).
    fn mutate_here(&mut self, m: Mutation) -> bool {
        if self.mutation == Some(m) && !self.applied && self.chance(1, 2) {
            self.applied = true;
            return true;
        }
        false
    }

    fn pool(&self) -> Vec<u8> {
        let mut p = vec![0, 1, 2, 3, 4, 5];
        if !self.packet {
            p.extend([7, 8]);
        }
        if !self.in_loop {
            p.push(9);
        }
        p
    }
    fn set_init(&mut self, r: u8) {
        self.init |= 1 << r;
    }
    fn clobber_call(&mut self) {
        self.init &= !0x3e;
        self.set_init(0);
    }
    fn imm(&mut self) -> i64 {
        const K: [i64; 16] = [
            0,
            1,
            -1,
            2,
            3,
            7,
            8,
            15,
            16,
            31,
            32,
            63,
            255,
            4096,
            0x7fff_ffff,
            -0x8000_0000,
        ];
        if self.chance(3, 4) {
            K[self.below(16) as usize]
        } else {
            ok(self.u.arbitrary::<i32>()) as i64
        }
    }
    /// An initialised scalar register (initialising one if there is none); where the
    /// program is to read an unset register, sometimes an unset one.
    fn src(&mut self) -> u8 {
        if self.mutation == Some(Mutation::UninitRead) && !self.applied && self.chance(1, 4) {
            if let Some(r) = self.uninit_reg() {
                self.applied = true;
                return r;
            }
        }
        let p: Vec<u8> = self
            .pool()
            .into_iter()
            .filter(|r| self.init & (1 << r) != 0)
            .collect();
        if p.is_empty() {
            let r = self.dst();
            let k = self.imm();
            self.emit(format!("r{r} = {k}"));
            self.set_init(r);
            return r;
        }
        p[self.below(p.len() as u32) as usize]
    }
    fn uninit_reg(&self) -> Option<u8> {
        self.pool().into_iter().find(|r| self.init & (1 << r) == 0)
    }
    fn dst(&mut self) -> u8 {
        let p = self.pool();
        p[self.below(p.len() as u32) as usize]
    }

    fn stmt(&mut self) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let nested = self.depth < 3;
        let k = self.below(100);
        match k {
            0..=29 => self.alu(),
            30..=33 => self.ld64(),
            34..=41 => self.stack(),
            42..=51 if nested => self.branch(),
            52..=55 if nested && !self.in_loop => self.bounded_loop(),
            56..=65 => self.map_block(),
            66..=69 => self.map_update(),
            70..=81 if self.packet => self.packet_block(),
            82..=84 if self.ty != ProgType::Xdp => self.ld_abs(),
            85..=87 if self.ty != ProgType::Xdp => self.skb_load_bytes(),
            88..=89 => self.nondet_helper(),
            90..=95 => self.call_sub(),
            96..=97 => self.mutation_site(),
            _ => self.alu(),
        }
    }

    fn alu(&mut self) {
        const OPS: [&str; 13] = [
            "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "<<=", ">>=", "s>>=", "s/=", "s%=",
        ];
        let w = if self.chance(1, 3) { "w" } else { "r" };
        let bits = if w == "w" { 32 } else { 64 };
        let d = self.dst();
        if self.init & (1 << d) == 0 {
            let k = self.imm();
            self.emit(format!("r{d} = {k}"));
            self.set_init(d);
        }
        match self.below(10) {
            0 => self.emit(format!("{w}{d} = -{w}{d}")),
            1 => {
                let (kind, b) = [("be", 16), ("be", 32), ("be", 64), ("le", 16), ("le", 32)]
                    [self.below(5) as usize];
                let kind = if self.chance(1, 4) { "bswap" } else { kind };
                self.emit(format!("r{d} = {kind}{b} r{d}"));
            }
            2 => {
                let s = self.src();
                let b = [8, 16, 32][self.below(if w == "w" { 2 } else { 3 }) as usize];
                self.emit(format!("{w}{d} = (s{b}){w}{s}"));
            }
            3 => {
                let s = self.src();
                self.emit(format!("{w}{d} = {w}{s}"));
            }
            _ => {
                let op = OPS[self.below(OPS.len() as u32) as usize];
                let shift = matches!(op, "<<=" | ">>=" | "s>>=");
                if self.chance(1, 2) {
                    let k = if shift {
                        self.below(bits) as i64
                    } else {
                        self.imm()
                    };
                    self.emit(format!("{w}{d} {op} {k}"));
                } else {
                    let s = self.src();
                    self.emit(format!("{w}{d} {op} {w}{s}"));
                }
            }
        }
        self.set_init(d);
    }

    fn ld64(&mut self) {
        let d = self.dst();
        let v = ok(self.u.arbitrary::<i64>());
        self.emit(format!("r{d} = {v} ll"));
        self.set_init(d);
    }

    fn stack(&mut self) {
        if self.mutate_here(Mutation::StackOutOfBounds) {
            let s = self.src();
            let off = *[-520i32, 8, -513, 0]
                .get(self.below(4) as usize)
                .unwrap_or(&8);
            self.emit(format!("*(u64 *)(r10 {off:+}) = r{s}"));
            return;
        }
        // Slots 8..63 (fp-512 .. fp-64) are the generator's; the scratch area is below.
        let k = 8 + self.below(56);
        let base = -8 * (k as i32 + 1);
        let size = [1, 2, 4, 8][self.below(4) as usize];
        let off = base + (self.below(8 / size) * size) as i32;
        let ty = format!("u{}", size * 8);
        if self.slots & (1 << k) != 0 && self.chance(1, 2) {
            let d = self.dst();
            let sx = if size < 8 && self.chance(1, 4) {
                "s"
            } else {
                "u"
            };
            self.emit(format!("r{d} = *({sx}{} *)(r10 {off:+})", size * 8));
            self.set_init(d);
        } else if self.chance(1, 4) {
            let v = self.imm();
            self.emit(format!("*({ty} *)(r10 {off:+}) = {v}"));
            if size == 8 {
                self.slots |= 1 << k;
            }
        } else {
            let s = self.src();
            self.emit(format!("*({ty} *)(r10 {off:+}) = r{s}"));
            if size == 8 {
                self.slots |= 1 << k;
            }
        }
    }

    fn cond(&mut self) -> String {
        const C: [&str; 11] = [
            "==", "!=", ">", ">=", "<", "<=", "s>", "s>=", "s<", "s<=", "&",
        ];
        let c = C[self.below(11) as usize];
        let w = if self.chance(1, 4) { "w" } else { "r" };
        let a = self.src();
        if self.chance(1, 2) {
            let k = self.imm();
            format!("if {w}{a} {c} {k}")
        } else {
            let b = self.src();
            format!("if {w}{a} {c} {w}{b}")
        }
    }

    fn block(&mut self, n: u32) {
        self.depth += 1;
        for _ in 0..1 + self.below(n) {
            self.stmt();
        }
        self.depth -= 1;
    }

    fn branch(&mut self) {
        let c = self.cond();
        let other = self.label();
        self.emit(format!("{c} goto {other}"));
        let before = (self.init, self.slots);
        self.block(4);
        if self.chance(1, 2) {
            let end = self.label();
            self.emit(format!("goto {end}"));
            let then = (self.init, self.slots);
            (self.init, self.slots) = before;
            self.place(&other);
            self.block(4);
            self.init &= then.0;
            self.slots &= then.1;
            self.place(&end);
        } else {
            self.place(&other);
            self.init &= before.0;
            self.slots &= before.1;
        }
    }

    fn bounded_loop(&mut self) {
        let n = 1 + self.below(5);
        self.emit(format!("r9 = {n}"));
        let head = self.label();
        self.place(&head);
        self.in_loop = true;
        let before = self.init;
        self.block(3);
        // Every register read in the body was set before the loop; set again those the body
        // clobbered, so that the next iteration finds them set.
        for r in 0..10u8 {
            if before & !self.init & (1 << r) != 0 {
                self.emit(format!("r{r} = {r}"));
                self.set_init(r);
            }
        }
        self.in_loop = false;
        if !self.mutate_here(Mutation::InfiniteLoop) {
            self.emit("r9 -= 1");
        }
        self.emit(format!("if r9 != 0 goto {head}"));
        self.set_init(9);
    }

    /// Points r2 at a key of map `m` on the scratch stack.
    fn key(&mut self, m: usize) {
        if m == 0 {
            if self.chance(1, 2) {
                let k = self.below(5);
                self.emit(format!("*(u32 *)(r10 - 4) = {k}"));
            } else {
                let s = self.src();
                self.emit(format!("*(u32 *)(r10 - 4) = w{s}"));
            }
            self.emit("r2 = r10");
            self.emit("r2 += -4");
        } else {
            let s = self.src();
            self.emit(format!("*(u64 *)(r10 - 8) = r{s}"));
            self.emit("r2 = r10");
            self.emit("r2 += -8");
        }
    }

    fn map_block(&mut self) {
        let m = self.below(2) as usize;
        let vs = MAPS[m].2 as i32;
        self.key(m);
        self.emit(format!("r1 = map_idx({m}) ll"));
        self.emit("call 1");
        self.clobber_call();
        self.init &= !1;
        let skip = self.label();
        if !self.mutate_here(Mutation::NoNullCheck) {
            self.emit(format!("if r0 == 0 goto {skip}"));
        }
        let before = self.init;
        for i in 0..1 + self.below(4) {
            let size = [1, 2, 4, 8][self.below(4) as usize];
            let mut off = self.below((vs - size + 1) as u32) as i32;
            if self.mutate_here(Mutation::MapOutOfBounds) {
                off = vs - size + 1 + self.below(8) as i32;
            }
            let ty = format!("u{}", size * 8);
            match self.below(5) {
                0 | 1 => {
                    let d = self
                        .pool()
                        .into_iter()
                        .filter(|r| *r != 0)
                        .nth(i as usize)
                        .unwrap_or(3);
                    self.emit(format!("r{d} = *({ty} *)(r0 {off:+})"));
                    self.set_init(d);
                }
                2 => {
                    let s = self.src();
                    if s != 0 {
                        self.emit(format!("*({ty} *)(r0 {off:+}) = r{s}"));
                    }
                }
                3 => {
                    let s = self.src();
                    let (w, n) = if self.chance(1, 2) {
                        ("u64", 8)
                    } else {
                        ("u32", 4)
                    };
                    let off = (self.below(((vs - n) / n + 1) as u32) as i32) * n;
                    if s != 0 {
                        self.emit(format!("lock *({w} *)(r0 {off:+}) += r{s}"));
                    }
                }
                _ => {
                    // A variable offset, masked into the value.
                    let k = 2;
                    self.emit(format!("r{k} = *(u8 *)(r0 + 0)"));
                    let mask = if self.mutate_here(Mutation::MapOutOfBounds) {
                        31
                    } else {
                        15
                    };
                    self.emit(format!("r{k} &= {mask}"));
                    self.emit(format!("r0 += r{k}"));
                    let d = 3;
                    self.emit(format!("r{d} = *(u64 *)(r0 + 8)"));
                    self.set_init(d);
                    break;
                }
            }
        }
        self.init &= before | 0x3e;
        self.place(&skip);
        self.init &= before & !1;
    }

    fn map_update(&mut self) {
        let m = self.below(2) as usize;
        let vs = MAPS[m].2 as i32;
        self.key(m);
        // The value lies at fp-64 .. fp-64+vs.
        for o in (0..vs).step_by(8) {
            let s = self.src();
            self.emit(format!("*(u64 *)(r10 {:+}) = r{s}", -SCRATCH + o));
        }
        self.emit("r3 = r10");
        self.emit(format!("r3 += {}", -SCRATCH));
        if m == 1 && self.chance(1, 3) {
            self.emit(format!("r1 = map_idx({m}) ll"));
            self.emit("call 3");
        } else {
            self.emit("r4 = 0");
            self.emit(format!("r1 = map_idx({m}) ll"));
            self.emit("call 2");
        }
        self.clobber_call();
    }

    fn data_ptrs(ty: ProgType) -> (i32, i32) {
        if ty == ProgType::Xdp {
            (0, 4)
        } else {
            (76, 80)
        }
    }

    fn packet_block(&mut self) {
        let n = 1 + self.below(64) as i32;
        let skip = self.label();
        self.emit("r1 = r7");
        self.emit(format!("r1 += {n}"));
        if !self.mutate_here(Mutation::PacketNoCheck) {
            self.emit(format!("if r1 > r8 goto {skip}"));
        }
        self.init &= !2;
        let before = self.init;
        for _ in 0..1 + self.below(3) {
            let fits = [1, 2, 4, 8].iter().filter(|s| **s <= n).count() as u32;
            let size = [1, 2, 4, 8][self.below(fits) as usize];
            let mut off = self.below((n - size + 1) as u32) as i32;
            if self.mutate_here(Mutation::PacketOutOfBounds) {
                off = n - size + 1;
            }
            let ty = format!("u{}", size * 8);
            match self.below(4) {
                0 | 1 => {
                    let d = [0, 3, 4, 5][self.below(4) as usize];
                    self.emit(format!("r{d} = *({ty} *)(r7 {off:+})"));
                    self.set_init(d);
                }
                2 => {
                    let s = self.src();
                    self.emit(format!("*({ty} *)(r7 {off:+}) = r{s}"));
                }
                _ => {
                    // A variable offset from a packet byte, checked again.
                    let inner = self.label();
                    self.emit("r2 = *(u8 *)(r7 + 0)");
                    self.emit("r2 &= 31");
                    self.emit("r1 = r7");
                    self.emit("r1 += r2");
                    self.emit("r3 = r1");
                    self.emit("r3 += 4");
                    self.emit(format!("if r3 > r8 goto {inner}"));
                    self.emit("r4 = *(u32 *)(r1 + 0)");
                    self.place(&inner);
                    self.init &= !0x1e;
                }
            }
        }
        self.init &= before | 0x39;
        self.place(&skip);
        self.init &= before;
    }

    fn ld_abs(&mut self) {
        let size = ["u8", "u16", "u32"][self.below(3) as usize];
        let off = self.below(40);
        self.emit(format!("r0 = *({size} *)skb[{off}]"));
        self.clobber_call();
    }

    fn skb_load_bytes(&mut self) {
        let off = self.imm() & 0x3f;
        let len = 1 + self.below(16);
        self.emit("r1 = r6");
        self.emit(format!("r2 = {off}"));
        self.emit("r3 = r10");
        self.emit(format!("r3 += {}", -SCRATCH));
        self.emit(format!("r4 = {len}"));
        self.emit("call 26");
        self.clobber_call();
    }

    fn nondet_helper(&mut self) {
        let id = [5, 7, 8][self.below(3) as usize];
        self.emit(format!("call {id}"));
        self.clobber_call();
        self.deterministic = false;
    }

    fn call_sub(&mut self) {
        if self.depth > 0 && self.subs.is_empty() {
            return self.alu();
        }
        let i = if self.subs.is_empty() || (self.subs.len() < 3 && self.chance(1, 3)) {
            let ptr = self.chance(1, 3);
            self.subs.push(ptr);
            self.subs.len() - 1
        } else {
            self.below(self.subs.len() as u32) as usize
        };
        let s = self.src();
        self.emit(format!("r1 = r{s}"));
        if self.subs[i] {
            let v = self.src();
            self.emit(format!("*(u64 *)(r10 - 48) = r{v}"));
            self.emit("r2 = r10");
            self.emit("r2 += -48");
        } else {
            let v = self.src();
            self.emit(format!("r2 = r{v}"));
        }
        self.emit(format!("call f{i}"));
        self.clobber_call();
    }

    /// A site for mutations that need no construct of their own.
    fn mutation_site(&mut self) {
        let m = self.mutation;
        if m == Some(Mutation::WriteR10) && self.mutate_here(Mutation::WriteR10) {
            self.emit("r10 += 8");
        } else if m == Some(Mutation::CtxPointerArith)
            && self.mutate_here(Mutation::CtxPointerArith)
        {
            let s = self.src();
            self.emit("r1 = r6");
            self.emit(format!("r1 += r{s}"));
            self.emit("r2 = *(u32 *)(r1 + 0)");
            self.init &= !2;
            self.set_init(2);
        } else if m == Some(Mutation::UnknownHelper) && self.mutate_here(Mutation::UnknownHelper) {
            self.emit("call 999");
            self.clobber_call();
        } else if m == Some(Mutation::PacketEndRead)
            && self.packet
            && self.mutate_here(Mutation::PacketEndRead)
        {
            self.emit("r0 = *(u8 *)(r8 + 0)");
            self.set_init(0);
        } else if m == Some(Mutation::StackVarUnbounded)
            && self.mutate_here(Mutation::StackVarUnbounded)
        {
            let s = self.src();
            self.emit("r1 = r10");
            self.emit(format!("r1 += r{s}"));
            self.emit("*(u8 *)(r1 - 8) = 0");
            self.init &= !2;
        } else {
            self.alu();
        }
    }

    fn subprogram(&mut self, i: usize, ptr: bool) {
        self.out.push(format!("f{i}:"));
        self.init = 0b10;
        self.emit("r0 = r1");
        self.set_init(0);
        if ptr {
            self.emit("r3 = *(u64 *)(r2 + 0)");
            self.emit("r0 += r3");
            self.set_init(3);
        } else {
            self.set_init(2);
        }
        for _ in 0..1 + self.below(3) {
            self.alu();
        }
        self.emit("exit");
    }
}

/// Generates a program from the choices in `data`: about `size` statements, breaking one
/// rule when `mutate`.
pub fn from_bytes(data: &[u8], size: usize, mutate: bool) -> Generated {
    let mut u = Unstructured::new(data);
    let ty =
        [ProgType::SocketFilter, ProgType::Xdp, ProgType::SchedCls][ok(u.int_in_range(0..=2usize))];
    let mutation = if mutate {
        Some(MUTATIONS[ok(u.int_in_range(0..=MUTATIONS.len() - 1))])
    } else {
        None
    };
    let packet = ty != ProgType::SocketFilter;
    let mut g = G {
        u: &mut u,
        out: Vec::new(),
        labels: 0,
        ty,
        packet,
        init: 0,
        slots: 0,
        in_loop: false,
        depth: 0,
        budget: size,
        subs: Vec::new(),
        deterministic: true,
        mutation,
        applied: false,
    };
    g.emit("r6 = r1");
    if packet {
        let (d, e) = G::data_ptrs(ty);
        g.emit(format!("r7 = *(u32 *)(r6 + {d})"));
        g.emit(format!("r8 = *(u32 *)(r6 + {e})"));
    }
    while g.budget > 0 {
        g.stmt();
    }
    if let Some(m) = g.mutation.filter(|_| !g.applied) {
        // The construct never came up: break the rule at the end.
        g.applied = true;
        match m {
            Mutation::InfiniteLoop => {
                let l = g.label();
                g.place(&l);
                g.emit(format!("goto {l}"));
            }
            Mutation::WriteR10 => g.emit("r10 = 0"),
            Mutation::UnknownHelper => g.emit("call 999"),
            _ => g.emit("r0 = *(u64 *)(r10 - 520)"),
        }
    }
    let r = g.src();
    g.emit(format!("r0 = r{r}"));
    g.emit("exit");
    let mut i = 0;
    while i < g.subs.len() {
        let ptr = g.subs[i];
        g.subprogram(i, ptr);
        i += 1;
    }
    let mut text = format!("; generated program\n; type: {}\n", ty.name());
    text += &map_directives();
    for l in &g.out {
        text += l;
        text.push('\n');
    }
    Generated {
        text,
        prog_type: ty,
        mutation: g.mutation,
        deterministic: g.deterministic,
    }
}

/// The program of campaign `seed` at `index`: one program in `mutate_every` breaks a rule.
pub fn generate(seed: u64, index: u64, size: usize, mutate_every: u64) -> Generated {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xa076_1d64_78bd_642f));
    let data = rng.bytes(16 * 1024);
    let mutate = mutate_every > 0 && index % mutate_every == mutate_every - 1;
    from_bytes(&data, size, mutate)
}
