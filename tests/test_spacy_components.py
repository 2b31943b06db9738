"""The extractors as spaCy components on a blank pipeline (no model download)."""
import subprocess
import sys

import spacy
from spacy import displacy

from conftest import BC_SEED, TB_SEED, extract

from extract.spacy_components import COMPONENTS, make_pipeline


def test_components_found_by_name_without_import():
    # a fresh interpreter: spaCy finds the factories through the package's entry points
    code = ("import spacy; nlp = spacy.blank('xx'); nlp.add_pipe('vanban_references'); "
            "doc = nlp('Thực hiện Nghị định 335/2025/NĐ-CP ngày 21/12/2025 của Chính phủ.'); "
            "print([s.text for s in doc.spans['vanban_references']])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['335/2025/NĐ-CP ngày 21/12/2025 của Chính phủ']"


def test_reference_spans_cover_codes_the_tokeniser_splits():
    nlp = spacy.blank("xx")
    nlp.add_pipe("vanban_references")
    doc = nlp("Căn cứ Nghị định 335/2025/NĐ-CP và Nghị quyết số 04-NQ/TU của Tỉnh ủy.")
    assert len([t for t in doc if "335" in t.text or t.text in ("NĐ", "CP")]) >= 2   # split by the tokeniser
    spans = list(doc.spans["vanban_references"])
    assert [s.text for s in spans] == ["335/2025/NĐ-CP", "04-NQ/TU của Tỉnh ủy"]
    assert spans[0].label_ == "NĐ" and spans[0]._.vanban["code"] == "335/2025/NĐ-CP"


def test_spans_point_into_unnormalised_input():
    """Input with old tone placement and a combining mark: spans still cover the right characters."""
    nlp = make_pipeline()
    text = ("Sở Văn hoá, Thể thao và Du lịch đề nghị các phòng, đơn vị thực hiện các nội dung sau:\n\n"
            "- Giao Văn phòng Sở tổng hợp, báo cáo trước ngày 16/01/2026.\n")
    text = text.replace("á", "a\u0301", 1)        # "Văn hoá" with a combining acute, as real files have
    assert "a\u0301" in text
    doc = nlp(text)
    tasks = list(doc.spans["vanban_tasks"])
    assert len(tasks) == 1 and tasks[0].label_ == "Văn phòng Sở"
    assert tasks[0].text.startswith("Giao Văn phòng Sở tổng hợp")     # the item without its dash
    dl = list(doc.spans["vanban_deadlines"])
    assert [d.text for d in dl] == ["trước ngày 16/01/2026"] and dl[0]._.vanban["date"] == "2026-01-16"
    # the entity covers the input's own characters, combining mark included
    assert ("Sở Văn hoa\u0301, Thể thao và Du lịch", "ORG") in [(e.text, e.label_) for e in doc.ents]


def test_pipeline_agrees_with_the_cli_on_a_real_report():
    nlp = make_pipeline()
    assert nlp.pipe_names == COMPONENTS
    text = BC_SEED.read_text(encoding="utf-8")
    doc = nlp(text)
    ex = extract(BC_SEED)
    assert len(doc._.vanban.references) == len(ex.references)
    assert len(doc.spans["vanban_metrics"]) == len(ex.metrics) > 50
    assert [t.unit for t in doc._.vanban.tasks] == [t.unit for t in ex.tasks]
    assert all(t.id for t in doc._.vanban.tasks)
    m = next(s for s in doc.spans["vanban_metrics"] if s._.vanban["value"] == 567530)
    assert "567.530" in m.text


def test_components_give_the_pipelines_task_ids(tmp_path):
    """A numbered document's tasks: the same ids from a spaCy pipeline as from the file."""
    from conftest import CITING_CV

    path = tmp_path / "cv-25.txt"
    path.write_text(CITING_CV, encoding="utf-8")
    doc = make_pipeline()(CITING_CV)
    assert [t.id for t in doc._.vanban.tasks] == [t.id for t in extract(path).tasks]
    assert len(doc._.vanban.tasks) == 2


def test_displacy_renders():
    nlp = make_pipeline()
    doc = nlp(TB_SEED.read_text(encoding="utf-8"))
    html = displacy.render(doc, style="span", options={"spans_key": "vanban_tasks"}, page=False)
    assert "Văn phòng Sở" in html
    html = displacy.render(doc, style="ent", page=False)
    assert "ORG" in html
