; The packet benchmark (../byte_sum.s) in a form the kernel verifies: an XDP program that sums
; the first 1,500 bytes of the packet, checking each byte against data_end and bounding the
; loop by a constant.
; verify: accept
; type: xdp
; mem-pattern: 1500
    r2 = *(u32 *)(r1 + 0)
    r3 = *(u32 *)(r1 + 4)
    r0 = 0
    r1 = 0
loop:
    r4 = r2
    r4 += 1
    if r4 > r3 goto out
    r5 = *(u8 *)(r2 + 0)
    r0 += r5
    r2 = r4
    r1 += 1
    if r1 < 1500 goto loop
out:
    exit
