; expect: exit 0xffffffffffffff80
    r1 = 0x180
    r0 = (s8)r1
    exit
