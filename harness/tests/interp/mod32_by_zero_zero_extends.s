; The 32-bit remainder by zero keeps the low half of the dividend, zero-extended.
; expect: exit 0xffffffff
    r0 = -1
    w1 = 0
    w0 %= w1
    exit
