; Found by tristate campaign --seed 1 --count 100000 (program 73443), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 10, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r3 = -891099384
    r2 = -1991070515
    w2 %= w2
    r3 += r2
    if r3 s< 3 goto l3
    call 26
l3:
    exit
