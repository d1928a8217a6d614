; Found by tristate campaign --seed 1 --count 100000 (program 28131), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 8
    r0 /= -360427864
    if r0 == 0 goto l14
    r3 = *(u64 *)(r0 + 8)
l14:
    exit
