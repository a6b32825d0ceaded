#!/usr/bin/env python3
"""cputime.py OUT CMD...: runs CMD (its output discarded) and writes to OUT
its CPU time, user and system of it and of the processes it waited for, and
its wall time, in seconds to the microsecond: /usr/bin/time prints CPU time
in steps of 10 ms, as much as a one-change run's differences between two
builds."""
import resource
import subprocess
import sys
import time

# Python's start may run processes of its own (the site modules'): only
# what the command adds counts.
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(f"{cpu:.6f} {wall:.6f}\n")
