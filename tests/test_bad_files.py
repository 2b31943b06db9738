"""Every kind of bad file: one line `FILE: reason` from `vanban extract`, an
`errors` row from `vanban run`, never a traceback, never the batch down."""
import io
import os
import sqlite3
import subprocess
import sys
import zipfile

import pytest

import builders
from conftest import CORPUS, TB_SEED


def vanban(*args):
    return subprocess.run([sys.executable, "-m", "extract.cli", *args], capture_output=True, text=True)


def _docx_with_document_xml(path, xml: bytes):
    """A real .docx (from python-docx) whose document.xml is replaced."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, xml if item.filename == "word/document.xml" else src.read(item.filename))
    return path


def zip_bomb(path, mb=210):
    """A .docx whose document.xml inflates to over 200 MB (a few hundred KB on disk)."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "word/document.xml":
                with dst.open("word/document.xml", "w", force_zip64=True) as f:
                    f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
                    chunk = b" " * (1 << 20)
                    for _ in range(mb):
                        f.write(chunk)
                    f.write(b"</w:body></w:document>")
            else:
                dst.writestr(item, src.read(item.filename))
    return path


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""


def nested_tables(depth: int) -> bytes:
    inner = "<w:p><w:r><w:t>ô sâu nhất</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
            'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"{inner}</w:body></w:document>").encode()


def encrypted_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dv", fname=builders.font_path())
    pdf.add_page()
    pdf.set_font("dv", size=12)
    pdf.cell(0, 10, "Thông báo kết luận: tài liệu mật")
    pdf.set_encryption(owner_password="chu", user_password="mat-khau")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("mixed")
    pdf = (CORPUS / "cv-008.pdf").read_bytes()
    bad = {
        "empty.pdf": b"",
        "blank.txt": b"   \n\n  ",
        "truncated.pdf": pdf[: len(pdf) // 3],
        "random.pdf": os.urandom(5000),
        "random.docx": os.urandom(5000),
        "not-a-doc.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000),
    }
    for name, data in bad.items():
        (d / name).write_bytes(data)
    encrypted_pdf(d / "password.pdf")
    zip_bomb(d / "bomb.docx")
    _docx_with_document_xml(d / "entities.docx", BILLION_LAUGHS)
    _docx_with_document_xml(d / "nested.docx", nested_tables(40))
    # good ones, some under a misleading name
    (d / "tb.txt").write_bytes(TB_SEED.read_bytes())
    (d / "pdf-named.txt").write_bytes(pdf)
    (d / "text-named.docx").write_text("Thông báo kết luận giao ban.\n- Văn phòng Sở tổng hợp, báo cáo trước ngày 16/01/2026.",
                                       encoding="utf-8")
    (d / "cv-003.docx").write_bytes((CORPUS / "cv-003.docx").read_bytes())
    return d


BAD = {
    "empty.pdf": "empty file",
    "blank.txt": "empty file",
    "truncated.pdf": "corrupt or unreadable PDF",
    "random.pdf": "not a PDF file",
    "random.docx": "not a DOCX file",
    "password.pdf": "password-protected PDF",
    "bomb.docx": "inflates",
    "entities.docx": "DTD or entities",
    "nested.docx": "nested",
    "not-a-doc.doc": ".doc",
}
GOOD = ["tb.txt", "pdf-named.txt", "text-named.docx", "cv-003.docx"]


@pytest.mark.parametrize("name", sorted(BAD))
def test_extract_says_one_line(bad_folder, name):
    out = vanban("extract", str(bad_folder / name), "--json")
    assert out.returncode == 1 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(f"{bad_folder / name}: ") and "Traceback" not in out.stderr
    assert BAD[name].lower() in lines[0].lower(), lines[0]


def test_misnamed_good_files_are_read_as_what_they_are(bad_folder):
    from extract.readers import read

    assert read(bad_folder / "pdf-named.txt").format == "pdf"
    assert read(bad_folder / "text-named.docx").format == "txt"


def test_a_45_mb_text_is_refused_at_once_in_one_line(tmp_path):
    """A 45 MB text (the bench's one-section list) under a 40 MB --max-size, and
    under a budget it cannot end within (--file-timeout 100: about 225 s of
    work), is refused at once: one line naming the option to raise and the
    memory its extraction would need, not stopped after minutes of work."""
    import time

    from extract.bench import list_text

    d = tmp_path / "in"
    d.mkdir()
    (d / "big.txt").write_text(list_text(45_000_000), encoding="utf-8")
    for opts, name in ((["--max-size", "40M"], "--max-size"), (["--file-timeout", "100"], "--file-timeout")):
        t = time.monotonic()
        out = vanban("run", str(d), "--db", str(tmp_path / f"v{name}.db"), "--workers", "1", "-q", *opts)
        assert out.returncode == 1 and time.monotonic() - t < 60, out.stderr
        lines = [ln for ln in out.stderr.splitlines() if "big.txt" in ln]
        assert len(lines) == 1, out.stderr
        assert name in lines[0] and "--max-size" in lines[0] and "MB of memory" in lines[0], lines[0]


def test_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Thông báo. " * 300, encoding="utf-8")
    out = vanban("extract", str(big), "--max-size", "1K")
    assert out.returncode == 1 and "size limit" in out.stderr and "--max-size" in out.stderr
    assert "its text would need about 0 MB of memory" in out.stderr       # 3 KB of text: 0.1 MB
    assert vanban("extract", str(big), "--max-size", "1M").returncode == 0


def test_batch_stores_every_good_file_and_names_every_bad_one(bad_folder, tmp_path):
    db = tmp_path / "mixed.db"
    out = vanban("run", str(bad_folder), "--db", str(db), "-q", "-w", "2")
    assert out.returncode == 1
    conn = sqlite3.connect(db)
    stored = sorted(os.path.basename(p) for (p,) in conn.execute("SELECT path FROM documents"))
    assert stored == sorted(GOOD)
    errors = dict((os.path.basename(p), r) for p, r in conn.execute("SELECT path, reason FROM errors"))
    assert sorted(errors) == sorted(BAD)
    for name, reason in errors.items():
        assert BAD[name].lower() in reason.lower() and "\n" not in reason
    failed = [l for l in out.stderr.splitlines() if l.strip()]
    assert len(failed) == len(BAD) and "Traceback" not in out.stderr
