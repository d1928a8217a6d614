; Found by tristate campaign --seed 1 --count 100000 (program 67267), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 9 after losing precision (ours more precise on 7 registers, never less; first: 3 R2: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r1 = 16
    r2 = 0
    r2 s/= r1
    r1 = r2
    call f0
    r3 = (s16)r0
    r1 = r6
    r1 += r3
    r2 = *(u32 *)(r1 + 0)
    exit
f0:
    r0 = r1
    exit
