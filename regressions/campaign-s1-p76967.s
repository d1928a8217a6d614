; Found by tristate campaign --seed 1 --count 100000 (program 76967), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 9 after losing precision (ours more precise on 1 registers, never less; first: 7 R3: 0xfffffffffd69b164 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r2 = 63
    r3 = r10
    r3 += -64
    r4 = 14
    call 26
    r3 = -651074347
    r3 s/= 15
    r1 = r6
    r1 += r3
    exit
