"""The SQLite store: one row per document, its items in tables that join.

Everything is written from an extraction's records (:mod:`.to_rows`), the same
records ``pipeline.to_json`` prints, so the CLI and the store cannot drift apart. A
document is written whole or not at all: :func:`save` in its own transaction,
:class:`Writer` (batch runs) in transactions of many; a crash (even
``kill -9``) leaves no part of a document.

Full-text search indexes folded words (lower case, no diacritics, đ → d) in an
FTS5 table. FTS5's ``unicode61`` tokenizer with ``remove_diacritics 2`` takes
case and every Vietnamese diacritic off by itself, in C; it leaves "đ", a
letter of its own, so the text goes in with đ → d (:func:`index_text`) and the
index holds the same words as a full ``fold_chars`` would give (tested).
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ..model import Extraction
from .to_rows import CHILD_TABLES, DOC_COLUMNS, Rows, Spool, passages, prepare, rows, spool  # noqa: F401 (API)


SCHEMA_VERSION = 2          # 2: tasks.task_id, task_status

# A document's header: a group of files takes each field from its best file
# (the signed one's number and date), the rest from the kept file.
HEADER_COLUMNS = ("doc_type", "doc_type_name", "number", "code_key", "symbol", "issuer", "issuer_parent", "place",
                  "date", "title", "signer_name", "signer_position", "signer_authority")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: a replaced document gets a new id
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    format TEXT,
    pages INTEGER,
    ocr_pages TEXT,              -- JSON list: pages without a usable text layer
    ocr_confidence TEXT,         -- JSON {page: Tesseract's mean confidence} for pages read by OCR
    chars INTEGER,
    extractor_version TEXT NOT NULL,
    extracted_at TEXT,
    doc_type TEXT,
    doc_type_name TEXT,
    number TEXT,
    code_key TEXT,               -- number folded to [0-9a-z], the join key of links
    symbol TEXT,
    issuer TEXT,
    issuer_parent TEXT,
    place TEXT,
    date TEXT,                   -- ISO yyyy-mm-dd
    title TEXT,
    signer_name TEXT,
    signer_position TEXT,
    signer_authority TEXT,
    recipients TEXT,             -- JSON list
    warnings TEXT,               -- JSON list
    n_references INTEGER, n_deadlines INTEGER, n_tasks INTEGER, n_metrics INTEGER,
    text TEXT                    -- the normalised text all offsets point into
);
CREATE INDEX IF NOT EXISTS documents_code_key ON documents(code_key);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);

CREATE TABLE IF NOT EXISTS sections (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL, label TEXT, kind TEXT, level INTEGER, heading TEXT, parent TEXT,
    start INTEGER, "end" INTEGER, page INTEGER,
    PRIMARY KEY (doc_id, id)
);

CREATE TABLE IF NOT EXISTS refs (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    code TEXT, code_key TEXT, number TEXT, year INTEGER, type_code TEXT, issuer_code TEXT,
    sub_unit TEXT, doc_type TEXT, date TEXT, issuer TEXT, text TEXT, section TEXT,
    start INTEGER, "end" INTEGER, page INTEGER,
    mentions TEXT,               -- JSON list of {start, end, page}
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX IF NOT EXISTS refs_code_key ON refs(code_key);

CREATE TABLE IF NOT EXISTS deadlines (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    date TEXT, text TEXT, kind TEXT, task_idx INTEGER, section TEXT, clause TEXT,
    start INTEGER, "end" INTEGER, page INTEGER,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS tasks (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT, unit TEXT, unit_canonical TEXT, co_units TEXT, deadline TEXT, deadline_text TEXT,
    section TEXT, start INTEGER, "end" INTEGER, page INTEGER,
    task_id TEXT,                -- stable across re-runs (extract.task_ids); last, as a migration adds it
    PRIMARY KEY (doc_id, idx)
);

-- What the office says of a task (imported from its workbook), kept by task
-- id: it outlives the task rows, which a re-extraction replaces.
CREATE TABLE IF NOT EXISTS task_status (
    task_id TEXT PRIMARY KEY,
    status TEXT,
    note TEXT,
    source TEXT,                 -- the workbook it came from
    updated_at TEXT
);

CREATE TABLE IF NOT EXISTS metrics (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    value REAL, unit TEXT, unit_canonical TEXT, total REAL, qualifier TEXT, comparison TEXT,
    measure TEXT, text TEXT, section TEXT, start INTEGER, "end" INTEGER, page INTEGER,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS entities (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT, label TEXT, canonical TEXT, part_of TEXT, source TEXT, section TEXT,
    start INTEGER, "end" INTEGER, page INTEGER,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE IF NOT EXISTS errors (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    reason TEXT NOT NULL,
    extractor_version TEXT,
    at TEXT
);

-- What full-text search finds: the title block, each section's own text,
-- body text outside any section, and each task.
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,          -- title | section | body | task
    section TEXT,
    unit TEXT,
    start INTEGER, "end" INTEGER, page INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    folded, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    DELETE FROM passages_fts WHERE rowid = old.id;
END;

-- Files that are one document (extract.grouping, written by store.groups after
-- each run): a row per file of a group of two or more; a file alone has none.
CREATE TABLE IF NOT EXISTS document_files (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL,   -- the kept file: its tasks, references, deadlines and metrics are counted
    header_id INTEGER NOT NULL,  -- the file whose header (number, date, ...) the document takes
    role TEXT NOT NULL,          -- draft | signed | copy
    reason TEXT
);
CREATE INDEX IF NOT EXISTS document_files_group ON document_files(group_id);

-- Files a user said are not one document (vanban groups --apart A B), by path.
CREATE TABLE IF NOT EXISTS kept_apart (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b));

-- Each stored text's bottom-k shingle sketch, so a run compares only new files' texts.
CREATE TABLE IF NOT EXISTS text_sketches (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    sketch TEXT NOT NULL         -- JSON list of hashes
);

-- One row per document: its kept file, with the header its best file gives.
CREATE VIEW IF NOT EXISTS documents_once AS
SELECT d.id, d.path, d.sha256, d.size, d.mtime_ns, d.format, d.pages, d.ocr_pages, d.ocr_confidence, d.chars,
       d.extractor_version, d.extracted_at,
       %(header)s,
       d.recipients, d.warnings, d.n_references, d.n_deadlines, d.n_tasks, d.n_metrics, d.text,
       (SELECT count(*) FROM document_files f WHERE f.group_id = d.id) AS n_files
FROM documents d
LEFT JOIN document_files g ON g.doc_id = d.id
LEFT JOIN documents h ON h.id = g.header_id
WHERE g.doc_id IS NULL OR g.group_id = d.id
   OR NOT EXISTS (SELECT 1 FROM documents k WHERE k.id = g.group_id);

-- Each reference of a counted file resolved (extract.resolve, written by
-- store.citations after each run): its canonical key, whether stored or not,
-- and the document it cites, or its candidates when it names none for sure.
CREATE TABLE IF NOT EXISTS citations (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    ref_key TEXT,                -- type|number|year|issuer, '?' where the reference does not say
    cited_id INTEGER,            -- the cited document (its kept file); NULL when unresolved
    candidates TEXT,             -- JSON list of the stored documents it may be
    reason TEXT,                 -- number, year and issuer | ambiguous | no year | not stored | no number
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX IF NOT EXISTS citations_key ON citations(ref_key);
CREATE INDEX IF NOT EXISTS citations_cited ON citations(cited_id);
""" % {"header": ",\n       ".join(f"coalesce(h.{c}, d.{c}) AS {c}" for c in HEADER_COLUMNS)}

# Which documents cite which: the resolved references only. A store made
# before resolution had a view joining on the code alone; it is made anew.
LINKS_VIEW = """
CREATE VIEW links AS
SELECT x.doc_id AS citing_id, c.path AS citing_path, c.number AS citing_number,
       d.id AS cited_id, d.path AS cited_path, d.number AS cited_number,
       r.code AS code, r.idx AS ref_idx
FROM citations x
JOIN refs r ON r.doc_id = x.doc_id AND r.idx = x.idx
JOIN documents_once d ON d.id = x.cited_id
JOIN documents_once c ON c.id = x.doc_id
"""


def connect(path) -> sqlite3.Connection:
    """Open (and create) a store. WAL keeps readers and a crash harmless."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=60, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA)
    _migrate(conn)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return conn


def _migrate(conn) -> None:
    """Bring a store made by an earlier vanban up to :data:`SCHEMA_VERSION`.

    Version 1 had no task ids: the column is added and filled from what the
    store already holds (each document's header and text, each task's text
    and unit), the same ids a fresh run gives, so nothing is re-extracted."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(tasks)")}
    if "task_id" not in cols:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if "task_id" not in {r[1] for r in conn.execute("PRAGMA table_info(tasks)")}:  # another process won
                conn.execute("ALTER TABLE tasks ADD COLUMN task_id TEXT")
                _fill_task_ids(conn)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    conn.execute("CREATE INDEX IF NOT EXISTS tasks_task_id ON tasks(task_id)")
    view = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'links'").fetchone()
    if view is None or "citations" not in view[0]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if (v := conn.execute("SELECT sql FROM sqlite_master WHERE name = 'links'").fetchone()) is None \
                    or "citations" not in v[0]:          # another process may have won
                conn.execute("DROP VIEW IF EXISTS links")
                conn.execute(LINKS_VIEW)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        # a store made before resolution: its references resolved now, not at the next run
        if conn.execute("SELECT 1 FROM refs LIMIT 1").fetchone() \
                and not conn.execute("SELECT 1 FROM citations LIMIT 1").fetchone():
            from .citations import resolve_all
            resolve_all(conn)


def _fill_task_ids(conn) -> None:
    from ..task_ids import document_identity, task_ids

    updates = []
    for d in conn.execute("SELECT id, number, issuer, issuer_parent, date, text FROM documents "
                          "WHERE id IN (SELECT doc_id FROM tasks)").fetchall():
        ident = document_identity(number=d[1], issuer=d[2], issuer_parent=d[3], date=d[4], text=d[5])
        rows = conn.execute("SELECT idx, text, coalesce(unit_canonical, unit) FROM tasks WHERE doc_id = ? "
                            "ORDER BY idx", (d[0],)).fetchall()
        for (idx, _t, _u), tid in zip(rows, task_ids(ident, [(r[1], r[2]) for r in rows])):
            updates.append((tid, d[0], idx))
    conn.executemany("UPDATE tasks SET task_id = ? WHERE doc_id = ? AND idx = ?", updates)


def connect_readonly(path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def current(conn, path: str) -> sqlite3.Row | None:
    """What the store knows of ``path``: sha256, size, mtime_ns, extractor_version."""
    return conn.execute(
        "SELECT id, sha256, size, mtime_ns, extractor_version FROM documents WHERE path = ?", (path,)
    ).fetchone()


def touch(conn, path: str, size: int, mtime_ns: int) -> None:
    """Same content under a new mtime: remember it, so the next run skips without hashing."""
    conn.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path))


def save(conn, data: Extraction | Rows | Spool, *, path: str, size: int, mtime_ns: int, version: str) -> int:
    """Store one extraction (or its rows, made ahead by :func:`prepare` in a
    worker), replacing any earlier one of ``path``.

    One transaction: the old rows go and the new ones arrive together.
    """
    r = as_rows(data)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            doc_id = _insert(conn, r, path=path, size=size, mtime_ns=mtime_ns, version=version)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        r.release()
    return doc_id


def as_rows(data: Extraction | Rows | Spool) -> Rows | Spool:
    return data if isinstance(data, (Rows, Spool)) else rows(data)


_INSERTS = {        # table -> its INSERT; a row comes without its doc_id, known on insert
    "sections": "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?,?)",
    "refs": "INSERT INTO refs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "deadlines": "INSERT INTO deadlines VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "tasks": 'INSERT INTO tasks (doc_id, idx, text, unit, unit_canonical, co_units, deadline, deadline_text, '
             'section, start, "end", page, task_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
    "metrics": "INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "entities": "INSERT INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "sketches": "INSERT OR REPLACE INTO text_sketches VALUES (?,?)",
}
_INSERT_DOCUMENT = (f"INSERT INTO documents (path, size, mtime_ns, extractor_version, extracted_at, "
                    f"{', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * (5 + len(DOC_COLUMNS)))})")


def _insert(conn, r: Rows | Spool, *, path: str, size: int, mtime_ns: int, version: str) -> int:
    """One document's rows, inside the caller's transaction; its earlier rows go."""
    conn.execute("DELETE FROM documents WHERE path = ?", (path,))
    conn.execute("DELETE FROM errors WHERE path = ?", (path,))
    doc_id = conn.execute(_INSERT_DOCUMENT, (path, size, mtime_ns, version, _now(), *r.document)).lastrowid
    for table in CHILD_TABLES:
        conn.executemany(_INSERTS[table], ((doc_id, *x) for x in r.table(table)))
    # Ids given here (inside this transaction nobody else writes) so both
    # tables take their rows in one executemany each; the index's text is
    # made as it goes in, not held beside the passages.
    first = (conn.execute("SELECT coalesce(max(id), 0) FROM passages").fetchone()[0]) + 1
    conn.executemany(
        'INSERT INTO passages (id, doc_id, kind, section, unit, start, "end", page, text) VALUES (?,?,?,?,?,?,?,?,?)',
        ((first + k, doc_id, *p) for k, p in enumerate(r.table("passages"))))
    conn.executemany("INSERT INTO passages_fts (rowid, folded) VALUES (?, ?)",
                     ((first + k, index_text(p[-1])) for k, p in enumerate(r.table("passages"))))
    return doc_id


def index_text(text: str) -> str:
    """What the full-text index is given: the text with đ → d; its tokenizer
    folds case and the other diacritics (cheaper than folding here)."""
    return text.replace("đ", "d").replace("Đ", "D")


def save_error(conn, path: str, reason: str, *, sha256: str | None, version: str) -> None:
    conn.execute("INSERT OR REPLACE INTO errors VALUES (?,?,?,?,?)", (path, sha256, reason, version, _now()))


class Writer:
    """Documents stored a batch at a time: one transaction per batch of up to
    ``max_docs`` documents or ``max_seconds``.

    A commit (or a savepoint) per document cost more than the document's
    rows: each one makes the full-text index write out its pending terms.
    A document's rows are all built before any is written, so a malformed
    extraction fails alone; should the database refuse a row half-way, the
    batch is rolled back and its other documents written again. A crash,
    even ``kill -9``, loses at most the open batch: its documents are not in
    the store, so the next run extracts them again. Use as a context
    manager; leaving it commits what was written.
    """

    def __init__(self, conn, max_docs: int = 64, max_seconds: float = 0.5):
        self.conn, self.max_docs, self.max_seconds = conn, max_docs, max_seconds
        self._open_since: float | None = None
        self._batch: list[tuple] = []          # what the open transaction holds, to write again

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.commit()

    def commit(self) -> None:
        if self._open_since is not None:
            self.conn.execute("COMMIT")
            self._open_since = None
            for kind, payload, _ in self._batch:
                if kind == "doc":
                    payload.release()         # a spool file's rows are in the store now
            self._batch = []

    def _add(self, item: tuple):
        if self._open_since is None:
            self.conn.execute("BEGIN IMMEDIATE")
            self._open_since = time.monotonic()
        try:
            self._apply(item)
        except BaseException:
            if item[0] == "doc":
                item[1].release()             # refused: it will not be written again
            self.conn.execute("ROLLBACK")
            self._open_since = None
            kept, self._batch = self._batch, []
            for done in kept:               # the batch's good documents, again
                self._add(done)
            raise
        self._batch.append(item)
        if len(self._batch) >= self.max_docs or time.monotonic() - self._open_since >= self.max_seconds:
            self.commit()

    def _apply(self, item: tuple):
        kind, payload, kw = item
        if kind == "doc":
            _insert(self.conn, payload, **kw)
        else:
            save_error(self.conn, **payload)

    def save(self, data: Extraction | Rows | Spool, *, path: str, size: int, mtime_ns: int, version: str) -> None:
        self._add(("doc", as_rows(data), {"path": path, "size": size, "mtime_ns": mtime_ns, "version": version}))

    def save_error(self, path: str, reason: str, *, sha256: str | None, version: str) -> None:
        self._add(("error", {"path": path, "reason": reason, "sha256": sha256, "version": version}, None))


def forget_missing_documents(conn, roots, found) -> int:
    """Documents whose file was under a walked folder and is gone: their rows go
    (a register then shows their tasks as no longer found). Only under a
    folder that was walked and exists, so an unmounted drive or another
    archive in the same store loses nothing."""
    import os

    roots = [os.path.abspath(r) for r in roots if Path(r).is_dir()]
    if not roots:
        return 0
    seen = {os.path.abspath(f) for f in found}
    gone = []
    for (path,) in conn.execute("SELECT path FROM documents"):
        a = os.path.abspath(path)
        if a not in seen and any(a.startswith(r.rstrip(os.sep) + os.sep) for r in roots) and not Path(path).exists():
            gone.append((path,))
    if gone:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("DELETE FROM documents WHERE path = ?", gone)   # item rows and passages cascade
        conn.execute("COMMIT")
    return len(gone)


def forget_missing_errors(conn) -> None:
    """An error about a file that is no longer there is no longer news."""
    gone = [r[0] for r in conn.execute("SELECT path FROM errors") if not Path(r[0]).exists()]
    if gone:
        conn.executemany("DELETE FROM errors WHERE path = ?", [(p,) for p in gone])


# ------------------------------------------------------------------ reading
TABLES = ["documents", "sections", "refs", "deadlines", "tasks", "metrics", "entities", "errors", "task_status",
          "links", "document_files", "citations"]

TASKS_SQL = """
SELECT t.task_id, t.doc_id, t.idx AS task_idx,
       coalesce(t.unit_canonical, t.unit) AS unit, t.unit AS unit_as_written, t.co_units,
       t.text AS task, t.deadline, t.deadline_text,
       d.number, d.doc_type, d.date AS doc_date, d.title, d.issuer,
       t.section, s.heading AS section_heading, d.path, t.page, t.start, t."end",
       ts.status, ts.note
FROM tasks t JOIN documents_once d ON d.id = t.doc_id
LEFT JOIN sections s ON s.doc_id = t.doc_id AND s.id = t.section
LEFT JOIN task_status ts ON ts.task_id = t.task_id
ORDER BY d.date, d.path, t.idx
"""


def read_table(conn, name: str, with_text: bool = True):
    """One table (or the links view) as a raw DataFrame, no types applied."""
    import pandas as pd

    if name not in TABLES:
        raise ValueError(f"no table {name!r}; tables: {', '.join(TABLES)}")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is None:
        return pd.DataFrame()       # a store from an earlier vanban, opened read-only (not migrated)
    cols = "*"
    if name == "documents" and not with_text:
        cols = ", ".join(f'"{r[1]}"' for r in conn.execute("PRAGMA table_info(documents)") if r[1] != "text")
    return pd.read_sql_query(f'SELECT {cols} FROM "{name}"', conn)


def read_tasks(conn):
    """Tasks with their document and section heading, the rows of the tasks export."""
    import pandas as pd

    return pd.read_sql_query(TASKS_SQL, conn)


def document_years(conn) -> dict[int, str]:
    return dict(conn.execute("SELECT id, coalesce(substr(date, 1, 4), 'unknown') FROM documents"))


def counts(conn) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "sections", "refs", "deadlines", "tasks", "metrics", "entities", "errors")}
