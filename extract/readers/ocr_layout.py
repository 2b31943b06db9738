"""An OCR'd page's words laid out as the text-layer PDF path lays out its text.

Tesseract's page segmentation reads a line across the whole page, so the
header's two columns come back merged ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ...").
Here the word boxes are deskewed (the slope of Tesseract's own lines), and the
header band is cut into its columns with the same geometry
:func:`.pdf.header_columns` uses on a text layer's rectangles: the left column
down to "Số:", the right column, the rest of the left column, then the body.
Below the header, a run of lines with a wide gap at one place (the signature
block beside "Nơi nhận:") is read column by column too.

Pure functions of :class:`Word` lists; coordinates in PDF points, y down.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    y0: float          # top
    x1: float
    y1: float          # bottom
    conf: float        # Tesseract's confidence, 0-100
    line: tuple = ()   # Tesseract's (block, paragraph, line)
    dy: float = 0.0    # how far deskewing moved it up: y0 + dy is its place on the page

    def to_dict(self):
        """The word and its box on the page (points, y down from the top)."""
        return {"text": self.text,
                "box": [round(self.x0, 1), round(self.y0 + self.dy, 1), round(self.x1, 1), round(self.y1 + self.dy, 1)],
                "conf": round(self.conf)}


@dataclass(slots=True)
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


SO_WORD = regex.compile(r"^S[ốỐôÔóÓoO][:.;]?", regex.I)


def skew(words: list[Word]) -> float:
    """The page's slope (dy/dx): the median over Tesseract's long lines of
    the slope from their first word's bottom to their last's."""
    by_line: dict[tuple, list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    slopes = []
    for ws in by_line.values():
        if len(ws) < 4:
            continue
        ws = sorted(ws, key=lambda w: w.x0)
        dx = ws[-1].x0 - ws[0].x0
        if dx > 100:
            slopes.append(((ws[-1].y1 - ws[0].y1) / dx))
    if not slopes:
        return 0.0
    slopes.sort()
    return slopes[len(slopes) // 2]


def deskewed(words: list[Word], slope: float) -> list[Word]:
    """The words with y measured from the page's slanted lines (boxes stay their size)."""
    return [Word(w.text, w.x0, w.y0 - slope * w.x0, w.x1, w.y1 - slope * w.x0, w.conf, w.line, w.dy + slope * w.x0)
            for w in words]


def drop_ghosts(words: list[Word]) -> list[Word]:
    """Words mostly covering a word read with more confidence: a stamp or the
    previous page seen through the paper, read as a second copy of a line."""
    kept = []
    order = sorted(range(len(words)), key=lambda i: -words[i].conf)
    for i in order:
        w = words[i]
        area = max((w.x1 - w.x0) * (w.y1 - w.y0), 1e-6)
        if any(_overlap(w, k) > 0.5 * min(area, (k.x1 - k.x0) * (k.y1 - k.y0)) for k in kept):
            continue
        kept.append(w)
    keep = {id(w) for w in kept}
    return [w for w in words if id(w) in keep]


def _overlap(a: Word, b: Word) -> float:
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def visual_lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines by vertical overlap (of the deskewed boxes), top first."""
    lines: list[dict] = []
    for w in sorted(words, key=lambda w: w.y0):
        h = w.y1 - w.y0
        best = None
        for ln in lines[-6:]:
            ov = min(w.y1, ln["b"]) - max(w.y0, ln["t"])
            if ov > 0.5 * min(h, ln["b"] - ln["t"]) and (best is None or ov > best[0]):
                best = (ov, ln)
        if best:
            ln = best[1]
            ln["w"].append(w)
            if len(ln["w"]) <= 3:
                # the extent settles on a line's first words: grown by every
                # tall word, it would reach into the next line
                ln["t"], ln["b"] = min(ln["t"], w.y0), max(ln["b"], w.y1)
        else:
            lines.append({"w": [w], "t": w.y0, "b": w.y1})
    out = [Line(sorted(ln["w"], key=lambda w: w.x0)) for ln in lines]
    out.sort(key=lambda ln: min(w.y0 for w in ln.words))
    return out


def _gaps(line: Line, min_gap: float):
    ws = line.words
    return [((a.x1 + b.x0) / 2, a.x1, b.x0) for a, b in zip(ws, ws[1:]) if b.x0 - a.x1 >= min_gap]


def _crosses(line: Line, split: float) -> bool:
    """Whether a line runs across the column gap at ``split`` (pdf._crosses on words)."""
    ws = line.words
    if max(w.x1 for w in ws) <= split + 2 or min(w.x0 for w in ws) >= split - 2:
        return False                       # all on one side
    return not any(a - 40 <= split <= b + 40 for _, a, b in _gaps(line, 8))


def _clear_split(band: list[Line], split: float) -> float:
    """The split in the middle of the gap every header line leaves (pdf._clear_split)."""
    lo, hi = float("-inf"), float("inf")
    for ln in band:
        ws = ln.words
        if max(w.x1 for w in ws) <= split + 2:
            lo = max(lo, max(w.x1 for w in ws))
            continue
        if min(w.x0 for w in ws) >= split - 2:
            hi = min(hi, min(w.x0 for w in ws))
            continue
        gap = next(((a, b) for _, a, b in _gaps(ln, 8) if a - 40 <= split <= b + 40), None)
        if gap:
            lo, hi = max(lo, gap[0]), min(hi, gap[1])
    return (lo + hi) / 2 if lo < hi and lo > float("-inf") and hi < float("inf") else split


def _cut(lines: list[Line], split: float, side: str) -> list[Line]:
    out = []
    for ln in lines:
        ws = [w for w in ln.words if ((w.x0 + w.x1) / 2 < split) == (side == "left")]
        if ws:
            out.append(Line(ws))
    return out


def header_split(lines: list[Line], width: float, height: float) -> tuple[float, int] | None:
    """Where the header's columns part, and how many lines the header band holds; None without one."""
    split = None
    for ln in lines[:3]:
        if min(w.y0 for w in ln.words) > height * 0.45:
            break
        for mid, a, b in _gaps(ln, 12):
            if width * 0.25 < mid < width * 0.6:
                split = mid
                break
        if split:
            break
    if split is None:
        return None
    n = 0
    for ln in lines:
        if _crosses(ln, split) or min(w.y0 for w in ln.words) > height * 0.45:
            break
        n += 1
    if not n:
        return None
    return _clear_split(lines[:n], split), n


def _column_runs(lines: list[Line], width: float) -> list[list[Line]]:
    """The lines in runs: a run of 2+ lines each with a wide gap at the same
    place (a signature block beside "Nơi nhận:") is read left column first."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        g = [mid for mid, a, b in _gaps(lines[i], 40) if width * 0.3 < mid < width * 0.7]
        if not g:
            out.append(lines[i])
            i += 1
            continue
        split = g[0]
        j = i + 1
        while j < len(lines) and (
                any(abs(mid - split) < 60 for mid, _, _ in _gaps(lines[j], 30))
                or all((w.x0 + w.x1) / 2 < split for w in lines[j].words)
                or all((w.x0 + w.x1) / 2 > split for w in lines[j].words)):
            j += 1
        run = lines[i:j]
        if j - i >= 2:
            out += _cut(run, split, "left") + _cut(run, split, "right")
        else:
            out += run
        i = j
    return out


def layout(words: list[Word], width: float, height: float, first_page: bool) -> list[Line]:
    """The page's lines in reading order."""
    words = drop_ghosts([w for w in words if w.text.strip()])
    if not words:
        return []
    flat = deskewed(words, skew(words))
    lines = visual_lines(flat)
    head: list[Line] = []
    if first_page:
        found = header_split(lines, width, height)
        if found:
            split, n = found
            band, lines = lines[:n], lines[n:]
            left, right = _cut(band, split, "left"), _cut(band, split, "right")
            cut = next((k + 1 for k, ln in enumerate(left) if SO_WORD.match(ln.words[0].text)), len(left))
            head = left[:cut] + right + left[cut:]
    return head + _column_runs(lines, width)
