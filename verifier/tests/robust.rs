//! Bad input never panics: random instruction slots (mostly valid opcodes, random
//! registers, offsets and immediates) give a verdict, accept or reject, within the limits.

use proptest::prelude::*;
use semantics::insn::Insn;
use verifier::{verify, MapInfo, Options, Program};

/// Opcodes the verifier must handle: ALU/ALU64 with K and X, jumps, loads, stores,
/// atomics, LD_IMM64, calls, exit, and a few invalid ones.
const CODES: &[u8] = &[
    0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f, 0x77, 0x7f,
    0x87, 0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf, 0xd4, 0xdc, 0xd7, 0x04, 0x0c, 0x14, 0x24,
    0x34, 0x3c, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4, 0xb4, 0xbc, 0xc4, 0x05, 0x06, 0x15, 0x1d, 0x25,
    0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75, 0x7d, 0xa5, 0xad, 0xb5, 0xbd, 0xc5,
    0xcd, 0xd5, 0xdd, 0x16, 0x1e, 0x26, 0x56, 0x85, 0x95, 0x18, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89,
    0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb, 0x20, 0x28, 0x30, 0x40, 0x48,
    0x50, 0x00, 0xff, 0x8d,
];

fn slot() -> impl Strategy<Value = Insn> {
    (
        prop::sample::select(CODES),
        0u8..12,
        0u8..12,
        prop_oneof![-20i16..20, any::<i16>()],
        prop_oneof![-10i32..200, any::<i32>()],
    )
        .prop_map(|(code, dst, src, off, imm)| {
            let src = if code == 0x85 { src % 3 } else { src };
            Insn::new(code, dst, src, off, imm)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn random_programs_get_a_verdict_without_panicking(
        mut slots in prop::collection::vec(slot(), 1..40),
        prog_type in prop::sample::select(vec![1u32, 2, 3, 5, 6, 8, 13, 14, 17, 18, 30]),
    ) {
        // End with `r0 = 0; exit` so that more programs get past the CFG checks.
        slots.push(Insn::new(0xb7, 0, 0, 0, 0));
        slots.push(Insn::new(0x95, 0, 0, 0, 0));
        let prog = Program {
            slots,
            prog_type,
            expected_attach_type: 0,
            maps: vec![MapInfo {
                map_type: 2,
                key_size: 4,
                value_size: 16,
                max_entries: 4,
                flags: 0,
                readonly: false,
                writeonly: false,
                inner: None,
                spin_lock_off: None,
                kptrs: vec![],
            }],
            strict_alignment: false,
            global_funcs: Vec::new(),
        };
        let opts = Options { insn_limit: 20_000, log_level: 2, ..Default::default() };
        let v = verify(&prog, &opts);
        prop_assert!(v.accepted || !v.message.is_empty());
        prop_assert!(v.stats.processed_insns <= 20_001);
    }
}
