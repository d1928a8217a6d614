; Found by tristate campaign --seed 1 --count 100000 (program 31171), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 3 after losing precision (ours more precise on 1 registers, never less; first: 1 R3: 2 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r3 = 32
    r3 s%= 3
    r7 = 1
    r1 += r3
    r0 = r7
    exit
