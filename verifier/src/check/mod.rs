//! The exploration: depth-first over the pending branches, with a checkpoint at every prune
//! point, pruning by subsumption against checkpoints whose exploration finished, and the
//! kernel's limits. The per-instruction checks are in `insn.rs`.

mod insn;
pub(crate) use insn::spill_len;
mod print;

use crate::cfg::{uses_defs, Cfg, RegSet, ARGS, CALLER_SAVED};
use crate::program::{MapInfo, Options, Program};
use crate::prune::covers;
use crate::state::{Frame, Kind, Ptr, Reg, State};
use crate::verdict::{Reason, Stats, Verdict};
use semantics::isa::{Call, Instruction};
use std::collections::HashMap;
use std::time::Instant;

/// A rejection found while exploring.
#[derive(Clone, Debug)]
pub(crate) struct Reject {
    pub pc: usize,
    pub reason: Reason,
    pub message: String,
}

pub(crate) type R<T> = Result<T, Reject>;

/// Checkpoints kept per instruction for pruning.
const MAX_STATES_PER_INSN: usize = 64;

/// What one instruction leads to.
pub(crate) enum Next {
    Goto(usize),
    /// Continue at the first, and explore the second later.
    Fork(usize, Box<State>, usize),
    Done,
}

/// Registers per frame depth whose values a checkpoint's exploration depended on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Demand {
    pub regs: [RegSet; 8],
    /// Stack slots (bit k: bytes `fp-8(k+1) .. fp-8k`) of each frame.
    pub stack: [u64; 8],
    /// Stack slots of each frame that may be read before being overwritten (liveness).
    pub live: [u64; 8],
}

impl Demand {
    /// Everything precise.
    pub const ALL: Demand = Demand {
        regs: [0x7ff; 8],
        stack: [u64::MAX; 8],
        live: [u64::MAX; 8],
    };

    fn union(&mut self, o: &Demand) {
        for k in 0..8 {
            self.regs[k] |= o.regs[k];
            self.stack[k] |= o.stack[k];
            self.live[k] |= o.live[k];
        }
    }
}

/// A stack access at a constant offset, for the demand's flow through spills and fills.
#[derive(Clone, Copy)]
pub(crate) struct StackOp {
    pub frame: u8,
    pub slot: u8,
    /// The register spilled or filled (`None`: the slot's value is replaced by bytes that
    /// carry no register).
    pub reg: Option<u8>,
    pub fill: bool,
    /// A store that replaces all eight bytes of the slot (the slot's earlier contents no
    /// longer matter).
    pub whole: bool,
}

/// One executed instruction of a path: where, in which frame, and which registers it used
/// precisely (a pointer offset, a decided branch, a helper argument, a checked return).
#[derive(Clone, Copy)]
struct Step {
    pc: u32,
    depth: u8,
    uses: RegSet,
    stack: Option<StackOp>,
    /// Stack slots of frame `slots_frame` this instruction read, and those it overwrote
    /// entirely.
    slots_frame: u8,
    reads: u64,
    kills: u64,
    /// A stack slot (frame, slot) whose spilled value the instruction used precisely.
    slot_use: Option<(u8, u8)>,
}

struct Checkpoint {
    pc: usize,
    state: State,
    parent: Option<usize>,
    /// Live paths and unfinished child checkpoints below this one.
    branches: u32,
    /// Precision demand, final once `branches` is 0.
    demand: Demand,
    /// The instructions from the parent checkpoint to this one.
    incoming: Vec<Step>,
}

struct Path {
    pc: usize,
    state: State,
    cp: Option<usize>,
    trace: Vec<Step>,
}

pub(crate) struct Verifier<'a> {
    pub prog: &'a Program,
    pub cfg: Cfg,
    pub opts: &'a Options,
    /// The program's maps followed by the inner maps of map-in-maps.
    pub maps: Vec<MapInfo>,
    /// For each map, the index of its inner map.
    pub inner: Vec<Option<u32>>,
    pub next_id: u32,
    pub log: String,
    pub stack_depth: Vec<u32>,
    /// The pointer class each load or store instruction first accessed memory through.
    pub access_kind: HashMap<usize, u8>,
    /// See `Verdict::access`.
    pub access: std::collections::BTreeMap<usize, u8>,
    /// Registers the current instruction used precisely (set by `step`).
    pub uses: RegSet,
    /// The current instruction's constant-offset stack access, if any (set by `step`).
    pub stack_op: Option<StackOp>,
    /// The register a load fills or a store spills (set by `step`).
    pub cur_reg: Option<u8>,
    /// Stack slots the current instruction read and overwrote, in frame `slots_frame`.
    pub slots_frame: u8,
    pub reads: u64,
    pub kills: u64,
    /// See `Stats::machine_dependent`.
    pub machine_dependent: u64,
    /// A stack slot whose value the current instruction used precisely (set by `step`).
    pub slot_use: Option<(u8, u8)>,
    checkpoints: Vec<Checkpoint>,
    /// Per checkpoint: how often it pruned and how often it failed to.
    hits: Vec<(u32, u32)>,
    at: HashMap<usize, Vec<usize>>,
    processed: u64,
    live_states: u64,
    peak_states: u64,
    /// The states reached, summarised per instruction (state embedding); pruning is then
    /// exact.
    recording: Option<crate::embed::Recording>,
}

impl<'a> Verifier<'a> {
    pub fn fresh_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    fn initial_state(&self) -> State {
        let mut f = Frame::new(0, 0, 0);
        f.regs[1] = Reg::Ptr(Ptr::new(Kind::Ctx));
        State {
            frames: smallvec::smallvec![f],
            refs: Default::default(),
            lock: None,
        }
    }

    /// Ends a path whose last checkpoint is `cp`, with the demand `end` at its last
    /// instruction; completed checkpoints pass their demand to their parents.
    fn finish(&mut self, mut cp: Option<usize>, trace: &[Step], end: Demand) {
        let mut d = self.backward(trace, end);
        while let Some(i) = cp {
            let c = &mut self.checkpoints[i];
            c.demand.union(&d);
            c.branches -= 1;
            if c.branches > 0 {
                break;
            }
            self.live_states = self.live_states.saturating_sub(1);
            let incoming = std::mem::take(&mut c.incoming);
            let demand = c.demand;
            cp = c.parent;
            d = self.backward(&incoming, demand);
        }
    }

    /// The demand before `trace` given the demand after it.
    fn backward(&self, trace: &[Step], mut dm: Demand) -> Demand {
        for s in trace.iter().rev() {
            let sf = (s.slots_frame as usize).min(7);
            dm.live[sf] = (dm.live[sf] & !s.kills) | s.reads;
            if let Some(op) = s.stack {
                let (f, bit) = ((op.frame as usize).min(7), 1u64 << op.slot.min(63));
                let k = (s.depth as usize).min(7);
                if op.fill {
                    // The filled register's demand moves to the slot.
                    if let Some(r) = op.reg {
                        if dm.regs[k] & (1 << r) != 0 {
                            dm.stack[f] |= bit;
                        }
                    }
                } else if dm.stack[f] & bit != 0 {
                    // The slot's demand moves to the stored register; the bytes a narrow
                    // store leaves keep it.
                    if op.whole {
                        dm.stack[f] &= !bit;
                    }
                    if let Some(r) = op.reg {
                        dm.regs[k] |= 1 << r;
                    }
                }
            }
            let d = &mut dm.regs;
            let k = (s.depth as usize).min(7);
            let Some(ins) = self.cfg.insns[s.pc as usize] else {
                continue;
            };
            match ins {
                Instruction::Call(Call::Local(_)) if k < 7 => {
                    d[k] |= d[k + 1] & ARGS;
                    d[k + 1] = 0;
                    dm.live[k + 1] = 0;
                    dm.stack[k + 1] = 0;
                }
                Instruction::Call(Call::Helper(_)) if k < 7 => {
                    // A callback frame, if one was entered, starts with fresh arguments.
                    d[k + 1] = 0;
                    dm.live[k + 1] = 0;
                    dm.stack[k + 1] = 0;
                    let (_, def) = uses_defs(&ins);
                    d[k] &= !def;
                }
                Instruction::Exit if k > 0 => {
                    d[k] = d[k - 1] & 1;
                    d[k - 1] &= !CALLER_SAVED;
                    dm.live[k] = 0;
                    dm.stack[k] = 0;
                }
                Instruction::Alu { .. } | Instruction::Neg { .. } | Instruction::End { .. } => {
                    let (u, def) = uses_defs(&ins);
                    d[k] = if d[k] & def != 0 {
                        (d[k] & !def) | u
                    } else {
                        d[k] & !def
                    };
                }
                _ => {
                    let (_, def) = uses_defs(&ins);
                    d[k] &= !def;
                }
            }
            d[k] |= s.uses;
            if let Some((f, slot)) = s.slot_use {
                dm.stack[(f as usize).min(7)] |= 1u64 << slot.min(63);
            }
        }
        dm
    }

    /// The state at the entry of a global function: its arguments from its prototype.
    fn global_entry(&mut self, g: &crate::program::GlobalFunc) -> State {
        let mut f = Frame::new(g.start, 0, 0);
        for (i, a) in g.args.iter().take(5).enumerate() {
            f.regs[i + 1] = match a {
                crate::program::GlobalArg::Scalar => Reg::unknown(),
                crate::program::GlobalArg::Ctx => Reg::Ptr(Ptr::new(Kind::Ctx)),
                crate::program::GlobalArg::Mem { size } => {
                    let mut p = Ptr::new(Kind::Mem {
                        size: *size,
                        ringbuf: false,
                        rdonly: false,
                    });
                    p.or_null = true;
                    p.id = self.fresh_id();
                    Reg::Ptr(p)
                }
            };
        }
        State {
            frames: smallvec::smallvec![f],
            refs: Default::default(),
            lock: None,
        }
    }

    /// Explores the main program, then each global function on its own.
    fn explore_all(&mut self) -> R<()> {
        let main = self.initial_state();
        self.explore(0, main)?;
        for g in self.prog.global_funcs.clone() {
            let st = self.global_entry(&g);
            self.explore(g.start, st)?;
        }
        Ok(())
    }

    fn explore(&mut self, entry: usize, state: State) -> R<()> {
        let mut pending = vec![Path {
            pc: entry,
            state,
            cp: None,
            trace: Vec::new(),
        }];
        while let Some(mut path) = pending.pop() {
            loop {
                let pc = path.pc;
                if self.cfg.prune_point[pc] {
                    let fr = path.state.cur();
                    if fr.callback_ret.is_some()
                        && fr.subprog == pc
                        && self.callback_seen(pc, path.cp, &path.state)
                    {
                        // Another invocation of a callback from a state an earlier one
                        // (still being explored) already covers: nothing new.
                        self.finish(path.cp, &path.trace, Demand::ALL);
                        break;
                    }
                    // Inside a callback, a repeated state may be the next invocation (bounded
                    // by the helper), not a loop; callback entries are checked above.
                    let in_callback = path.state.frames.iter().any(|f| f.callback_ret.is_some());
                    if !in_callback && self.looping(pc, path.cp, &path.state) {
                        return Err(Reject {
                            pc,
                            reason: Reason::TooComplex,
                            message: format!("infinite loop detected at insn {pc}"),
                        });
                    }
                    if let Some(end) = self.pruned(pc, &path) {
                        if self.opts.log_level >= 2 {
                            self.log += &format!("{pc}: safe\n");
                        }
                        self.finish(path.cp, &path.trace, end);
                        break;
                    }
                    let idx = self.checkpoints.len();
                    self.hits.push((0, 0));
                    self.checkpoints.push(Checkpoint {
                        pc,
                        state: path.state.clone(),
                        parent: path.cp,
                        branches: 1,
                        demand: Demand::default(),
                        incoming: std::mem::take(&mut path.trace),
                    });
                    let list = self.at.entry(pc).or_default();
                    // Bounded lists keep the search cheap; forgetting a checkpoint only
                    // costs pruning, never soundness.
                    if list.len() >= MAX_STATES_PER_INSN {
                        list.remove(0);
                    }
                    list.push(idx);
                    path.cp = Some(idx);
                    self.live_states += 1;
                    self.peak_states = self.peak_states.max(self.live_states);
                }
                self.processed += 1;
                if self.processed > self.opts.insn_limit {
                    return Err(Reject {
                        pc,
                        reason: Reason::TooComplex,
                        message: format!(
                            "BPF program is too large. Processed {} insn",
                            self.processed
                        ),
                    });
                }
                let depth = (path.state.frames.len() - 1) as u8;
                if let Some(r) = &mut self.recording {
                    r.add(pc, &path.state, self.cfg.live[pc]);
                }
                self.uses = 0;
                self.stack_op = None;
                self.cur_reg = None;
                self.reads = 0;
                self.kills = 0;
                self.slot_use = None;
                let next = self.step(pc, &mut path.state)?;
                if self.opts.log_level >= 2 {
                    // The state after the instruction, on the line of the instruction.
                    if self.log.ends_with('\n') {
                        self.log.pop();
                    }
                    let st = print::state(&path.state);
                    self.log += &format!(" ; {st}\n");
                }
                path.trace.push(Step {
                    pc: pc as u32,
                    depth,
                    uses: self.uses,
                    stack: self.stack_op,
                    slots_frame: self.slots_frame,
                    reads: self.reads,
                    kills: self.kills,
                    slot_use: self.slot_use,
                });
                match next {
                    Next::Goto(t) => path.pc = t,
                    Next::Fork(t, other, other_pc) => {
                        if self.opts.log_level >= 2 {
                            let st = print::state(&other);
                            self.log += &format!("from {pc} to {other_pc}: {st}\n");
                        }
                        if let Some(c) = path.cp {
                            self.checkpoints[c].branches += 1;
                        }
                        pending.push(Path {
                            pc: other_pc,
                            state: *other,
                            cp: path.cp,
                            trace: path.trace.clone(),
                        });
                        if pending.len() > self.opts.max_pending {
                            return Err(Reject {
                                pc,
                                reason: Reason::TooComplex,
                                message: format!(
                                    "The sequence of {} jumps is too complex.",
                                    pending.len()
                                ),
                            });
                        }
                        path.pc = t;
                    }
                    Next::Done => {
                        self.finish(path.cp, &path.trace, Demand::default());
                        break;
                    }
                }
            }
        }
        if std::env::var_os("TRISTATE_DEBUG_STATES").is_some() {
            let mut count: HashMap<usize, usize> = HashMap::new();
            for c in &self.checkpoints {
                *count.entry(c.pc).or_default() += 1;
            }
            let mut cs: Vec<(usize, usize)> = count.into_iter().map(|(pc, n)| (n, pc)).collect();
            cs.sort_unstable_by(|a, b| b.cmp(a));
            eprintln!("checkpoints created per pc: {:?}", &cs[..cs.len().min(12)]);
            if let Some(&(_, pc)) = cs.first() {
                for c in self.checkpoints.iter().filter(|c| c.pc == pc).take(6) {
                    eprintln!("  {}", print::state(&c.state));
                    for (k, sl) in c.state.cur().stack.iter() {
                        eprint!(
                            " [{k}]{:?}{}",
                            sl.bytes
                                .iter()
                                .map(|b| format!("{b:?}").chars().next().unwrap())
                                .collect::<String>(),
                            sl.spill.as_ref().map(print::reg).unwrap_or_default()
                        );
                    }
                    eprintln!("\n  demand {:?} {:x?}", c.demand.regs[0], c.demand.stack[0]);
                }
            }
        }
        Ok(())
    }

    /// Whether a finished checkpoint at `pc` covers the path; an identical unfinished one on
    /// the path's own ancestry is an infinite loop.
    /// The demand of a checkpoint at `pc` that covers the path, if one does.
    fn pruned(&mut self, pc: usize, path: &Path) -> Option<Demand> {
        let privileged = !self.opts.unprivileged;
        let list = self.at.get(&pc)?;
        let mut found = None;
        let mut evict = Vec::new();
        for (pos, &i) in list.iter().enumerate().rev() {
            let c = &self.checkpoints[i];
            // Only a finished checkpoint prunes (as in the kernel), on the registers and
            // slots its exploration depended on.
            if c.branches != 0 {
                continue;
            }
            // A recording run compares everything, so that concrete runs follow the
            // recorded paths on every live register and slot.
            let demand = if self.recording.is_some() {
                None
            } else {
                Some(&c.demand)
            };
            if covers(&self.cfg, pc, &c.state, &path.state, privileged, demand) {
                found = Some((i, c.demand));
                break;
            }
            // A finished checkpoint that keeps missing is dropped (the kernel's rule), which
            // keeps the search short; forgetting one costs pruning, never soundness.
            let (h, m) = self.hits[i];
            self.hits[i].1 = m + 1;
            if m + 1 > 3 * h + 3 {
                evict.push(pos);
            }
        }
        if let Some((i, _)) = found {
            self.hits[i].0 += 1;
        }
        if !evict.is_empty() {
            let list = self.at.get_mut(&pc).expect("the list exists");
            for pos in evict {
                list.remove(pos);
            }
        }
        found.map(|(_, d)| d)
    }

    /// Whether an ancestor of the path entered the callback at `pc` from a state that
    /// covers this one, comparing every scalar.
    fn callback_seen(&self, pc: usize, path_cp: Option<usize>, state: &State) -> bool {
        let privileged = !self.opts.unprivileged;
        let mut a = path_cp;
        // The recent entries only, so that the search stays cheap.
        let mut entries = 0;
        for _ in 0..4096 {
            let Some(i) = a else { break };
            let c = &self.checkpoints[i];
            if c.pc == pc {
                if covers(&self.cfg, pc, &c.state, state, privileged, None) {
                    return true;
                }
                entries += 1;
                if entries == 64 {
                    break;
                }
            }
            a = c.parent;
        }
        false
    }

    fn looping(&self, pc: usize, path_cp: Option<usize>, state: &State) -> bool {
        let mut a = path_cp;
        // Only the recent ancestry, and at most 8 earlier visits of this instruction: the
        // walk must stay cheap on long paths (a longer cycle ends at the instruction limit).
        let mut same_pc = 0;
        for _ in 0..256 {
            let Some(i) = a else { break };
            let c = &self.checkpoints[i];
            if c.pc == pc {
                if c.state == *state {
                    return true;
                }
                same_pc += 1;
                if same_pc == 8 {
                    break;
                }
            }
            a = c.parent;
        }
        false
    }
}

/// Verifies a program.
pub fn verify(prog: &Program, opts: &Options) -> Verdict {
    run(prog, opts, false).0
}

/// Verifies like [`verify`], pruning only on exact subsumption, and returns the states
/// reached, summarised per instruction, for state embedding.
pub fn verify_recording(prog: &Program, opts: &Options) -> (Verdict, crate::embed::Recording) {
    let (v, r) = run(prog, opts, true);
    (v, r.unwrap_or_default())
}

fn run(prog: &Program, opts: &Options, record: bool) -> (Verdict, Option<crate::embed::Recording>) {
    let start = Instant::now();
    let cfg = match Cfg::build(&prog.slots, opts.unprivileged) {
        Ok(c) => c,
        Err(e) => {
            return (
                Verdict {
                    accepted: false,
                    pc: Some(e.pc),
                    reason: Some(Reason::Malformed),
                    log: if opts.log_level > 0 {
                        format!("{}\n", e.message)
                    } else {
                        String::new()
                    },
                    message: e.message,
                    stats: Stats::default(),
                    access: Default::default(),
                },
                None,
            )
        }
    };
    // A global function must start a subprogram (a call or a function pointer names it).
    if let Some(g) = prog
        .global_funcs
        .iter()
        .find(|g| cfg.subprogs.binary_search(&g.start).is_err())
    {
        let message = format!("global function at insn {} is not a subprogram", g.start);
        return (
            Verdict {
                accepted: false,
                pc: Some(g.start),
                reason: Some(Reason::Malformed),
                log: if opts.log_level > 0 {
                    format!("{message}\n")
                } else {
                    String::new()
                },
                message,
                stats: Stats::default(),
                access: Default::default(),
            },
            None,
        );
    }
    let mut maps = prog.maps.clone();
    let mut inner = vec![None; maps.len()];
    for i in 0..prog.maps.len() {
        if let Some(m) = &prog.maps[i].inner {
            inner[i] = Some(maps.len() as u32);
            maps.push((**m).clone());
            inner.push(None);
        }
    }
    let n_sub = cfg.subprogs.len();
    let mut v = Verifier {
        prog,
        cfg,
        opts,
        maps,
        inner,
        next_id: 0,
        log: String::new(),
        stack_depth: vec![0; n_sub],
        access_kind: HashMap::new(),
        access: Default::default(),
        uses: 0,
        stack_op: None,
        cur_reg: None,
        slots_frame: 0,
        reads: 0,
        kills: 0,
        machine_dependent: 0,
        slot_use: None,
        checkpoints: Vec::new(),
        hits: Vec::new(),
        at: HashMap::new(),
        processed: 0,
        live_states: 0,
        peak_states: 0,
        recording: record.then(Default::default),
    };
    let result = v.explore_all().and_then(|_| v.check_stack_depth());
    let stats = Stats {
        processed_insns: v.processed.min(opts.insn_limit + 1),
        total_states: v.checkpoints.len() as u64,
        peak_states: v.peak_states,
        stack_depth: v.stack_depth.clone(),
        time_us: start.elapsed().as_micros() as u64,
        machine_dependent: v.machine_dependent,
    };
    let mut log = std::mem::take(&mut v.log);
    let recording = v.recording.take();
    let access = std::mem::take(&mut v.access);
    let verdict = match result {
        Ok(()) => {
            if opts.log_level > 0 {
                log += &stats_line(&stats);
            }
            Verdict {
                accepted: true,
                pc: None,
                reason: None,
                message: String::new(),
                stats,
                log,
                access,
            }
        }
        Err(r) => {
            if opts.log_level > 0 {
                log += &format!("{}\n", r.message);
                log += &stats_line(&stats);
            }
            Verdict {
                accepted: false,
                pc: Some(r.pc),
                reason: Some(r.reason),
                message: r.message,
                stats,
                log,
                access,
            }
        }
    };
    (verdict, recording)
}

fn stats_line(s: &Stats) -> String {
    format!(
        "processed {} insns (limit 1000000) max_states_per_insn 0 total_states {} peak_states {} mark_read 0\n",
        s.processed_insns, s.total_states, s.peak_states
    )
}
