"""Task ids follow the document and the task's wording, not files, bytes or row order."""
import shutil

import docx

from conftest import CITING_CV, CORPUS
from extract import task_ids
from extract.pipeline import extract_file, to_json


def ids(path):
    return [t.id for t in extract_file(path).tasks]


def test_one_numbered_document_in_three_formats_has_one_set_of_ids(seed_formats):
    """12/TB-SVHTTDL as .txt, .docx and a PDF: the same document, the same task ids."""
    by_format = {k: ids(p) for k, p in seed_formats.items()}
    assert len(by_format["txt"]) >= 8 and len(set(by_format["txt"])) == len(by_format["txt"])
    assert by_format["txt"] == by_format["docx"] == by_format["pdf"]
    assert all(i.startswith("t") and len(i) == 13 for i in by_format["txt"])


def test_resaved_and_moved_file_keeps_its_ids(tmp_path):
    """An unnumbered draft re-saved (other bytes, same text) and moved keeps its ids."""
    src = CORPUS / "cv-003.docx"
    before = extract_file(src)
    assert before.document.header.number is None and before.tasks
    resaved = tmp_path / "elsewhere" / "renamed.docx"
    resaved.parent.mkdir()
    docx.Document(str(src)).save(str(resaved))
    after = extract_file(resaved)
    assert after.document.sha256 != before.document.sha256
    assert [t.id for t in after.tasks] == [t.id for t in before.tasks]


def test_changed_wording_changes_that_task_only(tmp_path):
    a = tmp_path / "cv-25.txt"
    a.write_text(CITING_CV, encoding="utf-8")
    b = tmp_path / "cv-25-sua.txt"
    b.write_text(CITING_CV.replace("đôn đốc việc điều hành dự án", "đôn đốc việc điều hành các dự án"),
                 encoding="utf-8")
    ta, tb = extract_file(a).tasks, extract_file(b).tasks
    assert len(ta) == len(tb) == 2
    assert ta[0].id == tb[0].id           # the Phòng Quản lý Du lịch task: same words, same id
    assert ta[1].id != tb[1].id           # the Văn phòng Sở task was reworded


def test_ids_do_not_depend_on_row_order_labels_or_punctuation():
    ident = task_ids.document_identity(number="12/TB-SVHTTDL", issuer="Sở Văn hóa, Thể thao và Du lịch",
                                       issuer_parent="UBND tỉnh Lai Châu", date="2026-01-07", text="")
    rows = [("Tham mưu tổ chức Hội nghị tổng kết;", "Văn phòng Sở"),
            ("Xây dựng Chương trình công tác năm 2026", "Các phòng chuyên môn thuộc Sở")]
    first = task_ids.task_ids(ident, rows)
    assert task_ids.task_ids(ident, rows[::-1]) == first[::-1]
    # another extractor version keeping the item's label, or its spacing, or its closing mark
    relabelled = [("2.1. Tham mưu  tổ chức Hội nghị tổng kết", "Văn phòng Sở"),
                  ("- Xây dựng Chương trình công tác năm 2026.", "Các phòng chuyên môn thuộc Sở")]
    assert task_ids.task_ids(ident, relabelled) == first
    # the same words for another unit, or in another year's document: another task
    assert task_ids.task_ids(ident, [(rows[0][0], "Các phòng chuyên môn thuộc Sở")])[0] != first[0]
    other_year = task_ids.document_identity(number="12/TB-SVHTTDL", issuer="Sở Văn hóa, Thể thao và Du lịch",
                                            issuer_parent="UBND tỉnh Lai Châu", date="2027-01-07", text="")
    assert task_ids.task_ids(other_year, rows) != first


def test_twin_tasks_of_one_document_get_distinct_ids():
    ident = task_ids.document_identity(number=None, issuer=None, issuer_parent=None, date=None, text="x")
    twins = task_ids.task_ids(ident, [("Báo cáo kết quả về Sở", "Văn phòng Sở")] * 2)
    assert twins[0] != twins[1]


def test_identity_of_numbered_and_unnumbered_documents():
    blank = task_ids.document_identity(number="/TB-SCT", issuer="Sở Công Thương", issuer_parent=None,
                                       date=None, text="Thông báo kết luận")
    assert blank.startswith("text:")        # "Số: /TB-SCT" names no document yet
    spaced = task_ids.document_identity(number=None, issuer=None, issuer_parent=None, date=None,
                                        text="Thông báo — kết luận\n của  Giám đốc")
    joined = task_ids.document_identity(number=None, issuer=None, issuer_parent=None, date=None,
                                        text="Thông báo - kết luận của Giám đốc")
    assert spaced == joined


def test_ids_in_the_json_contract(tmp_path):
    path = tmp_path / "tb.txt"
    shutil.copy(CORPUS / "tb-2025-12-giaoban-svhttdl-laichau.txt", path)
    data = to_json(extract_file(path))
    assert all(t["id"] for t in data["tasks"])
    assert len({t["id"] for t in data["tasks"]}) == len(data["tasks"])


def test_words_key_is_the_folded_words_of_every_corpus_document():
    """The fast fold of a whole text gives the words the project's fold gives."""
    import regex

    from extract.normalize import fold

    # Latin letters and decimal digits: a superscript ("m²") or a Greek unit ("10 Ω") in a
    # technical appendix (tb-007) is no word of the wording
    words = regex.compile(r"[\p{Latin}\p{Nd}]+")
    texts = [extract_file(f).document.text for f in sorted(CORPUS.iterdir()) if f.suffix in (".txt", ".docx")]
    assert len(texts) >= 8
    for text in texts:
        assert task_ids.words_key(text) == " ".join(words.findall(fold(text)))
    assert task_ids.words_key("ĐỒNG Đảng–viên\u00a0hòa/hoà") == "dong dang vien hoa hoa"
