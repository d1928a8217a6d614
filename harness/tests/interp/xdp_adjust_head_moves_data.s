; type: xdp
; mem-pattern: 64
; expect: exit 0x65
    r6 = r1
    r1 = r6
    r2 = 14
    call 44
    r2 = *(u32 *)(r6 + 4)
    r1 = *(u32 *)(r6 + 0)
    r3 = r1
    r3 += 1
    if r3 > r2 goto out
    r0 = *(u8 *)(r1 + 0)
    exit
out:
    r0 = -1
    exit
