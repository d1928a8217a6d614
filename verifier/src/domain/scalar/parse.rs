//! Reading a scalar back from the Linux verifier log notation that [`Scalar::log`] prints,
//! so that states from a live kernel's level-2 log can be set beside ours.

use super::Scalar;
use crate::domain::Tnum;

/// A number as the kernel prints it: decimal (possibly negative) or `0x` hex.
fn number(s: &str) -> Result<u64, String> {
    let bad = || format!("bad number '{s}'");
    if let Some(h) = s.strip_prefix("0x") {
        u64::from_str_radix(h, 16).map_err(|_| bad())
    } else if let Some(d) = s.strip_prefix('-') {
        d.parse::<u64>()
            .ok()
            .filter(|v| *v <= 1 << 63)
            .map(|v| v.wrapping_neg())
            .ok_or_else(bad)
    } else {
        s.parse::<u64>().map_err(|_| bad())
    }
}

impl Scalar<u64> {
    /// Parses `scalar(...)` or a constant, as printed after `R2=` in a kernel log. A leading
    /// `P` (precise) is accepted and `id=` / `ref_obj_id=` fields are skipped; omitted bounds
    /// are unbounded, an omitted `var_off` is unknown.
    ///
    /// ```
    /// # use verifier::domain::Scalar;
    /// let s = Scalar::parse_log("scalar(smin=0,smax=umax=255,var_off=(0x0; 0xff))").unwrap();
    /// assert_eq!(s.umax, 255);
    /// assert_eq!(Scalar::parse_log("-1").unwrap().as_const(), Some(u64::MAX));
    /// ```
    pub fn parse_log(text: &str) -> Result<Self, String> {
        let t = text.strip_prefix('P').unwrap_or(text);
        let Some(body) = t.strip_prefix("scalar(").and_then(|b| b.strip_suffix(')')) else {
            return number(t).map(|v| Scalar::constant(&v));
        };
        let mut s = Scalar::unknown(&0u64);
        let mut rest = body;
        while !rest.is_empty() {
            // `var_off=(a; b)` is the only field with inner punctuation.
            if let Some(v) = rest.strip_prefix("var_off=(") {
                let end = v
                    .find(')')
                    .ok_or_else(|| format!("unclosed var_off in '{text}'"))?;
                let (value, mask) = v[..end]
                    .split_once("; ")
                    .ok_or_else(|| format!("bad var_off in '{text}'"))?;
                s.var_off = Tnum::new(number(value)?, number(mask)?);
                rest = v[end + 1..].trim_start_matches(',');
                continue;
            }
            let (field, tail) = rest.split_once(',').unwrap_or((rest, ""));
            rest = tail;
            let mut names: Vec<&str> = field.split('=').collect();
            let value_text = names.pop().unwrap_or("");
            if names == ["id"] || names == ["ref_obj_id"] {
                // Ids (6.18 prints linked ones as `id=1+5`) are not part of the value.
                continue;
            }
            let value = number(value_text)?;
            for name in names {
                let lo = value as u32;
                match name {
                    "smin" => s.smin = value,
                    "smax" => s.smax = value,
                    "umin" => s.umin = value,
                    "umax" => s.umax = value,
                    "smin32" => s.s32_min = lo,
                    "smax32" => s.s32_max = lo,
                    "umin32" => s.u32_min = lo,
                    "umax32" => s.u32_max = lo,
                    _ => return Err(format!("unknown field '{name}' in '{text}'")),
                }
            }
        }
        Ok(s)
    }
}
