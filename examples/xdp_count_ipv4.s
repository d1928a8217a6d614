; An XDP program: counts IPv4 frames in an array map and passes every frame.
; verify: accept
; type: xdp
; map: counters array 4 8 1
; mem-pattern: 64
; ethertype at bytes 12-13 is set to IPv4 (0x0800) by this byte pattern:
; set: 12=0x08 13=0x00
    r2 = *(u32 *)(r1 + 4)
    r1 = *(u32 *)(r1 + 0)
    r3 = r1
    r3 += 14
    if r3 > r2 goto pass
    r4 = *(u16 *)(r1 + 12)
    if r4 != 0x8 goto pass
    r5 = 0
    *(u32 *)(r10 - 4) = r5
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    if r0 == 0 goto pass
    r1 = 1
    lock *(u64 *)(r0 + 0) += r1
pass:
    r0 = 2
    exit
