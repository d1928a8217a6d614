; Found by tristate campaign --seed 1 --count 100000 (program 51131), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r5 = 7
    r5 %= r5
    r0 = 15
    if r5 <= r5 goto l2
    *(u64 *)(r10 +8) = r0
l2:
    exit
