; Found by tristate campaign --seed 1 --count 100000 (program 87463), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 6, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = -921080822
    r1 = r2
    call f0
    r9 = 2147483647
    w9 s%= w0
    if r0 & r9 goto l2
    r3 = *(u64 *)(r0 + 8)
l2:
    exit
f0:
    r0 = r1
    exit
