; Found by tristate campaign --seed 1 --count 100000 (program 30655), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r1 = 1323774289
    r1 s%= -433785456
    if r1 s>= r1 goto l1
    if r0 & 31 goto l2
l2:
l1:
    r0 = r1
    exit
