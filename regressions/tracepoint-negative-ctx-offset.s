; The kernel compares a tracepoint context offset with an unsigned sizeof, so a negative
; offset passes and a read before the trace record is accepted. We refuse it on purpose:
; it is out of the context's bounds. Found by the soundness_raw fuzz target.
; kernel: accept (Linux 6.18, checked live)
; verify: reject
; type: tracepoint
    r0 = *(u32 *)(r1 - 28408)
    exit
