; With no input, r1 is 0.
; expect: fault read OutOfBounds at 0
    r0 = *(u64 *)(r1 + 0)
    exit
