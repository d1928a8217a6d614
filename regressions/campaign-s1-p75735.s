; Found by tristate campaign --seed 1 --count 100000 (program 75735), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 10, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 32
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r9 s/= 126696886
    r2 = -1034927446
    r2 = -r2
    if r2 s> r9 goto l2
    *(u8 *)(r1 - 8) = 0
l2:
    exit
