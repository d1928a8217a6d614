//! The control-flow graph (petgraph, one node per instruction), the checks the kernel makes
//! before it explores a program (`check_cfg`, `check_subprogs`), and register liveness by
//! backward data flow, used for pruning.

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, EdgeRef};
use semantics::decode::{decode_all, DecodeError};
use semantics::insn::Insn;
use semantics::isa::{Call, Instruction};

/// A set of registers r0..r10 as bits.
pub type RegSet = u16;

/// The checked CFG of a program.
#[derive(Debug)]
pub struct Cfg {
    /// The instruction starting at each slot (`None` for the second slot of LD_IMM64).
    pub insns: Vec<Option<Instruction>>,
    /// First slot of each subprogram, ascending; `subprogs[0] == 0`.
    pub subprogs: Vec<usize>,
    /// The subprogram of each slot.
    pub subprog_of: Vec<usize>,
    pub graph: DiGraph<usize, ()>,
    pub prune_point: Vec<bool>,
    /// Registers live before each instruction.
    pub live: Vec<RegSet>,
}

/// Why a program is refused before exploration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfgError {
    pub pc: usize,
    pub message: String,
}

fn err(pc: usize, message: String) -> CfgError {
    CfgError { pc, message }
}

/// The kernel's message for a decoding error.
fn decode_message(e: &DecodeError, slots: &[Insn]) -> String {
    use semantics::decode::DecodeErrorKind as K;
    match &e.kind {
        K::UnknownOpcode(c) => format!("unknown opcode {c:02x}"),
        K::BadRegister(r) => format!("R{r} is invalid"),
        K::TruncatedLdImm64 | K::BadLdImm64Second(_) => "invalid bpf_ld_imm64 insn".into(),
        K::Reserved { .. } | K::BadField { .. } => {
            let code = slots.get(e.pc).map(|i| i.code).unwrap_or(0);
            match code & 7 {
                0 | 1 => "BPF_LDX uses reserved fields".into(),
                2 | 3 => "BPF_ST uses reserved fields".into(),
                4 | 7 => "BPF_ALU uses reserved fields".into(),
                _ => "BPF_JMP/JMP32 uses reserved fields".into(),
            }
        }
        other => other.to_string(),
    }
}

impl Cfg {
    pub fn build(slots: &[Insn], unprivileged: bool) -> Result<Cfg, CfgError> {
        if slots.is_empty() {
            return Err(err(0, "empty program".into()));
        }
        let d = decode_all(slots).map_err(|e| err(e.pc, decode_message(&e, slots)))?;
        let n = slots.len();
        let mut insns = vec![None; n];
        for (pc, i) in &d.insns {
            insns[*pc] = Some(*i);
        }
        // Subprograms: the entry and every local call or function-pointer target.
        let mut subprogs = vec![0usize];
        for (pc, i) in &d.insns {
            let rel = i.function_offset();
            if let Some(rel) = rel {
                let t = *pc as i64 + 1 + rel;
                if t < 0 || t >= n as i64 {
                    return Err(err(
                        *pc,
                        format!("function call to invalid destination {t}"),
                    ));
                }
                if insns[t as usize].is_none() {
                    return Err(err(
                        *pc,
                        format!("function call to invalid destination {t}"),
                    ));
                }
                subprogs.push(t as usize);
            }
        }
        subprogs.sort_unstable();
        subprogs.dedup();
        let mut subprog_of = vec![0usize; n];
        for (k, &s) in subprogs.iter().enumerate() {
            let end = subprogs.get(k + 1).copied().unwrap_or(n);
            for x in subprog_of.iter_mut().take(end).skip(s) {
                *x = k;
            }
        }
        // Jumps stay inside their subprogram; each subprogram ends with exit or a jump.
        for (k, &s) in subprogs.iter().enumerate() {
            let end = subprogs.get(k + 1).copied().unwrap_or(n);
            let last = (s..end).rev().find(|p| insns[*p].is_some()).unwrap_or(s);
            match insns[last] {
                Some(Instruction::Exit)
                | Some(Instruction::Ja { .. })
                | Some(Instruction::JaLong { .. }) => {}
                _ => return Err(err(last, "last insn is not an exit or jmp".into())),
            }
        }
        let mut graph = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..n).map(|pc| graph.add_node(pc)).collect();
        let mut prune_point = vec![false; n];
        for &s in &subprogs {
            prune_point[s] = true;
        }
        for (pc, i) in &d.insns {
            let pc = *pc;
            let next = pc + i.slots();
            let mut succ = Vec::with_capacity(2);
            match *i {
                Instruction::Exit => {}
                Instruction::Ja { .. } | Instruction::JaLong { .. } | Instruction::Jmp { .. } => {
                    let rel = i.jump_offset().unwrap_or(0);
                    let t = pc as i64 + 1 + rel;
                    if t < 0 || t >= n as i64 || subprog_of[t as usize] != subprog_of[pc] {
                        return Err(err(pc, format!("jump out of range from insn {pc} to {t}")));
                    }
                    if insns[t as usize].is_none() {
                        return Err(err(pc, format!("jump to the middle of ldimm64 insn {t}")));
                    }
                    succ.push(t as usize);
                    prune_point[t as usize] = true;
                    if matches!(i, Instruction::Jmp { .. }) {
                        succ.push(next);
                        prune_point[next.min(n - 1)] = true;
                        prune_point[pc] = true;
                    }
                }
                Instruction::Call(Call::Local(_)) => {
                    succ.push(next);
                    if next < n {
                        prune_point[next] = true;
                    }
                }
                _ => succ.push(next),
            }
            for s in succ {
                if s >= n || subprog_of[s] != subprog_of[pc] {
                    return Err(err(pc, format!("jump out of range from insn {pc} to {s}")));
                }
                graph.add_edge(nodes[pc], nodes[s], ());
            }
        }
        // Reachability from each subprogram's entry.
        let mut reached = vec![false; n];
        for &s in &subprogs {
            let mut dfs = Dfs::new(&graph, nodes[s]);
            while let Some(x) = dfs.next(&graph) {
                reached[graph[x]] = true;
            }
        }
        if let Some(pc) = (0..n).find(|pc| insns[*pc].is_some() && !reached[*pc]) {
            return Err(err(pc, format!("unreachable insn {pc}")));
        }
        if unprivileged {
            if let Some((from, to)) = back_edge(&graph, &nodes, &subprogs) {
                return Err(err(from, format!("back-edge from insn {from} to {to}")));
            }
        }
        let mut cfg = Cfg {
            insns,
            subprogs,
            subprog_of,
            graph,
            prune_point,
            live: vec![0; n],
        };
        cfg.live = cfg.backward(live_transfer);
        Ok(cfg)
    }

    /// A backward may-analysis to its fixpoint: `f(insn, out) = in`.
    fn backward(&self, f: fn(&Instruction, RegSet) -> RegSet) -> Vec<RegSet> {
        let n = self.insns.len();
        let mut inn = vec![0 as RegSet; n];
        let mut work: Vec<usize> = (0..n).filter(|p| self.insns[*p].is_some()).collect();
        let mut queued = vec![true; n];
        while let Some(pc) = work.pop() {
            queued[pc] = false;
            let Some(i) = &self.insns[pc] else { continue };
            let node = NodeIndex::new(pc);
            let out = self
                .graph
                .edges(node)
                .fold(0, |acc, e| acc | inn[self.graph[e.target()]]);
            let new = f(i, out);
            if new != inn[pc] {
                inn[pc] = new;
                for e in self
                    .graph
                    .edges_directed(node, petgraph::Direction::Incoming)
                {
                    let p = self.graph[e.source()];
                    if !queued[p] {
                        queued[p] = true;
                        work.push(p);
                    }
                }
            }
        }
        inn
    }
}

fn back_edge(
    graph: &DiGraph<usize, ()>,
    nodes: &[NodeIndex],
    subprogs: &[usize],
) -> Option<(usize, usize)> {
    // Iterative DFS with colours.
    let mut colour = vec![0u8; nodes.len()];
    for &s in subprogs {
        if colour[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, graph.neighbors(nodes[s]).collect::<Vec<_>>())];
        colour[s] = 1;
        while let Some((pc, succ)) = stack.last_mut() {
            if let Some(t) = succ.pop() {
                let t = graph[t];
                match colour[t] {
                    0 => {
                        colour[t] = 1;
                        let nb = graph.neighbors(nodes[t]).collect();
                        stack.push((t, nb));
                    }
                    1 => return Some((*pc, t)),
                    _ => {}
                }
            } else {
                colour[*pc] = 2;
                stack.pop();
            }
        }
    }
    None
}

pub(crate) const ARGS: RegSet = 0b11_1110;
pub(crate) const CALLER_SAVED: RegSet = 0b11_1111;

/// The registers an instruction reads and writes (`Instruction::uses_defs`).
pub(crate) fn uses_defs(i: &Instruction) -> (RegSet, RegSet) {
    let (u, d) = i.uses_defs();
    (u as RegSet, d as RegSet)
}

fn live_transfer(i: &Instruction, out: RegSet) -> RegSet {
    let (u, d) = uses_defs(i);
    (out & !d) | u | (1 << 10)
}
