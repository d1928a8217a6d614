; A bpf-to-bpf call: the callee adds its five arguments; r6-r9 survive the call.
; verify: accept
    r1 = 1
    r2 = 2
    r3 = 3
    r4 = 4
    r5 = 5
    r6 = 6
    call add5
    r0 += r6
    exit
add5:
    r0 = r1
    r0 += r2
    r0 += r3
    r0 += r4
    r0 += r5
    r6 = 100
    exit
