"""TCVN3 (ABC) and VNI text, on the byte sequences those encodings write."""
import pytest

from extract.legacy import detect, looks_garbled, repair, tcvn3_to_unicode, vni_to_unicode
from extract.readers import read

# TCVN3 bytes as .VnTime documents hold them: "Cộng hoà xã hội chủ nghĩa Việt Nam",
# "Độc lập - Tự do - Hạnh phúc", "Thực hiện kế hoạch của Ủy ban nhân dân tỉnh".
TCVN3_BYTES = (
    b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam\n"
    b"\xa7\xe9c l\xcbp - T\xf9 do - H\xb9nh ph\xf3c\n"
    b"Th\xf9c hi\xd6n k\xd5 ho\xb9ch c\xf1a \xf1y ban nh\xa9n d\xa9n t\xd8nh\n"
)
TCVN3_TEXT = ("Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
              "Thực hiện kế hoạch của ủy ban nhân dân tỉnh\n")
# VNI bytes (VNI-Times) of the same kind of lines.
VNI_BYTES = (
    b"Co\xe4ng ho\xf8a xa\xf5 ho\xe4i chu\xfb ngh\xf3a Vie\xe4t Nam\n"
    b"\xd1o\xe4c la\xe4p - T\xf6\xef do - Ha\xefnh phu\xf9c\n"
    b"Ng\xf6\xf4\xf8i th\xf6\xefc hie\xe4n ke\xe1 hoa\xefch cu\xfba U\xdby ban nha\xe2n da\xe2n t\xe6nh\n"
)
VNI_TEXT = ("Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
            "Người thực hiện kế hoạch của Ủy ban nhân dân tỉnh\n")


def test_tcvn3_bytes():
    s = TCVN3_BYTES.decode("latin-1")
    assert tcvn3_to_unicode(s) == TCVN3_TEXT
    assert detect(s) == "tcvn3"


def test_tcvn3_capital_font():
    # .VnTimeH draws the same bytes as capitals
    assert tcvn3_to_unicode("C\xe9ng ho\xb5", capitals=True) == "CỘNG HOÀ"


def test_vni_bytes():
    s = VNI_BYTES.decode("latin-1")
    assert vni_to_unicode(s) == VNI_TEXT
    assert detect(s) == "vni"


@pytest.mark.parametrize("text", [
    "Cộng hòa xã hội chủ nghĩa Việt Nam. Thực hiện kế hoạch của Ủy ban nhân dân tỉnh về phát triển du lịch.",
    "Report on the tourism plan of the province, with figures and tables for the first six months.",
    "Số: 12/TB-SVHTTDL; 567.530 lượt khách, tăng 41,55%",
])
def test_unicode_text_is_left_alone(text):
    assert detect(text) is None and repair(text) == (text, None)


def test_txt_files_in_legacy_encodings(tmp_path):
    (tmp_path / "tcvn3.txt").write_bytes(TCVN3_BYTES)
    raw = read(tmp_path / "tcvn3.txt")
    assert raw.encoding == "tcvn3"
    assert " ".join(b.text for b in raw.blocks) == " ".join(TCVN3_TEXT.split())
    assert any("TCVN3" in w for w in raw.warnings)
    # VNI letters pasted into a UTF-8 file
    (tmp_path / "vni.txt").write_text(VNI_BYTES.decode("latin-1"), encoding="utf-8")
    raw = read(tmp_path / "vni.txt")
    assert raw.encoding == "utf-8+vni"
    assert " ".join(b.text for b in raw.blocks) == " ".join(VNI_TEXT.split())


def test_docx_runs_in_legacy_fonts(tmp_path):
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    r = p.add_run(TCVN3_BYTES.decode("latin-1").split("\n")[0])
    r.font.name = ".VnTimeH"                       # capitals font
    p = d.add_paragraph()
    r = p.add_run(TCVN3_BYTES.decode("latin-1").split("\n")[2])
    r.font.name = ".VnTime"
    p = d.add_paragraph()
    r = p.add_run(VNI_BYTES.decode("latin-1").split("\n")[1])
    r.font.name = "VNI-Times"
    d.add_paragraph("Số liệu 567.530 lượt khách (Unicode, Times New Roman).")
    d.save(tmp_path / "legacy.docx")
    texts = [b.text for b in read(tmp_path / "legacy.docx").blocks]
    assert texts == ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Thực hiện kế hoạch của ủy ban nhân dân tỉnh",
                     "Độc lập - Tự do - Hạnh phúc", "Số liệu 567.530 lượt khách (Unicode, Times New Roman)."]


def test_docx_legacy_text_without_font_names(tmp_path):
    import docx

    d = docx.Document()
    for line in VNI_BYTES.decode("latin-1").strip().split("\n"):
        d.add_paragraph(line)
    d.save(tmp_path / "vni.docx")
    raw = read(tmp_path / "vni.docx")
    assert [b.text for b in raw.blocks] == VNI_TEXT.strip().split("\n")
    assert any("VNI" in w for w in raw.warnings)


def test_garbled_pdf_text_is_recognised():
    assert looks_garbled("6Ӣ CÔNG 7+ѬѪ1* LÀO CAI 6ӕ\x1d /TB-SCT .ӃW TXҧ NLӇP tra YLӋF FKҩS")
    assert not looks_garbled("Sở Công Thương Lào Cai thông báo kết quả kiểm tra việc chấp hành")


def test_foreign_script_is_text_where_mojibake_is_not():
    russian = "[17] СИТИС-СПН-1 Пожарная нагрузка. Справочник, 2015 (Bộ các tình trạng khẩn cấp liên bang Nga)"
    assert looks_garbled(russian)                       # a .doc read as junk: odd letters are odd
    assert not looks_garbled(russian, foreign_script=True)
    assert not looks_garbled("关于加强消防安全管理的通知 (Thông báo về tăng cường quản lý an toàn)", foreign_script=True)
    # a broken font's glyphs inside Latin words, with control characters: still garbled
    assert looks_garbled("6Ӣ CÔNG 7+ѬѪ1* LÀO CAI 6ӕ\x1d /TB-SCT .ӃW TXҧ NLӇP tra YLӋF FKҩS", foreign_script=True)
    # archaic letters of the Cyrillic block, standing alone, are no living script
    assert looks_garbled("Ѭ Ѫ Ѭ Ѫ ѬѪ ѬѪ ѬѪ thông báo kết quả kiểm tra việc", foreign_script=True)


def test_doc_in_legacy_fonts(tmp_path):
    """A Word 97-2003 .doc in .VnTime and VNI-Times fonts (made by LibreOffice) reads as Unicode."""
    import shutil
    import subprocess

    import docx

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    d = docx.Document()
    r = d.add_paragraph().add_run(TCVN3_BYTES.decode("latin-1").split("\n")[2])
    r.font.name = ".VnTime"
    r = d.add_paragraph().add_run(VNI_BYTES.decode("latin-1").split("\n")[0])
    r.font.name = "VNI-Times"
    d.save(tmp_path / "cu.docx")
    subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(tmp_path / "cu.docx")], capture_output=True, timeout=120)
    raw = read(tmp_path / "cu.doc")
    assert raw.format == "doc"
    assert [b.text for b in raw.blocks] == ["Thực hiện kế hoạch của ủy ban nhân dân tỉnh",
                                           "Cộng hòa xã hội chủ nghĩa Việt Nam"]


def test_pdf_text_layer_in_a_legacy_font(tmp_path):
    """A PDF typed in .VnTime keeps TCVN3 bytes in its text layer; it is repaired
    through that encoding (no OCR needed)."""
    from fpdf import FPDF

    import builders

    pdf = FPDF()
    pdf.add_font("dv", fname=builders.font_path())
    pdf.add_page()
    pdf.set_font("dv", size=12)
    for line in TCVN3_BYTES.decode("latin-1").strip().split("\n"):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "vntime.pdf"))
    raw = read(tmp_path / "vntime.pdf", ocr=False)
    assert " ".join(b.text for b in raw.blocks) == " ".join(TCVN3_TEXT.split())
    assert any("TCVN3" in w for w in raw.warnings) and not raw.ocr_pages
