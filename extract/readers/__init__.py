"""Readers: one module per format, each ``(path, bytes, sha256) -> RawDocument``.

The format is chosen by content (magic bytes), not by the file's extension:
a PDF named .txt is read as the PDF it is, a text file named .docx as text.
"""
from __future__ import annotations

import hashlib
import os
import re
import zipfile
from io import BytesIO
from pathlib import Path

from ..errors import VanbanError
from ..model import RawDocument

DEFAULT_MAX_SIZE = 100 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Word's "save as web page" and any HTML page: the markup opens the file
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta)\b",
                         re.I | re.S)
# Peak memory of an extraction per byte of its text, with a margin over what
# ``vanban bench``'s size sweep measures (about 25 on its item-dense genre
# text): extraction holds a fixed multiple of the text (the text as read and
# as normalised, blocks, sections, items), and a long document's rows for the
# store go to a spool file a chunk at a time.
MEMORY_PER_TEXT_BYTE = 32
# Seconds of extraction per MB of text, with a margin over what the size
# sweep measures on its two shapes (3.2-4.1 s/MB from 0.25 to 45 MB, 2 cores
# shared with other jobs): a text that could not end within a batch's per-file
# budget is refused before any work, not stopped after minutes of it.
SECONDS_PER_TEXT_MB = 5.0


def proc_kb(name: str, key: str) -> int | None:
    """A "Key:  123 kB" figure of a Linux /proc file ("meminfo", "self/status"), else None."""
    try:
        with open(f"/proc/{name}", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def available_memory() -> int:
    """Bytes of memory this machine can give now (Linux: MemAvailable)."""
    kb = proc_kb("meminfo", "MemAvailable")
    if kb is not None:
        return kb * 1024
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 1 << 62        # unknown: no limit from memory


def memory_limit() -> int:
    """The largest text (bytes) this machine can extract now."""
    return available_memory() // MEMORY_PER_TEXT_BYTE


def _check_fits(path, text_bytes: int, max_size: int) -> None:
    limit = memory_limit()
    if text_bytes > limit:
        raise VanbanError(path, f"{text_bytes / 2**20:,.1f} MB of text needs about "
                          f"{text_bytes * MEMORY_PER_TEXT_BYTE / 2**20:,.0f} MB of memory to extract, more than this machine has free "
                          f"({available_memory() / 2**20:,.0f} MB): the limit here is {limit / 2**20:,.1f} MB of text "
                          f"(--max-size {max_size // 2**20}M cannot raise it past memory)")


def _need(text_bytes: int) -> str:
    return f"about {text_bytes * MEMORY_PER_TEXT_BYTE / 2**20:,.0f} MB of memory"


def _check_budget(path, text_bytes: int, budget: float | None) -> None:
    """Refuse at once a text whose extraction would outlast the file budget."""
    secs = text_bytes / 1e6 * SECONDS_PER_TEXT_MB
    # only work of minutes is refused on an estimate; a shorter overrun is the timer's
    if budget and secs > budget and secs >= 60:
        raise VanbanError(path, f"{text_bytes / 2**20:,.1f} MB of text would take about {secs:,.0f} s and "
                          f"{_need(text_bytes)} to extract, past the per-file budget of {budget:g} s: "
                          f"refused before reading (raise --file-timeout to read it; --max-size sets the "
                          f"largest file tried at all)")


def zip_kind(z: zipfile.ZipFile) -> str:
    """What an open zip package is: docx | odt | zip."""
    names = z.namelist()
    if "word/document.xml" in names:
        return "docx"
    if "mimetype" in names and z.read("mimetype").strip() == ODT_MIMETYPE:
        return "odt"
    return "zip"


def sniff(data: bytes) -> str:
    """The format a file's bytes show: pdf | docx | odt | zip | doc | rtf | html | txt."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        # an OpenDocument package names its type in its first entry, stored uncompressed
        if data[30:38] == b"mimetype" and data[38:38 + len(ODT_MIMETYPE)] == ODT_MIMETYPE:
            return "odt"
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                return zip_kind(z)
        except zipfile.BadZipFile:
            return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if _HTML_START.match(head):
        return "html"
    return "txt"


def read(path, max_size: int = DEFAULT_MAX_SIZE, ocr: bool = True, budget: float | None = None) -> RawDocument:
    """The file as a RawDocument. ``budget``: the seconds a batch gives the file;
    a text too long to extract within it is refused before it is decoded."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise VanbanError(path, e.strerror or str(e))
    if path.is_dir():
        raise VanbanError(path, "is a folder, not a document")
    if size > max_size:
        raise VanbanError(path, f"{size // 2**20} MB is over the size limit of {max_size // 2**20} MB "
                          f"(raise it with --max-size{_as_text(path, size)})")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise VanbanError(path, e.strerror or str(e))
    if not data or data.isspace():      # (strip() would copy a whole PDF to say no)
        raise VanbanError(path, "empty file")
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    if kind == "txt":
        _check_fits(path, size, max_size)      # the file is its text: refused before decoding
        _check_budget(path, size, budget)
    try:
        raw = _dispatch(path, data, sha, kind, ocr)
        del data
        if kind != "txt":
            text_bytes = sum(len(b.text) for b in raw.blocks) * 2
            _check_fits(path, text_bytes, max_size)
            _check_budget(path, text_bytes, budget)
        return raw
    except VanbanError:
        raise
    except RecursionError:
        raise VanbanError(path, f"{kind} structure nested too deeply to read")
    except MemoryError:
        raise VanbanError(path, f"{kind} too large to read in memory")
    except Exception as e:  # a library choking on a damaged file: that file's error, one line
        msg = " ".join(str(e).split())[:200]
        raise VanbanError(path, f"damaged or unsupported {kind} ({type(e).__name__}: {msg})")


def _as_text(path: Path, size: int) -> str:
    """", its text would need about N MB of memory" for a plain text file
    (its first KB sniffed), where the size says what extracting it costs."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError:
        return ""
    return f"; its text would need {_need(size)}" if sniff(head) == "txt" else ""


def _dispatch(path: Path, data: bytes, sha: str, kind: str, ocr: bool) -> RawDocument:
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(path, data, sha, ocr=ocr)
    if kind == "docx":
        from .docx import read_docx
        return read_docx(path, data, sha)
    if kind == "zip":
        raise VanbanError(path, "a zip archive but not a Word or OpenDocument text document")
    if kind == "doc":
        from .doc import read_doc
        return read_doc(path, data, sha)
    if kind in ("rtf", "odt", "html"):
        from .office import read_converted
        return read_converted(path, data, sha, kind)
    if path.suffix.lower() in (".pdf", ".docx") and b"\x00" in data[:4096]:
        raise VanbanError(path, f"not a {path.suffix.lower()[1:].upper()} file (unrecognised binary content)")
    from .txt import read_txt
    return read_txt(path, data, sha)
