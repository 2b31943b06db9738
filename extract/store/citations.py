"""The store's references resolved (:mod:`extract.resolve`) into ``citations``.

One row per reference of a counted file (a document in several files cites
through its kept file): its canonical key, the stored document it resolves
to (the kept file of that document) or, unresolved, its candidates. The
``links`` view is the resolved rows. ``vanban run`` calls :func:`resolve_all`
after grouping, so a document stored later resolves the references to it.
"""
from __future__ import annotations

import json
import sqlite3

from .. import resolve
from ..normalize import fold_chars




def targets(conn) -> list[resolve.Target]:
    out = []
    for i, number, doc_type, date, issuer, parent, place, ocr in conn.execute(
            "SELECT id, number, doc_type, date, issuer, issuer_parent, place, ocr_pages FROM documents_once"):
        k = resolve.document_key(number, doc_type, date,
                                 province=resolve.document_province(issuer, parent, place, number),
                                 ocr=bool(json.loads(ocr or "[]")))
        if k is not None:
            who = fold_chars(" ".join(x for x in (issuer, parent) if x)).lower()
            out.append(resolve.Target(i, k, who))
    return out


def resolve_all(conn) -> int:
    """Resolve every counted reference anew; the number resolved."""
    stored = targets(conn)
    by_code, by_id = resolve.index(stored), {t.doc_id: t.key for t in stored}
    provinces = {i: resolve.document_province(issuer, parent, place, number)
                 for i, issuer, parent, place, number in conn.execute(
                     "SELECT id, issuer, issuer_parent, place, number FROM documents_once")}
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    found = []
    for r in cur.execute("SELECT r.* FROM refs r JOIN documents_once d ON d.id = r.doc_id").fetchall():
        k = resolve.reference_key(_Ref(r), citing_province=provinces.get(r["doc_id"]))
        found.append((r, k, resolve.resolve(k, r["issuer"], by_code, citing_id=r["doc_id"])))
    # a key naming no province is grouped with the one province it can be (resolve.canonical)
    known = resolve.provinces_known([k for _, k, _ in found] + [t.key for t in stored])
    rows = []
    for r, k, res in found:
        k = resolve.canonical(k, known, by_id.get(res.doc_id))
        rows.append((r["doc_id"], r["idx"], str(k) if k else None, res.doc_id, json.dumps(res.candidates),
                     res.reason))
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM citations")
        conn.executemany("INSERT INTO citations VALUES (?,?,?,?,?,?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return sum(1 for r in rows if r[3] is not None)


class _Ref:
    """A stored reference row read as a :class:`~extract.model.Reference` is."""
    __slots__ = ("number", "year", "type_code", "issuer_code", "sub_unit", "doc_type", "date", "issuer", "code")

    def __init__(self, row):
        for a in self.__slots__:
            setattr(self, a, row[a])


def cites(conn, doc_id: int) -> list[dict]:
    """Each reference of a document: its key, the document it resolves to, else its candidates."""
    out = []
    for idx, code, key, text, ref_key, cited, cands in conn.execute(
            "SELECT r.idx, r.code, r.code_key, r.text, x.ref_key, x.cited_id, x.candidates FROM refs r "
            "LEFT JOIN citations x ON x.doc_id = r.doc_id AND x.idx = r.idx WHERE r.doc_id = ? ORDER BY r.idx",
            (doc_id,)):
        out.append({"idx": idx, "code": code, "key": key, "ref_key": ref_key, "text": text, "doc_id": cited,
                    "candidates": json.loads(cands) if cands else []})
    return out


def citing(conn, ref_key: str) -> list[int]:
    """The documents citing one canonical key, stored or not."""
    return [r[0] for r in conn.execute("SELECT DISTINCT doc_id FROM citations WHERE ref_key = ? ORDER BY doc_id",
                                       (ref_key,))]
