; Found by tristate campaign --seed 1 --count 100000 (program 34323), minimised; then: we accept only.
; now: both reject
; status: fixed: every stack pointer returned to a caller is refused, as the kernel does
; kernel: reject
; verify: reject
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r1 = r10
    call f0
    exit
f0:
    r0 = r1
    exit
