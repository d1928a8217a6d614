; type: socket_filter
; mem-pattern: 16
; set: 12=0x86 13=0xdd
; expect: exit 0x86dd
    r6 = r1
    r0 = *(u16 *)skb[12]
    exit
