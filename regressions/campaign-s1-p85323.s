; Found by tristate campaign --seed 1 --count 100000 (program 85323), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 8 after losing precision (ours more precise on 3 registers, never less; first: 1 R3: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = 0
    w3 /= w3
    *(u32 *)(r10 - 4) = w3
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r1 = *(u64 *)(r0 +8)
    exit
