"""The allocator setting a worker starts with: real PDFs read one after another
no longer map (and fault in) pdfium's buffers again for every document."""
import json
import platform
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT
from extract import allocator

glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"

# Reads the corpus's two text-layer PDFs five times over, after a first pass
# (imports, warm-up), and prints the page faults those reads took.
_READ_PDFS = """
import json, resource, sys
{setup}
from extract.batch import work
files = [sys.argv[1], sys.argv[2]]
for f in files:
    assert work(f, ocr=False)["error"] is None
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    for f in files:
        work(f, ocr=False)
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before))
"""


def _faults(setup: str) -> int:
    out = subprocess.run([sys.executable, "-c", _READ_PDFS.format(setup=setup),
                          str(CORPUS / "qd-004.pdf"), str(CORPUS / "cv-008.pdf")],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not glibc, reason="the thresholds are glibc's")
def test_tune_is_taken_on_glibc():
    assert allocator.tune() is True


@pytest.mark.skipif(not glibc, reason="the thresholds are glibc's")
def test_the_fork_servers_preload_sets_it_and_pdfs_no_longer_fault_their_buffers_in():
    # The fork server imports extract._preload; every worker forked from it
    # inherits the allocator's settings with the rest of its memory.
    tuned = _faults("import extract._preload")
    plain = _faults("from extract.extractors import warm; warm()")
    # measured: 27,000 faults over the ten reads untuned, 430 tuned
    assert plain > 10 * 1000
    assert tuned * 5 < plain, (tuned, plain)


def test_tune_is_a_no_op_elsewhere(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert allocator.tune() is False
