; Found by tristate campaign --seed 1 --count 100000 (program 54611), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 8 after losing precision (ours more precise on 3 registers, never less; first: 1 R2: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = 4096
    w2 s%= w2
    *(u32 *)(r10 - 4) = w2
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r2 = *(u8 *)(r0 + 0)
    exit
