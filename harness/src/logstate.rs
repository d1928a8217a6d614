//! Register values of a kernel level-2 log read back into our state types
//! (`verifier::state::Reg`): scalars in every notation the kernel prints, and pointers
//! (`fp-8`, `ctx()`, `map_value(map=m,ks=4,vs=8,off=4,smin=...)`, `pkt(id=1,off=14,r=34)`,
//! `pkt_end()`, `map_value_or_null(id=2,...)`, ...) with their fixed offset, variable offset,
//! ids and packet range.

use verifier::domain::Scalar;
use verifier::state::{Kind, Ptr, Reg};

/// The pointer kinds by the kernel's names (without `_or_null`).
fn kind(name: &str, depth: u8) -> Option<Kind> {
    Some(match name {
        "ctx" => Kind::Ctx,
        "fp" => Kind::Stack(depth),
        "map_ptr" => Kind::MapPtr(0),
        "map_value" => Kind::MapValue(0),
        "map_key" => Kind::MapKey(0),
        "pkt" => Kind::Packet,
        "pkt_meta" => Kind::PacketMeta,
        "pkt_end" => Kind::PacketEnd,
        "sock" => Kind::Socket,
        "sock_common" => Kind::SockCommon,
        "tcp_sock" => Kind::TcpSock,
        "xdp_sock" => Kind::XdpSock,
        "flow_keys" => Kind::FlowKeys,
        "mem" | "rdonly_mem" | "alloc_mem" => Kind::Mem {
            size: 0,
            ringbuf: false,
            rdonly: name == "rdonly_mem",
        },
        "ringbuf_mem" => Kind::Mem {
            size: 0,
            ringbuf: true,
            rdonly: false,
        },
        "func" => Kind::Func(0),
        _ if name.starts_with("ptr_") || name.starts_with("trusted_ptr_") => Kind::BtfId,
        _ => return None,
    })
}

/// Splits `a=1,var_off=(0x0; 0xff),b=2` at the commas outside parentheses.
fn fields(body: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0usize);
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < body.len() {
        out.push(&body[start..]);
    }
    out
}

fn int(s: &str) -> Result<i64, String> {
    // Linked ids print as `1+5`; the first number is the id.
    let s = s.split('+').next().unwrap_or(s);
    s.parse::<i64>().map_err(|_| format!("bad number '{s}'"))
}

/// Parses one register value as a level-2 log prints it after `R2=`; `depth` is the frame
/// the line belongs to (the kernel prints stack pointers of the current frame as `fp-8`).
pub fn parse_reg(text: &str, depth: u8) -> Result<Reg, String> {
    let t = text.strip_prefix('P').unwrap_or(text);
    if t.starts_with("scalar(") || t.starts_with('-') || t.starts_with(|c: char| c.is_ascii_digit())
    {
        return Scalar::parse_log(t).map(|s| Reg::Scalar(s, 0));
    }
    if let Some(o) = t.strip_prefix("fp") {
        let (frame, o) = match o.strip_prefix('[') {
            Some(rest) => {
                let (f, o) = rest.split_once(']').ok_or("bad fp[")?;
                (int(f)? as u8, o)
            }
            None => (depth, o),
        };
        let mut p = Ptr::new(Kind::Stack(frame));
        p.off = int(o)? as i32;
        return Ok(Reg::Ptr(p));
    }
    let (name, body) = t
        .split_once('(')
        .and_then(|(n, b)| Some((n, b.strip_suffix(')')?)))
        .ok_or_else(|| format!("unknown register value '{text}'"))?;
    let (base, or_null) = match name.strip_suffix("_or_null") {
        Some(b) => (b, true),
        None => (name, false),
    };
    let k = kind(base, depth).ok_or_else(|| format!("unknown pointer type '{name}'"))?;
    let mut p = Ptr::new(k);
    p.or_null = or_null;
    let mut var = Vec::new();
    for f in fields(body) {
        let (key, value) = f.split_once('=').unwrap_or((f, ""));
        match key {
            "id" => p.id = int(value)? as u32,
            "ref_obj_id" => p.ref_id = int(value)? as u32,
            "off" => p.off = int(value)? as i32,
            "r" => p.range = int(value)? as i32,
            // Names, sizes and the like describe the object, not the pointer's value.
            "map" | "ks" | "vs" | "imm" | "sz" | "mem_size" | "btf" | "type" => {}
            _ => var.push(f),
        }
    }
    if !var.is_empty() {
        p.var = Scalar::parse_log(&format!("scalar({})", var.join(",")))?;
    }
    Ok(Reg::Ptr(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_read_back_with_offsets_ranges_and_variable_parts() {
        let Reg::Ptr(p) = parse_reg("pkt(id=2,off=14,r=34,imm=0)", 0).unwrap() else {
            panic!()
        };
        assert_eq!((p.kind, p.off, p.range, p.id), (Kind::Packet, 14, 34, 2));
        let Reg::Ptr(p) = parse_reg("fp-8", 1).unwrap() else {
            panic!()
        };
        assert_eq!((p.kind, p.off), (Kind::Stack(1), -8));
        let Reg::Ptr(p) = parse_reg(
            "map_value(map=m,ks=4,vs=48,off=4,smin=umin=0,smax=umax=60,var_off=(0x0; 0x3c))",
            0,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!((p.kind, p.off, p.var.umax), (Kind::MapValue(0), 4, 60));
        let Reg::Ptr(p) = parse_reg("map_value_or_null(id=3,map=m,ks=4,vs=8)", 0).unwrap() else {
            panic!()
        };
        assert!(p.or_null && p.id == 3);
        assert!(matches!(parse_reg("P5", 0), Ok(Reg::Scalar(s, _)) if s.as_const() == Some(5)));
        assert!(parse_reg("widget()", 0).is_err());
    }
}
