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
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageFilter, ImageOps

from .ocr_fields import read_form
from .ocr_layout import Word, layout

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


def page_image(page, dpi: int = DPI):
    """The page rendered in colour (stamps and ink told by their colour)."""
    return page.render(scale=dpi / 72).to_pil().convert("RGB")


def recognise(image, config: str = "--psm 4") -> dict:
    """Tesseract's word table of an image (pytesseract's dict of lists)."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return pytesseract.image_to_data(image, lang="vie", config=config, output_type=pytesseract.Output.DICT)


def words_of(data: dict, scale: float) -> list[Word]:
    """The recognised words, boxes in PDF points (``scale`` pixels a point)."""
    out = []
    for i, text in enumerate(data["text"]):
        if not text or not text.strip():
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        out.append(Word(fix(text.strip()), x / scale, y / scale, (x + w) / scale, (y + h) / scale,
                        float(data["conf"][i]), (data["block_num"][i], data["par_num"][i], data["line_num"][i])))
    return out


@dataclass
class OcrPage:
    lines: list[str]
    confidence: float                 # Tesseract's mean word confidence, 0-100
    fields: dict[str, float] = field(default_factory=dict)   # hand-filled fields read -> confidence
    warnings: list[str] = field(default_factory=list)


def ocr_page(page, first_page: bool = False) -> OcrPage:
    """A pypdfium2 page read by Tesseract: its lines in reading order
    (:mod:`.ocr_layout`), on the first page with the form's printed lines and
    hand-filled blanks checked (:mod:`.ocr_fields`)."""
    W, H = page.get_size()
    return read_image(page_image(page), W, H, first_page)


def read_image(image, width: float, height: float, first_page: bool = False) -> OcrPage:
    """A page image of ``width`` x ``height`` points read by Tesseract (:func:`ocr_page`)."""
    W, H = width, height
    words = words_of(recognise(image.convert("L")), image.width / W)
    confs = [w.conf for w in words if w.conf >= 0]
    lines = layout(words, W, H, first_page)
    mean = sum(confs) / len(confs) if confs else 0.0
    if not first_page:
        return OcrPage([ln.text for ln in lines], mean)
    texts, fields, warnings = read_form(lines, lambda box: reread_digits(image, box, image.width / W))
    return OcrPage(texts, mean, fields, warnings)


# How a hand-filled blank is read again: Tesseract's confidence says little on
# handwriting (0 on figures it reads right), so four readings vote instead:
# both models, on the ink as it is and with its strokes thickened.
REREADERS = [("vie", False), ("vie", True), ("eng", False), ("eng", True)]


def reread_digits(image, box, scale: float = DPI / 72) -> tuple[str, float]:
    """The digits written in a blank of the page (``box`` in points, y down;
    ``scale`` pixels a point), by the readers' vote, and the share of readers
    that agree (0-100)."""
    import pytesseract

    x0, y0, x1, y1 = box
    # a blank is estimated from the printed words around it: widened a little,
    # and to a digit pair's width at least (a narrow estimate cuts the figures)
    mid, half = (x0 + x1) / 2, max((x1 - x0) / 2 + 2, 14)
    crop = image.crop(tuple(round(v * scale) for v in (max(mid - half, 0), max(y0, 0), mid + half, y1)))
    # binarised on darkness, whatever the ink's colour: red ink is as dark as print once grey
    ink = crop.convert("L").point(lambda v: 0 if v < 170 else 255)
    thick = ink.filter(ImageFilter.MinFilter(3))
    votes: dict[str, int] = {}
    for lang, thicken in REREADERS:
        try:
            text = pytesseract.image_to_string(ImageOps.expand(thick if thicken else ink, border=30, fill=255),
                                               lang=lang, config="--psm 7 -c tessedit_char_whitelist=0123456789")
        except pytesseract.TesseractError:        # a model not installed: one vote fewer
            continue
        text = "".join(text.split())
        if text:
            votes[text] = votes.get(text, 0) + 1
    if not votes:
        return "", 0.0
    text, n = max(votes.items(), key=lambda kv: kv[1])
    return text, 100.0 * n / len(REREADERS)


def fix(line: str) -> str:
    """Tesseract's Vietnamese model writes Icelandic eth for đ at times."""
    return line.replace("\u00d0", "Đ").replace("\u00f0", "đ")
