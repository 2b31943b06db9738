"""Searches for a clause's ends bounded to its neighbourhood: on real
documents they give what searches to the text's ends gave, and on a long
text without the delimiters they stop near where they started."""
from conftest import CORPUS

from extract.extractors import reach
from extract.extractors.deadlines import find_deadlines
from extract.extractors.entities import find_entities
from extract.extractors.metrics import find_metrics
from extract.extractors.references import find_references
from extract.readers import read
from extract.structure import structure

REAL = sorted(f for f in CORPUS.iterdir() if f.suffix in (".docx", ".txt")
              or f.name in ("cv-008.pdf", "qd-004.pdf"))


def _found(doc):
    spans = [m for r in find_references(doc) for m in r.mentions]
    return (find_deadlines(doc, spans), find_metrics(doc, spans), find_entities(doc, exclude=spans))


def test_bounded_searches_give_the_unbounded_results_on_the_corpus(monkeypatch):
    assert len(REAL) >= 10
    for f in REAL:
        doc = structure(read(f, ocr=False))
        bounded = _found(doc)
        with monkeypatch.context() as m:
            m.setattr(reach, "REACH", len(doc.text) + 1)          # every search to the text's ends, as before
            unbounded = _found(doc)
        assert bounded == unbounded, f.name


def test_a_search_stops_at_its_reach():
    text = "(" + "x" * 5000 + "; y"
    assert reach.rfind_near(text, "(", 4000) == -1 and reach.rfind_near(text, "(", 1500) == 0
    assert reach.find_near(text, ";", 0) == -1 and reach.find_near(text, ";", 3500) == 5001
    assert reach.floor(4000) == 2000 and reach.ceiling(text, 4000) == len(text)


def test_deadline_in_a_long_line_list_keeps_its_own_clause():
    """A one-section list of bullets ending ")." with a line break: each
    deadline's phrase is its own bullet's parentheses."""
    n = 3000
    from extract.model import RawBlock, RawDocument

    lines = ["THÔNG BÁO", "1. Nhiệm vụ"] + [
        f"- Phòng {i} tổng hợp báo cáo kết quả (xong trước ngày {1 + i % 28:02d}/03/2026)." for i in range(n)]
    doc = structure(RawDocument(path="t.txt", format="txt", sha256="", blocks=[RawBlock(t) for t in lines]))
    got = find_deadlines(doc)
    assert len(got) == n
    assert [d.clause for d in got[:40]] == [f"xong trước ngày {1 + i % 28:02d}/03/2026" for i in range(40)]
