; expect: fell-off at 1
    r0 = 0
