"""vanban run: parallel, incremental, never loses work, reports bad files."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import BC_SEED, CORPUS, TB_SEED

from extract import batch, store


def vanban(*args, **kw):
    return subprocess.run([sys.executable, "-m", "extract.cli", *args], capture_output=True, text=True, **kw)


def test_find_files_by_content(archive, tmp_path):
    found = {p.name for p in batch.find_files([archive])}
    assert "README.md" not in found
    assert {"cv-25-trienkhai.txt", "tb-12-giaoban.docx", "cv-008.pdf"} <= found
    # a PDF without its extension is still a document; a Word lock file is not
    shutil.copy(CORPUS / "cv-008.pdf", tmp_path / "scan0001")
    shutil.copy(CORPUS / "cv-003.docx", tmp_path / "~$cv-003.docx")
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    assert [p.name for p in batch.find_files([tmp_path])] == ["scan0001"]


def _folder(tmp_path, n_variants=0):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(TB_SEED, d / "tb.txt")
    shutil.copy(BC_SEED, d / "bc.txt")
    shutil.copy(CORPUS / "cv-003.docx", d / "cv-003.docx")
    base = TB_SEED.read_text(encoding="utf-8")
    for i in range(n_variants):
        # the same genre with the text varied, so every file is a new document
        (d / f"tb-{i:03d}.txt").write_text(base.replace("16/01", f"{1 + i % 28:02d}/02"), encoding="utf-8")
    return d


def test_incremental_rerun(tmp_path, monkeypatch):
    d = _folder(tmp_path)
    db = tmp_path / "v.db"
    first = batch.run([d], db, workers=1, progress=False)
    assert (first.stored, first.skipped, first.failed) == (3, 0, [])
    seen = []
    again = batch.run([d], db, workers=1, progress=False, on_result=seen.append)
    assert (again.stored, again.skipped) == (0, 3) and seen == []   # nothing re-extracted
    # touched but unchanged: the hash says so, still skipped
    os.utime(d / "tb.txt", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert batch.run([d], db, workers=1, progress=False).skipped == 3
    # changed: replaced, not added
    conn = store.connect(db)
    old_id = conn.execute("SELECT id FROM documents WHERE path LIKE '%tb.txt'").fetchone()[0]
    (d / "tb.txt").write_text(TB_SEED.read_text(encoding="utf-8") + "\n- Giao Văn phòng Sở tổng hợp, xong trước ngày 28/02.\n",
                              encoding="utf-8")
    changed = batch.run([d], db, workers=1, progress=False)
    assert (changed.stored, changed.skipped) == (1, 2)
    rows = conn.execute("SELECT id, n_tasks FROM documents WHERE path LIKE '%tb.txt'").fetchall()
    assert len(rows) == 1 and rows[0][0] != old_id
    assert conn.execute("SELECT count(*) FROM tasks WHERE doc_id = ?", (old_id,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    # a new extractor version re-extracts everything
    import extract.pipeline
    monkeypatch.setattr(extract.pipeline, "extractor_version", lambda: "9.9.9+test")
    assert batch.run([d], db, workers=1, progress=False).stored == 3


def test_mixed_folder_stores_good_and_reports_bad(tmp_path):
    d = _folder(tmp_path)
    (d / "empty.pdf").write_bytes(b"")
    (d / "random.docx").write_bytes(os.urandom(4000))
    (d / "truncated.pdf").write_bytes((CORPUS / "cv-008.pdf").read_bytes()[:3000])
    (d / "text-named.docx").write_text("Đây là văn bản thuần, không phải tệp Word.", encoding="utf-8")
    db = tmp_path / "v.db"
    out = vanban("run", str(d), "--db", str(db), "--workers", "2", "-q")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "4 stored" in out.stdout and "3 failed" in out.stdout
    failed = [l for l in out.stderr.splitlines() if l.strip()]
    assert sorted(l.split(": ", 1)[0].rsplit("/", 1)[-1] for l in failed) == \
        ["empty.pdf", "random.docx", "truncated.pdf"]
    assert all("Traceback" not in l for l in failed)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM errors").fetchone()[0] == 3
    # a text file named .docx is read as the text it is
    stored = {r[0].rsplit("/", 1)[-1] for r in conn.execute("SELECT path FROM documents")}
    assert "text-named.docx" in stored
    # exit 0 once the bad files are gone or repaired
    for name in ("empty.pdf", "random.docx", "truncated.pdf"):
        (d / name).unlink()
    shutil.copy(CORPUS / "cv-008.pdf", d / "truncated.pdf")
    out = vanban("run", str(d), "--db", str(db), "-q")
    assert out.returncode == 0, out.stderr
    # the repaired file's error is gone, and so are those of files no longer there
    assert conn.execute("SELECT count(*) FROM errors").fetchone()[0] == 0


def test_kill_9_then_rerun_finishes_without_duplicates(tmp_path):
    d = _folder(tmp_path, n_variants=400)
    n_files = len(list(d.iterdir()))
    db = tmp_path / "v.db"
    proc = subprocess.Popen([sys.executable, "-m", "extract.cli", "run", str(d), "--db", str(db), "-w", "2", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stored = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            c = sqlite3.connect(db, timeout=1)
            stored = c.execute("SELECT count(*) FROM documents").fetchone()[0]
            c.close()
        except sqlite3.OperationalError:
            continue
        if stored >= 3:
            break
    os.killpg(proc.pid, signal.SIGKILL)          # the whole process group, workers included
    proc.wait()
    assert 3 <= stored < n_files, "the run should have been killed mid-way"
    out = vanban("run", str(d), "--db", str(db), "-q")
    assert out.returncode == 0, out.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*), count(DISTINCT path) FROM documents").fetchone() == (n_files, n_files)
    # every document has all its rows: the counts kept on the document match its tables
    bad = conn.execute("""SELECT count(*) FROM documents d WHERE n_tasks != (SELECT count(*) FROM tasks t WHERE t.doc_id = d.id)
                          OR n_metrics != (SELECT count(*) FROM metrics m WHERE m.doc_id = d.id)""").fetchone()[0]
    assert bad == 0
    skipped = int(out.stdout.split(" unchanged")[0].rsplit(", ", 1)[-1])
    assert skipped >= stored


def test_run_help_documents_exit_status():
    out = vanban("run", "--help")
    assert "Exit status" in out.stdout and "--workers" in out.stdout


def test_workers_that_cannot_start_do_not_stop_the_batch(tmp_path):
    """Python reading its program from stdin cannot start worker processes (they
    re-import __main__); the batch says so and goes on in the one process."""
    d = _folder(tmp_path)
    code = ("from extract.batch import run\n"
            f"s = run([{str(d)!r}], {str(tmp_path / 'v.db')!r}, workers=2, progress=False)\n"
            "print('stored', s.stored, 'failed', len(s.failed))\n")
    out = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "stored 3 failed 0" in out.stdout
    assert "worker processes could not start" in out.stderr


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except (OSError, IndexError, ValueError):
                continue
    return out


def test_a_worker_killed_mid_run_costs_a_retry_not_a_file(tmp_path):
    """A worker that dies (as a crash in a native reader would kill it) loses
    the files in flight; each is tried again alone in a new pool, and every
    file of the batch ends up stored. (Linux: workers found through /proc.)"""
    if not os.path.isdir("/proc/self"):
        import pytest
        pytest.skip("needs /proc")
    # Small documents: a worker killed while writing a result larger than the
    # pipe's buffer leaves a half message that the standard library's pool
    # waits on for ever (see the note in batch.local_engine).
    d = tmp_path / "in"
    d.mkdir()
    for i in range(60):
        (d / f"cv-{i:03d}.txt").write_text(
            f"Thực hiện Công văn số {100 + i}/UBND-TH ngày 23/5/2023 của UBND tỉnh Lai Châu.\n"
            f"Văn phòng Sở tổng hợp, báo cáo trước ngày {1 + i % 28:02d}/02/2026.\n", encoding="utf-8")
    n_files = len(list(d.iterdir()))
    code = f"""
import os, signal, sys
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from test_batch import _children
from extract.batch import run
killed = []
def on_result(res):
    if len(killed) == 0 and res['error'] is None:
        # the fork server is this process's child; the workers are its children
        workers = [w for fs in _children(os.getpid()) for w in _children(fs)]
        for w in workers:
            os.kill(w, signal.SIGKILL)
        killed.extend(workers)
if __name__ == '__main__':
    s = run([{str(d)!r}], {str(tmp_path / 'v.db')!r}, workers=2, progress=False, on_result=on_result)
    print('killed', len(killed), 'stored', s.stored, 'failed', len(s.failed))
"""
    script = tmp_path / "kill_workers.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    killed = int(out.stdout.split("killed ")[1].split()[0])
    assert killed >= 1
    assert f"stored {n_files} failed 0" in out.stdout, out.stdout
    conn = sqlite3.connect(tmp_path / "v.db")
    assert conn.execute("SELECT count(DISTINCT path) FROM documents").fetchone()[0] == n_files
    assert conn.execute("SELECT count(*) FROM errors").fetchone()[0] == 0


def test_a_removed_file_leaves_the_store_but_only_under_the_walked_folders(tmp_path):
    """A document whose file is gone from a folder being walked is forgotten
    (its tasks leave the register); another folder's documents, walked or not
    this time, are kept."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for d in (a, b):
        shutil.copy(CORPUS / "tb-2025-12-giaoban-svhttdl-laichau.txt", d / "tb.txt")
        shutil.copy(CORPUS / "bc-2023-6thang-svhttdl-laichau.txt", d / "bc.txt")
    db = tmp_path / "v.db"
    assert batch.run([a, b], db, workers=1, progress=False).stored == 4
    (b / "bc.txt").unlink()
    (a / "bc.txt").unlink()
    s = batch.run([a], db, workers=1, progress=False)
    assert s.removed == 1
    conn = store.connect(db)
    paths = sorted(r[0] for r in conn.execute("SELECT path FROM documents"))
    assert paths == sorted(str(p) for p in (a / "tb.txt", b / "bc.txt", b / "tb.txt"))
    assert conn.execute("SELECT count(*) FROM tasks t JOIN documents d ON d.id = t.doc_id "
                        "WHERE d.path = ?", (str(a / "bc.txt"),)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM passages WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0] == 0
    assert batch.run([b], db, workers=1, progress=False).removed == 1


def test_a_slow_file_is_stopped_and_holds_no_neighbour(tmp_path):
    """A file made slow on purpose (8 MB of genre text: a thông báo kết luận
    of tens of thousands of tasks) runs past a 6 s budget: it is stopped and
    recorded as an error naming --file-timeout, while the files sent in the
    same task behind it are handed to the other worker and stored first."""
    from extract.bench import genre_text

    d = tmp_path / "in"
    d.mkdir()
    big = d / "a-big.txt"                     # first by name: first in its task
    big.write_text(genre_text(8_000_000), encoding="utf-8")
    seed = TB_SEED.read_text(encoding="utf-8")
    for i in range(40):
        (d / f"b-{i:03d}.txt").write_text(seed.replace("05/01/2026", f"{1 + i % 28:02d}/01/2026"), encoding="utf-8")
    order = []
    s = batch.run([d], tmp_path / "v.db", workers=2, progress=False, file_timeout=6,
            on_result=lambda res: order.append(Path(res["path"]).name))
    assert s.stored == 40 and [p for p, _ in s.failed] == [str(big)]
    reason = s.failed[0][1]
    assert "stopped after 6 s" in reason and "--file-timeout" in reason
    assert order[-1] == "a-big.txt"           # nobody waited for it
    conn = sqlite3.connect(tmp_path / "v.db")
    assert conn.execute("select count(*) from errors where path = ? and reason like '%--file-timeout%'",
                        (str(big),)).fetchone()[0] == 1


def test_file_timeout_on_the_command_line_one_worker(tmp_path):
    """`vanban run --workers 1 --file-timeout 3`: in one process the budget
    holds too; the slow file is one line naming --file-timeout, exit 1, the
    good file stored."""
    from extract.bench import genre_text

    d = tmp_path / "in"
    d.mkdir()
    (d / "big.txt").write_text(genre_text(8_000_000), encoding="utf-8")
    shutil.copy(TB_SEED, d / "tb.txt")
    t = time.monotonic()
    out = vanban("run", str(d), "--db", str(tmp_path / "v.db"), "--workers", "1", "--file-timeout", "3", "-q")
    assert out.returncode == 1 and time.monotonic() - t < 60
    lines = [ln for ln in out.stderr.splitlines() if "big.txt" in ln]
    assert len(lines) == 1 and "stopped after 3 s" in lines[0] and "--file-timeout" in lines[0]
    assert "1 stored" in out.stdout


def test_a_long_document_comes_back_as_a_spool_file_and_is_stored_whole(tmp_path):
    """A document over store.SPOOL_CHARS of text comes from its worker as a
    file of rows, not a message: stored, it holds what the same extraction
    saved directly holds, and no spool file is left beside the store."""
    from extract.bench import genre_text
    from extract.pipeline import extract_file
    from extract.store.to_rows import SPOOL_CHARS

    d = tmp_path / "in"
    d.mkdir()
    long = d / "long.txt"
    long.write_text(genre_text(int(SPOOL_CHARS * 1.6)), encoding="utf-8")
    shutil.copy(TB_SEED, d / "seed.txt")
    db = tmp_path / "out" / "v.db"
    s = batch.run([d], db, workers=2, progress=False)
    assert s.stored == 2 and not s.failed
    assert sorted(p.name for p in db.parent.iterdir() if not p.name.startswith("v.db")) == []
    direct = tmp_path / "direct.db"
    ex = extract_file(long)
    assert len(ex.document.text) > SPOOL_CHARS and len(ex.tasks) > 1000
    store.save(store.connect(direct), ex, path=str(long), size=1, mtime_ns=1, version="v")
    a, b = sqlite3.connect(db), sqlite3.connect(direct)
    q = ("SELECT t.idx, t.text, t.unit, t.deadline, t.start, t.task_id FROM tasks t JOIN documents d "
         "ON d.id = t.doc_id WHERE d.path = ? ORDER BY t.idx")
    assert a.execute(q, (str(long),)).fetchall() == b.execute(q, (str(long),)).fetchall()
    q = "SELECT count(*), sum(length(text)) FROM passages WHERE doc_id = (SELECT id FROM documents WHERE path = ?)"
    assert a.execute(q, (str(long),)).fetchone() == b.execute(q, (str(long),)).fetchone()
    assert a.execute("SELECT text FROM documents WHERE path = ?", (str(long),)).fetchone()[0] == ex.document.text


def test_files_go_out_in_order_in_chunks_and_the_last_ones_alone():
    """Every path once, in order; four to a task while there are many, one to
    a task for the last two per worker, so no worker ends holding a whole task."""
    for n in (0, 1, 3, 17, 100, 364):
        paths = [f"/a/{i}.pdf" for i in range(n)]
        chunks = batch._chunks(paths, 2)
        assert [p for c in chunks for p in c] == paths
        if n >= 64:
            assert max(len(c) for c in chunks) == batch.CHUNK
            assert [len(c) for c in chunks[-4:]] == [1, 1, 1, 1]
            assert len(chunks[-5]) == batch.CHUNK
