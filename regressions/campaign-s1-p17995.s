; Found by tristate campaign --seed 1 --count 100000 (program 17995), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 5, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = 32
    r1 = 0
    r1 s%= r3
    r0 = (s16)r3
    if r1 < 1973408667 goto l6
    r3 = *(u32 *)(r0 +4)
l6:
    exit
