//! What a run receives in r1 (and r2): nothing, a plain buffer, or a program type's context
//! with a packet.

use super::memory::{region_base, CtxField};
use super::{Vm, CTX_REGION, MEM_REGION, PACKET_REGION};

/// The layout of a context that carries a packet.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CtxLayout {
    /// `struct __sk_buff` (socket filters, tc classifiers and actions, cgroup skb, ...):
    /// 192 bytes; `len` at 0, `protocol` at 16, `data` at 76, `data_end` at 80, `data_meta`
    /// at 140.
    SkBuff,
    /// `struct xdp_md`: 24 bytes; `data` at 0, `data_end` at 4, `data_meta` at 8.
    Xdp,
    /// `struct sk_msg_md`: 80 bytes; 8-byte `data` at 0 and `data_end` at 8.
    SkMsg,
}

/// The input of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// r1 = 0.
    None,
    /// bpf_conformance's convention: r1 points to the bytes, r2 holds their length (r1 = 0
    /// when empty).
    Mem(Vec<u8>),
    /// A context of the given layout whose packet holds the bytes.
    Packet { layout: CtxLayout, data: Vec<u8> },
    /// A raw context: r1 points to these bytes.
    Ctx(Vec<u8>),
}

impl Vm {
    /// Installs the input in memory and returns (r1, r2).
    pub fn install(&mut self, input: &Input) -> (u64, u64) {
        self.packet_region = PACKET_REGION;
        self.env.headroom_used = 0;
        self.env.meta_len = 0;
        self.env.reservations.clear();
        for i in [CTX_REGION, PACKET_REGION, MEM_REGION] {
            let r = &mut self.mem.regions[i];
            r.data.clear();
            r.fields.clear();
            r.live = true;
        }
        match input {
            Input::None => (0, 0),
            Input::Mem(b) if b.is_empty() => (0, 0),
            Input::Mem(b) => {
                self.mem.regions[MEM_REGION].data.extend_from_slice(b);
                (region_base(MEM_REGION), b.len() as u64)
            }
            Input::Ctx(b) => {
                self.mem.regions[CTX_REGION].data.extend_from_slice(b);
                (region_base(CTX_REGION), 0)
            }
            Input::Packet { layout, data } => {
                self.mem.regions[PACKET_REGION].data.extend_from_slice(data);
                let start = region_base(PACKET_REGION);
                let end = start + data.len() as u64;
                let ctx = &mut self.mem.regions[CTX_REGION];
                let field = |off, value| CtxField {
                    off,
                    size: 4,
                    value,
                };
                match layout {
                    CtxLayout::SkBuff => {
                        ctx.data.resize(192, 0);
                        ctx.data[0..4].copy_from_slice(&(data.len() as u32).to_le_bytes());
                        if data.len() >= 14 {
                            ctx.data[16] = data[12];
                            ctx.data[17] = data[13];
                        }
                        ctx.data[36..40].copy_from_slice(&1u32.to_le_bytes());
                        ctx.data[40..44].copy_from_slice(&1u32.to_le_bytes());
                        ctx.fields = vec![field(76, start), field(80, end), field(140, start)];
                    }
                    CtxLayout::Xdp => {
                        ctx.data.resize(24, 0);
                        ctx.data[12..16].copy_from_slice(&1u32.to_le_bytes());
                        ctx.fields = vec![field(0, start), field(4, end), field(8, start)];
                    }
                    CtxLayout::SkMsg => {
                        ctx.data.resize(80, 0);
                        // `size`: the message's length.
                        ctx.data[68..72].copy_from_slice(&(data.len() as u32).to_le_bytes());
                        let wide = |off, value| CtxField {
                            off,
                            size: 8,
                            value,
                        };
                        ctx.fields = vec![wide(0, start), wide(8, end)];
                    }
                }
                (region_base(CTX_REGION), 0)
            }
        }
    }

    /// Points the context's packet fields at a new packet region (after a helper resized the
    /// packet).
    pub(crate) fn move_packet(&mut self, region: usize) {
        let meta = region_base(region);
        let start = meta + self.env.meta_len as u64;
        let end = meta + self.mem.regions[region].data.len() as u64;
        let ctx = &mut self.mem.regions[CTX_REGION];
        // The packet fields were installed in the order data, data_end, data_meta.
        for (i, f) in ctx.fields.iter_mut().enumerate() {
            f.value = match i {
                0 => start,
                1 => end,
                _ => meta,
            };
        }
        if ctx.data.len() == 192 {
            let len = (end - start) as u32;
            ctx.data[0..4].copy_from_slice(&len.to_le_bytes());
        }
        self.packet_region = region;
    }
}
