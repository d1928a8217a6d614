; Found by tristate campaign --seed 1 --count 100000 (program 39367), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 2147483647
    r0 s%= 714137036
    if r0 s>= -1588396512 goto l8
    r5 |= r0
l8:
    exit
