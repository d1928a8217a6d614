; Found by tristate campaign --seed 1 --count 100000 (program 41395), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 5, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = 0
    w3 %= -1324349509
    r1 = r3
    call f0
    if r0 == 0 goto l6
    r3 = *(u64 *)(r0 + 8)
l6:
    exit
f0:
    r0 = r1
    exit
