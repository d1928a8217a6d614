; Found by tristate campaign --seed 1 --count 100000 (program 4381), minimised; then: we reject only.
; now: both accept
; status: fixed: sign extension keeps the signed range of its width (we rejected, the kernel accepts)
; kernel: accept
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    call 7
    r0 = (s8)r0
    if w0 s< 255 goto l4
    r3 = *(u64 *)(r0 + 8)
l4:
    exit
