; A value pointer reaches exactly value_size bytes.
; map: a array 4 8 4
; expect: fault read OutOfBounds at 10
    r1 = 0
    *(u32 *)(r10 - 4) = r1
    r1 = map_idx(0) ll
    r2 = r10
    r2 += -4
    call 1
    if r0 == 0 goto out
    r1 = *(u64 *)(r0 + 0)
    r1 = *(u32 *)(r0 + 4)
    r1 = *(u8 *)(r0 + 8)
out:
    r0 = 0
    exit
