; Found by tristate campaign --seed 1 --count 100000 (program 54371), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = 8
    w9 s/= w9
    call f0
    if r9 >= r9 goto l1
    r3 = *(u64 *)(r0 + 8)
l1:
    exit
f0:
    r0 = r1
    exit
