; Found by tristate campaign --seed 1 --count 100000 (program 62675), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 4 after losing precision (ours more precise on 2 registers, never less; first: 1 R9: 1 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r9 = -838594887
    w9 %= 2
    if r9 s> 255 goto l1
    call 7
l1:
    exit
