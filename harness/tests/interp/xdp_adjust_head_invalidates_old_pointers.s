; After bpf_xdp_adjust_head the old packet pointers no longer reach the packet.
; type: xdp
; mem-pattern: 64
; expect: fault read Freed at 7
    r6 = r1
    r7 = *(u32 *)(r6 + 0)
    r1 = r6
    r2 = 14
    call 44
    if r0 != 0 goto out
    r0 = *(u8 *)(r6 + 0)
    r0 = *(u8 *)(r7 + 0)
out:
    exit
