; Array map lookups with a constant key below max_entries are never null in Linux 6.14 and
; later (can_elide_value_nullness); the program dereferences r0 without a null check.
; case: key 2 spilled in 8 bytes (the spill is larger than the key): may be null
; kernel: reject (Linux 6.18.44, checked live)
; verify: reject
; type: socket_filter
; map: m0 array 4 32 4
; map: m1 percpu_array 4 32 4
; map: m2 hash 4 32 4
    r3 = 2
    *(u64 *)(r10 - 8) = r3
    r2 = r10
    r2 += -8
    r1 = map_idx(0) ll
    call 1
    r1 = *(u32 *)(r0 + 0)
    r0 = 0
    exit
