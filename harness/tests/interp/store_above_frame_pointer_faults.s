; The stack is the 512 bytes below r10.
; expect: fault write OutOfBounds at 0
    *(u64 *)(r10 + 0) = r1
    r0 = 0
    exit
