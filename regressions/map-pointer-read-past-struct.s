; A privileged program may read a map's kernel structure through the map pointer, within
; that structure's BTF size (struct bpf_array: 312 bytes). Found by the soundness_raw fuzz
; target: we accepted any non-negative offset, and the interpreter faulted.
; kernel: reject (Linux 6.18, checked live: access beyond struct bpf_array at off 2048 size 8)
; verify: reject
; type: tracepoint
; map: m0 array 4 32 4
    r0 = map_fd(0) ll
    r0 = *(u64 *)(r0 + 2048)
    exit
