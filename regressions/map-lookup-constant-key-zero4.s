; Array map lookups with a constant key below max_entries are never null in Linux 6.14 and
; later (can_elide_value_nullness); the program dereferences r0 without a null check.
; case: key 0 as four zero bytes at fp-4: never null
; kernel: accept (Linux 6.18.44, checked live)
; verify: accept
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 percpu_array 4 32 4
; map: m2 hash 4 32 4
    *(u32 *)(r10 - 4) = 0
    r2 = r10
    r2 += -4
    r1 = map_idx(0) ll
    call 1
    r1 = *(u32 *)(r0 + 0)
    r0 = 0
    exit
