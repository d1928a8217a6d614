; Found by tristate campaign --seed 1 --count 100000 (program 14479), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = -2147483648
    r0 /= 15
    if r0 & r0 goto l7
    r0 = r3
l7:
    exit
