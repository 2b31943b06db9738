import datetime as dt

import pytest

from conftest import TB_SEED, extract
from extract.extractors.dates import find_dates, resolve_year
from extract.extractors.deadlines import find_deadlines
from extract.model import RawBlock, RawDocument
from extract.structure import structure


def deadlines_of(text):
    doc = structure(RawDocument(path="t.txt", format="txt", sha256="", blocks=[RawBlock(t) for t in text.split("\n")]))
    return find_deadlines(doc)


def test_year_from_context_across_new_year():
    assert resolve_year(11, 1, dt.date(2026, 1, 5)) == 2026
    assert resolve_year(5, 1, dt.date(2025, 12, 28)) == 2026
    assert resolve_year(20, 12, dt.date(2025, 12, 28)) == 2025


def test_dates_in_all_forms():
    got = [(d.day, d.month, d.year) for d in find_dates("ngày 23/5/2023, ngày 01 tháng 7 năm 2028, trước 16/01, 13-14/12/2025")]
    assert (23, 5, 2023) in got and (1, 7, 2028) in got and (16, 1, None) in got


@pytest.mark.parametrize("text,date,kind", [
    ("Ngày 05/01/2026, Sở tổ chức họp.\n- Tham mưu kế hoạch (Báo cáo Ban Giám đốc trước ngày 16/01).", "2026-01-16", "by"),
    ("Ngày 28/12/2025, Sở tổ chức họp.\n- Xây dựng chương trình (Xong trước ngày 05/01).", "2026-01-05", "by"),
    ("Ngày 05/01/2026 họp.\n- Tổ chức hội nghị (Hoàn thành trong ngày 11/01).", "2026-01-11", "by"),
    ("Ngày 05/01/2026 họp.\n- Hoàn thành chậm nhất đến ngày 01 tháng 7 năm 2028.", "2028-07-01", "by"),
    ("Ngày 05/01/2026 họp.\n- Gửi báo cáo về Sở trước 30/01/2026.", "2026-01-30", "by"),
    ("Ngày 05/01/2026 họp.\n- Các đơn vị hoàn thành trong tháng 02/2026.", "2026-02-28", "within_month"),
    ("Ngày 05/01/2026 họp.\n- Trình UBND tỉnh trong quý I/2026.", "2026-03-31", "within_quarter"),
    ("Ngày 05/01/2026 họp.\n- Hạn nộp hồ sơ: 20/01/2026.", "2026-01-20", "by"),
    # an hour before the date (a công điện of the Prime Minister, pool-cd-b2fa00)
    ("Ngày 25/11/2025.\nỦy ban nhân dân các tỉnh khẩn trương gửi Báo cáo về Văn phòng Chính phủ trước 17 giờ ngày 27/11/2025 để tổng hợp.",
     "2025-11-27", "by"),
    ("Ngày 05/01/2026 họp.\n- Báo cáo nhanh kết quả, gửi trước 10 giờ 00 ngày 20/01/2026.", "2026-01-20", "by"),
])
def test_deadline_phrases(text, date, kind):
    got = deadlines_of(text)
    assert [(d.date, d.kind) for d in got] == [(date, kind)]


@pytest.mark.parametrize("text,kind", [
    ("- Báo cáo kết quả trước ngày 20 hằng tháng.", "recurring"),
    ("- Ban hành chương trình công tác (ngay sau khi UBND tỉnh ban hành).", "relative"),
    ("- Giải quyết trong thời hạn 10 ngày kể từ ngày nhận đủ hồ sơ.", "relative"),
])
def test_undated_deadlines_keep_text(text, kind):
    got = deadlines_of(text)
    assert len(got) == 1 and got[0].date is None and got[0].kind == kind and got[0].text


def test_event_and_document_dates_are_not_deadlines():
    text = ("Ngày 05/01/2026, Sở tổ chức Hội nghị giao ban.\n"
            "Thực hiện Nghị định 335/2025/NĐ-CP ngày 21/12/2025 (Có hiệu lực ngày 01/01/2026).\n"
            "Tổ chức Giải Marathon từ ngày 13-14/12/2025.\n"
            "Các văn bản ban hành trước ngày 01/4/2025 còn hiệu lực.")
    assert deadlines_of(text) == []


def test_seed_deadlines_link_to_tasks():
    ex = extract(TB_SEED)
    dated = {d.date for d in ex.deadlines if d.date}
    assert dated == {"2026-01-11", "2026-01-16", "2026-01-15", "2026-01-30"}
    for d in ex.deadlines:
        assert d.task is not None
        assert ex.document.text[d.span.start:d.span.end] == d.text
    t = ex.tasks[ex.deadlines[0].task]
    assert t.deadline == "2026-01-11" and t.unit == "Văn phòng Sở"
