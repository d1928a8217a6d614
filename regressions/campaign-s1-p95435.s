; Found by tristate campaign --seed 1 --count 100000 (program 95435), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 2 after losing precision (ours more precise on 1 registers, never less; first: 1 R9: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = -1466974904
    r9 s%= r9
    r1 += r9
    r2 = r10
    r2 += -8
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(1) ll
    call 2
    exit
