; Found by tristate campaign --seed 1 --count 100000 (program 33071), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 5, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    call 8
    r9 = 3883121756968443457 ll
    r0 %= -1
    if r9 > r0 goto l6
    call 999
l6:
    exit
