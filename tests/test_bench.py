"""The benchmark's parts do what they say (its figures are for reading, not asserting)."""
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CORPUS

from extract.bench import build_corpus, build_real_pdfs, genre_text, list_text, stage_times

FIXTURES = Path(__file__).parent / "fixtures"


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
    """On a small folder of real PDFs (--pdfs): two of corpus/ and the Russian
    reference pages cut from a bench PDF."""
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    for f in (CORPUS / "cv-008.pdf", CORPUS / "qd-004.pdf", FIXTURES / "pdf" / "references-in-russian.pdf"):
        shutil.copy(f, pdfs / f.name)
    out = subprocess.run([sys.executable, "-m", "extract.cli", "bench", "--n", "10", "--workers", "2", "--repeat", "2",
                          "--pdfs", str(pdfs), "--pdf-pages", "30", "--ocr-copies", "0", "--sweep", "0.05",
                          "--sweep", "0.2", "--out", str(tmp_path / "b")], capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    rep = json.loads((tmp_path / "b" / "bench.json").read_text())
    assert rep["n"] == 10 and rep["pypdfium2"]["pages"] > 0 and rep["pdfplumber"]["pages"] > 0
    assert rep["runs"]["rerun"]["stored"] == 0 and rep["runs"]["rerun"]["skipped"] == 10
    for key in ("ratio_to_pypdfium2", "ratio_to_pdfplumber", "rerun_fraction"):
        assert rep[key] > 0
    # each PDF pass ran twice; the best time is the one reported
    for key in ("pdf_run", "pypdfium2", "pdfplumber", "synthetic_pdf_run"):
        assert len(rep[key]["all_seconds"]) == 2
        assert abs(rep[key]["seconds"] - min(rep[key]["all_seconds"])) < 1e-3     # times kept rounded to 1 ms
    # the PDF passes ran over copies of the real PDFs, the synthetic ones as a second line
    assert rep["pdf_run"]["stored"] == rep["real_pdfs"]["files"] and rep["real_pdfs"]["pages"] >= 30
    assert rep["synthetic_pdf_run"]["stored"] == rep["formats"]["pdf"]
    # qd-004.pdf's table pages took the table path
    assert rep["table_pages"]["per_source"]["qd-004.pdf"]["tables"] == 6
    assert 0 < rep["table_pages"]["with_tables_share"] <= rep["table_pages"]["table_path_share"] < 1
    assert rep["real_pdfs"]["folder"] == str(pdfs)
    assert set(rep["real_pdfs"]["copies"]) == {"cv-008.pdf", "qd-004.pdf", "references-in-russian.pdf"}
    for key in ("median_ratio_to_pypdfium2", "median_ratio_to_pdfplumber"):
        assert rep[key] > 0
    # the sweep: both shapes of text at each size, each stage's cost per MB
    assert [(r["shape"], r["mb"]) for r in rep["sweep"]] == [("dense", 0.05), ("dense", 0.2), ("list", 0.05), ("list", 0.2)]
    assert all(r["complete"] for r in rep["sweep"])
    assert all(r["peak_mb"] > 0 and r["s_per_mb"] > 0 and r["stage_s_per_mb"]["deadlines"] > 0 for r in rep["sweep"])
    # the mixed batch: every file stored or recorded, the bad ones (and only they) refused
    m = rep["mixed"]
    assert m["every_file_accounted"] and m["as_expected"], m
    assert m["refused"] == ["bomb.docx", "empty.docx", "random.pdf", "truncated.pdf"]
    assert m["stored"] == len(m["expected"]["good"]) >= 15 and "huge-0.2MB.txt" in m["expected"]["good"]
    assert m["peak_writer_mb"] > 0 and m["peak_worker_mb"] > 0
    # each PDF pass printed with its best and its median
    for r in (rep["pdf_run"], rep["pypdfium2"], rep["pdfplumber"]):
        assert len(r["all_seconds"]) == 2 and r["seconds"] <= r["median_seconds"]
        assert f"{r['seconds']:.2f} ({r['median_seconds']:.2f})" in out.stdout
    assert "seconds per MB grow" in out.stdout and "stage by stage" in out.stdout
    assert "pypdfium2 text dump" in out.stdout and "unchanged re-run" in out.stdout and "size sweep" in out.stdout and "mixed batch" in out.stdout


def test_real_pdf_set_copies_corpus_pdfs_with_bytes_varied(tmp_path):
    """The PDF set: corpus/'s text-layer PDFs copied in turn to the pages asked
    for, every copy a different file that reads as its source."""
    from extract.readers import read

    got = build_real_pdfs(CORPUS, tmp_path / "real", min_pages=25)
    files = got["files"]
    assert got["pages"] >= 25 and set(got["copies"]) == {"cv-008.pdf", "qd-004.pdf"}
    assert len({hashlib.sha256(f.read_bytes()).hexdigest() for f in files}) == len(files)
    src = read(CORPUS / "qd-004.pdf")
    copy = read(next(f for f in files if f.name.endswith("qd-004.pdf")))
    assert [b.text for b in copy.blocks] == [b.text for b in src.blocks]


def test_genre_text_is_the_size_asked_of_the_genre():
    text = genre_text(200_000)
    assert 200_000 <= len(text.encode()) < 200_400
    assert text.startswith("ỦY BAN NHÂN DÂN TỈNH") and "Xong trước ngày" in text and "\n2. " in text


def test_reference_passes_go_one_file_a_task_when_files_are_few():
    """pdfplumber's 60 files go one to a task (eight to a task left a worker
    idle at the end and slowed the reference down); the pypdfium2 pass's
    hundreds of short files go a few to a task."""
    from extract.bench import reference_chunk

    assert reference_chunk(60, 2) == 1
    assert reference_chunk(364, 2) == 5
    assert reference_chunk(3, 1) == 1


def test_list_text_is_one_section_of_bullets_ending_in_a_parenthesis():
    text = list_text(100_000)
    assert 100_000 <= len(text.encode()) < 100_400
    body = text.split("1. Nhiệm vụ trọng tâm\n", 1)[1]
    assert ". " not in body and ";" not in body
    assert all(line.startswith("- ") and line.endswith(").") for line in body.strip().split("\n"))
