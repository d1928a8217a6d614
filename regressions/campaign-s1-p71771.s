; Found by tristate campaign --seed 1 --count 100000 (program 71771), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 9, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = r10
    r1 = map_idx(0) ll
    r2 += -8
    call 1
    r2 = 32
    r2 s/= 1362537717
    r5 = 1139538347
    if w2 <= w5 goto l7
    r3 = *(u64 *)(r0 + 8)
l7:
    exit
