//! Register states in the kernel log's notation (`R1=ctx() R10=fp0 R0_w=scalar(...)`).

use crate::state::{Kind, Reg, State};

pub(crate) fn reg(r: &Reg) -> String {
    match r {
        Reg::Uninit => "?".into(),
        Reg::Scalar(s, id) => {
            let text = s.log();
            if *id != 0 {
                match text.strip_prefix("scalar(") {
                    Some(")") => format!("scalar(id={id})"),
                    Some(rest) => format!("scalar(id={id},{rest}"),
                    None => text,
                }
            } else {
                text
            }
        }
        Reg::Ptr(p) => {
            let mut fields = Vec::new();
            if p.id != 0 {
                fields.push(format!("id={}", p.id));
            }
            if p.ref_id != 0 {
                fields.push(format!("ref_obj_id={}", p.ref_id));
            }
            if p.off != 0 && !matches!(p.kind, Kind::Stack(_)) {
                fields.push(format!("off={}", p.off));
            }
            if p.kind.is_packet() {
                fields.push(format!("r={}", p.range));
            }
            match p.kind {
                Kind::Stack(_) if p.var.as_const() == Some(0) => format!("fp{}", p.off),
                _ => format!("{}({})", p.kind.name(p.or_null), fields.join(",")),
            }
        }
    }
}

pub(crate) fn state(st: &State) -> String {
    let f = st.cur();
    let mut out = Vec::new();
    for (i, r) in f.regs.iter().enumerate() {
        if !matches!(r, Reg::Uninit) {
            out.push(format!("R{i}={}", reg(r)));
        }
    }
    out.join(" ")
}
