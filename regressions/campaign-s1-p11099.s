; Found by tristate campaign --seed 1 --count 100000 (program 11099), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 9 after losing precision (ours more precise on 3 registers, never less; first: 1 R9: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 32
    r9 s%= r9
    call f0
    *(u32 *)(r10 - 4) = w9
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r1 = *(u32 *)(r0 +20)
    exit
f0:
    exit
