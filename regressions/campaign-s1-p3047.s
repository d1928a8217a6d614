; Found by tristate campaign --seed 1 --count 100000 (program 3047), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 5 after losing precision (ours more precise on 1 registers, never less; first: 2 R8: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r8 = -1810265803
    w8 = (s8)w8
    w8 s/= 63
    call f0
    r1 = r10
    r1 += r8
    exit
f0:
    r0 = r1
    exit
