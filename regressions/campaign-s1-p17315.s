; Found by tristate campaign --seed 1 --count 100000 (program 17315), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 4 after losing precision (ours more precise on 2 registers, never less; first: 1 R7: 32 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r7 = 32
    r7 %= 4096
    if r7 > 32 goto l1
    r0 = 2
l1:
    exit
