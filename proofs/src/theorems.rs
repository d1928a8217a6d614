//! The theorems: one per transfer function of the verifier's domains (and per operation and
//! width where a function covers several), each a bit-vector query that Z3 decides.
//!
//! Every theorem has the same shape: hypotheses over fresh symbolic abstract values and
//! concrete members, and a goal; Z3 is asked for an assignment that satisfies the hypotheses
//! and violates the goal. None (unsat) proves the theorem for every value of that width; an
//! assignment is a counterexample; running out of time is a timeout. Both sides of each
//! theorem are the project's own code run on [`Bv`] words: the abstract operator from
//! `verifier::domain` and the concrete operation from `semantics::alu`, which the interpreter
//! runs.
//!
//! Widths: a theorem is about an operation at 64 or 32 bits (its `width`). It is checked on
//! words of `bits` bits (64 by default): an ALU64 theorem on `Scalar<Bv<bits>>`, an ALU32
//! one on the same scalar's low half (`bits / 2`), and a tnum or view theorem at 32 bits on
//! `Bv<bits / 2>`. At `bits = 64` that is exactly the kernel's setting; smaller `bits`
//! scale every word down together.

use crate::arith::{self, Lemma};
use crate::bv::Bv;
use semantics::isa::{AluOp, EndKind, JmpCond, Width};
use semantics::word::{Split, Word};
use std::time::{Duration, Instant};
use verifier::domain::{Scalar, Tnum, View};
use z3::ast::{Bool, BV};
use z3::{Params, SatResult, Solver};

/// A word that Z3 can reason about: a fresh unknown, and its term.
pub trait Term: Word<Bool = Bool> {
    fn fresh(name: &str) -> Self;
    fn term(&self) -> &BV;
    /// A fresh one-bit unknown, zero-extended to a word: 0 or 1.
    fn fresh_bit(name: &str) -> Self;
}

impl<const N: u32> Term for Bv<N> {
    fn fresh(name: &str) -> Self {
        Bv::fresh(name)
    }
    fn term(&self) -> &BV {
        &self.0
    }
    fn fresh_bit(name: &str) -> Self {
        Bv(BV::new_const(name, 1).zero_ext(N - 1))
    }
}

/// The binary tnum operations with a concrete counterpart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TnumOp {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Mul,
    MulUnion,
}

/// The shifts by a constant amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    Left,
    Right,
    Arith,
}

/// The binary view operations (all with a concrete counterpart in `semantics::alu`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewOp {
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Lsh,
    Rsh,
    Arsh,
    Div,
    Mod,
    Sdiv,
    Smod,
}

/// What a theorem states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spec {
    /// x ∈ γ(a), y ∈ γ(b) ⟹ x op y ∈ γ(a op# b), and the result is well formed.
    Tnum(TnumOp),
    TnumNeg,
    /// For every amount k below the width.
    TnumShift(Shift),
    /// x ∈ γ(a) ∩ γ(b) ⟹ x ∈ γ(intersect(a, b)) and `compatible(a, b)`.
    TnumIntersect,
    /// x ∈ γ(a) ∪ γ(b) ⟹ x ∈ γ(join(a, b)).
    TnumJoin,
    /// min ≤ x ≤ max ⟹ x ∈ γ(range(min, max)); the result is always well formed.
    TnumRange,
    /// includes(a, b) ∧ x ∈ γ(b) ⟹ x ∈ γ(a).
    TnumIncludes,
    /// x ∈ γ(a) ⟹ the low 8, 16 or 32 bits of x are in γ(cast(a)).
    TnumCast,
    /// is_aligned(a, n) ∧ x ∈ γ(a) ⟹ x is a multiple of n (n = 1, 2, 4, 8).
    TnumAligned,
    /// x ∈ γ(a), y ∈ γ(b) ⟹ x op y ∈ γ(a op# b), on one width's view.
    View(ViewOp),
    ViewJoin,
    /// The scalar ALU transfer function: x ∈ γ(a), y ∈ γ(b) ⟹ alu(op, x, y) (at 32 bits on
    /// the low halves, zero-extended) ∈ γ(a.alu(op, width, b)), and the result is well
    /// formed.
    Alu(AluOp),
    Neg,
    /// Byte-order instructions of every size (16, 32, 64).
    End(EndKind),
    /// x ∈ γ(s) ⟹ x ∈ γ(rule(s)), for the `i`th rule of `Scalar::RULES`: together, since
    /// `sync` only applies these rules in turn, x ∈ γ(s) ⟹ x ∈ γ(sync(s)).
    SyncRule(usize),
    /// x ∈ γ(t) ⟹ x ∈ γ(from_tnum(t)).
    FromTnum,
    /// x ∈ γ(s) ⟹ maybe_nonempty(s).
    NonEmpty,
    /// x ∈ γ(a) ∪ γ(b) ⟹ x ∈ γ(join(a, b)), well formed.
    Join,
    Widen,
    /// is_subsumed_by(a, b) ∧ x ∈ γ(a) ⟹ x ∈ γ(b).
    Subsumption,
    /// For each edge of `if a cond b`: a pair of members that takes it is in the edge's
    /// refined operands, which are well formed, and the edge is feasible.
    Branch(JmpCond),
    /// A fact of integer arithmetic (over the unbounded integers, so at every width).
    Arith(Lemma),
    /// One round of a tnum multiplication's loop keeps its partial product (see
    /// `tnum_mul_by_rounds`).
    TnumMulRound(TnumOp),
}

/// One theorem: what it states, at which operation width, and the public functions of the
/// domains it is about.
#[derive(Clone, Debug)]
pub struct Theorem {
    pub name: String,
    /// The operation's width: 64 or 32.
    pub width: u32,
    pub spec: Spec,
    /// `Type::function` for every public function whose soundness this theorem states.
    pub covers: Vec<&'static str>,
    /// The theorems this one assumes (a compositional proof): it holds at the narrowest
    /// width any of them is proved at.
    pub uses: Vec<String>,
    /// The widest words a run tries it on by default (64 for most), and why not wider.
    pub widest: u32,
    pub why_narrow: &'static str,
}

/// How one attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Proved,
    Counterexample(Cex),
    Timeout,
}

/// The values that break a theorem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cex {
    /// In the kernel's log notation.
    pub text: String,
    /// Each shown value's fields (a word: itself; a tnum: value, mask; a view: value, mask,
    /// umin, umax, smin, smax; a scalar: value, mask, umin, umax, smin, smax, u32_min,
    /// u32_max, s32_min, s32_max), by name.
    pub values: Vec<(String, Vec<u64>)>,
}

fn name_of<T: std::fmt::Debug>(t: T) -> String {
    format!("{t:?}").to_lowercase()
}

/// Every theorem, the most expensive first (so that they start first when run in parallel).
pub fn all() -> Vec<Theorem> {
    let mut v = Vec::new();
    let mut add = |name: String, width: u32, spec: Spec, covers: &[&'static str]| {
        v.push(Theorem {
            name,
            width,
            spec,
            covers: covers.to_vec(),
            uses: Vec::new(),
            widest: 64,
            why_narrow: "",
        })
    };
    for width in [64, 32] {
        let w = if width == 64 { "64" } else { "32" };
        for op in AluOp::ALL {
            add(
                format!("scalar alu{w} {}", name_of(op)),
                width,
                Spec::Alu(op),
                &[
                    "Scalar::alu",
                    "Scalar::view64",
                    "Scalar::view32",
                    "Scalar::select",
                ],
            );
        }
        add(format!("scalar neg{w}"), width, Spec::Neg, &["Scalar::neg"]);
        for c in JmpCond::ALL {
            add(
                format!(
                    "scalar branch j{}{}",
                    name_of(c),
                    if width == 32 { "32" } else { "" }
                ),
                width,
                Spec::Branch(c),
                &["Scalar::branch", "Scalar::is_branch_taken"],
            );
        }
    }
    for kind in [EndKind::Le, EndKind::Be, EndKind::Swap] {
        add(
            format!("scalar end {}", name_of(kind)),
            64,
            Spec::End(kind),
            &["Scalar::end"],
        );
    }
    for (i, (rule, _)) in Scalar::<u64>::RULES.iter().enumerate() {
        add(
            format!("scalar sync {rule}"),
            64,
            Spec::SyncRule(i),
            &["Scalar::sync"],
        );
    }
    add(
        "scalar from_tnum".into(),
        64,
        Spec::FromTnum,
        &["Scalar::from_tnum"],
    );
    add(
        "scalar maybe_nonempty".into(),
        64,
        Spec::NonEmpty,
        &["Scalar::maybe_nonempty", "Scalar::check_invariants"],
    );
    add("scalar join".into(), 64, Spec::Join, &["Scalar::join"]);
    add("scalar widen".into(), 64, Spec::Widen, &["Scalar::widen"]);
    add(
        "scalar subsumption".into(),
        64,
        Spec::Subsumption,
        &["Scalar::is_subsumed_by"],
    );
    for width in [64, 32] {
        let w = if width == 64 { "64" } else { "32" };
        let views = [
            (ViewOp::Mul, "View::mul"),
            (ViewOp::Div, "View::div"),
            (ViewOp::Mod, "View::modulo"),
            (ViewOp::Sdiv, "View::sdiv"),
            (ViewOp::Smod, "View::smod"),
            (ViewOp::Lsh, "View::lsh"),
            (ViewOp::Rsh, "View::rsh"),
            (ViewOp::Arsh, "View::arsh"),
            (ViewOp::Add, "View::add"),
            (ViewOp::Sub, "View::sub"),
            (ViewOp::And, "View::and"),
            (ViewOp::Or, "View::or"),
            (ViewOp::Xor, "View::xor"),
        ];
        for (op, f) in views {
            add(
                format!("view{w} {}", name_of(op)),
                width,
                Spec::View(op),
                &[f],
            );
        }
        add(
            format!("view{w} join"),
            width,
            Spec::ViewJoin,
            &["View::join"],
        );
        for (op, f) in [
            (TnumOp::Mul, "Tnum::mul_step"),
            (TnumOp::MulUnion, "Tnum::mul_union_step"),
        ] {
            add(
                format!("tnum{w} {} round", name_of(op)),
                width,
                Spec::TnumMulRound(op),
                &[f],
            );
        }
        let tnums = [
            (TnumOp::Mul, "Tnum::mul"),
            (TnumOp::MulUnion, "Tnum::mul_union"),
            (TnumOp::Add, "Tnum::add"),
            (TnumOp::Sub, "Tnum::sub"),
            (TnumOp::And, "Tnum::and"),
            (TnumOp::Or, "Tnum::or"),
            (TnumOp::Xor, "Tnum::xor"),
        ];
        for (op, f) in tnums {
            add(
                format!("tnum{w} {}", name_of(op)),
                width,
                Spec::Tnum(op),
                &[f],
            );
        }
        add(format!("tnum{w} neg"), width, Spec::TnumNeg, &["Tnum::neg"]);
        for (s, f) in [
            (Shift::Left, "Tnum::lshift"),
            (Shift::Right, "Tnum::rshift"),
            (Shift::Arith, "Tnum::arshift"),
        ] {
            add(
                format!("tnum{w} {}", &f[6..]),
                width,
                Spec::TnumShift(s),
                &[f],
            );
        }
        add(
            format!("tnum{w} intersect"),
            width,
            Spec::TnumIntersect,
            &["Tnum::intersect", "Tnum::compatible"],
        );
        add(
            format!("tnum{w} join"),
            width,
            Spec::TnumJoin,
            &["Tnum::join"],
        );
        add(
            format!("tnum{w} range"),
            width,
            Spec::TnumRange,
            &["Tnum::range"],
        );
        add(
            format!("tnum{w} includes"),
            width,
            Spec::TnumIncludes,
            &["Tnum::includes"],
        );
        add(
            format!("tnum{w} cast"),
            width,
            Spec::TnumCast,
            &["Tnum::cast", "Tnum::subreg"],
        );
        add(
            format!("tnum{w} is_aligned"),
            width,
            Spec::TnumAligned,
            &["Tnum::is_aligned"],
        );
    }
    for th in v.iter_mut() {
        if let Spec::Alu(op) = th.spec {
            if compositional(op) {
                let op = name_of(op);
                th.uses.push(format!("view{} {op}", th.width));
                if th.width == 64 && op == "mul" {
                    th.uses.push(format!("view32 {op}"));
                }
            }
        }
    }
    add_arith(&mut v);
    for th in v.iter_mut() {
        // Measured on this machine kind (2 threads, 24 GB): what Z3 cannot do at wider
        // words, so that a default run does not spend its time or memory there. `--width`
        // still tries any width.
        let (op_bits, why) = match th.spec {
            Spec::View(ViewOp::Lsh | ViewOp::Rsh | ViewOp::Arsh) => (
                16,
                "the join over every shift amount exhausts 8 GB of Z3 memory at 32 bits",
            ),
            Spec::Tnum(TnumOp::Mul | TnumOp::MulUnion) => (
                32,
                "the last step (x * y against the rounds' sum) takes over 300 s at 64 bits",
            ),
            _ => (64, ""),
        };
        let scale = if th.width == 32 { 2 } else { 1 };
        th.widest = (op_bits * scale).min(64);
        th.why_narrow = why;
        // Timeouts at the widest words within 30 s (`--timeout 30`, this machine kind):
        // their widest word width proved instead.
        if let Some((_, bits)) = SLOW.iter().find(|(n, _)| *n == th.name) {
            th.widest = *bits;
            th.why_narrow = "no answer within 30 s at the next wider words";
        }
    }
    v
}

fn add_arith(v: &mut Vec<Theorem>) {
    for l in Lemma::ALL {
        v.push(Theorem {
            name: l.name().into(),
            width: 64,
            spec: Spec::Arith(l),
            covers: Vec::new(),
            uses: Vec::new(),
            widest: 64,
            why_narrow: "",
        });
    }
    for th in v.iter_mut() {
        let uses: &[Lemma] = match th.spec {
            Spec::View(ViewOp::Div) => &[
                Lemma::DivGrowsWithDividend,
                Lemma::DivShrinksWithDivisor,
                Lemma::DivAtMostDividend,
            ],
            Spec::View(ViewOp::Mod) => &[Lemma::ModBelowBoth],
            Spec::View(ViewOp::Mul) => &[Lemma::MulGrows, Lemma::MulBetween],
            _ => &[],
        };
        th.uses.extend(uses.iter().map(|l| l.name().to_string()));
        if th.spec == Spec::View(ViewOp::Mul) {
            th.uses.push(format!("tnum{} mul", th.width));
            th.uses.push(format!("tnum{} mulunion", th.width));
            th.covers.push("View::mul_signed_ends");
        }
        if let Spec::Tnum(op @ (TnumOp::Mul | TnumOp::MulUnion)) = th.spec {
            th.uses
                .push(format!("tnum{} {} round", th.width, name_of(op)));
            if op == TnumOp::Mul {
                th.uses.push(format!("tnum{} add", th.width));
            }
            th.covers.push("Tnum::long_multiply");
        }
    }
}

/// Theorems that time out at wider words (measured with `--timeout 30`), with the word
/// width (of the register, not of a 32-bit operation) a default run starts at.
const SLOW: [(&str, u32); 16] = [
    ("scalar alu64 sub", 32),
    ("scalar branch jeq", 32),
    ("scalar branch jgt", 32),
    ("scalar branch jset", 32),
    ("scalar branch jne", 32),
    ("scalar branch jsgt", 32),
    ("scalar branch jslt", 32),
    ("scalar branch jsle", 32),
    ("scalar branch jeq32", 32),
    ("scalar branch jne32", 32),
    ("scalar branch jsgt32", 32),
    ("scalar branch jle32", 32),
    ("view64 div", 32),
    ("view64 add", 32),
    ("view64 sub", 16),
    ("view32 sub", 32),
];

/// Whether the scalar ALU theorem of `op` assumes the view theorems of `op` (its view
/// operations replaced by their proved contract) instead of expanding them: the
/// multiplications, divisions and shifts, whose direct queries are beyond Z3 at 16 bits
/// (or, for the shifts, at 32).
pub fn compositional(op: AluOp) -> bool {
    matches!(
        op,
        AluOp::Mul
            | AluOp::Div
            | AluOp::Mod
            | AluOp::Sdiv
            | AluOp::Smod
            | AluOp::Lsh
            | AluOp::Rsh
            | AluOp::Arsh
    )
}

/// A value to show in a counterexample, with its name.
#[derive(Clone)]
enum Shown {
    Word(String, BV),
    Tnum(String, [BV; 2]),
    View(String, [BV; 6]),
    Scalar(String, [BV; 10]),
}

fn show_word<V: Term>(n: &str, x: &V) -> Shown {
    Shown::Word(n.into(), x.term().clone())
}
fn show_tnum<V: Term>(n: &str, t: &Tnum<V>) -> Shown {
    Shown::Tnum(n.into(), [t.value.term().clone(), t.mask.term().clone()])
}
fn show_view<V: Term>(n: &str, v: &View<V>) -> Shown {
    Shown::View(
        n.into(),
        [&v.t.value, &v.t.mask, &v.umin, &v.umax, &v.smin, &v.smax].map(|x| x.term().clone()),
    )
}
fn show_scalar<W: Split + Term>(n: &str, s: &Scalar<W>) -> Shown
where
    W::Half: Term,
{
    let w = [
        &s.var_off.value,
        &s.var_off.mask,
        &s.umin,
        &s.umax,
        &s.smin,
        &s.smax,
    ]
    .map(|x| x.term().clone());
    let [v, m, umin, umax, smin, smax] = w;
    let [u32_min, u32_max, s32_min, s32_max] =
        [&s.u32_min, &s.u32_max, &s.s32_min, &s.s32_max].map(|x| x.term().clone());
    Shown::Scalar(
        n.into(),
        [
            v, m, umin, umax, smin, smax, u32_min, u32_max, s32_min, s32_max,
        ],
    )
}

fn fresh_tnum<V: Term>(n: &str) -> Tnum<V> {
    Tnum::new(
        V::fresh(&format!("{n}.value")),
        V::fresh(&format!("{n}.mask")),
    )
}

fn fresh_view<V: Term>(n: &str) -> View<V> {
    View {
        t: fresh_tnum(n),
        umin: V::fresh(&format!("{n}.umin")),
        umax: V::fresh(&format!("{n}.umax")),
        smin: V::fresh(&format!("{n}.smin")),
        smax: V::fresh(&format!("{n}.smax")),
    }
}

fn fresh_scalar<W: Split + Term>(n: &str) -> Scalar<W>
where
    W::Half: Term,
{
    Scalar {
        var_off: fresh_tnum(n),
        umin: W::fresh(&format!("{n}.umin")),
        umax: W::fresh(&format!("{n}.umax")),
        smin: W::fresh(&format!("{n}.smin")),
        smax: W::fresh(&format!("{n}.smax")),
        u32_min: <W::Half as Term>::fresh(&format!("{n}.u32_min")),
        u32_max: <W::Half as Term>::fresh(&format!("{n}.u32_max")),
        s32_min: <W::Half as Term>::fresh(&format!("{n}.s32_min")),
        s32_max: <W::Half as Term>::fresh(&format!("{n}.s32_max")),
    }
}

/// Runs `f` with every `Scalar::sync` on `W` words replaced by a fresh scalar that keeps
/// each of `points` that its input has (the rules' theorems prove that `sync` does), and
/// returns `f`'s result with those constraints. A proof under the constraints holds for
/// `sync` itself, which satisfies them.
fn summarised<W: Split + Term, R>(points: &[W], f: impl FnOnce() -> R) -> (R, Summarised<W>)
where
    W::Half: Term,
{
    summarised_with(points, None, f)
}

/// A view contract for [`summarised_with`]: the view operation of `op`, replaced at both
/// widths by a fresh view that holds `op(x, y)` when its operands hold `x` and `y` (the
/// pair at `W`, and the pair of low halves at `W::Half`).
struct Contract<W: Split> {
    op: AluOp,
    pair: [W; 2],
    half: [W::Half; 2],
}

/// The view summary of `c` at words `V`: fresh views named `view{k}`, their constraints
/// pushed to `out`.
fn view_contract<V: Term>(
    op: AluOp,
    pair: [V; 2],
    out: std::rc::Rc<std::cell::RefCell<Vec<Bool>>>,
) -> verifier::domain::scalar::summary::ViewSummary<V> {
    Box::new(move |o, a, b| {
        if o != op {
            return None;
        }
        let mut out = out.borrow_mut();
        let r = fresh_view::<V>(&format!("view{}.{}", V::BITS, out.len()));
        let [x, y] = &pair;
        let z = semantics::alu::alu(op, x, y);
        let both = Bool::and(&[&a.contains(x), &b.contains(y)]);
        out.push(both.implies(Bool::and(&[&r.contains(&z), &r.t.check_invariants()])));
        Some(r)
    })
}

/// [`summarised`], and with `contract` the view operations it names replaced by their
/// theorems' contract (a compositional proof).
fn summarised_with<W: Split + Term, R>(
    points: &[W],
    contract: Option<Contract<W>>,
    f: impl FnOnce() -> R,
) -> (R, Summarised<W>)
where
    W::Half: Term,
{
    use std::cell::RefCell;
    use std::rc::Rc;
    let state = Rc::new(RefCell::new(Summarised {
        constraints: Vec::new(),
        inputs: Vec::new(),
    }));
    let (st, pts) = (state.clone(), points.to_vec());
    let summary: verifier::domain::scalar::summary::Summary<W> = Box::new(move |s| {
        let mut st = st.borrow_mut();
        let r = fresh_scalar::<W>(&format!("sync{}", st.inputs.len()));
        for p in &pts {
            st.constraints.push(s.contains(p).implies(r.contains(p)));
        }
        st.inputs.push(s.clone());
        r
    });
    let views = Rc::new(RefCell::new(Vec::new()));
    let mut all: Vec<Box<dyn std::any::Any>> = vec![Box::new(summary)];
    if let Some(c) = contract {
        all.push(Box::new(view_contract::<W>(c.op, c.pair, views.clone())));
        all.push(Box::new(view_contract::<W::Half>(
            c.op,
            c.half,
            views.clone(),
        )));
    }
    let out = verifier::domain::scalar::summary::with_all(all, f);
    let st = state.borrow();
    let mut constraints = st.constraints.clone();
    constraints.extend(views.borrow().iter().cloned());
    (
        out,
        Summarised {
            constraints,
            inputs: st.inputs.clone(),
        },
    )
}

/// What `summarised` saw: the constraints on the summaries, and each `sync` call's input.
struct Summarised<W: Split> {
    constraints: Vec<Bool>,
    inputs: Vec<Scalar<W>>,
}

impl<W: Split + Term> Summarised<W>
where
    W::Half: Term,
{
    /// Hints that each sync call's input has the point `p` (when `cond`).
    fn hints(&self, p: &W, cond: Option<&Bool>) -> Vec<Bool> {
        self.inputs
            .iter()
            .flat_map(|s| scalar_parts(s, p))
            .map(|h| match cond {
                Some(c) => c.implies(&h),
                None => h,
            })
            .collect()
    }
}

/// x ∈ γ(s), as its nine conditions (`Scalar::contains_parts`). A scalar with a member is
/// well formed (theorem `scalar maybe_nonempty`), so membership goals need no separate
/// well-formedness goal.
pub fn scalar_parts<W: Split + Term>(s: &Scalar<W>, x: &W) -> Vec<Bool>
where
    W::Half: Term,
{
    s.contains_parts(x).to_vec()
}

/// x ∈ γ(v), as its five conditions (`View::contains_parts`).
pub fn view_parts<V: Term>(v: &View<V>, x: &V) -> Vec<Bool> {
    v.contains_parts(x).to_vec()
}

/// Both operands constant (where division and remainder are exact), the first not, or only
/// the second not: each case asserts atoms, so Z3 simplifies the operators' choice between
/// the exact answer and the general one before it bit-blasts either.
fn const_cases(a: &Bool, b: &Bool) -> Vec<Bool> {
    vec![Bool::and(&[a, b]), a.not(), Bool::and(&[a, &b.not()])]
}

fn and(v: &[Bool]) -> Bool {
    let r: Vec<&Bool> = v.iter().collect();
    Bool::and(&r)
}

/// A query: the hypotheses, the goal (a conjunction, each part decided on its own), and
/// what to show of a counterexample.
pub struct Query {
    /// Cases that together cover every input: each part is decided under each case
    /// asserted as a fact (a case that fixes an operand lets Z3 substitute it). Empty: one
    /// case, no assumption.
    cases: Vec<Bool>,
    /// Facts that would help the goal (a transfer function's result before its `sync`
    /// keeps the member, say): each proved one joins the hypotheses; the others are dropped.
    hints: Vec<Bool>,
    /// Identities of ring arithmetic (sums and products of words), decided first by Z3's
    /// simplifier normalising both sides to sums of monomials, which bit-blasting cannot do
    /// for products; each joins the hypotheses, and one that is not proved leaves the
    /// query undecided.
    ring: Vec<Bool>,
    hyps: Vec<Bool>,
    goal: Vec<Bool>,
    shown: Vec<Shown>,
    /// Where a hint or a part of the goal needs only a few facts, those facts, by its index
    /// (`hint_context[i]` for hint i, `goal_context[j]` for part j): it is decided with them
    /// alone (a smaller query). A context may name only hypotheses, ring identities, hints
    /// with a context, earlier parts of the goal, and instances of theorems the theorem
    /// `uses` (the integer lemmas, another operator's theorem at these terms), which hold by
    /// those theorems: each of the others must be proved (a hint with a context that is not
    /// leaves the query undecided), so the facts are true.
    /// Missing or `None`: with every hypothesis and proved hint.
    hint_context: Vec<Option<Vec<Bool>>>,
    goal_context: Vec<Option<Vec<Bool>>>,
    /// Terms that the goal's parts are decided without looking into: each is replaced, in
    /// the part and in its facts, by a fresh unknown of its size. What holds for every value
    /// of the unknown holds for the term's (so a proof stands); a refutation may only be the
    /// abstraction's, so it leaves the query undecided. Products go here once the facts
    /// they need (their order, their halves) are stated, so that Z3 does not bit-blast a
    /// multiplier.
    opaque: Vec<BV>,
    /// The same for hint i (its own, not the goal's).
    hint_opaque: Vec<Vec<BV>>,
    /// The theorem stated directly, without the steps: where a step or a part with fewer
    /// facts or opaque terms is refuted, which proves nothing either way, this decides the
    /// theorem itself in the time left (a counterexample is then a real one).
    direct: Option<Box<Query>>,
}

/// A step, or a part decided with fewer facts or opaque terms, was refuted: the theorem
/// may hold (the step or the abstraction was too weak) or not.
struct Refuted;

/// Terms replaced by fresh unknowns of their sizes (see `Query::opaque`).
struct Opaque<'a> {
    terms: Vec<&'a BV>,
    unknowns: Vec<BV>,
}

impl<'a> Opaque<'a> {
    fn new(opaque: &'a [BV]) -> Self {
        // Each term once (a term listed twice would get two unknowns, and one of them would
        // stand for every occurrence).
        let mut terms: Vec<&BV> = Vec::new();
        for t in opaque {
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
        let unknowns = terms
            .iter()
            .map(|t| BV::fresh_const("opaque", t.get_size()))
            .collect();
        Opaque { terms, unknowns }
    }

    fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    fn one(&self, b: &Bool) -> Bool {
        if self.is_empty() {
            return b.clone();
        }
        let pairs: Vec<(&BV, &BV)> = self.terms.iter().copied().zip(&self.unknowns).collect();
        z3::ast::Ast::substitute(b, &pairs)
    }

    fn all(&self, bs: &[Bool]) -> Vec<Bool> {
        bs.iter().map(|b| self.one(b)).collect()
    }
}

impl Query {
    /// No hypotheses, no goal, no hints: the base of a query's fields.
    fn empty() -> Query {
        Query {
            cases: Vec::new(),
            hints: Vec::new(),
            ring: Vec::new(),
            hyps: Vec::new(),
            goal: Vec::new(),
            shown: Vec::new(),
            hint_context: Vec::new(),
            goal_context: Vec::new(),
            opaque: Vec::new(),
            hint_opaque: Vec::new(),
            direct: None,
        }
    }

    /// Decides the query within `timeout`: each part of the goal in turn, within what is
    /// left of the time.
    pub fn decide(&self, timeout: Duration) -> Status {
        let t0 = Instant::now();
        match self.decide_steps(timeout) {
            Err(Refuted) => match &self.direct {
                Some(d) => d.decide(timeout.saturating_sub(t0.elapsed())),
                None => Status::Timeout,
            },
            Ok(st) => st,
        }
    }

    /// [`Query::decide`] without the direct attempt: `Err` where a step or a part was
    /// refuted only in a restricted context or with opaque terms.
    fn decide_steps(&self, timeout: Duration) -> Result<Status, Refuted> {
        let t0 = Instant::now();
        let debug = std::env::var_os("PROOFS_DEBUG").is_some();
        let mut hyps = self.hyps.clone();
        for (i, r) in self.ring.iter().enumerate() {
            let proved = ring_identity(r);
            if debug {
                eprintln!("  ring {i}: {proved}");
            }
            // Contexts may name it as a fact: unproved, nothing after it can stand.
            if !proved {
                return Ok(Status::Timeout);
            }
            hyps.push(r.clone());
        }
        for (i, hint) in self.hints.iter().enumerate() {
            let left = timeout.saturating_sub(t0.elapsed());
            if left.is_zero() {
                return Ok(Status::Timeout);
            }
            let t1 = Instant::now();
            let ctx = self.hint_context.get(i).and_then(Option::as_ref);
            let opaque = Opaque::new(self.hint_opaque.get(i).map_or(&[], Vec::as_slice));
            // A hint with a context is a step the proof needs: it may take all that is left.
            // One without is optional: it may not starve the goal.
            let budget = if ctx.is_some() {
                left
            } else {
                left.min(timeout / 4)
            };
            let st = decide_one(
                &opaque.all(ctx.unwrap_or(&hyps)),
                &opaque.one(hint),
                budget,
                None,
            );
            if debug {
                eprintln!(
                    "  hint {i}: {:?} in {:.2?}",
                    std::mem::discriminant(&st),
                    t1.elapsed()
                );
            }
            if st == Status::Proved {
                hyps.push(hint.clone());
            } else if ctx.is_some() {
                // A hint with a context is a step that later contexts name as a fact.
                return match st {
                    Status::Counterexample(_) => Err(Refuted),
                    _ => Ok(Status::Timeout),
                };
            }
        }
        let opaque = Opaque::new(&self.opaque);
        // Under debugging, a refutation also shows the opaque terms' unknowns (of at most
        // 64 bits).
        let mut shown: Vec<Shown> = self.shown.to_vec();
        if debug {
            for (i, u) in opaque.unknowns.iter().enumerate() {
                if u.get_size() <= 64 {
                    shown.push(Shown::Word(format!("opaque{i}"), u.clone()));
                }
            }
        }
        for (i, part) in self.goal.iter().enumerate() {
            let left = timeout.saturating_sub(t0.elapsed());
            if left.is_zero() {
                return Ok(Status::Timeout);
            }
            let t1 = Instant::now();
            let mut st = Status::Proved;
            let cases = if self.cases.is_empty() {
                vec![Bool::from_bool(true)]
            } else {
                self.cases.clone()
            };
            for case in &cases {
                let left = timeout.saturating_sub(t0.elapsed());
                let mut h = match self.goal_context.get(i) {
                    Some(Some(c)) => c.clone(),
                    _ => hyps.clone(),
                };
                h.push(case.clone());
                let h = opaque.all(&h);
                let t2 = Instant::now();
                st = decide_one(&h, &opaque.one(part), left, Some(&shown));
                if debug {
                    eprintln!(
                        "    case: {:?} in {:.2?}",
                        std::mem::discriminant(&st),
                        t2.elapsed()
                    );
                }
                if st != Status::Proved {
                    break;
                }
            }
            if debug {
                eprintln!(
                    "  part {i}: {:?} in {:.2?}",
                    std::mem::discriminant(&st),
                    t1.elapsed()
                );
            }
            match st {
                Status::Proved => {}
                // Refuted with only some of the facts: not a counterexample to the theorem.
                Status::Counterexample(c)
                    if matches!(self.goal_context.get(i), Some(Some(_))) || !opaque.is_empty() =>
                {
                    if debug {
                        eprintln!(
                            "  part {i} refuted with fewer facts or opaque terms: {}",
                            c.text
                        );
                    }
                    return Err(Refuted);
                }
                other => return Ok(other),
            }
        }
        Ok(Status::Proved)
    }
}

/// Whether `r` simplifies to true once both sides of its equations are sums of monomials
/// (Z3's `som`): ring normalisation, valid for words (the integers modulo 2^N).
fn ring_identity(r: &Bool) -> bool {
    let mut p = Params::new();
    p.set_bool("som", true);
    p.set_u32("som_blowup", 1_000_000);
    let goal = z3::Goal::new(false, false, false);
    goal.assert(&r.not());
    match z3::Tactic::new("simplify").with(&p).apply(&goal, None) {
        Ok(res) => res.list_subgoals().all(|g| g.is_decided_unsat()),
        Err(_) => false,
    }
}

/// Decides `hyps ⟹ goal` within `timeout`; a counterexample shows `shown` (without it, one
/// is reported with no values).
fn decide_one(hyps: &[Bool], goal: &Bool, timeout: Duration, shown: Option<&[Shown]>) -> Status {
    limit_memory();
    let s = Solver::new();
    let mut p = Params::new();
    p.set_u32(
        "timeout",
        timeout.as_millis().clamp(1, u32::MAX as u128) as u32,
    );
    s.set_params(&p);
    for h in hyps {
        s.assert(h);
    }
    s.assert(goal.not());
    match s.check() {
        SatResult::Unsat => Status::Proved,
        SatResult::Unknown => Status::Timeout,
        SatResult::Sat => {
            let Some(shown) = shown else {
                return Status::Counterexample(Cex {
                    text: String::new(),
                    values: Vec::new(),
                });
            };
            let m = s.get_model().expect("a satisfiable query has a model");
            let val = |b: &BV| {
                m.eval(b, true)
                    .and_then(|v| v.as_u64())
                    .expect("a model gives every bit-vector a value")
            };
            let mut values = Vec::new();
            let parts: Vec<String> = shown
                .iter()
                .map(|sh| {
                    let (n, f): (&String, Vec<&BV>) = match sh {
                        Shown::Word(n, b) => (n, vec![b]),
                        Shown::Tnum(n, f) => (n, f.iter().collect()),
                        Shown::View(n, f) => (n, f.iter().collect()),
                        Shown::Scalar(n, f) => (n, f.iter().collect()),
                    };
                    let x: Vec<u64> = f.iter().map(|b| val(b)).collect();
                    let bits = f[0].get_size();
                    values.push((n.clone(), x.clone()));
                    match sh {
                        Shown::Word(..) => format!("{n}={}", num(x[0], bits)),
                        Shown::Tnum(..) => {
                            format!("{n}=var_off=(0x{:x}; 0x{:x})", x[0], x[1])
                        }
                        Shown::View(..) => format!(
                            "{n}=(umin={},umax={},smin={},smax={},var_off=(0x{:x}; 0x{:x}))",
                            num(x[2], bits),
                            num(x[3], bits),
                            snum(x[4], bits),
                            snum(x[5], bits),
                            x[0],
                            x[1]
                        ),
                        Shown::Scalar(_, f) => {
                            format!("{n}={}", scalar_log(&x, bits, f[6].get_size()))
                        }
                    }
                })
                .collect();
            Status::Counterexample(Cex {
                text: parts.join(" "),
                values,
            })
        }
    }
}

/// Z3's memory for the whole process, in megabytes (`PROOFS_MEMORY_MB`, default 6144): past
/// it the running queries give up (reported as timeouts) instead of exhausting the machine.
fn limit_memory() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let mb = std::env::var("PROOFS_MEMORY_MB").unwrap_or_else(|_| "6144".into());
        z3::set_global_param("memory_max_size", &mb);
    });
}

/// A number as the kernel's log prints it: decimal when small, hexadecimal otherwise.
fn num(v: u64, _bits: u32) -> String {
    if v <= 65535 {
        format!("{v}")
    } else {
        format!("0x{v:x}")
    }
}

/// A signed number of `bits` bits in the same notation.
fn snum(v: u64, bits: u32) -> String {
    let s = if bits >= 64 {
        v as i64
    } else {
        ((v << (64 - bits)) as i64) >> (64 - bits)
    };
    if (-32768..=32767).contains(&s) {
        format!("{s}")
    } else {
        num(v, bits)
    }
}

/// A scalar's fields `[value, mask, umin, umax, smin, smax, u32_min, u32_max, s32_min,
/// s32_max]` in the kernel's notation: `Scalar::log` at 64 bits, every bound spelled out at
/// other widths.
fn scalar_log(x: &[u64], bits: u32, half: u32) -> String {
    if bits == 64 {
        let s = Scalar::<u64> {
            var_off: Tnum::new(x[0], x[1]),
            umin: x[2],
            umax: x[3],
            smin: x[4],
            smax: x[5],
            u32_min: x[6] as u32,
            u32_max: x[7] as u32,
            s32_min: x[8] as u32,
            s32_max: x[9] as u32,
        };
        return s.log();
    }
    format!(
        "scalar(smin={},smax={},umin={},umax={},smin32={},smax32={},umin32={},umax32={},var_off=(0x{:x}; 0x{:x}))",
        snum(x[4], bits),
        snum(x[5], bits),
        num(x[2], bits),
        num(x[3], bits),
        snum(x[8], half),
        snum(x[9], half),
        num(x[6], half),
        num(x[7], half),
        x[0],
        x[1]
    )
}

/// The word widths a theorem can be checked at.
pub const BITS: [u32; 4] = [64, 32, 16, 8];

/// The query of theorem `th` on words of `bits` bits (one of [`BITS`]).
pub fn query(th: &Theorem, bits: u32) -> Query {
    match bits {
        64 => build::<Bv<64>>(th),
        32 => build::<Bv<32>>(th),
        16 => build::<Bv<16>>(th),
        8 => build::<Bv<8>>(th),
        _ => panic!("no words of {bits} bits (the widths are {BITS:?})"),
    }
}

/// Checks theorem `th` on words of `bits` bits within `timeout`; returns the status and the
/// time taken.
pub fn check(th: &Theorem, bits: u32, timeout: Duration) -> (Status, Duration) {
    let t0 = Instant::now();
    // A context of its own, so that the theorem's terms are freed with it.
    let s = z3::with_z3_config(&z3::Config::new(), || query(th, bits).decide(timeout));
    (s, t0.elapsed())
}

fn build<W: Split + Term>(th: &Theorem) -> Query
where
    W::Half: Term,
{
    let width = if th.width == 64 {
        Width::W64
    } else {
        Width::W32
    };
    // Tnum and view theorems at 32 bits run on the half word.
    macro_rules! at_width {
        ($f:ident ( $($arg:expr),* )) => {
            match width {
                Width::W64 => $f::<W>($($arg),*),
                Width::W32 => $f::<W::Half>($($arg),*),
            }
        };
    }
    match th.spec {
        Spec::Tnum(op) => at_width!(tnum_binary(op)),
        Spec::TnumMulRound(op) => at_width!(tnum_mul_round(op)),
        Spec::TnumNeg => at_width!(tnum_neg()),
        Spec::TnumShift(s) => at_width!(tnum_shift(s)),
        Spec::TnumIntersect => at_width!(tnum_intersect()),
        Spec::TnumJoin => at_width!(tnum_join()),
        Spec::TnumRange => at_width!(tnum_range()),
        Spec::TnumIncludes => at_width!(tnum_includes()),
        Spec::TnumCast => at_width!(tnum_cast()),
        Spec::TnumAligned => at_width!(tnum_aligned()),
        Spec::View(op) => at_width!(view_binary(op)),
        Spec::ViewJoin => at_width!(view_join()),
        Spec::Alu(op) => scalar_alu::<W>(op, width),
        Spec::Neg => scalar_neg::<W>(width),
        Spec::End(kind) => scalar_end::<W>(kind),
        Spec::SyncRule(i) => scalar_sync_rule::<W>(i),
        Spec::FromTnum => scalar_from_tnum::<W>(),
        Spec::NonEmpty => scalar_nonempty::<W>(),
        Spec::Join => scalar_join::<W>(false),
        Spec::Widen => scalar_join::<W>(true),
        Spec::Subsumption => scalar_subsumption::<W>(),
        Spec::Branch(c) => scalar_branch::<W>(c, width),
        Spec::Arith(l) => Query {
            hyps: Vec::new(),
            goal: vec![l.over_integers()],
            shown: Vec::new(),
            ..Query::empty()
        },
    }
}

/// The concrete operation of a binary tnum operation.
fn tnum_concrete<V: Word>(op: TnumOp, x: &V, y: &V) -> V {
    use semantics::alu;
    match op {
        TnumOp::Add => alu::add(x, y),
        TnumOp::Sub => alu::sub(x, y),
        TnumOp::And => alu::and(x, y),
        TnumOp::Or => alu::or(x, y),
        TnumOp::Xor => alu::xor(x, y),
        TnumOp::Mul | TnumOp::MulUnion => alu::mul(x, y),
    }
}

/// The abstract operation of a binary tnum operation.
pub fn tnum_abstract<V: Word>(op: TnumOp, a: &Tnum<V>, b: &Tnum<V>) -> Tnum<V> {
    match op {
        TnumOp::Add => a.add(b),
        TnumOp::Sub => a.sub(b),
        TnumOp::And => a.and(b),
        TnumOp::Or => a.or(b),
        TnumOp::Xor => a.xor(b),
        TnumOp::Mul => a.mul(b),
        TnumOp::MulUnion => a.mul_union(b),
    }
}

fn tnum_binary<V: Term>(op: TnumOp) -> Query {
    match op {
        TnumOp::Mul | TnumOp::MulUnion => tnum_mul_by_rounds::<V>(op),
        _ => tnum_binary_with::<V>(op, &move |a, b| tnum_abstract(op, a, b)),
    }
}

/// What one round of `op`'s loop keeps, for any accumulator `t` holding `p`, operand `bi`
/// (b shifted to the round's bit) holding `yy`, bit `xbit` of x (a word 0 or 1) that the
/// round's flags `one` and `unknown` allow, and (for `mul`) bit `abit` of `a.value` and
/// `vv = bi.value`: the next accumulator holds `p + xbit * yy` (for `mul`, minus `abit *
/// vv`, the known part, which `mul` adds back at the end).
#[allow(clippy::too_many_arguments)]
fn mul_round<V: Term>(
    op: TnumOp,
    t: &Tnum<V>,
    p: &V,
    bi: &Tnum<V>,
    yy: &V,
    vv: &V,
    xbit: &V,
    abit: &V,
    one: &Bool,
    unknown: &Bool,
) -> (Vec<Bool>, Bool) {
    let o = xbit.lit(1);
    let mut hyps = vec![
        t.contains(p),
        bi.contains(yy),
        one.implies(xbit.eq(&o)),
        Bool::and(&[&one.not(), &unknown.not()]).implies(xbit.eq(&o.lit(0))),
    ];
    let mut next = p.add(&xbit.mul(yy));
    let r = if op == TnumOp::Mul {
        hyps.push(vv.eq(&bi.value));
        hyps.push(one.eq(abit.eq(&o)));
        next = next.sub(&abit.mul(vv));
        Tnum::mul_step(t, one, unknown, bi)
    } else {
        Tnum::mul_union_step(t, one, unknown, bi)
    };
    (hyps, r.contains(&next))
}

/// The round lemma of `op` on fresh values.
fn tnum_mul_round<V: Term>(op: TnumOp) -> Query {
    let (t, bi) = (fresh_tnum::<V>("acc"), fresh_tnum::<V>("b_shifted"));
    let (p, yy, vv) = (
        V::fresh("p"),
        V::fresh("y_shifted"),
        V::fresh("b_shifted.value"),
    );
    let (xbit, abit) = (V::fresh_bit("x.bit"), V::fresh_bit("a.value.bit"));
    let (one, unknown) = (Bool::new_const("one"), Bool::new_const("unknown"));
    let (hyps, goal) = mul_round(op, &t, &p, &bi, &yy, &vv, &xbit, &abit, &one, &unknown);
    Query {
        hyps,
        goal: vec![goal],
        shown: vec![
            show_tnum("acc", &t),
            show_word("p", &p),
            show_tnum("b_shifted", &bi),
            show_word("y_shifted", &yy),
            show_word("x.bit", &xbit),
        ],
        ..Query::empty()
    }
}

/// The soundness of a tnum multiplication by induction over the rounds of its loop
/// (`Tnum::long_multiply`), which Z3 follows round by round instead of comparing the whole
/// loop with a multiplier (beyond it at 16 bits).
///
/// The member x of `a` is a sum of bits `x_j * 2^j` (every word is one such sum). After
/// round k the accumulator holds `P_k = Σ_{j<k} x_j * (y * 2^j)` (for `mul`, minus the
/// known part `Σ_{j<k} a_j * (b.value * 2^j)`, with `a.value` a sum of bits `a_j` too):
/// each hint states that of one round, given the one before, which takes Z3 one round's
/// reasoning. Ring normalisation shows `P_BITS` to be `x * y` (for `mul`, `x * y -
/// a.value * b.value`). The goal: the loop run here is the operator itself (the same terms),
/// and x * y is in its result, which is well formed.
fn tnum_mul_by_rounds<V: Term>(op: TnumOp) -> Query {
    let n = V::BITS;
    let b = fresh_tnum::<V>("b");
    let y = V::fresh("y");
    let zero = y.lit(0);
    let pow = |j: u32| y.lit(1u64 << j);
    let bits = |name: &str| -> Vec<V> {
        (0..n)
            .map(|j| V::fresh_bit(&format!("{name}{j}")))
            .collect()
    };
    let sum = |bs: &[V]| {
        bs.iter()
            .enumerate()
            .fold(zero.clone(), |s, (j, b)| s.add(&b.mul(&pow(j as u32))))
    };
    let xb = bits("x.bit");
    let x = sum(&xb);
    let known = op == TnumOp::Mul;
    let ab = if known {
        bits("a.value.bit")
    } else {
        Vec::new()
    };
    let a = Tnum::new(
        if known { sum(&ab) } else { V::fresh("a.value") },
        V::fresh("a.mask"),
    );
    // The loop, round by round, with the operator's own step.
    let step: fn(&Tnum<V>, &Bool, &Bool, &Tnum<V>) -> Tnum<V> = if known {
        Tnum::mul_step
    } else {
        Tnum::mul_union_step
    };
    type Round<V> = (Tnum<V>, Bool, Bool, Tnum<V>, Tnum<V>, Tnum<V>);
    let rounds: std::cell::RefCell<Vec<Round<V>>> = std::cell::RefCell::new(Vec::new());
    // Each round's result is replaced by a fresh tnum equal to it (a cut: the equation is a
    // hypothesis), so that a round's query holds one round's terms, not the whole loop's.
    let looped = a.long_multiply(&b, Tnum::constant(zero.clone()), |acc, one, unknown, bi| {
        let r = step(acc, one, unknown, bi);
        let cut = fresh_tnum::<V>(&format!("round{}", rounds.borrow().len()));
        rounds.borrow_mut().push((
            acc.clone(),
            one.clone(),
            unknown.clone(),
            bi.clone(),
            r,
            cut.clone(),
        ));
        cut
    });
    // The loop as the operator runs it (the same terms as inside `r`), round by round.
    let plain = std::cell::RefCell::new(Vec::new());
    a.long_multiply(&b, Tnum::constant(zero.clone()), |acc, one, unknown, bi| {
        let r = step(acc, one, unknown, bi);
        plain.borrow_mut().push(r.clone());
        r
    });
    let r = tnum_abstract(op, &a, &b);
    let mut p = zero.clone();
    let base = vec![a.contains(&x), b.contains(&y)];
    let mut hyps = base.clone();
    // Each hint is decided with only the facts it needs: the operands' members, and the
    // previous round's conclusions.
    let (mut hints, mut context) = (Vec::new(), Vec::new());
    let mut prev_facts: Vec<Bool> = Vec::new();
    // That the cut loop is the operator's: each round's cut equals the plain round, given
    // the previous one does (one substitution each).
    let mut same_hints = Vec::new();
    let mut prev_same: Option<Bool> = None;
    for (round, plain) in rounds.borrow().iter().zip(plain.borrow().iter()) {
        let cut = &round.5;
        let equal = Bool::and(&[&cut.value.eq(&round.4.value), &cut.mask.eq(&round.4.mask)]);
        let same_k = Bool::and(&[&cut.value.eq(&plain.value), &cut.mask.eq(&plain.mask)]);
        let mut ctx = vec![equal];
        ctx.extend(prev_same.clone());
        same_hints.push((same_k.clone(), ctx));
        prev_same = Some(same_k);
    }
    for (j, (prev, one, unknown, bi, acc, cut)) in rounds.borrow().iter().enumerate() {
        let (yy, vv) = (y.mul(&pow(j as u32)), b.value.mul(&pow(j as u32)));
        let abit = if known { ab[j].clone() } else { zero.clone() };
        // The round lemma (theorem `tnum mul round`) at this round's terms: its premises
        // are hints (the first the previous round's), its conclusion the next hint.
        let (premises, then) = mul_round(op, prev, &p, bi, &yy, &vv, &xb[j], &abit, one, unknown);
        let instance = and(&premises).implies(&then);
        let equal = Bool::and(&[&cut.value.eq(&acc.value), &cut.mask.eq(&acc.mask)]);
        hyps.extend([instance.clone(), equal.clone()]);
        for h in &premises {
            hints.push(h.clone());
            context.push(Some([base.clone(), prev_facts.clone()].concat()));
        }
        p = p.add(&xb[j].mul(&yy));
        if known {
            p = p.sub(&abit.mul(&vv));
        }
        let (holds, formed) = (acc.contains(&p), acc.check_invariants());
        let (cut_holds, cut_formed) = (cut.contains(&p), cut.check_invariants());
        hints.extend([
            holds.clone(),
            formed.clone(),
            cut_holds.clone(),
            cut_formed.clone(),
        ]);
        context.extend([
            Some([premises.clone(), vec![instance]].concat()),
            Some(prev_facts.iter().skip(1).cloned().collect()),
            Some(vec![holds, equal.clone()]),
            Some(vec![formed, equal]),
        ]);
        prev_facts = vec![cut_holds, cut_formed];
    }
    for (h, ctx) in same_hints {
        hints.push(h);
        context.push(Some(ctx));
    }
    let z = tnum_concrete(op, &x, &y);
    let ring = if known {
        vec![z.eq(&a.value.mul(&b.value).add(&p))]
    } else {
        vec![z.eq(&p)]
    };
    let ring_facts = ring.clone();
    // For `mul` the result is the known product (a constant) plus the accumulator.
    let whole = if known {
        Tnum::constant(a.value.mul(&b.value)).add(&looped)
    } else {
        looped
    };
    let same = Bool::and(&[&r.value.eq(&whole.value), &r.mask.eq(&whole.mask)]);
    let mut last = prev_facts;
    if known {
        // The theorem `tnum64 add` at these terms: the known product plus the accumulator.
        let m = a.value.mul(&b.value);
        let sum = m.add(&p);
        let instance = last[0].implies(whole.contains(&sum));
        hyps.push(instance.clone());
        hints.push(whole.contains(&sum));
        context.push(Some(vec![instance, last[0].clone()]));
        last.push(whole.contains(&sum));
    }
    Query {
        hints,
        ring,
        hyps,
        hint_context: context,
        // The operator's result equals the loop's (the cuts substituted back), the loop's
        // holds the product, and then so does the operator's.
        goal_context: vec![
            Some(prev_same.into_iter().collect()),
            Some([last.clone(), ring_facts].concat()),
            Some(last),
            Some(vec![same.clone(), whole.contains(&z)]),
            Some(vec![same.clone(), whole.check_invariants()]),
        ],
        goal: vec![
            same,
            whole.contains(&z),
            whole.check_invariants(),
            r.contains(&z),
            r.check_invariants(),
        ],
        shown: vec![
            show_tnum("a", &a),
            show_tnum("b", &b),
            show_word("x", &x),
            show_word("y", &y),
            show_tnum("result", &r),
        ],
        ..Query::empty()
    }
}

/// The soundness query of `abs` as the tnum operation `op` (the tests pass broken operators
/// here to see their counterexamples).
/// A binary tnum operator, as the proofs take it.
pub type TnumFn<V> = dyn Fn(&Tnum<V>, &Tnum<V>) -> Tnum<V>;

pub fn tnum_binary_with<V: Term>(op: TnumOp, abs: &TnumFn<V>) -> Query {
    let (a, b) = (fresh_tnum::<V>("a"), fresh_tnum::<V>("b"));
    let (x, y) = (V::fresh("x"), V::fresh("y"));
    let r = abs(&a, &b);
    let z = tnum_concrete(op, &x, &y);
    Query {
        hyps: vec![a.contains(&x), b.contains(&y)],
        goal: vec![r.contains(&z), r.check_invariants()],
        shown: vec![
            show_tnum("a", &a),
            show_tnum("b", &b),
            show_word("x", &x),
            show_word("y", &y),
            show_tnum("result", &r),
            show_word("z", &z),
        ],
        ..Query::empty()
    }
}

fn tnum_neg<V: Term>() -> Query {
    let a = fresh_tnum::<V>("a");
    let x = V::fresh("x");
    let r = a.neg();
    let z = semantics::alu::neg(&x);
    Query {
        hyps: vec![a.contains(&x)],
        goal: vec![r.contains(&z), r.check_invariants()],
        shown: vec![
            show_tnum("a", &a),
            show_word("x", &x),
            show_tnum("result", &r),
        ],
        ..Query::empty()
    }
}

fn tnum_shift<V: Term>(s: Shift) -> Query {
    let a = fresh_tnum::<V>("a");
    let x = V::fresh("x");
    let mut goals = Vec::new();
    for k in 0..V::BITS {
        let kk = x.lit(k as u64);
        let (r, z) = match s {
            Shift::Left => (a.lshift(k), semantics::alu::lsh(&x, &kk)),
            Shift::Right => (a.rshift(k), semantics::alu::rsh(&x, &kk)),
            Shift::Arith => (a.arshift(k), semantics::alu::arsh(&x, &kk)),
        };
        goals.push(r.contains(&z));
        goals.push(r.check_invariants());
    }
    Query {
        hyps: vec![a.contains(&x)],
        goal: goals,
        shown: vec![show_tnum("a", &a), show_word("x", &x)],
        ..Query::empty()
    }
}

fn tnum_intersect<V: Term>() -> Query {
    let (a, b) = (fresh_tnum::<V>("a"), fresh_tnum::<V>("b"));
    let x = V::fresh("x");
    let r = a.intersect(&b);
    Query {
        hyps: vec![a.contains(&x), b.contains(&x)],
        goal: vec![r.contains(&x), r.check_invariants(), a.compatible(&b)],
        shown: vec![show_tnum("a", &a), show_tnum("b", &b), show_word("x", &x)],
        ..Query::empty()
    }
}

fn tnum_join<V: Term>() -> Query {
    let (a, b) = (fresh_tnum::<V>("a"), fresh_tnum::<V>("b"));
    let x = V::fresh("x");
    let r = a.join(&b);
    Query {
        hyps: vec![
            a.check_invariants(),
            b.check_invariants(),
            Bool::or(&[&a.contains(&x), &b.contains(&x)]),
        ],
        goal: vec![r.contains(&x), r.check_invariants()],
        shown: vec![show_tnum("a", &a), show_tnum("b", &b), show_word("x", &x)],
        ..Query::empty()
    }
}

fn tnum_range<V: Term>() -> Query {
    let (lo, hi, x) = (V::fresh("min"), V::fresh("max"), V::fresh("x"));
    let r = Tnum::range(&lo, &hi);
    let inside = and(&[lo.ule(&x), x.ule(&hi)]);
    Query {
        hyps: vec![],
        goal: vec![inside.implies(r.contains(&x)), r.check_invariants()],
        shown: vec![
            show_word("min", &lo),
            show_word("max", &hi),
            show_word("x", &x),
            show_tnum("result", &r),
        ],
        ..Query::empty()
    }
}

fn tnum_includes<V: Term>() -> Query {
    let (a, b) = (fresh_tnum::<V>("a"), fresh_tnum::<V>("b"));
    let x = V::fresh("x");
    Query {
        hyps: vec![a.check_invariants(), a.includes(&b), b.contains(&x)],
        goal: vec![a.contains(&x)],
        shown: vec![show_tnum("a", &a), show_tnum("b", &b), show_word("x", &x)],
        ..Query::empty()
    }
}

fn tnum_cast<V: Term>() -> Query {
    let a = fresh_tnum::<V>("a");
    let x = V::fresh("x");
    let mut goals = Vec::new();
    for size in [1, 2, 4] {
        let r = a.cast(size);
        goals.push(r.contains(&semantics::alu::zext(&x, 8 * size)));
        goals.push(r.check_invariants());
    }
    let s = a.subreg();
    goals.push(s.contains(&semantics::alu::zext(&x, 32)));
    Query {
        hyps: vec![a.contains(&x)],
        goal: goals,
        shown: vec![show_tnum("a", &a), show_word("x", &x)],
        ..Query::empty()
    }
}

fn tnum_aligned<V: Term>() -> Query {
    let a = fresh_tnum::<V>("a");
    let x = V::fresh("x");
    let zero = x.lit(0);
    let goals: Vec<Bool> = [1u64, 2, 4, 8]
        .iter()
        .map(|&n| a.is_aligned(n).implies(x.and(&x.lit(n - 1)).eq(&zero)))
        .collect();
    Query {
        hyps: vec![a.contains(&x)],
        goal: goals,
        shown: vec![show_tnum("a", &a), show_word("x", &x)],
        ..Query::empty()
    }
}

fn view_binary<V: Term>(op: ViewOp) -> Query {
    if op == ViewOp::Mul {
        return Query {
            direct: Some(Box::new(view_direct::<V>(op))),
            ..view_mul::<V>()
        };
    }
    view_direct::<V>(op)
}

/// `op`'s view theorem as one query over the operator's terms, with the integer lemmas the
/// divisions need.
fn view_direct<V: Term>(op: ViewOp) -> Query {
    use semantics::alu;
    let (a, b) = (fresh_view::<V>("a"), fresh_view::<V>("b"));
    let (x, y) = (V::fresh("x"), V::fresh("y"));
    let (r, z) = match op {
        ViewOp::Add => (a.add(&b), alu::add(&x, &y)),
        ViewOp::Sub => (a.sub(&b), alu::sub(&x, &y)),
        ViewOp::Mul => (a.mul(&b), alu::mul(&x, &y)),
        ViewOp::And => (a.and(&b), alu::and(&x, &y)),
        ViewOp::Or => (a.or(&b), alu::or(&x, &y)),
        ViewOp::Xor => (a.xor(&b), alu::xor(&x, &y)),
        ViewOp::Lsh => (a.lsh(&b), alu::lsh(&x, &y)),
        ViewOp::Rsh => (a.rsh(&b), alu::rsh(&x, &y)),
        ViewOp::Arsh => (a.arsh(&b), alu::arsh(&x, &y)),
        ViewOp::Div => (a.div(&b), alu::div(&x, &y)),
        ViewOp::Mod => (a.modulo(&b), alu::modulo(&x, &y)),
        ViewOp::Sdiv => (a.sdiv(&b), alu::sdiv(&x, &y)),
        ViewOp::Smod => (a.smod(&b), alu::smod(&x, &y)),
    };
    let mut hyps = vec![a.contains(&x), b.contains(&y)];
    // The lemmas of integer arithmetic the bounds rely on, at the terms the operator uses
    // (where the operands are not both constants: there the result is exact, and the
    // lemmas' dividers would only burden the query).
    let general = Bool::and(&[&a.is_const(), &b.is_const()]).not();
    let mut lemmas = Vec::new();
    let one = x.lit(1);
    let nz = b.umin.eq(&x.lit(0)).not();
    match op {
        ViewOp::Div => {
            let (hi_d, lo_d) = (V::select(&nz, &b.umax, &one), V::select(&nz, &b.umin, &one));
            lemmas.extend([
                arith::div_grows(&a.umin, &x, &hi_d),
                arith::div_shrinks(&x, &y, &hi_d),
                arith::div_shrinks(&x, &lo_d, &y),
                arith::div_grows(&x, &a.umax, &lo_d),
                arith::div_at_most(&x, &y),
            ]);
        }
        ViewOp::Mod => lemmas.push(arith::mod_below(&x, &y)),
        _ => {}
    }
    hyps.extend(lemmas.iter().map(|l| general.implies(l)));
    Query {
        cases: const_cases(&a.is_const(), &b.is_const()),
        hyps,
        goal: [view_parts(&r, &z), vec![r.t.check_invariants()]].concat(),
        shown: view_shown(&a, &b, &x, &y, &r, &z),
        ..Query::empty()
    }
}

/// What a view theorem's counterexample shows: the operands, the members, the result and
/// the concrete result.
fn view_shown<V: Term>(a: &View<V>, b: &View<V>, x: &V, y: &V, r: &View<V>, z: &V) -> Vec<Shown> {
    vec![
        show_view("a", a),
        show_view("b", b),
        show_word("x", x),
        show_word("y", y),
        show_view("result", r),
        show_word("z", z),
    ]
}

/// `View::mul`, compositionally: its tnum is the intersection of `Tnum::mul` and
/// `Tnum::mul_union`, which hold the product by their theorems (stated here at the view's
/// operands); its bounds are halves of exact products (`Word::umul_hi`, `Word::smul_hi`).
///
/// The steps, each decided with only its facts and with every product opaque (see
/// `Query::opaque`), so that no step bit-blasts a multiplier:
/// - the low half of each exact product is the words' product (Z3 rewrites these at once);
/// - the exact unsigned product lies between those of the unsigned ends, the greater of
///   which is at most (2^n - 1)^2 (`MulGrows`), so that its signed window cannot wrap;
/// - every corner of the signed bounds lies between the products of the signed extremes
///   (`MulBetween`, twice), and the exact signed product lies between the least and the
///   greatest corner (`MulBetween`: x * y between a.smin * y and a.smax * y, each between
///   two corners), which the operator's `mul_signed_ends` picks;
/// - the goal, with those ends opaque too: where the high halves (or the signed windows)
///   of two ends agree, the low halves order as the exact products do. Linear.
fn view_mul<V: Term>() -> Query {
    use crate::bv::{exact_smul, exact_umul};
    let (a, b) = (fresh_view::<V>("a"), fresh_view::<V>("b"));
    let (x, y) = (V::fresh("x"), V::fresh("y"));
    let r = a.mul(&b);
    let z = semantics::alu::mul(&x, &y);
    let n = V::BITS;
    let members = vec![a.contains(&x), b.contains(&y)];

    let both = Bool::and(&[&a.t.contains(&x), &b.t.contains(&y)]);
    let mut tnum_facts = Vec::new();
    let mut ends = Vec::new();
    for t in [a.t.mul(&b.t), a.t.mul_union(&b.t)] {
        tnum_facts.push(both.implies(Bool::and(&[&t.contains(&z), &t.check_invariants()])));
        ends.extend([t.value.term().clone(), t.mask.term().clone()]);
    }

    // Every product (exact, and its low half), and the facts that name the low halves.
    let mut products: Vec<BV> = Vec::new();
    let mut low_facts: Vec<Bool> = Vec::new();
    let mut exact = |p: &V, q: &V, f: fn(&BV, &BV) -> BV| -> (BV, Bool) {
        let e = f(p.term(), q.term());
        let low = p.mul(q);
        let fact = e.extract(n - 1, 0).eq(low.term());
        products.extend([e.clone(), low.term().clone()]);
        low_facts.push(fact.clone());
        (e, fact)
    };
    let (xu, xu_low) = exact(&x, &y, exact_umul);
    let (lo_u, lo_u_low) = exact(&a.umin, &b.umin, exact_umul);
    let (hi_u, hi_u_low) = exact(&a.umax, &b.umax, exact_umul);
    let (xs, xs_low) = exact(&x, &y, exact_smul);
    let mut corner_lows = Vec::new();
    let mut corners = Vec::new();
    for p in [&a.smin, &a.smax] {
        for q in [&b.smin, &b.smax] {
            let (c, low) = exact(p, q, exact_smul);
            corners.push(c);
            corner_lows.push(low);
        }
    }
    let max = x.lit(u64::MAX);
    let (smin, smax) = (x.lit(1 << (n - 1)), x.lit((1 << (n - 1)) - 1));
    let mut extremes = Vec::new();
    for q in [&b.smin, &b.smax] {
        for p in [&a.smin, &a.smax] {
            extremes.push(arith::mul_between(&smin, p, &smax, q, false));
        }
        for e in [&smin, &smax] {
            extremes.push(arith::mul_between(&smin, q, &smax, e, true));
            products.push(exact_smul(e.term(), q.term()));
        }
    }
    for p in [&a.smin, &a.smax] {
        products.push(exact_smul(p.term(), y.term()));
    }
    // The range of exact signed products: MIN * MAX to MIN * MIN (constants).
    let (least, most) = (
        exact_smul(smin.term(), smax.term()),
        exact_smul(smin.term(), smin.term()),
    );

    let unsigned = Bool::and(&[
        &lo_u.bvule(&xu),
        &xu.bvule(&hi_u),
        &hi_u.bvule(exact_umul(max.term(), max.term())),
    ]);
    let unsigned_ctx = [
        members.clone(),
        vec![
            arith::mul_grows(&a.umin, &b.umin, &x, &y),
            arith::mul_grows(&x, &y, &a.umax, &b.umax),
            arith::mul_grows(&a.umax, &b.umax, &max, &max),
        ],
    ]
    .concat();
    let in_range = |c: &BV| Bool::and(&[&least.bvsle(c), &c.bvsle(&most)]);
    let corners_in_range = and(&corners.iter().map(in_range).collect::<Vec<_>>());
    let [(lk, lv), (hk, hv)] = a.mul_signed_ends(&b);
    let (lo_s, hi_s) = (lk.term().concat(lv.term()), hk.term().concat(hv.term()));
    // The exact signed product is at or above some corner and at or below some corner;
    // the picked ends are at or below (above) every corner, and each is in range.
    let some = |f: &dyn Fn(&BV) -> Bool| {
        Bool::or(
            &corners
                .iter()
                .map(f)
                .collect::<Vec<_>>()
                .iter()
                .collect::<Vec<_>>(),
        )
    };
    let (above_corner, below_corner) = (some(&|c| c.bvsle(&xs)), some(&|c| xs.bvsle(c)));
    let between_ctx = [
        members.clone(),
        vec![
            arith::mul_between(&a.smin, &x, &a.smax, &y, false),
            arith::mul_between(&b.smin, &y, &b.smax, &a.smin, true),
            arith::mul_between(&b.smin, &y, &b.smax, &a.smax, true),
        ],
    ]
    .concat();
    let lo_picked = and(&corners.iter().map(|c| lo_s.bvsle(c)).collect::<Vec<_>>());
    let hi_picked = and(&corners.iter().map(|c| c.bvsle(&hi_s)).collect::<Vec<_>>());
    let ends_in_range = Bool::and(&[&in_range(&lo_s), &in_range(&hi_s)]);
    let ends_ctx = [corner_lows, vec![corners_in_range.clone()]].concat();
    let (above_lo, below_hi) = (lo_s.bvsle(&xs), xs.bvsle(&hi_s));
    let signed = Bool::and(&[&above_lo, &below_hi, &ends_in_range]);
    let goal_ctx = [
        members.clone(),
        tnum_facts,
        vec![unsigned.clone(), signed, xu_low, lo_u_low, hi_u_low, xs_low],
    ]
    .concat();

    let steps = [
        (corners_in_range, extremes),
        (unsigned, unsigned_ctx),
        (above_corner.clone(), between_ctx.clone()),
        (below_corner.clone(), between_ctx),
        (lo_picked.clone(), ends_ctx.clone()),
        (hi_picked.clone(), ends_ctx.clone()),
        (ends_in_range.clone(), ends_ctx),
        (above_lo, vec![above_corner, lo_picked]),
        (below_hi, vec![below_corner, hi_picked]),
    ];
    let end_terms: Vec<BV> = [&lk, &lv, &hk, &hv]
        .iter()
        .map(|w| w.term().clone())
        .collect();
    let k = low_facts.len();
    let mut hints = low_facts;
    let mut hint_context = vec![Some(Vec::new()); k];
    let mut hint_opaque = vec![Vec::new(); k];
    let last = steps.len() - 2;
    for (i, (fact, ctx)) in steps.into_iter().enumerate() {
        hints.push(fact);
        hint_context.push(Some(ctx));
        // The last steps (transitivity) need not see how the ends were picked.
        hint_opaque.push(if i >= last {
            [products.clone(), end_terms.clone()].concat()
        } else {
            products.clone()
        });
    }
    let goal = [view_parts(&r, &z), vec![r.t.check_invariants()]].concat();
    ends.extend(end_terms);
    Query {
        goal_context: vec![Some(goal_ctx); goal.len()],
        goal,
        hints,
        hint_context,
        hint_opaque,
        opaque: [products, ends].concat(),
        shown: view_shown(&a, &b, &x, &y, &r, &z),
        ..Query::empty()
    }
}

fn view_join<V: Term>() -> Query {
    let (a, b) = (fresh_view::<V>("a"), fresh_view::<V>("b"));
    let x = V::fresh("x");
    let r = a.join(&b);
    Query {
        hyps: vec![
            a.t.check_invariants(),
            b.t.check_invariants(),
            Bool::or(&[&a.contains(&x), &b.contains(&x)]),
        ],
        goal: [view_parts(&r, &x), vec![r.t.check_invariants()]].concat(),
        shown: vec![show_view("a", &a), show_view("b", &b), show_word("x", &x)],
        ..Query::empty()
    }
}

/// The concrete result of `op` at `width` on registers `x` and `y`: at 32 bits, on the low
/// halves, zero-extended.
fn scalar_alu<W: Split + Term>(op: AluOp, width: Width) -> Query
where
    W::Half: Term,
{
    let (a, b) = (fresh_scalar::<W>("a"), fresh_scalar::<W>("b"));
    let (x, y) = (W::fresh("x"), W::fresh("y"));
    let z = semantics::alu::alu_at(op, width, &x, &y);
    let contract = compositional(op).then(|| Contract {
        op,
        pair: [x.clone(), y.clone()],
        half: [x.low(), y.low()],
    });
    let (r, sm) = summarised_with(std::slice::from_ref(&z), contract, || a.alu(op, width, &b));
    let mut hyps = sm.constraints.clone();
    hyps.extend([a.contains(&x), b.contains(&y)]);
    Query {
        cases: const_cases(&a.var_off.is_const(), &b.var_off.is_const()),
        hints: sm.hints(&z, None),
        hyps,
        goal: scalar_parts(&r, &z),
        shown: vec![
            show_scalar("dst", &a),
            show_scalar("src", &b),
            show_word("x", &x),
            show_word("y", &y),
            show_scalar("result", &r),
            show_word("z", &z),
        ],
        ..Query::empty()
    }
}

fn scalar_neg<W: Split + Term>(width: Width) -> Query
where
    W::Half: Term,
{
    let a = fresh_scalar::<W>("a");
    let x = W::fresh("x");
    let z = match width {
        Width::W64 => semantics::alu::neg(&x),
        Width::W32 => W::zext_half(&semantics::alu::neg(&x.low())),
    };
    let (r, sm) = summarised(std::slice::from_ref(&z), || a.neg(width));
    let mut hyps = sm.constraints.clone();
    hyps.push(a.contains(&x));
    Query {
        hints: sm.hints(&z, None),
        hyps,
        goal: scalar_parts(&r, &z),
        shown: vec![
            show_scalar("dst", &a),
            show_word("x", &x),
            show_scalar("result", &r),
        ],
        ..Query::empty()
    }
}

fn scalar_end<W: Split + Term>(kind: EndKind) -> Query
where
    W::Half: Term,
{
    let a = fresh_scalar::<W>("a");
    let x = W::fresh("x");
    let bits = [16, 32, 64];
    let zs: Vec<W> = bits
        .iter()
        .map(|&b| semantics::alu::end(kind, b, &x))
        .collect();
    let (rs, sm) = summarised(&zs, || bits.map(|b| a.end(kind, b)));
    let mut hyps = sm.constraints.clone();
    hyps.push(a.contains(&x));
    // One sync per size, in order: each input should hold its size's result.
    let hints: Vec<Bool> = sm
        .inputs
        .iter()
        .zip(&zs)
        .flat_map(|(s, z)| scalar_parts(s, z))
        .collect();
    let mut goals = Vec::new();
    for (r, z) in rs.iter().zip(&zs) {
        goals.extend(scalar_parts(r, z));
    }
    Query {
        hints,
        hyps,
        goal: goals,
        shown: vec![show_scalar("dst", &a), show_word("x", &x)],
        ..Query::empty()
    }
}

fn scalar_sync_rule<W: Split + Term>(i: usize) -> Query
where
    W::Half: Term,
{
    scalar_rule_with::<W>(Scalar::<W>::RULES[i].1)
}

/// The query "`rule` keeps every member" (the tests pass a broken rule here).
pub fn scalar_rule_with<W: Split + Term>(rule: fn(&mut Scalar<W>)) -> Query
where
    W::Half: Term,
{
    let a = fresh_scalar::<W>("s");
    let x = W::fresh("x");
    let mut r = a.clone();
    rule(&mut r);
    Query {
        hyps: vec![a.contains(&x)],
        goal: scalar_parts(&r, &x),
        shown: vec![
            show_scalar("s", &a),
            show_word("x", &x),
            show_scalar("rule(s)", &r),
        ],
        ..Query::empty()
    }
}

fn scalar_from_tnum<W: Split + Term>() -> Query
where
    W::Half: Term,
{
    let t = fresh_tnum::<W>("t");
    let x = W::fresh("x");
    let (r, sm) = summarised(std::slice::from_ref(&x), || Scalar::from_tnum(&t));
    let mut hyps = sm.constraints.clone();
    hyps.push(t.contains(&x));
    Query {
        hints: sm.hints(&x, None),
        hyps,
        goal: scalar_parts(&r, &x),
        shown: vec![
            show_tnum("t", &t),
            show_word("x", &x),
            show_scalar("result", &r),
        ],
        ..Query::empty()
    }
}

fn scalar_nonempty<W: Split + Term>() -> Query
where
    W::Half: Term,
{
    let a = fresh_scalar::<W>("s");
    let x = W::fresh("x");
    Query {
        hyps: vec![a.contains(&x)],
        goal: vec![a.maybe_nonempty(), a.check_invariants()],
        shown: vec![show_scalar("s", &a), show_word("x", &x)],
        ..Query::empty()
    }
}

fn scalar_join<W: Split + Term>(widen: bool) -> Query
where
    W::Half: Term,
{
    let (a, b) = (fresh_scalar::<W>("a"), fresh_scalar::<W>("b"));
    let x = W::fresh("x");
    let (r, sm) = summarised(std::slice::from_ref(&x), || {
        if widen {
            a.widen(&b)
        } else {
            a.join(&b)
        }
    });
    let mut hyps = sm.constraints.clone();
    hyps.push(Bool::or(&[&a.contains(&x), &b.contains(&x)]));
    Query {
        hints: sm.hints(&x, None),
        hyps,
        goal: scalar_parts(&r, &x),
        shown: vec![
            show_scalar("a", &a),
            show_scalar("b", &b),
            show_word("x", &x),
            show_scalar("result", &r),
        ],
        ..Query::empty()
    }
}

fn scalar_subsumption<W: Split + Term>() -> Query
where
    W::Half: Term,
{
    let (a, b) = (fresh_scalar::<W>("cur"), fresh_scalar::<W>("old"));
    let x = W::fresh("x");
    Query {
        hyps: vec![a.is_subsumed_by(&b), a.contains(&x)],
        goal: scalar_parts(&b, &x),
        shown: vec![
            show_scalar("cur", &a),
            show_scalar("old", &b),
            show_word("x", &x),
        ],
        ..Query::empty()
    }
}

fn scalar_branch<W: Split + Term>(c: JmpCond, width: Width) -> Query
where
    W::Half: Term,
{
    let (a, b) = (fresh_scalar::<W>("dst"), fresh_scalar::<W>("src"));
    let (x, y) = (W::fresh("x"), W::fresh("y"));
    let taken = semantics::alu::cond_at(c, width, &x, &y);
    let ((t, f), sm) = summarised(&[x.clone(), y.clone()], || a.branch(c, width, &b));
    let mut hyps = sm.constraints.clone();
    hyps.extend([a.contains(&x), b.contains(&y)]);
    // Two syncs per edge (taken first): their inputs hold x or y when the edge is taken.
    let not_taken = taken.not();
    let mut hints = Vec::new();
    for (k, s) in sm.inputs.iter().enumerate() {
        let cond = if k < 2 { &taken } else { &not_taken };
        for p in [&x, &y] {
            hints.extend(scalar_parts(s, p).into_iter().map(|h| cond.implies(&h)));
        }
    }
    // What an edge must keep of a pair that takes it: both members, and its feasibility.
    let keeps = |e: &verifier::domain::scalar::branch::Edge<W>| {
        let mut v = scalar_parts(&e.dst, &x);
        v.extend(scalar_parts(&e.src, &y));
        v.push(e.feasible.clone());
        v
    };
    // The `scalar maybe_nonempty` theorem, instantiated: members make feasibility.
    for e in [&t, &f] {
        hyps.push(e.dst.contains(&x).implies(e.dst.maybe_nonempty()));
        hyps.push(e.src.contains(&y).implies(e.src.maybe_nonempty()));
    }
    let mut goal: Vec<Bool> = keeps(&t).into_iter().map(|g| taken.implies(&g)).collect();
    goal.extend(keeps(&f).into_iter().map(|g| taken.not().implies(&g)));
    Query {
        hints,
        hyps,
        goal,
        shown: vec![
            show_scalar("dst", &a),
            show_scalar("src", &b),
            show_word("x", &x),
            show_word("y", &y),
            show_scalar("taken dst", &t.dst),
            show_scalar("taken src", &t.src),
            show_scalar("fall-through dst", &f.dst),
            show_scalar("fall-through src", &f.src),
        ],
        ..Query::empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ring normalisation proves distributivity at 64 bits and refuses a false identity, so
    /// a ring hint cannot join the hypotheses unproved.
    #[test]
    fn ring_identities_are_decided_not_assumed() {
        let (p, q, y) = (
            Bv::<64>::fresh("p"),
            Bv::<64>::fresh("q"),
            Bv::<64>::fresh("y"),
        );
        let lhs = p.add(&q).mul(&y);
        assert!(ring_identity(&lhs.eq(&p.mul(&y).add(&q.mul(&y)))));
        assert!(!ring_identity(&lhs.eq(&p.mul(&y))));
        assert!(!ring_identity(
            &lhs.eq(&p.mul(&y).add(&q.mul(&y)).add(&y.lit(1)))
        ));
    }

    /// A hint with a context that Z3 cannot prove is not used as a fact by the contexts that
    /// name it: the query is left undecided, not proved.
    #[test]
    fn an_unproved_step_proves_nothing() {
        let x = Bv::<8>::fresh("x");
        let claim = x.eq(&x.lit(0));
        let q = Query {
            hints: vec![claim.clone()],
            hint_context: vec![Some(Vec::new())],
            goal: vec![claim.clone()],
            goal_context: vec![Some(vec![claim])],
            ..Query::empty()
        };
        assert_eq!(q.decide(Duration::from_secs(10)), Status::Timeout);
    }

    /// A refutation with opaque terms is not a counterexample: commutativity, with both
    /// products opaque, is left undecided; the direct statement then decides it, and a
    /// false one gets a real counterexample from it.
    #[test]
    fn an_abstraction_refuted_falls_back_to_the_direct_query() {
        let (x, y) = (Bv::<8>::fresh("x"), Bv::<8>::fresh("y"));
        let abstracted = |goal: Bool, direct: Option<Query>| Query {
            goal: vec![goal],
            opaque: vec![x.mul(&y).0, y.mul(&x).0, x.mul(&x).0],
            shown: vec![show_word("x", &x), show_word("y", &y)],
            direct: direct.map(Box::new),
            ..Query::empty()
        };
        let direct = |goal: Bool| Query {
            goal: vec![goal],
            shown: vec![show_word("x", &x), show_word("y", &y)],
            ..Query::empty()
        };
        let t = Duration::from_secs(10);
        let commutes = x.mul(&y).eq(&y.mul(&x));
        assert_eq!(
            abstracted(commutes.clone(), None).decide(t),
            Status::Timeout
        );
        let q = abstracted(commutes.clone(), Some(direct(commutes)));
        assert_eq!(q.decide(t), Status::Proved);
        let squares = x.mul(&y).eq(&x.mul(&x));
        let q = abstracted(squares.clone(), Some(direct(squares)));
        let Status::Counterexample(c) = q.decide(t) else {
            panic!("x * y == x * x refuted")
        };
        let (vx, vy) = (c.values[0].1[0] as u8, c.values[1].1[0] as u8);
        assert_ne!(vx.wrapping_mul(vy), vx.wrapping_mul(vx), "{}", c.text);
    }

    /// The integer lemmas are decided over the integers: a false one (division leaves every
    /// dividend unchanged) gets a counterexample, the true ones are proved.
    #[test]
    fn integer_lemmas_are_decided() {
        use z3::ast::Int;
        let (x, y) = (Int::new_const("x"), Int::new_const("y"));
        let zero = Int::from_i64(0);
        let wrong = Bool::and(&[&x.ge(&zero), &y.gt(&zero)]).implies(x.div(&y).eq(&x));
        let st = decide_one(&[], &wrong, Duration::from_secs(10), None);
        assert!(matches!(st, Status::Counterexample(_)), "{st:?}");
        for l in Lemma::ALL {
            let st = decide_one(&[], &l.over_integers(), Duration::from_secs(30), None);
            assert_eq!(st, Status::Proved, "{}", l.name());
        }
    }
}
