; Found by tristate campaign --seed 1 --count 100000 (program 94147), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 3, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = 178947812
    r3 %= -1113121742
    if r3 == r3 goto l1
    call 2
l1:
    r9 = 1
    r0 = r9
    exit
