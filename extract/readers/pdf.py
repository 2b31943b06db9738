"""PDF with a text layer: page text by pypdfium2, lines joined into paragraphs.

pypdfium2 reads a text page in well under a millisecond (pdfplumber takes
about 50 ms), so it reads every page. What a page repeats at its top or
bottom (running headers, footers, page numbers) is dropped. A page with no
characters has no text layer: it is listed in ``ocr_pages`` and reported.
"""
from __future__ import annotations

from collections import Counter

import regex

from ..errors import VanbanError
from ..model import RawBlock, RawDocument
from .lines import join_lines

PAGE_NUMBER = regex.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$", regex.I)


def _page_lines(pdf, path):
    pages = []
    for i in range(len(pdf)):
        try:
            page = pdf[i]
            tp = page.get_textpage()
            text = tp.get_text_range()
            tp.close()
            page.close()
        except Exception as e:  # pdfium raises its own error types per page
            raise VanbanError(path, f"cannot read page {i + 1} ({e})")
        text = text.replace("\ufffe", "-").replace("\r\n", "\n").replace("\r", "\n")
        pages.append(text.split("\n"))
    return pages


def _running_lines(pages) -> set[str]:
    """Lines that sit at the top or bottom of most pages, digits ignored."""
    if len(pages) < 3:
        return set()
    edge = Counter()
    for lines in pages:
        kept = [x.strip() for x in lines if x.strip()]
        for x in set(kept[:2] + kept[-2:]):
            edge[regex.sub(r"\d+", "#", x)] += 1
    return {k for k, n in edge.items() if n >= max(3, 0.6 * len(pages))}


def read_pdf(path, data: bytes, sha256: str, password: str | None = None) -> RawDocument:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise VanbanError(path, "password-protected PDF")
        raise VanbanError(path, f"corrupt or unreadable PDF ({msg})")
    try:
        pages = _page_lines(pdf, path)
    finally:
        pdf.close()
    running = _running_lines(pages)
    tagged = []
    ocr_pages = []
    for no, lines in enumerate(pages, start=1):
        kept = [x for x in lines if x.strip()]
        if not kept:
            ocr_pages.append(no)
            continue
        # Page numbers at the top or bottom of a page.
        while kept and PAGE_NUMBER.match(kept[0].strip()):
            kept.pop(0)
        while kept and PAGE_NUMBER.match(kept[-1].strip()):
            kept.pop()
        for x in kept:
            if regex.sub(r"\d+", "#", x.strip()) in running:
                continue
            tagged.append((x, no))
    warnings = [f"page {p} has no text layer: needs OCR" for p in ocr_pages]
    blocks = [RawBlock(text=t, page=p) for t, p in join_lines(tagged)]
    return RawDocument(path=str(path), format="pdf", sha256=sha256, blocks=blocks,
                       pages=len(pages), ocr_pages=ocr_pages, warnings=warnings)
