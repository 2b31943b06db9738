"""An extraction's rows for the store, made straight from its records.

Rows are tuples that share the records' strings: not the JSON form of the
extraction, whose dict per item took more memory than the extraction itself
on a long document. Batch workers make the rows and let the records go, so
what crosses to the process that writes the store is tuples; a long
document's rows cross as a :class:`Spool` file, written and read back a
chunk at a time.
"""
from __future__ import annotations

import json
import os
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from ..model import Extraction, Span


@dataclass(slots=True)
class Rows:
    """One document's rows, each without its ``doc_id`` (known only on insert).

    ``document`` holds the documents row from ``sha256`` on (:data:`DOC_COLUMNS`);
    the file's own facts (path, size, mtime, the extractor's version) are
    given when it is written."""
    document: tuple
    sections: list[tuple] = field(default_factory=list)
    refs: list[tuple] = field(default_factory=list)
    deadlines: list[tuple] = field(default_factory=list)
    tasks: list[tuple] = field(default_factory=list)
    metrics: list[tuple] = field(default_factory=list)
    entities: list[tuple] = field(default_factory=list)
    passages: list[tuple] = field(default_factory=list)   # kind, section, unit, start, end, page, text
    sketches: list[tuple] = field(default_factory=list)   # the text's sketch for grouping, made in the worker

    @property
    def sha256(self) -> str:
        return self.document[0]

    def table(self, name: str) -> list[tuple]:
        return getattr(self, name)

    def release(self) -> None:
        """Nothing to let go: the rows are in memory (see :meth:`Spool.release`)."""


DOC_COLUMNS = ("sha256", "format", "pages", "ocr_pages", "ocr_confidence", "chars", "doc_type", "doc_type_name",
               "number", "code_key", "symbol", "issuer", "issuer_parent", "place", "date", "title", "signer_name",
               "signer_position", "signer_authority", "recipients", "warnings", "n_references", "n_deadlines",
               "n_tasks", "n_metrics", "text")

CHILD_TABLES = ("sections", "refs", "deadlines", "tasks", "metrics", "entities", "sketches")


def _j(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def _sp(s: Span | None) -> tuple:
    return (None, None, None) if s is None else (s.start, s.end, s.page)


def _code_key(code):
    if not code:
        return None
    from ..extractors.references import code_key
    return code_key(code) or None


def document_row(ex: Extraction) -> tuple:
    doc, h = ex.document, ex.document.header
    text = doc.text or ""
    sg = doc.signer
    return (doc.sha256, doc.format, doc.pages, _j(doc.ocr_pages or []),
            _j({str(k): v for k, v in (doc.ocr_confidence or {}).items()}), len(text),
            h.doc_type, h.doc_type_name, h.number, _code_key(h.number), h.symbol, h.issuer, h.issuer_parent,
            h.place, h.date, h.title, sg.name if sg else None, sg.position if sg else None,
            sg.authority if sg else None, _j(doc.recipients or []), _j(doc.warnings or []),
            len(ex.references), len(ex.deadlines), len(ex.tasks), len(ex.metrics), text)


def table_rows(ex: Extraction, table: str) -> Iterator[tuple]:
    """One table's rows of an extraction, made as they are read."""
    if table == "sections":
        return ((s.id, s.label, s.kind, s.level, s.heading, s.parent, s.start, s.end, s.page)
                for s in ex.document.sections)
    if table == "refs":
        return ((i, r.code, _code_key(r.code), r.number, r.year, r.type_code, r.issuer_code, r.sub_unit,
                 r.doc_type, r.date, r.issuer, r.text, r.section, *_sp(r.mentions[0] if r.mentions else None),
                 _j([{"start": m.start, "end": m.end, "page": m.page} for m in r.mentions]))
                for i, r in enumerate(ex.references))
    if table == "deadlines":
        return ((i, x.date, x.text, x.kind, x.task, x.section, x.clause, *_sp(x.span))
                for i, x in enumerate(ex.deadlines))
    if table == "tasks":
        return ((i, t.text, t.unit, t.unit_canonical, _j(t.co_units or []), t.deadline, t.deadline_text,
                 t.section, *_sp(t.span), tid) for i, (t, tid) in enumerate(zip(ex.tasks, _task_ids(ex))))
    if table == "metrics":
        return ((i, m.value, m.unit, m.unit_canonical, m.total, m.qualifier, m.comparison, m.measure, m.text,
                 m.section, *_sp(m.span)) for i, m in enumerate(ex.metrics))
    if table == "entities":
        return ((i, e.text, e.label, e.canonical, e.part_of, e.source, e.section, *_sp(e.span))
                for i, e in enumerate(ex.entities))
    if table == "passages":
        return passages(ex)
    if table == "sketches":
        return iter([(_sketch(ex.document.text or ""),)])
    raise ValueError(f"no table {table!r}")


def _sketch(text: str) -> str:
    """The text's bottom-k sketch (:mod:`extract.grouping`) as stored: made
    here, in a batch's worker, not in the one process that writes the store
    (where it was a tenth of an archive run, after the workers were done)."""
    from .. import grouping, ruleset

    try:
        data = ruleset.load("grouping.yaml")
    except FileNotFoundError:
        data = None
    s = grouping.Settings.from_rules(data)
    return json.dumps(grouping.sketch(text, s.shingle, s.sketch))


def rows(ex: Extraction) -> Rows:
    """Every row of one extraction, built before anything is written: a
    malformed extraction fails here and leaves the database untouched."""
    return Rows(document_row(ex), **{t: list(table_rows(ex, t)) for t in (*CHILD_TABLES, "passages")})


# A document whose text is longer than this goes from a batch worker to the
# writing process as a spool file rather than a message: sent whole, its rows
# were held three times on the way (the rows, the pickled message, and its
# copy in the parent), a third of the memory a 45 MB document took.
SPOOL_CHARS = 1_000_000
CHUNK_ROWS = 5_000


@dataclass(slots=True)
class Spool:
    """One document's rows in a file: the document row, then each table's rows
    in pickled chunks, read back a chunk at a time while they are written
    to the store. Only the file's path and where each table lies in it cross
    between processes."""
    path: str
    sha256: str
    spans: dict[str, tuple[int, int]]      # "document" or a table -> (first byte, end) in the file

    @property
    def document(self) -> tuple:
        with open(self.path, "rb") as f:
            f.seek(self.spans["document"][0])
            return pickle.load(f)

    def table(self, name: str) -> Iterator[tuple]:
        start, end = self.spans[name]
        with open(self.path, "rb") as f:
            f.seek(start)
            while f.tell() < end:
                yield from pickle.load(f)

    def release(self) -> None:
        """Remove the file, once the rows are committed (or refused for good)."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def spool(ex: Extraction, folder: str) -> Spool:
    """Write an extraction's rows to a new file in ``folder``, a chunk at a
    time: the rows are never all in memory beside the records."""
    fd, path = tempfile.mkstemp(prefix="rows-", suffix=".pickle", dir=folder)
    spans = {}
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(document_row(ex), f, protocol=pickle.HIGHEST_PROTOCOL)
            spans["document"] = (0, f.tell())
            for table in (*CHILD_TABLES, "passages"):
                start, it = f.tell(), table_rows(ex, table)
                while chunk := list(islice(it, CHUNK_ROWS)):
                    pickle.dump(chunk, f, protocol=pickle.HIGHEST_PROTOCOL)
                spans[table] = (start, f.tell())
    except BaseException:          # a failure or the file's time budget: no file left behind
        os.unlink(path)
        raise
    return Spool(path, ex.document.sha256, spans)


def prepare(ex: Extraction, spool_dir: str | None = None, spool_chars: int = SPOOL_CHARS) -> Rows | Spool:
    """What a batch worker sends for one extraction: its rows, or for a long
    document (with somewhere to put it) a spool file of them."""
    if spool_dir is not None and len(ex.document.text or "") > spool_chars:
        return spool(ex, spool_dir)
    return rows(ex)


def _task_ids(ex: Extraction) -> list[str | None]:
    """The tasks' ids as the pipeline gave them; computed (not set) for an extraction made without them."""
    if all(t.id for t in ex.tasks):
        return [t.id for t in ex.tasks]
    from ..task_ids import document_identity, task_ids

    h = ex.document.header
    ident = document_identity(number=h.number, issuer=h.issuer, issuer_parent=h.issuer_parent,
                              date=h.date, text=ex.document.text)
    return task_ids(ident, [(t.text, t.unit_canonical or t.unit) for t in ex.tasks])


def passages(ex: Extraction) -> Iterator[tuple]:
    """What search returns, as (kind, section, unit, start, end, page, text):
    the title block, each section's own text, the text outside every section,
    and each task."""
    doc, h = ex.document, ex.document.header
    text = doc.text or ""
    title = " — ".join(x for x in (h.number, h.issuer, h.doc_type_name, h.title) if x)
    if title:
        yield ("title", None, None, 0, 0, 1 if doc.pages else None, title)
    secs = sorted(doc.sections, key=lambda s: (s.start, -s.end))
    covered = []
    for i, s in enumerate(secs):
        # A section's own text runs to its first child (or its end).
        own_end = s.end
        for j in range(i + 1, len(secs)):       # by index: a slice per section copied the list (quadratic)
            c = secs[j]
            if c.start >= s.end:
                break
            if c.parent == s.id:
                own_end = c.start
                break
        chunk = text[s.start:own_end]
        if chunk.strip():
            yield ("section", s.id, None, s.start, own_end, s.page, chunk)
        covered.append((s.start, s.end))
    # Text outside every section (a preamble, or a body with no numbered parts).
    pos, body_end = 0, len(text)
    for a, b in sorted(covered) + [(body_end, body_end)]:
        if a > pos and text[pos:a].strip():
            yield ("body", None, None, pos, a, None, text[pos:a])
        pos = max(pos, b)
    for t in ex.tasks:
        s0, e0, pg = _sp(t.span)
        yield ("task", t.section, t.unit_canonical or t.unit, s0 or 0, e0 or 0, pg, t.text)
