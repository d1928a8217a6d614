; Found by tristate campaign --seed 1 --count 100000 (program 64863), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 11, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = r10
    r2 += -8
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(1) ll
    call 2
    r3 = -1
    r3 %= 1429272077
    if r3 != 1 goto l2
    *(u8 *)(r1 - 8) = 0
l2:
    exit
