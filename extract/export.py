"""Exports from the store: the tasks sheet an office works from, and every table as Parquet."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

STATUS_CHOICES = ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Quá hạn"]
DONE = "Hoàn thành"

# (header, key in the frame, width, is a date)
TASK_COLUMNS = [
    ("STT", None, 6, False),
    ("Đơn vị thực hiện", "unit", 28, False),
    ("Đơn vị phối hợp", "co_units", 24, False),
    ("Nhiệm vụ", "task", 70, False),
    ("Hạn", "deadline", 12, True),
    ("Ghi chú về hạn", "deadline_text", 24, False),
    ("Trạng thái", "status", 16, False),
    ("Ghi chú", "note", 30, False),
    ("Số ký hiệu", "number", 20, False),
    ("Ngày văn bản", "doc_date", 12, True),
    ("Trích yếu", "title", 40, False),
    ("Mục", "section_heading", 30, False),
    ("Tệp", "path", 30, False),
    ("Mã nhiệm vụ", "task_id", 15, False),
    ("Cập nhật", "update", 16, False),
    ("Ngày phát hiện", "first_seen", 13, True),
]
# The register's columns the office fills in: an update never writes them for
# a task the workbook already holds (nor any column vanban did not write).
OFFICE_COLUMNS = ("Trạng thái", "Ghi chú")
ID_HEADER = "Mã nhiệm vụ"
UPDATE_HEADER = "Cập nhật"
NEW, GONE = "Mới", "Không còn tìm thấy"      # the "Cập nhật" of a new task, of one no longer extracted
SHEET, SUMMARY_SHEET = "Nhiệm vụ", "Tổng hợp"
MARK = ("vanban", "tasks/1")                   # a custom document property: this workbook is vanban's register


def tasks_frame(conn) -> pd.DataFrame:
    from .store import read_tasks

    df = read_tasks(conn)
    df["co_units"] = df["co_units"].map(lambda s: "; ".join(json.loads(s)) if s else "")
    for c in ("deadline", "doc_date"):
        df[c] = pd.to_datetime(df[c], errors="coerce")
    return df


def _as_date(v):
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date()
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            return None
    return v


def _xlsx_text(v: str) -> str:
    """The text without the characters a workbook cannot hold (C0 controls but
    tab and newlines: a store written before normalisation dropped them, a file name)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", v)


def _report(line: str) -> None:
    import sys

    print(line, file=sys.stderr)


def register_rows(df: pd.DataFrame, today: dt.date | None = None) -> list[dict]:
    """The register's rows: one per task id (two copies of one document, or its
    .docx draft and signed PDF, give the same tasks: one row), with the date
    a row first appears."""
    today = today or dt.date.today()
    rows, seen = [], set()
    for rec in df.to_dict("records"):
        tid = rec.get("task_id")
        if tid:
            if tid in seen:
                continue
            seen.add(tid)
        rows.append({**rec, "update": "", "first_seen": today})
    return rows


def write_cell(cell, v, is_date: bool) -> None:
    """One value of a register row into its cell: a date cell, or text that stays text."""
    if is_date:
        d = _as_date(v)
        cell.value = d
        if d is not None:
            cell.number_format = "DD/MM/YYYY"
    else:
        v = "" if v is None or (isinstance(v, float) and pd.isna(v)) else _xlsx_text(str(v))
        cell.value = v
        # Text from a document is data: "=..." or "+..." must never become
        # a formula (openpyxl would type it as one).
        cell.data_type = "s"


def write_tasks_xlsx(df: pd.DataFrame, out: Path, today: dt.date | None = None, on_error=_report) -> Path:
    """One row per task: real date cells, a status column, overdue rows highlighted,
    and a second sheet counting each unit's tasks.

    A row that cannot be written is left blank but for its number, and
    ``on_error`` gets one line naming the table and the row; the rest is written."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.custom_doc_props.append(StringProperty(name=MARK[0], value=MARK[1]))
    ws = wb.active
    ws.title = SHEET
    ws.append([h for h, *_ in TASK_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, rec in enumerate(register_rows(df, today), start=1):
        r = i + 1
        try:
            _write_task_row(ws, r, i, rec, wrap)
        except Exception as e:   # one row's failure is that row's line, not the workbook's end
            for c in range(1, len(TASK_COLUMNS) + 1):
                ws.cell(row=r, column=c).value = i if c == 1 else None
            msg = " ".join(str(e).split())[:200]
            on_error(f"tasks row {i} ({rec.get('path') or '?'}): {type(e).__name__}: {msg}")
    last = ws.max_row
    for c, (_h, _k, width, _d) in enumerate(TASK_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(TASK_COLUMNS))}{max(last, 1)}"
    if last >= 2:
        add_sheet_rules(ws, header_columns(ws), 2, last)
    write_summary(wb, ws)
    return save_atomic(wb, out)


def header_columns(ws) -> dict[str, int]:
    """Header text -> column number, from the sheet's first row (columns the office moved are found)."""
    return {str(c.value).strip(): c.column for c in ws[1] if c.value is not None and str(c.value).strip()}


def overdue_formula(cols: dict[str, int], row: int) -> str:
    """The overdue test of one row, as a spreadsheet formula: a deadline before
    today, a status other than done, on a task still extracted. TODAY() keeps
    the sheet right on the day it is opened, not the day it was made."""
    from openpyxl.utils import get_column_letter as L

    dl, st, up = L(cols["Hạn"]), L(cols["Trạng thái"]), L(cols[UPDATE_HEADER])
    return f'AND(${up}{row}<>"{GONE}",${dl}{row}<>"",${dl}{row}<TODAY(),TRIM(${st}{row})<>"{DONE}")'


def add_sheet_rules(ws, cols: dict[str, int], first: int, last: int) -> None:
    """Highlighting and the status drop-down over rows ``first``..``last``."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter as L
    from openpyxl.worksheet.datavalidation import DataValidation

    width = L(max(cols.values()))
    up, st = L(cols[UPDATE_HEADER]), L(cols["Trạng thái"])
    ws.conditional_formatting.add(
        f"A{first}:{width}{last}",
        FormulaRule(formula=[overdue_formula(cols, first)],
                    fill=PatternFill("solid", bgColor="F8CBAD"), font=Font(color="9C0006")))
    ws.conditional_formatting.add(      # no longer extracted: greyed, kept for the record
        f"A{first}:{width}{last}",
        FormulaRule(formula=[f'${up}{first}="{GONE}"'], font=Font(color="808080", italic=True)))
    ws.conditional_formatting.add(
        f"{up}{first}:{up}{last}",
        FormulaRule(formula=[f'${up}{first}="{NEW}"'], fill=PatternFill("solid", bgColor="C6EFCE")))
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"{st}{first}:{st}{last}")


def write_summary(wb, ws) -> None:
    """The second sheet: per unit, its tasks, those with a deadline, overdue, done.

    Formulas over the task sheet, with the highlighting's own test, so the
    counts follow the statuses the office types in. The sheet is vanban's:
    an update writes it anew."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter as L

    at = None
    if SUMMARY_SHEET in wb.sheetnames:        # written anew, where it stood
        at = wb.sheetnames.index(SUMMARY_SHEET)
        del wb[SUMMARY_SHEET]
    sm = wb.create_sheet(SUMMARY_SHEET, at)
    cols = header_columns(ws)
    last = max(ws.max_row, 2)
    rng = {h: f"'{ws.title}'!${L(cols[h])}$2:${L(cols[h])}${last}"
           for h in ("Đơn vị thực hiện", "Hạn", "Trạng thái", UPDATE_HEADER)}
    unit, dl, st, up = (rng[h] for h in ("Đơn vị thực hiện", "Hạn", "Trạng thái", UPDATE_HEADER))
    counts: dict[str, int] = {}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, cols[ID_HEADER]).value and ws.cell(r, cols[UPDATE_HEADER]).value != GONE:
            u = ws.cell(r, cols["Đơn vị thực hiện"]).value or ""
            counts[u] = counts.get(u, 0) + 1
    sm.append(["Đơn vị", "Nhiệm vụ", "Có hạn", "Quá hạn", "Hoàn thành"])
    for c in sm[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    units = sorted(counts, key=lambda u: (-counts[u], u == "", u))
    for i, u in enumerate(units, start=2):
        crit = f'({unit}="")' if u == "" else f"({unit}=$A{i})"
        live = f'({up}<>"{GONE}")'
        sm.append([u or "(chưa rõ đơn vị)",
                   f"=SUMPRODUCT({crit}*{live})",
                   f'=SUMPRODUCT({crit}*{live}*({dl}<>""))',
                   f'=SUMPRODUCT({crit}*{live}*({dl}<>"")*({dl}<TODAY())*(TRIM({st})<>"{DONE}"))',
                   f'=SUMPRODUCT({crit}*{live}*(TRIM({st})="{DONE}"))'])
    n = len(units) + 1
    sm.append(["Tổng"] + [f"=SUM({L(c)}2:{L(c)}{n})" for c in range(2, 6)])
    for c in sm[sm.max_row]:
        c.font = Font(bold=True)
    sm.column_dimensions["A"].width = 45
    for c in "BCDE":
        sm.column_dimensions[c].width = 12
    sm.freeze_panes = "A2"


def save_atomic(wb, out: Path) -> Path:
    """Save to a temporary file beside ``out``, then replace it: an interrupted
    or failed save never leaves the office's workbook half-written."""
    import os
    import tempfile

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".xlsx.tmp")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _write_task_row(ws, r: int, i: int, rec: dict, wrap) -> None:
    for c, (header, key, _w, is_date) in enumerate(TASK_COLUMNS, start=1):
        cell = ws.cell(row=r, column=c)
        if key is None:
            cell.value = i if header == "STT" else None
        else:
            write_cell(cell, rec.get(key), is_date)
        cell.alignment = wrap


def _csv_safe(v):
    # Spreadsheet programs run a CSV cell that starts with = + - @ as a formula;
    # a leading apostrophe keeps it text (OWASP's advice for CSV injection).
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def export_tasks(conn, out: Path, fmt: str | None = None, update: bool = False, on_error=_report):
    """Write the tasks; with ``update``, bring the office's existing workbook up
    to date instead (see :mod:`extract.register`), returning what changed. A
    row that cannot be written is reported through ``on_error``."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".") or "xlsx").lower()
    df = tasks_frame(conn)
    if update:
        if fmt != "xlsx":
            raise ValueError("--update works on an .xlsx workbook")
        from .register import update_workbook

        return update_workbook(df, out)
    if fmt == "xlsx":
        return write_tasks_xlsx(df, out, on_error=on_error)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        safe = df.copy()
        for c in safe.columns:
            if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
                safe[c] = safe[c].map(_csv_safe)
        safe.to_csv(out, index=False, encoding="utf-8-sig")  # the BOM tells Excel it is UTF-8
        return out
    if fmt == "parquet":
        df.to_parquet(out, index=False)
        return out
    raise ValueError(f"unknown format {fmt!r} (xlsx, csv or parquet)")


def export_all(conn, out_dir: Path, fmt: str = "parquet", partition: bool = True) -> list[Path]:
    """Every table (and the links view) as Parquet, or CSV; large tables partitioned by year."""
    from .dataset import load_table
    from .store import TABLES

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        df = load_table(conn, name)
        for c in df.columns:
            # {page: confidence} maps vary in their keys: Parquet takes them as JSON text
            if df[c].dtype == object and any(isinstance(v, dict) for v in df[c]):
                df[c] = df[c].map(lambda v: json.dumps(v, ensure_ascii=False))
        if fmt == "csv":
            p = out_dir / f"{name}.csv"
            df.to_csv(p, index=False, encoding="utf-8-sig")
        elif fmt == "parquet":
            p = out_dir / f"{name}.parquet"
            if p.is_dir():
                import shutil
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
            if partition and name != "links" and len(df):
                # year of the document: a directory per year (hive style) that
                # DuckDB, Spark and pandas read as one dataset.
                df = df.assign(year=_doc_year(conn, df, name))
                df.to_parquet(p, index=False, partition_cols=["year"])
            else:
                df.to_parquet(p, index=False)
        else:
            raise ValueError(f"unknown format {fmt!r} (parquet or csv)")
        written.append(p)
    return written


def _doc_year(conn, df, name):
    from .store import document_years

    years = document_years(conn)
    key = "id" if name == "documents" else "doc_id"
    if key not in df.columns:
        return "unknown"
    return df[key].map(lambda i: years.get(int(i), "unknown") if pd.notna(i) else "unknown")
