"""Formats LibreOffice reads for us: Word 97-2003 .doc, RTF, OpenDocument
text (.odt) and HTML (Word's "save as web page"). Each is converted to .docx
by LibreOffice (headless, its own profile per conversion) and read by the
.docx reader, so it gets the same header, sections and items as the .docx
of the same document.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import regex

from ..errors import VanbanError
from ..model import RawDocument

NAMES = {"doc": "legacy Word .doc", "rtf": "RTF", "odt": "OpenDocument text (.odt)", "html": "HTML (web page)"}
# LibreOffice opens HTML as a Writer/Web document unless told to import it as text
FILTERS = {"html": "HTML (StarWriter)"}
TIMEOUT = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path, data: bytes, kind: str) -> bytes:
    """The file's bytes converted to .docx by LibreOffice."""
    exe = soffice()
    if not exe:
        raise VanbanError(path, f"{NAMES[kind]} needs LibreOffice to convert it "
                                "(apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix=f"vanban-{kind}-") as tmp:
        src = Path(tmp) / f"in.{kind}"
        src.write_bytes(data)
        # Each conversion gets its own profile: two soffice sharing one collide silently.
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
        if kind in FILTERS:
            cmd.append(f"--infilter={FILTERS[kind]}")
        cmd += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False,
                           env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise VanbanError(path, f"LibreOffice took over {TIMEOUT} s to convert the {NAMES[kind]}")
        out = Path(tmp) / "in.docx"
        if not out.exists():
            raise VanbanError(path, f"LibreOffice could not convert this {NAMES[kind]} (corrupt or unsupported)")
        return out.read_bytes()


def _check_package(path, data: bytes) -> None:
    """An OpenDocument package whose parts inflate past the .docx limit is refused before LibreOffice opens it."""
    import zipfile
    from io import BytesIO

    from .docx import MAX_XML_BYTES

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            if "content.xml" not in z.namelist():
                raise VanbanError(path, "an OpenDocument package without content.xml")
            total = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as e:
        raise VanbanError(path, f"corrupt .odt ({e})")
    if total > MAX_XML_BYTES:
        raise VanbanError(path, f"refused: its parts inflate to {total // 2**20} MB (limit {MAX_XML_BYTES // 2**20} MB)")


# <meta charset="..."> or <meta http-equiv=Content-Type content="text/html; charset=windows-1258">
_CHARSET = regex.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", regex.I)


_EXTERNAL = regex.compile(r"""\b(src|href|background|data|lowsrc)\s*=\s*(["']?)\s*(?:[a-z][a-z0-9+.-]*:|//|/)[^"'>\s]*\2""",
                          regex.I)


def html_to_utf8(path, data: bytes) -> tuple[bytes, str]:
    """The page re-encoded as UTF-8 with its charset declaration saying so, and
    the charset it was in. Word writes Vietnamese pages in Windows-1258 (tone
    marks as combining characters) or UTF-8; the declaration says which, a BOM
    overrides it, and a page that declares none is UTF-8 if it decodes as such."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        charset, data = "utf-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        charset = "utf-16"
    else:
        m = _CHARSET.search(data[:4096])
        charset = m.group(1).decode("ascii", "replace").lower() if m else None
        if charset is None:
            try:
                data.decode("utf-8")
                charset = "utf-8"
            except UnicodeDecodeError:
                charset = "cp1258"
    try:
        text = data.decode(charset)
    except LookupError:
        raise VanbanError(path, f"HTML in an unknown charset {charset!r}")
    except UnicodeDecodeError as e:
        raise VanbanError(path, f"HTML not in its declared charset {charset} ({e.reason} at byte {e.start})")
    text = regex.sub(r"""(<meta[^>]*?charset\s*=\s*["']?\s*)[-\w.:]+""", r"\g<1>utf-8", text, count=1, flags=regex.I)
    # No network at run time, and nothing read from elsewhere on this machine:
    # links to images, styles and frames outside the page go.
    text = _EXTERNAL.sub(r'\g<1>=""', text)
    if not _CHARSET.search(text[:4096].encode("utf-8")):
        text = '<meta charset="utf-8">' + text
    return text.encode("utf-8"), charset


def read_converted(path, data: bytes, sha256: str, kind: str) -> RawDocument:
    charset = None
    if kind == "odt":
        _check_package(path, data)
    if kind == "html":
        data, charset = html_to_utf8(path, data)
    from .docx import read_docx

    raw = read_docx(path, convert_to_docx(path, data, kind), sha256)
    if kind == "doc":
        # LibreOffice imports what it cannot parse as raw text: bytes read as CJK
        # and symbols. That is a damaged file, not a document.
        from ..legacy import looks_garbled

        if looks_garbled("\n".join(b.text for b in raw.blocks[:200])):
            raise VanbanError(path, "damaged .doc: LibreOffice could not read it as a Word document")
    raw.format = kind
    raw.encoding = charset or raw.encoding
    return raw
