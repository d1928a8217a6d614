; A 64-bit shift by 65 shifts by 1; a 32-bit shift by 33 shifts by 1.
; expect: exit 4
    r0 = 1
    r0 <<= 65
    w0 <<= 33
    exit
