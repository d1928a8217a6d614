; A map value pointer that is not null may still have a zero low half: a 32-bit test against
; zero decides nothing. The kernel takes the pointer's low half to be non-zero and never
; walks the fall-through edge, with its out-of-bounds read; we walk it and refuse. Found by
; the soundness fuzz target (the interpreter's objects start at multiples of 2^32).
; kernel: accept (Linux 6.18, checked live)
; verify: reject
; type: socket_filter
; map: m0 array 4 8 4
    *(u32 *)(r10 - 4) = 0
    r2 = r10
    r2 += -4
    r1 = map_fd(0) ll
    call 1
    if r0 == 0 goto out
    if w0 != 0 goto out
    r0 = *(u64 *)(r0 + 4096)
out:
    r0 = 0
    exit
