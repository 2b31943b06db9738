"""Ruled tables read from pdfium's objects give pdfplumber's rows and cells.

Every ruled table pdfplumber finds on the corpus PDFs (``corpus/`` always,
``../shared/corpus`` too when it is beside the checkout) is compared cell by
cell with vanban's reading (:mod:`extract.readers.pdf_tables`), after
whitespace normalisation. At least 95% of the cells must be equal, and every
cell that is not must fall under one of these explanations (the test fails
on a difference none of them covers):

- ``no-unicode``: pdfplumber prints ``(cid:N)`` for glyphs of a font without a
  Unicode map where pdfium gives its own reading (kh-007, qd-002). Those pages
  fail the legacy-text check and the reader sends them to OCR, so neither text
  is what vanban keeps.
- ``legacy-font``: on those same pages pdfium and pdfminer map the remaining
  glyphs of the legacy font differently ("ng‡y" against "ngày").
- ``line-end-hyphen``: pdfium marks a hyphen that ends a line inside a cell
  and joins the word ("NĐ-CP"); pdfplumber keeps the line break as a space
  ("NĐ- CP").

Tables pdfplumber builds from filled boxes alone (text highlighting: one
box behind each highlighted word, 16 pt tall, on cv-009) are not ruled
tables: pdfplumber cuts the highlighted words into one-word "cells". They
are left out of the comparison, and the test checks vanban finds no table
there.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extract.legacy import looks_garbled
from extract.readers import pdf as pdf_reader
from extract.readers import pdf_tables as pt

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


def _norm(s: str | None) -> str:
    return " ".join((s or "").split())


def _corpus_pdfs():
    seen, out = set(), []
    for folder in (ROOT / "corpus", SHARED):
        for path in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                out.append(path)
    return out


def _ruled(page, bbox) -> bool:
    """Whether pdfplumber's table has a real rule inside it: a line, or a box
    at most 3 pt thick (filled boxes behind text are not rules)."""
    x0, top, x1, bottom = bbox
    inside = [o for o in page.lines + page.rects
              if o["x0"] >= x0 - 2 and o["x1"] <= x1 + 2 and o["top"] >= top - 2 and o["bottom"] <= bottom + 2]
    return any(o["object_type"] == "line" or min(o["width"], o["height"]) <= pt.RULE for o in inside)


def _frame(rows) -> bool:
    """A box ruled around running paragraphs (tb-quangngai-vht534.pdf draws one
    around each numbered item): nearly every row holds one cell of text, a
    line of a paragraph; no table of data."""
    one = sum(1 for r in rows if sum(1 for c in r if c) <= 1)
    return len(rows) >= 3 and one >= 0.8 * len(rows)


def _explain(new: str, old: str, garbled_page: bool) -> str | None:
    if "(cid:" in old:
        return "no-unicode"
    if garbled_page:
        return "legacy-font"
    if new.replace("-", "- ") == old or new == old.replace("- ", "-"):
        return "line-end-hyphen"
    return None


def _compare():
    import pdfplumber
    import pypdfium2 as pdfium

    equal, total, unruled, extra = 0, 0, [], []
    explained: dict[str, int] = {}
    unexplained: list = []
    for path in _corpus_pdfs():
        data = path.read_bytes()
        doc = pdfium.PdfDocument(data)
        with pdfplumber.open(path) as plumber:
            for i in range(len(doc)):
                page = doc[i]
                edges = pt.page_edges(page, page.get_size()[1])
                if not pdf_reader._draws_enough(edges):
                    continue          # the reader looks for tables only here
                tp = page.get_textpage()
                garbled = looks_garbled(tp.get_text_range())
                ours, _ = pdf_reader.page_tables(page, tp, edges)
                ppage = plumber.pages[i]
                theirs = []
                for t in ppage.find_tables():
                    rows = [[_norm(c) for c in r] for r in t.extract()]
                    if pdf_reader._real(rows):
                        theirs.append((t.bbox, rows))
                matched = set()
                for bbox, rows in theirs:
                    if not _ruled(ppage, bbox) or _frame(rows):
                        unruled.append((path.name, i + 1))
                        assert not any(_overlap(bbox, b) for b, _ in ours), f"{path.name} p{i + 1}: highlight read as a table"
                        continue
                    k = next((k for k, (b, _) in enumerate(ours) if _overlap(bbox, b)), None)
                    mine = ours[k][1] if k is not None else []
                    matched.add(k)
                    for r, row in enumerate(rows):
                        for c, old in enumerate(row):
                            new = _norm(mine[r][c]) if r < len(mine) and c < len(mine[r]) else None
                            total += 1
                            if new == old:
                                equal += 1
                                continue
                            why = _explain(new or "", old, garbled)
                            if why:
                                explained[why] = explained.get(why, 0) + 1
                            else:
                                unexplained.append((path.name, i + 1, r, c, new, old))
                extra += [(path.name, i + 1) for k in range(len(ours)) if k not in matched]
                tp.close()
                page.close()
                ppage.close()
        doc.close()
    return equal, total, explained, unexplained, unruled, extra


def _overlap(a, b) -> bool:
    """Two boxes (x0, top, x1, bottom) covering mostly the same area."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return False
    area = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h >= 0.8 * area


def test_same_cells_as_pdfplumber_on_every_ruled_table():
    equal, total, explained, unexplained, unruled, extra = _compare()
    print(f"\n{equal}/{total} cells equal; explained: {explained}; unruled tables left out: {unruled}")
    assert total >= 500, "the corpus's ruled tables (qd-004.pdf) were not found"
    assert not unexplained, unexplained[:5]
    assert equal >= 0.95 * total
    assert not extra, f"tables pdfplumber does not find: {extra}"


def test_reader_gives_table_rows_in_page_flow():
    """qd-004 read whole: its business-line table as rows of three cells,
    the coordinate table's header and points, and the text between them."""
    from extract.readers import read

    raw = read(ROOT / "corpus" / "qd-004.pdf")
    rows = [b for b in raw.blocks if b.kind == "row"]
    assert rows[0].cells == ["TT", "Mục tiêu hoạt động", "Mã ngành theo VSIC"]
    assert rows[1].cells[0] == "1" and rows[1].cells[2] == "6810"
    assert rows[1].page == 2
    points = [r for r in rows if r.cells[0] == "M85"]
    assert [r.page for r in points] == [7, 9]          # one point in each coordinate system
    assert len({r.table for r in rows}) == 7           # page 7 holds two tables
    # The text after the first table is kept as paragraphs on its page.
    after = [b for b in raw.blocks if b.kind == "para" and b.page == 2]
    assert after and all("|" not in b.text for b in after)


@pytest.mark.skipif(not (SHARED / "cv-009.pdf").exists(), reason="../shared/corpus is not beside the checkout")
def test_highlighted_words_are_not_a_table():
    from extract.readers import read

    raw = read(SHARED / "cv-009.pdf")
    assert not [b for b in raw.blocks if b.kind == "row"]
    assert any("kiểm tra, giám sát chuyên ngành" in b.text for b in raw.blocks)


def test_the_pdfplumber_fallback_places_tables_among_the_text_as_the_pdfium_path_does():
    """The fallback (a drawing pdfium cannot resolve) reads qd-004's table
    pages into the same tables and rows, in the same places, as pdfium's path."""
    import pypdfium2 as pdfium

    from extract.readers.pdf import Row, _Plumber, _with_tables

    data = (ROOT / "corpus" / "qd-004.pdf").read_bytes()
    pdf, plumber = pdfium.PdfDocument(data), _Plumber(data)
    seen = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            ours = _with_tables(page, tp, i, 10, plumber)
            theirs = plumber.tables(i, 10)
            assert (ours is None) == (theirs is None), i
            if ours is None:
                continue
            seen += 1
            assert ours[1] == theirs[1]
            shape = [[(x.table, len(x.cells)) for x in lines if isinstance(x, Row)] for lines in (ours[0], theirs[0])]
            assert shape[0] == shape[1] and shape[0][0][0] == 10
            # the text around the tables comes too: above the first, below the last
            assert any(isinstance(x, str) and x.strip() for x in theirs[0])
    finally:
        plumber.close()
        pdf.close()
    assert seen >= 5
