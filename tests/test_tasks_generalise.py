"""Patterns of the genre that rules written against other documents missed
(issue 20), each on the real document of the corpus it comes from: a unit
as the subject after a lead-in, an apposition after a dash, qualifiers that
belong to a name, "Tổ chức" as a verb, the executing article of a decision
and of a resolution, the enacting formula, a decision publishing
administrative procedures, sentences that each name their own unit."""
from functools import lru_cache

import pytest

from conftest import CORPUS
from test_tasks import by_text as opening
from extract.extractors.tasks import find_tasks, nontask
from extract.extractors.tasks.headings import heading_unit
from extract.extractors.tasks.sentences import subject
from extract.extractors.tasks.units import is_unit_name, unit_name
from extract.pipeline import extract_file
from extract.readers import read
from extract.structure import structure

POOL = CORPUS / "pool" / "web"
WEB = CORPUS / "web"


@lru_cache(maxsize=None)
def rules_tasks(path):
    """The rules' tasks alone: these tests pin the rules, the learned decision has its own."""
    return find_tasks(structure(read(path)), model=None)


@pytest.mark.parametrize("text, unit", [
    # an apposition after a dash says what the unit is, not who else
    ("Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo tổng hợp kết quả kiểm kê", "Sở Tài chính"),
    # a plural or "Ban" before a stop word makes it a noun
    ("Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội và các tổ chức chính trị - xã hội phối hợp giám sát",
     "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội và các tổ chức chính trị - xã hội"),
    ("Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia theo dõi, đôn đốc",
     "Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"),
    # qualifiers that say which ones
    ("Các Sở, ngành quản lý ngành, lĩnh vực, Ủy ban nhân dân cấp xã gửi báo cáo",
     "Các Sở, ngành quản lý ngành, lĩnh vực, Ủy ban nhân dân cấp xã"),
    ("Ban công tác Mặt trận các thôn trên địa bàn xã chủ động tham mưu", "Ban công tác Mặt trận các thôn trên địa bàn xã"),
    ("Thống đốc Ngân hàng Nhà nước Việt Nam tiếp thu, giải trình", "Thống đốc Ngân hàng Nhà nước Việt Nam"),
])
def test_where_a_units_name_ends(text, unit):
    assert unit_name(text, subject=True) == unit


@pytest.mark.parametrize("text", [
    "Tổ chức hiệp thương lần thứ ba: Chậm nhất ngày 20/02/2026",
    "Tổ chức tiếp công dân về nội dung liên quan đến trách nhiệm của MTTQ",
])
def test_to_chuc_before_its_object_is_the_verb(text):
    assert unit_name(text, subject=True) is None


def test_a_field_after_phu_trach_linh_vuc_belongs_to_the_name():
    h = "Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội"
    assert heading_unit(h) == h
    assert is_unit_name(h)
    # "Giao X tổ chức thực hiện ..." is work, not a unit's heading
    assert heading_unit("Giao Ủy ban nhân dân tỉnh tổ chức triển khai thực hiện Nghị quyết.") is None


@pytest.mark.parametrize("text, why", [
    ("Ủy ban nhân dân tỉnh ban hành Quyết định bãi bỏ toàn bộ Quyết định số 10/2016/QĐ-UBND.", "enacting formula"),
    ("Nghị quyết này đã được Hội đồng nhân dân tỉnh Vĩnh Long Khóa X, kỳ họp thứ 5 thông qua ngày 10/12/2025.", "adoption"),
    ("Nghị quyết số 11/2024/NQ-HĐND ngày 29 tháng 6 năm 2024 của Hội đồng nhân dân tỉnh quy định mức học phí.", "citation"),
])
def test_what_a_resolution_or_decision_says_of_itself_is_no_task(text, why):
    assert nontask.reason(text) == why


def test_work_after_a_unit_is_never_an_enacting_formula():
    assert nontask.reason("Sở Tài chính tham mưu Ủy ban nhân dân tỉnh ban hành Quyết định quy định giá.") is None
    assert nontask.reason("Sau khi Ủy ban nhân dân tỉnh ban hành Quyết định quy định giá, Sở Tài chính hướng dẫn.") is None


def test_a_resolutions_executing_article():
    tasks = rules_tasks(POOL / "pool-nq-c53841.txt")
    t = opening(tasks, "Giao Ủy ban nhân dân tỉnh tổ chức triển khai thực hiện Nghị quyết")
    assert t.unit == "Ủy ban nhân dân tỉnh"
    assert not [x for x in tasks if x.text.startswith(("Hội đồng nhân dân ban hành", "Nghị quyết số", "Nghị quyết này đã"))]


def test_the_executing_article_of_a_decision_lists_every_body():
    t = opening(rules_tasks(POOL / "pool-qd-020bdd.txt"), "Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Ngoại vụ")
    assert t.unit.startswith("Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Ngoại vụ; Giám đốc các sở")
    assert t.unit.endswith("các tổ chức, cá nhân có liên quan")
    assert is_unit_name(t.unit)


@pytest.mark.parametrize("name, opens, unit", [
    # a colon lists the members of a plural name or of an office holder's title: "Giám đốc: A, B"
    ("pool-qd-1ea5e7.txt", "Chánh Văn phòng UBND tỉnh; Giám đốc Sở Y tế",
     "Chánh Văn phòng UBND tỉnh; Giám đốc Sở Y tế, Giám đốc các sở; Thủ trưởng các ban, ngành cấp tỉnh; "
     "Giám đốc: Trung tâm Phục vụ hành chính công tỉnh, Trung tâm Công báo - Tin học tỉnh; Chủ tịch UBND cấp xã "
     "và các tổ chức, cá nhân có liên quan"),
    # "... căn cứ Quyết định thi hành./." says who executes it as "chịu trách nhiệm thi hành" does
    ("pool-qd-00e8b0.txt", "Thủ trưởng các cơ quan: Văn phòng UBND tỉnh",
     "Thủ trưởng các cơ quan: Văn phòng UBND tỉnh, Sở Công Thương, Sở Văn hóa, Thể thao và Du lịch, Ban Quản lý "
     "các khu công nghiệp tỉnh; Chủ tịch UBND các xã, phường và các tổ chức, cá nhân liên quan"),
])
def test_members_listed_after_a_colon_belong_to_the_name(name, opens, unit):
    assert opening(rules_tasks(POOL / name), opens).unit == unit


def test_members_after_a_colon_are_names_not_work():
    assert unit_name("Sở Tài chính: chủ trì, phối hợp với các cơ quan") == "Sở Tài chính"
    assert unit_name("Các Bộ: Tài chính, Xây dựng, Y tế chủ trì thẩm định") == "Các Bộ: Tài chính, Xây dựng, Y tế"


def test_a_lead_in_over_what_to_report_is_the_task():
    # "1. Chủ tịch UBND các tỉnh: ... khẩn trương rà soát, ... báo cáo cụ thể về một số nội dung sau:"
    # over "(1) Số hộ dân có nhà bị sập ...": the items say what to report; the lead-in is the work,
    # and the paragraph after the list is work of its own, not part of item (3)
    tasks = rules_tasks(POOL / "pool-cd-b2fa00.txt")
    lead = opening(tasks, "Chủ tịch Ủy ban nhân dân các tỉnh: Đắk Lắk")
    assert lead.unit == "Chủ tịch Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng"
    after = opening(tasks, "Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng khẩn trương gửi")
    assert after.unit == "Ủy ban nhân dân các tỉnh: Đắk Lắk, Khánh Hòa, Gia Lai và Lâm Đồng"


def test_a_letters_addressees_are_no_heading_and_a_bare_cu_the_closes_work():
    # "Kính gửi: - UBND các xã, phường; - Các đơn vị, cơ sở giáo dục trực thuộc." then
    # "... Sở đề nghị UBND các xã, phường; các đơn vị ... thực hiện nghiêm túc ... Cụ thể:" and its "- ..." items
    tasks = rules_tasks(POOL / "pool-cv-d97b35.txt")
    unit = "UBND các xã, phường; các đơn vị, cơ sở giáo dục trực thuộc"
    assert opening(tasks, "Nhằm đảm bảo sức khỏe cho học sinh").unit == unit
    assert opening(tasks, "Thường xuyên cập nhật thông tin về chất lượng không khí").unit == unit
    assert opening(tasks, "Hạn chế các hoạt động ngoài trời").unit == unit
    assert not [t for t in tasks if t.text.startswith(("Thực hiện Công văn", "Chi tiết liên hệ", "Các đơn vị, cơ sở"))]


def test_a_lead_in_quoting_what_was_received_hands_nothing_out():
    # "Bộ ... nhận được kiến nghị của cử tri ..., với nội dung kiến nghị:" then the ministry's answer
    assert rules_tasks(POOL / "pool-cv-edfc03.txt") == []


def test_a_request_in_a_paragraphs_later_sentence_to_bodies_named_in_lower_case():
    tasks = rules_tasks(WEB / "web-cv-5d3180.txt")
    t = opening(tasks, "Để việc đề xuất biên chế giai đoạn 2026-2031")
    assert t.unit == "bộ, ngành, địa phương"
    # what a cited letter asked ("Bộ Nội vụ đã có Văn bản số 8091/BNV-TCBC ngày 17/9/2025 đề nghị ...") is no task
    assert not [x for x in tasks if x.text.startswith("Thực hiện ý kiến của Ban Tổ chức Trung ương")]


def test_a_person_applying_to_a_body_assigns_nothing():
    assert unit_name("bộ, ngành, địa phương khẩn trương tổng hợp") == "bộ, ngành, địa phương"
    from extract.extractors.tasks.sentences import assignment
    assert assignment("tổ chức, cá nhân đề nghị bộ, cơ quan ngang bộ được giao thẩm quyền cho phép việc sản xuất") is None


def test_the_last_article_before_the_end_mark_is_work():
    # "Văn phòng Chính phủ theo dõi, đôn đốc ... Công điện này, ... báo cáo Thủ tướng Chính phủ./."
    t = opening(rules_tasks(POOL / "pool-cd-b2fa00.txt"), "Văn phòng Chính phủ theo dõi, đôn đốc")
    assert t.unit == "Văn phòng Chính phủ"
    assert nontask.is_closing("Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Điện Biên và các Bộ, "
                              "cơ quan liên quan biết, thực hiện./.")


def test_a_lead_in_with_commas_of_its_own_before_the_subject():
    t = opening(rules_tasks(WEB / "web-tb-405a6c.txt"), "Trên cơ sở đề nghị của các Bộ, cơ quan liên quan, Bộ Tài chính")
    assert t.unit == "Bộ Tài chính"
    # "1. Các đồng chí Bộ trưởng, ... theo chức năng, nhiệm vụ, ...; trong đó lưu ý ... sau:" hands its items out
    t = opening(rules_tasks(WEB / "web-tb-405a6c.txt"), "Tập trung rà soát, xác định rõ tình hình")
    assert t.unit == "Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ"


def test_the_author_presenting_its_plan_hands_nothing_out():
    # kh-006: "Căn cứ chức năng, nhiệm vụ được giao, Sở Công Thương xây dựng Kế hoạch ..., cụ thể như sau:"
    tasks = rules_tasks(CORPUS / "kh-006.docx")
    t = opening(tasks, "Đưa công tác bảo vệ môi trường, phát triển công nghiệp xanh")
    assert t.unit is None


def test_sentences_that_each_name_their_unit_are_one_task_each():
    tasks = rules_tasks(POOL / "pool-cv-2c71d7.txt")
    a = opening(tasks, "Chủ tịch Ủy ban nhân dân tỉnh Hưng Yên khẩn trương làm việc")
    b = opening(tasks, "Ủy ban nhân dân các tỉnh: Ninh Bình, Bắc Ninh, Phú Thọ, Tuyên Quang đẩy nhanh")
    assert a.unit == "Chủ tịch Ủy ban nhân dân tỉnh Hưng Yên"
    assert b.unit == "Ủy ban nhân dân các tỉnh: Ninh Bình, Bắc Ninh, Phú Thọ, Tuyên Quang"
    assert a.span.end <= b.span.start


def test_a_decision_publishing_procedures_gives_its_articles_only():
    path = WEB / "web-qd-80bb1f.txt"
    doc = structure(read(path))
    assert nontask.publishes_procedures(doc.header.title)
    tasks = rules_tasks(path)
    assert 1 <= len(tasks) <= 5
    assert all(t.span.start < doc.appendix_start for t in tasks)


def test_every_task_of_the_pool_documents_keeps_its_offsets():
    for path in sorted(POOL.glob("*.txt")):
        ex = extract_file(path)
        text = structure(read(path)).text
        for t in ex.tasks:
            assert " ".join(text[t.span.start:t.span.end].split()).startswith(t.text[:30]), (path.name, t.text[:40])


def test_a_regulations_duty_falls_on_all_that_stands_before_co_trach_nhiem():
    # web-vb-322358: the subject after a conditional lead-in, in lower case
    t = opening(rules_tasks(WEB / "web-vb-322358.txt"), "Khi các thành viên Ban Chỉ đạo có sự thay đổi về nhân sự")
    assert t.unit == "cơ quan cử nhân sự"
    # qd-thainguyen-07 (a provincial regulation on prices): words that would end a name
    # elsewhere ("hàng hóa, dịch vụ", "kiểm tra") stand before the duty
    s = subject("Tổ chức, cá nhân kinh doanh hàng hóa, dịch vụ có trách nhiệm chấp hành biện pháp bình ổn giá "
                "được công bố.")
    assert s.unit == "Tổ chức, cá nhân kinh doanh hàng hóa, dịch vụ"
    assert subject("Đối tượng kiểm tra có trách nhiệm thực hiện yêu cầu, kết luận, kiến nghị.").unit == "Đối tượng kiểm tra"
    # no duty: a clause break, or a responsibility that is somebody's ("trách nhiệm của ...")
    assert subject("Đối tượng kiểm tra được quy định tại Điều 5; cơ quan có trách nhiệm thông báo.") is None
    assert subject("Quy định này có trách nhiệm của các bên.") is None


def test_a_name_after_a_lead_ins_comma_followed_by_theo_is_still_the_lead_in():
    # qd-thainguyen-07: "Sau khi ... trên cơ sở đề nghị của Sở quản lý ngành, Ủy ban nhân dân cấp xã
    # theo quy định tại khoản 1 Điều này, Sở Tài chính chủ trì, ..."
    s = subject("Sau khi Ủy ban nhân dân tỉnh ban hành Quyết định quy định về giá mới trên cơ sở đề nghị của Sở "
                "quản lý ngành, Ủy ban nhân dân cấp xã theo quy định tại khoản 1 Điều này, Sở Tài chính chủ trì, "
                "phối hợp với các Sở quản lý ngành rà soát.")
    assert s.unit == "Sở Tài chính"
    s = subject("Trường hợp cần thiết phải điều chỉnh danh mục hàng hóa, dịch vụ do Nhà nước định giá, Ủy ban nhân "
                "dân cấp xã đề xuất gửi Sở Tài chính.")
    assert s.unit == "Ủy ban nhân dân cấp xã"


def test_a_tax_or_customs_reply_asks_the_company_it_answers():
    # pool-cv-6a73c8 (a customs office's reply): the company is named by the bare word "Công ty";
    # the clause of a law the reply quotes is no task
    tasks = rules_tasks(POOL / "pool-cv-6a73c8.txt")
    assert opening(tasks, "Đề nghị Công ty nghiên cứu quy định nêu trên").unit == "Công ty"
    assert not [t for t in tasks if t.text.startswith("Khoản 1, 2 Điều 47a")]
    assert nontask.reason("Khoản 1, 2 Điều 47a được bổ sung tại khoản 3 Điều 3 Luật số 90/2025/QH15 ngày 25/6/2025 "
                          "quy định hàng hóa xuất khẩu, nhập khẩu tại chỗ là hàng hóa giao, nhận tại Việt Nam.") == "law quoted"
    # a request after the clause is work all the same (bc-005)
    assert nontask.reason("Tại điểm a, khoản 1, Điều 46, Nghị định số 21/2026/NĐ-CP ngày 16/01/2026 của Chính phủ, quy "
                          "định về hồ sơ tham gia đấu giá, kính đề nghị Bộ Nông nghiệp và Môi trường bổ sung hồ sơ.") != "law quoted"


def test_a_quotation_runs_to_its_closing_mark_whatever_its_numbering():
    # pool-cv-77de8d (a tax office's reply): '"Điều 51. ...' / '10. Trường hợp thuê đất ...' / '... Nghị định này."'
    # is a decree quoted; the addressee's "(Địa chỉ: ...)" line does not end the "Kính gửi:" list
    tasks = rules_tasks(POOL / "pool-cv-77de8d.txt")
    assert [t.unit for t in tasks] == ["Công ty Cổ phần siêu thị Sài Gòn"]
