; map: rb ringbuf 0 0 4096
; expect: exit 0
    r1 = map_idx(0) ll
    r2 = 16
    r3 = 0
    call 131
    if r0 == 0 goto bad
    r1 = 7
    *(u64 *)(r0 + 8) = r1
    r1 = r0
    r2 = 0
    call 132
    exit
bad:
    r0 = -1
    exit
