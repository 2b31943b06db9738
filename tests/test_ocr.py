"""Scanned pages: recognised by Tesseract's Vietnamese model, or reported clearly."""
from pathlib import Path

import pypdfium2
import pytest

from conftest import extract

from extract.errors import VanbanError
from extract.readers import ocr, read

needs_tesseract = pytest.mark.skipif(ocr.unavailable_reason() is not None,
                                     reason=f"OCR unavailable: {ocr.unavailable_reason()}")


def scan(src, dst, dpi=200, pages=3):
    """A scanned copy of a PDF's first pages: each rendered to an image, no text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("RGB")
              for i in range(min(pages, len(pdf)))]
    images[0].save(dst, save_all=True, append_images=images[1:], resolution=dpi)
    return dst


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr(seed_formats, tmp_path):
    path = scan(seed_formats["pdf"], tmp_path / "scan.pdf")
    raw = read(path)
    assert raw.ocr_pages == list(range(1, raw.pages + 1))
    assert set(raw.ocr_confidence) == set(raw.ocr_pages) and min(raw.ocr_confidence.values()) > 70
    ex = extract(path)
    text = ex.document.text
    assert "Văn phòng Sở" in text and "Đ" in text          # Vietnamese letters, not Icelandic eth
    # the same structure and items as the text-layer PDF, near enough for a scan
    h = ex.document.header
    assert h.doc_type == "TB" and h.number == "12/TB-SVHTTDL" and h.date == "2026-01-07"
    units = {t.unit_canonical for t in ex.tasks}
    assert "Văn phòng Sở" in units
    assert any(d.date == "2026-01-16" for d in ex.deadlines)
    assert all(t.span.page in raw.ocr_pages for t in ex.tasks)


@needs_tesseract
def test_ocr_off_reports_the_pages(seed_formats, tmp_path):
    path = scan(seed_formats["pdf"], tmp_path / "scan.pdf", dpi=100, pages=1)
    with pytest.raises(VanbanError, match="needs OCR: OCR turned off"):
        read(path, ocr=False)


def test_missing_tesseract_is_said_clearly(seed_formats, tmp_path, monkeypatch):
    path = scan(seed_formats["pdf"], tmp_path / "scan.pdf", dpi=100, pages=1)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr.unavailable_reason.cache_clear()
    try:
        with pytest.raises(VanbanError) as e:
            read(path)
        assert "Tesseract is not installed" in str(e.value) and "tesseract-ocr-vie" in str(e.value)
        assert str(e.value).startswith(str(path) + ": ")
    finally:
        ocr.unavailable_reason.cache_clear()


@needs_tesseract
def test_pdf_in_a_font_without_unicode_map_is_read_by_ocr():
    """kh-007.pdf's fonts map glyph ids to nothing usable (no ToUnicode, no cmap, no
    glyph names): its text layer reads "6Ӣ CÔNG 7+ѬѪ1*", so its pages go to OCR."""
    from conftest import CORPUS

    from extract.legacy import looks_garbled

    raw = read(CORPUS / "kh-007.pdf")
    assert raw.ocr_pages == list(range(1, raw.pages + 1))
    assert min(raw.ocr_confidence.values()) > 80
    text = " ".join(b.text for b in raw.blocks)
    assert not looks_garbled(text)
    assert "Lào Cai" in text and "kiểm tra" in text.lower()
    assert any("legacy font encoding" in w for w in raw.warnings)


FIXTURES_PDF = Path(__file__).parent / "fixtures" / "pdf"


def test_pages_of_foreign_script_are_text_not_ocr():
    """The last pages of a guidance list references in Russian (cut from a
    real PDF): Cyrillic words are text, read from the text layer, not sent
    to Tesseract as a broken font's mojibake."""
    raw = read(FIXTURES_PDF / "references-in-russian.pdf", ocr=False)
    assert raw.ocr_pages == [] and not any("OCR" in w for w in raw.warnings)
    text = " ".join(b.text for b in raw.blocks)
    assert "Пожарная нагрузка" in text and "THƯ MỤC TÀI LIỆU THAM KHẢO" in text


def test_legacy_font_pages_are_still_sent_to_ocr():
    """kh-007.pdf and a page of qd-002.pdf: fonts without a Unicode map, whose
    Cyrillic-looking glyphs sit inside Latin words among control characters."""
    from conftest import CORPUS

    for path in (CORPUS / "kh-007.pdf", FIXTURES_PDF / "legacy-font-qd-002-p2.pdf"):
        doc = pypdfium2.PdfDocument(str(path))
        n = len(doc)
        doc.close()
        try:
            raw = read(path, ocr=False)
        except VanbanError as e:             # every page unreadable: nothing to keep without OCR
            assert "legacy font encoding" in str(e)
            continue
        assert raw.ocr_pages == list(range(1, n + 1)), path
