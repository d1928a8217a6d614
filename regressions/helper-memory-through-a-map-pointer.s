; A helper's memory argument may not be a map itself: the kernel refuses a map pointer
; there (found by review; we bounded it like a read of the map's structure and accepted).
; kernel: reject (Linux 6.18, checked live)
; verify: reject
; type: tracepoint
; map: m0 array 4 8 4
    r1 = map_fd(0) ll
    r2 = 8
    call 6
    r0 = 0
    exit
