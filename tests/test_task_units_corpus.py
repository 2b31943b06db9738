"""Over every document of the bundled corpus: the units of the tasks are
names (an organisation, a body, an office holder), bounded, with no verb,
code or date, never opening with "của", "đối với", "tại"."""
from collections import Counter

import pytest

from conftest import CORPUS
from extract.batch import is_document
from extract.extractors.tasks.units import is_unit_name
from extract.pipeline import extract_file


def test_at_least_95_percent_of_task_units_are_names(capsys):
    named, bad = 0, Counter()
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file() and is_document(p)):
        try:
            tasks = extract_file(path, ocr=False).tasks
        except Exception:       # a scan without OCR: no text, no tasks
            continue
        for t in tasks:
            if t.unit is None:
                continue
            named += 1
            if not is_unit_name(t.unit):
                bad[(path.name, t.unit)] += 1
    share = 1 - sum(bad.values()) / max(named, 1)
    with capsys.disabled():
        print(f"\n{named} task units over the corpus, {share:.1%} well-formed; offenders:")
        for (name, unit), n in bad.most_common():
            print(f"  {name}: {unit!r} x{n}")
    assert named >= 300
    assert share >= 0.95


SHARED = CORPUS.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/corpus is not beside this checkout")
def test_over_the_whole_shared_corpus_units_are_names_and_norms_are_no_tasks(capsys):
    """Every document of ../shared/corpus, its pool of 235 documents of other
    issuers included: units well formed, no task of a decree, law or
    circular without the body it names, few tasks from a decision that
    publishes administrative procedures."""
    from extract.extractors.tasks import nontask
    from extract.pipeline import to_json

    named, bad, unowned, procedures = 0, Counter(), Counter(), {}
    for path in sorted(p for p in SHARED.rglob("*") if p.is_file() and is_document(p)):
        try:
            ex = extract_file(path, ocr=False)
        except Exception:
            continue
        doc = to_json(ex)["document"]
        if doc["doc_type"] == "QĐ" and nontask.publishes_procedures(doc["title"]):
            procedures[path.name] = len(ex.tasks)
        for t in ex.tasks:
            if t.unit is None:
                if doc["doc_type"] in nontask.normative_types():
                    unowned[path.name] += 1
                continue
            named += 1
            if not is_unit_name(t.unit):
                bad[(path.name, t.unit)] += 1
    share = 1 - sum(bad.values()) / max(named, 1)
    with capsys.disabled():
        print(f"\n../shared/corpus: {named} task units, {share:.1%} well-formed; offenders:")
        for (name, unit), n in bad.most_common(30):
            print(f"  {name}: {unit[:120]!r} x{n}")
        print(f"decisions publishing procedures: {procedures}")
    assert named >= 1500
    assert share >= 0.95
    assert not unowned, unowned
    # the articles of such a decision assign its execution; its annex of steps assigns nothing
    assert procedures and max(procedures.values()) <= 20, procedures
