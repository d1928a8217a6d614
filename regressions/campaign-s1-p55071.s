; Found by tristate campaign --seed 1 --count 100000 (program 55071), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r8 = 615654622
    r8 %= r8
    if r8 != 1 goto l2
    w0 %= 63
l2:
    r0 = *(u8 *)skb[0]
    exit
