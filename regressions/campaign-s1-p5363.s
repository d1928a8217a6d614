; Found by tristate campaign --seed 1 --count 100000 (program 5363), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 47759751
    r9 s%= 4096
    if r9 == 4096 goto l1
    goto l8
l1:
    r10 += 8
l8:
    r0 = r9
    exit
