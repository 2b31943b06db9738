"""What two files of one document must share: header fields, section tree
and items, each item compared by its text and checked against the raw text
its offsets map back to."""
from __future__ import annotations

from extract.normalize import normalize_text

HEADER_FIELDS = ("doc_type", "number", "symbol", "issuer", "issuer_parent", "place", "date", "title")


def _squeeze(s: str) -> str:
    return " ".join(s.split())


def mapped_back(doc, span) -> str:
    """The raw text an item's offsets point back to, normalised as the document is."""
    a = doc.offsets[span.start]
    b = doc.offsets[span.end]      # up to the next character: a last letter's tone mark typed apart is in
    return _squeeze(normalize_text(doc.raw_text[a:b]))


def summary(ex) -> dict:
    doc = ex.document
    h = doc.header
    items = {"tasks": [], "deadlines": [], "references": [], "metrics": []}
    for t in ex.tasks:
        items["tasks"].append((_squeeze(doc.text[t.span.start:t.span.end]), t.unit, t.deadline))
    for d in ex.deadlines:
        items["deadlines"].append((_squeeze(doc.text[d.span.start:d.span.end]), d.date))
    for r in ex.references:
        items["references"].append((r.code, r.date, len(r.mentions)))
    for m in ex.metrics:
        items["metrics"].append((_squeeze(doc.text[m.span.start:m.span.end]), m.value, m.unit))
    for kind, spans in (("tasks", [t.span for t in ex.tasks]), ("deadlines", [d.span for d in ex.deadlines]),
                        ("metrics", [m.span for m in ex.metrics]),
                        ("references", [s for r in ex.references for s in r.mentions])):
        for s in spans:
            assert mapped_back(doc, s) == _squeeze(doc.text[s.start:s.end]), (kind, doc.text[s.start:s.end])
    return {
        "header": {f: getattr(h, f) for f in HEADER_FIELDS},
        "sections": [(s.label, s.kind, s.level, _squeeze(s.heading)) for s in doc.sections],
        **items,
    }
