; Found by tristate campaign --seed 1 --count 100000 (program 44859), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 6, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    call 7
    r1 = r0
    call f0
    r5 = 0
    r5 s/= r5
    if w5 < 16 goto l5
l6:
    if r9 != 0 goto l6
l5:
    exit
f0:
    r0 = r1
    exit
