"""Document pages opened in a real browser: headless Chromium renders each
page (the seeds, a scanned PDF read by OCR), and the test reads what it
rendered: the screenshot, and the DOM after the page's own script ran."""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import BC_SEED, CORPUS, TB_SEED, extract
from pagedom import is_decoration, parse, pieces

from extract.page import render
from extract.readers import ocr

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
# a signed scan: no text layer, read by Tesseract. (cv-016.pdf, the other scan, has one task,
# whose unit sits under the stamp and is read as noise: no task to check the highlights with)
SCAN = CORPUS / "tb-002s.pdf"
TASK_RGB = (0xff, 0xf3, 0xb0)         # --task in the page's style
LIT_RGB = (0xff, 0xd9, 0x5a)          # a task lit from its anchor


def browse(url: str, png: Path, height: int = 10_000) -> str:
    """Chromium renders ``url``: the screenshot to ``png``, the DOM (after scripts) returned.
    The window is tall enough for a whole seed page (a headless screenshot is the window)."""
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--window-size=1280,{height}", f"--screenshot={png}",
             "--dump-dom", url],
            capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def pixels(png: Path, rgb) -> int:
    import numpy as np
    from PIL import Image

    with Image.open(png) as im:
        a = np.asarray(im.convert("RGB"))
    return int((a == np.array(rgb, dtype=a.dtype)).all(axis=2).sum())


def page_for(path: Path, out: Path) -> tuple:
    r = subprocess.run([sys.executable, "-m", "extract.cli", "show", str(path), "-o", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return extract(path), out


def check_rendered(ex, dom: str, png: Path):
    assert png.stat().st_size > 10_000                        # a real screenshot, not an empty page
    root = parse(dom)
    text = ex.document.text
    assert root.by_id("text").text(is_decoration) == text
    shown = pieces(root, "task", "data-task")
    assert ex.tasks
    for i, t in enumerate(ex.tasks):
        # every task's text on the page, inside its highlight
        assert shown[i] == text[t.span.start:t.span.end]
        assert t.text[:40] in root.by_id("task-list").text()
    assert pixels(png, TASK_RGB) > 2_000                      # the highlights are drawn, in their colour
    return root


@pytest.mark.parametrize("seed", [TB_SEED, BC_SEED], ids=["tb", "bc"])
def test_seed_pages_render_with_every_task_highlighted(seed, tmp_path):
    ex, page = page_for(seed, tmp_path / "page.html")
    png = tmp_path / "page.png"
    check_rendered(ex, browse(page.as_uri(), png), png)


@pytest.mark.parametrize("anchor", ["number", "stable id"])
def test_a_task_anchor_lights_the_task(anchor, tmp_path):
    # opened at a task's anchor (its number in the list, or its stable id), the
    # page's script lights every piece of that task and no other
    ex, page = page_for(TB_SEED, tmp_path / "page.html")
    n = len(ex.tasks) - 1 if anchor == "number" else 1
    png = tmp_path / "lit.png"
    root = parse(browse(page.as_uri() + (f"#task-{n + 1}" if anchor == "number" else f"#{ex.tasks[n].id}"), png))
    lit = root.find_all(lambda e: {"hl", "task", "lit"} <= e.classes)
    assert lit and {e.attrs["data-task"] for e in lit} == {str(n)}
    assert pixels(png, LIT_RGB) > 200


@pytest.mark.skipif(ocr.unavailable_reason() is not None, reason=f"OCR unavailable: {ocr.unavailable_reason()}")
def test_scanned_pdf_page_renders_with_its_pages(tmp_path):
    ex, page = page_for(SCAN, tmp_path / "scan.html")
    assert ex.document.ocr_pages == [1, 2]
    png = tmp_path / "scan.png"
    root = check_rendered(ex, browse(page.as_uri(), png), png)
    markers = root.by_id("text").find_all(lambda e: "page-break" in e.classes)
    assert [m.attrs["data-page"] for m in markers] == ["1", "2"]
    source = root.find_all(lambda e: e.tag == "details")[0].text()
    assert "Trang đọc bằng OCR" in source and "1 (" in source


def test_a_reference_link_opens_the_cited_documents_page(archive_db, tmp_path):
    # the pages of a store: the citing công văn's reference, followed in the
    # browser, opens the page of the stored thông báo it cites
    from urllib.parse import urljoin, urlparse

    from extract import store

    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "extract.cli", "show", "--all", "--db", str(archive_db), "-o", str(site)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    conn = store.connect(archive_db)
    citing = conn.execute("SELECT id FROM documents WHERE number = '25/SVHTTDL-VP'").fetchone()[0]
    page = site / f"doc-{citing}.html"
    root = parse(browse(page.as_uri(), tmp_path / "citing.png"))
    links = root.by_id("text").find_all(lambda e: e.tag == "a" and "ref" in e.classes)
    assert len(links) == 1 and links[0].text().startswith("12/TB-SVHTTDL")
    target = Path(urlparse(urljoin(page.as_uri(), links[0].attrs["href"])).path)
    assert target.is_file()
    cited = parse(browse(target.as_uri(), tmp_path / "cited.png"))
    assert "12/TB-SVHTTDL" in cited.by_id("header-fields").text()
    assert [a.attrs["href"] for a in cited.by_id("cited-by").find_all(lambda e: e.tag == "a")] == [page.name]
