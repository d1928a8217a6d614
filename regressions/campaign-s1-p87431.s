; Found by tristate campaign --seed 1 --count 100000 (program 87431), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r0 = *(u32 *)skb[3]
    if r0 != -1527840701 goto l1
    r3 = *(u64 *)(r0 + 8)
l1:
    exit
