; Found by tristate campaign --seed 1 --count 100000 (program 86055), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 5, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 32
    w0 %= w0
    w9 = (s16)w0
    if w9 s>= 2 goto l5
    goto l6
l5:
    r3 = *(u8 *)(r7 +35)
l6:
    call f0
    exit
f0:
    r0 = r1
    exit
