; Found by tristate campaign --seed 1 --count 100000 (program 22959), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 3 after losing precision (ours more precise on 1 registers, never less; first: 2 R5: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 1
    r5 = 3
    r5 %= r0
    r1 += r5
    exit
