; expect: exit 0x1e
    r1 = 10
    *(u64 *)(r10 - 8) = r1
    r2 = 5
    r2 = atomic64_fetch_add((u64 *)(r10 - 8), r2)
    r0 = *(u64 *)(r10 - 8)
    r0 *= 2
    exit
