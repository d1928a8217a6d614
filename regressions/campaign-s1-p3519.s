; Found by tristate campaign --seed 1 --count 100000 (program 3519), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 3 after losing precision (ours more precise on 1 registers, never less; first: 1 R9: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 7
    r9 s%= r9
    r0 = -897281190
l4:
    if r9 != 0 goto l4
    exit
