"""The office's task register, end to end on real documents of corpus/:
export, the office edits the workbook (openpyxl, as a user's Excel would
save it), documents come and go, `vanban run` again, export --update,
statuses imported back, and `vanban tasks` agreeing with the workbook."""
import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from conftest import CORPUS
from extract import store

FIRST = ["tb-2025-12-giaoban-svhttdl-laichau.txt", "bc-2023-6thang-svhttdl-laichau.txt",
         "bc-007.docx", "kh-004.docx", "tb-002.docx"]
ADDED, REMOVED = "cv-003.docx", "kh-004.docx"
TODAY = dt.date.today()


def vanban(*args):
    r = subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], capture_output=True, text=True)
    return r


def ok(*args):
    r = vanban(*args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def rows_of(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, (c.value for c in row)), _row=row[0].row) for row in ws.iter_rows(min_row=2)]


def store_ids(db, name=None):
    conn = store.connect(db)
    sql = "SELECT t.task_id FROM tasks t JOIN documents d ON d.id = t.doc_id"
    args = ()
    if name:
        sql += " WHERE d.path LIKE ?"
        args = (f"%{name}",)
    ids = [r[0] for r in conn.execute(sql, args)]
    conn.close()
    return ids


# ---- the workbook's own logic, read from its formulas and evaluated the way a spreadsheet does
def _excel_eq(a, b):
    norm = lambda v: "" if v is None else (str(v).casefold() if isinstance(v, str) else v)   # noqa: E731
    return norm(a) == norm(b)


def _compare(value, op, rhs):
    if rhs == "TODAY()":
        if value in (None, ""):
            return op == "<"            # a blank cell is 0, before any date
        d = value.date() if isinstance(value, dt.datetime) else value
        return {"<": d < TODAY, "=": d == TODAY, "<>": d != TODAY}[op]
    return {"=": _excel_eq(value, rhs), "<>": not _excel_eq(value, rhs)}[op]


_COND = re.compile(r'^(TRIM\()?\$([A-Z]+)(\d+)\)?(<>|=|<)("(?:[^"]*)"|TODAY\(\))$')


def highlighted(ws, formula, first_row):
    """Rows the conditional format's AND(...) formula marks, evaluated on the cells."""
    body = formula[len("AND("):-1] if formula.startswith("AND(") else formula
    conds = [_COND.match(part.strip()) for part in body.split(",")]
    assert all(conds), formula
    out = set()
    for r in range(first_row, ws.max_row + 1):
        def holds(m):
            v = ws[f"{m[2]}{r}"].value
            if m[1] and isinstance(v, str):
                v = " ".join(v.split())
            rhs = m[5] if m[5] == "TODAY()" else m[5][1:-1]
            return _compare(v, m[4], rhs)
        if all(holds(m) for m in conds):
            out.add(r)
    return out


_TERM = re.compile(r"\((TRIM\()?'([^']+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)\)?(<>|=|<)(\$A\d+|\"[^\"]*\"|TODAY\(\))\)")


def sumproduct(wb, sheet_row_label, formula):
    terms = _TERM.findall(formula)
    assert formula.startswith("=SUMPRODUCT(") and terms and formula.count(")*(") == len(terms) - 1, formula
    total = 0
    _, sheet, col, r0, _, r1, *_ = terms[0]
    for r in range(int(r0), int(r1) + 1):
        good = True
        for trim, sh, c, *_rng, op, rhs in terms:
            v = wb[sh][f"{c}{r}"].value
            if trim and isinstance(v, str):
                v = " ".join(v.split())
            if rhs.startswith("$A"):
                rhs = sheet_row_label
            elif rhs != "TODAY()":
                rhs = rhs[1:-1]
            good = good and _compare(v, op, rhs)
        total += good
    return total


@pytest.fixture
def office(tmp_path):
    folder = tmp_path / "van-ban"
    folder.mkdir()
    for name in FIRST:
        shutil.copy(CORPUS / name, folder / name)
    db = tmp_path / "vanban.db"
    ok("run", folder, "--db", db, "--workers", "2", "-q", "--no-ocr")
    return folder, db, tmp_path / "so-theo-doi.xlsx"


def test_the_register_keeps_the_office_edits_across_updates(office):
    folder, db, xlsx = office
    ok("export", "tasks", "--db", db, "-o", xlsx)
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Nhiệm vụ"]
    header, rows = rows_of(ws)
    assert {"Mã nhiệm vụ", "Trạng thái", "Ghi chú", "Cập nhật", "Ngày phát hiện"} <= set(header)
    first_ids = store_ids(db)
    assert sorted(r["Mã nhiệm vụ"] for r in rows) == sorted(set(first_ids)) and len(rows) > 30
    assert all(r["Cập nhật"] in (None, "") and r["Ngày phát hiện"].date() == TODAY for r in rows)
    assert "Tổng hợp" in wb.sheetnames

    # ---- the office at work: statuses, notes, a column of its own, its own formatting
    past = [r for r in rows if r["Hạn"] is not None and r["Hạn"].date() < TODAY]
    assert len(past) >= 3
    c = {h: i + 1 for i, h in enumerate(header)}
    edits = {}
    done, doing = past[0], past[1]
    ws.cell(done["_row"], c["Trạng thái"]).value = "Hoàn thành"
    ws.cell(doing["_row"], c["Trạng thái"]).value = "Đang thực hiện"
    removed_ids = set(store_ids(db, REMOVED))
    assert removed_ids
    gone_row = next(r for r in rows if r["Mã nhiệm vụ"] in removed_ids)
    ws.cell(gone_row["_row"], c["Ghi chú"]).value = "Đã báo cáo UBND tỉnh"
    follower = ws.max_column + 1
    ws.cell(1, follower).value = "Người theo dõi"
    ws.cell(1, follower).font = Font(bold=True)
    ws.column_dimensions[openpyxl.utils.get_column_letter(follower)].width = 22
    yellow = PatternFill("solid", fgColor="FFFF00")
    for k, r in enumerate([done, doing, rows[-1]]):
        ws.cell(r["_row"], c["Ghi chú"]).value = ws.cell(r["_row"], c["Ghi chú"]).value or f"ghi chú {k}"
        ws.cell(r["_row"], follower).value = ["Chị Lan", "Anh Minh", "Chị Hoa"][k]
        ws.cell(r["_row"], c["Trạng thái"]).fill = yellow
    for r in rows:
        row = r["_row"]
        edits[ws.cell(row, c["Mã nhiệm vụ"]).value] = (
            ws.cell(row, c["Trạng thái"]).value, ws.cell(row, c["Ghi chú"]).value, ws.cell(row, follower).value,
            row)
    wb.save(xlsx)
    header_before = [cell.value for cell in ws[1]]

    # ---- a week later: a new document arrives, one is withdrawn
    shutil.copy(CORPUS / ADDED, folder / ADDED)
    (folder / REMOVED).unlink()
    out = ok("run", folder, "--db", db, "--workers", "2", "-q", "--no-ocr")
    assert "1 stored" in out and "1 removed" in out
    new_ids = set(store_ids(db, ADDED))
    assert len(new_ids) >= 5
    assert set(first_ids) - removed_ids <= set(store_ids(db))      # unchanged tasks, unchanged ids

    said = ok("export", "tasks", "--db", db, "-o", xlsx, "--update")
    assert f"{len(new_ids)} new" in said and f"{len(removed_ids)} no longer found" in said
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Nhiệm vụ"]
    assert [cell.value for cell in ws[1]] == header_before           # today's headers, the office's column
    header, after = rows_of(ws)
    by_id = {r["Mã nhiệm vụ"]: r for r in after}
    assert len(after) == len(rows) + len(new_ids)
    for tid, (status, note, who, row) in edits.items():
        r = by_id[tid]
        assert (r["Trạng thái"], r["Ghi chú"], r["Người theo dõi"], r["_row"]) == (status, note, who, row)
    assert ws.cell(done["_row"], c["Trạng thái"]).fill.fgColor.rgb.endswith("FFFF00")   # the office's formatting
    assert ws.cell(1, follower).font.bold
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(follower)].width == 22
    for tid in new_ids:
        assert by_id[tid]["Cập nhật"] == "Mới" and by_id[tid]["Ngày phát hiện"].date() == TODAY
        assert by_id[tid]["Tệp"].endswith(ADDED)
    for tid in removed_ids:
        assert by_id[tid]["Cập nhật"] == "Không còn tìm thấy"
    assert by_id[gone_row["Mã nhiệm vụ"]]["Ghi chú"] == "Đã báo cáo UBND tỉnh"
    still = [r for r in after if r["Mã nhiệm vụ"] not in new_ids | removed_ids]
    assert still and all(r["Cập nhật"] in (None, "") for r in still)
    # new rows numbered on, and inside the filter, the highlighting and the drop-down
    assert [by_id[t]["STT"] for t in sorted(new_ids, key=lambda t: by_id[t]["_row"])] == \
        list(range(len(rows) + 1, len(rows) + len(new_ids) + 1))
    last = ws.max_row
    assert ws.auto_filter.ref.endswith(str(last))
    assert any(cr.max_row == last for cf in ws.conditional_formatting for cr in cf.sqref.ranges)
    assert any(f"G{last}" in dv.sqref for dv in ws.data_validations.dataValidation)

    # ---- a second update changes nothing but the "new" marks
    said = ok("export", "tasks", "--db", db, "-o", xlsx, "--update")
    assert "0 new" in said
    again = {r["Mã nhiệm vụ"]: r for r in rows_of(openpyxl.load_workbook(xlsx)["Nhiệm vụ"])[1]}
    assert all(again[t]["Cập nhật"] in (None, "") for t in new_ids)
    assert all(again[t]["Cập nhật"] == "Không còn tìm thấy" for t in removed_ids)
    assert {t: (r["Trạng thái"], r["Ghi chú"], r["Người theo dõi"]) for t, r in again.items()} == \
        {t: (r["Trạng thái"], r["Ghi chú"], r["Người theo dõi"]) for t, r in by_id.items()}

    # ---- statuses imported back: `vanban tasks --overdue` is what the sheet highlights
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Nhiệm vụ"]
    ws.cell(doing["_row"] + 1, c["Trạng thái"]).value = "  hoàn thành "     # as typed: Excel's compare is case-blind
    wb.save(xlsx)
    assert "tasks read" in ok("tasks", "import", xlsx, "--db", db)
    overdue = json.loads(ok("tasks", "--overdue", "--json", "--db", db))
    rule = next(r for cf in ws.conditional_formatting for r in cf.rules if "TODAY()" in r.formula[0])
    first_row = min(cr.min_row for cf in ws.conditional_formatting for cr in cf.sqref.ranges)
    marked = highlighted(ws, rule.formula[0], first_row)
    id_col = header.index("Mã nhiệm vụ") + 1
    assert {ws.cell(r, id_col).value for r in marked} == {t["id"] for t in overdue}
    assert done["Mã nhiệm vụ"] not in {t["id"] for t in overdue}
    assert doing["Mã nhiệm vụ"] in {t["id"] for t in overdue}
    assert len(overdue) >= 2 and all(t["deadline"] < TODAY.isoformat() for t in overdue)
    listed = {t["id"]: t for t in json.loads(ok("tasks", "--json", "--db", db))}
    assert listed[done["Mã nhiệm vụ"]]["status"] == "Hoàn thành"

    # ---- the summary sheet counts, per unit, what the task sheet holds
    sm = wb["Tổng hợp"]
    assert [c.value for c in sm[1]] == ["Đơn vị", "Nhiệm vụ", "Có hạn", "Quá hạn", "Hoàn thành"]
    values = {}
    for row in sm.iter_rows(min_row=2):
        if row[0].value == "Tổng":
            break
        values[row[0].value] = [sumproduct(wb, row[0].value, cell.value) for cell in row[1:]]
    live = [r for r in rows_of(ws)[1] if r["Cập nhật"] != "Không còn tìm thấy"]
    assert sum(v[0] for v in values.values()) == len(live)
    assert sum(v[1] for v in values.values()) == sum(1 for r in live if r["Hạn"] is not None)
    assert sum(v[2] for v in values.values()) == len(overdue)
    assert sum(v[3] for v in values.values()) == sum(1 for r in live if (r["Trạng thái"] or "").strip().casefold()
                                                     == "hoàn thành")
    vp = values["Văn phòng Sở"]
    assert vp[0] == sum(1 for r in live if r["Đơn vị thực hiện"] == "Văn phòng Sở") >= 5


def test_update_refuses_what_is_not_its_register(office, tmp_path):
    folder, db, xlsx = office
    foreign = tmp_path / "foreign.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["STT", "Nhiệm vụ", "Trạng thái", "Mã nhiệm vụ"])
    wb.active.append([1, "Báo cáo kết quả", "Hoàn thành", "NV-01"])
    wb.save(foreign)
    before = foreign.read_bytes()
    r = vanban("export", "tasks", "--db", db, "-o", foreign, "--update")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "not a task register written by vanban" in r.stderr
    assert r.stderr.startswith(str(foreign)) and foreign.read_bytes() == before
    ok("export", "tasks", "--db", db, "-o", xlsx)
    # a spreadsheet program that drops document properties: the ids still say whose it is
    wb = openpyxl.load_workbook(xlsx)
    wb.custom_doc_props.props.clear()
    wb.save(xlsx)
    assert not openpyxl.load_workbook(xlsx).custom_doc_props.props
    assert "0 new" in ok("export", "tasks", "--db", db, "-o", xlsx, "--update")
    ok("export", "tasks", "--db", db, "-o", xlsx)
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Nhiệm vụ"]
    ws.delete_cols([c.value for c in ws[1]].index("Mã nhiệm vụ") + 1)
    wb.save(xlsx)
    before = xlsx.read_bytes()
    r = vanban("export", "tasks", "--db", db, "-o", xlsx, "--update")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Mã nhiệm vụ" in r.stderr
    assert xlsx.read_bytes() == before
    r = vanban("tasks", "import", xlsx, "--db", db)
    assert r.returncode == 1 and "Mã nhiệm vụ" in r.stderr
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    r = vanban("export", "tasks", "--db", db, "-o", junk, "--update")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "not an Excel workbook" in r.stderr
    r = vanban("export", "tasks", "--db", db, "-o", tmp_path / "none.xlsx", "--update")
    assert r.returncode == 1 and "no such workbook" in r.stderr


def test_a_failed_save_leaves_the_workbook_whole(office, monkeypatch):
    """The update writes a temporary file and replaces the workbook only once it is whole."""
    from openpyxl.workbook.workbook import Workbook

    from extract import export

    folder, db, xlsx = office
    ok("export", "tasks", "--db", db, "-o", xlsx)
    before = xlsx.read_bytes()
    real_save = Workbook.save

    def dies_half_way(self, filename):
        real_save(self, filename)
        with open(filename, "r+b") as f:
            f.truncate(1000)                       # half a file on disk ...
        raise OSError(28, "No space left on device")   # ... and the disk is full

    monkeypatch.setattr(Workbook, "save", dies_half_way)
    with pytest.raises(OSError):
        export.export_tasks(store.connect(db), xlsx, update=True)
    assert xlsx.read_bytes() == before
    assert [p.name for p in xlsx.parent.iterdir() if p.name.endswith(".tmp")] == []
    monkeypatch.undo()
    assert export.export_tasks(store.connect(db), xlsx, update=True).kept > 30


def test_tasks_listing_filters(office):
    folder, db, _ = office
    everything = json.loads(ok("tasks", "--json", "--db", db))
    assert len(everything) == len(set(store_ids(db))) and len({t["id"] for t in everything}) == len(everything)
    vp = json.loads(ok("tasks", "--unit", "VP Sở", "--json", "--db", db))         # an alias
    assert vp and {t["unit"] for t in vp} == {"Văn phòng Sở"}
    assert len(vp) == sum(1 for t in everything if t["unit"] == "Văn phòng Sở")
    dated = [t for t in everything if t["deadline"]]
    assert dated
    mid = sorted(t["deadline"] for t in dated)[len(dated) // 2]
    before = json.loads(ok("tasks", "--due-before", mid, "--json", "--db", db))
    after = json.loads(ok("tasks", "--due-after", "/".join(reversed(mid.split("-"))), "--json", "--db", db))
    assert before and all(t["deadline"] < mid for t in before)
    assert after and all(t["deadline"] > mid for t in after)
    assert len(before) + len(after) + sum(1 for t in dated if t["deadline"] == mid) == len(dated)
    assert [t["deadline"] for t in dated] == sorted(t["deadline"] for t in dated)    # soonest first
    text = ok("tasks", "--unit", "VP Sở", "--db", db)
    assert "Văn phòng Sở" in text and f"{len(vp)} tasks" in text
    bad = vanban("tasks", "--due-before", "31/02/2026", "--db", db)
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_deleted_change_columns_come_back(office):
    """An office that deleted "Cập nhật" and "Ngày phát hiện" still learns which tasks went."""
    folder, db, xlsx = office
    ok("export", "tasks", "--db", db, "-o", xlsx)
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Nhiệm vụ"]
    header = [c.value for c in ws[1]]
    ws.delete_cols(header.index("Cập nhật") + 1, 2)
    wb.save(xlsx)
    gone = set(store_ids(db, "tb-002.docx"))
    (folder / "tb-002.docx").unlink()
    ok("run", folder, "--db", db, "--workers", "1", "-q", "--no-ocr")
    assert f"{len(gone)} no longer found" in ok("export", "tasks", "--db", db, "-o", xlsx, "--update")
    header, rows = rows_of(openpyxl.load_workbook(xlsx)["Nhiệm vụ"])
    assert header[-2:] == ["Cập nhật", "Ngày phát hiện"]
    assert gone and {r["Mã nhiệm vụ"] for r in rows if r["Cập nhật"] == "Không còn tìm thấy"} == gone


def _through_calc(xlsx, tmp_path):
    """The workbook opened and saved by LibreOffice Calc (which computes its formulas), or None."""
    import os

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        return None
    out = tmp_path / "calc"
    out.mkdir(exist_ok=True)
    subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                    "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(xlsx)],
                   capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    saved = out / xlsx.name
    return saved if saved.exists() else None


def test_a_spreadsheet_computes_the_summary_and_keeps_the_register(office, tmp_path):
    """Calc computes the summary's formulas to the register's own counts, and a
    workbook the office saved from Calc is still vanban's to update and import."""
    folder, db, xlsx = office
    ok("export", "tasks", "--db", db, "-o", xlsx)
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Nhiệm vụ"]
    header, rows = rows_of(ws)
    st = header.index("Trạng thái") + 1
    past = [r for r in rows if r["Hạn"] is not None and r["Hạn"].date() < TODAY]
    ws.cell(past[0]["_row"], st).value = "Hoàn thành"
    wb.save(xlsx)
    saved = _through_calc(xlsx, tmp_path)
    if saved is None:
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
    computed = openpyxl.load_workbook(saved, data_only=True)
    summary = {r[0]: r[1:] for r in computed["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    total = summary.pop("Tổng")
    _, live = rows_of(computed["Nhiệm vụ"])
    assert total[0] == len(live) == len(rows)
    assert total[1] == sum(1 for r in live if r["Hạn"] is not None)
    assert total[3] == 1
    assert summary["Văn phòng Sở"][0] == sum(1 for r in live if r["Đơn vị thực hiện"] == "Văn phòng Sở")
    shutil.copy(saved, xlsx)                        # the office's workbook is now Calc's
    assert "0 new" in ok("export", "tasks", "--db", db, "-o", xlsx, "--update")
    ok("tasks", "import", xlsx, "--db", db)
    overdue = json.loads(ok("tasks", "--overdue", "--json", "--db", db))
    assert total[2] == len(overdue) == len(past) - 1
