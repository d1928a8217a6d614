; Found by tristate campaign --seed 1 --count 100000 (program 41125), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 3 after losing precision (ours more precise on 1 registers, never less; first: 2 R2: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 8
    r2 = 1118533278
    r2 %= r2
    r1 += r2
    exit
