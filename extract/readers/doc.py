"""Word 97-2003 .doc, converted to .docx by LibreOffice when it is installed (see office.py)."""
from __future__ import annotations

from ..model import RawDocument
from .office import read_converted, soffice  # noqa: F401  (soffice: tests ask whether it is there)


def read_doc(path, data: bytes, sha256: str) -> RawDocument:
    return read_converted(path, data, sha256, "doc")
