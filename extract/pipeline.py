"""The composition: the only place that knows the order of the steps.

    file -> readers -> normalise + structure -> extractors -> Extraction
"""
from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from pathlib import Path

from . import __version__
from .model import Extraction
from .readers import DEFAULT_MAX_SIZE, read
from .structure import structure


def extractor_version() -> str:
    """The code's version and the rules' digest: a store re-extracts when either changes."""
    from . import ruleset

    return f"{__version__}+rules.{ruleset.digest()}"


def extract_document(doc) -> Extraction:
    from . import task_ids
    from .extractors import run_all

    ex = run_all(doc)
    task_ids.assign(ex)      # after extraction: ids depend on the task records and the document only
    return ex


def extract_file(path, max_size: int = DEFAULT_MAX_SIZE, ocr: bool = True, budget: float | None = None) -> Extraction:
    """``budget``: the seconds a batch gives the file (a text too long for it is refused at once)."""
    # the raw document is let go once structured: a long one's blocks are a copy of its text
    doc = structure(read(Path(path), max_size=max_size, ocr=ocr, budget=budget))
    return extract_document(doc)


_SCALARS = frozenset([str, int, float, bool, type(None)])
_FIELDS: dict[type, tuple[tuple[str, ...], object]] = {}


def _plain(obj):
    """A dataclass as plain dicts and lists. dataclasses.asdict deep-copies every
    value on the way, and was a fifth of a small document's cost; a class's
    field names and a getter of all of them are made once."""
    t = type(obj)
    if t in _SCALARS:
        return obj
    spec = _FIELDS.get(t)
    if spec is None and hasattr(obj, "__dataclass_fields__"):
        names = tuple(f.name for f in fields(obj))
        # attrgetter of several names gives a tuple; of one, the bare value
        get = attrgetter(*names) if len(names) > 1 else (lambda o, ns=names: tuple(getattr(o, n) for n in ns))
        spec = _FIELDS[t] = (names, get)
    if spec is not None:
        names, get = spec
        return {n: v if type(v) in _SCALARS else _plain(v) for n, v in zip(names, get(obj))}
    if isinstance(obj, list):
        return [x if type(x) in _SCALARS else _plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def _span(s):
    return None if s is None else {"start": s.start, "end": s.end, "page": s.page}


def to_json(ex: Extraction) -> dict:
    """The extraction as GUIDE.md's contract, plus provenance and structure."""
    doc = ex.document
    h = doc.header
    out = {
        "vanban_version": __version__,
        "source": {"path": doc.path, "sha256": doc.sha256, "format": doc.format,
                   "pages": doc.pages, "ocr_pages": doc.ocr_pages,
                   "ocr_confidence": {str(k): v for k, v in doc.ocr_confidence.items()}, "chars": len(doc.text)},
        "document": {
            "doc_type": h.doc_type, "doc_type_name": h.doc_type_name, "number": h.number,
            "symbol": h.symbol, "issuer": h.issuer, "issuer_parent": h.issuer_parent,
            "place": h.place, "date": h.date, "title": h.title,
            "recipients_to": h.recipients_to,
            "signer": _plain(doc.signer) if doc.signer else None,
            "recipients": doc.recipients,
            "spans": {k: _span(v) for k, v in h.spans.items()},
            # Tesseract's confidence (0-100) in the hand-filled fields of a scan's header
            "confidence": dict(doc.ocr_fields),
        },
        "sections": [_plain(s) for s in doc.sections],
        "footnotes": [_plain(f) for f in doc.footnotes],
        "references": [_plain(r) for r in ex.references],
        "deadlines": [_plain(d) for d in ex.deadlines],
        "tasks": [_plain(t) for t in ex.tasks],
        "metrics": [_plain(m) for m in ex.metrics],
        "entities": [_plain(e) for e in ex.entities],
        "warnings": doc.warnings,
        "text": doc.text,
    }
    return out
