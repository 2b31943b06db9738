import pytest

from conftest import CORPUS, extract
from extract.extractors.metrics import find_metrics
from extract.model import RawBlock, RawDocument
from extract.structure import structure


def metrics_of(text):
    doc = structure(RawDocument(path="t.txt", format="txt", sha256="", blocks=[RawBlock(t) for t in text.split("\n")]))
    return [(m.value, m.unit) for m in find_metrics(doc)], find_metrics(doc)


@pytest.mark.parametrize("text,expected", [
    ("toàn tỉnh ước đón 567.530 lượt khách", [(567530, "lượt khách")]),
    ("tăng 41,55% so với cùng kỳ năm 2022", [(41.55, "%")]),
    ("doanh thu ước đạt 411,999 tỷ đồng", [(411.999, "tỷ đồng")]),
    ("30 khách sạn với 1.153buồng/phòng", [(30, "khách sạn"), (1153, "buồng/phòng")]),
    ("có 02 đơn vị cung ứng", [(2, "đơn vị cung ứng")]),
    ("thời gian đình chỉ 4,5 tháng", [(4.5, "tháng")]),
    ("số tiền xử phạt là 40.000.000 đồng", [(40000000, "đồng")]),
])
def test_numbers_with_units(text, expected):
    assert metrics_of(text)[0] == expected


def test_ratio_qualifier_and_comparison():
    _, ms = metrics_of("có 94.764/104.405 hộ gia đình đăng ký; gần 3.000 băng zôn; tăng 20,17% so với cùng kỳ năm 2022")
    assert (ms[0].value, ms[0].total) == (94764, 104405) and ms[0].unit.startswith("hộ gia đình")
    assert ms[1].qualifier == "gần" and ms[1].value == 3000
    assert ms[2].comparison == "tăng so với cùng kỳ năm 2022"


@pytest.mark.parametrize("text", [
    "Trong 6 tháng đầu năm 2023, Sở đã làm",
    "Giải Marathon lần thứ 64 năm 2023",
    "Khối thi đua Văn hóa - Xã hội (Khối 6)",
    "Dự án số 06 về bảo tồn",
    "theo Điều 9, khoản 1 của Nghị định",
    "trước 16 giờ 00 ngày thứ Sáu; lúc 13h30",
    "ngày 23/5/2023 và năm 2024",
    "quy hoạch chi tiết 1/500",
])
def test_not_metrics(text):
    assert metrics_of(text)[0] == []


def test_table_cells_take_their_column_unit():
    ex = extract(CORPUS / "bc-007.docx")
    table = [m for m in ex.metrics if " - " in (m.measure or "")]
    got = {(m.value, m.unit.lower()) for m in table}
    assert (40, "tổ chức") in got and (50, "giấy phép") in got
    # A breakdown column ("Bộ Công Thương" under "Cơ quan cấp phép") counts permits.
    assert (11, "giấy phép") in got and (39, "giấy phép") in got
    for m in ex.metrics:
        assert ex.document.text[m.span.start:m.span.end].strip()


def test_table_with_a_unit_column(tmp_path):
    """A "Đơn vị tính" column gives each row's figures their unit; a "So với
    cùng kỳ (%)" column gives a percentage and its comparison."""
    import builders

    ex = extract(builders.write_pdf_with_table(tmp_path / "bang.pdf"))
    got = {(m.value, m.unit, m.comparison) for m in ex.metrics}
    assert (567530, "lượt", None) in got and (411.999, "tỷ đồng", None) in got
    assert (295, "cơ sở", None) in got
    assert (141.55, "%", "So với cùng kỳ") in got
    m = next(m for m in ex.metrics if m.value == 10254)
    assert m.measure.startswith("Khách quốc tế") and m.span.page == 1
    assert ex.document.text[m.span.start:m.span.end] == "10.254"
    # the row number and the "TT" column are not figures
    assert not [m for m in ex.metrics if m.value in (1, 2, 3, 4)]
