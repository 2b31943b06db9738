"""The SQLite store: tables that join, one transaction per document, links."""
import copy
import sqlite3

import pytest

from conftest import CORPUS

from extract import store
from extract.pipeline import extract_file


def test_tables_join_and_keep_text(archive_db):
    conn = store.connect(archive_db)
    n = store.counts(conn)
    assert n["documents"] == 7 and n["errors"] == 0
    # every item row belongs to a stored document, and its offsets point into the kept text
    row = conn.execute("""SELECT t.text, t.start, t."end", d.text AS doc_text FROM tasks t
                          JOIN documents d ON d.id = t.doc_id WHERE t.unit_canonical = 'Văn phòng Sở'
                          LIMIT 1""").fetchone()
    assert row is not None
    assert row["text"][:40] in " ".join(row["doc_text"][row["start"]:row["end"]].split())
    orphans = conn.execute("SELECT count(*) FROM metrics WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0]
    assert orphans == 0
    doc = conn.execute("SELECT * FROM documents WHERE path LIKE '%tb-12-giaoban.docx'").fetchone()
    assert doc["number"] == "12/TB-SVHTTDL" and doc["doc_type"] == "TB" and doc["date"] == "2026-01-07"
    assert doc["n_tasks"] == conn.execute("SELECT count(*) FROM tasks WHERE doc_id = ?", (doc["id"],)).fetchone()[0]
    assert doc["n_tasks"] > 5
    secs = conn.execute("SELECT count(*) FROM sections WHERE doc_id = ?", (doc["id"],)).fetchone()[0]
    assert secs > 10


def test_links_view_finds_the_cited_document(archive_db):
    conn = store.connect(archive_db)
    links = conn.execute("SELECT * FROM links").fetchall()
    assert [(l["citing_number"], l["cited_number"]) for l in links] == [("25/SVHTTDL-VP", "12/TB-SVHTTDL")]
    assert links[0]["cited_path"].endswith("tb-12-giaoban.docx")


def test_save_is_one_transaction(tmp_path, seed_formats):
    """A document whose rows cannot all be written leaves nothing behind."""
    conn = store.connect(tmp_path / "s.db")
    data = extract_file(seed_formats["txt"])
    good = store.save(conn, data, path="a.txt", size=1, mtime_ns=1, version="v")
    broken = copy.deepcopy(data)
    broken.document.sections.append(broken.document.sections[0])   # a primary key refuses it, after the
    with pytest.raises(sqlite3.IntegrityError):                    # document row and its sections are in
        store.save(conn, broken, path="b.txt", size=1, mtime_ns=1, version="v")
    assert [r[0] for r in conn.execute("SELECT path FROM documents")] == ["a.txt"]
    assert conn.execute("SELECT count(DISTINCT doc_id) FROM tasks").fetchone()[0] == 1
    # saving a path again replaces its rows, it does not add to them
    n_tasks = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    store.save(conn, data, path="a.txt", size=2, mtime_ns=2, version="v")
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == n_tasks
    assert conn.execute("SELECT count(*) FROM passages").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM passages_fts").fetchone()[0]
    assert good != conn.execute("SELECT id FROM documents").fetchone()[0]


@pytest.mark.parametrize("breakage", ["malformed", "refused by the database"])
def test_writer_batches_documents_and_a_bad_one_fails_alone(tmp_path, seed_formats, breakage):
    """In a batch transaction, a document that cannot be stored leaves no row,
    the documents before and after it in the batch are kept, and nothing is
    visible to another connection until the batch commits."""
    db = tmp_path / "w.db"
    conn = store.connect(db)
    data = extract_file(seed_formats["txt"])
    broken = copy.deepcopy(data)
    if breakage == "malformed":
        broken.tasks[3] = None                         # not a task: fails before anything is written
        error = AttributeError
    else:
        broken.document.sections.append(broken.document.sections[0])   # the same section twice: a primary
        error = sqlite3.IntegrityError                                 # key refuses it, after the document row
    other = sqlite3.connect(db)
    with store.Writer(conn, max_docs=10, max_seconds=3600) as w:
        w.save(data, path="a.txt", size=1, mtime_ns=1, version="v")
        with pytest.raises(error):
            w.save(broken, path="b.txt", size=1, mtime_ns=1, version="v")
        w.save_error("b.txt", "could not be stored", sha256=None, version="v")
        w.save(data, path="c.txt", size=1, mtime_ns=1, version="v")
        assert other.execute("SELECT count(*) FROM documents").fetchone()[0] == 0    # not committed yet
    assert [r[0] for r in other.execute("SELECT path FROM documents ORDER BY path")] == ["a.txt", "c.txt"]
    assert [r[0] for r in other.execute("SELECT path FROM errors")] == ["b.txt"]
    n_tasks = len(data.tasks)
    assert other.execute("SELECT count(*) FROM tasks").fetchone()[0] == 2 * n_tasks
    assert other.execute("SELECT count(*) FROM sections").fetchone()[0] == 2 * len(data.document.sections)
    assert other.execute("SELECT count(*) FROM passages").fetchone()[0] == \
        other.execute("SELECT count(*) FROM passages_fts").fetchone()[0]


def test_writer_commits_every_max_docs(tmp_path, seed_formats):
    db = tmp_path / "w.db"
    conn = store.connect(db)
    data = extract_file(seed_formats["txt"])
    other = sqlite3.connect(db)
    seen = []
    with store.Writer(conn, max_docs=2, max_seconds=3600) as w:
        for i in range(5):
            w.save(data, path=f"{i}.txt", size=1, mtime_ns=1, version="v")
            seen.append(other.execute("SELECT count(*) FROM documents").fetchone()[0])
    assert seen == [0, 2, 2, 4, 4]
    assert other.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_store_is_plain_sqlite(archive_db):
    conn = sqlite3.connect(archive_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"documents", "sections", "refs", "deadlines", "tasks", "metrics", "entities",
            "errors", "links", "passages_fts"} <= names


def test_the_index_holds_the_words_a_full_fold_would_give():
    """The index is given the text with đ → d and folds the rest itself: its
    words (and their positions) are those of fold_chars' text, on every
    corpus document."""
    from extract.normalize import fold_chars

    texts = [extract_file(f).document.text for f in sorted(CORPUS.iterdir())
             if f.suffix in (".txt", ".docx", ".pdf")]

    def words(docs):
        c = sqlite3.connect(":memory:")
        c.execute("CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
        c.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
        c.executemany("INSERT INTO f (rowid, x) VALUES (?, ?)", list(enumerate(docs)))
        return c.execute("SELECT term, doc, offset FROM v ORDER BY doc, offset").fetchall()

    ours = words([store.index_text(t) for t in texts])
    assert len(ours) > 10_000 and ours == words([fold_chars(t) for t in texts])
    assert any(term == "dong" for term, *_ in ours)           # "đồng": đ became d, then the marks went


def test_passages_give_the_index_their_own_text(seed_formats, tmp_path):
    ex = extract_file(seed_formats["pdf"])
    ps = store.rows(ex).passages
    assert {p[0] for p in ps} >= {"title", "section", "task"}
    # each passage is its own text: a section's runs to its first child, a task's is the task
    text = ex.document.text
    for kind, _sec, _unit, start, end, _page, body in ps:
        if kind in ("section", "body"):
            assert body == text[start:end]
    assert [p[-1] for p in ps if p[0] == "task"] == [t.text for t in ex.tasks]
    conn = store.connect(tmp_path / "p.db")
    store.save(conn, ex, path="x.pdf", size=1, mtime_ns=1, version="v")
    fts = [r[0] for r in conn.execute("SELECT folded FROM passages_fts ORDER BY rowid")]
    assert fts == [store.index_text(p[-1]) for p in ps]
    assert any("đ" in p[-1] for p in ps) and not any("đ" in f.lower() for f in fts)


def test_rows_cross_a_process_boundary_and_store_what_the_records_say(tmp_path, seed_formats):
    """A batch worker sends rows (pickled), not records: stored from them, a
    document reads back as its extraction says."""
    import pickle

    ex = extract_file(seed_formats["docx"])
    rows = pickle.loads(pickle.dumps(store.rows(ex)))
    assert rows.sha256 == ex.document.sha256
    conn = store.connect(tmp_path / "r.db")
    store.save(conn, rows, path="x.docx", size=1, mtime_ns=1, version="v")
    d = conn.execute("SELECT * FROM documents").fetchone()
    h = ex.document.header
    assert (d["number"], d["issuer"], d["date"], d["title"], d["text"]) == (h.number, h.issuer, h.date, h.title,
                                                                           ex.document.text)
    assert d["n_tasks"] == len(ex.tasks) > 5 and d["chars"] == len(ex.document.text)
    tasks = conn.execute('SELECT text, unit, deadline, start, "end", task_id FROM tasks ORDER BY idx').fetchall()
    assert [tuple(r) for r in tasks] == [(t.text, t.unit, t.deadline, t.span.start, t.span.end, t.id)
                                         for t in ex.tasks]
    refs = conn.execute("SELECT code, mentions FROM refs ORDER BY idx").fetchall()
    assert [r["code"] for r in refs] == [r.code for r in ex.references]
    import json

    assert [json.loads(r["mentions"]) for r in refs] == \
        [[{"start": m.start, "end": m.end, "page": m.page} for m in r.mentions] for r in ex.references]


def test_tasks_keep_their_ids_and_an_old_store_gets_them(archive_db, tmp_path):
    """Every stored task has the id the pipeline gave it; a store made before
    ids existed (schema 1, no task_id column) gets the same ids on opening."""
    import shutil

    conn = store.connect(archive_db)
    doc = conn.execute("SELECT id, path FROM documents WHERE path LIKE '%tb-12-giaoban.docx'").fetchone()
    stored = [r[0] for r in conn.execute("SELECT task_id FROM tasks WHERE doc_id = ? ORDER BY idx", (doc["id"],))]
    assert stored and stored == [t.id for t in extract_file(doc["path"]).tasks]
    conn.close()
    old = tmp_path / "old.db"
    shutil.copy(archive_db, old)
    for suffix in ("-wal", "-shm"):
        if (archive_db.parent / (archive_db.name + suffix)).exists():
            shutil.copy(archive_db.parent / (archive_db.name + suffix), tmp_path / ("old.db" + suffix))
    raw = sqlite3.connect(old)
    before = raw.execute("SELECT doc_id, idx, task_id FROM tasks ORDER BY doc_id, idx").fetchall()
    raw.execute("DROP INDEX tasks_task_id")
    raw.execute("ALTER TABLE tasks DROP COLUMN task_id")
    raw.execute("DROP TABLE task_status")
    raw.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    from extract.dataset import load

    read_only = load(old)                 # a notebook on the old store: it reads, migrates nothing
    assert len(read_only.tasks) == len(before) and read_only.task_status.empty
    migrated = store.connect(old)
    assert migrated.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
    after = [tuple(r) for r in migrated.execute("SELECT doc_id, idx, task_id FROM tasks ORDER BY doc_id, idx")]
    assert len(after) > 20 and after == [tuple(r) for r in before]
    assert migrated.execute("SELECT count(*) FROM task_status").fetchone()[0] == 0


def _dump(db) -> dict:
    """Every stored row but the bookkeeping that differs between two saves."""
    c = sqlite3.connect(db)
    out = {}
    for t in ("documents", "sections", "refs", "deadlines", "tasks", "metrics", "entities", "passages"):
        cols = [r[1] for r in c.execute(f"PRAGMA table_info({t})") if r[1] not in ("id", "doc_id", "extracted_at")]
        out[t] = c.execute(f"SELECT {', '.join(chr(34) + x + chr(34) for x in cols)} FROM {t} ORDER BY 1, 2").fetchall()
    out["fts"] = c.execute("SELECT folded FROM passages_fts ORDER BY rowid").fetchall()
    return out


def test_a_spooled_document_stores_the_same_rows_and_leaves_no_file(tmp_path):
    """A long document's rows go from a worker to the writer as a spool file
    read back a chunk at a time: what it stores is what the rows in memory
    store, and the file goes once the rows are committed, or refused."""
    from extract.store import to_rows as rows_mod

    ex = extract_file(CORPUS / "qd-004.pdf")
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    small = store.prepare(ex, str(spool_dir))
    assert isinstance(small, store.Rows)            # short: stays in memory
    sp = store.prepare(ex, str(spool_dir), spool_chars=1000)
    assert isinstance(sp, store.Spool) and sp.sha256 == ex.document.sha256
    assert len(list(spool_dir.iterdir())) == 1
    assert sp.document == small.document
    for t in (*rows_mod.CHILD_TABLES, "passages"):
        assert list(sp.table(t)) == small.table(t), t
    store.save(store.connect(tmp_path / "a.db"), ex, path="x.pdf", size=1, mtime_ns=1, version="v")
    store.save(store.connect(tmp_path / "b.db"), sp, path="x.pdf", size=1, mtime_ns=1, version="v")
    assert _dump(tmp_path / "a.db") == _dump(tmp_path / "b.db")
    assert len(_dump(tmp_path / "b.db")["tasks"]) > 5
    assert not list(spool_dir.iterdir())             # saved: the file is gone
    # in a batch transaction: kept until the commit, removed if the store refuses it
    conn = store.connect(tmp_path / "c.db")
    with store.Writer(conn, max_docs=10, max_seconds=3600) as w:
        w.save(store.prepare(ex, str(spool_dir), spool_chars=1000), path="ok.pdf", size=1, mtime_ns=1, version="v")
        assert len(list(spool_dir.iterdir())) == 1   # not committed yet: a rollback may need it again
        broken = copy.deepcopy(ex)
        broken.document.sections.append(broken.document.sections[0])
        with pytest.raises(sqlite3.IntegrityError):
            w.save(store.prepare(broken, str(spool_dir), spool_chars=1000), path="bad.pdf", size=1, mtime_ns=1,
                   version="v")
        assert len(list(spool_dir.iterdir())) == 1   # the refused one is gone, the good one was written again
    assert not list(spool_dir.iterdir())
    assert [r[0] for r in conn.execute("SELECT path FROM documents")] == ["ok.pdf"]
