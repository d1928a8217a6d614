; Found by tristate campaign --seed 1 --count 100000 (program 97255), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 7 after losing precision (ours more precise on 1 registers, never less; first: 5 R5: 1 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r4 = 63
    r3 = r4
    r1 = r3
    call f0
    w5 = (s16)w0
    r5 s/= r5
    r1 = r10
    r1 += r5
    exit
f0:
    r0 = r1
    exit
