; Found by tristate campaign --seed 1 --count 100000 (program 42671), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 6, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r5 = 875322779
    r0 = 15
    r0 = be64 r0
    w0 <<= w0
    if r0 >= r5 goto l7
    goto l12
l7:
    *(u64 *)(r10 -513) = r5
l12:
    exit
