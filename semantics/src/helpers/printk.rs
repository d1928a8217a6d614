//! `bpf_trace_printk(fmt, fmt_size, a1, a2, a3)`: formats like the kernel's restricted printf
//! and captures the line.

use super::{fault, neg, HResult};
use crate::interp::mapstate::errno;
use crate::interp::Vm;

pub(super) fn trace_printk(vm: &mut Vm, a: [u64; 5], pc: usize) -> HResult {
    let size = a[1] as usize;
    if size == 0 || size > 4096 {
        return Ok(neg(errno::EINVAL));
    }
    let fmt = vm.mem.read_bytes(a[0], size, pc).map_err(fault)?.to_vec();
    let fmt: Vec<u8> = fmt.into_iter().take_while(|b| *b != 0).collect();
    let args = [a[2], a[3], a[4]];
    let mut next = 0usize;
    let mut out = String::new();
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != b'%' {
            out.push(c as char);
            continue;
        }
        if fmt.get(i) == Some(&b'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut longs = 0;
        while fmt.get(i) == Some(&b'l') {
            longs += 1;
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            return Ok(neg(errno::EINVAL));
        };
        i += 1;
        if next >= args.len() {
            return Ok(neg(errno::EINVAL));
        }
        let v = args[next];
        next += 1;
        let v32 = longs == 0;
        match conv {
            b'd' | b'i' => {
                out += &if v32 {
                    (v as i32).to_string()
                } else {
                    (v as i64).to_string()
                }
            }
            b'u' => {
                out += &if v32 {
                    (v as u32).to_string()
                } else {
                    v.to_string()
                }
            }
            b'x' => {
                out += &if v32 {
                    format!("{:x}", v as u32)
                } else {
                    format!("{v:x}")
                }
            }
            b'X' => {
                out += &if v32 {
                    format!("{:X}", v as u32)
                } else {
                    format!("{v:X}")
                }
            }
            b'p' => out += &format!("{v:#x}"),
            b'c' => out.push(v as u8 as char),
            b's' => {
                let s = vm
                    .mem
                    .read_cstr(v, 64, pc)
                    .unwrap_or_else(|_| b"(efault)".to_vec());
                out += &String::from_utf8_lossy(&s);
            }
            _ => return Ok(neg(errno::EINVAL)),
        }
    }
    let n = out.len();
    vm.env.trace.printk.push(out);
    Ok(n as u64)
}
