import sqlite3
"""Exports read back: the tasks workbook with openpyxl, CSV and Parquet with pandas."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from extract import export, store
from extract.pipeline import extract_file


def vanban(*args):
    return subprocess.run([sys.executable, "-m", "extract.cli", *args], capture_output=True, text=True)


def test_tasks_workbook(archive_db, tmp_path):
    out = tmp_path / "tasks.xlsx"
    r = vanban("export", "tasks", "--db", str(archive_db), "-o", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:5] == ["STT", "Đơn vị thực hiện", "Đơn vị phối hợp", "Nhiệm vụ", "Hạn"]
    assert "Trạng thái" in header and "Số ký hiệu" in header and "Tệp" in header
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    assert ws.column_dimensions["D"].width >= 60
    ids = [r[0] for r in store.connect(archive_db).execute("SELECT task_id FROM tasks")]
    assert ws.max_row == len(set(ids)) + 1 and len(ids) > 20
    assert header[-3:] == ["Mã nhiệm vụ", "Cập nhật", "Ngày phát hiện"] and "Ghi chú" in header
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    vp = [r for r in rows if r["Đơn vị thực hiện"] == "Văn phòng Sở" and r["Số ký hiệu"] == "12/TB-SVHTTDL"]
    assert vp
    dated = [r for r in rows if r["Hạn"] is not None]
    assert dated and all(isinstance(r["Hạn"], dt.datetime) for r in dated)   # a real date cell
    cell = next(c for c in ws["E"][1:] if c.value is not None)
    assert cell.number_format == "DD/MM/YYYY" and cell.is_date
    assert ws["D2"].alignment.wrap_text
    # overdue rows: conditional formatting on TODAY(), not a colour frozen at export time
    rules = [rule for rng in ws.conditional_formatting for rule in rng.rules]
    assert any("TODAY()" in f for rule in rules for f in rule.formula)
    assert ws.data_validations.dataValidation[0].formula1.startswith('"Chưa thực hiện')
    assert sorted(r["Mã nhiệm vụ"] for r in rows) == sorted(set(ids))
    assert wb.sheetnames == ["Nhiệm vụ", "Tổng hợp"]
    co = [r for r in rows if r["Đơn vị phối hợp"]]
    assert any("Trung tâm Thông tin xúc tiến du lịch" in r["Đơn vị phối hợp"] for r in co)


def test_formula_guard(tmp_path, seed_formats):
    """Text from a document that looks like a formula stays text."""
    conn = store.connect(tmp_path / "f.db")
    data = extract_file(seed_formats["txt"])
    data.tasks[0].text = '=HYPERLINK("http://x.invalid","bấm vào")'
    data.tasks[1].text = "+84 212 3876 543"
    data.tasks[2].unit = data.tasks[2].unit_canonical = "@Phòng Quản lý"
    data.tasks[3].text = "-1+1"
    store.save(conn, data, path="f.txt", size=1, mtime_ns=1, version="v")
    xlsx = export.export_tasks(conn, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    texts = {c.value for c in cells}
    assert '=HYPERLINK("http://x.invalid","bấm vào")' in texts and "-1+1" in texts and "@Phòng Quản lý" in texts
    assert not [c for c in cells if c.data_type == "f"]
    csv = export.export_tasks(conn, tmp_path / "f.csv")
    df = pd.read_csv(csv, encoding="utf-8-sig")
    assert "'=HYPERLINK(\"http://x.invalid\",\"bấm vào\")" in set(df["task"])
    assert "'+84 212 3876 543" in set(df["task"])


def test_csv_parquet_and_all(archive_db, tmp_path):
    conn = store.connect(archive_db)
    p = export.export_tasks(conn, tmp_path / "t.parquet")
    df = pd.read_parquet(p)
    assert str(df["deadline"].dtype).startswith("datetime64") and len(df) > 10
    r = vanban("export", "all", "--db", str(archive_db), "-o", str(tmp_path / "all"))
    assert r.returncode == 0, r.stderr
    tasks = pd.read_parquet(tmp_path / "all" / "tasks.parquet")
    assert len(tasks) == len(df) and "year" in tasks.columns
    years = {d.name for d in (tmp_path / "all" / "tasks.parquet").iterdir()}
    assert "year=2026" in years
    links = pq.read_table(tmp_path / "all" / "links.parquet").to_pandas()
    assert list(links["cited_number"]) == ["12/TB-SVHTTDL"]
    docs = pd.read_parquet(tmp_path / "all" / "documents.parquet")
    assert len(docs) == 7
    bad = vanban("export", "tasks", "--db", str(archive_db), "-o", str(tmp_path / "t.json"))
    assert bad.returncode == 2 and "unknown format" in bad.stderr
    missing = vanban("export", "tasks", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.xlsx"))
    assert missing.returncode == 1 and "no such database" in missing.stderr


# A real text (the seed thông báo) carrying control characters into a task, as
# a PDF's font or a botched copy does: STX for a hyphen, an ESC sequence, a C1.
def _seed_with_controls(path):
    from conftest import TB_SEED

    text = TB_SEED.read_text(encoding="utf-8")
    assert "2.1. Văn phòng Sở" in text
    text = text.replace("47/CTr-SVHTTDL", "47/CTr\x02SVHTTDL").replace("2.1. Văn phòng Sở", "2.1. Văn phòng\x1b Sở\x9c")
    path.write_text(text, encoding="utf-8")
    return path


def test_run_then_export_tasks_with_control_characters(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    _seed_with_controls(docs / "tb-controls.txt")
    db = tmp_path / "v.db"
    r = vanban("run", str(docs), "--db", str(db), "--workers", "1")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "tasks.xlsx"
    r = vanban("export", "tasks", "--db", str(db), "-o", str(out))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    assert rows and not any(isinstance(v, str) and any(ord(c) < 32 and c not in "\t\n" or 0x7f <= ord(c) < 0xa0 for c in v)
                            for r in rows for v in r.values())
    assert any(r["Đơn vị thực hiện"] == "Văn phòng Sở" for r in rows)
    assert any("47/CTrSVHTTDL" in (r["Nhiệm vụ"] or "") for r in rows)     # the STX dropped, the task kept


def test_export_cleans_a_store_written_with_control_characters(tmp_path, seed_formats):
    """A store from before normalisation dropped them: the workbook is written,
    the cells cleaned; CSV and Parquet keep the text as stored."""
    conn = store.connect(tmp_path / "c.db")
    data = extract_file(seed_formats["txt"])
    data.tasks[0].text = "Tổng hợp\x02 báo cáo\x00 gửi Sở\x1b trước ngày 15/01"
    store.save(conn, data, path="c\x01.txt", size=1, mtime_ns=1, version="v")
    ws = openpyxl.load_workbook(export.export_tasks(conn, tmp_path / "c.xlsx")).active
    texts = [c.value for c in ws["D"][1:]]
    assert "Tổng hợp báo cáo gửi Sở trước ngày 15/01" in texts
    path_col = [c.value for c in ws[1]].index("Tệp")
    assert all(row[path_col].value == "c.txt" for row in ws.iter_rows(min_row=2))
    df = pd.read_csv(export.export_tasks(conn, tmp_path / "c.csv"))
    assert "Tổng hợp\x02 báo cáo\x00 gửi Sở\x1b trước ngày 15/01" in set(df["task"])


def test_a_row_that_cannot_be_written_is_one_line(tmp_path, seed_formats):
    conn = store.connect(tmp_path / "r.db")
    store.save(conn, extract_file(seed_formats["txt"]), path="r.txt", size=1, mtime_ns=1, version="v")
    df = export.tasks_frame(conn)
    df["deadline"] = df["deadline"].astype(object)
    df.at[1, "deadline"] = {"not": "a date"}          # a value no cell can take
    lines = []
    out = export.write_tasks_xlsx(df, tmp_path / "r.xlsx", on_error=lines.append)
    assert len(lines) == 1 and lines[0].startswith("tasks row 2 (r.txt): ")
    ws = openpyxl.load_workbook(out).active
    assert ws.max_row == len(df) + 1
    assert ws["A3"].value == 2 and ws["D3"].value is None
    assert ws["D2"].value == df.loc[0, "task"] and ws["D4"].value == df.loc[2, "task"]


SHARED_CV011 = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "cv-011.pdf"


@pytest.mark.skipif(not SHARED_CV011.exists(), reason="../shared/corpus is not beside this checkout")
def test_run_then_export_tasks_over_the_real_pdf_with_a_control_character(tmp_path):
    """cv-011.pdf's font gives PDFium's STX for the hyphen of "2257/QĐ-UBND", inside a task."""
    import shutil

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SHARED_CV011, docs / SHARED_CV011.name)
    db = tmp_path / "v.db"
    assert vanban("run", str(docs), "--db", str(db), "--workers", "1", "--no-ocr").returncode == 0
    out = tmp_path / "tasks.xlsx"
    r = vanban("export", "tasks", "--db", str(db), "-o", str(out))
    assert r.returncode == 0, r.stderr
    texts = [c.value or "" for c in openpyxl.load_workbook(out).active["D"][1:]]
    stored = [t for (t,) in sqlite3.connect(db).execute("SELECT text FROM tasks")]
    assert stored and len(texts) == len(stored)          # every task is in the workbook
    text = sqlite3.connect(db).execute("SELECT text FROM documents").fetchone()[0]
    assert "Quyết định số 2257/QĐ-UBND" in text          # the STX read as the hyphen it stands for
