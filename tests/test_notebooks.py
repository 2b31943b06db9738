"""Every notebook runs, top to bottom, against a store built from the archive."""

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, archive_db, tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_DB", str(archive_db))
    monkeypatch.setenv("VANBAN_OUT", str(tmp_path))
    monkeypatch.setenv("VANBAN_CORPUS", str(ROOT / "corpus"))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    if "explore" in path.name:
        assert len(images) >= 5     # the plots were drawn, deadlines per month among them
    if "displacy" in path.name:
        html = [o for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
        assert len(html) >= 3 and any("Văn phòng Sở" in o["data"]["text/html"] for o in html)
    if "citation" in path.name:
        assert len(images) >= 2     # the most cited, and who cites whom
        tables = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
        assert any("12/TB-SVHTTDL" in t for t in tables)      # the archive's one resolved link, listed
    if "excel" in path.name:
        assert (tmp_path / "tasks-filtered.xlsx").exists()
