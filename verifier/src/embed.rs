//! The abstract states a verification reached, summarised per instruction, for state
//! embedding: the soundness oracle that runs a program concretely and checks that every live
//! register and stack slot value at each instruction lies inside what the verifier said.
//!
//! A summary keys on the instruction and the call depth. For each register of the current
//! frame it keeps the join of everything the explored paths held there: whether the register
//! may be unset, the join of its scalars, and per pointer kind the join of the offsets
//! (fixed plus variable). For each 8-byte stack slot of the current frame it keeps the bytes
//! that are zero on every path and, where every path spilled a whole register there, the
//! join of the spilled registers.
//!
//! Architecture Invariant: a recording run prunes on exact subsumption (every live register
//! and every stack slot, not only those the precision demand names), so that each concrete
//! execution follows, on its live registers and its stack, one of the recorded paths.

use crate::domain::Scalar;
use crate::state::{Byte, Frame, Kind, Reg, State};
use std::collections::{BTreeMap, HashMap};

/// What one register held, joined over the paths.
#[derive(Clone, Debug, PartialEq)]
pub struct RegSum {
    /// Some path had it unset (nothing is then claimed).
    pub uninit: bool,
    /// The join of its scalar values.
    pub scalar: Option<Scalar<u64>>,
    /// Per pointer kind, the join of the offsets and whether it may be null.
    pub ptrs: Vec<PtrSum>,
}

/// Pointers of one kind, joined over the paths.
#[derive(Clone, Debug, PartialEq)]
pub struct PtrSum {
    pub kind: Kind,
    /// Fixed plus variable offset, as a 64-bit scalar.
    pub off: Scalar<u64>,
    pub or_null: bool,
}

/// One 8-byte stack slot, joined over the paths.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotSum {
    /// Bit `i`: byte `i` of the slot (from its lowest address) is zero on every path.
    pub zero: u8,
    /// The spilled register, where every path spilled all eight bytes.
    pub spill: Option<RegSum>,
}

/// The states at one instruction and call depth.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Registers of the current frame live at the instruction (the only ones pruning
    /// compares).
    pub live: u16,
    pub regs: Vec<RegSum>,
    /// Slot `k` holds bytes `fp - 8(k+1) .. fp - 8k`.
    pub stack: BTreeMap<u16, SlotSum>,
    /// Paths that reached the instruction at this depth.
    pub paths: u64,
}

/// Every summary of one verification.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    pub at: HashMap<(usize, u8), Summary>,
}

impl RegSum {
    fn of(r: &Reg) -> RegSum {
        let mut s = RegSum {
            uninit: false,
            scalar: None,
            ptrs: Vec::new(),
        };
        s.add(r);
        s
    }

    fn add(&mut self, r: &Reg) {
        match r {
            Reg::Uninit => self.uninit = true,
            Reg::Scalar(v, _) => {
                self.scalar = Some(match &self.scalar {
                    Some(s) => s.join(v),
                    None => v.clone(),
                })
            }
            Reg::Ptr(p) => {
                let off = p.total_offset();
                match self.ptrs.iter_mut().find(|q| q.kind == p.kind) {
                    Some(q) => {
                        q.off = q.off.join(&off);
                        q.or_null |= p.or_null;
                    }
                    None => self.ptrs.push(PtrSum {
                        kind: p.kind,
                        off,
                        or_null: p.or_null,
                    }),
                }
            }
        }
    }

    fn merge(&mut self, o: &RegSum) {
        self.uninit |= o.uninit;
        if let Some(v) = &o.scalar {
            self.add(&Reg::Scalar(v.clone(), 0));
        }
        for p in &o.ptrs {
            match self.ptrs.iter_mut().find(|q| q.kind == p.kind) {
                Some(q) => {
                    q.off = q.off.join(&p.off);
                    q.or_null |= p.or_null;
                }
                None => self.ptrs.push(p.clone()),
            }
        }
    }
}

fn slot_sum(bytes: &[Byte; 8], spill: Option<&Reg>) -> SlotSum {
    let zero = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == Byte::Zero)
        .fold(0u8, |m, (i, _)| m | 1 << i);
    let full = bytes.iter().all(|b| *b == Byte::Spill);
    SlotSum {
        zero,
        spill: spill.filter(|_| full).map(RegSum::of),
    }
}

impl Summary {
    fn of(f: &Frame, live: u16) -> Summary {
        Summary {
            live,
            regs: f.regs.iter().map(RegSum::of).collect(),
            stack: f
                .stack
                .iter()
                .map(|(k, s)| (*k, slot_sum(&s.bytes, s.spill.as_ref())))
                .collect(),
            paths: 1,
        }
    }

    fn add(&mut self, f: &Frame) {
        self.paths += 1;
        for (s, r) in self.regs.iter_mut().zip(f.regs.iter()) {
            s.add(r);
        }
        // A slot some path lacks holds anything.
        self.stack.retain(|k, sum| match f.stack.get(k) {
            None => false,
            Some(s) => {
                let o = slot_sum(&s.bytes, s.spill.as_ref());
                sum.zero &= o.zero;
                sum.spill = match (sum.spill.take(), o.spill) {
                    (Some(mut a), Some(b)) => {
                        a.merge(&b);
                        Some(a)
                    }
                    _ => None,
                };
                true
            }
        });
    }
}

impl Recording {
    /// Adds a state reached at `pc`, before its instruction runs.
    pub(crate) fn add(&mut self, pc: usize, state: &State, live: u16) {
        let depth = (state.frames.len() - 1) as u8;
        let f = state.cur();
        match self.at.get_mut(&(pc, depth)) {
            Some(s) => s.add(f),
            None => {
                self.at.insert((pc, depth), Summary::of(f, live));
            }
        }
    }
}
