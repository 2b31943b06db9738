"""Structure: the normalised document, its header, sections and closing parts."""
from __future__ import annotations

from ..model import Block, Document, RawDocument
from ..normalize import normalize
from .closing import parse_closing
from .header import parse_header
from .sections import parse_sections


def assemble(raw: RawDocument) -> Document:
    """Normalise the reader's blocks into one text, keeping block spans.

    Blocks are joined by a newline; a Word numbering label is part of the
    visible text, so it leads its paragraph. Empty blocks are left out.
    """
    pieces: list[str] = []
    starts: list[tuple[int, int, list[tuple[int, int]] | None]] = []
    pos = 0
    for i, b in enumerate(raw.blocks):
        text = b.text
        if not text.strip():
            continue
        if b.label and b.kind == "para":
            text = f"{b.label} {text.lstrip()}"
        cell_spans = None
        if b.kind == "row" and b.cells is not None:
            cell_spans, c = [], pos
            for cell in b.cells:
                cell_spans.append((c, c + len(cell)))
                c += len(cell) + 3
        starts.append((i, pos, cell_spans))
        pieces.append(text)
        pos += len(text) + 1
    raw_text = "\n".join(pieces)
    norm = normalize(raw_text)
    offs = norm.offsets

    last = len(offs) - 1
    if offs.identity:                  # most PDFs' and Word files' text: no lookup per cell
        def to_norm(raw_pos: int) -> int:
            return min(raw_pos, last)
    else:
        index_of = offs.index_of_ascending()       # asked in text order below

        def to_norm(raw_pos: int) -> int:
            return min(index_of(raw_pos), last)

    blocks = []
    for (i, raw_start, cell_spans), piece in zip(starts, pieces):
        start = to_norm(raw_start)
        cells = [(to_norm(a), to_norm(b)) for a, b in cell_spans] if cell_spans else None
        end = to_norm(raw_start + len(piece))
        if start >= end:
            continue
        rb = raw.blocks[i]
        blocks.append(Block(start=start, end=end, page=rb.page, kind=rb.kind, raw_index=i,
                            cells=cells, label=rb.label, anchor=rb.anchor, table=rb.table))
    return Document(path=raw.path, format=raw.format, sha256=raw.sha256, pages=raw.pages,
                    text=norm.text, blocks=blocks, offsets=offs, raw_text=raw_text,
                    ocr_pages=list(raw.ocr_pages), ocr_confidence=dict(raw.ocr_confidence),
                    ocr_fields=dict(raw.ocr_fields),
                    warnings=list(raw.warnings))


def structure(raw: RawDocument) -> Document:
    doc = assemble(raw)
    doc.header = parse_header(doc)
    parse_closing(doc)
    doc.sections = parse_sections(doc)
    return doc
