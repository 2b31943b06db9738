"""The ``vanban`` command: a thin face over the pipeline, store and exports."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import VanbanError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="vanban: turn Vietnamese official documents into data.")


def _version(value: bool):
    if value:
        print(f"vanban {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")):
    """vanban reads .txt, .docx and .pdf official documents and extracts their
    header, sections, references, deadlines, tasks and figures."""


def _size(text: str) -> int:
    text = text.strip().upper()
    mult = {"K": 2**10, "M": 2**20, "G": 2**30}
    if text and text[-1] in mult:
        return int(float(text[:-1]) * mult[text[-1]])
    return int(text)


@app.command()
def extract(
    file: Path = typer.Argument(..., help="A .txt, .docx or .pdf document."),
    as_json: bool = typer.Option(False, "--json", help="Print the extraction as JSON (GUIDE.md's contract)."),
    max_size: str = typer.Option("100M", "--max-size", help="Refuse files larger than this (e.g. 500M)."),
    ocr: bool = typer.Option(True, "--ocr/--no-ocr", help="Read scanned pages with Tesseract (when installed)."),
):
    """Extract one document. Exit 0 on success, 1 with 'FILE: reason' on failure."""
    from .pipeline import extract_file, to_json

    try:
        ex = extract_file(file, max_size=_size(max_size), ocr=ocr)
    except VanbanError as e:
        print(str(e), file=sys.stderr)
        raise typer.Exit(1)
    except Exception as e:  # a bug must still give one line, not a traceback
        print(f"{file}: internal error ({type(e).__name__}: {' '.join(str(e).split())})", file=sys.stderr)
        raise typer.Exit(1)
    for w in ex.document.warnings:
        print(f"{file}: warning: {w}", file=sys.stderr)
    data = to_json(ex)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    _summary(data)


DEFAULT_DB = Path("outputs/vanban.db")


@app.command()
def run(
    paths: list[Path] = typer.Argument(..., help="Files and folders (walked recursively)."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="The SQLite store to fill."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Worker processes (default: all cores)."),
    engine: str = typer.Option("local", "--engine", help="local (a process pool) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://HOST:PORT); a LocalCluster when absent."),
    max_size: str = typer.Option("100M", "--max-size", help="Refuse files larger than this."),
    ocr: bool = typer.Option(True, "--ocr/--no-ocr", help="Read scanned pages with Tesseract (when installed)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    file_timeout: float = typer.Option(300.0, "--file-timeout", help="Seconds one file may take; past it the file is stopped and recorded as an error (0: no limit)."),
):
    """Extract every document under PATHS into the store, in parallel.

    Documents are picked by content (.pdf, .docx, .doc, .txt). A file whose
    content and extractor version are unchanged is skipped; a changed one
    replaces its rows. Documents are committed in batches (up to 64, or every
    half second), each one whole or not at all, so an interrupted run loses
    at most its last batch: run it again to finish.

    Exit status: 0 when every file was stored or skipped, 1 when some failed
    (each failure is printed as 'FILE: reason' and kept in the errors table).
    """
    from .batch import local_engine, run as run_batch

    if engine == "dask":
        from .dask_engine import dask_engine
        eng = dask_engine(scheduler=scheduler, workers=workers)
    elif engine == "local":
        eng = local_engine(workers or os.cpu_count() or 1)
    else:
        print(f"unknown engine {engine!r} (local or dask)", file=sys.stderr)
        raise typer.Exit(2)
    summary = run_batch(paths, db, workers=workers, max_size=_size(max_size), ocr=ocr, engine=eng,
                        progress=not quiet, file_timeout=file_timeout or None)
    print(f"{summary.found} files: {summary.stored} stored, {summary.skipped} unchanged (skipped), "
          f"{len(summary.failed)} failed" + (f", {summary.removed} removed (file gone)" if summary.removed else "")
          + (f", {summary.groups} documents in several files" if summary.groups else "") + f" -> {db}")
    for path, reason in summary.failed:
        print(f"{path}: {reason}", file=sys.stderr)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to find; diacritics and case do not matter."),
    db: Path = typer.Option(DEFAULT_DB, "--db"),
    doc_type: Optional[str] = typer.Option(None, "--type", help="Document type: TB, KH, BC ... or its name."),
    issuer: Optional[str] = typer.Option(None, "--issuer", help="Part of the issuing body's name."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Documents dated on or after (YYYY-MM-DD)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Documents dated on or before (YYYY-MM-DD)."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only tasks assigned to this unit."),
    limit: int = typer.Option(20, "--limit", "-n"),
    as_json: bool = typer.Option(False, "--json", help="Hits as a JSON array, for scripts."),
):
    """Full-text search over documents, sections and tasks, ranked."""
    from .store import search as s
    from . import store

    _require_db(db)
    conn = store.connect(db)
    hits = s.search(conn, query, doc_type=doc_type, issuer=issuer, date_from=_iso(date_from),
                    date_to=_iso(date_to), unit=unit, limit=limit,
                    mark=("[", "]") if as_json else ("[bold yellow]", "[/]"))
    if as_json:
        sys.stdout.write(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1) + "\n")
        return
    out = Console(highlight=False)
    if not hits:
        out.print("no match")
    for h in hits:
        where = h.kind + (f" §{h.section}" if h.section else "")
        if h.page:
            where += f" p.{h.page}"
        out.print(f"[bold]{h.number or Path(h.path).name}[/] {h.date or ''} [dim]{h.path}[/] {where}"
                  + (f" [cyan]{h.unit}[/]" if h.unit else ""))
        out.print(f"   {h.snippet}")


@app.command()
def show(
    target: Optional[str] = typer.Argument(None, help="A document file, or a stored document's id in --db."),
    out: Path = typer.Option(..., "-o", "--output", help="The page to write (with --all: the folder)."),
    db: Optional[Path] = typer.Option(None, "--db", help=f"The store (for an id or --all, default {DEFAULT_DB}); "
                                      "with a file, its relations there when it is stored."),
    every: bool = typer.Option(False, "--all", help="A page per stored document, linked to each other, and an "
                               "index.html, into the folder -o."),
    max_size: str = typer.Option("100M", "--max-size", help="Refuse files larger than this."),
    ocr: bool = typer.Option(True, "--ocr/--no-ocr", help="Read scanned pages with Tesseract (when installed)."),
):
    """A self-contained HTML page of one document: its header, its text with every
    extracted item highlighted in place, its tasks listed, what it cites and what cites it.

    A stored document's page links the documents it cites and those citing it
    to their own pages (doc-ID.html beside it): `vanban show --all` writes them all."""
    from . import page, store
    from .store import pages

    if every:
        if target is not None:
            print("--all makes every stored document's page: give no FILE_OR_ID", file=sys.stderr)
            raise typer.Exit(2)
        _require_db(db or DEFAULT_DB)
        raise typer.Exit(_show_all(store.connect(db or DEFAULT_DB), out))
    if target is None:
        print("give a document file or a stored document's id (or --all)", file=sys.stderr)
        raise typer.Exit(2)

    def beside(doc_id):       # a page already written next to this one
        name = page_name(doc_id)
        return name if (out.parent / name).exists() else None

    file = Path(target)
    if target.isdigit() and not file.exists():
        _require_db(db or DEFAULT_DB)
        conn = store.connect(db or DEFAULT_DB)
        doc_id = int(target)
        if not pages.has_document(conn, doc_id):
            print(f"{db or DEFAULT_DB}: no document {doc_id} (vanban search lists ids with --json)", file=sys.stderr)
            raise typer.Exit(1)
        ex, rel = pages.extraction(conn, doc_id), pages.relations(conn, doc_id, beside)
    else:
        try:
            ex = _extract_one(file, max_size=_size(max_size), ocr=ocr)
        except VanbanError as e:
            print(str(e), file=sys.stderr)
            raise typer.Exit(1)
        rel = None
        if db is not None:
            _require_db(db)
            conn = store.connect(db)
            doc_id = pages.doc_id_of(conn, file, ex.document.sha256)
            if doc_id is None:
                print(f"{file}: not in {db}: the page has no relations", file=sys.stderr)
            else:   # this extraction's own blocks say where its pages begin
                rel = pages.relations(conn, doc_id, beside, page_starts_from_store=False)
    _write_page(out, page.render(ex, rel))


def page_name(doc_id: int) -> str:
    """A stored document's page, in the folder of `vanban show --all`."""
    return f"doc-{doc_id}.html"


def _show_all(conn, out: Path) -> int:
    """Every stored document's page into ``out``, and an index; a document whose
    page cannot be made is one line, and the rest are written."""
    from . import page
    from .store import pages

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"{out}: cannot write ({e.strerror or e})", file=sys.stderr)
        return 1
    docs = pages.listing(conn)
    failed = 0
    for d in docs:
        try:
            html = page.render(pages.extraction(conn, d["id"]), pages.relations(conn, d["id"], page_name),
                               index="index.html")
            (out / page_name(d["id"])).write_text(html, encoding="utf-8")
        except Exception as e:     # one document's page, not the others'
            failed += 1
            print(f"{d['path']}: no page ({type(e).__name__}: {' '.join(str(e).split())})", file=sys.stderr)
    (out / "index.html").write_text(page.render_index(docs, page_name), encoding="utf-8")
    print(f"wrote {len(docs) - failed} pages and index.html -> {out}")
    return 1 if failed else 0


def _extract_one(file: Path, **kw):
    from .pipeline import extract_file

    try:
        ex = extract_file(file, **kw)
    except VanbanError:
        raise
    except Exception as e:  # a bug must still give one line, not a traceback
        raise VanbanError(file, f"internal error ({type(e).__name__}: {e})")
    for w in ex.document.warnings:
        print(f"{file}: warning: {w}", file=sys.stderr)
    return ex


def _write_page(out: Path, html: str) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as e:
        print(f"{out}: cannot write ({e.strerror or e})", file=sys.stderr)
        raise typer.Exit(1)
    print(f"wrote {out}")


def _listing_console(rows: list, as_json: bool, empty: str) -> Console | None:
    """A listing's common start: the rows as JSON, or the line saying there are none
    (None: nothing more to print), else the console to print them on."""
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return None
    out = Console(highlight=False)
    if not rows:
        out.print(empty)
        return None
    return out


def _require_db(db: Path) -> None:
    if not db.exists():
        print(f"{db}: no such database (build it with: vanban run corpus --db {db})", file=sys.stderr)
        raise typer.Exit(1)


def _iso(s: Optional[str]) -> Optional[str]:
    if not s:
        return None
    import re
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s.strip())
    if m:  # 15/01/2026, as Vietnamese users write it
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    return s.strip()


export_app = typer.Typer(help="Export the store: tasks to Excel/CSV/Parquet, every table to Parquet.")
app.add_typer(export_app, name="export")


@export_app.command("tasks")
def export_tasks(
    out: Path = typer.Option(..., "-o", "--output", help="The file to write (.xlsx, .csv, .parquet)."),
    db: Path = typer.Option(DEFAULT_DB, "--db"),
    fmt: Optional[str] = typer.Option(None, "--format", help="xlsx, csv or parquet (default: from the file name)."),
    update: bool = typer.Option(False, "--update", help="Bring an existing workbook up to date: keep the office's "
                                "statuses, notes and own columns, append new tasks, mark tasks no longer found."),
):
    """One row per task: unit, co-units, text, deadline (a date cell), status, source document, task id."""
    from . import export, store

    _require_db(db)
    failed: list[str] = []

    def row_failed(line: str) -> None:
        failed.append(line)
        print(line, file=sys.stderr)

    try:
        p = export.export_tasks(store.connect(db), out, fmt, update=update, on_error=row_failed)
    except VanbanError as e:
        print(str(e), file=sys.stderr)
        raise typer.Exit(1)
    except ValueError as e:
        print(f"{out}: {e}", file=sys.stderr)
        raise typer.Exit(2)
    except OSError as e:       # a workbook open in Excel on Windows, a read-only folder
        print(f"{out}: cannot write ({e.strerror or e})", file=sys.stderr)
        raise typer.Exit(1)
    print(p if update else f"wrote {p}")
    if failed:      # the workbook is written; the rows that were not say so, and the exit code too
        raise typer.Exit(1)


@export_app.command("all")
def export_all(
    out: Path = typer.Option(..., "-o", "--output", help="The folder to write into."),
    db: Path = typer.Option(DEFAULT_DB, "--db"),
    fmt: str = typer.Option("parquet", "--format", help="parquet (partitioned by year) or csv."),
):
    """Every table, and the links view, one file (or partitioned folder) each."""
    from . import export, store

    _require_db(db)
    try:
        paths = export.export_all(store.connect(db), out, fmt)
    except ValueError as e:
        print(f"{out}: {e}", file=sys.stderr)
        raise typer.Exit(2)
    for p in paths:
        print(f"wrote {p}")


@export_app.command("graph")
def export_graph(
    out: Path = typer.Option(..., "-o", "--output", help="The folder to write into."),
    db: Path = typer.Option(DEFAULT_DB, "--db"),
):
    """The citation graph: citations.parquet (an edge list: citing document, cited document or the
    key of one not stored, references) and citations.graphml (networkx, Gephi)."""
    from . import graph, store

    _require_db(db)
    try:
        paths = graph.export(store.connect(db), out)
    except OSError as e:
        print(f"{out}: cannot write ({e.strerror or e})", file=sys.stderr)
        raise typer.Exit(1)
    for p in paths:
        print(f"wrote {p}")


@app.command()
def groups(
    db: Path = typer.Option(DEFAULT_DB, "--db"),
    apart: Optional[list[Path]] = typer.Option(None, "--apart", help="Two files that are NOT one document "
                                               "(give it twice: --apart A --apart B); the store regroups."),
    as_json: bool = typer.Option(False, "--json", help="The groups as a JSON array, for scripts."),
):
    """List the documents the store holds as several files (a draft, its signed scan, a web copy):
    each file's role and format, the file whose items are counted (kept) and whose header is taken."""
    from . import store
    from .store import groups as g
    from .store.pages import doc_id_of

    _require_db(db)
    conn = store.connect(db)
    if apart:
        if len(apart) != 2:
            print("--apart takes two files", file=sys.stderr)
            raise typer.Exit(2)
        paths = []
        for f in apart:
            i = doc_id_of(conn, f)
            if i is None:
                print(f"{f}: not in the store {db}", file=sys.stderr)
                raise typer.Exit(2)
            paths.append(conn.execute("SELECT path FROM documents WHERE id = ?", (i,)).fetchone()[0])
        g.keep_apart(conn, *paths)
        g.regroup(conn)
        from .store.citations import resolve_all
        resolve_all(conn)
    rows = g.listing(conn)
    out = _listing_console(rows, as_json, "no document in several files")
    if out is None:
        return
    for d in rows:
        out.print(f"[bold]{d['number'] or '(no number)'}[/] {d['date'] or ''} {d['issuer'] or ''} "
                  f"[dim]#{d['id']}[/]")
        for f in d["files"]:
            marks = ", ".join(m for m, on in (("kept", f["kept"]), ("header", f["header"])) if on)
            out.print(f"  {f['role']:<6} {f['format'] or '?':<5} {f['path']}" + (f"  [green]{marks}[/]" if marks else "")
                      + f"  [dim]{f['reason']}[/]")
    out.print(f"{len(rows)} documents in {sum(len(d['files']) for d in rows)} files")


tasks_app = typer.Typer(help="Follow tasks up: list them by unit and deadline, import the office's statuses.")
app.add_typer(tasks_app, name="tasks")


@tasks_app.callback(invoke_without_command=True)
def tasks(
    ctx: typer.Context,
    db: Path = typer.Option(DEFAULT_DB, "--db"),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only this unit's tasks (aliases work: \"VP Sở\")."),
    due_before: Optional[str] = typer.Option(None, "--due-before", help="Deadline before this date (YYYY-MM-DD or DD/MM/YYYY)."),
    due_after: Optional[str] = typer.Option(None, "--due-after", help="Deadline after this date."),
    overdue: bool = typer.Option(False, "--overdue", help="Deadline past and status not \"Hoàn thành\" (statuses from `vanban tasks import`)."),
    as_json: bool = typer.Option(False, "--json", help="Tasks as a JSON array, for scripts."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n"),
):
    """List the store's tasks, soonest deadline first. `vanban tasks import FILE.xlsx` records the
    statuses and notes the office typed in its workbook."""
    if ctx.invoked_subcommand is not None:
        return
    from . import store
    from .store.followup import list_tasks

    _require_db(db)
    try:
        before, after = _date_arg(due_before, "--due-before"), _date_arg(due_after, "--due-after")
    except ValueError as e:
        print(str(e), file=sys.stderr)
        raise typer.Exit(2)
    rows = list_tasks(store.connect(db), unit=unit, due_before=before, due_after=after, overdue=overdue)
    if limit is not None:
        rows = rows[:limit]
    out = _listing_console(rows, as_json, "no task")
    if out is None:
        return
    t = Table(box=None)
    t.add_column("hạn", no_wrap=True)
    t.add_column("đơn vị", max_width=22)
    t.add_column("nhiệm vụ", ratio=1, min_width=30)
    t.add_column("trạng thái", max_width=14)
    t.add_column("văn bản · mã", no_wrap=True)
    for r in rows:
        dl = r["deadline"] or "-"
        t.add_row(f"[red]{dl}[/]" if r["overdue"] else dl, r["unit"] or "-", r["task"][:160],
                  r["status"] or "", f"{r['number'] or Path(r['path']).stem}\n[dim]{r['id']}[/]")
    out.print(t)
    out.print(f"{len(rows)} tasks" + (f", {sum(r['overdue'] for r in rows)} overdue" if rows else ""))


@tasks_app.command("import")
def tasks_import(
    workbook: Path = typer.Argument(..., help="A task register exported by vanban (.xlsx)."),
    db: Path = typer.Option(DEFAULT_DB, "--db"),
):
    """Record the statuses ("Trạng thái") and notes ("Ghi chú") of the workbook's tasks in the store."""
    from . import store
    from .register import read_statuses
    from .store.followup import save_statuses

    _require_db(db)
    try:
        rows = read_statuses(workbook)
    except VanbanError as e:
        print(str(e), file=sys.stderr)
        raise typer.Exit(1)
    save_statuses(store.connect(db), rows, source=str(workbook))
    n = sum(1 for r in rows if r["status"])
    print(f"{workbook}: {len(rows)} tasks read, {n} with a status -> {db}")


def _date_arg(s: Optional[str], name: str) -> Optional[str]:
    import datetime as dt

    iso = _iso(s)
    if iso is None:
        return None
    try:
        return dt.date.fromisoformat(iso).isoformat()
    except ValueError:
        raise ValueError(f"{name}: {s!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


@app.command()
def bench(
    n: int = typer.Option(200, "--n", help="Documents in the bench corpus (the targets are stated at 2000)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Workers for the parallel runs (default: all cores)."),
    out: Path = typer.Option(Path("outputs/bench"), "--out", help="Where the corpus, stores and bench.json go."),
    corpus: Path = typer.Option(Path("corpus"), "--corpus", help="The real documents to build the bench corpus from."),
    pdfs: Optional[Path] = typer.Option(None, "--pdfs", help="Folder of real PDFs for the PDF passes, copied with varied "
                                        "bytes to --pdf-pages (default: the corpus's own PDFs)."),
    keep: bool = typer.Option(False, "--keep", help="Keep the generated documents."),
    repeat: int = typer.Option(5, "--repeat", min=1, help="Runs of each PDF pass; the best of each counts."),
    pdf_pages: int = typer.Option(2000, "--pdf-pages", help="Pages of the real-PDF set (copies of the --pdfs PDFs)."),
    ocr_copies: int = typer.Option(1, "--ocr-copies", help="Copies of the PDFs needing OCR for the OCR line (0: none)."),
    sweep: Optional[list[float]] = typer.Option(None, "--sweep", help="Sizes (MB of text, each shape) of the size sweep; default 0.25 1 4 8."),
    no_sweep: bool = typer.Option(False, "--no-sweep", help="Skip the size sweep."),
    sweep_cap: float = typer.Option(600.0, "--sweep-cap", help="Seconds after which one sweep size is stopped."),
    no_mixed: bool = typer.Option(False, "--no-mixed", help="Skip the mixed batch (good, bad and one huge file of "
                                  "the sweep's largest size)."),
):
    """Measure the cost per stage and per page against raw pypdfium2 and pdfplumber passes
    on real PDFs, the OCR'd pages, the cost of one document by size, and a batch of good, bad
    and huge files."""
    from .bench import SWEEP_MB, bench as run_bench

    run_bench(n=n, workers=workers, out=out, corpus=corpus, keep=keep, repeat=repeat, pdf_pages=pdf_pages,
              ocr_copies=ocr_copies, sweep=() if no_sweep else (sweep or SWEEP_MB), sweep_cap=sweep_cap,
              mixed=not no_mixed, pdf_folder=pdfs)


def _summary(data: dict) -> None:
    out = Console()
    d = data["document"]
    out.rule(f"[bold]{data['source']['path']}")
    t = Table(show_header=False, box=None)
    for k in ("doc_type", "number", "issuer", "issuer_parent", "place", "date", "title"):
        t.add_row(f"[cyan]{k}", str(d.get(k) or "-"))
    if d.get("signer"):
        s = d["signer"]
        t.add_row("[cyan]signer", " ".join(x for x in (s.get("authority"), s.get("on_behalf_of"), s.get("position"), s.get("name")) if x))
    out.print(t)
    counts = ", ".join(f"{k}: {len(data[k])}" for k in ("sections", "references", "deadlines", "tasks", "metrics", "entities"))
    out.print(counts)
    for r in data["references"][:20]:
        out.print(f"  [green]ref[/] {r['code']} ({r.get('doc_type') or '?'}, {r.get('date') or '-'})", highlight=False)
    for tk in data["tasks"][:30]:
        out.print(f"  [yellow]task[/] [{tk.get('unit') or '-'}] {tk['text'][:90]} {('→ ' + tk['deadline']) if tk.get('deadline') else ''}", highlight=False)


def main():
    from . import allocator

    allocator.tune()         # this process is vanban's own: a batch's writer, a one-worker run
    app()


if __name__ == "__main__":
    main()
