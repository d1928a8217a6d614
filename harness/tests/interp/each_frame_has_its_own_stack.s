; expect: exit 0x7
    r1 = 7
    *(u64 *)(r10 - 8) = r1
    call g
    r0 = *(u64 *)(r10 - 8)
    exit
g:
    r1 = 99
    *(u64 *)(r10 - 8) = r1
    exit
