; Found by tristate campaign --seed 1 --count 100000 (program 93419), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 6, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = -6480763951029333049 ll
    r2 = (s8)r3
    r2 %= r2
    r0 = (s8)r2
    if r0 == 0 goto l13
    r1 = *(u16 *)(r0 +19)
l13:
    exit
