; Found by tristate campaign --seed 1 --count 100000 (program 8095), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 6, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 15
    r9 s%= 2147483647
    r5 = r9
    r2 = r5
    if r2 > 1 goto l6
    r2 = r10
    *(u32 *)(r10 -312) = r2
l6:
    r0 = r2
    exit
