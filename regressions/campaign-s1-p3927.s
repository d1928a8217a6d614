; Found by tristate campaign --seed 1 --count 100000 (program 3927), minimised; then: both accept.
; exec when found: different: r0 kernel 0x0, ours 0x10 (packet of 20 bytes)
; now: both accept
; status: not a semantic difference: the program compares or copies an address, so runs differ between machines; such programs are no longer run in both (Stats::machine_dependent)
; kernel: accept
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    *(u32 *)(r10 - 4) = 1
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    if w0 >= 32 goto l3
    r4 = 16
    goto l7
l3:
    r4 = 0
l7:
    r0 = r4
    exit
