"""Extractors: one module per kind of item, each a pure function of the
structured :class:`~extract.model.Document`."""
from __future__ import annotations

from ..model import Document, Extraction


def run_all(doc: Document) -> Extraction:
    return Extraction(document=doc)
