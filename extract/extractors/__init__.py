"""Extractors: one module per kind of item, each a pure function of the
structured :class:`~extract.model.Document`."""
from __future__ import annotations

from ..model import Document, Extraction


def run_all(doc: Document) -> Extraction:
    from .references import find_references

    ex = Extraction(document=doc)
    from .deadlines import find_deadlines

    ex.references = find_references(doc)
    ref_spans = [m for r in ex.references for m in r.mentions]
    ex.deadlines = find_deadlines(doc, ref_spans)
    from .metrics import find_metrics

    ex.metrics = find_metrics(doc, ref_spans)
    return ex
