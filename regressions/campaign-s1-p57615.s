; Found by tristate campaign --seed 1 --count 100000 (program 57615), minimised; then: we accept only.
; now: we accept only
; status: fault witness: none; kernel imprecision: the kernel rejects at insn 11 after losing precision (ours more precise on 9 registers, never less; first: 1 R0: 0 | kernel scalar(smin=smin32=0,smax=umax=smax32=umax32=127,var_off=(0x0; 0x7f)) (ours more precise)); state embedding confirms our values; no run faulted
; kernel: reject
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    call f0
    if r0 >= 2147483647 goto l2
    r3 = 931085814
l2:
    r1 = r0
    call f1
    exit
f0:
    r3 = 16
    w3 s%= 8
    r0 = (s8)r3
    exit
f1:
    r0 = r1
    r1 %= r3
    exit
