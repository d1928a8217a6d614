; Found by tristate campaign --seed 1 --count 100000 (program 991), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 8, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 7
    w9 /= 1
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    if w9 != -466831815 goto l7
    *(u64 *)(r10 +0) = r9
l7:
    exit
