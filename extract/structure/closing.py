"""Closing parts: where the body ends, "Nơi nhận", the signer block, footnotes."""
from __future__ import annotations

import regex

from ..model import Document, Footnote, Signer, Span
from ..normalize import fold

AUTHORITY = regex.compile(r"^(TM|KT|TL|TUQ|Q|Q\.)\.?\s+(.+)$")
NAME = regex.compile(r"^(?:\p{Lu}\p{Ll}*)(?:\s+\p{Lu}\p{Ll}*){1,5}$")
POSITION = regex.compile(r"^[\p{Lu}\s,.-]+$")


def _lines(doc: Document, start: int, end: int):
    pos = start
    for line in doc.text[start:end].split("\n"):
        yield line.strip(), pos
        pos += len(line) + 1


# "./." closes the body of an official text
END_MARK = regex.compile(r"\.\s?/\s?\.\s*$")


def parse_closing(doc: Document) -> None:
    body = [b for b in doc.blocks if b.kind != "footnote" and b.start >= doc.header.body_start]
    end = None
    recipients_block = None
    for b in body:
        text = doc.text[b.start:b.end]
        if fold(text[:12]).startswith("noi nhan"):
            end = b.start if end is None else end
            recipients_block = b
            break
        if end is None and b.kind == "para" and END_MARK.search(text):
            end = b.end
    doc.body_end = end
    # Signer: an authority line, then positions in capitals, then a name.
    tail_start = end if end is not None else (body[-1].start if body else 0)
    signer = None
    lines = list(_lines(doc, tail_start, len(doc.text)))
    for i, (line, pos) in enumerate(lines):
        for cell in line.split(" | "):
            m = AUTHORITY.match(cell.strip())
            if m and POSITION.match(m.group(2)):
                signer = Signer(authority=m.group(1).rstrip(".") + ".", on_behalf_of=m.group(2).strip())
                for x, _ in lines[i + 1:i + 12]:
                    x = x.split(" | ")[-1].strip()
                    if not x:
                        continue
                    if NAME.match(x):
                        signer.name = x
                        break
                    if POSITION.match(x) and signer.position is None:
                        signer.position = x
                signer.span = Span(pos, pos + len(line), doc.page_at(pos))
                break
        if signer:
            break
    if signer is None:
        # No authority prefix: a position in capitals, then a personal name.
        for i, (line, pos) in enumerate(lines):
            cell = line.split(" | ")[-1].strip()
            if POSITION.match(cell) and len(cell.split()) <= 6 and any(w in cell for w in ("GIÁM ĐỐC", "CHỦ TỊCH", "TRƯỞNG", "BỘ TRƯỞNG", "CHÁNH")):
                rest = [x.split(" | ")[-1].strip() for x, _ in lines[i + 1:i + 12] if x]
                name = next((x for x in rest if NAME.match(x)), None)
                signer = Signer(position=cell, name=name, span=Span(pos, pos + len(line), doc.page_at(pos)))
                break
    doc.signer = signer
    doc.appendix_start = _appendix_start(doc, signer.span.end if signer and signer.span else (end or len(doc.text)))
    # Recipients: the "- X;" lines after "Nơi nhận" (or closing the body).
    recips = []
    zone = recipients_block.start if recipients_block else (end or len(doc.text))
    stop = doc.signer.span.start if doc.signer and doc.signer.span and doc.signer.span.start > zone else len(doc.text)
    if recipients_block and recipients_block.kind == "row":
        stop = len(doc.text)
    footnote_start = min((b.start for b in doc.blocks if b.kind == "footnote"), default=len(doc.text))
    for line, _ in _lines(doc, zone, min(stop, footnote_start)):
        if len(line) > 200:
            continue
        if recipients_block is None and line and not line.startswith("-"):
            break       # without "Nơi nhận", only the "- X;" lines right after the body
        for cell in line.split(" | "):
            cell = cell.strip()
            for part in regex.split(r"(?=(?:^|\s)-\s)", cell):
                part = part.strip()
                if part.startswith("-"):
                    item = part.lstrip("- ").rstrip(";.,").strip()
                    if item and len(item) < 150:
                        recips.append(item)
    doc.recipients = recips
    doc.footnotes = [
        Footnote(anchor=b.anchor or str(i + 1), text=doc.text[b.start:b.end], span=Span(b.start, b.end, b.page))
        for i, b in enumerate(x for x in doc.blocks if x.kind == "footnote")
    ]


# A text issued with the document, after its signature: "QUY CHẾ ...",
# "Phụ lục I", "(Ban hành kèm theo Quyết định số ...)".
_APPENDIX = regex.compile(
    r"^(?:\(?(?:ban hành )?kèm theo\b|phụ lục\b|quy chế\b|quy định\b|điều lệ\b|hướng dẫn\b|danh mục\b|"
    r"kế hoạch\b|chương trình\b|đề án\b|phương án\b|nội dung\b|bảng\b|biểu\b)", regex.I)


def _appendix_start(doc: Document, after: int) -> int | None:
    """Where a text issued with the document begins, after its signature."""
    for b in doc.blocks:
        if b.start < after or b.kind == "footnote":
            continue
        t = doc.text[b.start:b.end].strip()
        if b.kind == "para" and _APPENDIX.match(t) and (t.isupper() or t[:1] in "(P" or len(t) < 80):
            return b.start
    return None
