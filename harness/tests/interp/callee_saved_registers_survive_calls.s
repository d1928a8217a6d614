; expect: exit 0x1e
    r6 = 10
    r7 = r10
    call g
    r0 = r6
    r0 += 20
    if r7 != r10 goto bad
    exit
bad:
    r0 = -1
    exit
g:
    r6 = 99
    r1 = 5
    *(u64 *)(r10 - 8) = r1
    r0 = 0
    exit
