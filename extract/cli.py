"""The ``vanban`` command: a thin face over the pipeline, store and exports."""
from __future__ import annotations

import json
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
):
    """Extract one document. Exit 0 on success, 1 with 'FILE: reason' on failure."""
    from .pipeline import extract_file, to_json

    try:
        ex = extract_file(file, max_size=_size(max_size))
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
    app()


if __name__ == "__main__":
    main()
