"""Over every document of the bundled corpus: the units of the tasks are
names (an organisation, a body, an office holder), bounded, with no verb,
code or date, never opening with "của", "đối với", "tại"."""
from collections import Counter

import pytest

from conftest import CORPUS
from extract.batch import is_document
from extract.extractors.tasks.units import is_unit_name
from extract.pipeline import extract_file


def _extractions(folder):
    """(path, extraction) of every document below ``folder``, text layers only."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and is_document(p)):
        try:
            yield path, extract_file(path, ocr=False)
        except Exception:       # a scan without OCR: no text, no tasks
            continue


def _tally_units(path, tasks, bad: Counter) -> int:
    """How many of ``tasks`` have a unit; the ill-formed ones counted in ``bad``."""
    named = [t.unit for t in tasks if t.unit is not None]
    for u in named:
        if not is_unit_name(u):
            bad[(path.name, u)] += 1
    return len(named)


def test_at_least_95_percent_of_task_units_are_names(capsys):
    named, bad = 0, Counter()
    for path, ex in _extractions(CORPUS):
        named += _tally_units(path, ex.tasks, bad)
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
    for path, ex in _extractions(SHARED):
        doc = to_json(ex)["document"]
        if doc["doc_type"] == "QĐ" and nontask.publishes_procedures(doc["title"]):
            procedures[path.name] = len(ex.tasks)
        if doc["doc_type"] in nontask.normative_types():
            unowned[path.name] += sum(1 for t in ex.tasks if t.unit is None)
        named += _tally_units(path, ex.tasks, bad)
    share = 1 - sum(bad.values()) / max(named, 1)
    with capsys.disabled():
        print(f"\n../shared/corpus: {named} task units, {share:.1%} well-formed; offenders:")
        for (name, unit), n in bad.most_common(30):
            print(f"  {name}: {unit[:120]!r} x{n}")
        print(f"decisions publishing procedures: {procedures}")
    assert named >= 1500
    assert share >= 0.95
    assert not +unowned, unowned    # + keeps the documents counted above zero
    # the articles of such a decision assign its execution; its annex of steps assigns nothing
    assert procedures and max(procedures.values()) <= 20, procedures
