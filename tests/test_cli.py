import json
import subprocess
import sys

from conftest import CORPUS, TB_SEED


def run(*args):
    return subprocess.run([sys.executable, "-m", "extract.cli", *args], capture_output=True, text=True)


def test_extract_json_contract():
    out = run("extract", str(TB_SEED), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    for key in ("document", "references", "deadlines", "tasks", "metrics", "source", "sections"):
        assert key in data
    assert data["source"]["format"] == "txt" and len(data["source"]["sha256"]) == 64
    assert data["document"]["doc_type"] == "TB"
    t = data["tasks"][0]
    assert set(t) >= {"text", "unit", "deadline", "span", "section"}
    assert t["span"]["end"] > t["span"]["start"]


def test_readable_summary_and_version():
    out = run("extract", str(CORPUS / "cv-003.docx"))
    assert out.returncode == 0 and "Sở Công Thương" in out.stdout
    assert run("--version").stdout.startswith("vanban ")
    assert "--json" in run("extract", "--help").stdout


def test_bad_file_one_line_error(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    out = run("extract", str(bad), "--json")
    assert out.returncode == 1 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: ")
    missing = run("extract", str(tmp_path / "nope.docx"))
    assert missing.returncode == 1 and "nope.docx: " in missing.stderr


def test_every_corpus_file_extracts_or_fails_cleanly():
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in (".txt", ".docx", ".pdf", ".doc"):
            continue
        out = run("extract", str(path), "--json")
        if out.returncode == 0:
            assert json.loads(out.stdout)["source"]["sha256"]
        else:
            assert len(out.stderr.strip().splitlines()) == 1 and out.stderr.startswith(str(path))
