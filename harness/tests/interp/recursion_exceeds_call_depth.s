; The main frame and seven nested calls are allowed; the eighth call is refused.
; expect: depth at 0
f:
    call f
    exit
