"""The store's files grouped into documents (:mod:`extract.grouping`).

:func:`regroup` reads each stored file's header and text sketch, groups them
and writes the ``document_files`` table; ``vanban run`` calls it after every
run. Pairs kept apart come from ``rules/grouping.yaml`` and the store's
``kept_apart`` table (``vanban groups --apart A B``).
"""
from __future__ import annotations

import json
import sqlite3

from .. import grouping, ruleset
from ..extractors.references import code_key
from ..normalize import fold_chars


def settings(conn) -> grouping.Settings:
    try:
        data = ruleset.load("grouping.yaml")
    except FileNotFoundError:
        data = None
    return grouping.Settings.from_rules(data, conn.execute("SELECT a, b FROM kept_apart").fetchall())


def _number_key(number: str | None) -> str | None:
    key = code_key(number) if number else None
    # "Số: /TB-SCT" (a blank number) names no document; a real one has digits
    return key if key and any(c.isdigit() for c in key) else None


def _sketches(conn, s: grouping.Settings) -> dict[int, tuple[int, ...]]:
    """Every stored file's sketch, made (and kept) for those that have none
    (a batch's workers make each new file's sketch with its rows)."""
    have = {i: tuple(json.loads(v)) for i, v in conn.execute("SELECT doc_id, sketch FROM text_sketches")}
    new = []
    for i, text in conn.execute("SELECT id, text FROM documents WHERE id NOT IN (SELECT doc_id FROM text_sketches)"):
        have[i] = grouping.sketch(text or "", s.shingle, s.sketch)
        new.append((i, json.dumps(have[i])))
    if new:
        conn.executemany("INSERT OR REPLACE INTO text_sketches VALUES (?, ?)", new)
    return have


def facts(conn, s: grouping.Settings) -> list[grouping.FileFacts]:
    sk = _sketches(conn, s)
    out = []
    for i, path, fmt, doc_type, number, issuer, parent, date, ocr, signer in conn.execute(
            "SELECT id, path, format, doc_type, number, issuer, issuer_parent, date, ocr_pages, signer_name "
            "FROM documents ORDER BY id"):
        who = " ".join(x for x in (issuer, parent) if x)
        out.append(grouping.FileFacts(
            doc_id=i, path=path, format=fmt, doc_type=doc_type, number_key=_number_key(number),
            issuer=fold_chars(who).lower() or None, date=date, ocr=bool(json.loads(ocr or "[]")),
            signed=bool(signer), sketch=sk.get(i, ())))
    return out


def _similarity(conn, s: grouping.Settings):
    cache: dict[int, set] = {}

    def shingles(doc_id):
        if doc_id not in cache:
            (text,) = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            cache[doc_id] = grouping.shingle_set(text or "", s.shingle)
        return cache[doc_id]

    return lambda a, b: grouping.jaccard(shingles(a.doc_id), shingles(b.doc_id))


def regroup(conn) -> list[list[grouping.Member]]:
    """Group the store's files anew and write ``document_files``; the groups."""
    s = settings(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        groups = grouping.group(facts(conn, s), _similarity(conn, s), s)
        conn.execute("DELETE FROM document_files")
        conn.executemany("INSERT INTO document_files VALUES (?,?,?,?,?)",
                         [(m.doc_id, m.group_id, m.header_id, m.role, m.reason) for g in groups for m in g])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return groups


def keep_apart(conn, a: str, b: str) -> None:
    """Two files (by stored path) are not one document, whatever their texts say."""
    conn.execute("INSERT OR IGNORE INTO kept_apart VALUES (?, ?)", tuple(sorted((a, b))))


def listing(conn) -> list[dict]:
    """Each group of files: the document's header and every file with its role."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    out = []
    for d in cur.execute("SELECT id, number, date, issuer, doc_type, title FROM documents_once WHERE n_files > 0 "
                         "ORDER BY coalesce(date, ''), path").fetchall():
        files = [dict(r) for r in cur.execute(
            "SELECT f.doc_id, d.path, d.format, f.role, f.reason, d.n_tasks, f.doc_id = f.group_id AS kept, "
            "f.doc_id = f.header_id AS header FROM document_files f JOIN documents d ON d.id = f.doc_id "
            "WHERE f.group_id = ? ORDER BY d.path", (d["id"],))]
        out.append({**dict(d), "files": files})
    return out


def files_of(conn, doc_id: int) -> list[dict]:
    """The files that are the document of ``doc_id`` (itself alone when it is in no group)."""
    g = conn.execute("SELECT group_id FROM document_files WHERE doc_id = ?", (doc_id,)).fetchone()
    if g is None:
        return [{"path": p, "role": None, "format": f, "doc_id": i}
                for i, p, f in conn.execute("SELECT id, path, format FROM documents WHERE id = ?", (doc_id,))]
    return [{"path": p, "role": r, "format": f, "doc_id": i} for i, p, f, r in conn.execute(
        "SELECT d.id, d.path, d.format, f.role FROM document_files f JOIN documents d ON d.id = f.doc_id "
        "WHERE f.group_id = ? ORDER BY d.path", (g[0],))]
