"""The SQLite store: tables that join, one transaction per document, links."""
import json
import sqlite3

import pytest

from conftest import CORPUS

from extract import store
from extract.pipeline import extract_file, to_json


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
    data = to_json(extract_file(seed_formats["txt"]))
    good = store.save(conn, data, path="a.txt", size=1, mtime_ns=1, version="v")
    broken = json.loads(json.dumps(data))
    del broken["tasks"][3]["text"]          # fails half-way, after the document row
    with pytest.raises(KeyError):
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
    data = to_json(extract_file(seed_formats["txt"]))
    broken = json.loads(json.dumps(data))
    if breakage == "malformed":
        del broken["tasks"][3]["text"]                 # fails before anything is written
        error = KeyError
    else:
        broken["sections"].append(broken["sections"][0])   # the same section twice: a primary key refuses it,
        error = sqlite3.IntegrityError                     # after the document row is in
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
    n_tasks = len(data["tasks"])
    assert other.execute("SELECT count(*) FROM tasks").fetchone()[0] == 2 * n_tasks
    assert other.execute("SELECT count(*) FROM sections").fetchone()[0] == 2 * len(data["sections"])
    assert other.execute("SELECT count(*) FROM passages").fetchone()[0] == \
        other.execute("SELECT count(*) FROM passages_fts").fetchone()[0]


def test_writer_commits_every_max_docs(tmp_path, seed_formats):
    db = tmp_path / "w.db"
    conn = store.connect(db)
    data = to_json(extract_file(seed_formats["txt"]))
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


def test_passages_give_the_index_their_own_text(seed_formats):
    data = store.prepare(to_json(extract_file(seed_formats["pdf"])))
    ps = data["_passages"]
    assert {p["kind"] for p in ps} >= {"title", "section", "task"}
    rows = store._rows(data, path="x.pdf", size=1, mtime_ns=1, version="v")
    assert rows["fts"] == [store.index_text(p["text"]) for p in ps]
    assert any("đ" in p["text"] for p in ps) and not any("đ" in f.lower() for f in rows["fts"])


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
