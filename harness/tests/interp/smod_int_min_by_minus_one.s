; expect: exit 0
    r0 = -9223372036854775808 ll
    r0 s%= -1
    exit
