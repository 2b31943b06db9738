"""The office's task register: an exported workbook brought up to date, and
what the office typed in it read back.

An office exports its tasks, fills in "Trạng thái" and "Ghi chú" (and adds
columns of its own, a "Người theo dõi"), and a week later new documents
arrive. :func:`update_workbook` edits that workbook where it stands, matching
rows by "Mã nhiệm vụ" (the stable task id, :mod:`extract.task_ids`):

- a task still extracted: vanban's columns take today's values; the office's
  columns (its statuses, notes, any column vanban did not write) and the
  office's formatting are left as they are;
- a new task: a row appended, "Cập nhật" = "Mới", "Ngày phát hiện" = today,
  styled like the row above it;
- a task no longer extracted: kept, "Cập nhật" = "Không còn tìm thấy" (greyed).

Headers are found by name, so columns the office moved or inserted are
followed, and the headers themselves are left as they are (the office's
filters and formulas name them). Ranges of conditional formats, validations
and the filter that reached the last row are stretched to the new last
row. The summary sheet is written anew. The workbook is saved to a temporary
file and then replaced: a failure never leaves it half-written.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import VanbanError
from .task_ids import ID_PATTERN
from .export import (DONE, GONE, ID_HEADER, MARK, NEW, OFFICE_COLUMNS, STATUS_CHOICES, SUMMARY_SHEET,
                     TASK_COLUMNS, UPDATE_HEADER, add_sheet_rules, header_columns, register_rows, save_atomic,
                     write_cell, write_summary)


@dataclass
class UpdateSummary:
    path: Path
    kept: int          # tasks the workbook held and still extracted
    new: int           # rows appended
    gone: int          # rows marked no longer found

    def __str__(self):
        return f"updated {self.path}: {self.kept} kept, {self.new} new, {self.gone} no longer found"


def open_register(path: Path):
    """The workbook and its task sheet, or a one-line :class:`VanbanError`
    when it is not a vanban register (or its id column is gone)."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.exists():
        raise VanbanError(path, "no such workbook (export one first, without --update)")
    try:
        wb = load_workbook(path)
    except Exception as e:  # openpyxl raises zipfile, KeyError, InvalidFileException ...
        raise VanbanError(path, f"not an Excel workbook ({type(e).__name__}: {e})")
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    sheet = next((ws for ws in wb.worksheets if ws.title != SUMMARY_SHEET and ID_HEADER in header_columns(ws)), None)
    # vanban marks its workbooks with a document property; a spreadsheet program
    # that drops properties still leaves the ids, which only vanban writes
    if props.get(MARK[0]) != MARK[1] and not (sheet is not None and _holds_only_ids(sheet)):
        raise VanbanError(path, "not a task register written by vanban (export tasks first, without --update)")
    if sheet is None:
        raise VanbanError(path, f"its id column {ID_HEADER!r} is gone: rows cannot be matched to tasks")
    return wb, sheet


def _holds_only_ids(ws) -> bool:
    col = header_columns(ws)[ID_HEADER]
    values = [v for (v,) in ws.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True) if v not in (None, "")]
    return bool(values) and all(isinstance(v, str) and ID_PATTERN.fullmatch(v.strip()) for v in values)


def _stretch(ranges, old_last: int, new_last: int):
    """A MultiCellRange with every part that ended on the old last row now ending on the new one."""
    for cr in ranges.ranges:
        if cr.max_row == old_last:
            cr.expand(down=new_last - old_last)
    return ranges


def _last_row(ws, id_col: int) -> int:
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, id_col).value not in (None, ""):
            return r
    return 1


def update_workbook(df: pd.DataFrame, path: Path, today: dt.date | None = None) -> UpdateSummary:
    from copy import copy

    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.utils import get_column_letter as L

    path = Path(path)
    wb, ws = open_register(path)
    cols = header_columns(ws)
    for h in (UPDATE_HEADER, "Ngày phát hiện"):
        # the columns that say what changed: put back at the end if the office deleted them
        if h not in cols:
            c = max(ws.max_column, max(cols.values())) + 1
            ws.cell(1, c).value = h
            ws.cell(1, c)._style = copy(ws.cell(1, cols[ID_HEADER])._style)
            cols[h] = c
    id_col = cols[ID_HEADER]
    old_last = _last_row(ws, id_col)
    where: dict[str, int] = {}
    for r in range(2, old_last + 1):
        tid = ws.cell(r, id_col).value
        if tid not in (None, "") and str(tid).strip() not in where:
            where[str(tid).strip()] = r
    ours = {h: (key, is_date) for h, key, _w, is_date in TASK_COLUMNS if key and h not in OFFICE_COLUMNS}
    rows = register_rows(df, today)
    found, new = set(), []
    for rec in rows:
        r = where.get(rec["task_id"])
        if r is None:
            new.append(rec)
            continue
        found.add(rec["task_id"])
        for h, (key, is_date) in ours.items():
            if h in cols and key != "first_seen":
                write_cell(ws.cell(r, cols[h]), rec.get(key), is_date)
    gone = 0
    for tid, r in where.items():
        if tid not in found:
            write_cell(ws.cell(r, cols[UPDATE_HEADER]), GONE, False)
            gone += 1
    stt = [ws.cell(r, cols["STT"]).value for r in range(2, old_last + 1)] if "STT" in cols else []
    next_stt = max([v for v in stt if isinstance(v, (int, float))], default=0) + 1
    width = max(ws.max_column, max(cols.values()))
    for k, rec in enumerate(new):
        r = old_last + 1 + k
        rec["update"] = NEW
        for c in range(1, width + 1):      # the row above's look, the office's columns included
            if old_last >= 2:
                above = ws.cell(old_last, c)
                if above.has_style:
                    ws.cell(r, c)._style = copy(above._style)
        for h, key, _w, is_date in TASK_COLUMNS:
            if h not in cols:
                continue
            cell = ws.cell(r, cols[h])
            if key is None:
                cell.value = next_stt + k if h == "STT" else None
            else:
                write_cell(cell, rec.get(key), is_date)
    new_last = old_last + len(new)
    if new and old_last >= 2:
        # what reached the old last row reaches the new one: vanban's highlighting
        # and drop-down, and whatever rules the office added over its columns
        old_cf = ws.conditional_formatting
        ws.conditional_formatting = ConditionalFormattingList()
        for cf in old_cf:
            rng = _stretch(cf.sqref, old_last, new_last)
            for rule in cf.rules:
                ws.conditional_formatting.add(str(rng), rule)
        for dv in ws.data_validations.dataValidation:
            dv.sqref = _stretch(dv.sqref, old_last, new_last)
        if ws.auto_filter.ref:
            from openpyxl.worksheet.cell_range import CellRange

            cr = CellRange(ws.auto_filter.ref)
            if cr.max_row == old_last:
                cr.expand(down=new_last - old_last)
                ws.auto_filter.ref = cr.coord
    elif new:
        needed = ("Hạn", "Trạng thái", UPDATE_HEADER)
        if all(h in cols for h in needed):
            add_sheet_rules(ws, cols, 2, new_last)
        ws.auto_filter.ref = f"A1:{L(width)}{new_last}"
    if all(h in cols for h in ("Đơn vị thực hiện", "Hạn", "Trạng thái", UPDATE_HEADER)):
        write_summary(wb, ws)
    save_atomic(wb, path)
    return UpdateSummary(path, len(found), len(new), gone)


def canonical_status(value) -> str | None:
    """A status as typed (any case, stray spaces) in the register's spelling."""
    if value is None:
        return None
    s = " ".join(unicodedata.normalize("NFC", str(value)).split())
    for choice in STATUS_CHOICES:
        if s.casefold() == choice.casefold():
            return choice
    return s or None


def read_statuses(path: Path) -> list[dict]:
    """What the office typed: each row's task id, status and note."""
    wb, ws = open_register(path)
    cols = header_columns(ws)
    out = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        tid = row[cols[ID_HEADER] - 1]
        if tid in (None, ""):
            continue
        status = canonical_status(row[cols["Trạng thái"] - 1]) if "Trạng thái" in cols else None
        note = row[cols["Ghi chú"] - 1] if "Ghi chú" in cols else None
        note = " ".join(str(note).split()) if note not in (None, "") else None
        out.append({"task_id": str(tid).strip(), "status": status, "note": note})
    return out


def is_done(status: str | None) -> bool:
    return canonical_status(status) == DONE
