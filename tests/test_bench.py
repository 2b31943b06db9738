"""The benchmark's parts do what they say (its figures are for reading, not asserting)."""
import hashlib
import json
import subprocess
import sys

from conftest import CORPUS

from extract.bench import build_corpus, stage_times


def test_bench_corpus_is_real_text_varied(tmp_path):
    counts = build_corpus(12, tmp_path / "docs", CORPUS, pdf_share=0.5)
    files = sorted((tmp_path / "docs").iterdir())
    assert len(files) == 12 and sum(counts.values()) == 12 and counts["pdf"] >= 1 and counts["docx"] >= 1
    digests = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    assert len(digests) == 12                          # no two alike: no cache can help
    st = stage_times(files)
    assert st["docs"] == 12 and st["pages"] >= 12
    assert set(st["seconds"]) == {"read", "normalise+structure", "references", "deadlines", "metrics",
                                  "tasks", "entities", "store"}
    assert all(v > 0 for v in st["seconds"].values())


def test_bench_command_end_to_end(tmp_path):
    out = subprocess.run([sys.executable, "-m", "extract.cli", "bench", "--n", "10", "--workers", "2", "--repeat", "2",
                          "--out", str(tmp_path / "b")], capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    rep = json.loads((tmp_path / "b" / "bench.json").read_text())
    assert rep["n"] == 10 and rep["pypdfium2"]["pages"] > 0 and rep["pdfplumber"]["pages"] > 0
    assert rep["runs"]["rerun"]["stored"] == 0 and rep["runs"]["rerun"]["skipped"] == 10
    for key in ("ratio_to_pypdfium2", "ratio_to_pdfplumber", "rerun_fraction"):
        assert rep[key] > 0
    # each PDF pass ran twice; the best time is the one reported
    for key in ("pdf_run", "pypdfium2", "pdfplumber"):
        assert len(rep[key]["all_seconds"]) == 2
        assert abs(rep[key]["seconds"] - min(rep[key]["all_seconds"])) < 1e-3     # times kept rounded to 1 ms
    assert rep["pdf_run"]["stored"] == rep["formats"]["pdf"]
    assert "pypdfium2 text dump" in out.stdout and "unchanged re-run" in out.stdout
