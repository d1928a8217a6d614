; Found by tristate campaign --seed 1 --count 100000 (program 61383), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 4 after losing precision (ours more precise on 1 registers, never less; first: 2 R4: 1 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    call f0
    r4 = 2147483647
    w4 s/= w4
    r1 = r10
    r1 += r4
    exit
f0:
    r0 = r1
    exit
