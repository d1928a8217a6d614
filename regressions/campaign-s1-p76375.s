; Found by tristate campaign --seed 1 --count 100000 (program 76375), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = -2147483648
    r3 s/= r3
    if w3 s>= w3 goto l1
    if r3 > r5 goto l3
l3:
l1:
    r2 = 63
    r0 = r2
    exit
