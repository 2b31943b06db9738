"""Over every document of the bundled corpus: the units of the tasks are
names (an organisation, a body, an office holder), bounded, with no verb,
code or date, never opening with "của", "đối với", "tại"."""
from collections import Counter

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
