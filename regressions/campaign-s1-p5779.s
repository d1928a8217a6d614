; Found by tristate campaign --seed 1 --count 100000 (program 5779), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: insn 7, where the kernel rejects, is on a path our analysis proves infeasible; no run reached it or faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = 63
    r3 %= r3
    r2 = -2147483648
    w2 -= w3
    r0 = r2
    if r0 s<= 32 goto l1
    goto l5
l1:
    r1 += r9
l5:
    exit
