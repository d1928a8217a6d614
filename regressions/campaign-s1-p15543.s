; Found by tristate campaign --seed 1 --count 100000 (program 15543), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r5 = 893661310
    w5 s/= 2147483647
    if w5 != w5 goto l6
    goto l7
l6:
    r4 = -r4
l7:
    r0 = r5
    exit
