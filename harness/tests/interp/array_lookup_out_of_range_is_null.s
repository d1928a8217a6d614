; map: a array 4 8 4
; expect: exit 0
    r1 = 4
    *(u32 *)(r10 - 4) = r1
    r1 = map_idx(0) ll
    r2 = r10
    r2 += -4
    call 1
    exit
