"""The allocator setting vanban's workers run with: a block of a few MB (what
pdfium allocates and frees for every PDF) comes from the heap and stays for
the next document, instead of being mapped and faulted in again each time."""
import os
import platform
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from conftest import ROOT
from extract import allocator, batch

glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
needs_glibc = pytest.mark.skipif(not glibc, reason="the thresholds are glibc's")
TESTS = str(ROOT / "tests")


def mapped_blocks_for(size: int) -> int:
    """How many blocks glibc maps on their own (mallinfo2's hblks) for one
    malloc of ``size`` bytes in this process."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                    "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL(None)
    libc.malloc.argtypes, libc.malloc.restype = (ctypes.c_size_t,), ctypes.c_void_p
    libc.free.argtypes = (ctypes.c_void_p,)
    libc.mallinfo2.restype = MallInfo2
    before = libc.mallinfo2().hblks
    block = libc.malloc(size)
    after = libc.mallinfo2().hblks
    libc.free(block)
    return after - before


def _in_fresh_python(code: str, env: dict | None = None) -> str:
    out = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {TESTS!r}); {code}"], cwd=ROOT,
                         capture_output=True, text=True, check=True, env=env)
    return out.stdout.strip().splitlines()[-1]


@needs_glibc
def test_a_worker_of_the_batch_takes_a_4_mb_block_from_the_heap():
    # Through the batch's own fork server: the setting made in its preload is
    # what every worker forked from it inherits.
    with ProcessPoolExecutor(1, mp_context=batch._context()) as pool:
        assert pool.submit(mapped_blocks_for, 4 << 20).result(timeout=120) == 0
    # Without it, glibc maps such a block on its own (the probe tells them apart).
    assert _in_fresh_python("from test_allocator import mapped_blocks_for; print(mapped_blocks_for(4 << 20))") == "1"


@needs_glibc
def test_the_command_lines_process_is_set_and_a_users_own_settings_are_kept():
    probe = "from extract import allocator; print(allocator.tune())"
    assert _in_fresh_python(probe) == "True"
    env = dict(os.environ, MALLOC_TRIM_THRESHOLD_="1048576")
    assert _in_fresh_python(probe, env) == "False"
    env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.mmap_threshold=65536")
    assert _in_fresh_python(probe, env) == "False"


def test_tune_is_a_no_op_elsewhere(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert allocator.tune() is False
