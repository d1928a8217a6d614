; Found by tristate campaign --seed 1 --count 100000 (program 65023), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 63
    r0 /= r0
    r5 = 0
    if w0 s>= w5 goto l4
    *(u64 *)(r10 -520) = r5
l4:
    exit
