; Found by tristate campaign --seed 1 --count 100000 (program 91243), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel's path to its rejection at insn 6 passes insn 5, which our analysis proves unreachable; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r8 = -815800938
    call f0
    r7 = -1367390072
    w7 s/= 63
    if w8 != w7 goto l2
    call f1
l2:
    exit
f0:
    r0 = r1
    exit
f1:
    exit
