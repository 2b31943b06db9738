"""Pages of stored documents (extract/store/pages.py, `vanban show ID`,
`vanban show --all`): the store's items over the store's text, references
linked to the cited document's own page, the documents citing it."""
import subprocess
import sys
from pathlib import Path

import pytest

from pagedom import is_decoration, parse, pieces

from extract import store
from extract.store import pages


def vanban(*args):
    return subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def number_id(conn, number):
    return conn.execute("SELECT id FROM documents WHERE number = ?", (number,)).fetchone()[0]


@pytest.fixture(scope="module")
def site(archive_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    r = vanban("show", "--all", "--db", archive_db, "-o", out)
    assert r.returncode == 0, r.stderr
    return out


def test_the_stored_extraction_is_the_extraction(archive_db, archive):
    # what the page of a stored document shows is what was extracted from its file
    from conftest import extract

    conn = store.connect(archive_db)
    for doc_id in pages.document_ids(conn):
        got = pages.extraction(conn, doc_id)
        want = extract(got.document.path)
        assert got.document.text == want.document.text
        assert [(t.text, t.unit, t.deadline, t.span.start, t.span.end, t.id) for t in got.tasks] == \
            [(t.text, t.unit, t.deadline, t.span.start, t.span.end, t.id) for t in want.tasks]
        assert [(r.code, [(m.start, m.end) for m in r.mentions]) for r in got.references] == \
            [(r.code, [(m.start, m.end) for m in r.mentions]) for r in want.references]
        assert [(e.label, e.span.start, e.span.end) for e in got.entities] == \
            [(e.label, e.span.start, e.span.end) for e in want.entities]
        assert got.document.header.number == want.document.header.number


def test_show_all_writes_a_page_per_document_and_an_index(archive_db, site):
    conn = store.connect(archive_db)
    ids = pages.document_ids(conn)
    index = parse((site / "index.html").read_text(encoding="utf-8"))
    hrefs = [a.attrs["href"] for a in index.by_id("documents").find_all(lambda n: n.tag == "a")]
    assert sorted(hrefs) == sorted(f"doc-{i}.html" for i in ids)
    for i in ids:
        ex = pages.extraction(conn, i)
        root = parse((site / f"doc-{i}.html").read_text(encoding="utf-8"))
        assert root.by_id("text").text(is_decoration) == ex.document.text
        assert pieces(root, "task", "data-task") == {k: ex.document.text[t.span.start:t.span.end]
                                                     for k, t in enumerate(ex.tasks)}
        # every link of every page goes to a page that exists, or to an anchor of its own
        for a in root.find_all(lambda n: n.tag == "a"):
            h = a.attrs["href"]
            if h.startswith("#"):
                assert root.by_id(h[1:]) is not None, h
            else:
                assert (site / h).is_file(), h


def test_a_reference_links_to_the_cited_documents_page(archive_db, site):
    conn = store.connect(archive_db)
    citing, cited = number_id(conn, "25/SVHTTDL-VP"), number_id(conn, "12/TB-SVHTTDL")
    root = parse((site / f"doc-{citing}.html").read_text(encoding="utf-8"))
    links = root.by_id("text").find_all(lambda n: n.tag == "a" and "ref" in n.classes)
    assert [a.attrs["href"] for a in links] == [f"doc-{cited}.html"]
    assert links[0].text().startswith("12/TB-SVHTTDL")
    # each reference in the list carries its canonical key, the cited one's the notice's own
    items = root.by_id("reference-list").find_all(lambda n: n.tag == "li")
    keys = [li.attrs.get("data-key") for li in items]
    assert "tb|12|2026|svhttdl@laichau" in keys and all(keys)
    # the other references (not stored) are marked, not linked
    others = root.by_id("text").find_all(lambda n: n.tag == "span" and {"ref", "unresolved"} <= n.classes)
    ex = pages.extraction(conn, citing)
    assert len(others) == sum(len(r.mentions) for r in ex.references if r.code != "12/TB-SVHTTDL")
    # ... and the cited page names the page that cites it, linked back
    target = parse((site / f"doc-{cited}.html").read_text(encoding="utf-8"))
    assert "12/TB-SVHTTDL" in target.by_id("header-fields").text()
    back = target.by_id("cited-by").find_all(lambda n: n.tag == "a")
    assert [a.attrs["href"] for a in back] == [f"doc-{citing}.html"] and back[0].text() == "25/SVHTTDL-VP"
    files = target.by_id("files").text()
    assert "tb-12-giaoban.docx" in files


def test_show_a_stored_id_and_a_stored_file_agree(archive_db, tmp_path):
    conn = store.connect(archive_db)
    cited = number_id(conn, "12/TB-SVHTTDL")
    path = Path(conn.execute("SELECT path FROM documents WHERE id = ?", (cited,)).fetchone()[0])
    assert vanban("show", cited, "--db", archive_db, "-o", tmp_path / "by-id.html").returncode == 0
    r = vanban("show", path, "--db", archive_db, "-o", tmp_path / "by-file.html")
    assert r.returncode == 0, r.stderr
    by_id = parse((tmp_path / "by-id.html").read_text(encoding="utf-8"))
    by_file = parse((tmp_path / "by-file.html").read_text(encoding="utf-8"))
    assert pieces(by_id, "task", "data-task") == pieces(by_file, "task", "data-task") != {}
    for root in (by_id, by_file):
        # no page beside it yet: the citing document is named, not linked
        assert "25/SVHTTDL-VP" in root.by_id("cited-by").text()
        assert not root.by_id("cited-by").find_all(lambda n: n.tag == "a")


def test_a_stored_pdf_page_has_its_page_markers(archive_db, site):
    conn = store.connect(archive_db)
    doc_id = conn.execute("SELECT id FROM documents WHERE path LIKE '%cv-008.pdf'").fetchone()[0]
    ex = pages.extraction(conn, doc_id)
    root = parse((site / f"doc-{doc_id}.html").read_text(encoding="utf-8"))
    markers = root.by_id("text").find_all(lambda n: "page-break" in n.classes)
    assert [int(n.attrs["data-page"]) for n in markers] == list(range(1, ex.document.pages + 1))
    # each page's marker comes before every item the store puts on that page
    starts = dict((p, o) for o, p in pages.page_starts(conn, doc_id))
    for t in ex.tasks + ex.entities:
        assert starts[t.span.page] <= t.span.start


def test_an_id_not_stored_is_one_line(archive_db, tmp_path):
    r = vanban("show", "999999", "--db", archive_db, "-o", tmp_path / "p.html")
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "999999" in r.stderr
    r = vanban("show", "3", "--db", tmp_path / "none.db", "-o", tmp_path / "p.html")
    assert r.returncode == 1 and "no such database" in r.stderr
