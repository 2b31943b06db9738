import pytest

from conftest import BC_SEED, CORPUS, TB_SEED
from extract.readers import read
from extract.structure import structure


def doc_of(path):
    return structure(read(path))


def test_seed_without_header_has_null_fields_and_issuer_from_text():
    h = doc_of(TB_SEED).header
    assert h.doc_type == "TB" and h.number is None and h.date is None
    assert h.title == "Kết luận Hội nghị giao ban tháng 12 năm 2025"
    assert h.issuer == "Sở Văn hóa, Thể thao và Du lịch"
    assert h.issuer_parent is None


def test_report_title_joins_its_two_lines():
    h = doc_of(BC_SEED).header
    assert h.doc_type == "BC"
    assert h.title == "Công tác chỉ đạo điều hành 6 tháng đầu năm; nhiệm vụ trọng tâm 6 tháng cuối năm 2023"


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_header_fields_in_every_format(seed_formats, fmt):
    h = doc_of(seed_formats[fmt]).header
    assert h.doc_type == "TB"
    assert h.number == "12/TB-SVHTTDL"
    assert h.issuer == "Sở Văn hóa, Thể thao và Du lịch"
    assert h.issuer_parent == "UBND tỉnh Lai Châu"
    assert h.place == "Lai Châu" and h.date == "2026-01-07"
    assert h.title == "Kết luận Hội nghị giao ban tháng 12 năm 2025"


def test_same_section_tree_in_txt_docx_pdf(seed_formats):
    trees = {}
    for fmt, path in seed_formats.items():
        if fmt == "pdf":
            continue   # the pdf repeats the body three times to span pages
        d = doc_of(path)
        trees[fmt] = [(s.id, s.level, s.parent, s.heading) for s in d.sections]
    assert trees["txt"] == trees["docx"]
    pdf = [(s.id, s.level, s.parent, s.heading) for s in doc_of(seed_formats["pdf"]).sections]
    assert pdf[:len(trees["txt"])] == trees["txt"]
    ids = [t[0] for t in trees["txt"]]
    assert ids[:4] == ["1", "2", "2/2.1", "2/2.1/-1"]


def test_section_ids_are_unique_when_a_list_is_numbered_again(tmp_path, seed_formats):
    """A plan whose second part numbers its items from 1 again, beside an
    item 12: each section keeps an id of its own (the store's key), and the
    repeated one says so ("1#2"), on the seeds as on every corpus document."""
    f = tmp_path / "kh.txt"
    items = "\n".join(f"{i}. Sở ngành thứ {i} triển khai nhiệm vụ." for i in range(1, 13))
    f.write_text("KẾ HOẠCH\nI. NHIỆM VỤ\n" + items + "\nII. TỔ CHỨC THỰC HIỆN\n1. Văn phòng tổng hợp.\n"
                 "2. Các sở báo cáo.\n", encoding="utf-8")
    d = doc_of(f)
    ids = [s.id for s in d.sections]
    assert len(ids) == len(set(ids)) and "I/12" in ids and "II/1" in ids
    f.write_text(items + "\n1. Văn phòng tổng hợp.\n- Báo cáo trước ngày 15/01.\n", encoding="utf-8")
    ids = [s.id for s in doc_of(f).sections]
    assert ids[-3:] == ["12", "1#2", "1#2/-1"] and len(ids) == len(set(ids))
    for path in [*seed_formats.values(), *sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".docx", ".pdf", ".doc"))]:
        ids = [s.id for s in doc_of(path).sections]
        assert len(ids) == len(set(ids)), path


def test_section_levels_on_the_report():
    d = doc_of(BC_SEED)
    by_id = {s.id: s for s in d.sections}
    v = next(s for s in d.sections if s.label.startswith("V."))
    assert v.level == 1 and v.heading.startswith("NHIỆM VỤ TRỌNG TÂM")
    kids = [s for s in d.sections if s.parent == v.id]
    assert [k.label for k in kids] == ["1.", "2."]
    assert all(by_id[k.id].level == 2 for k in kids)
    # Every section's span holds its heading and ends no later than its parent.
    for s in d.sections:
        assert d.text[s.start:s.heading_end].endswith(s.heading)
        if s.parent:
            assert s.end <= by_id[s.parent].end


def test_real_docx_header_and_signer():
    d = doc_of(CORPUS / "cv-003.docx")
    h = d.header
    assert (h.doc_type, h.number, h.symbol) == ("CV", None, "SCT-CN")
    assert h.issuer == "Sở Công Thương" and h.issuer_parent == "UBND tỉnh Lào Cai"
    assert h.date is None and h.year == 2026 and h.month == 7
    assert h.title == "đôn đốc tiến độ đầu tư xây dựng hạ tầng kỹ thuật cụm công nghiệp"
    assert d.signer.authority == "KT." and d.signer.position == "PHÓ GIÁM ĐỐC"
    assert d.signer.name == "Nguyễn Đình Chiến"
    assert "UBND tỉnh (báo cáo)" in d.recipients


def test_one_body_on_two_header_lines():
    h = doc_of(CORPUS / "bc-007.docx").header
    assert h.issuer == "Ủy ban nhân dân tỉnh Lào Cai" and h.issuer_parent is None


def test_pdf_header_columns_not_interleaved():
    h = doc_of(CORPUS / "cv-008.pdf").header
    assert h.issuer == "Ủy ban nhân dân tỉnh Lào Cai"
    assert h.symbol == "UBND-XD" and h.place == "Lào Cai"
    assert h.title.startswith("triển khai thực hiện Quyết định số 1074/QĐ-BXD")


def test_closing_of_the_notice():
    d = doc_of(TB_SEED)
    assert d.signer.authority == "TL." and d.signer.on_behalf_of == "GIÁM ĐỐC"
    assert d.signer.position == "CHÁNH VĂN PHÒNG" and d.signer.name == "Nguyễn Chiến Hữu"
    assert d.recipients[:2] == ["Lãnh đạo Sở (B/c)", "Các phòng, đơn vị trực thuộc Sở"]


def test_footnotes_keep_their_anchor():
    d = doc_of(BC_SEED)
    assert [f.anchor for f in d.footnotes] == ["1", "2"]
    assert d.text[d.footnotes[1].span.start:d.footnotes[1].span.end].startswith("Đã thẩm định được 02")


@pytest.mark.parametrize("caps, expected", [
    ("SỞ CÔNG THƯƠNG LÀO CAI", "Sở Công Thương Lào Cai"),
    ("ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "Ủy ban nhân dân tỉnh Lào Cai"),
    ("UBND HUYỆN PHONG THỔ", "UBND huyện Phong Thổ"),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH TỈNH LAI CHÂU", "Sở Văn hóa, Thể thao và Du lịch tỉnh Lai Châu"),
    ("Sở Tài chính", "Sở Tài chính"),                       # not in capitals: left as written
])
def test_issuer_recased_with_known_bodies_and_places(caps, expected):
    from extract.structure.header import recase

    assert recase(caps) == expected


def test_header_of_an_inspection_team(tmp_path):
    """A team set up by a decision signs its own plan: the decision's number in the
    issuer block is not the document's "Số:"."""
    from conftest import extract as run_extract

    p = tmp_path / "kh.txt"
    p.write_text(
        "SỞ CÔNG THƯƠNG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ĐOÀN KIỂM TRA    Độc lập - Tự do - Hạnh phúc\n"
        "THEO QUYẾT ĐỊNH\n"
        "SỐ 1050/QĐ-SCT    Lào Cai, ngày 10 tháng 3 năm 2026\n"
        "Số: 1105⁄KH-ĐKT\n\n"
        "KẾ HOẠCH\n"
        "Kiểm tra việc chấp hành quy định pháp luật về vật liệu nổ công nghiệp\n\n"
        "Thực hiện Quyết định số 1050/QĐ-SCT ngày 06/3/2026 của Giám đốc Sở Công Thương, Đoàn kiểm tra lập kế hoạch như sau:\n"
        "1. Mục tiêu\n- Đánh giá việc chấp hành quy định.\n",
        encoding="utf-8")
    h = run_extract(p).document.header
    assert (h.number, h.doc_type, h.date) == ("1105/KH-ĐKT", "KH", "2026-03-10")   # the fraction slash read as "/"
    assert h.issuer_parent == "Sở Công Thương"
    assert h.issuer.startswith("Đoàn kiểm tra") and "1050/QĐ-SCT" in h.issuer


def test_header_of_an_inspection_team_as_ocr_reads_it(tmp_path):
    """kh-007.pdf's OCR'd header, as the word-box layout gives it: the decision's
    number in the team's block has a colon too ("Số: 1050/QĐ-SCT"); the plan's own
    is the one whose type code is the type line's (KH), after it."""
    from conftest import extract as run_extract

    p = tmp_path / "kh.txt"
    p.write_text(
        "SỞ CÔNG THƯƠNG\nĐOÀN KIÊM TRA\nTHEO QUYẾT ĐỊNH\nSố: 1050/QĐ-SCT\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Lào Cai, ngày 10 tháng 03 năm 2026\nKẾ HOẠCH\nSố: 1105/KH-ĐKT\n"
        "Kiêm tra việc chầp hành Quy định pháp luật trong sử dụng và bảo quản vật liệu nô công nghiệp\n"
        "Thực hiện Quyết định số 1050/QĐ-SCT ngày 06/3/2026 của Giám đốc Sở Công Thương tỉnh Lào Cai.\n"
        "1. Mục tiêu\n- Đánh giá toàn diện tình hình chấp hành các quy định.\n",
        encoding="utf-8")
    ex = run_extract(p)
    h = ex.document.header
    assert (h.number, h.doc_type, h.date) == ("1105/KH-ĐKT", "KH", "2026-03-10")
    assert "1050/QĐ-SCT" in h.issuer and h.issuer_parent == "Sở Công Thương"
    assert [r.code for r in ex.references] == ["1050/QĐ-SCT"]     # the decision, cited; not its own number


@pytest.mark.parametrize("value, code", [
    ("12/TB-SVHTTDL", "12/TB-SVHTTDL"),
    ("/SCT - CN", "/SCT-CN"),
    ("1105 /KH-ĐKT", "1105/KH-ĐKT"),
    ("4 46 /QĐ-UBND Lào Cai, ngày 0Â tháng + năm 2026", "446/QĐ-UBND"),    # an OCR'd line with both columns
    ("1050 /QĐ-SCT Lào Cai, ngày U6_ tháng 3 năm 2026", "1050/QĐ-SCT"),
])
def test_number_value_stops_where_the_code_ends(value, code):
    from extract.structure.header import _code_at_start

    assert _code_at_start(value) == code


@pytest.mark.parametrize("left,parent,issuer", [
    # parent and child bodies, each on its lines, however they were broken
    (["UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG"], "UBND tỉnh Lào Cai", "Sở Công Thương"),
    (["BỘ", "TÀI CHÍNH", "CỤC HẢI QUAN"], "Bộ Tài chính", "Cục Hải quan"),
    (["BỘ TÀI", "CHÍNH", "CỤC", "HẢI QUAN"], "Bộ Tài chính", "Cục Hải quan"),
    (["CỤC THUẾ", "THUẾ TỈNH TÂY NINH"], "Cục Thuế", "Thuế tỉnh Tây Ninh"),
    (["ỦY BAN MTTQ VIỆT NAM", "XÃ MƯỜNG BO", "BAN THƯỜNG TRỰC"], "Ủy ban MTTQ Việt Nam xã Mường Bo", "Ban thường trực"),
    # one body broken across lines
    (["ỦY", "BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"], None, "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    (["THỦ TƯỚNG CHÍNH", "PHỦ"], None, "Thủ tướng Chính phủ"),
    (["BAN CHỈ ĐẠO NHÀ", "NƯỚC", "VỀ DU LỊCH"], None, "Ban chỉ đạo nhà nước về du lịch"),
])
def test_issuer_block_lines_grouped_into_bodies(tmp_path, left, parent, issuer):
    p = tmp_path / "kh.txt"
    p.write_text("\n".join(left) + "\n-------\n\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
                 "Số: 12/KH-UBND\n\nHà Nội, ngày 05 tháng 3 năm 2026\n\nKẾ HOẠCH\n"
                 "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026\n\n"
                 "Căn cứ Điều lệ Mặt trận Tổ quốc Việt Nam;\n", encoding="utf-8")
    h = doc_of(p).header
    assert (h.issuer_parent, h.issuer) == (parent, issuer)
    assert h.title == "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026" and h.date == "2026-03-05"


def _tree(tmp_path, body):
    p = tmp_path / "cd.txt"
    p.write_text("THỦ TƯỚNG CHÍNH PHỦ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                 "---------------\n\nSố: 220/CĐ-TTg\n\nHà Nội, ngày 18 tháng 11 năm 2025\n\nCÔNG ĐIỆN\n"
                 "TẬP TRUNG HOÀN THÀNH THỰC THI CÁC PHƯƠNG ÁN CẮT GIẢM THỦ TỤC HÀNH CHÍNH NĂM 2025\n"
                 "THỦ TƯỚNG CHÍNH PHỦ điện:\n\n- Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ;\n\n"
                 "Thực hiện Nghị quyết số 66/NQ-CP ngày 26 tháng 3 năm 2025 của Chính phủ, các bộ đã tập trung "
                 "triển khai thực hiện các nhiệm vụ được giao.\n" + body, encoding="utf-8")
    return {s.label.strip(): s for s in doc_of(p).sections}, doc_of(p)


def test_a_stray_item_above_the_parts_holds_none_of_them(tmp_path):
    """Text of pool-cd-344b9e (a Prime Minister's công điện): "(2)" in the preamble's
    results is no heading of the parts "I.", "II." after it, and "(1)" under "b)"
    starts b)'s own list instead of closing everything back to that stray "(2)"."""
    by, d = _tree(tmp_path,
                  "Phương án cắt giảm thuộc phạm vi quản lý của 14 Bộ, cơ quan; cụ thể như sau: (1) Tổng số TTHC sẽ cắt giảm là\n"
                  "3.071 TTHC/4.888 TTHC liên quan đến hoạt động sản xuất, kinh doanh (đạt 62,8%);\n"
                  "(2) Cắt giảm 2.269/6.974 ĐKKD\nthuộc ngành, nghề đầu tư, kinh doanh có điều kiện (đạt 32,5%).\n"
                  "I. VỀ HOÀN THIỆN THỂ CHẾ\n1. Bộ trưởng các Bộ tập trung chỉ đạo hoàn thành sửa đổi văn bản.\n"
                  "II. VỀ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN\n2. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ\n"
                  "a) Khẩn trương rà soát, chuẩn hóa kết quả giải quyết TTHC.\n"
                  "b) Các Bộ: Tài chính, Y tế, Tư pháp, Nội vụ khẩn trương khắc phục các bất cập, cụ thể:\n"
                  "(1) Bộ Tài chính giải quyết 03 vấn đề tồn đọng.\n(2) Bộ Y tế hoàn thành nâng cấp Hệ thống.\n"
                  "3. Chủ tịch Ủy ban nhân dân các tỉnh tập trung chỉ đạo rà soát.\n"
                  "III. TỔ CHỨC THỰC HIỆN\n1. Văn phòng Chính phủ theo dõi, đôn đốc.\n")
    secs = d.sections
    roman = [s for s in secs if s.kind == "roman"]
    assert [s.parent for s in roman] == [None, None, None]
    b = next(s for s in secs if s.label.startswith("b)"))
    items = [s for s in secs if s.kind == "paren" and s.start > b.start]
    assert [s.parent for s in items] == [b.id, b.id]
    three = next(s for s in secs if s.label.startswith("3."))
    assert secs[[s.id for s in secs].index(three.parent)].label.startswith("II.")


def test_a_lettered_list_after_dashes_stays_a_list_of_its_own(tmp_path):
    """"a)" after a "b)" and its dashes begins a new list (a regulation's next
    case), never an item of the last dash."""
    _, d = _tree(tmp_path,
                 "1. Giải pháp thoát nạn\na) Đối với nhà ở:\n- Bố trí lối ra.\nb) Đối với công trình công nghiệp:\n"
                 "- Lắp đặt bổ sung đường ống.\n- Hoặc xem xét việc tiếp cận từ trên mái.\n"
                 "a) Đối với công trình dân dụng:\n- Tại các vị trí không thể bố trí tường ngăn cháy.\n")
    a2 = [s for s in d.sections if s.label.startswith("a)")][1]
    assert d.sections[[s.id for s in d.sections].index(a2.parent)].label.startswith("1.")


def test_a_laws_number_in_its_header_cell(tmp_path):
    """law-001.docx (Luật Hóa chất) as its header table reads: the number cell says
    "Luật số:", not "Số:"; read, the law is the document the corpus's decisions cite
    as "Luật Hóa chất 69/2025/QH15"."""
    from conftest import extract as run_extract
    from extract import resolve

    p = tmp_path / "luat.txt"
    p.write_text("QUỐC HỘI\n------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                 "---------------\nLuật số: 69/2025/QH15 | Hà Nội, ngày 14 tháng 6 năm 2025\nLUẬT\nHÓA CHẤT\n"
                 "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nQuốc hội ban hành Luật Hóa chất.\n"
                 "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nLuật này quy định về hóa chất.\n",
                 encoding="utf-8")
    h = run_extract(p).document.header
    assert (h.number, h.doc_type, h.date, h.issuer) == ("69/2025/QH15", "Luật", "2025-06-14", "Quốc hội")
    law = resolve.document_key(h.number, h.doc_type, h.date)
    cited = resolve.key_of(number="69", year=2025, type_code=None, issuer_code="QH15", says=("Luật",))
    assert resolve.fits(cited, law) and str(law) == "?|69|2025|qh15"
