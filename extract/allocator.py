"""The C allocator set for a process that reads one document after another.

pdfium allocates and frees several megabytes per document (decompressed
font programs and content streams). With glibc's defaults (a block over a
threshold that starts at 128 KB is mapped on its own and unmapped when
freed; a free heap top over twice that is given back) much of it went back
to the system after each document, and the next one faulted it in again,
a page fault for every 4 KB it touched: about 2,700 faults a real PDF.
Measured over 364 real PDFs at 2 workers: 370,000 faults and 2.4 s of
system time a worker (7% of its time); 9,000 and 0.4 s once set. Set:
blocks up to ``MMAP_THRESHOLD`` come from the heap, and up to
``TRIM_THRESHOLD`` of free space at the top of each heap is kept for the
next document. Space freed inside a heap is kept as before; what a worker
holds stays under its peak, and a worker is replaced every few hundred
files (``batch``'s ``max_tasks_per_child``). Blocks over ``MMAP_THRESHOLD``
(a huge text's strings) are still mapped and returned on their own.

Only for processes vanban owns (its workers and its command line), never on
import: a notebook's process keeps its own allocator settings. A user who
sets glibc's own variables (``MALLOC_*_``, ``GLIBC_TUNABLES``) keeps them.
"""
from __future__ import annotations

import os
import sys

M_TRIM_THRESHOLD = -1      # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 16 << 20  # under glibc's 32 MB ceiling for it on 64-bit systems
TRIM_THRESHOLD = 32 << 20
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def _user_set() -> bool:
    return any(k in os.environ for k in _USER_SETTINGS) or "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", "")


def tune() -> bool:
    """Set the thresholds; True where the C library is glibc and took them
    (elsewhere, or where the user set glibc's variables, nothing changes)."""
    if not sys.platform.startswith("linux") or _user_set():
        return False
    try:
        import ctypes                            # some builds of Python have none

        libc = ctypes.CDLL(None)                 # the C library this process runs on
    except (ImportError, OSError):
        return False
    if not hasattr(libc, "gnu_get_libc_version") or not hasattr(libc, "mallopt"):
        return False                             # not glibc (musl's mallopt does nothing)
    mallopt = libc.mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    # both asked for: a 32-bit glibc refuses the first (its ceiling is 512 KB) but takes the second
    took_mmap = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    took_trim = mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    return bool(took_mmap and took_trim)
