; map: rb ringbuf 0 0 4096
; expect: fault write Freed at 11
    r1 = map_idx(0) ll
    r2 = 16
    r3 = 0
    call 131
    if r0 == 0 goto out
    r6 = r0
    r1 = r0
    r2 = 0
    call 132
    r1 = 1
    *(u64 *)(r6 + 0) = r1
out:
    r0 = 0
    exit
