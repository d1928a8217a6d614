; Found by tristate campaign --seed 1 --count 100000 (program 86471), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 6 after losing precision (ours more precise on 2 registers, never less; first: 1 R5: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r5 = 2
    r5 %= 1
    if r5 > 15 goto l1
    r4 = -442771000188654272 ll
l1:
    r9 = 32
    if r9 != r4 goto l5
l5:
    r0 = r9
    exit
