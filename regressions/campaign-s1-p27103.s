; Found by tristate campaign --seed 1 --count 100000 (program 27103), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 12 after losing precision (ours more precise on 1 registers, never less; first: 10 R5: 0 | kernel scalar() (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    call f0
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(0) ll
    call 2
    r5 = 5
    w5 /= 7
    r1 = r10
    r1 += r5
    exit
f0:
    exit
