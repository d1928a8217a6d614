//! The checked memory model of the interpreter.
//!
//! Memory is a set of disjoint regions (context, stack frames, packet, map values, read-only
//! data). Region `i` lives at the synthetic address `(i + 1) << 32`, so finding the region of
//! an address is one shift and one bounds check. Every access is checked for bounds and
//! permission; a violation is a [`Fault`] value. Regions are never reused: a freed region (a
//! deleted hash entry, a discarded ring buffer record) stays dead, so a stale pointer faults.

use std::fmt;

/// What a region holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RegionKind {
    Ctx,
    /// The stack of call frame `n`.
    Stack(u8),
    Packet,
    /// The value of entry `key_index` of map `map`.
    MapValue {
        map: u32,
    },
    /// Read-only data such as `.rodata`.
    ReadOnly,
    /// Any other buffer a helper hands out (ring buffer records, scratch).
    Mem,
}

/// Why an access failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FaultKind {
    /// No live region contains the address range.
    OutOfBounds,
    /// The region does not allow writes.
    ReadOnly,
    /// The region was freed.
    Freed,
    /// Division or other operation the program was not allowed to do.
    Other,
}

/// A memory access that the model refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fault {
    /// The instruction index.
    pub pc: usize,
    pub addr: u64,
    pub size: u32,
    pub write: bool,
    pub kind: FaultKind,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pc {}: invalid {} of {} bytes at {:#x} ({:?})",
            self.pc,
            if self.write { "write" } else { "read" },
            self.size,
            self.addr,
            self.kind
        )
    }
}

/// A context field that reads as a value other than its bytes (the kernel rewrites such
/// loads, as `xdp_md.data` reads as the 64-bit packet pointer).
#[derive(Clone, Copy, Debug)]
pub struct CtxField {
    pub off: u32,
    pub size: u32,
    pub value: u64,
}

#[derive(Clone, Debug)]
pub struct Region {
    pub kind: RegionKind,
    pub data: Vec<u8>,
    pub writable: bool,
    pub live: bool,
    /// Loads that must see a value other than the bytes (only for the context).
    pub fields: Vec<CtxField>,
}

/// Where an address range points.
#[derive(Clone, Copy, Debug)]
pub struct Location {
    pub region: usize,
    pub off: usize,
}

/// The address space of one execution.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    pub regions: Vec<Region>,
}

/// The address of the first byte of region `idx`.
pub const fn region_base(idx: usize) -> u64 {
    ((idx as u64) + 1) << 32
}

impl Memory {
    /// Adds a region and returns its index.
    pub fn add(&mut self, kind: RegionKind, data: Vec<u8>, writable: bool) -> usize {
        self.regions.push(Region {
            kind,
            data,
            writable,
            live: true,
            fields: Vec::new(),
        });
        self.regions.len() - 1
    }

    pub fn base(&self, idx: usize) -> u64 {
        region_base(idx)
    }

    /// Marks a region freed; later accesses fault.
    pub fn free(&mut self, idx: usize) {
        if let Some(r) = self.regions.get_mut(idx) {
            r.live = false;
            r.data = Vec::new();
        }
    }

    /// Resolves `[addr, addr + size)` to one region, checking bounds and (for writes)
    /// permission.
    #[inline(always)]
    pub fn locate(
        &self,
        addr: u64,
        size: usize,
        write: bool,
        pc: usize,
    ) -> Result<Location, Fault> {
        let idx = (addr >> 32).wrapping_sub(1) as usize;
        let off = (addr & 0xffff_ffff) as usize;
        let fault = |kind| Fault {
            pc,
            addr,
            size: size as u32,
            write,
            kind,
        };
        let Some(r) = self.regions.get(idx) else {
            return Err(fault(FaultKind::OutOfBounds));
        };
        if off + size > r.data.len() {
            return Err(fault(if r.live {
                FaultKind::OutOfBounds
            } else {
                FaultKind::Freed
            }));
        }
        if write && !r.writable {
            return Err(fault(FaultKind::ReadOnly));
        }
        Ok(Location { region: idx, off })
    }

    /// Loads `size` bytes (1, 2, 4 or 8), little endian, zero-extended.
    #[inline(always)]
    pub fn load(&self, addr: u64, size: usize, pc: usize) -> Result<u64, Fault> {
        let loc = self.locate(addr, size, false, pc)?;
        let r = &self.regions[loc.region];
        if !r.fields.is_empty() {
            if let Some(f) = r
                .fields
                .iter()
                .find(|f| f.off as usize == loc.off && f.size as usize == size)
            {
                return Ok(f.value);
            }
        }
        let b = &r.data[loc.off..loc.off + size];
        Ok(match size {
            1 => b[0] as u64,
            2 => u16::from_le_bytes([b[0], b[1]]) as u64,
            4 => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64,
            _ => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        })
    }

    /// `load` for a size known at compile time, with the common case (a plain region, in
    /// bounds) inlined.
    #[inline(always)]
    pub fn load_n<const N: usize>(&self, addr: u64, pc: usize) -> Result<u64, Fault> {
        let idx = (addr >> 32).wrapping_sub(1) as usize;
        let off = (addr & 0xffff_ffff) as usize;
        if let Some(r) = self.regions.get(idx) {
            if r.fields.is_empty() {
                if let Some(b) = r.data.get(off..off + N) {
                    let mut w = [0u8; 8];
                    w[..N].copy_from_slice(b);
                    return Ok(u64::from_le_bytes(w));
                }
            }
        }
        self.load(addr, N, pc)
    }

    /// `store` for a size known at compile time.
    #[inline(always)]
    pub fn store_n<const N: usize>(&mut self, addr: u64, v: u64, pc: usize) -> Result<(), Fault> {
        let idx = (addr >> 32).wrapping_sub(1) as usize;
        let off = (addr & 0xffff_ffff) as usize;
        if let Some(r) = self.regions.get_mut(idx) {
            if r.writable {
                if let Some(b) = r.data.get_mut(off..off + N) {
                    b.copy_from_slice(&v.to_le_bytes()[..N]);
                    return Ok(());
                }
            }
        }
        self.store(addr, N, v, pc)
    }

    /// Stores the low `size` bytes of `v`, little endian.
    #[inline(always)]
    pub fn store(&mut self, addr: u64, size: usize, v: u64, pc: usize) -> Result<(), Fault> {
        let loc = self.locate(addr, size, true, pc)?;
        let b = &mut self.regions[loc.region].data[loc.off..loc.off + size];
        b.copy_from_slice(&v.to_le_bytes()[..size]);
        Ok(())
    }

    /// Reads a byte range (for helpers).
    pub fn read_bytes(&self, addr: u64, len: usize, pc: usize) -> Result<&[u8], Fault> {
        if len == 0 {
            return Ok(&[]);
        }
        let loc = self.locate(addr, len, false, pc)?;
        Ok(&self.regions[loc.region].data[loc.off..loc.off + len])
    }

    /// Writes a byte range (for helpers).
    pub fn write_bytes(&mut self, addr: u64, bytes: &[u8], pc: usize) -> Result<(), Fault> {
        if bytes.is_empty() {
            return Ok(());
        }
        let loc = self.locate(addr, bytes.len(), true, pc)?;
        self.regions[loc.region].data[loc.off..loc.off + bytes.len()].copy_from_slice(bytes);
        Ok(())
    }

    /// Reads a NUL-terminated string of at most `max` bytes.
    pub fn read_cstr(&self, addr: u64, max: usize, pc: usize) -> Result<Vec<u8>, Fault> {
        let loc = self.locate(addr, 1, false, pc)?;
        let data = &self.regions[loc.region].data[loc.off..];
        let lim = &data[..data.len().min(max)];
        Ok(match lim.iter().position(|&b| b == 0) {
            Some(n) => lim[..n].to_vec(),
            None => lim.to_vec(),
        })
    }
}

/// What a load or store instruction does to a register file and memory (the interpreter's
/// run loop has the same meaning, specialised per size): `None` for other instructions.
/// For engines that hand single accesses over (the JIT's slow path).
pub fn load_store(
    mem: &mut Memory,
    ins: &crate::isa::Instruction,
    regs: &mut [u64; 16],
    pc: usize,
) -> Option<Result<(), Fault>> {
    use crate::isa::{Instruction, Source};
    Some(match *ins {
        Instruction::Load {
            size,
            sign_extend,
            dst,
            src,
            off,
        } => {
            let addr = regs[src.idx()].wrapping_add(off as i64 as u64);
            mem.load(addr, size.bytes(), pc).map(|v| {
                regs[dst.idx()] = if sign_extend {
                    crate::alu::sext::<u64>(&v, 8 * size.bytes() as u32)
                } else {
                    v
                };
            })
        }
        Instruction::Store {
            size,
            dst,
            off,
            src,
        } => {
            let addr = regs[dst.idx()].wrapping_add(off as i64 as u64);
            let v = match src {
                Source::Reg(r) => regs[r.idx()],
                Source::Imm(k) => k as i64 as u64,
            };
            mem.store(addr, size.bytes(), v, pc)
        }
        _ => return None,
    })
}
