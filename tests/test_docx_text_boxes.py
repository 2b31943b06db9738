"""A .docx whose header block sits in text boxes, as many offices lay it out:
Word stores each box twice (the DrawingML ``wps`` choice and the VML
fallback); it must be read once, its paragraphs apart, and give the header
fields, sections and items of the same document with its header in a table."""
import zipfile

import builders
from conftest import CORPUS, extract
from extract.readers import read
from samedoc import summary


def test_header_in_text_boxes_reads_as_the_header_table(tmp_path):
    """kh-004.docx, a real plan: its header table becomes two text boxes."""
    src = CORPUS / "kh-004.docx"
    boxed = builders.header_into_text_boxes(src, tmp_path / "kh-004-boxes.docx")
    xml = zipfile.ZipFile(boxed).read("word/document.xml").decode("utf-8")
    # two boxes, each in both branches: the wps choice and the VML fallback
    assert xml.count("<wps:txbx>") == 2 and xml.count("<v:textbox>") == 2
    assert xml.count("<w:txbxContent") == 4

    blocks = [b for b in read(boxed).blocks if b.text.strip()]
    texts = [b.text.strip() for b in blocks]
    assert not any(b.kind == "row" for b in blocks[:texts.index("KẾ HOẠCH")])    # no header table left
    # each box paragraph once, on its own, before the type name
    for line in ("UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        assert texts.count(line) == 1, line
    assert texts.index("UBND TỈNH LÀO CAI") < texts.index("SỞ CÔNG THƯƠNG") < texts.index("KẾ HOẠCH")
    assert sum("CỘNG HOÀ" in t for t in texts) == 1

    plain, boxes = summary(extract(src)), summary(extract(boxed))
    assert boxes["header"]["issuer"] == "Sở Công Thương" and boxes["header"]["issuer_parent"] == "UBND tỉnh Lào Cai"
    assert boxes["header"]["doc_type"] == "KH" and boxes["header"]["place"] == "Lào Cai"
    assert plain["sections"] and plain["tasks"]
    assert boxes == plain


def test_a_box_inside_a_table_cell_is_read_once(tmp_path):
    """The same boxes, anchored in a table cell: the cell holds their text once."""
    from lxml import etree

    boxed = builders.header_into_text_boxes(CORPUS / "kh-004.docx", tmp_path / "a.docx")
    w = "{%s}" % builders.W_NS
    with zipfile.ZipFile(boxed) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(w + "body")
    anchor = body.find(w + "p")
    tbl = etree.fromstring(f'<w:tbl xmlns:w="{builders.W_NS}"><w:tr><w:tc></w:tc></w:tr></w:tbl>')
    anchor.addprevious(tbl)
    tbl.find(f"{w}tr/{w}tc").append(anchor)
    out = tmp_path / "cell.docx"
    with zipfile.ZipFile(boxed) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, etree.tostring(root) if item.filename == "word/document.xml" else data)
    row = next(b for b in read(out).blocks if b.kind == "row")
    assert row.cells[0].count("UBND TỈNH LÀO CAI") == 1 and "UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG" in row.cells[0]


def test_the_seed_with_its_header_in_text_boxes(tmp_path, seed_formats):
    boxed = builders.header_into_text_boxes(seed_formats["docx"], tmp_path / "tb-boxes.docx")
    plain, boxes = summary(extract(seed_formats["docx"])), summary(extract(boxed))
    assert boxes["header"]["number"] == "12/TB-SVHTTDL" and boxes["header"]["date"] == "2026-01-07"
    assert boxes == plain
