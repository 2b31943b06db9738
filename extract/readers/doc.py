"""Word 97-2003 .doc, converted to .docx by LibreOffice when it is installed."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import VanbanError
from ..model import RawDocument


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path, data: bytes, sha256: str) -> RawDocument:
    exe = soffice()
    if not exe:
        raise VanbanError(path, "legacy Word .doc needs LibreOffice to convert it "
                                "(apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="vanban-doc-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        # Each conversion gets its own profile: two soffice sharing one collide silently.
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=120, check=False,
                           env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise VanbanError(path, "LibreOffice took over 120 s to convert the .doc")
        out = Path(tmp) / "in.docx"
        if not out.exists():
            raise VanbanError(path, "LibreOffice could not convert this .doc (corrupt or unsupported)")
        from .docx import read_docx
        raw = read_docx(path, out.read_bytes(), sha256)
    # LibreOffice imports what it cannot parse as raw text: bytes read as CJK
    # and symbols. That is a damaged file, not a document.
    from ..legacy import looks_garbled

    if looks_garbled("\n".join(b.text for b in raw.blocks[:200])):
        raise VanbanError(path, "damaged .doc: LibreOffice could not read it as a Word document")
    raw.format = "doc"
    return raw
