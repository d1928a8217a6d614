; Found by tristate campaign --seed 1 --count 100000 (program 11151), minimised; then: both accept.
; exec when found: different: packet after the run (of 91 bytes)
; now: both accept
; status: not a semantic difference: the program compares or copies an address, so runs differ between machines; such programs are no longer run in both (Stats::machine_dependent)
; kernel: accept
; verify: accept
; type: xdp
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r0 = (s32)r1
    exit
