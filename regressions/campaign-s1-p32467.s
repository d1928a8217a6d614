; Found by tristate campaign --seed 1 --count 100000 (program 32467), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 2147483647
    r5 = 256047042
    r0 s/= r5
    if r5 >= r0 goto l10
    r0 = *(u8 *)(r8 + 0)
l10:
    exit
