; map: h hash 4 8 16
; Stores 42 at key 1, reads it back, deletes it, and checks that a second lookup fails.
; expect: exit 0x2a
    r1 = 1
    *(u32 *)(r10 - 4) = r1
    r1 = 42
    *(u64 *)(r10 - 16) = r1
    r1 = map_idx(0) ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 0
    call 2
    if r0 != 0 goto bad
    r1 = map_idx(0) ll
    r2 = r10
    r2 += -4
    call 1
    if r0 == 0 goto bad
    r6 = *(u64 *)(r0 + 0)
    r1 = map_idx(0) ll
    r2 = r10
    r2 += -4
    call 3
    r1 = map_idx(0) ll
    r2 = r10
    r2 += -4
    call 1
    if r0 != 0 goto bad
    r0 = r6
    exit
bad:
    r0 = -1
    exit
