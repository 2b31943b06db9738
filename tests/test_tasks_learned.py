"""The learned task decision: the shipped model loads offline and judges
only where the rules are not exact; training and cross-validation by
document run as documented (``python -m extract.train_tasks``), on real
gold documents of the bundled corpus."""
import json

from conftest import CORPUS, FIXTURES
from extract import train_tasks
from extract.extractors.tasks import candidates, find_tasks, learned
from extract.readers import read
from extract.structure import structure


def test_the_shipped_model_loads_from_the_package():
    m = learned.shipped()
    assert m is not None, "extract/models/tasks.json is missing"
    assert m.meta["documents"] >= 70
    assert 0.0 < m.threshold < m.rescue <= 1.0
    assert "why=taken" in m.weights and m.weights["why=taken"] > 0   # a rule's verdict counts for the task


def test_candidates_say_why_a_rule_refused_them():
    doc = structure(read(CORPUS / "web" / "web-tb-405a6c.txt"))
    cands = candidates(doc)
    whys = {c.why for c in cands if c.task is None}
    assert "closing" in whys            # "Văn phòng Chính phủ thông báo để ... biết, thực hiện./."
    taken = [c for c in cands if c.task is not None]
    assert taken and all(c.why is None for c in taken)
    assert all(0.0 <= learned.shipped().prob(learned.features(c)) <= 1.0 for c in cands)


def test_the_model_never_overturns_an_exact_rule():
    # a decision's executing article and labelled plan lines are kept whatever the model says
    for name in ("kh-006.docx", "qd-001.docx", "web/web-qd-2e037f.txt"):
        doc = structure(read(CORPUS / name))
        exact = [c for c in candidates(doc) if c.exact]
        assert exact, name
        kept = {t.span.start for t in find_tasks(doc)}
        assert all(c.task.span.start in kept for c in exact), name


def test_with_the_model_precision_on_the_bundled_gold_is_not_lower():
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "gold").glob("*.json"))]
    rules, model = train_tasks.Tally(), train_tasks.Tally()
    for g in gold:
        path = CORPUS / g["file"]
        if not path.exists() or "tasks" not in g:
            continue
        doc = structure(read(path))
        as_dicts = lambda ts: [{"text": t.text, "unit": t.unit, "deadline": t.deadline} for t in ts]
        rules.add(g["tasks"], as_dicts(find_tasks(doc, model=None)))
        model.add(g["tasks"], as_dicts(find_tasks(doc)))
    r, m = rules.figures(), model.figures()
    assert r["tp"] >= 300
    assert m["P"] >= r["P"] and m["F1"] >= r["F1"] - 0.01, (r, m)


def test_training_and_cross_validation_by_document(tmp_path, capsys):
    out = tmp_path / "tasks.json"
    gold = tmp_path / "gold"
    gold.mkdir()
    # a dozen documents of several kinds, enough for two folds
    for p in sorted((FIXTURES / "gold").glob("*.json"))[:14]:
        (gold / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    assert train_tasks.main(["--gold", str(gold), "--docs", str(CORPUS), "--cv", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2-fold by document, rules+model" in printed and "whole set, rules" in printed
    m = learned.Model.from_json(out.read_text(encoding="utf-8"))
    assert m.meta["documents"] >= 8 and len(m.weights) > 20


def test_folds_keep_each_document_on_one_side():
    docs = list(range(23))
    folds = train_tasks.folds(docs, 5)
    assert sorted(i for f in folds for i in f) == docs
    assert all(not set(a) & set(b) for i, a in enumerate(folds) for b in folds[i + 1:])


def test_the_scorers_matching_is_mirrored():
    t = train_tasks.Tally()
    gold = [{"text": "Sở Tài chính tổng hợp báo cáo UBND tỉnh", "unit": "Sở Tài chính", "deadline": None},
            {"text": "Tham mưu xây dựng kế hoạch", "unit": "Văn phòng Sở", "deadline": "2026-01-16", "optional": True}]
    pred = [{"text": "Sở Tài chính tổng hợp, báo cáo UBND tỉnh", "unit": "Sở Tài chính", "deadline": None},
            {"text": "Một việc khác hẳn", "unit": None, "deadline": None}]
    t.add(gold, pred)
    assert (t.tp, t.fp, t.fn, t.unit) == (1, 1, 0, 1)
