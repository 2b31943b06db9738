"""The printed form and its hand-filled blanks on an OCR'd first page.

A signed scan is a printed form with the number and the day written in by
hand ("Số: 09 /TTr-UBND", "ngày 20 tháng 01 năm 2025"). Tesseract reads the
print well and the handwriting badly ("0_", "#Ô", "3/4"), so:

- a header line that reads close to a printed line of the form
  (``rules/ocr.yaml``) becomes that line, a stamp's marks over it dropped;
- the blank between "Số:" and the code, and those between "ngày", "tháng"
  and "năm", are read again from the page image, digits only
  (``reread(box) -> (digits, confidence)``, the image stays with the
  caller); a value is kept when it reads as a number (a valid date for the
  day and month) with enough confidence, else it is left blank so the header
  has null there, and a warning names the field.

Pure functions of :class:`.ocr_layout.Line` lists; the confidence of each
field read is returned for the JSON.
"""
from __future__ import annotations

import datetime as dt
from difflib import SequenceMatcher
from typing import Callable

import regex

from .. import ruleset as rules
from ..normalize import fold, fold_chars
from .ocr_layout import Line, Word

Reread = Callable[[tuple[float, float, float, float]], tuple[str, float]]

# "Số:", "Só:", "Sô" as OCR reads the printed label, and what follows it
NUMBER_LINE = regex.compile(r"^(?P<so>s[o0][:.;]?)\s*(?P<num>[^/]*?)\s*(?P<sym>/\S.*)$")
DATE_LINE = regex.compile(r"(?P<ngay>ngay)\s*(?P<d>.*?)\s*(?P<thang>thang)\s*(?P<m>.*?)\s*(?P<nam>nam)\s*(?P<y>\d{4})\b")
DIGITS = regex.compile(r"^\d{1,5}$")
HEADER_LINES = 12


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def snap_form_line(text: str) -> str | None:
    """The printed form line ``text`` reads as, or None."""
    cfg = rules.load("ocr.yaml")
    got = _letters(text)
    for form in cfg["form_lines"]:
        want = _letters(form)
        # the line may run on with a stamp's marks: compared over the form's length
        head = got[:len(want) + 2]
        if len(head) >= 0.8 * len(want) and SequenceMatcher(None, head, want).ratio() >= cfg["similarity"]:
            return form
    return None


def snap_form_word(text: str) -> str:
    """A header line in capitals with its first words restored when they read as
    one of the form's words without its marks ("TINH QUẢNG NGÃI")."""
    if not text.isupper():
        return text
    for word in rules.load("ocr.yaml")["form_words"]:
        n = len(word)
        if fold(text[:n]) == fold(word) and (len(text) == n or text[n] == " "):
            return word.upper() + text[n:]
    return text


def _chars(line: Line) -> tuple[str, list[float]]:
    """The line's text (words joined by spaces), folded and lower-cased one
    character per character, and each character's left edge estimated
    within its word's box."""
    text, xs = [], []
    for k, w in enumerate(line.words):
        if k:
            text.append(" ")
            xs.append(w.x0)
        n = max(len(w.text), 1)
        for j, c in enumerate(w.text):
            text.append(c)
            xs.append(w.x0 + (w.x1 - w.x0) * j / n)
    xs.append(line.words[-1].x1)
    return fold_chars("".join(text)).lower(), xs


def _box(line: Line, x0: float, x1: float) -> tuple[float, float, float, float]:
    """The page box (points, y down) of a blank from x0 to x1 on the line,
    with room above and below for handwriting that leaves the line."""
    near = min(line.words, key=lambda w: abs((w.x0 + w.x1) / 2 - (x0 + x1) / 2))
    h = max(w.y1 - w.y0 for w in line.words)
    top = min(w.y0 for w in line.words) + near.dy
    return x0, top - 0.45 * h, x1, top + 1.45 * h


def _conf(line: Line, x0: float, x1: float) -> float:
    ws = [w for w in line.words if w.x1 > x0 and w.x0 < x1]
    return min((w.conf for w in ws), default=0.0)


def _field(line: Line, xs: list[float], span: tuple[int, int], current: str, reread: Reread,
           ok: Callable[[str], bool]) -> tuple[str | None, float]:
    """The blank's value and its confidence: Tesseract's own reading when it is
    clean and sure, else the blank read again; None when neither passes."""
    x0, x1 = xs[span[0]], xs[span[1]]
    if x1 - x0 < 3:
        return None, 0.0
    own = _conf(line, x0, x1)
    if ok(current) and own >= rules.load("ocr.yaml")["own_confidence"]:
        return current, own
    digits, conf = reread(_box(line, x0, x1))
    cfg = rules.load("ocr.yaml")
    # Tesseract's own reading, unsure alone, counts when the readers' vote says the same
    if ok(digits) and (conf >= cfg["min_confidence"] or (digits == current and conf >= cfg["confirmed_confidence"])):
        return digits, conf
    return None, conf


def read_form(lines: list[Line], reread: Reread) -> tuple[list[str], dict[str, float], list[str]]:
    """The first page's lines as text with the form's printed lines restored and
    its hand-filled blanks checked; each field's confidence; warnings."""
    out = [ln.text for ln in lines]
    conf: dict[str, float] = {}
    warnings: list[str] = []
    for i, ln in enumerate(lines[:HEADER_LINES]):
        if "date" in conf:
            # the date closes the header band (the layout reads the right
            # column after the left one's "Số:"): below it the title's lines
            # ("Ủy ban nhân dân tỉnh ... nhiệm kỳ") are no form line
            break
        form = snap_form_line(ln.text)
        if form:
            out[i] = form
            continue
        out[i] = snap_form_word(out[i])
        text, xs = _chars(ln)
        m = NUMBER_LINE.match(text)
        if m and "number" not in conf:
            value, c = _field(ln, xs, (m.end("so"), m.start("sym")), m["num"], reread, DIGITS.match)
            conf["number"] = round(c, 1)
            sym = out[i][m.start("sym"):]
            if value is None:
                warnings.append("page 1: number not read with confidence (filled in by hand?): left null")
                out[i] = "Số: " + sym
            else:
                out[i] = f"Số: {value}{sym}"
            continue
        m = DATE_LINE.search(text)
        if m and "date" not in conf:
            day, cd = _field(ln, xs, (m.end("ngay"), m.start("thang")), m["d"], reread,
                             lambda s: s.isdigit() and 1 <= int(s) <= 31)
            month, cm = _field(ln, xs, (m.end("thang"), m.start("nam")), m["m"], reread,
                               lambda s: s.isdigit() and 1 <= int(s) <= 12)
            conf["date"] = round(min(cd, cm), 1)
            if day and month and _valid(day, month, m["y"]):
                date = f"ngày {int(day):02d} tháng {int(month):02d} năm {m['y']}"
            else:
                date = f"ngày tháng năm {m['y']}"
                warnings.append("page 1: date not read with confidence (day or month filled in by hand?): left null")
            out[i] = out[i][:m.start()] + date + out[i][m.end():]
    return out, conf, warnings


def _valid(d: str, m: str, y: str) -> bool:
    try:
        dt.date(int(y), int(m), int(d))
        return True
    except ValueError:
        return False
