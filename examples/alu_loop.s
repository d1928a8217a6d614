; 100,000 iterations of a loop of 64-bit arithmetic (the ALU benchmark).
; r0 accumulates; r1 counts down.
; verify: reject (1.1 M instructions to verify, over the 1 M limit: the live kernel refuses it too)
    r0 = 1
    r1 = 100000
loop:
    r0 += r1
    r0 ^= 0x5a5a
    r2 = r0
    r2 <<= 3
    r0 -= r2
    r3 = r1
    r3 >>= 2
    r0 |= r3
    r0 *= 3
    r1 -= 1
    if r1 != 0 goto loop
    exit
