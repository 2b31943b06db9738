import pytest

from conftest import BC_SEED, TB_SEED, extract
from extract.extractors.references import find_references
from extract.model import RawBlock, RawDocument
from extract.structure import structure


def refs_of(text):
    doc = structure(RawDocument(path="t.txt", format="txt", sha256="", blocks=[RawBlock(t) for t in text.split("\n")]))
    return {r.code: r for r in find_references(doc)}


@pytest.mark.parametrize("text,code,doc_type,date,issuer", [
    ("Thực hiện Công văn số 1848/UBND-TH ngày 23/5/2023 của UBND tỉnh về việc xây dựng báo cáo", "1848/UBND-TH", "CV", "2023-05-23", "UBND tỉnh"),
    ("Căn cứ QĐ số 1923/QĐ-UBND ngày 21/02/2023 phê duyệt", "1923/QĐ-UBND", "QĐ", "2023-02-21", None),
    ("gắn với thực hiện Nghị quyết 01/NQ-CP ngày 06/01/2023 và các văn bản", "01/NQ-CP", "NQ", "2023-01-06", None),
    ("theo Nghị định 335/2025/NĐ-CP ngày 21/12/2025 (Có hiệu lực)", "335/2025/NĐ-CP", "NĐ", "2025-12-21", None),
    ("Nghị quyết số 59/2021/NQ-HĐND ngày 10/12/2021 của Hội đồng nhân dân tỉnh", "59/2021/NQ-HĐND", "NQ", "2021-12-10", "Hội đồng nhân dân tỉnh"),
    ("Nghị quyết số 04-NQ/TU ngày 17/02/2021 của Tỉnh ủy về bảo tồn", "04-NQ/TU", "NQ", "2021-02-17", "Tỉnh ủy"),
    ("theo Công văn số 89/SVHTTDL –VP ngày 16/01/2023 của Sở", "89/SVHTTDL -VP", "CV", "2023-01-16", "Sở"),
    ("Văn bản số 93/CT-05 ngày 18/6/2026 của Công ty", "93/CT-05", "CV", "2026-06-18", "Công ty"),
    ("Giấy phép dịch vụ nổ mìn số 333/GP-ATMT ngày 10/5/2024 của Cục", "333/GP-ATMT", "GP", "2024-05-10", "Cục"),
    ("Quy chuẩn kỹ thuật quốc gia QCVN 01:2019/BCT của Bộ Công Thương", "QCVN 01:2019/BCT", "QCVN", None, "Bộ Công Thương"),
    ("Kế hoạch số 823/KH-SVHTTDL ngày 31 tháng 5 năm 2023 của Sở", "823/KH-SVHTTDL", "KH", "2023-05-31", "Sở"),
    ("tại Văn bản số 03/2026/VLN/CV-TA ngày 18/6/2026", "03/2026/VLN/CV-TA", "CV", "2026-06-18", None),
    ("tại văn bản số 24.6/GĐN ngày 24/6/2026", "24.6/GĐN", "CV", "2026-06-24", None),
    ("Chỉ thị số 38/CT-TTg ngày 29/9/2020 của Thủ tướng Chính phủ", "38/CT-TTg", "CT", "2020-09-29", "Thủ tướng Chính phủ"),
    # a law's name between "Luật" and its số (commas and all), or before the code itself
    ("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;", "72/2025/QH15",
     "Luật", "2025-06-16", None),
    ("Căn cứ Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ số 42/2024/QH15 ngày 29/6/2024;",
     "42/2024/QH15", "Luật", "2024-06-29", None),
    ("Căn cứ Luật Hóa chất 69/2025/QH15;", "69/2025/QH15", "Luật", None, None),
    ("Căn cứ Nghị quyết số 197/2025/QH15 ngày 17/5/2025 của Quốc hội", "197/2025/QH15", "NQ", "2025-05-17", "Quốc hội"),
    # a code with a year and no type, the text naming none: a law or a resolution, not a guessed công văn
    ("đã được sửa đổi tại số 64/2025/QH15 ngày 3/4/2025", "64/2025/QH15", None, "2025-04-03", None),
    # a công văn's số (issuer and unit, no type, no year) implies its type
    ("Thực hiện số 12/UBND-VX ngày 3/4/2025 của UBND tỉnh", "12/UBND-VX", "CV", "2025-04-03", "UBND tỉnh"),
    ("- Kế hoạch ứng cứu khẩn cấp số: 0701/KHUP-CTVC ngày 05/01/2026.", "0701/KHUP-CTVC", "KH", "2026-01-05", None),
    ("Căn cứ Văn bản hợp nhất số 10/VBHN-BGDĐT ngày 14 tháng 3 năm 2014 của Bộ Giáo dục", "10/VBHN-BGDĐT", "VBHN",
     "2014-03-14", "Bộ Giáo dục"),
    ("125kg/lần nổ (hộ chiếu nổ mìn số 02/2026/HCNM)", "02/2026/HCNM", "HCNM", None, None),
])
def test_citation_forms(text, code, doc_type, date, issuer):
    refs = refs_of(text)
    assert code in refs, refs.keys()
    r = refs[code]
    assert (r.doc_type, r.date, r.issuer) == (doc_type, date, issuer)


def test_not_references():
    refs = refs_of("quy hoạch chi tiết 1/500; đạt 94.764/104.405 hộ; ngày 23/5/2023; bảo vệ 24/24; "
                   "UBND tỉnh/Sở Công Thương; Km2+571")
    assert refs == {}


def test_parts_of_a_code():
    r = refs_of("Nghị quyết số 59/2021/NQ-HĐND ngày 10/12/2021")["59/2021/NQ-HĐND"]
    assert (r.number, r.year, r.type_code, r.issuer_code) == ("59", 2021, "NQ", "HĐND")
    r = refs_of("Công văn số 1848/UBND-TH ngày 23/5/2023")["1848/UBND-TH"]
    assert (r.issuer_code, r.sub_unit, r.type_code) == ("UBND", "TH", None)


def test_one_entry_per_document_with_every_mention():
    ex = extract(TB_SEED)
    r = next(r for r in ex.references if r.code == "47/CTr-SVHTTDL")
    assert r.doc_type == "CTr" and r.date == "2026-01-07"
    assert len(r.mentions) == 3
    for m in r.mentions:
        assert ex.document.text[m.start:m.end].startswith("47/CTr-SVHTTDL")


def test_mistyped_party_code_merges_and_keeps_first_date():
    ex = extract(BC_SEED)
    r = [r for r in ex.references if r.code.startswith("04-NQ")]
    assert len(r) == 1 and r[0].date == "2021-02-17" and len(r[0].mentions) >= 3


def test_own_number_is_not_a_reference(seed_formats):
    ex = extract(seed_formats["docx"])
    assert all(r.code != "12/TB-SVHTTDL" for r in ex.references)
