; Found by tristate campaign --seed 1 --count 100000 (program 95810), minimised; then: we reject only.
; now: both accept
; status: fixed: sign extension keeps the signed range of its width (we rejected, the kernel accepts)
; kernel: accept
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = 63
    r3 = r10
    r3 += -64
    r4 = 10
    call 26
    r9 = -485911466
    w9 /= w0
    r9 = (s16)r9
    if r9 < -374401050 goto l1
    if r9 < -285493999 goto l2
    goto l3
l2:
    r4 += r9
l3:
l1:
    exit
