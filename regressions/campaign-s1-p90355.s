; Found by tristate campaign --seed 1 --count 100000 (program 90355), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel's path to its rejection at insn 11 passes insn 10, which our analysis proves unreachable; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r4 = 15
    r4 -= -927399139
    r2 = -167124857
    w2 <<= w4
    r1 = r4
    *(u64 *)(r10 - 48) = r2
    r2 = r10
    r2 += -48
    call f0
    if r0 s>= 2 goto l4
    call f1
l4:
    exit
f0:
    r0 = r1
    r3 = *(u64 *)(r2 + 0)
    r0 += r3
    exit
f1:
    exit
