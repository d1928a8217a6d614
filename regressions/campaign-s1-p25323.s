; Found by tristate campaign --seed 1 --count 100000 (program 25323), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 5, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r4 = -2147483648
    r0 = 605141909
    r0 /= 2147483647
    if r4 & r0 goto l1
    goto l2
l1:
    if w0 < w9 goto l7
l7:
l2:
    exit
