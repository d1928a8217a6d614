; expect: exit 0x8000000000000000
    r0 = -9223372036854775808 ll
    r1 = -1
    r0 s/= r1
    exit
