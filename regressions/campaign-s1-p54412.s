; Found by tristate campaign --seed 1 --count 100000 (program 54412), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r0 = *(u8 *)skb[21]
    if r0 s< 2147483647 goto l1
    r3 %= 0
l1:
    exit
