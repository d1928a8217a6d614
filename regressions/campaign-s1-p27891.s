; Found by tristate campaign --seed 1 --count 100000 (program 27891), minimised; then: we reject only.
; now: both accept
; status: fixed: sign extension keeps the signed range of its width (we rejected, the kernel accepts)
; kernel: accept
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = 54
    r3 = r10
    r3 += -64
    r4 = 6
    call 26
    r9 = (s8)r0
    if r9 s> -2147483648 goto l6
    *(u8 *)(r1 - 8) = 0
l6:
    exit
