; Found by tristate campaign --seed 1 --count 100000 (program 31871), minimised; then: we reject only.
; now: both accept
; status: fixed: sign extension keeps the signed range of its width (we rejected, the kernel accepts)
; kernel: accept
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r0 = *(u16 *)skb[3]
    w9 = (s8)w0
    r4 = 2
    if w9 != 1658649060 goto l3
    if w2 s>= 2 goto l7
l7:
l3:
    r1 = r4
    call f0
    exit
f0:
    r0 = r1
    exit
