"""The C allocator set for a process that reads one document after another.

pdfium allocates and frees several megabytes per document (decompressed
font programs and content streams). glibc's defaults give such blocks back
to the system as soon as they are freed (a block over its mmap threshold is
unmapped; a free heap top over its trim threshold is trimmed), so the next
document maps them again and pays a page fault for every 4 KB it touches:
about 2,700 faults a real PDF, 7% of a worker's time spent in the kernel
(measured over 364 real PDFs at 2 workers: 2.4 s of system time a worker,
0.4 s once set). Keeping up to ``TRIM_THRESHOLD`` of freed heap for the next
document costs that much memory at most; blocks over ``MMAP_THRESHOLD`` (a
huge text's strings) are still mapped and returned on their own.

Only for processes vanban owns (its workers and its command line), never on
import: a notebook's process keeps its own allocator settings.
"""
from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1      # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 16 << 20
TRIM_THRESHOLD = 32 << 20


def tune() -> bool:
    """Set the thresholds; True where the C library is glibc and took them
    (elsewhere the platform's allocator is left as it is)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)                 # the C library this process runs on
    except OSError:
        return False
    if not hasattr(libc, "gnu_get_libc_version") or not hasattr(libc, "mallopt"):
        return False                             # not glibc (musl's mallopt does nothing)
    mallopt = libc.mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
