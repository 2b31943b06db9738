"""Build the same document as .txt, .docx and .pdf from one source.

The source is a seed text (real writing) under a Nghị định 30 header. The
.docx has the header in a two-column table, Word automatic numbering for
its "1." headings and "-" bullets, and a real footnote; the .pdf is set in
DejaVu Sans (a real font with Vietnamese glyphs, shipped by matplotlib),
wraps its lines, runs over several pages and carries a running footer.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

HEADER_LEFT = ["UBND TỈNH LAI CHÂU", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
NUMBER = "Số: 12/TB-SVHTTDL"
DATE = "Lai Châu, ngày 07 tháng 01 năm 2026"
FOOTNOTE = "Khối thi đua Văn hóa - Xã hội gồm 9 cơ quan, đơn vị."


def seed_paragraphs(seed_txt: Path) -> tuple[str, str, list[str]]:
    """(type line, title, body paragraphs) of a seed, read with vanban's txt reader."""
    from extract.readers import read

    paras = [b.text for b in read(seed_txt).blocks if b.kind == "para"]
    return paras[0], paras[1], paras[2:]


def write_txt(path: Path, type_line: str, title: str, body: list[str]) -> Path:
    lines = [HEADER_LEFT[0] + "    " + HEADER_RIGHT[0], HEADER_LEFT[1] + "    " + HEADER_RIGHT[1],
             NUMBER + "    " + DATE, "", type_line, title, ""]
    lines += [p for p in body]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cut(line: str, width: int) -> list[str]:
    """A line broken where a cell of ``width`` characters ends."""
    import textwrap

    return textwrap.wrap(line, width, break_long_words=False)


def _ragged(paragraph: str, first: int, width: int = 80) -> list[str]:
    """A paragraph as a legal-text website's copy gives it: the first line cut
    short (where the page's indented cell ended), the rest wrapped at ``width``."""
    import textwrap

    words = paragraph.split()
    head: list[str] = []
    while words and len(" ".join(head + words[:1])) <= first:
        head.append(words.pop(0))
    if not head:
        head.append(words.pop(0))
    return [" ".join(head)] + (textwrap.wrap(" ".join(words), width, break_long_words=False) if words else [])


def write_web_txt(path: Path, type_line: str, title: str, body: list[str]) -> Path:
    """The document as text copied from a legal-text website: every header line
    broken across lines ("CỘNG" / "HÒA XÃ HỘI ...", "Số:" / "12/...", "Lai" /
    "Châu, ngày ..."), blank lines between the header's parts, paragraphs
    hard-wrapped at 80 columns with their first line cut short."""
    lines: list[str] = []
    for left in HEADER_LEFT:
        lines += _cut(left, 14)
    lines += ["-------", ""]
    motto = HEADER_RIGHT[0].split(" ", 1)
    lines += [motto[0], motto[1], HEADER_RIGHT[1], "---------------", ""]
    lines += NUMBER.split(" ", 1) + [""]
    place, rest = DATE.split(" ", 1)
    lines += [place] + _cut(rest, 24) + [""]
    lines += [type_line] + _ragged(title, 4)
    for i, p in enumerate(body):
        lines += _ragged(p, 30 + (7 * i) % 30)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


LABEL = re.compile(r"^(\d)\.\s+(.*)$")
BULLET = re.compile(r"^-\s+(.*)$")


def write_docx(path: Path, type_line: str, title: str, body: list[str]) -> Path:
    import docx

    d = docx.Document()
    table = d.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "\n".join(HEADER_LEFT)
    table.cell(0, 1).text = "\n".join(HEADER_RIGHT)
    table.cell(1, 0).text = NUMBER
    table.cell(1, 1).text = DATE
    d.add_paragraph("")
    d.add_paragraph(type_line)
    d.add_paragraph(title)
    d.add_paragraph("")
    footnote_done = False
    for p in body:
        m = LABEL.match(p)
        b = BULLET.match(p)
        if m:
            # Word automatic numbering: the "1." is not in the text.
            para = d.add_paragraph(m.group(2), style="List Number")
        elif b:
            para = d.add_paragraph(b.group(1), style="List Bullet")
        else:
            para = d.add_paragraph(p)
        if not footnote_done and "Khối 6" in p:
            run = para.add_run()
            run._r.append(_footnote_ref(1))
            footnote_done = True
    d.save(path)
    _add_footnotes_part(path, {1: FOOTNOTE})
    return path


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _footnote_ref(fid: int):
    from docx.oxml import parse_xml

    return parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="{fid}"/>')


def _add_footnotes_part(path: Path, notes: dict[int, str]) -> None:
    """python-docx cannot write footnotes: add the part by hand, as Word would."""
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t></w:r></w:p></w:footnote>'
        for i, t in notes.items())
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           f"{body}</w:footnotes>")
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("word/footnotes.xml", xml.encode("utf-8"))
    os.replace(tmp, path)


def font_path() -> str:
    import matplotlib

    return os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf", "DejaVuSans.ttf")


def header_columns(pdf, rows) -> None:
    """The two header columns side by side, as an official document sets them."""
    for left, right in rows:
        y = pdf.get_y()
        pdf.set_xy(10, y)
        pdf.cell(85, 6, left, align="C")
        pdf.set_xy(100, y)
        pdf.cell(100, 6, right, align="C")
        pdf.ln(7)
    pdf.ln(4)


def write_pdf(path: Path, type_line: str, title: str, body: list[str], repeat: int = 1) -> Path:
    from fpdf import FPDF

    class Doc(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("dv", size=8)
            self.cell(0, 5, f"Sở Văn hóa, Thể thao và Du lịch - Trang {self.page_no()}", align="C")

    pdf = Doc(format="A4")
    pdf.add_font("dv", fname=font_path())
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("dv", size=11)
    header_columns(pdf, zip(HEADER_LEFT + [NUMBER], HEADER_RIGHT + [DATE]))
    pdf.cell(0, 7, type_line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for _ in range(repeat):
        for p in body:
            pdf.multi_cell(0, 6, p, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# Figures of the seed báo cáo, as such reports tabulate them.
REPORT_TABLE = [
    ["TT", "Chỉ tiêu", "Đơn vị tính", "6 tháng năm 2023", "So với cùng kỳ (%)"],
    ["1", "Tổng lượt khách du lịch", "lượt", "567.530", "141,55"],
    ["2", "Khách quốc tế", "lượt", "10.254", "230,12"],
    ["3", "Tổng thu từ khách du lịch", "tỷ đồng", "411,999", "152,30"],
    ["4", "Cơ sở lưu trú", "cơ sở", "295", "108,45"],
]


def write_pdf_with_table(path: Path) -> Path:
    """A page of a báo cáo: a paragraph, a ruled table of figures, a paragraph."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dv", fname=font_path())
    pdf.add_page()
    pdf.set_font("dv", size=11)
    pdf.multi_cell(0, 6, "I. KẾT QUẢ THỰC HIỆN 6 THÁNG ĐẦU NĂM 2023", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "1. Kết quả chủ yếu về du lịch được tổng hợp tại bảng sau:", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    from fpdf.fonts import FontFace

    with pdf.table(col_widths=(8, 40, 18, 24, 24), text_align="LEFT", headings_style=FontFace()) as table:
        for r in REPORT_TABLE:
            row = table.row()
            for c in r:
                row.cell(c)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "2. Công tác quản lý nhà nước về du lịch được tăng cường, chất lượng dịch vụ từng bước nâng lên.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# ------------------------------------------------------------------ text boxes
_BOX_NS = {
    "w": W_NS,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}


def _text_box_run(box_id: int, x_emu: int, paragraphs_xml: str) -> str:
    """One w:r holding a floating text box as Word writes it: an
    mc:AlternateContent whose wps choice and VML fallback both hold the
    same w:txbxContent."""
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _BOX_NS.items())
    content = f"<w:txbxContent>{paragraphs_xml}</w:txbxContent>"
    return (
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="{251659264 + box_id}" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="2880000" cy="1080000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{box_id}" name="Text Box {box_id}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2880000" cy="1080000"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></wps:spPr>'
        f'<wps:txbx>{content}</wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t"><a:noAutofit/></wps:bodyPr>'
        f'</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape id="Text Box {box_id}" type="#_x0000_t202" '
        f'style="position:absolute;margin-left:{x_emu / 12700:.0f}pt;width:226.8pt;height:85pt" filled="f" stroked="f">'
        f'<v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    )


def header_into_text_boxes(src: Path, dst: Path) -> Path:
    """A real .docx with its header table (issuer, "Số:" | motto, place and
    date) taken out and set again as two floating text boxes, left and right,
    anchored in an empty first paragraph: how many offices lay a header out."""
    import copy

    from lxml import etree

    w = "{%s}" % W_NS
    with zipfile.ZipFile(src) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(w + "body")
    table = body.find(w + "tbl")
    columns: list[list] = []
    for tr in table.iter(w + "tr"):
        for i, tc in enumerate(tr.iter(w + "tc")):
            while len(columns) <= i:
                columns.append([])
            columns[i] += [copy.deepcopy(p) for p in tc.iter(w + "p")]
    columns = [c for c in columns if any("".join(t.text or "" for t in p.iter(w + "t")).strip() for p in c)]
    runs = []
    for n, paragraphs in enumerate(columns):
        xml = "".join(etree.tostring(p, encoding="unicode") for p in paragraphs)
        runs.append(_text_box_run(n + 1, n * 3240000, xml))
    anchor = etree.fromstring(f'<w:p xmlns:w="{W_NS}">' + "".join(runs) + "</w:p>")
    table.addprevious(anchor)
    body.remove(table)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == "word/document.xml" else zin.read(item.filename))
    return dst


# ------------------------------------------------------------------ other office formats
def soffice() -> str | None:
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_convert(src: Path, out_dir: Path, target: str) -> Path:
    """``src`` converted by LibreOffice ("odt", "rtf", "html:HTML (StarWriter)")."""
    import subprocess

    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), f"-env:UserInstallation=file://{out_dir}/.profile", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(out_dir), str(src)],
                   capture_output=True, timeout=180, check=True)
    out = out_dir / f"{src.stem}.{target.split(':')[0]}"
    assert out.exists(), f"LibreOffice wrote no {out.name}"
    return out


def to_cp1258(text: str) -> bytes:
    """Text in Windows-1258 as Word writes it: letters with their vowel shape
    (â, ơ, ư ...) as one byte, tone marks as combining bytes after them."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        mark = "".join(c for c in parts if c in tones)
        try:
            out.append((base + mark).encode("cp1258"))
        except UnicodeEncodeError:
            out.append(f"&#{ord(ch)};".encode("ascii"))    # what Word does with a character the code page lacks
    return b"".join(out)


_WORD_HTML_HEAD = """<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List href="{stem}_files/filelist.xml">
<!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:View>Print</w:View>
  <w:Zoom>100</w:Zoom>
 </w:WordDocument>
</xml><![endif]-->
"""


def write_word_html(docx_path: Path, out_dir: Path, charset: str) -> Path:
    """The .docx as Word's "save as web page" leaves it: NAME.htm in ``charset``
    (windows-1258 or utf-8) with Word's namespaces and head, beside NAME_files/
    holding filelist.xml and the page header as header.htm. The page body is
    LibreOffice's HTML export of the .docx."""
    import re as _re

    html = lo_convert(docx_path, out_dir / ".lo", "html:HTML (StarWriter)").read_text(encoding="utf-8")
    stem = docx_path.stem
    html = _re.sub(r"<html[^>]*>", '<html xmlns:v="urn:schemas-microsoft-com:vml" '
                   'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" '
                   'xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">',
                   html, count=1)
    html = _re.sub(r"<!DOCTYPE[^>]*>\s*", "", html, count=1)
    html = _re.sub(r'<meta http-equiv="content-type"[^>]*>',
                   f"<meta http-equiv=Content-Type content=\"text/html; charset={charset}\">\n"
                   + _WORD_HTML_HEAD.format(stem=stem), html, count=1, flags=_re.I)
    files = out_dir / f"{stem}_files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "filelist.xml").write_text(
        f'<xml xmlns:o="urn:schemas-microsoft-com:office:office">\n <o:MainFile HRef="../{stem}.htm"/>\n'
        ' <o:File HRef="header.htm"/>\n <o:File HRef="filelist.xml"/>\n</xml>\n', encoding="utf-8")
    header = ('<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=Generator '
              'content="Microsoft Word 15"></head><body><div style="mso-element:header" id=h1>'
              '<p class=MsoHeader>Sở Văn hóa, Thể thao và Du lịch - Trang 1</p></div></body></html>')
    (files / "header.htm").write_bytes(to_cp1258(header) if charset == "windows-1258" else header.encode("utf-8"))
    out = out_dir / f"{stem}.htm"
    out.write_bytes(to_cp1258(html) if charset == "windows-1258" else html.encode("utf-8"))
    return out


# ------------------------------------------------------------------ plan tables
def plan_table_rows(docx_path: Path) -> list[list[str]]:
    """The rows of the first table of a real plan whose header names a task
    column and a lead-unit column (kh-005.docx's appendix: Tên nhiệm vụ | Sở,
    ngành chủ trì tham mưu | Đơn vị phối hợp | Thời gian thực hiện | Ghi chú)."""
    import docx

    for t in docx.Document(str(docx_path)).tables:
        rows = [[" ".join(c.text.split()) for c in r.cells] for r in t.rows]
        if rows and any("chủ trì" in c for c in rows[0]):
            return rows
    raise ValueError(f"{docx_path}: no plan table")


def write_plan_pdf(path: Path, rows: list[list[str]]) -> Path:
    """A plan's page as a PDF: an item heading, then its ruled plan table."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4", orientation="L")
    pdf.add_font("dv", fname=font_path())
    pdf.add_page()
    pdf.set_font("dv", size=9)
    pdf.multi_cell(0, 6, "MỘT SỐ NHIỆM VỤ TRỌNG TÂM CỦA CÁC SỞ, BAN, NGÀNH VÀ ĐỊA PHƯƠNG", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(col_widths=(8, 90, 40, 60, 30, 20), text_align="LEFT", headings_style=FontFace()) as table:
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(c)
    pdf.output(str(path))
    return path


def write_plan_docx(path: Path, rows: list[list[str]]) -> Path:
    """The same plan table in a .docx of its own, after a heading."""
    import docx

    d = docx.Document()
    d.add_paragraph("MỘT SỐ NHIỆM VỤ TRỌNG TÂM CỦA CÁC SỞ, BAN, NGÀNH VÀ ĐỊA PHƯƠNG")
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            t.cell(i, j).text = c
    d.save(str(path))
    return path
