; Found by tristate campaign --seed 1 --count 100000 (program 41695), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r4 = 7
    w4 s/= -1
    if r4 >= 2147483647 goto l7
    r5 = r0
l7:
    r3 = -1854058866
    r0 = r3
    exit
