; expect: exit 0xfffffffffffffff2
    r1 = -1
    *(u64 *)(r10 - 8) = r1
    r1 = r10
    r1 += -8
    r2 = 8
    r3 = 12345
    call 4
    r6 = r0
    r0 = *(u64 *)(r10 - 8)
    if r0 != 0 goto out
    r0 = r6
out:
    exit
