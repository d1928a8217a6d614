; Sum of the bytes of a 1,500-byte packet (the packet benchmark).
; r1 points to the packet; its length is fixed at 1500.
; verify: reject (r1 is a plain memory pointer here, not a socket filter context)
; mem-pattern: 1500
    r0 = 0
    r2 = r1
    r2 += 1500
loop:
    r3 = *(u8 *)(r1 + 0)
    r0 += r3
    r1 += 1
    if r1 < r2 goto loop
    exit
