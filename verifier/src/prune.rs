//! Subsumption of whole states for pruning: a stored state whose exploration finished
//! without error covers the current one when, on every live register and every stack slot,
//! the current value is inside the stored one (with ids mapped consistently). Scalars that
//! no decision of the stored state's exploration depended on (its precision demand, see
//! `check`) are not compared.

use crate::cfg::{Cfg, RegSet};
use crate::check::{spill_len, Demand};
use crate::state::{Byte, Frame, Ptr, Reg, Slot, State};

/// A consistent renaming of ids from the stored state to the current one.
#[derive(Default)]
struct IdMap(Vec<(u32, u32)>, u32);

impl IdMap {
    /// `id`, or a fresh id that nothing else has when `id` is 0.
    fn or_fresh(&mut self, id: u32) -> u32 {
        if id != 0 {
            return id;
        }
        self.1 += 1;
        u32::MAX - self.1
    }

    fn check(&mut self, old: u32, cur: u32) -> bool {
        if old == 0 && cur == 0 {
            return true;
        }
        if old == 0 || cur == 0 {
            return false;
        }
        for &(o, c) in &self.0 {
            if o == old || c == cur {
                return o == old && c == cur;
            }
        }
        self.0.push((old, cur));
        true
    }
}

fn ptr_safe(old: &Ptr, cur: &Ptr, ids: &mut IdMap) -> bool {
    old.kind == cur.kind
        && old.or_null == cur.or_null
        && old.btf_size == cur.btf_size
        && old.untrusted == cur.untrusted
        && old.off == cur.off
        && cur.var.is_subsumed_by(&old.var)
        && (!old.kind.is_packet()
            || if old.range < 0 || cur.range < 0 {
                // Where a pointer is relative to data_end decides branches: compare exactly.
                old.range == cur.range
            } else {
                cur.range >= old.range
            })
        && ids.check(old.id, cur.id)
        && ids.check(old.ref_id, cur.ref_id)
}

fn reg_safe(old: &Reg, cur: &Reg, precise: bool, exact: bool, ids: &mut IdMap) -> bool {
    match (old, cur) {
        (Reg::Uninit, Reg::Uninit) => true,
        // Against a state still being explored, an unset register covers only an unset one.
        (Reg::Uninit, _) => !exact,
        (_, Reg::Uninit) => false,
        (Reg::Scalar(o, oid), Reg::Scalar(c, cid)) => {
            // An unlinked current scalar counts as linked to nothing else (a fresh id).
            !precise
                || (c.is_subsumed_by(o)
                    && (*oid == 0 || {
                        let c = ids.or_fresh(*cid);
                        ids.check(*oid, c)
                    }))
        }
        (Reg::Ptr(o), Reg::Ptr(c)) => ptr_safe(o, c, ids),
        _ => false,
    }
}

fn stack_safe(
    old: &Frame,
    cur: &Frame,
    privileged: bool,
    precise: u64,
    live: u64,
    ids: &mut IdMap,
) -> bool {
    let invalid = Slot::invalid();
    // Only the slots some explored continuation reads matter.
    let mut bits = live;
    while bits != 0 {
        let slot = bits.trailing_zeros() as u16;
        bits &= bits - 1;
        let k = &slot;
        let Some(os) = old.stack.get(k) else { continue };
        let cs = cur.stack.get(k).unwrap_or(&invalid);
        let mut from = 0;
        if let Some(o) = &os.spill {
            let n = spill_len(os);
            match &cs.spill {
                Some(c) if spill_len(cs) == n => {
                    let p = precise & (1u64 << (*k).min(63)) != 0;
                    if !reg_safe(o, c, p, false, ids) {
                        return false;
                    }
                    from = n;
                }
                _ => {
                    // A spilled unknown scalar is covered by misc bytes of the current state.
                    let unknown = matches!(o, Reg::Scalar(s, 0) if *s == crate::domain::Scalar::unknown(&0u64));
                    if !(n == 8
                        && unknown
                        && cs
                            .bytes
                            .iter()
                            .all(|b| matches!(b, Byte::Misc | Byte::Zero)))
                    {
                        return false;
                    }
                    continue;
                }
            }
        }
        for i in from..8 {
            let ok = match (os.bytes[i], cs.bytes[i]) {
                (Byte::Invalid, _) => true,
                (Byte::Misc, _) if privileged => true,
                (Byte::Misc, Byte::Misc | Byte::Zero) => true,
                (Byte::Misc, Byte::Spill) => matches!(cs.spill, Some(Reg::Scalar(..))),
                (Byte::Zero, Byte::Zero) => true,
                (Byte::Zero, Byte::Spill) => {
                    matches!(&cs.spill, Some(Reg::Scalar(s, _)) if s.as_const() == Some(0))
                }
                _ => false,
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

/// Whether `old` (fully explored without error) covers `cur`, both at instruction `pc`.
///
/// `demand` holds, per frame, the registers whose values the stored state's exploration
/// depended on; `None` compares every live scalar and treats unset registers exactly (for
/// checkpoints whose exploration is still running, such as a loop's head).
pub fn covers(
    cfg: &Cfg,
    pc: usize,
    old: &State,
    cur: &State,
    privileged: bool,
    demand: Option<&Demand>,
) -> bool {
    let all_precise = demand.is_none();
    if old.frames.len() != cur.frames.len() || old.refs.len() != cur.refs.len() {
        return false;
    }
    let mut ids = IdMap::default();
    match (old.lock, cur.lock) {
        (None, None) => {}
        (Some((om, oid, ooff)), Some((cm, cid, coff))) if om == cm && ooff == coff => {
            if !ids.check(oid, cid) {
                return false;
            }
        }
        _ => return false,
    }
    let n = old.frames.len();
    for i in 0..n {
        let (of, cf) = (&old.frames[i], &cur.frames[i]);
        if of.callsite != cf.callsite || of.subprog != cf.subprog {
            return false;
        }
        // Liveness in a caller frame is that of its return site; r0-r5 are rewritten there.
        let live: RegSet = if i + 1 == n {
            cfg.live[pc]
        } else {
            let ret = old.frames[i + 1].callsite + 1;
            cfg.live.get(ret).copied().unwrap_or(0x7ff) & !0x3f
        };
        let precise = demand.map(|d| d.regs[i.min(7)]).unwrap_or(0x7ff);
        let precise_slots = demand.map(|d| d.stack[i.min(7)]).unwrap_or(u64::MAX);
        let live_slots = demand.map(|d| d.live[i.min(7)]).unwrap_or(u64::MAX);
        for r in 0..11 {
            if live & (1 << r) == 0 {
                continue;
            }
            if !reg_safe(
                &of.regs[r],
                &cf.regs[r],
                precise & (1 << r) != 0,
                all_precise,
                &mut ids,
            ) {
                return false;
            }
        }
        if !stack_safe(of, cf, privileged, precise_slots, live_slots, &mut ids) {
            return false;
        }
    }
    old.refs
        .iter()
        .zip(cur.refs.iter())
        .all(|(o, c)| ids.check(o.0, c.0))
}
