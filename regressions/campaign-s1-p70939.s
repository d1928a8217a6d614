; Found by tristate campaign --seed 1 --count 100000 (program 70939), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 4096
    r9 /= 16
    if w9 >= 3 goto l1
    r1 = r7
l1:
    r0 = 4096
    exit
