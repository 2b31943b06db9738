"""What a document's page needs from the store: the document back as an
:class:`~extract.model.Extraction` (its rows hold every item with its
offsets into the stored text), where its PDF pages begin, and its relations
(the files it is in, what it cites, what cites it).

A document's files are its group's (:mod:`.groups`); what it cites and what
cites it come from the ``links`` view.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from ..model import (Deadline, Document, Entity, Extraction, Header, Metric, Reference, Section, Signer, Span,
                     Task)


def _span(r) -> Span | None:
    return None if r["start"] is None else Span(r["start"], r["end"], r["page"])


def _json(v, default):
    return json.loads(v) if v else default


def document_ids(conn) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM documents_once ORDER BY coalesce(date, ''), path")]


def has_document(conn, doc_id: int) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


def doc_id_of(conn, path, sha256: str | None = None) -> int | None:
    """The stored document of a file: by its path as ``vanban run`` keeps it
    (resolved), else by its content when exactly one stored file has it."""
    p = Path(path)
    for key in dict.fromkeys((str(p.resolve()) if p.exists() else str(p), str(p), os.path.abspath(p))):
        r = conn.execute("SELECT id FROM documents WHERE path = ?", (key,)).fetchone()
        if r:
            return r[0]
    if sha256:
        rows = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    return None


def extraction(conn, doc_id: int) -> Extraction:
    """A stored document and its items, as the extraction that was stored
    (the reader's blocks and raw text are not kept: offsets point into the
    stored normalised text). The file kept for a document in several files
    shows the document's header: the draft's text under its signed scan's
    number and date (:mod:`.groups`)."""
    from . import HEADER_COLUMNS

    cur = conn.cursor()
    cur.row_factory = sqlite3.Row         # by column name, whatever the connection's own factory
    d = cur.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if d is None:
        raise KeyError(doc_id)
    once = cur.execute(f"SELECT {', '.join(HEADER_COLUMNS)} FROM documents_once WHERE id = ?", (doc_id,)).fetchone()
    d = {**dict(d), **dict(once)} if once is not None else dict(d)

    def rows(table):
        return cur.execute(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY "
                            + ("start, id" if table == "sections" else "idx"), (doc_id,)).fetchall()

    header = Header(doc_type=d["doc_type"], doc_type_name=d["doc_type_name"], number=d["number"],
                    symbol=d["symbol"], issuer=d["issuer"], issuer_parent=d["issuer_parent"], place=d["place"],
                    date=d["date"], title=d["title"])
    signer = (Signer(authority=d["signer_authority"], position=d["signer_position"], name=d["signer_name"])
              if d["signer_name"] or d["signer_position"] else None)
    doc = Document(path=d["path"], format=d["format"], sha256=d["sha256"], pages=d["pages"], text=d["text"] or "",
                   blocks=[], offsets=[], raw_text="", header=header, signer=signer,
                   recipients=_json(d["recipients"], []), ocr_pages=_json(d["ocr_pages"], []),
                   ocr_confidence={int(k): v for k, v in _json(d["ocr_confidence"], {}).items()},
                   warnings=_json(d["warnings"], []),
                   sections=[Section(s["id"], s["label"], s["kind"], s["level"], s["heading"], s["parent"],
                                     s["start"], s["end"], s["start"], s["page"]) for s in rows("sections")])
    ex = Extraction(document=doc)
    for r in rows("refs"):
        ex.references.append(Reference(
            code=r["code"], doc_type=r["doc_type"], date=r["date"], number=r["number"], year=r["year"],
            type_code=r["type_code"], issuer_code=r["issuer_code"], sub_unit=r["sub_unit"], issuer=r["issuer"],
            text=r["text"] or "", section=r["section"],
            mentions=[Span(m["start"], m["end"], m.get("page")) for m in _json(r["mentions"], [])]))
    for r in rows("deadlines"):
        ex.deadlines.append(Deadline(date=r["date"], text=r["text"] or "", kind=r["kind"], span=_span(r),
                                     task=r["task_idx"], section=r["section"], clause=r["clause"] or ""))
    for r in rows("tasks"):
        ex.tasks.append(Task(text=r["text"] or "", unit=r["unit"], unit_canonical=r["unit_canonical"],
                             co_units=_json(r["co_units"], []), deadline=r["deadline"],
                             deadline_text=r["deadline_text"], span=_span(r), section=r["section"], id=r["task_id"]))
    for r in rows("metrics"):
        ex.metrics.append(Metric(value=r["value"], unit=r["unit"], unit_canonical=r["unit_canonical"],
                                 total=r["total"], qualifier=r["qualifier"], comparison=r["comparison"],
                                 measure=r["measure"], text=r["text"] or "", span=_span(r), section=r["section"]))
    for r in rows("entities"):
        ex.entities.append(Entity(text=r["text"] or "", label=r["label"], canonical=r["canonical"], span=_span(r),
                                  source=r["source"] or "rule", part_of=r["part_of"], section=r["section"]))
    return ex


def page_starts(conn, doc_id: int) -> list[tuple[int, int]]:
    """Where each page begins, as near as the store says: the first stored
    passage or section on it (the reader's blocks are not stored)."""
    firsts = dict(conn.execute(
        "SELECT page, min(start) FROM (SELECT page, start FROM passages WHERE doc_id = ?1 "
        "UNION ALL SELECT page, start FROM sections WHERE doc_id = ?1) WHERE page IS NOT NULL GROUP BY page",
        (doc_id,)).fetchall())
    out, last = [], -1
    for page in sorted(firsts):
        if firsts[page] >= last:          # pages go forward in the text
            out.append((firsts[page], page))
            last = firsts[page]
    return out


def names(conn, ids) -> dict[int, str]:
    """A short name for each document: its number (a group's: the draft kept for its
    items is named by its signed scan's number), else its file's name."""
    ids = list(dict.fromkeys(i for i in ids if i is not None))
    if not ids:
        return {}
    q = (f"SELECT d.id, coalesce(o.number, d.number), d.path FROM documents d "
         f"LEFT JOIN documents_once o ON o.id = d.id WHERE d.id IN ({','.join('?' * len(ids))})")
    return {i: n or Path(p).name for i, n, p in conn.execute(q, ids)}


def group_of(conn, doc_id: int) -> int:
    """The file whose items stand for the document ``doc_id`` is a file of (itself, alone)."""
    g = conn.execute("SELECT group_id FROM document_files WHERE doc_id = ?", (doc_id,)).fetchone()
    return g[0] if g else doc_id


def files_of(conn, doc_id: int) -> list[dict]:
    """The files that are this document, each with its role (draft, signed, copy)."""
    from .groups import files_of as group_files

    return group_files(conn, doc_id)


def cites(conn, doc_id: int) -> list[dict]:
    """Each reference of the document as the store resolved it (:mod:`.citations`): the
    stored document it cites, else the candidates it may be."""
    from .citations import cites as resolved

    return resolved(conn, doc_id)


def cited_by(conn, doc_id: int) -> list[dict]:
    """The stored documents that cite this one, each with the reference's text."""
    return [{"doc_id": c, "path": p, "number": n, "text": t}
            for c, p, n, t in conn.execute(
                "SELECT l.citing_id, l.citing_path, l.citing_number, r.text FROM links l "
                "JOIN refs r ON r.doc_id = l.citing_id AND r.idx = l.ref_idx WHERE l.cited_id = ? "
                "ORDER BY l.citing_path, l.ref_idx", (doc_id,))]


def relations(conn, doc_id: int, href=lambda doc_id: None, *, page_starts_from_store: bool = True):
    """A stored document's :class:`~extract.page.Relations`; ``href`` gives the
    address of a document's own page (None: it has none, so no link)."""
    from ..page import Relations

    # a document in several files cites, and is cited, through its kept file
    kept = group_of(conn, doc_id)
    files, refs, citing = files_of(conn, doc_id), cites(conn, kept), cited_by(conn, kept)
    ids = [doc_id, *(f["doc_id"] for f in files), *(c["doc_id"] for c in refs),
           *(d for c in refs for d in c["candidates"]), *(c["doc_id"] for c in citing)]
    ids = [i for i in dict.fromkeys(ids) if i is not None]
    hrefs = {i: h for i in ids if (h := href(i))}
    return Relations(doc_id=doc_id, files=files, cites=refs, cited_by=citing, pages=hrefs,
                     page_starts=page_starts(conn, doc_id) if page_starts_from_store else None,
                     names=names(conn, ids))


def listing(conn) -> list[dict]:
    """Every stored document for the index of pages, in date order."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    cited = dict(conn.execute("SELECT cited_id, count(DISTINCT citing_id) FROM links GROUP BY cited_id"))
    return [{**dict(r), "cited_by": cited.get(r["id"], 0)} for r in cur.execute(
        "SELECT id, path, format, doc_type, doc_type_name, number, date, issuer, title, n_tasks, n_references "
        "FROM documents_once ORDER BY coalesce(date, ''), path")]
