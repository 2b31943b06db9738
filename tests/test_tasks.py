import pytest

from conftest import BC_SEED, CORPUS, TB_SEED, extract
from extract.extractors.tasks import is_unit_heading, unit_phrase


def test_unit_headings():
    assert is_unit_heading("Văn phòng Sở") == "Văn phòng Sở"
    assert is_unit_heading("Các phòng chuyên môn thuộc Sở") == "Các phòng chuyên môn thuộc Sở"
    assert is_unit_heading("Giao Sở Xây dựng") == "Sở Xây dựng"
    assert is_unit_heading("TỔ CHỨC THỰC HIỆN") is None
    assert is_unit_heading("Công tác tham mưu cho Tỉnh ủy, HĐND, UBND tỉnh") is None


def test_unit_phrase_stops_where_work_begins():
    assert unit_phrase("phòng Quản lý Công nghiệp triển khai, thực hiện các công việc") == "phòng Quản lý Công nghiệp"
    assert unit_phrase("các chủ đầu tư tập trung thực hiện các nội dung sau") == "các chủ đầu tư"
    assert unit_phrase("Bộ Công Thương một số nội dung như sau") == "Bộ Công Thương"


def test_notice_tasks_under_unit_headings():
    ex = extract(TB_SEED)
    units = [t.unit for t in ex.tasks]
    assert units.count("Văn phòng Sở") == 5
    assert units.count("Các phòng chuyên môn thuộc Sở") == 3
    assert units.count("Các đơn vị sự nghiệp thuộc Sở") == 3
    t = next(t for t in ex.tasks if "đợt I năm 2026" in t.text)
    assert t.deadline == "2026-01-16" and t.text.startswith("Tham mưu Kế hoạch")
    assert not any(t.text.startswith(("Trên đây", "Tuy nhiên")) for t in ex.tasks)


def test_report_tasks_only_in_future_sections():
    ex = extract(BC_SEED)
    secs = {s.id: s for s in ex.document.sections}
    for t in ex.tasks:
        if t.text.startswith("Giao "):
            continue     # an assignment counts wherever it stands
        root = secs[t.section]
        while root.parent:
            root = secs[root.parent]
        assert root.label.startswith("V."), t.text
    assert not any("Đã hoàn thành" in t.text for t in ex.tasks)


def test_directive_intro_gives_the_unit():
    ex = extract(CORPUS / "kh-004.docx")
    assert [t.unit for t in ex.tasks] == ["phòng Quản lý Công nghiệp", "phòng Quản lý Công nghiệp"]
    ex = extract(CORPUS / "bc-007.docx")
    assert {t.unit for t in ex.tasks} == {"Bộ Công Thương"} and len(ex.tasks) == 4


@pytest.mark.parametrize("text, expected", [
    ("Phòng Quản lý Du lịch chủ trì, phối hợp với Văn phòng Sở, Thanh tra Sở và Trung tâm Văn hóa tỉnh tổ chức kiểm tra.",
     ["Văn phòng Sở", "Thanh tra Sở", "Trung tâm Văn hóa tỉnh"]),
    ("Giao Sở Xây dựng chủ trì, phối hợp chặt chẽ với Công an tỉnh, UBND các huyện, thành phố triển khai.",
     ["Công an tỉnh", "UBND các huyện, thành phố"]),
    ("Giao Sở Tài chính chủ trì phối hợp với các sở, ngành liên quan tham mưu.", ["các sở, ngành liên quan"]),
    ("Văn phòng Sở phối hợp với Sở Văn hóa, Thể thao và Du lịch thực hiện.", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Văn phòng Sở chủ động thực hiện.", []),
])
def test_co_units(text, expected):
    from extract.extractors.tasks import _co_units

    assert _co_units(text) == expected


def test_assigned_unit_ends_where_its_work_begins():
    from extract.extractors.tasks import unit_phrase

    assert unit_phrase("Văn phòng Sở tổng hợp, báo cáo trước ngày 16/01/2026.") == "Văn phòng Sở"
    assert unit_phrase("Phòng Tổng hợp chủ trì thực hiện") == "Phòng Tổng hợp"
