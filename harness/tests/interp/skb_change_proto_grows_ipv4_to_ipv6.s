; type: sched_cls
; mem-pattern: 64
; set: 12=0x08 13=0x00
; expect: exit 84
    r6 = r1
    r2 = 0xdd86
    r3 = 0
    call 31
    if r0 != 0 goto bad
    r0 = *(u32 *)(r6 + 0)
    exit
bad:
    r0 = -1
    exit
