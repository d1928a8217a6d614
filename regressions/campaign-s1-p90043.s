; Found by tristate campaign --seed 1 --count 100000 (program 90043), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 2 after losing precision (ours more precise on 1 registers, never less; first: 1 R0: 1 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 4096
    r0 s/= r0
    r1 += r0
    exit
