"""Readers: one module per format, each ``(path, bytes, sha256) -> RawDocument``.

The format is chosen by content (magic bytes), not by the file's extension:
a PDF named .txt is read as the PDF it is, a text file named .docx as text.
"""
from __future__ import annotations

import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

from ..errors import VanbanError
from ..model import RawDocument

DEFAULT_MAX_SIZE = 100 * 1024 * 1024
READABLE_SUFFIXES = {".txt", ".docx", ".pdf", ".doc", ".text", ".md"}


def sniff(data: bytes) -> str:
    """The format a file's bytes show: pdf | docx | zip | doc | txt."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    return "txt"


def read(path, max_size: int = DEFAULT_MAX_SIZE, ocr: bool = True) -> RawDocument:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise VanbanError(path, e.strerror or str(e))
    if path.is_dir():
        raise VanbanError(path, "is a folder, not a document")
    if size > max_size:
        raise VanbanError(path, f"{size // 2**20} MB is over the size limit of {max_size // 2**20} MB (raise it with --max-size)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise VanbanError(path, e.strerror or str(e))
    if not data.strip():
        raise VanbanError(path, "empty file")
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    try:
        return _dispatch(path, data, sha, kind, ocr)
    except VanbanError:
        raise
    except RecursionError:
        raise VanbanError(path, f"{kind} structure nested too deeply to read")
    except MemoryError:
        raise VanbanError(path, f"{kind} too large to read in memory")
    except Exception as e:  # a library choking on a damaged file: that file's error, one line
        msg = " ".join(str(e).split())[:200]
        raise VanbanError(path, f"damaged or unsupported {kind} ({type(e).__name__}: {msg})")


def _dispatch(path: Path, data: bytes, sha: str, kind: str, ocr: bool) -> RawDocument:
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(path, data, sha, ocr=ocr)
    if kind == "docx":
        from .docx import read_docx
        return read_docx(path, data, sha)
    if kind == "zip":
        raise VanbanError(path, "a zip archive but not a Word document")
    if kind == "doc":
        from .doc import read_doc
        return read_doc(path, data, sha)
    if path.suffix.lower() in (".pdf", ".docx") and b"\x00" in data[:4096]:
        raise VanbanError(path, f"not a {path.suffix.lower()[1:].upper()} file (unrecognised binary content)")
    from .txt import read_txt
    return read_txt(path, data, sha)
