; `r1 += 1; if r1 < 10 goto loop` runs fused; the first entry jumps to the test directly.
; expect: exit 0x2d
    r0 = 0
    r1 = 0
    goto test
loop:
    r0 += r1
    r1 += 1
test:
    if r1 < 10 goto loop
    exit
