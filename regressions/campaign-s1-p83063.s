; Found by tristate campaign --seed 1 --count 100000 (program 83063), minimised; then: both accept.
; exec when found: different: r0 kernel 0xfffff000, ours 0xffffffff (packet of 103 bytes)
; now: both accept
; status: not a semantic difference: the program compares or copies an address, so runs differ between machines; such programs are no longer run in both (Stats::machine_dependent)
; kernel: accept
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 hash 8 16 16
    r6 = r1
    r9 = -1
    w9 &= w9
    r2 = 15
    r2 *= r2
    r0 = 32
    r0 ^= 2147483647
    r3 = 1123802863
    r3 = r9
    if r1 s> r3 goto l1
    w2 = -w2
    r4 = -1733885159
    r4 -= 0
    w9 *= 4096
    r8 = -5669694153691978079 ll
l1:
    *(u32 *)(r10 - 4) = 1
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    if r0 == 0 goto l2
    *(u8 *)(r0 +17) = r9
    r2 = *(u8 *)(r0 + 0)
    r2 &= 15
    r0 += r2
    r3 = *(u64 *)(r0 + 8)
l2:
    r5 = 63
    r5 <<= r5
    r1 = 63
    w1 += w5
    r3 = 316547827
    r3 s/= 63
    r5 >>= r9
    if r3 s>= 7 goto l3
    r4 = 255
    r4 <<= 32
    r0 = -791978384
    r0 &= 3
l3:
    *(u32 *)(r10 - 4) = w9
    r2 = r10
    r2 += -4
    *(u64 *)(r10 -64) = r3
    *(u64 *)(r10 -56) = r9
    *(u64 *)(r10 -48) = r9
    *(u64 *)(r10 -40) = r5
    r3 = r10
    r3 += -64
    r4 = 0
    r1 = map_idx(0) ll
    call 2
    r1 = -3348957211344103016 ll
    r4 = 1158314690
    r4 = bswap16 r4
    *(u64 *)(r10 - 8) = r9
    r2 = r10
    r2 += -8
    r1 = map_idx(1) ll
    call 1
    if r0 == 0 goto l4
    r1 = *(u64 *)(r0 +7)
    r2 = *(u8 *)(r0 +11)
    *(u64 *)(r0 +4) = r9
l4:
    if w9 < 2147483647 goto l5
    r2 = 15
    r2 s/= r2
    r3 = 63
    r3 = be32 r3
    goto l6
l5:
l6:
    r0 = r9
    exit
