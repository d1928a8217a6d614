; A 32-bit test against zero does not tell a map lookup's result from null (the kernel marks
; pointers only on 64-bit tests); dereferencing it after one is refused. We used to mark it.
; kernel: reject (Linux 6.18, checked live)
; verify: reject
; type: socket_filter
; map: m0 hash 4 8 4
    *(u32 *)(r10 - 4) = 0
    r2 = r10
    r2 += -4
    r1 = map_fd(0) ll
    call 1
    if w0 == 0 goto out
    r0 = *(u64 *)(r0 + 0)
out:
    r0 = 0
    exit
