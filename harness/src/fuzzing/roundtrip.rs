//! Decode/encode and disassemble/assemble round trips on arbitrary instruction bytes.

use semantics::decode::{decode_all, encode_all};
use semantics::text::print::{print_program, Flavor};

/// For any bytes that decode: encoding gives the bytes back, and both text syntaxes read back
/// to the same slots. Bytes that do not decode must give an error (not a panic); so must ELF
/// loading and the interpreter's load step.
pub fn check(data: &[u8]) {
    let whole = &data[..data.len() - data.len() % 8];
    let Some(slots) = semantics::insn::insns_from_bytes(whole) else {
        return;
    };
    let _ = semantics::elf::load(data);
    let Ok(d) = decode_all(&slots) else { return };
    let ins: Vec<_> = d.insns.iter().map(|(_, i)| *i).collect();
    assert_eq!(encode_all(&ins), slots, "encode(decode(x)) != x");
    let text = print_program(&d.insns, Flavor::Llvm);
    assert_eq!(
        semantics::text::assemble(&text).as_deref(),
        Ok(&slots[..]),
        "pseudo-C round trip:\n{text}"
    );
    let conf = semantics::text::conformance::print_program(&ins);
    assert_eq!(
        semantics::text::assemble_conformance(&conf).as_deref(),
        Ok(&slots[..]),
        "conformance round trip:\n{conf}"
    );
    let mut vm = semantics::interp::Vm::new(
        semantics::interp::Config {
            budget: 10_000,
            ..Default::default()
        },
        &[],
    );
    if let Ok(id) = vm.load("fuzz", &slots) {
        let _ = vm.run(id, &semantics::interp::Input::Mem(data.to_vec()));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn roundtrip_oracle_holds_on_random_bytes() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut decoded = 0;
        for _ in 0..20_000 {
            let n = (next() % 3 + 1) as usize;
            let mut bytes = Vec::new();
            for _ in 0..n {
                let w = next();
                // Bias the opcode byte toward valid opcodes by taking it from a real one half the
                // time.
                let mut b = w.to_le_bytes();
                if w & 1 == 0 {
                    b[0] = [
                        0x07, 0x0f, 0x04, 0x0c, 0xb7, 0xbf, 0x15, 0x1d, 0x61, 0x63, 0x7b, 0x95,
                        0x85, 0x18, 0xdb, 0xd4,
                    ][(w >> 8) as usize % 16];
                    b[1] = ((w >> 16) % 11) as u8 | ((((w >> 20) % 11) as u8) << 4);
                    if w & 2 == 0 {
                        b[2] = 0;
                        b[3] = 0;
                    }
                    if w & 4 == 0 {
                        b[4..8].fill(0);
                    }
                }
                bytes.extend_from_slice(&b);
            }
            if semantics::decode::decode_all(&semantics::insn::insns_from_bytes(&bytes).unwrap())
                .is_ok()
            {
                decoded += 1;
            }
            super::check(&bytes);
        }
        assert!(decoded > 100, "{decoded}");
    }
}
