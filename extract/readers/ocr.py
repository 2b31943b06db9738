"""OCR of PDF pages without a usable text layer: Tesseract with its Vietnamese model.

Pages are rendered by pypdfium2 at 300 dpi and recognised by Tesseract
(Debian packages ``tesseract-ocr`` and ``tesseract-ocr-vie``) through
pytesseract, one page at a time, with one OpenMP thread: worker processes
already use the cores, and Tesseract's threads fighting each other make it
several times slower. Each page's lines come back with the mean word
confidence, which stays in the document's provenance.
"""
from __future__ import annotations

import os
import shutil
from functools import lru_cache

DPI = 300
INSTALL_HINT = "install Tesseract with its Vietnamese model: apt-get install tesseract-ocr tesseract-ocr-vie"


@lru_cache(maxsize=None)
def unavailable_reason() -> str | None:
    """None when OCR can run; otherwise why not, in a few words."""
    if shutil.which("tesseract") is None:
        return f"Tesseract is not installed ({INSTALL_HINT})"
    try:
        import pytesseract
    except ImportError:
        return "the Python package pytesseract is not installed"
    try:
        langs = pytesseract.get_languages(config="")
    except Exception as e:  # a broken install
        return f"Tesseract does not run ({type(e).__name__})"
    if "vie" not in langs:
        return f"Tesseract has no Vietnamese model ({INSTALL_HINT})"
    return None


def ocr_page(page) -> tuple[list[str], float]:
    """The lines of a pypdfium2 page, and Tesseract's mean word confidence (0-100)."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    image = page.render(scale=DPI / 72, grayscale=True).to_pil()
    data = pytesseract.image_to_data(image, lang="vie", config="--psm 4",
                                     output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs = []
    for i, word in enumerate(data["text"]):
        if not word or not word.strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        c = float(data["conf"][i])
        if c >= 0:
            confs.append(c)
    text_lines = [fix(" ".join(ws)) for _, ws in sorted(lines.items())]
    return text_lines, (sum(confs) / len(confs) if confs else 0.0)


def fix(line: str) -> str:
    """Tesseract's Vietnamese model writes Icelandic eth for đ at times."""
    return line.replace("\u00d0", "Đ").replace("\u00f0", "đ")
