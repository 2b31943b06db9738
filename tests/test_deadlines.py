import datetime as dt

import pytest

from conftest import TB_SEED, extract
from extract.extractors.dates import due_date, find_dates, resolve_year
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


_CD = ("THỦ TƯỚNG CHÍNH PHỦ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
       "Số: 220/CĐ-TTg\n\nHà Nội, ngày 18 tháng 11 năm 2025\n\nCÔNG ĐIỆN\nTẬP TRUNG HOÀN THÀNH CẮT GIẢM THỦ TỤC HÀNH CHÍNH\n"
       "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ;\n\n"
       "Thực hiện Nghị quyết số 66/NQ-CP ngày 26 tháng 3 năm 2025 của Chính phủ, Thủ tướng Chính phủ yêu cầu:\n")


def _tasks_of(tmp_path, body):
    p = tmp_path / "cd.txt"
    p.write_text(_CD + body, encoding="utf-8")
    ex = extract(p)
    return {t.text.split()[0] + " " + t.text.split()[1]: t for t in ex.tasks}, ex


def test_a_lead_ins_due_date_is_the_due_date_of_the_items_it_hands_out(tmp_path):
    """pool-cd-344b9e: "b) Các Bộ: ... khẩn trương khắc phục ..., hoàn thành trong tháng 11 năm 2025,
    cụ thể:" dates its items (1)-(3); an item with a date of its own keeps its own."""
    tasks, _ = _tasks_of(tmp_path,
        "1. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ\n"
        "a) Khẩn trương rà soát, chuẩn hóa kết quả giải quyết TTHC chưa được chuẩn hóa.\n"
        "b) Các Bộ: Tài chính, Y tế, Tư pháp khẩn trương khắc phục các bất cập của Hệ thống thông tin cơ sở dữ liệu "
        "thuộc phạm vi quản lý, hoàn thành trong tháng 11 năm 2025, cụ thể:\n"
        "(1) Bộ Tài chính tích hợp, cung cấp dịch vụ thanh toán trực tuyến nghĩa vụ tài chính đất đai.\n"
        "(2) Bộ Y tế hoàn thành nâng cấp, kết nối Hệ thống quản lý đăng ký, cấp phép hành nghề khám bệnh, chữa bệnh.\n"
        "(3) Bộ Tư pháp kịp thời khắc phục tình trạng chậm, lỗi của Hệ thống đăng ký hộ tịch, xong trước ngày 20/11/2025.\n"
        "2. Văn phòng Chính phủ theo dõi, đôn đốc việc triển khai các nhiệm vụ nêu trên.\n")
    assert tasks["Bộ Tài"].deadline == "2025-11-30" and tasks["Bộ Y"].deadline == "2025-11-30"
    assert tasks["Bộ Tư"].deadline == "2025-11-20"
    assert tasks["Khẩn trương"].deadline is None and tasks["Văn phòng"].deadline is None


def test_a_bare_year_closing_a_tasks_words_is_its_due_date(tmp_path):
    tasks, ex = _tasks_of(tmp_path,
        "1. Chủ tịch Ủy ban nhân dân các tỉnh tập trung chỉ đạo rà soát, điều chỉnh quy trình nội bộ, hoàn thành mục tiêu "
        "100% TTHC được thực hiện không phụ thuộc vào địa giới hành chính (theo Phụ lục III kèm theo) trong năm 2025.\n"
        # what was assigned in a year, and a year inside the clause, date nothing
        "2. Bộ Tài chính tiếp tục rà soát kỹ đối với các nhiệm vụ được giao trong năm 2025.\n"
        "3. Bộ Công Thương đề xuất kế hoạch cổ phần hóa trong năm 2025 đảm bảo khả thi.\n"
        # a past year is no due date
        "4. Bộ Nội vụ tổng kết việc thực hiện trong năm 2024.\n")
    assert tasks["Chủ tịch"].deadline == "2025-12-31"
    assert any(d.date == "2025-12-31" and d.text == "trong năm 2025" and d.kind == "within_year" for d in ex.deadlines)
    assert tasks["Bộ Tài"].deadline is None and tasks["Bộ Công"].deadline is None and tasks["Bộ Nội"].deadline is None


def test_a_bare_year_outside_any_task_is_a_period_not_a_deadline():
    got = deadlines_of("Ngày 05/01/2026.\nTrong năm 2025, toàn tỉnh đã tiếp đón 567.530 lượt khách, tăng 41,55% so với năm 2024.")
    assert not any(d.kind == "within_year" for d in got)


@pytest.mark.parametrize("text, due", [
    # web-kh-bacninh-141's labelled lines: a start with no end, and work that goes on
    ("Từ 01/7/2025", None),
    ("Giai đoạn 2026-2030 và những năm tiếp theo", None),
    ("từ năm 2026 trở đi", None),
    # a range is due at its end; a month at its last day
    ("Từ tháng 12/2025 đến quý I/2026", "2026-03-31"),
    ("Giai đoạn 2026-2030", "2030-12-31"),
    ("Tháng 12/2025", "2025-12-31"),
])
def test_a_plans_time_cell_is_due_at_its_end_and_a_start_alone_is_not_due(text, due):
    assert due_date(text) == due
