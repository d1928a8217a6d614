; type: sched_cls
; mem-pattern: 64
; expect: exit 100
    r6 = r1
    r2 = 100
    r3 = 0
    call 38
    if r0 != 0 goto bad
    r0 = *(u32 *)(r6 + 0)
    exit
bad:
    r0 = -1
    exit
