"""Exports from the store: the tasks sheet an office works from, and every table as Parquet."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

STATUS_CHOICES = ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Quá hạn"]

# (header, key in the frame, width, is a date)
TASK_COLUMNS = [
    ("STT", None, 6, False),
    ("Đơn vị thực hiện", "unit", 28, False),
    ("Đơn vị phối hợp", "co_units", 24, False),
    ("Nhiệm vụ", "task", 70, False),
    ("Hạn", "deadline", 12, True),
    ("Ghi chú về hạn", "deadline_text", 24, False),
    ("Trạng thái", None, 16, False),
    ("Số ký hiệu", "number", 20, False),
    ("Ngày văn bản", "doc_date", 12, True),
    ("Trích yếu", "title", 40, False),
    ("Mục", "section_heading", 30, False),
    ("Tệp", "path", 30, False),
]


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


def write_tasks_xlsx(df: pd.DataFrame, out: Path, on_error=_report) -> Path:
    """One row per task: real date cells, a status column, overdue rows highlighted.

    A row that cannot be written is left blank but for its number, and
    ``on_error`` gets one line naming the table and the row; the rest is written."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append([h for h, *_ in TASK_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(df.itertuples(index=False), start=1):
        r = i + 1
        rec = row._asdict()
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
        dl = get_column_letter([h for h, *_ in TASK_COLUMNS].index("Hạn") + 1)
        st = get_column_letter([h for h, *_ in TASK_COLUMNS].index("Trạng thái") + 1)
        # Overdue: a deadline before today on a task not marked done. TODAY()
        # keeps the sheet right on the day it is opened, not the day it was made.
        ws.conditional_formatting.add(
            f"A2:{get_column_letter(len(TASK_COLUMNS))}{last}",
            FormulaRule(formula=[f'AND(${dl}2<>"",${dl}2<TODAY(),${st}2<>"Hoàn thành")'],
                        fill=PatternFill("solid", bgColor="F8CBAD"), font=Font(color="9C0006")),
        )
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(f"{st}2:{st}{last}")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _write_task_row(ws, r: int, i: int, rec: dict, wrap) -> None:
    for c, (header, key, _w, is_date) in enumerate(TASK_COLUMNS, start=1):
        cell = ws.cell(row=r, column=c)
        if key is None:
            cell.value = i if header == "STT" else None
        elif is_date:
            d = _as_date(rec.get(key))
            cell.value = d
            if d is not None:
                cell.number_format = "DD/MM/YYYY"
        else:
            v = rec.get(key)
            v = "" if v is None or (isinstance(v, float) and pd.isna(v)) else _xlsx_text(str(v))
            cell.value = v
            # Text from a document is data: "=..." or "+..." must never become
            # a formula (openpyxl would type it as one).
            cell.data_type = "s"
        cell.alignment = wrap


def _csv_safe(v):
    # Spreadsheet programs run a CSV cell that starts with = + - @ as a formula;
    # a leading apostrophe keeps it text (OWASP's advice for CSV injection).
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def export_tasks(conn, out: Path, fmt: str | None = None, on_error=_report) -> Path:
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".") or "xlsx").lower()
    df = tasks_frame(conn)
    if fmt == "xlsx":
        return write_tasks_xlsx(df, out, on_error)
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
