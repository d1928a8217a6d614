; The frame carries an 802.1Q tag (0x8100) before the IPv4 ethertype; after the pop the
; ethertype at offset 12 is IPv4's.
; type: sched_cls
; mem-pattern: 64
; set: 12=0x81 13=0x00 16=0x08 17=0x00
; expect: exit 0x8
    r6 = r1
    call 19
    r2 = *(u32 *)(r6 + 80)
    r1 = *(u32 *)(r6 + 76)
    r3 = r1
    r3 += 14
    if r3 > r2 goto bad
    r0 = *(u16 *)(r1 + 12)
    exit
bad:
    r0 = -1
    exit
