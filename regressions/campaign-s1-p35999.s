; Found by tristate campaign --seed 1 --count 100000 (program 35999), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 11, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(0) ll
    call 2
    w1 = w0
    r1 /= 3
    if r1 s< 1788791631 goto l4
    w5 %= w3
l4:
    exit
