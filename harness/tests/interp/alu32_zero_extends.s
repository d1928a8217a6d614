; expect: exit 0xfffffffe
    r0 = -1
    w0 += -1
    exit
