; Found by tristate campaign --seed 1 --count 100000 (program 8287), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 5 after losing precision (ours more precise on 1 registers, never less; first: 8 R0: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r2 = 0
    r1 = r2
    call f0
    r1 = r6
    r1 += r0
    exit
f0:
    r0 = r1
    r0 /= r2
    exit
