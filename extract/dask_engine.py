"""The batch engine on a Dask distributed cluster.

``vanban run PATH... --engine dask [--scheduler tcp://HOST:PORT]``: the same
``batch.work`` runs as Dask tasks (a ``LocalCluster`` when no scheduler is
given), results stream back as they finish, and the parent process writes
the store exactly as the local engine does. Workers receive paths, so every
worker must see the files at the same paths (a shared file system), and must
have vanban installed.
"""
from __future__ import annotations

import os
from collections.abc import Iterator


def dask_engine(scheduler: str | None = None, workers: int | None = None):
    def run(paths: list[str], opts: dict) -> Iterator[dict]:
        if not paths:
            return                                 # nothing changed: no cluster to start
        try:
            from dask.distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise SystemExit("the Dask engine needs dask.distributed: pip install 'vanban[dask]'")
        from .batch import work
        from .extractors import warm

        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            # Processes, one thread each: the extractors hold the GIL.
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            client.run(warm)                       # rules and models once per worker
            n_workers = max(1, len(client.scheduler_info()["workers"]))
            pending = list(reversed(paths))
            window = n_workers * 8                 # bounded: an archive can hold millions of paths
            futures = {}
            ac = as_completed()
            while pending and len(futures) < window:
                p = pending.pop()
                f = client.submit(work, p, pure=False, **opts)
                futures[f.key] = p
                ac.add(f)
            for fut in ac:
                p = futures.pop(fut.key)
                try:
                    yield fut.result()
                except Exception as e:  # a lost worker: that file's failure, the batch goes on
                    yield {"path": p, "data": None, "sha256": None,
                           "error": f"Dask task failed ({type(e).__name__}: {' '.join(str(e).split())[:200]})"}
                if pending:
                    q = pending.pop()
                    f = client.submit(work, q, pure=False, **opts)
                    futures[f.key] = q
                    ac.add(f)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    # A LocalCluster's workers are on this machine: a long document's rows can
    # come back as a spool file beside the store. A remote cluster's cannot see it.
    run.spools = scheduler is None
    return run
