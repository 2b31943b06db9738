"""The document page (extract/page.py): every item highlighted where its
offsets say, marks nested properly, the text whole, nothing fetched."""
import re
import shutil
import subprocess
import sys

import pytest

from conftest import BC_SEED, CORPUS, TB_SEED, extract
from pagedom import is_decoration, parse, pieces

from extract.model import Deadline, Span
from extract.page import render

DOCS = [TB_SEED, BC_SEED, CORPUS / "kh-004.docx", CORPUS / "qd-004.pdf"]


@pytest.fixture(scope="module")
def pages():
    out = {}
    for p in DOCS:
        ex = extract(p)
        out[p.name] = (ex, parse(render(ex)))
    return out


@pytest.mark.parametrize("name", [p.name for p in DOCS])
def test_every_item_is_highlighted_in_place(pages, name):
    ex, root = pages[name]
    text = ex.document.text
    body = root.by_id("text")
    # the page's text is the normalised text, whole: the marks add elements, never characters
    assert body.text(is_decoration) == text
    assert ex.tasks, name
    tasks = pieces(root, "task", "data-task")
    for i, t in enumerate(ex.tasks):
        assert tasks[i] == text[t.span.start:t.span.end], (name, i)
        first = root.by_id(f"task-{i + 1}")          # anchors count from 1, as the list does
        assert first is not None and "task" in first.classes and first.attrs["data-task"] == str(i)
        if t.unit:
            assert (t.unit_canonical or t.unit) in first.attrs["title"]
    # the side list jumps to each task, in order, with its unit
    links = root.by_id("task-list").find_all(lambda n: n.tag == "a")
    assert [a.attrs["href"] for a in links] == [f"#task-{i + 1}" for i in range(len(ex.tasks))]
    # the stable task id is an anchor too (a register row to its place in the text)
    assert all(root.by_id(t.id).attrs["data-task"] == str(i) for i, t in enumerate(ex.tasks))
    for d_i, got in pieces(root, "deadline", "data-deadline").items():
        s = ex.deadlines[d_i].span
        assert got == text[s.start:s.end]
    assert set(pieces(root, "deadline", "data-deadline")) == {i for i, d in enumerate(ex.deadlines) if d.span}
    assert set(pieces(root, "metric", "data-metric")) == {i for i, m in enumerate(ex.metrics) if m.span}
    ents = body.find_all(lambda n: {"hl", "entity"} <= n.classes)
    assert {int(n.attrs["data-entity"]) for n in ents} == {i for i, e in enumerate(ex.entities) if e.span}
    # every mention of every reference is marked, its own text
    refs = body.find_all(lambda n: {"hl", "ref"} <= n.classes)
    mentions = [(i, m) for i, r in enumerate(ex.references) for m in r.mentions]
    assert len({(n.attrs["data-ref"]) for n in refs}) == len({i for i, _ in mentions})
    got = {}
    for n in refs:
        got.setdefault(int(n.attrs["data-ref"]), []).append(n.text(is_decoration))
    for i, m in mentions:
        assert any(text[m.start:m.end].startswith(g) or g == text[m.start:m.end] for g in got[i])


def test_the_header_fields_are_shown(pages, tmp_path):
    from conftest import CITING_CV

    numbered = tmp_path / "cv-25.txt"          # a numbered, dated document beside the unissued copies
    numbered.write_text(CITING_CV, encoding="utf-8")
    ex = extract(numbered)
    docs = [*pages.values(), (ex, parse(render(ex)))]
    for ex, root in docs:
        h = ex.document.header
        fields = root.by_id("header-fields").text()
        for v in (h.number, h.issuer, h.title, h.place, ex.document.signer and ex.document.signer.name):
            assert not v or v in fields
        if h.date:
            y, m, d = h.date.split("-")
            assert f"{d}/{m}/{y}" in fields
    h = ex.document.header
    assert h.number == "25/SVHTTDL-VP" and h.date == "2026-01-12"


def test_a_pdf_has_its_page_markers_where_its_pages_begin(pages):
    ex, root = pages["qd-004.pdf"]
    body = root.by_id("text")
    markers = body.find_all(lambda n: "page-break" in n.classes)
    assert [int(n.attrs["data-page"]) for n in markers] == list(range(1, ex.document.pages + 1))
    # each marker stands at the offset of its page's first block
    firsts = {}
    for b in ex.document.blocks:
        firsts.setdefault(b.page, b.start)
    seen, offsets = [], {}

    def visit(node):
        for c in node.children:
            if isinstance(c, str):
                seen.append(c)
            elif "page-break" in c.classes:
                offsets[int(c.attrs["data-page"])] = sum(map(len, seen))
            elif "tag" not in c.classes:
                visit(c)
    visit(body)
    assert offsets == firsts
    assert [a.attrs["href"] for a in root.by_id("page-list").find_all(lambda n: n.tag == "a")] == \
        [f"#page-{p}" for p in range(1, ex.document.pages + 1)]


def test_crossing_items_are_split_into_nested_pieces():
    # a deadline that starts inside a task and runs past its end, over a
    # real document's text: it must come out as two well-formed pieces
    ex = extract(TB_SEED)
    t = ex.tasks[0].span
    ex.deadlines.append(Deadline(date="2026-01-31", text="", span=Span(t.end - 8, t.end + 12)))
    i = len(ex.deadlines) - 1
    root = parse(render(ex))          # parse() fails on any badly nested tag
    parts = root.by_id("text").find_all(lambda n: n.attrs.get("data-deadline") == str(i))
    assert len(parts) >= 2          # cut at the task's end (and at any mark's it crosses on the way)
    assert any(a.attrs.get("data-task") == "0" for a in parts[0].ancestors())   # a piece inside the task ...
    assert all(a.attrs.get("data-task") != "0" for a in parts[-1].ancestors())  # ... and one after it
    assert "".join(p.text(is_decoration) for p in parts) == ex.document.text[t.end - 8:t.end + 12]
    assert pieces(root, "task", "data-task")[0] == ex.document.text[t.start:t.end]


def test_text_is_escaped_and_the_page_is_self_contained(tmp_path):
    src = TB_SEED.read_text(encoding="utf-8").replace(
        "Tuy nhiên,", 'Tuy nhiên, <script>alert("x")</script><img src="http://example.com/a.png"> &amp;', 1)
    p = tmp_path / "tb-escaped.txt"
    p.write_text(src, encoding="utf-8")
    ex = extract(p)
    html = render(ex)
    root = parse(html)
    assert root.by_id("text").text(is_decoration) == ex.document.text
    assert '<script>alert("x")' in ex.document.text
    assert len(root.find_all(lambda n: n.tag == "script")) == 1      # the page's own, inline
    assert not root.find_all(lambda n: n.tag == "img")
    # nothing fetched: no external script, style sheet, font, image or frame
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html, re.I)
    assert not root.find_all(lambda n: n.tag in ("link", "iframe") or "src" in n.attrs)
    assert "@import" not in html and "url(" not in html


def test_vanban_show_writes_the_page(tmp_path):
    out = tmp_path / "out" / "page.html"
    r = subprocess.run([sys.executable, "-m", "extract.cli", "show", str(BC_SEED), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ex = extract(BC_SEED)
    root = parse(out.read_text(encoding="utf-8"))
    assert pieces(root, "task", "data-task") == {i: ex.document.text[t.span.start:t.span.end]
                                                 for i, t in enumerate(ex.tasks)}


def test_vanban_show_a_bad_file_says_why_in_one_line(tmp_path):
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.7 not really")
    out = tmp_path / "page.html"
    r = subprocess.run([sys.executable, "-m", "extract.cli", "show", str(bad), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and not out.exists()
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: ")


def test_an_ambiguous_reference_is_not_linked_its_candidates_are_listed(tmp_path):
    # what the store says of the references (resolved to one document, or to
    # several candidates) decides the links: the ambiguous one gets none in the
    # text, and its candidates are listed, each to its page
    from conftest import CITING_CV
    from extract.page import Relations

    p = tmp_path / "cv-25.txt"
    p.write_text(CITING_CV, encoding="utf-8")
    ex = extract(p)
    i = next(k for k, r in enumerate(ex.references) if r.code == "12/TB-SVHTTDL")
    rel = Relations(doc_id=7, cites=[{"idx": i, "code": "12/TB-SVHTTDL", "doc_id": None, "candidates": [3, 4]}],
                    pages={3: "doc-3.html", 4: "doc-4.html"}, names={3: "12/TB-SVHTTDL", 4: "12/TB-SVHTTDL"},
                    files=[{"path": str(p), "role": None, "format": "txt", "doc_id": 7}])
    root = parse(render(ex, rel))
    marks = root.by_id("text").find_all(lambda n: n.attrs.get("data-ref") == str(i))
    assert marks and all(n.tag == "span" and "unresolved" in n.classes for n in marks)
    assert not root.by_id("text").find_all(lambda n: n.tag == "a")
    item = root.by_id("reference-list").find_all(lambda n: n.tag == "li")[i]
    assert [a.attrs["href"] for a in item.find_all(lambda n: n.tag == "a")] == ["doc-3.html", "doc-4.html"]
    assert "2 văn bản cùng số" in item.text()
    # resolved, the same reference is a link to its page, in the text and in the list
    rel.cites[0].update(doc_id=3, candidates=[])
    root = parse(render(ex, rel))
    links = root.by_id("text").find_all(lambda n: n.tag == "a")
    assert [a.attrs["href"] for a in links] == ["doc-3.html"] * len(ex.references[i].mentions)
    # and a stored document's page says of the other references that they are not stored
    assert root.by_id("reference-list").text().count("không có trong kho") == len(ex.references) - 1
