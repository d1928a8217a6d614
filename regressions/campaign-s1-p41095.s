; Found by tristate campaign --seed 1 --count 100000 (program 41095), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 11 after losing precision (ours more precise on 7 registers, never less; first: 1 R5: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r5 = 8
    w5 s%= w5
    r1 = r5
    call f0
    *(u32 *)(r10 - 4) = w0
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r4 = 4096
    lock *(u64 *)(r0 +0) += r4
    exit
f0:
    r0 = r1
    exit
