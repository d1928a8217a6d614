; Found by tristate campaign --seed 1 --count 100000 (program 32615), minimised; then: both accept.
; exec when found: different: packet after the run (of 115 bytes)
; now: both accept
; status: not a semantic difference: the program compares or copies an address, so runs differ between machines; such programs are no longer run in both (Stats::machine_dependent)
; kernel: accept
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r7 = *(u32 *)(r6 + 76)
    r8 = *(u32 *)(r6 + 80)
    *(u32 *)(r10 - 4) = 2
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r2 = 63
    r4 = (s16)r0
    r1 = r7
    r1 += 8
    if r1 > r8 goto l6
    *(u64 *)(r7 +0) = r4
l6:
    r0 = r2
    exit
