import codecs

import pytest

import builders
from conftest import CORPUS
from extract.errors import VanbanError
from extract.readers import read, sniff


def test_txt_encodings(tmp_path):
    text = "Sở Văn hóa, Thể thao và Du lịch báo cáo như sau:\n- Tham mưu tổ chức Hội nghị.\n"
    for name, data in {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf16.txt": text.encode("utf-16"),
    }.items():
        p = tmp_path / name
        p.write_bytes(data)
        raw = read(p)
        assert [b.text for b in raw.blocks] == ["Sở Văn hóa, Thể thao và Du lịch báo cáo như sau:",
                                                "- Tham mưu tổ chức Hội nghị."], name


def test_cp1258_decodes_vietnamese(tmp_path):
    import unicodedata
    text = "Kế hoạch tổ chức Hội nghị giao ban của Sở Văn hóa"
    p = tmp_path / "legacy.txt"
    # Windows-1258 has â, ơ, đ ... as letters and writes tones as combining marks.
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)))
        out.extend(c for c in parts if c in tones)
    p.write_bytes("".join(out).encode("cp1258"))
    raw = read(p)
    assert raw.encoding == "cp1258"
    assert unicodedata.normalize("NFC", raw.blocks[0].text) == text


def test_txt_dump_of_pdf_lines_are_joined():
    raw = read(CORPUS / "tb-2025-12-giaoban-svhttdl-laichau.txt")
    texts = [b.text for b in raw.blocks]
    assert "Sở Văn hóa, Thể thao và Du lịch tổ chức Hội nghị giao ban tháng 12 năm 2025. Dự hội nghị có" in " ".join(texts)
    # A code broken across lines is glued back without a space.
    assert any("47/CTr-SVHTTDL ngày 07/01/2026." in t for t in texts)
    assert "2.1. Văn phòng Sở" in texts


def test_txt_footnotes_are_blocks():
    raw = read(CORPUS / "bc-2023-6thang-svhttdl-laichau.txt")
    notes = [b for b in raw.blocks if b.kind == "footnote"]
    assert [n.anchor for n in notes] == ["1", "2"]
    assert notes[0].text.startswith("Đến thời điểm hiện tại có 04 doanh nghiệp")
    assert not any("footnoteRef" in b.text for b in raw.blocks)


def test_docx_header_table_numbering_and_footnote(seed_formats):
    raw = read(seed_formats["docx"])
    assert raw.blocks[0].kind == "row" and raw.blocks[0].cells[0].startswith("UBND TỈNH LAI CHÂU")
    labelled = [b for b in raw.blocks if b.label]
    assert labelled[0].label == "1." and labelled[0].text.startswith("Đánh giá kết quả")
    assert any(b.label == "-" for b in raw.blocks)
    notes = [b for b in raw.blocks if b.kind == "footnote"]
    assert len(notes) == 1 and notes[0].text.startswith("Khối thi đua")


def test_real_docx_reads_in_body_order():
    raw = read(CORPUS / "kh-004.docx")
    texts = [b.text for b in raw.blocks if b.text.strip()]
    assert texts.index("KẾ HOẠCH") < next(i for i, t in enumerate(texts) if t.startswith("III. ") or t.startswith("TỔ CHỨC"))


def test_pdf_pages_footer_dropped_and_lines_joined(seed_formats):
    raw = read(seed_formats["pdf"])
    assert raw.format == "pdf" and raw.pages >= 3
    texts = [b.text for b in raw.blocks]
    assert not any("Du lịch - Trang" in t for t in texts)   # the running footer
    assert any(t.startswith("- Tham mưu Kế hoạch điều động luân chuyển") and t.endswith("(Báo cáo Ban Giám đốc trước ngày 16/01).") for t in texts)
    assert {b.page for b in raw.blocks} >= {1, 2, 3}


def test_real_pdf_text_layer():
    raw = read(CORPUS / "cv-008.pdf")
    assert raw.pages == 2 and not raw.ocr_pages
    assert any("1074/QĐ-BXD" in b.text for b in raw.blocks)


def test_sniff_by_content_not_extension(tmp_path, seed_formats):
    fake = tmp_path / "report.txt"
    fake.write_bytes(seed_formats["pdf"].read_bytes())
    assert read(fake).format == "pdf"
    text_named_docx = tmp_path / "note.docx"
    text_named_docx.write_text("Thông báo kết luận giao ban\n- Tham mưu tổ chức", encoding="utf-8")
    assert read(text_named_docx).format == "txt"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "doc"


@pytest.mark.parametrize("content,reason", [
    (b"", "empty file"),
    (b"%PDF-1.7\n garbage", "PDF"),
    (b"PK\x03\x04 not really a zip", "zip"),
    (bytes(range(256)) * 4, "binary"),
])
def test_bad_files_give_one_line_errors(tmp_path, content, reason):
    p = tmp_path / "bad.pdf"
    p.write_bytes(content)
    with pytest.raises(VanbanError) as e:
        read(p)
    msg = str(e.value)
    assert msg.startswith(str(p) + ": ") and "\n" not in msg
    assert reason.lower() in msg.lower()


def test_pdf_table_read_as_rows(tmp_path):
    """A ruled table in a PDF comes out as rows of cells, in its place in the text."""
    from extract.readers import read

    raw = read(builders.write_pdf_with_table(tmp_path / "bang.pdf"))
    kinds = [b.kind for b in raw.blocks]
    assert kinds == ["para", "para"] + ["row"] * len(builders.REPORT_TABLE) + ["para"]
    rows = [b for b in raw.blocks if b.kind == "row"]
    assert [b.cells for b in rows] == builders.REPORT_TABLE
    assert {b.table for b in rows} == {0} and {b.page for b in rows} == {1}
    assert raw.blocks[-1].text.startswith("2. Công tác quản lý nhà nước")


def test_pdf_lines_that_are_not_a_table(tmp_path):
    """Underlined words draw many lines but make no table: the text stays text."""
    from fpdf import FPDF

    from extract.readers import read

    pdf = FPDF()
    pdf.add_font("dv", fname=builders.font_path())
    pdf.add_page()
    pdf.set_font("dv", size=11)
    for i in range(12):
        pdf.cell(0, 6, f"Dòng {i + 1}: nội dung cần chú ý của văn bản.", new_x="LMARGIN", new_y="NEXT")
        pdf.line(10, pdf.get_y() - 0.5, 120, pdf.get_y() - 0.5)
    pdf.output(str(tmp_path / "gach.pdf"))
    raw = read(tmp_path / "gach.pdf")
    assert raw.blocks and all(b.kind == "para" for b in raw.blocks)
    assert "Dòng 12: nội dung cần chú ý" in " ".join(b.text for b in raw.blocks)


def test_pdf_header_read_column_by_column(seed_formats):
    """The two header columns set side by side come out one column at a time."""
    from extract.readers import read

    first = [b.text for b in read(seed_formats["pdf"]).blocks[:6]]
    assert first == builders.HEADER_LEFT + [builders.NUMBER] + builders.HEADER_RIGHT + [builders.DATE]


def test_pdf_header_columns_on_real_pdf():
    from extract.readers import read

    first = [b.text for b in read(CORPUS / "cv-008.pdf").blocks[:7]]
    assert first[:6] == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: /UBND-XD", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Lào Cai, ngày tháng 7 năm 2026"]
    assert first[6].startswith("V/v triển khai thực hiện Quyết định số 1074/QĐ-BXD")


@pytest.mark.parametrize("codec,bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_txt_cut_in_the_middle_of_a_character_is_read_with_a_warning(tmp_path, codec, bom):
    """A truncated download or copy: the seed cut inside its last character."""
    import subprocess
    import sys

    text = (CORPUS / "tb-2025-12-giaoban-svhttdl-laichau.txt").read_text(encoding="utf-8")
    end = text.index("Hội nghị giao ban tháng 12 năm 2025. Dự") + len("Hội nghị giao ban tháng 12 năm 2025. Dự")
    data = bom + text[:end].encode(codec)
    tail = "ự".encode(codec) if codec == "utf-8" else "😀".encode(codec)   # 3 bytes, or a surrogate pair
    p = tmp_path / f"cut-{codec}-{len(bom)}.txt"
    p.write_bytes(data + tail[:-1])
    raw = read(p)
    assert raw.blocks[-1].text.endswith("tháng 12 năm 2025. Dự")
    assert any("ends in the middle of a" in w and f"last {len(tail) - 1} bytes dropped" in w for w in raw.warnings)
    out = subprocess.run([sys.executable, "-m", "extract.cli", "extract", str(p)], capture_output=True, text=True)
    assert out.returncode == 0 and f"{p}: warning: the file ends in the middle of a" in out.stderr
    # a byte that is wrong elsewhere is not a cut: that file is still refused (or read as a legacy code page)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 20 + "ự".encode()[:-1])
    with pytest.raises(VanbanError, match="cannot decode text"):
        read(bad)


def test_web_page_charset_and_links_before_libreoffice():
    """A page is handed to LibreOffice in UTF-8 whatever its charset, and with
    no link that would make it fetch anything (no network at run time)."""
    from builders import to_cp1258
    from extract.readers.office import html_to_utf8

    page = ('<html xmlns:w="urn:schemas-microsoft-com:office:word"><head>'
            '<meta http-equiv=Content-Type content="text/html; charset=windows-1258">'
            '<link rel=File-List href="tb_files/filelist.xml"><link rel=stylesheet href="http://example.invalid/a.css">'
            '</head><body><p class=MsoNormal>Số: 12/TB-SVHTTDL<img src="https://example.invalid/logo.png">'
            '<img src="file:///etc/hostname"><img src=tb_files/image001.png></p></body></html>')
    out, charset = html_to_utf8("p.htm", to_cp1258(page))
    text = out.decode("utf-8")
    assert charset == "windows-1258"
    assert "charset=utf-8" in text and "Số: 12/TB-SVHTTDL" in __import__("unicodedata").normalize("NFC", text)
    assert "example.invalid" not in text and "/etc/hostname" not in text
    assert 'href="tb_files/filelist.xml"' in text and "src=tb_files/image001.png" in text
    with pytest.raises(VanbanError, match="unknown charset"):
        html_to_utf8("q.htm", b'<html><meta charset="x-nothing"><body>x</body></html>')


def test_pdf_header_name_running_past_the_top_lines_gap(tmp_path):
    """A body's name longer than the line above it runs past the middle of the
    top lines' column gap; the columns are cut where every header line leaves a gap."""
    from fpdf import FPDF

    from builders import font_path, header_columns
    from conftest import extract

    pdf = FPDF(format="A4")
    pdf.add_font("dv", fname=font_path())
    pdf.add_page()
    pdf.set_font("dv", size=11)
    rows = [("UBND TỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 215/SNN-KH", "Lào Cai, ngày 14 tháng 7 năm 2026")]
    header_columns(pdf, rows)
    pdf.multi_cell(0, 6, "V/v tham gia ý kiến thẩm định hồ sơ đề nghị thành lập cụm công nghiệp", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Kính gửi: Sở Công Thương tỉnh Lào Cai", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "cv.pdf"))
    texts = [b.text for b in read(tmp_path / "cv.pdf").blocks]
    assert "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in texts
    h = extract(tmp_path / "cv.pdf").document.header
    assert h.issuer == "Sở Nông nghiệp và Phát triển nông thôn" and h.number == "215/SNN-KH" and h.date == "2026-07-14"


def test_text_beyond_what_memory_holds_is_refused_naming_max_size(monkeypatch):
    """On a machine with 256 KB free, the 36 KB báo cáo (about 1.7 MB to extract)
    is refused before it is decoded, a .docx after reading; in one line."""
    import extract.readers as readers

    monkeypatch.setattr(readers, "available_memory", lambda: 1 << 18)
    for path in (CORPUS / "bc-2023-6thang-svhttdl-laichau.txt", CORPUS / "bc-007.docx"):
        with pytest.raises(VanbanError) as e:
            read(path)
        msg = str(e.value)
        assert "\n" not in msg and path.name in msg and "--max-size" in msg and "more than this machine has free" in msg
    monkeypatch.setattr(readers, "available_memory", lambda: 1 << 30)
    assert read(CORPUS / "bc-007.docx").blocks
