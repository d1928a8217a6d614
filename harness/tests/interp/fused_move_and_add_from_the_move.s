; expect: exit 0x75
    r1 = 100
    r2 = r1
    r2 += 5
    r3 = r1
    r3 /= 7
    r4 = r1
    r4 %= 7
    r2 += r3
    r2 -= r4
    r0 = r2
    exit
