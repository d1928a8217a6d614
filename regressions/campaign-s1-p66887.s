; Found by tristate campaign --seed 1 --count 100000 (program 66887), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r1 = -1961272529
    r0 = -2147483648
    r1 %= r0
    if r1 & r1 goto l8
l10:
    if r9 != 0 goto l10
l8:
    exit
