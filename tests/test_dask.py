"""The Dask engine: a real LocalCluster of 2 worker processes on loopback
stores exactly what the local process pool stores."""
import sqlite3
import subprocess
import sys

import pytest

pytest.importorskip("dask.distributed")

from extract.batch import run  # noqa: E402
from extract.dask_engine import dask_engine  # noqa: E402

VOLATILE = {"id", "doc_id", "extracted_at", "mtime_ns"}


def snapshot(db):
    """Every table's rows keyed by document path, without ids and times."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    paths = {r["id"]: r["path"] for r in conn.execute("SELECT id, path FROM documents")}
    out = {}
    for table in ("documents", "sections", "refs", "deadlines", "tasks", "metrics", "entities", "errors", "passages"):
        rows = []
        for r in conn.execute(f"SELECT * FROM {table}"):
            d = {k: r[k] for k in r.keys() if k not in VOLATILE}
            if "doc_id" in r.keys():
                d["path"] = paths[r["doc_id"]]
            rows.append(tuple(sorted(d.items(), key=lambda kv: kv[0])))
        out[table] = sorted(rows, key=repr)
    return out


def test_dask_engine_stores_what_the_local_engine_stores(archive, tmp_path):
    from dask.distributed import LocalCluster

    local = run([archive], tmp_path / "local.db", workers=2, progress=False)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    try:
        assert len(cluster.workers) == 2
        on_dask = run([archive], tmp_path / "dask.db", progress=False,
                      engine=dask_engine(scheduler=cluster.scheduler_address))
    finally:
        cluster.close()
    assert (on_dask.stored, on_dask.failed) == (local.stored, local.failed) and local.stored == 7
    a, b = snapshot(tmp_path / "local.db"), snapshot(tmp_path / "dask.db")
    for table in a:
        assert a[table] == b[table], table
    assert len(a["tasks"]) > 20


def test_cli_dask_engine_with_its_own_local_cluster(archive, tmp_path):
    db = tmp_path / "cli.db"
    out = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(archive), "--db", str(db),
                          "--engine", "dask", "--workers", "2", "-q"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "7 stored" in out.stdout
    again = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(archive), "--db", str(db),
                            "--engine", "dask", "--workers", "2", "-q"], capture_output=True, text=True, timeout=600)
    assert "7 unchanged" in again.stdout


def test_a_long_document_on_a_local_cluster_comes_back_as_a_spool_file(tmp_path):
    """On Dask's LocalCluster (workers on this machine) a long document's rows
    come back as a spool file beside the store, as on the local pool; a
    remote scheduler's workers cannot see that folder and send rows whole."""
    import shutil

    from conftest import TB_SEED
    from extract.bench import genre_text
    from extract.store.to_rows import SPOOL_CHARS

    assert dask_engine().spools and not dask_engine(scheduler="tcp://127.0.0.1:8786").spools
    d = tmp_path / "in"
    d.mkdir()
    long = d / "long.txt"
    long.write_text(genre_text(int(SPOOL_CHARS * 1.6)), encoding="utf-8")
    shutil.copy(TB_SEED, d / "seed.txt")
    out = tmp_path / "out"
    s = run([d], out / "dask.db", progress=False, engine=dask_engine(workers=2))
    assert (s.stored, s.failed) == (2, [])
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("dask.db")) == []   # no spool left
    local = run([d], tmp_path / "local.db", workers=2, progress=False)
    assert local.stored == 2
    a, b = snapshot(tmp_path / "local.db"), snapshot(out / "dask.db")
    for table in a:
        assert a[table] == b[table], table
