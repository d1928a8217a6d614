; Found by tristate campaign --seed 1 --count 100000 (program 30759), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 8, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 5
    r8 = 0
    r8 s/= 3
    r1 = 31
    r1 s>>= r8
    if r1 >= 32 goto l4
    call f1
    goto l5
l4:
    r3 = *(u64 *)(r0 +2)
l5:
    r0 = r9
    exit
f1:
    exit
