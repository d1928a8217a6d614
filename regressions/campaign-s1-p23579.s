; Found by tristate campaign --seed 1 --count 100000 (program 23579), minimised; then: both accept.
; exec when found: different: map 1 after the run
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
    r1 = r7
    r1 += 12
    if r1 > r8 goto l1
    r2 = *(u8 *)(r7 + 0)
    r2 &= 31
    r1 = r7
    r1 += r2
    r3 = r1
    r3 += 4
    if r3 > r8 goto l2
    r4 = *(u32 *)(r1 + 0)
l2:
    r4 = *(u16 *)(r7 +0)
    r5 = *(u64 *)(r7 +2)
l1:
    r1 = r6
    r2 = 37
    r3 = r10
    r3 += -64
    r4 = 12
    call 26
    r1 = r0
    r2 = r0
    call f0
    *(u32 *)(r10 - 4) = 3
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    if r0 == 0 goto l3
    r3 = 2147483647
    *(u16 *)(r0 +17) = r3
    lock *(u32 *)(r0 +20) += r3
    r3 = *(u64 *)(r0 +6)
    r4 = *(u32 *)(r0 +10)
l3:
    r3 = 365504406771584321 ll
    r1 = r7
    r1 += 58
    if r1 > r8 goto l4
    r2 = *(u8 *)(r7 + 0)
    r2 &= 31
    r1 = r7
    r1 += r2
    r3 = r1
    r3 += 4
    if r3 > r8 goto l5
    r4 = *(u32 *)(r1 + 0)
l5:
    r4 = *(u8 *)(r7 +55)
    r4 = *(u8 *)(r7 +46)
l4:
    r5 = -2147483648
    if r0 s<= r5 goto l6
    r0 = *(u32 *)skb[22]
    *(u32 *)(r10 - 4) = 1
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    if r0 == 0 goto l7
    r2 = *(u8 *)(r0 + 0)
    r2 &= 15
    r0 += r2
    r3 = *(u64 *)(r0 + 8)
l7:
    r1 = 0
    if w1 == w1 goto l8
    r1 = r7
    r1 += 4
    if r1 > r8 goto l9
    r0 = *(u32 *)(r7 +0)
    *(u16 *)(r7 +2) = r0
l9:
    r9 = 255
    w9 *= -1
    if r9 s>= 15 goto l10
    r1 = r9
    r2 = r9
    call f1
    r0 = r0
l10:
    r3 = -1174039018
    w3 -= w3
    goto l11
l8:
    r5 = 1840106960
    r5 = be32 r5
l11:
    goto l12
l6:
    *(u64 *)(r10 - 8) = r5
    r2 = r10
    r2 += -8
    *(u64 *)(r10 -64) = r5
    *(u64 *)(r10 -56) = r5
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(1) ll
    call 2
    r1 = 7
    r1 = (s8)r0
l12:
    r2 = -2147483648
    r2 |= 3
    *(u32 *)(r10 -320) = r2
    r0 = *(u8 *)skb[35]
    r5 = -1142106783
    r5 = be64 r5
    r5 |= -662197595
    r0 = r0
    exit
f0:
    r0 = r1
    r9 = 2147483647
    w9 = (s16)w1
    exit
f1:
    r0 = r1
    r3 = 2
    w3 = w3
    w1 ^= w3
    exit
