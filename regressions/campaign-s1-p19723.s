; Found by tristate campaign --seed 1 --count 100000 (program 19723), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = -1303777481
    r0 = 7
    r0 %= r2
    if w0 s> -910027901 goto l2
    r0 = *(u8 *)(r8 + 0)
l2:
    exit
