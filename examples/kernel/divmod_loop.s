; The kernel form (a socket filter) of ../divmod_loop.s: 50,000 iterations of unsigned division and remainder by immediates and by a register
; (the division benchmark).
; verify: accept
; type: socket_filter
; mem-pattern: 64
    r0 = 0
    r1 = 50000
    r5 = 7
loop:
    r3 = r1
    r3 /= 3
    r4 = r1
    r4 %= 13
    r0 += r3
    r0 += r4
    r6 = r0
    r6 /= r5
    r0 -= r6
    r6 = r1
    r6 %= r5
    r0 ^= r6
    r1 -= 1
    if r1 != 0 goto loop
    exit
