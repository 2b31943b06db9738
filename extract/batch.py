"""Batch runs: walk folders, extract in parallel, store each document as it comes.

Workers receive paths and send back the store rows of an extraction (or an
error line), four files to a task; only the parent process writes to the
store, in transactions of many documents (``store.Writer``), so a crash or
``kill -9`` loses at most the documents in flight and in the open batch, and
the next run picks them up (they are not in the store, so they are not
skipped).
"""
from __future__ import annotations

import hashlib
import os
import queue
import signal
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from . import allocator, store
from .extractors import warm
from .readers import DEFAULT_MAX_SIZE, proc_kb, sniff, zip_kind

DOC_SUFFIXES = {".txt", ".pdf", ".docx", ".doc", ".rtf", ".odt", ".htm", ".html"}
WEB_PAGE_SUFFIXES = (".htm", ".html", ".mht", ".mhtml")


# ------------------------------------------------------------------ finding files
def is_document(path: Path) -> bool:
    """Worth trying: a document format by content, or a document name whatever the content.

    A .pdf of random bytes is taken (and reported as bad); a README.md or a
    spreadsheet is not a document and is passed over.
    """
    if path.suffix.lower() in DOC_SUFFIXES:
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError:
        return False
    kind = sniff(head)             # the readers' own test of magic bytes
    if kind in ("pdf", "doc", "rtf", "odt"):
        return True
    if kind == "html":             # a page Word saved, not any page lying about
        return b"urn:schemas-microsoft-com:office:word" in head or b"Microsoft Word" in head
    if kind in ("zip", "docx"):    # a zip's directory is at its end: look in the whole file
        try:
            with zipfile.ZipFile(path) as z:
                return zip_kind(z) in ("docx", "odt")
        except (zipfile.BadZipFile, OSError):
            return False
    return False


def is_web_page_folder(root: Path, name: str) -> bool:
    """Word's "save as web page" writes page.htm and page_files/ (its images,
    filelist.xml, the page header and footer as header.htm): that folder is
    part of the page, not documents of its own."""
    for sep in ("_files", ".files"):
        if name.endswith(sep):
            stem = name[: -len(sep)]
            return any((root / (stem + suf)).is_file() for suf in WEB_PAGE_SUFFIXES)
    return False


def find_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named directly are always taken; folders are walked for documents."""
    out: list[Path] = []
    seen = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not is_web_page_folder(Path(root), d))
                for name in sorted(files):
                    # Hidden files and Word's lock files (~$name.docx) are not documents.
                    if name.startswith((".", "~$")):
                        continue
                    f = Path(root) / name
                    if f.is_file() and is_document(f):
                        out.append(f)
        else:
            out.append(p)
    uniq = []
    for f in out:
        key = str(f.resolve()) if f.exists() else str(f)
        if key not in seen:
            seen.add(key)
            uniq.append(f)
    return uniq


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------ the work
# Seconds one file may take in a batch (``--file-timeout``): a 300-page
# text-layer report takes well under a minute; this leaves room for a few
# dozen OCR'd pages too. 0 or None: no limit.
FILE_TIMEOUT = 300.0
# A file that runs longer than this hands the files queued behind it in its
# task back to the parent, which sends them to other workers.
HAND_BACK = 2.0


class FileTimeout(BaseException):
    """Raised in a worker when a file runs past its budget. A BaseException, so
    that no reader's ``except Exception`` takes it for a damaged file."""


def timeout_reason(seconds: float) -> str:
    return f"stopped after {seconds:g} s: over the per-file time budget (raise it with --file-timeout)"


_slice: dict = {}     # the file running in this worker under a budget: its timer's state


def _on_alarm(signum, frame):
    st = _slice
    if st.get("hand_back") is not None:
        # The first ring: the files waiting behind this one go to other workers.
        hand_back, st["hand_back"] = st["hand_back"], None
        hand_back()
        left = st["budget"] - HAND_BACK
        if left > 0:
            if left != float("inf"):
                signal.setitimer(signal.ITIMER_REAL, left)
            return
    raise FileTimeout()


def _can_stop() -> bool:
    """Whether a budget can stop a file here (a timer rings only the main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def _budget(seconds: float | None, hand_back=None):
    """Run the block under a time budget (SIGALRM: worker processes run files in
    their main thread); ``hand_back`` is called once if it runs past HAND_BACK."""
    usable = _can_stop()
    if not usable or (not seconds and hand_back is None):
        yield
        return
    first = HAND_BACK if hand_back is not None else seconds
    if seconds:
        first = min(first, seconds)
    _slice.update(budget=seconds or float("inf"), hand_back=hand_back if (not seconds or seconds > HAND_BACK) else None)
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, first)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        _slice.clear()


def work(path: str, max_size: int = DEFAULT_MAX_SIZE, ocr: bool = True, timeout: float | None = FILE_TIMEOUT,
         hand_back=None, spool_dir: str | None = None) -> dict:
    """Extract one file; never raises. Runs in a worker process. A long
    document's rows go back as a file in ``spool_dir`` when one is given
    (a folder the writing process reads too)."""
    from .errors import VanbanError
    from .pipeline import extract_file

    out = {"path": path, "data": None, "error": None, "sha256": None}
    try:
        with _budget(timeout, hand_back):
            st = os.stat(path)
            out["size"], out["mtime_ns"] = st.st_size, st.st_mtime_ns
            # rows, not the records: tuples are what crosses to the writing process
            data = store.prepare(extract_file(path, max_size=max_size, ocr=ocr, budget=timeout if _can_stop() else None), spool_dir)
        out["data"] = data
        out["sha256"] = data.sha256
    except FileTimeout:
        out["data"] = None
        out["error"] = timeout_reason(timeout)
    except VanbanError as e:
        out["error"] = e.reason
    except MemoryError:
        out["error"] = "out of memory while reading"
    except Exception as e:  # one bad file must not stop a batch
        out["error"] = f"internal error ({type(e).__name__}: {' '.join(str(e).split())[:300]})"
    out["rss_mb"] = peak_rss_mb()          # this worker's peak so far
    return out


def peak_rss_mb() -> float | None:
    """This process's peak resident memory (MB) so far. Linux's VmHWM, where
    there is one: ``ru_maxrss`` keeps the parent's peak across fork and exec,
    so a process started by a large one reports the larger size."""
    kb = proc_kb("self/status", "VmHWM")
    if kb is not None:
        return kb / 1024
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:  # not on POSIX
        return None


def _context():
    """Workers forked from a warm fork server where the platform has one, else spawned."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = get_context("forkserver")
        ctx.set_forkserver_preload(["extract._preload"])
        return ctx
    return get_context("spawn")


def _pool_starts(pool) -> bool:
    """Whether the pool's workers start at all: a trivial task first, so that a
    pool that cannot start is not mistaken for a file that crashes a worker."""
    try:
        pool.submit(os.getpid).result(timeout=300)
        return True
    except Exception:
        pool.shutdown(wait=False, cancel_futures=True)
        return False


def _kill_workers(pool) -> None:
    """Kill a process pool's workers (the standard library keeps them in ``_processes``)."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            proc.kill()
        except (OSError, AttributeError):
            pass


def _retry_or_fail(path: str, retried: set, pending: list) -> Iterator[dict]:
    """A file lost with a crashed worker gets one more try, alone; a second crash is its error."""
    if path in retried:
        yield {"path": path, "data": None, "sha256": None, "error": "the reader crashed its worker process"}
    else:
        retried.add(path)
        pending.append([path])


_RESULTS = None       # in a worker: the queue its results go to, one by one


def _worker_init(results) -> None:
    global _RESULTS
    _RESULTS = results
    allocator.tune()        # inherited from the fork server already; a spawned worker sets it here
    warm()


def work_stream(paths: list[str], **opts) -> int:
    """``work`` over a few paths (one round trip to the worker for several
    files), each result sent to the parent as soon as it is made. A file that
    runs long hands the paths behind it back (``{"hand_back": [...]}``), so no
    file waits behind a slow neighbour; returns how many files it did."""
    rest = list(paths)
    done = 0

    def hand_back():
        if rest:
            _RESULTS.put({"hand_back": list(rest)})
            rest.clear()

    while rest:
        p = rest.pop(0)
        _RESULTS.put(work(p, hand_back=hand_back if rest else None, **opts))
        done += 1
    return done


CHUNK = 4     # files per task: fewer round trips, and still a fine-grained progress bar and tail


def _chunks(paths: list[str], workers: int) -> list[list[str]]:
    """Paths in tasks of up to CHUNK, smaller when there are too few to keep
    every worker busy; the last few files go one to a task, so the workers
    finish together (a worker left with a whole task at the end kept the
    others waiting)."""
    size = max(1, min(CHUNK, len(paths) // (workers * 8)))
    tail = min(len(paths), workers * 2) if size > 1 else 0
    head = len(paths) - tail
    return [paths[k:min(k + size, head)] for k in range(0, head, size)] + [[p] for p in paths[head:]]


def local_engine(workers: int) -> Callable[[list[str], dict], Iterator[dict]]:
    """Results of ``work`` over paths, in completion order, on a local process pool."""

    def run(paths: list[str], opts: dict) -> Iterator[dict]:
        if not paths:
            return
        if workers <= 1:
            warm()
            for p in paths:
                yield work(p, **opts)
            return
        budget = opts.get("timeout", FILE_TIMEOUT)
        pending = list(reversed(_chunks(paths, workers)))
        retried: set[str] = set()
        while pending:
            ctx = _context()
            results = ctx.Queue()
            # max_tasks_per_child bounds any memory a reader leaks; with the fork
            # server a restarted worker is warm at once.
            pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init, initargs=(results,),
                                       max_tasks_per_child=500 // CHUNK)
            if not _pool_starts(pool):
                # Worker processes cannot start here (a script without a
                # ``__main__`` guard, Python read from stdin ...): go on in this one.
                import warnings

                warnings.warn("vanban: worker processes could not start; extracting in this process")
                warm()
                while pending:
                    for p in pending.pop():
                        yield work(p, **opts)
                return
            inflight: dict = {}          # future -> [its paths not yet back, when it was sent]
            owner: dict[str, object] = {}
            broken = False
            lost: list[str] = []
            timed_out: list[str] = []

            def take(res) -> dict | None:
                """A message from a worker: a result (returned) or paths handed back."""
                if "hand_back" in res:
                    back = [p for p in res["hand_back"] if p in owner]
                    for p in back:
                        inflight[owner.pop(p)][0].remove(p)
                    for k in range(0, len(back), CHUNK):
                        pending.append(back[k:k + CHUNK])
                    return None
                fut = owner.pop(res["path"], None)
                if fut is not None:
                    inflight[fut][0].remove(res["path"])
                return res

            try:
                while pending or inflight:
                    while pending and len(inflight) < workers * 2 and not broken:
                        chunk = pending.pop()
                        try:
                            fut = pool.submit(work_stream, chunk, **opts)
                        except BrokenProcessPool:
                            pending.append(chunk)
                            broken = True
                            break
                        inflight[fut] = [list(chunk), time.monotonic()]
                        owner.update((p, fut) for p in chunk)
                    # Every result waiting, then the tasks that ended (so new ones
                    # go out at once: a steady stream of results must not starve the workers).
                    try:
                        msg = results.get(timeout=0.05)
                        while True:
                            res = take(msg)
                            if res is not None:
                                yield res
                            msg = results.get_nowait()
                    except queue.Empty:
                        pass
                    for fut in [f for f in inflight if f.done()]:
                        left, _ = inflight[fut]
                        exc = fut.exception()
                        if exc is None and left:
                            continue         # its last results are still on their way
                        del inflight[fut]
                        if isinstance(exc, BrokenProcessPool):
                            broken = True
                            lost.extend(left)
                        elif exc is not None:
                            for p in left:
                                owner.pop(p, None)
                                yield {"path": p, "data": None, "sha256": None,
                                       "error": f"internal error ({type(exc).__name__}: {exc})"}
                    # A file stuck where no signal reaches it (inside a native
                    # library) is stopped with its worker: the pool is killed.
                    if budget and not broken:
                        now = time.monotonic()
                        for fut, (left, since) in inflight.items():
                            if left and not fut.done() and now - since > budget * (len(left) + 1) + 30:
                                timed_out.append(left[0])
                                _kill_workers(pool)
                                broken = True
                                break
                    if broken:
                        # what the workers sent before they died is still in the queue
                        while True:
                            try:
                                res = take(results.get(timeout=0.5))
                            except queue.Empty:
                                break
                            if res is not None:
                                yield res
                        lost.extend(p for left, _ in inflight.values() for p in left)
                        inflight.clear()
                        break
            finally:
                pool.shutdown(wait=not broken, cancel_futures=True)
                results.close()
            # A worker died (a crash in a native library): the files in flight
            # were lost with it; each gets one more try, alone, in a new pool.
            # (Known limit of multiprocessing: a worker killed while writing
            # a result bigger than the pipe's buffer leaves a half message that
            # the reader waits on for ever; a crash inside a reader, the
            # case this is for, happens before any result is written.)
            for p in timed_out:
                yield {"path": p, "data": None, "sha256": None, "error": timeout_reason(budget)}
            for p in lost:
                if p not in timed_out:
                    yield from _retry_or_fail(p, retried, pending)

    def prestart() -> None:
        """Start the fork server now: it loads the rules while the parent still
        walks the folders and reads the store."""
        if workers > 1:
            import multiprocessing.forkserver

            if _context().get_start_method() == "forkserver":
                multiprocessing.forkserver.ensure_running()

    run.prestart = prestart
    run.spools = True           # its workers share this machine's files: long documents' rows come as files
    return run


# ------------------------------------------------------------------ the run
@dataclass
class Summary:
    found: int = 0
    stored: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    groups: int = 0                   # documents stored as several files (a draft and its signed scan)
    removed: int = 0                  # stored documents whose file is gone from a walked folder
    peak_worker_mb: float = 0.0       # the largest peak memory a worker reported

    @property
    def ok(self) -> bool:
        return not self.failed


def plan(conn, files: list[Path], version: str) -> tuple[list[str], int]:
    """Which files need extracting; the rest are unchanged (same content, same extractor)."""
    todo, skipped = [], 0
    for f in files:
        path = str(f)
        known = store.current(conn, path)
        if known is None or known["extractor_version"] != version:
            todo.append(path)
            continue
        try:
            st = f.stat()
        except OSError:
            todo.append(path)       # the worker reports why it cannot be read
            continue
        if known["size"] == st.st_size and known["mtime_ns"] == st.st_mtime_ns:
            skipped += 1
            continue
        # Touched but maybe not changed: the content hash decides.
        if known["size"] == st.st_size and sha256_file(f) == known["sha256"]:
            store.touch(conn, path, st.st_size, st.st_mtime_ns)
            skipped += 1
            continue
        todo.append(path)
    return todo, skipped


def run(paths, db, *, workers: int | None = None, max_size: int = DEFAULT_MAX_SIZE, ocr: bool = True,
        engine=None, progress: bool = True, on_result=None, file_timeout: float | None = FILE_TIMEOUT) -> Summary:
    """Extract every document under ``paths`` into the store at ``db``."""
    from .pipeline import extractor_version

    workers = workers or os.cpu_count() or 1
    engine = engine or local_engine(workers)
    if hasattr(engine, "prestart"):
        engine.prestart()
    version = extractor_version()
    conn = store.connect(db)
    files = find_files(paths)
    store.forget_missing_errors(conn)
    summary = Summary(found=len(files))
    summary.removed = store.forget_missing_documents(conn, [p for p in paths if Path(p).is_dir()], files)
    todo, summary.skipped = plan(conn, files, version)

    opts = {"max_size": max_size, "ocr": ocr, "timeout": file_timeout}
    bar = _progress(progress)
    # Long documents' rows come back from local workers as files in a folder
    # beside the store (not the system's temp, which may be memory itself).
    spools = tempfile.TemporaryDirectory(prefix=".vanban-spool-", dir=Path(db).parent) \
        if getattr(engine, "spools", False) else nullcontext()
    with bar, spools as spool_dir, store.Writer(conn) as writer:
        if spool_dir:
            opts["spool_dir"] = spool_dir
        task = bar.add_task("extracting", total=len(files), completed=summary.skipped)
        for res in engine(todo, opts):
            path = res["path"]
            summary.peak_worker_mb = max(summary.peak_worker_mb, res.get("rss_mb") or 0.0)
            if res["error"] is None:
                try:
                    writer.save(res["data"], path=path, size=res["size"], mtime_ns=res["mtime_ns"], version=version)
                    summary.stored += 1
                except Exception as e:  # a row the store refuses is that file's failure only
                    res["error"] = f"could not be stored ({type(e).__name__}: {e})"
            if res["error"] is not None:
                writer.save_error(path, res["error"], sha256=res.get("sha256"), version=version)
                summary.failed.append((path, res["error"]))
            if on_result:
                on_result(res)
            bar.advance(task)
    from .store.groups import regroup
    summary.groups = len(regroup(conn))      # files that are one document, counted once
    from .store.citations import resolve_all
    resolve_all(conn)                        # then references, to the documents as grouped
    conn.close()
    return summary


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)

    class Rate(TextColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            from rich.text import Text
            return Text(f"{speed:.1f} files/s" if speed else "- files/s")

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TaskProgressColumn(), Rate(""), TimeElapsedColumn(), TextColumn("ETA"),
                    TimeRemainingColumn(), console=Console(stderr=True), disable=not enabled,
                    transient=False)
