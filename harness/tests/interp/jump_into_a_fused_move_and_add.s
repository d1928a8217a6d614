; `r2 = r1; r2 += 5` runs as one fused op when entered at the move; a jump straight to the
; add must run the add alone.
; expect: exit 5
    r1 = 100
    r2 = 0
    if r1 > 50 goto second
    r2 = r1
second:
    r2 += 5
    r0 = r2
    exit
