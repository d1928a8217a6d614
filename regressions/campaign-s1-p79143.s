; Found by tristate campaign --seed 1 --count 100000 (program 79143), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 5, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 1393113981
    r4 = 8
    w4 s%= 1778552726
    if w4 == w0 goto l2
    goto l3
l2:
    w9 = w9
l3:
    exit
