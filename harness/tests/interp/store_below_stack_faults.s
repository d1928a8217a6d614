; expect: fault write OutOfBounds at 1
    r0 = 0
    *(u8 *)(r10 - 513) = 1
    exit
