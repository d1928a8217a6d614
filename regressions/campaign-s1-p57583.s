; Found by tristate campaign --seed 1 --count 100000 (program 57583), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel's path to its rejection at insn 4 passes insn 3, which our analysis proves unreachable; no run reached it or faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r0 = *(u16 *)skb[6]
    if w0 s> -174583418 goto l4
    call f0
l4:
    exit
f0:
    exit
