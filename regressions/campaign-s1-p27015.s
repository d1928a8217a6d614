; Found by tristate campaign --seed 1 --count 100000 (program 27015), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 4, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    call f1
    r0 = 0
    r0 s%= 3
    if r0 == 0 goto l4
    *(u16 *)(r0 +8) = r3
l4:
    exit
f1:
    exit
