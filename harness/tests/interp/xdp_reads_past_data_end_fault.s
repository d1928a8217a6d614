; type: xdp
; mem-pattern: 20
; expect: fault read OutOfBounds at 3
    r2 = *(u32 *)(r1 + 4)
    r1 = *(u32 *)(r1 + 0)
    r1 += 20
    r0 = *(u8 *)(r1 + 0)
    exit
