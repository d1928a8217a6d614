; type: socket_filter
; mem-pattern: 16
; expect: exit 0
    r6 = r1
    r0 = *(u32 *)skb[14]
    r0 = 5
    exit
