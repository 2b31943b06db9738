"""PDF with a text layer: page text by pypdfium2, lines joined into paragraphs.

pypdfium2 reads a text page in well under a millisecond (pdfplumber takes
about 50 ms), so it reads every page, in one pass. A page that draws enough
path objects to hold a ruled table has its grid read from those objects and
each cell's text from the same text page (:mod:`.pdf_tables`), as rows of
cells (a plain text dump would give the cells as loose lines).
What a page repeats at its top or bottom (running headers, footers, page
numbers) is dropped. A page with no characters has no text layer: it is
listed in ``ocr_pages`` and reported.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from io import BytesIO

import regex

from ..errors import VanbanError
from ..model import RawBlock, RawDocument
from .lines import join_lines

PAGE_NUMBER = regex.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$", regex.I)


# A ruled table draws at least this many path objects (its cell borders).
TABLE_PATHS = 8


@dataclass
class Row:
    """A table row read by pdfplumber, in the page's flow of lines."""
    cells: list[str]
    table: int


def _clean(text: str) -> str:
    # PDFium marks a hyphen it takes for a soft one as U+FFFE, or as U+0002 (STX) in
    # some fonts ("2257/QĐ\x02UBND"): both are the hyphen the page shows.
    return text.replace("\ufffe", "-").replace("\x02", "-").replace("\r\n", "\n").replace("\r", "\n")


_DIGITS = regex.compile(r"\d+")
SO_LINE = regex.compile(r"^\s*S[ốỐ]\s*[:.]", regex.I)


def _visual_lines(rects):
    """Text rectangles grouped into visual lines (vertical overlap), top first.

    Rectangles come top first, so a line whose bottom is at or above the
    current one's top overlaps none of those to come: it leaves the lines
    still compared (a page's lines were each compared with every rectangle)."""
    lines: list[dict] = []
    open_: list[dict] = []
    for r in sorted(rects, key=lambda r: -r[3]):
        if open_ and open_[0]["b"] >= r[3]:
            open_ = [ln for ln in open_ if ln["b"] < r[3]]
        for ln in open_:
            overlap = min(r[3], ln["t"]) - max(r[1], ln["b"])
            if overlap > 0.5 * (r[3] - r[1]):
                ln["rects"].append(r)
                ln["b"], ln["t"] = min(ln["b"], r[1]), max(ln["t"], r[3])
                break
        else:
            ln = {"rects": [r], "b": r[1], "t": r[3]}
            lines.append(ln)
            open_.append(ln)
    lines.sort(key=lambda ln: -ln["t"])
    return lines


def _crosses(rects, split: float) -> bool:
    """Whether a visual line runs across the column gap at ``split``."""
    rs = sorted(rects)
    if max(r[2] for r in rs) <= split + 2 or min(r[0] for r in rs) >= split - 2:
        return False                       # all on one side
    for a, b in zip(rs, rs[1:]):
        if b[0] - a[2] >= 8 and a[2] - 40 <= split <= b[0] + 40:
            return False                   # two columns side by side
    return True


def _clear_split(band, split: float) -> float:
    """The split moved to the middle of the gap every header line leaves: the
    top lines' gap may be narrower than a long body name below them
    ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" runs past it), and text is cut by position."""
    lo, hi = float("-inf"), float("inf")
    for ln in band:
        rs = sorted(ln["rects"])
        if max(r[2] for r in rs) <= split + 2:
            lo = max(lo, max(r[2] for r in rs))         # left column only
            continue
        if min(r[0] for r in rs) >= split - 2:
            hi = min(hi, min(r[0] for r in rs))         # right column only
            continue
        gap = next(((a[2], b[0]) for a, b in zip(rs, rs[1:])
                    if b[0] - a[2] >= 8 and a[2] - 40 <= split <= b[0] + 40), None)
        if gap:
            lo, hi = max(lo, gap[0]), min(hi, gap[1])
    return (lo + hi) / 2 if lo < hi and lo > float("-inf") and hi < float("inf") else split


def header_columns(page, tp) -> list[str] | None:
    """Page 1 with its two-column header read column by column.

    Nghị định 30 sets the issuing body, "Số:" and the trích yếu on the left
    and the quốc hiệu, motto and "place, date" on the right; a plain text
    dump interleaves them line by line. The gap between the columns is found
    in the text rectangles of the top lines; the header band runs down to
    the first line that crosses it. Returns the page's lines (left column
    down to "Số:", right column, rest of the left column, then the body), or
    None when the page has no two-column header.
    """
    W, H = page.get_size()
    rects = [tp.get_rect(i) for i in range(tp.count_rects())]
    lines = _visual_lines([r for r in rects if r[3] > H * 0.45])
    split = None
    for ln in lines[:3]:
        rs = sorted(ln["rects"])
        for a, b in zip(rs, rs[1:]):
            if b[0] - a[2] >= 12 and W * 0.25 < (a[2] + b[0]) / 2 < W * 0.6:
                split = (a[2] + b[0]) / 2
                break
        if split:
            break
    if split is None:
        return None
    bottom = None
    band = []
    for ln in lines:
        if _crosses(ln["rects"], split):
            break
        bottom = ln["b"] - 1
        band.append(ln)
    if bottom is None:
        return None
    split = _clear_split(band, split)
    left = _clean(tp.get_text_bounded(0, bottom, split, H)).split("\n")
    right = _clean(tp.get_text_bounded(split, bottom, W, H)).split("\n")
    rest = _clean(tp.get_text_bounded(0, 0, W, bottom)).split("\n")
    cut = next((i + 1 for i, x in enumerate(left) if SO_LINE.match(x)), len(left))
    return left[:cut] + right + left[cut:] + rest


def _page_lines(pdf, path, plumber: "_Plumber", ocr: bool = True):
    """Each page's lines; pages read by OCR, with Tesseract's confidence; warnings."""
    from ..legacy import looks_garbled
    from . import ocr as ocr_mod

    pages = []
    n_tables = 0
    recognised: dict[int, float] = {}
    fields: dict[str, float] = {}       # hand-filled header fields read by OCR -> confidence
    needs: list[int] = []
    warnings: list[str] = []
    for i in range(len(pdf)):
        try:
            page = pdf[i]
            tp = page.get_textpage()
            text = tp.get_text_range()
            unreadable = not text.strip() or looks_garbled(text, foreign_script=True)
            if unreadable:
                # No text layer (a scan), or one whose font has no Unicode map.
                needs.append(i + 1)
                reason = "no text layer" if not text.strip() else "text layer unreadable (legacy font encoding)"
                why_not = None if ocr else "OCR turned off"
                why_not = why_not or ocr_mod.unavailable_reason()
                if why_not is None:
                    read = ocr_mod.ocr_page(page, first_page=i == 0)
                    lines, conf = read.lines, read.confidence
                    recognised[i + 1] = round(conf, 1)
                    fields.update(read.fields)
                    warnings.append(f"page {i + 1}: {reason}, read by OCR (confidence {conf:.0f}%)")
                    warnings += read.warnings
                    tp.close()
                    page.close()
                    pages.append(lines)
                    continue
                warnings.append(f"page {i + 1}: {reason}, needs OCR: {why_not}")
            header = header_columns(page, tp) if i == 0 else None
            lines = header if header is not None else _clean(text).split("\n")
            if text.strip():
                with_tables = _with_tables(page, tp, i, n_tables, plumber)
                if with_tables is not None:
                    lines, found = with_tables
                    n_tables += found
            tp.close()
            page.close()
        except VanbanError:
            raise
        except Exception as e:  # pdfium raises its own error types per page
            raise VanbanError(path, f"cannot read page {i + 1} ({e})")
        pages.append(lines)
    return pages, needs, recognised, warnings, fields


def _draws_enough(edges) -> bool:
    """Whether a page's drawing (:func:`.pdf_tables.page_edges`) has enough
    path objects to hold a ruled table."""
    return edges.drawn >= TABLE_PATHS


def _real(rows) -> bool:
    """A real table: 2+ rows, 2+ columns, most cells holding text
    (underlines and boxes around a heading are not tables)."""
    cells = [c for r in rows for c in r]
    filled = sum(1 for c in cells if c)
    return len(rows) >= 2 and max(len(r) for r in rows) >= 2 and filled >= 0.5 * len(cells)


def page_tables(page, tp, edges):
    """The page's real ruled tables as (bbox, rows of cell texts), top first,
    and whether part of its drawing (``edges``, :func:`.pdf_tables.page_edges`)
    could not be resolved."""
    from . import pdf_tables as pt

    H = page.get_size()[1]
    tables = []
    read_cell = None
    for cells in pt.find_tables(edges):
        read_cell = read_cell or pt.CellReader(tp, H)
        rows = [[read_cell(c) if c else "" for c in r] for r in pt.table_rows(cells)]
        if _real(rows):
            tables.append((pt.bbox(cells), rows))
    return tables, edges.unresolved


def _with_tables(page, tp, index: int, first_table: int, plumber: "_Plumber"):
    """The page's lines with its ruled tables as :class:`Row` items, or None
    when it draws too little to hold one or holds no real table.

    Read from pdfium's own objects (:mod:`.pdf_tables`), in one walk over
    the page's objects; pdfplumber only when part of the drawing cannot be
    resolved there (lines inside a form XObject), on the document it opened once.
    """
    from . import pdf_tables as pt

    W, H = page.get_size()
    edges = pt.page_edges(page, H)
    if not _draws_enough(edges):
        return None
    tables, unresolved = page_tables(page, tp, edges)
    if not tables:
        return plumber.tables(index, first_table) if unresolved else None
    return _interleave(tables, lambda top, bottom: tp.get_text_bounded(0, H - bottom, W, H - top), H, first_table)


def _interleave(tables, band_text, height: float, first_table: int):
    """The page's lines with its tables (top first) in place: the text of the
    band above each table (``band_text(top, bottom)``), the table's rows, the
    text below the last one; and how many tables there were."""
    out: list = []
    top = 0.0
    for k, ((x0, t0, x1, b0), rows) in enumerate(tables):
        if t0 > top:
            out += _clean(band_text(top, t0)).split("\n")
        # merged cells come back empty: a row keeps its own text
        out += [Row(cells=r, table=first_table + k) for r in rows if any(r)]
        top = max(top, b0)
    if top < height:
        out += _clean(band_text(top, height)).split("\n")
    return out, len(tables)


class _Plumber:
    """pdfplumber on the document, opened once and only if a page needs it."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None

    def tables(self, index: int, first_table: int):
        try:
            import pdfplumber

            if self.pdf is None:
                self.pdf = pdfplumber.open(BytesIO(self.data))
            page = self.pdf.pages[index]
            tables = []
            for t in page.find_tables():
                rows = [[" ".join(_clean(c or "").split()) for c in r] for r in t.extract()]
                if _real(rows):
                    tables.append((t.bbox, rows))
            if not tables:
                return None
            tables.sort(key=lambda t: t[0][1])
            out = _interleave(tables, lambda top, bottom: page.crop((0, top, page.width, bottom)).extract_text() or "",
                              page.height, first_table)
            page.flush_cache()
            return out
        except Exception:  # pdfplumber failing on a page keeps pypdfium2's text
            return None

    def close(self):
        if self.pdf is not None:
            self.pdf.close()


def _running_lines(pages) -> set[str]:
    """Lines that sit at the top or bottom of most pages, digits ignored."""
    if len(pages) < 3:
        return set()
    edge = Counter()
    for lines in pages:
        kept = [x.strip() for x in lines if isinstance(x, str) and x.strip()]
        for x in set(kept[:2] + kept[-2:]):
            edge[_DIGITS.sub("#", x)] += 1
    return {k for k, n in edge.items() if n >= max(3, 0.6 * len(pages))}


def read_pdf(path, data: bytes, sha256: str, password: str | None = None, ocr: bool = True) -> RawDocument:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise VanbanError(path, "password-protected PDF")
        raise VanbanError(path, f"corrupt or unreadable PDF ({msg})")
    plumber = _Plumber(data)
    try:
        pages, needs, recognised, warnings, fields = _page_lines(pdf, path, plumber, ocr)
    finally:
        plumber.close()
        pdf.close()
    # A text layer in a legacy Vietnamese font (.VnTime, VNI-Times embedded with
    # their own byte mapping) reads "Céng hoµ": repaired through that encoding.
    from ..legacy import detect, to_unicode

    enc = detect("\n".join(x for lines in pages for x in lines if isinstance(x, str)))
    if enc:
        pages = [[to_unicode(x, enc) if isinstance(x, str) else
                  Row([to_unicode(c, enc) for c in x.cells], x.table) for x in lines] for lines in pages]
        warnings.append(f"text layer in the legacy encoding {enc.upper()}: converted to Unicode")
    running = _running_lines(pages)
    tagged = []
    for no, lines in enumerate(pages, start=1):
        kept = [x for x in lines if not isinstance(x, str) or x.strip()]
        if not kept:
            continue
        # Page numbers at the top or bottom of a page.
        while kept and isinstance(kept[0], str) and PAGE_NUMBER.match(kept[0].strip()):
            kept.pop(0)
        while kept and isinstance(kept[-1], str) and PAGE_NUMBER.match(kept[-1].strip()):
            kept.pop()
        for x in kept:
            if running and isinstance(x, str) and _DIGITS.sub("#", x.strip()) in running:
                continue
            tagged.append((x, no))
    blocks: list[RawBlock] = []
    run: list = []
    for x, no in tagged + [(None, None)]:
        if isinstance(x, str):
            run.append((x, no))
            continue
        blocks += [RawBlock(text=t, page=p) for t, p in join_lines(run)]
        run = []
        if isinstance(x, Row):
            blocks.append(RawBlock(text=" | ".join(x.cells), page=no, kind="row", cells=x.cells, table=x.table))
    if not blocks and needs:
        raise VanbanError(path, f"no readable text: {warnings[0].split(': ', 1)[1]}")
    return RawDocument(path=str(path), format="pdf", sha256=sha256, blocks=blocks,
                       pages=len(pages), ocr_pages=needs, ocr_confidence=recognised, ocr_fields=fields,
                       warnings=warnings)
