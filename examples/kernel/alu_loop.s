; The ALU benchmark (../alu_loop.s) in a form the kernel verifies: 90,000 iterations of the same loop
; r0 accumulates; r1 counts down.
; verify: accept
; type: socket_filter
; mem-pattern: 64
    r0 = 1
    r1 = 90000
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
