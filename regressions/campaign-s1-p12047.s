; Found by tristate campaign --seed 1 --count 100000 (program 12047), minimised; then: both accept.
; exec when found: different: map 1 after the run
; now: both accept
; status: not a semantic difference: the program compares or copies an address, so runs differ between machines; such programs are no longer run in both (Stats::machine_dependent)
; kernel: accept
; verify: accept
; type: sched_cls
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = 31
    if r0 s>= r1 goto l1
    r1 = (s8)r0
    *(u64 *)(r10 - 8) = r1
    r2 = r10
    r2 += -8
    *(u64 *)(r10 -64) = r1
    *(u64 *)(r10 -56) = r0
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(1) ll
    call 2
l1:
    r1 = r0
    call f0
    exit
f0:
    r0 = r1
    exit
