"""Tasks and their units, finder by finder, on real documents of the corpus:
plans with unit headings, labelled lines and tables, conclusions of the
Government Office, a Prime Minister's công điện, decisions and a regulation,
reports with requests, an inspection record and answer letters that assign
nothing."""
from functools import lru_cache

import pytest

from conftest import BC_SEED, CORPUS, TB_SEED, builders
from extract.extractors.tasks import co_units, find_tasks, is_unit_heading, unit_phrase
from extract.extractors.tasks import labelled, nontask
from extract.extractors.tasks.articles import execution
from extract.extractors.tasks.headings import heading_unit
from extract.extractors.tasks.sentences import assignment, subject, unit_colon
from extract.extractors.tasks.tables import header_columns
from extract.extractors.tasks.units import is_unit_name, split_units, unit_name
from extract.pipeline import extract_file

WEB = CORPUS / "web"


@lru_cache(maxsize=None)
def tasks_of(path):
    return extract_file(path).tasks


def by_text(tasks, start):
    found = [t for t in tasks if t.text.startswith(start)]
    assert found, f"no task opens with {start!r}: {[t.text[:50] for t in tasks]}"
    return found[0]


# ------------------------------------------------------------ units
@pytest.mark.parametrize("text, unit", [
    ("Bộ Công an chủ trì, phối hợp với Bộ Y tế", "Bộ Công an"),
    ("Sở Công thương, Ban Quản lý Khu kinh tế tỉnh có trách nhiệm giám sát thực hiện dự án", "Sở Công thương, Ban Quản lý Khu kinh tế tỉnh"),
    ("Ủy ban nhân dân tỉnh Ninh Bình theo chức năng, nhiệm vụ, thẩm quyền chỉ đạo", "Ủy ban nhân dân tỉnh Ninh Bình"),
    ("Bộ Nông nghiệp và Môi trường xem xét, hướng dẫn", "Bộ Nông nghiệp và Môi trường"),
    ("Sở Văn hóa, Thể thao và Du lịch chịu trách nhiệm theo dõi", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Các Sở, ban, ngành và UBND cấp xã, phường nêu cao trách nhiệm", "Các Sở, ban, ngành và UBND cấp xã, phường"),
    ("Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành", "Thủ trưởng các cơ quan, đơn vị có liên quan"),
    ("Ban Quản lý dự án đầu tư xây dựng số 1 đẩy nhanh tiến độ", "Ban Quản lý dự án đầu tư xây dựng số 1"),
    ("Giám đốc Công ty Tân Cảng - Petro Cam Ranh chịu trách nhiệm", "Giám đốc Công ty Tân Cảng - Petro Cam Ranh"),
    ("Các Bộ, cơ quan: Tài chính, Xây dựng, Công Thương, Tập đoàn Điện lực Việt Nam theo chức năng",
     "Các Bộ, cơ quan: Tài chính, Xây dựng, Công Thương, Tập đoàn Điện lực Việt Nam"),
    ("các Ủy viên Ban Chỉ đạo có trách nhiệm", "các Ủy viên Ban Chỉ đạo"),
    ("Ủy ban nhân dân các cấp chủ động", "Ủy ban nhân dân các cấp"),
    ("phòng Quản lý Công nghiệp triển khai, thực hiện các công việc", "phòng Quản lý Công nghiệp"),
    ("Công ty TNHH Lương Việt tại Văn bản số 05/2026/VLN/CV-LV", "Công ty TNHH Lương Việt"),
    ("Văn phòng Sở tổng hợp, báo cáo trước ngày 16/01/2026.", "Văn phòng Sở"),
])
def test_a_units_name_ends_where_its_work_begins(text, unit):
    assert unit_name(text) == unit
    assert is_unit_name(unit)


@pytest.mark.parametrize("text", [
    "Tổ chức kiểm tra kỹ thuật an toàn",          # a verb, not the bare noun of a team
    "Ban hành kế hoạch",
    "Công tác tham mưu cho Tỉnh ủy",
    "ban tháng 12 năm 2025",                       # "giao ban" cut in two
])
def test_a_verb_or_a_common_noun_is_no_unit(text):
    assert unit_name(text) is None


@pytest.mark.parametrize("unit", [
    "của Thường trực UBND tỉnh tại Văn bản số 312/GM-VPUBND ngày 17/6/2026, trong đó giao Sở Công Thương",
    "năm 2025, cụ thể", "đối với Công ty Cổ phần Năng lượng Yên Hà", "thành",
    "cấp Giấy chứng nhận đủ điều kiện sản xuất tiền chất thuốc nổ",
    "đồng chí Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo",
])
def test_the_phrases_users_saw_as_units_are_not_names(unit):
    assert not is_unit_name(unit)


def test_units_split_and_co_units():
    assert split_units("Văn phòng Sở, Thanh tra Sở và Trung tâm Văn hóa tỉnh") == \
        ["Văn phòng Sở", "Thanh tra Sở", "Trung tâm Văn hóa tỉnh"]
    assert split_units("UBND các huyện, thành phố") == ["UBND các huyện, thành phố"]
    assert co_units("Giao Sở Xây dựng chủ trì, phối hợp chặt chẽ với Công an tỉnh, UBND các huyện, thành phố triển khai.") == \
        ["Công an tỉnh", "UBND các huyện, thành phố"]
    assert co_units("Văn phòng Sở chủ động thực hiện.") == []


# ------------------------------------------------------------ what is not a task
@pytest.mark.parametrize("text, why", [
    ("Sổ sách theo dõi quá trình xuất, nhập VLNCN: Đã lập.", "checklist line"),
    ("Biện pháp xử lý: Không", "checklist line"),
    ("Ghi nhận, đánh giá cao và biểu dương sự nỗ lực, cố gắng rất lớn của Bộ Y tế", "evaluation or finding"),
    ("Căn cứ Nghị định số 181/2024/NĐ-CP ngày 31/12/2024 của Chính phủ quy định chi tiết", "grounds"),
    ("Trên đây là Kế hoạch kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn", "closing"),
    ("Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Điện Biên và các Bộ, cơ quan liên quan biết, thực hiện./.", "closing"),
    ("Sở Khoa học và Công nghệ có trách nhiệm:", "lead-in"),
])
def test_what_is_never_a_task(text, why):
    assert nontask.reason(text) == why


def test_description_fields_and_report_outlines():
    assert nontask.is_field("Tên thương mại: Thiết bị đeo tay thông minh Huawei Watch Fit 4")
    assert nontask.is_field("Nhà sản xuất: BENKA")
    assert not nontask.is_field("Về thi công: chỉ đạo Ban Quản lý dự án, các nhà thầu tập trung nguồn lực")
    # what a report must hold is work; a content defined by a rule's article describes
    assert not nontask.is_field("Nội dung báo cáo: khối lượng thực hiện trong tuần và lũy kế; kết quả giải phóng mặt bằng")
    assert nontask.is_field("Nội dung huấn luyện: Quy định tại Điều 7 Nghị định số 181/2024/NĐ-CP")
    assert not nontask.is_intro("Sở Văn hóa, Thể thao và Du lịch báo cáo cụ thể như sau:")
    assert not nontask.is_intro("1. Hàng hóa đề nghị xác định trước mã số do tổ chức, cá nhân cung cấp:")
    assert not nontask.is_intro("Tuy nhiên, tiến độ triển khai các cụm công nghiệp vẫn chưa đạt yêu cầu, đang bị cản trở bởi ba điểm nghẽn:")
    assert nontask.is_intro("Phó Thủ tướng Chính phủ Lê Thành Long kết luận như sau:")
    assert nontask.is_intro("Chủ tịch Ủy ban nhân dân tỉnh yêu cầu và đề nghị các cơ quan, đơn vị thực hiện một số nội dung như sau:")
    assert nontask.heading_zone("MỤC ĐÍCH, YÊU CẦU") == "other"
    assert nontask.heading_zone("KẾT QUẢ KIỂM TRA") == "other"
    assert nontask.heading_zone("NHIỆM VỤ, GIẢI PHÁP") == "task"
    assert nontask.heading_zone("Điều 4. Trách nhiệm của Ban Chỉ đạo") == "task"


def test_an_inspection_record_is_findings_not_tasks():
    tasks = tasks_of(CORPUS / "bc-008.docx")
    assert not any(t.text.endswith(("Đã lập.", "Không")) or t.text.startswith(("Giấy phép", "Thuốc nổ", "Kíp"))
                   for t in tasks), [t.text[:60] for t in tasks]
    # the requests the record ends with are tasks of the companies it inspected
    assert tasks and all(t.unit and "Công ty" in t.unit for t in tasks if t.text.startswith("Tăng cường"))


def test_answer_letters_and_customs_notices_assign_nothing():
    for name in ("web-vb-e3cc96.txt", "web-tb-39a27d.txt", "web-tb-f6ed93.txt", "web-cv-0bc7bf.txt"):
        assert len(tasks_of(WEB / name)) <= 1, name


def test_a_plans_purposes_and_requirements_are_not_tasks():
    tasks = tasks_of(CORPUS / "kh-005.docx")
    assert not any(t.text.startswith(("Cụ thể hóa đầy đủ", "Việc triển khai thực hiện phải đảm bảo")) for t in tasks)


# ------------------------------------------------------------ unit headings and labelled lines
def test_unit_headings():
    assert is_unit_heading("Văn phòng Sở") == "Văn phòng Sở"
    assert is_unit_heading("Các phòng chuyên môn thuộc Sở") == "Các phòng chuyên môn thuộc Sở"
    assert is_unit_heading("Giao Sở Xây dựng") == "Sở Xây dựng"
    assert heading_unit("Điều 12. Trách nhiệm của Sở Tài chính".split(". ", 1)[1]) == "Sở Tài chính"
    assert heading_unit("Kiến nghị Bộ Nông nghiệp và Môi trường") == "Bộ Nông nghiệp và Môi trường"
    assert heading_unit("Đối với các tổ chức, doanh nghiệp hoạt động trong lĩnh vực có liên quan đến VLNCN, TCTN:") == \
        "các tổ chức, doanh nghiệp hoạt động trong lĩnh vực có liên quan đến VLNCN, TCTN"
    assert is_unit_heading("TỔ CHỨC THỰC HIỆN") is None
    assert is_unit_heading("Công tác tham mưu cho Tỉnh ủy, HĐND, UBND tỉnh") is None


def test_notice_tasks_under_unit_headings():
    tasks = tasks_of(TB_SEED)
    units = [t.unit for t in tasks]
    assert units.count("Văn phòng Sở") == 5
    assert units.count("Các phòng chuyên môn thuộc Sở") == 3
    assert units.count("Các đơn vị sự nghiệp thuộc Sở") == 3
    t = by_text(tasks, "Tham mưu Kế hoạch điều động")
    assert t.deadline == "2026-01-16"
    assert not any(t.text.startswith(("Trên đây", "Tuy nhiên", "Đánh giá kết quả")) for t in tasks)


def test_labelled_lines_parse():
    lab = labelled.parse("Đơn vị chủ trì: Phòng Quản lý Công nghiệp; Đơn vị phối hợp: Phòng Quản lý Năng lượng, Văn phòng Sở.")
    assert lab.unit == "Phòng Quản lý Công nghiệp" and lab.co_units == ["Phòng Quản lý Năng lượng, Văn phòng Sở"]
    lab = labelled.parse("- Thời gian hoàn thành: Tháng 11/2025")
    assert lab.deadline_text == "Tháng 11/2025"
    assert labelled.parse("Tăng cường công tác thanh tra: hàng năm") is None


def test_a_plan_whose_items_name_their_unit_in_labelled_lines():
    tasks = tasks_of(CORPUS / "kh-006.docx")
    assert not any(labelled.parse(t.text) for t in tasks)          # the labelled lines are no tasks
    t = by_text(tasks, "Tham mưu UBND tỉnh xây dựng chính sách thu hút các dự án công nghệ cao")
    assert t.unit == "Phòng Quản lý Công nghiệp"
    assert "Phòng Quản lý Năng lượng" in t.co_units
    t = by_text(tasks, "Tham mưu đẩy nhanh tiến độ triển khai các dự án điện gió")
    assert t.unit == "Phòng Quản lý Năng lượng"


def test_labelled_time_gives_the_deadline(tmp_path):
    # a plan item written as Word writes it: the item, then its labelled lines
    src = (CORPUS / "tb-2025-12-giaoban-svhttdl-laichau.txt").read_text(encoding="utf-8").splitlines()[:8]
    body = src + ["II. NHIỆM VỤ TRỌNG TÂM",
                  "1. Xây dựng Kế hoạch tổ chức Hội nghị tổng kết công tác thi đua khen thưởng năm 2025",
                  "- Đơn vị chủ trì: Văn phòng Sở",
                  "- Đơn vị phối hợp: Các phòng chuyên môn thuộc Sở",
                  "- Thời gian hoàn thành: Tháng 11/2025",
                  "- Kết quả/Sản phẩm: Kế hoạch được Giám đốc Sở phê duyệt"]
    p = tmp_path / "kh.txt"
    p.write_text("\n".join(body), encoding="utf-8")
    ex = extract_file(p)
    t = by_text(ex.tasks, "Xây dựng Kế hoạch tổ chức Hội nghị tổng kết")
    assert (t.unit, t.deadline, t.co_units) == ("Văn phòng Sở", "2025-11-30", ["Các phòng chuyên môn thuộc Sở"])
    assert len(ex.tasks) == 1
    assert "2025-11-30" in {d.date for d in ex.deadlines}


# ------------------------------------------------------------ plan tables
def test_plan_table_header():
    cols = header_columns(["TT", "Tên nhiệm vụ", "Sở, ngành chủ trì tham mưu", "Đơn vị phối hợp thực hiện",
                           "Thời gian thực hiện", "Ghi chú"])
    assert (cols.task, cols.unit, cols.co_units, cols.deadline) == (1, 2, 3, 4)
    assert header_columns(["TT", "Chỉ tiêu", "Đơn vị tính", "6 tháng năm 2023"]) is None


@pytest.mark.parametrize("shape", ["docx", "pdf", "original"])
def test_plan_table_rows_are_tasks(shape, tmp_path):
    rows = builders.plan_table_rows(CORPUS / "kh-005.docx")
    path = {"docx": lambda: builders.write_plan_docx(tmp_path / "plan.docx", rows),
            "pdf": lambda: builders.write_plan_pdf(tmp_path / "plan.pdf", rows),
            "original": lambda: CORPUS / "kh-005.docx"}[shape]()
    tasks = extract_file(path).tasks
    t = by_text(tasks, "Rà soát, điều chỉnh, cập nhật bổ sung phương án quản lý")
    assert (t.unit, t.deadline) == ("Sở Nông nghiệp và Môi trường", "2026-05-31")     # "Xong trong tháng 5/2026"
    t = by_text(tasks, "Xử lý nghiêm và xử lý dứt điểm các hành vi khai thác")
    assert (t.unit, t.deadline) == ("Công an tỉnh", "2026-06-30")                     # "Xong trong Quý II/2026"
    t = by_text(tasks, "Thực hiện rà soát các khó khăn, vướng mắc, bất cập về quy hoạch đối với khoáng sản nhóm I")
    assert t.deadline == "2026-12-31"                                                  # "Trong năm 2026"
    t = by_text(tasks, "Tham mưu trình kế hoạch đấu giá")
    assert t.deadline is None                                                          # "Hàng năm"
    t = by_text(tasks, "Thực hiện rà soát việc lập, thẩm định, phê duyệt thiết kế mỏ")
    assert t.unit == "Sở Công Thương; Sở Xây dựng"
    assert not any(t.text in ("Tên nhiệm vụ", "(1)") for t in tasks)


# ------------------------------------------------------------ sentences naming their unit
def test_assignment_subject_and_colon():
    a = assignment("Về hỗ trợ kinh phí thực hiện dự án Bệnh án điện tử: Giao Bộ Tài chính chủ trì, phối hợp với Bộ Y tế nghiên cứu")
    assert a.unit == "Bộ Tài chính" and a.strong
    a = assignment("Tại điểm a, khoản 1, Điều 46, Nghị định số 21/2026/NĐ-CP, đề nghị Bộ Nông nghiệp và Môi trường xem xét, hướng dẫn.")
    assert a.unit == "Bộ Nông nghiệp và Môi trường" and not a.strong
    assert assignment("Theo đề nghị của Trưởng phòng Quản lý công nghiệp.") is None
    assert assignment("Sở Văn hóa tổ chức giao ban tháng 12 năm 2025") is None
    assert subject("Trong thời gian tới, Tỉnh tổ chức thực hiện nghiêm túc nhiệm vụ").unit == "Tỉnh"
    assert subject("Phối hợp với cơ quan Thuế, Sở Nông nghiệp và Môi trường rà soát") is None   # a verb is no lead-in
    assert subject("Sở Công Thương đã tổ chức kiểm tra 05 đơn vị") is None                    # the past
    assert subject("Các tổ chức, cá nhân được cấp giấy phép thăm dò, khai thác khoáng sản có trách nhiệm bảo vệ").unit == \
        "Các tổ chức, cá nhân được cấp giấy phép thăm dò, khai thác khoáng sản"
    assert unit_colon("Sở Tài chính: chủ trì thẩm định").unit == "Sở Tài chính"
    assert unit_phrase("Bộ Công Thương một số nội dung như sau") == "Bộ Công Thương"


def test_a_conclusion_assigns_per_unit_in_running_text():
    tasks = tasks_of(WEB / "web-tb-75a086.txt")
    assert by_text(tasks, "Bộ Công an tiếp tục chủ động phối hợp").unit == "Bộ Công an"
    assert by_text(tasks, "Bộ Xây dựng chỉ đạo các cơ quan liên quan").unit == "Bộ Xây dựng"
    assert by_text(tasks, "Ủy ban nhân dân tỉnh Ninh Bình theo chức năng").unit == "Ủy ban nhân dân tỉnh Ninh Bình"
    t = by_text(tasks, "Bộ Y tế chỉ đạo Ban Quản lý dự án")
    assert (t.unit, t.deadline) == ("Bộ Y tế", "2025-11-30")
    # the bullets under "(1) Bộ Y tế ..." are the ministry's
    assert by_text(tasks, "Chỉ đạo Ban Quản lý dự án, Bệnh viện Hữu nghị Việt Đức").unit == "Bộ Y tế"
    assert not any(t.text.startswith("Ghi nhận") for t in tasks)


def test_numbered_items_inside_one_paragraph_are_one_task_each(tmp_path):
    """The (1) ... (6) items of the Government Office's conclusion, run
    together into one paragraph as a PDF or a pasted text gives them."""
    lines = (WEB / "web-tb-75a086.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("(1)"))
    end = next(i for i, x in enumerate(lines) if x.startswith("Văn phòng Chính phủ thông báo"))
    items = [x for x in lines[start:end] if not x.startswith("-")]
    joined = lines[:start] + [" ".join(" ".join(items).split())] + lines[end:]
    p = tmp_path / "tb.txt"
    p.write_text("\n".join(joined), encoding="utf-8")
    tasks = extract_file(p).tasks
    units = [t.unit for t in tasks]
    for u in ("Bộ Y tế", "Bộ Công an", "Bộ Xây dựng", "Bộ Tài chính", "Ủy ban nhân dân tỉnh Ninh Bình"):
        assert u in units, units
    assert by_text(tasks, "Bộ Công an tiếp tục").text.endswith("công trình dự án.")


def test_a_prime_ministers_cong_dien():
    tasks = tasks_of(WEB / "web-cd-109576.txt")
    assert by_text(tasks, "Bộ Tài chính chủ trì cùng Bộ Xây dựng").unit == "Bộ Tài chính"
    assert by_text(tasks, "Đài truyền hình Việt Nam chủ trì").unit == "Đài truyền hình Việt Nam"


def test_requests_inside_a_reports_paragraphs():
    tasks = tasks_of(CORPUS / "bc-005.docx")
    t = by_text(tasks, "Do đó, đề nghị Bộ Nông nghiệp và Môi trường")
    assert t.unit == "Bộ Nông nghiệp và Môi trường"
    assert all(t.unit == "Bộ Nông nghiệp và Môi trường" for t in tasks if t.section and t.section.startswith("IV/1"))
    # results and achievements are no tasks
    assert not any("đã" in t.text.split()[:3] for t in tasks)


def test_report_tasks_only_in_future_sections():
    ex = extract_file(BC_SEED)
    secs = {s.id: s for s in ex.document.sections}
    for t in ex.tasks:
        if t.text.startswith("Giao "):
            continue     # an assignment counts wherever it stands
        root = secs[t.section]
        while root.parent:
            root = secs[root.parent]
        assert root.label.startswith("V."), t.text


# ------------------------------------------------------------ decisions and regulations
def test_the_article_naming_who_executes_a_decision():
    units, at = execution("Điều 5: Chánh Văn phòng Sở, Trưởng phòng Quản lý công nghiệp, cá nhân có liên quan và các ông/bà "
                          "có tên tại Điều 2 chịu trách nhiệm thi hành Quyết định này./.")
    assert units == "Chánh Văn phòng Sở, Trưởng phòng Quản lý công nghiệp, cá nhân có liên quan và các ông/bà có tên tại Điều 2"
    tasks = tasks_of(CORPUS / "qd-001.docx")
    assert any(t.unit and t.unit.startswith("Chánh Văn phòng Sở, Trưởng phòng Quản lý công nghiệp") for t in tasks)
    # the units are the sentence before the clause: not what an earlier sentence said
    text = ("Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính "
            "chịu trách nhiệm thi hành Quyết định này.")
    units, at = execution(text)
    assert units == "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính" and text[at:].startswith(units)
    # a clause with too little before it is no unit of its own: the next one is read whole
    assert execution("Các đơn vị có trách nhiệm thực hiện văn bản này.") == ("Các đơn vị", 0)
    assert execution("Sở có trách nhiệm báo cáo.") is None
    # a paragraph of many "trách nhiệm" with no executing clause costs one pass, not 600 per character
    assert execution("Trách nhiệm của các sở, ngành. " * 2000) is None


def test_a_regulation_issued_with_its_decision():
    """The Quy chế after the decision's signature: each duty under "Điều 5.
    Trách nhiệm của Trưởng Ban Chỉ đạo" is that office holder's task."""
    tasks = tasks_of(WEB / "web-vb-322358.txt")
    assert by_text(tasks, "Triệu tập, chủ trì hoặc ủy quyền").unit == "Trưởng Ban Chỉ đạo"
    assert by_text(tasks, "Chỉ đạo, kiểm tra, đôn đốc các bộ, ngành và địa phương").unit == "Ban Chỉ đạo"
    assert by_text(tasks, "Phân công nhiệm vụ cho các thành viên Ban Chỉ đạo").unit == "Trưởng Ban Chỉ đạo"
    assert len(tasks) >= 35


def test_the_mục_column_is_the_heading_a_task_sits_under():
    ex = extract_file(TB_SEED)
    secs = {s.id: s for s in ex.document.sections}
    t = by_text(ex.tasks, "Tham mưu Kế hoạch điều động")
    assert secs[t.section].heading == "Văn phòng Sở"


def test_every_task_keeps_its_provenance():
    ex = extract_file(CORPUS / "kh-005.docx")
    for t in ex.tasks:
        assert " ".join(ex.document.text[t.span.start:t.span.end].split()).startswith(t.text[:40])


def test_find_tasks_on_an_empty_body():
    from extract.model import RawBlock, RawDocument
    from extract.structure import structure

    doc = structure(RawDocument(path="x", format="txt", sha256="", blocks=[RawBlock("THÔNG BÁO")]))
    assert find_tasks(doc) == []


def test_annex_plan_table_copied_as_text_a_cell_per_paragraph():
    """A programme's annex table (TT / Nhiệm vụ / Cơ quan chủ trì / phối hợp /
    Kết quả / Thời gian) reaching the text a cell per paragraph, its groups
    numbered "III.1", "III.1.1" and its rows numbered on across them; the
    body's list of the same tasks is restated by the rows, counted once."""
    ex = extract_file(CORPUS / "pool" / "web" / "pool-qd-2edf59.txt")
    t = by_text(ex.tasks, "Xây dựng Luật An ninh dữ liệu")
    assert (t.unit, t.deadline) == ("Bộ Công an", "2026-12-31")              # "Tháng 12/2026"
    # a row after the sub-groups III.1 and III.1.1, numbered 5 on from the group before
    t = by_text(ex.tasks, "Phát triển Hệ thống thông tin báo cáo Chính phủ, Hệ thống thông tin chỉ đạo")
    assert (t.unit, t.deadline) == ("Văn phòng Chính phủ", "2026-12-31")     # "Năm 2025-2026"
    # the last row of the annex
    t = by_text(ex.tasks, "Thực hiện đo lường, giám sát các hệ thống, dịch vụ phục vụ Chính phủ số")
    assert t.unit == "Bộ Khoa học và Công nghệ"
    # the body's "+ Xây dựng Nền tảng chuỗi khối ..." and the annex's row: one task, the row's
    same = [x for x in ex.tasks if x.text.startswith("Xây dựng Nền tảng chuỗi khối (blockchain) quốc gia")]
    assert len(same) == 1 and same[0].unit
    assert same[0].span.start > ex.document.appendix_start
    # the deadline column's cells are deadlines, each linked to its row
    cells = [d for d in ex.deadlines if d.text == "Tháng 12/2026"]
    assert cells and all(d.date == "2026-12-31" and d.task is not None for d in cells)


def test_each_bullet_with_labelled_lines_of_its_own_is_a_plan_item_with_its_unit_and_time():
    # web-kh-bacninh-141, section 7: "- Tăng cường ... / Đơn vị chủ trì tham mưu thực hiện: Sở Khoa học
    # và Công nghệ / ... / Thời gian thực hiện: Thường xuyên / - Ra mắt AI pháp luật ... / Đơn vị chủ trì
    # tham mưu thực hiện: ... / Thời gian thực hiện: Tháng 12/2025": each bullet keeps its own lines
    tasks = extract_file(CORPUS / "web" / "web-kh-bacninh-141.txt").tasks
    ai = by_text(tasks, "Ra mắt AI pháp luật")
    assert (ai.unit, ai.deadline) == ("Sở Khoa học và Công nghệ", "2025-12-31")
    assert ai.co_units == ["Sở Tư pháp"]
    # section 5's bullets each name their own unit
    assert by_text(tasks, "Cập nhật, khai thác, sử dụng hiệu quả Cổng pháp luật").unit == "Sở Tư pháp"
    assert by_text(tasks, "Nâng cao kiến thức, kỹ năng xây dựng pháp luật").unit == "Sở Nội vụ"
