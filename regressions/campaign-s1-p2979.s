; Found by tristate campaign --seed 1 --count 100000 (program 2979), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 8, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = r10
    r3 = r10
    r3 += -64
    r4 = 3
    call 26
    r4 = -1
    w0 s%= w4
    if r0 != -2069259037 goto l6
    r2 = *(u32 *)(r1 + 0)
l6:
    exit
