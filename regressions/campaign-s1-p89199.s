; Found by tristate campaign --seed 1 --count 100000 (program 89199), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 2
    w9 %= 1
    call f0
    if r9 != 8 goto l7
    w0 &= 2074948421
l7:
    exit
f0:
    r0 = r1
    exit
