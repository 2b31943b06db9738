"""Formats archives hold besides .docx: Word's "save as web page" (.htm with
its _files folder, in Windows-1258 or UTF-8), RTF and OpenDocument text.
Each is built from the seed .docx (by LibreOffice, then in Word's own shape
for the web page), is read by content whatever its name, and gives the same
header, sections and items as the .docx."""
import shutil
import sqlite3
import subprocess
import sys
import zipfile

import pytest

import builders
from conftest import extract
from extract.readers import read, sniff
from samedoc import summary

pytestmark = pytest.mark.skipif(builders.soffice() is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def formats(seed_formats, tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    docx = shutil.copy(seed_formats["docx"], out / "tb.docx")
    lo = out / "lo"
    return {
        "docx": out / "tb.docx",
        "odt": builders.lo_convert(docx, lo, "odt"),
        "rtf": builders.lo_convert(docx, lo, "rtf"),
        "html-cp1258": builders.write_word_html(out / "tb.docx", out / "web-cp1258", "windows-1258"),
        "html-utf8": builders.write_word_html(out / "tb.docx", out / "web-utf8", "utf-8"),
    }


@pytest.fixture(scope="module")
def docx_summary(formats):
    s = summary(extract(formats["docx"]))
    assert s["header"]["issuer"] == "Sở Văn hóa, Thể thao và Du lịch" and s["header"]["number"] == "12/TB-SVHTTDL"
    assert s["sections"] and s["tasks"] and s["deadlines"] and s["references"]
    return s


@pytest.mark.parametrize("name", ["odt", "rtf", "html-cp1258", "html-utf8"])
def test_same_document_as_the_docx(formats, docx_summary, name):
    path = formats[name]
    kind = name.split("-")[0]
    assert sniff(path.read_bytes()) == kind
    ex = extract(path)
    assert ex.document.format == kind
    assert summary(ex) == docx_summary


def test_word_html_is_in_the_shape_word_saves(formats):
    page = formats["html-cp1258"]
    data = page.read_bytes()
    assert b"charset=windows-1258" in data and b"urn:schemas-microsoft-com:office:word" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")                      # real Windows-1258 bytes, tones as combining marks
    assert b"Th\xf4ng b\xe1o".lower() in data.lower() or b"TH\xd4NG B\xc1O" in data
    assert (page.parent / "tb_files" / "filelist.xml").exists() and (page.parent / "tb_files" / "header.htm").exists()
    assert read(page).encoding == "windows-1258"


def test_chosen_by_content_not_by_name(formats, tmp_path):
    for name, kind in (("odt", "odt"), ("rtf", "rtf"), ("html-utf8", "html")):
        wrong = tmp_path / f"{name}.txt"
        shutil.copy(formats[name], wrong)
        raw = read(wrong)
        assert raw.format == kind and any("12/TB-SVHTTDL" in b.text for b in raw.blocks), name


def test_run_picks_the_formats_up_and_not_the_pages_files(formats, tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(formats["odt"], archive / "tb.odt")
    shutil.copy(formats["rtf"], archive / "tb.rtf")
    shutil.copytree(formats["html-cp1258"].parent, archive / "web", ignore=shutil.ignore_patterns(".lo"))
    (archive / "README.md").write_text("# not a document\n", encoding="utf-8")
    db = tmp_path / "v.db"
    r = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(archive), "--db", str(db), "--workers", "1"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rows = sqlite3.connect(db).execute("SELECT path, format, number, issuer FROM documents ORDER BY path").fetchall()
    assert sorted(f for _, f, _, _ in rows) == ["html", "odt", "rtf"]          # no header.htm, no filelist.xml
    assert all(n == "12/TB-SVHTTDL" and i == "Sở Văn hóa, Thể thao và Du lịch" for _, _, n, i in rows)


def test_a_broken_file_of_these_formats_is_one_line(formats, tmp_path):
    odt = tmp_path / "broken.odt"
    with zipfile.ZipFile(formats["odt"]) as src, zipfile.ZipFile(odt, "w") as dst:
        dst.writestr("mimetype", src.read("mimetype"))           # an OpenDocument with nothing in it
    rtf = tmp_path / "cut.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi{\\fonttbl{\\f0 Times;}}{\\pict\\pngblip 89504e47")
    page = tmp_path / "bad.htm"
    page.write_bytes(b'<html><head><meta charset="x-no-such-charset"></head><body>S\xe1\xbb\x91</body></html>')
    for f in (odt, rtf, page):
        r = subprocess.run([sys.executable, "-m", "extract.cli", "extract", str(f)], capture_output=True, text=True)
        assert r.returncode == 1 and r.stdout == "" and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith(f"{f}: "), r.stderr


@pytest.mark.parametrize("name,kinds", [
    ("kh-004.docx", ("odt", "rtf")),
    ("cv-003.docx", ("odt", "rtf")),
    # (LibreOffice's HTML export of kh-004 and cv-003 sets their header's drawn
    # rule as an image inside a word, "S<img>ố:", which a browser shows as "S ố:"
    # too; Word itself anchors shapes before the text)
    ("tb-002.docx", ("odt", "rtf", "html")),
])
def test_real_documents_in_these_formats(tmp_path, name, kinds):
    from conftest import CORPUS

    src = shutil.copy(CORPUS / name, tmp_path / name)
    want = summary(extract(src))
    assert want["header"]["issuer"] and want["sections"]
    for kind in kinds:
        if kind == "html":
            path = builders.write_word_html(src, tmp_path / "web", "windows-1258")
        else:
            path = builders.lo_convert(src, tmp_path / "lo", kind)
        ex = extract(path)
        assert ex.document.format == kind
        assert summary(ex) == want, kind
