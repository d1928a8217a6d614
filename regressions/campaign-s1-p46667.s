; Found by tristate campaign --seed 1 --count 100000 (program 46667), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 8
    r9 %= 8
    if w9 != 8 goto l8
    if r3 > r8 goto l13
l13:
l8:
    r0 = r9
    exit
