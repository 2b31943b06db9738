"""Plan tables: Nội dung/Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
Thời gian hoàn thành | Sản phẩm. Each row under such a header is a task;
its unit, co-units and deadline come from their cells.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ... import ruleset as rules
from ...model import Document, Task
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
    deadline_span: tuple[int, int] | None = None     # the deadline cell's, for the deadline's provenance


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
# a group of rows and its sub-groups: "II", "B.", "III.1", "III.1.1"
_GROUP_LABEL = regex.compile(r"^(?:[IVXLC]{1,6}|[A-ZĐ])(?:\.\d{1,2})*\.?$")


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
        dl = dl_span = None
        if cols.deadline is not None and cols.deadline < len(cells):
            dl = cells[cols.deadline].strip() or None
            dl_span = b.cells[cols.deadline]
        if unit:
            # a cell that labels its parts: "Chủ trì: UBND xã A. Phối hợp: Sở B (GPMB)"
            lab = labelled.parse(unit)
            if lab is not None and lab.unit:
                unit, co = lab.unit, "; ".join(lab.co_units) or co
        out.append(RowTask((a + lead, a + lead + len(task)), unit, co or None, dl, dl_span if dl else None))
    return out


_CELL_MAX = 80
_ARABIC = regex.compile(r"^\d{1,3}\.?$")


def cell_paragraph_rows(doc: Document) -> tuple[list[RowTask], set[int]]:
    """Plan tables that reach the text a cell per paragraph (a web page's
    table copied as text: "STT" / "NHIỆM VỤ" / "CHỦ TRÌ" / "PHỐI HỢP" /
    "THỜI GIAN", then "1" / the task / its unit / ...): their rows, and the
    starts of the paragraphs they hold (no items of their own)."""
    text = doc.text
    paras = [b for b in doc.blocks if b.kind == "para"]
    rows: list[RowTask] = []
    used: set[int] = set()
    i = 0
    while i < len(paras):
        head = _cell_header(text, paras, i)
        if head is None:
            i += 1
            continue
        n, cols = head
        j = i + n
        expected, regroup = 1, False
        while j < len(paras):
            cell = text[paras[j].start:paras[j].end].strip()
            if _GROUP_LABEL.match(cell):
                k = j + 1          # a group's label and title: up to the next row's number
                while k < len(paras) and k - j <= 3 and not _ARABIC.match(text[paras[k].start:paras[k].end].strip()):
                    k += 1
                used.update(p.start for p in paras[j:k])
                j, regroup = k, True
                continue
            if not _ARABIC.match(cell):
                break
            # a group may number its rows from 1 again, or go on from the last group's
            if regroup and int(cell.rstrip(".")) == 1:
                expected = 1
            if int(cell.rstrip(".")) != expected:
                break
            regroup = False
            k = j + 1
            while k < len(paras) and not _row_start(text, paras[k], expected + 1):
                k += 1
            cells = paras[j + 1:k]
            trailing = n - 1 - cols.task     # the columns after the task's
            if len(cells) < 1 + trailing or k - j > 2 * n:
                break
            task_cells, tail = cells[:len(cells) - trailing], cells[len(cells) - trailing:]
            by_col = {cols.task + 1 + m: c for m, c in enumerate(tail)}
            get = lambda col: " ".join(text[by_col[col].start:by_col[col].end].split()) if col in by_col else None
            a, e = task_cells[0].start, task_cells[-1].end
            dl = get(cols.deadline) if cols.deadline else None
            rows.append(RowTask((a, e), get(cols.unit) or None, get(cols.co_units) if cols.co_units else None,
                                dl, (by_col[cols.deadline].start, by_col[cols.deadline].end) if dl else None))
            used.update(p.start for p in paras[j:k])
            j, expected = k, expected + 1
        used.update(p.start for p in paras[i:i + n])
        i = max(j, i + n)
    return rows, used


def _row_start(text: str, p, number: int) -> bool:
    cell = text[p.start:p.end].strip()
    return (_ARABIC.match(cell) is not None and int(cell.rstrip(".")) == number) or _GROUP_LABEL.match(cell) is not None


def _cell_header(text: str, paras, i: int) -> tuple[int, Columns] | None:
    """(cells, columns) when the paragraphs from ``i`` are a plan table's header, a cell each."""
    first = fold(text[paras[i].start:paras[i].end].strip())
    if first not in ("stt", "tt", "so tt"):
        return None
    for n in range(3, 8):
        if i + n >= len(paras):
            return None
        cells = [text[p.start:p.end].strip() for p in paras[i:i + n]]
        if any(len(c) > _CELL_MAX or not c for c in cells):
            return None
        cols = header_columns(cells)
        nxt = text[paras[i + n].start:paras[i + n].end].strip()
        if cols is not None and cols.unit > cols.task and (_ARABIC.match(nxt) or _GROUP_LABEL.match(nxt)):
            # the header ends where the numbering of the first row (or group) begins
            return n, cols
    return None


_WORD = regex.compile(r"\w+")
_RESTATED = 0.8      # share of words two wordings have in common to be one task


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(text)))


def drop_restated(tasks: list[Task], rows: list[Task]) -> list[Task]:
    """``tasks`` without those a plan table restates: a programme lists its
    tasks in its body, then its annex's table gives each one's lead body and
    date. The row is kept (it says who and when); a date or unit only the
    body's wording gives passes to it."""
    if not rows:
        return tasks
    keys = [(_words(r.text), r) for r in rows]
    kept = []
    for t in tasks:
        w = _words(t.text)
        same = None
        for k, r in keys:
            # Jaccard on words: the same task copied with its punctuation or a word changed
            if w and k and len(w & k) >= _RESTATED * len(w | k):
                same = r
                break
        if same is None:
            kept.append(t)
            continue
        if same.unit is None and t.unit:
            same.unit, same.unit_canonical = t.unit, t.unit_canonical
        if same.deadline is None and t.deadline:
            same.deadline, same.deadline_text = t.deadline, t.deadline_text
    return kept
