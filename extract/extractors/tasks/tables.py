"""Plan tables: Nội dung/Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
Thời gian hoàn thành | Sản phẩm. Each row under such a header is a task;
its unit, co-units and deadline come from their cells.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ... import ruleset as rules
from ...model import Document
from ...normalize import fold
from . import labelled


@dataclass
class Columns:
    task: int
    unit: int
    co_units: int | None = None
    deadline: int | None = None


@dataclass
class RowTask:
    text_span: tuple[int, int]
    unit: str | None
    co_units: str | None
    deadline_text: str | None


@lru_cache(maxsize=None)
def _col_res():
    d = rules.load("tasks.yaml")["table_columns"]
    # one expression per column kind: a header cell is tested once per kind
    res = {k: regex.compile("|".join(f"(?:{p})" for p in v)) for k, v in d.items()}
    # the same, a cell per line: whether any cell of a row may be of the kind, in one search
    lines = {k: regex.compile(r.pattern, regex.M) for k, r in res.items()}
    return res, lines


def header_columns(cells: list[str]) -> Columns | None:
    """The columns of a plan table's header row, or None when it is not one."""
    res, lines = _col_res()
    short: list[tuple[int, str]] = []
    for i, c in enumerate(cells):
        f = " ".join(fold(c).split())
        if f and len(f) <= 80:
            short.append((i, f))
    # Every row of every table is asked. A header names the task's and the
    # unit's columns: when no cell can be either (one search each over the
    # row's short cells, a cell per line), it is not one.
    joined = "\n".join(f for _, f in short)
    if len(short) < 2 or not lines["unit"].search(joined) or not lines["task"].search(joined):
        return None
    found: dict[str, int] = {}
    for i, f in short:
        # most specific first: "Cơ quan phối hợp" is not the lead unit's column
        for kind in ("co_units", "deadline", "unit", "task"):
            if kind not in found and res[kind].search(f):
                found[kind] = i
                break
    if "task" in found and "unit" in found and found["task"] != found["unit"]:
        return Columns(found["task"], found["unit"], found.get("co_units"), found.get("deadline"))
    return None


_NUMBERING = regex.compile(r"^\(?\d{1,2}\)?$")
_GROUP_LABEL = regex.compile(r"^(?:[IVXLC]{1,6}|[A-ZĐ])\.?$")


def plan_rows(doc: Document) -> list[RowTask]:
    """Every row of every plan table of ``doc`` that holds a task."""
    text = doc.text
    out: list[RowTask] = []
    cols: Columns | None = None
    table = None
    for b in doc.blocks:
        if b.kind != "row" or not b.cells:
            continue
        if b.table != table:
            table, cols = b.table, None
        cells = [text[a:e] for a, e in b.cells]
        head = header_columns(cells)
        if head is not None:
            cols = head
            continue
        if cols is None or max(cols.task, cols.unit) >= len(cells):
            continue
        task = cells[cols.task].strip()
        if not task or all(_NUMBERING.match(c.strip()) or not c.strip() for c in cells):
            continue        # the row that numbers the columns: (1) (2) (3)
        first = cells[0].strip()
        unit = cells[cols.unit].strip() or None
        if _GROUP_LABEL.match(first) and not unit:
            continue        # "I | Công tác tuyên truyền |  |": a group of rows, not a task
        if task.isupper() and not unit:
            continue
        a, e = b.cells[cols.task]
        lead = len(text[a:e]) - len(text[a:e].lstrip())
        co = cells[cols.co_units].strip() if cols.co_units is not None and cols.co_units < len(cells) else None
        dl = None
        if cols.deadline is not None and cols.deadline < len(cells):
            dl = cells[cols.deadline].strip() or None
        if unit:
            # a cell that labels its parts: "Chủ trì: UBND xã A. Phối hợp: Sở B (GPMB)"
            lab = labelled.parse(unit)
            if lab is not None and lab.unit:
                unit, co = lab.unit, "; ".join(lab.co_units) or co
        out.append(RowTask((a + lead, a + lead + len(task)), unit, co or None, dl))
    return out
