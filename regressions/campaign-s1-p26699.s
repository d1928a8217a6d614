; Found by tristate campaign --seed 1 --count 100000 (program 26699), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 4 after losing precision (ours more precise on 1 registers, never less; first: 3 R9: 5 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = r10
    r2 += -4
    r9 = 5
    r9 %= 2071373510
    r1 += r9
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(0) ll
    call 2
    exit
