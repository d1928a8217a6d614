; Found by tristate campaign --seed 1 --count 100000 (program 9763), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 17 after losing precision (ours more precise on 10 registers, never less; first: 1 R7: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r7 = 255
    r7 s%= r7
    r1 = r7
    call f0
    r9 = 4
l1:
    r1 = r0
    call f1
    r5 = 199578828
    r9 -= 1
    if r9 != 0 goto l1
    if w5 < w0 goto l2
    *(u32 *)(r10 - 4) = w9
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
l2:
    r1 = *(u32 *)(r0 +1)
    exit
f0:
    r0 = r1
    exit
f1:
    r0 = r1
    exit
