; expect: exit 0x2a
    *(u8 *)(r10 - 512) = 42
    r0 = *(u8 *)(r10 - 512)
    exit
