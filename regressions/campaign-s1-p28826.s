; Found by tristate campaign --seed 1 --count 100000 (program 28826), minimised; then: we reject only.
; now: both accept
; status: fixed: a register compared with itself decides the branch (we rejected, the kernel accepts)
; kernel: accept
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r2 = 39
    r3 = r10
    r3 += -64
    r4 = 3
    call 26
    if w0 <= w0 goto l5
    if r0 != 0 goto l6
    r3 = *(u64 *)(r0 + 8)
l6:
l5:
    exit
