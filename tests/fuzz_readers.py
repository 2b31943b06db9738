"""Coverage-guided fuzzing of vanban's readers with atheris.

    python tests/fuzz_readers.py -runs=100000          # or -max_total_time=600

Each input becomes a file that starts as a real .docx, .pdf or .txt of the
corpus with the fuzzer's bytes spliced in; the readers may refuse it only
with VanbanError. Anything else is a crash that atheris reports and saves.
"""
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from extract.errors import VanbanError
    from extract.readers import read

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [(ROOT / "corpus" / "cv-003.docx").read_bytes(), (ROOT / "corpus" / "cv-008.pdf").read_bytes(),
         (ROOT / "corpus" / "tb-2025-12-giaoban-svhttdl-laichau.txt").read_bytes()[:4000]]
SUFFIX = [".docx", ".pdf", ".txt"]
TMP = Path(tempfile.mkdtemp(prefix="vanban-fuzz-"))


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    k = fdp.ConsumeIntInRange(0, len(SEEDS) - 1)
    seed = SEEDS[k]
    at = fdp.ConsumeIntInRange(0, len(seed))
    cut = fdp.ConsumeIntInRange(at, len(seed))
    body = seed[:at] + fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 256)) + seed[cut:]
    p = TMP / f"input{SUFFIX[k]}"
    p.write_bytes(body)
    try:
        read(p, ocr=False)
    except VanbanError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
