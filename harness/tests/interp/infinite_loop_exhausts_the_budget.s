; budget: 1000
; expect: budget at 2 after 1000
    r0 = 0
loop:
    r0 += 1
    goto loop
