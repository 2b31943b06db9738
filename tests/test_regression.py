"""The extraction over the gold documents: no item lost against the
baseline, and the scorer's floors when ../shared/eval is there."""
import json
import subprocess
import sys

import pytest

from conftest import CORPUS, FIXTURES, ROOT
from extract import regress

SCORER = ROOT.parent / "shared" / "eval" / "score.py"


def test_no_item_lost_against_baseline():
    old = json.loads((FIXTURES / "baseline.json").read_text(encoding="utf-8"))
    # the documents the bundled corpus holds: a clone without ../shared checks those
    new = regress.snapshot(regress.GOLD_DIRS, [CORPUS])
    old = {k: v for k, v in old.items() if k in new}
    lost = [x for x in regress.diff(old, new) if ": lost: " in x]
    assert not lost, "\n".join(lost)


def test_diff_reports_gains_and_losses():
    lines = regress.diff({"a.docx": ["reference x", "metric 1 kho"]}, {"a.docx": ["reference x", "deadline 2026-01-11"]})
    assert lines == ["a.docx: gained: deadline 2026-01-11", "a.docx: lost: metric 1 kho"]


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside this checkout")
def test_scorer_floors_on_dev_gold():
    cmd = [sys.executable, str(SCORER), "--gold", str(SCORER.parent / "gold"), "--docs", str(ROOT.parent / "shared" / "corpus"),
           "--run", f"{sys.executable} -m extract.cli extract {{}} --json",
           "--min", "document=0.94", "--min", "references=0.97", "--min", "references.date=0.96",
           "--min", "deadlines=0.95", "--min", "tasks=0.92", "--min", "tasks.unit=0.91",
           "--min", "tasks.deadline=0.95", "--min", "metrics=0.93", "--min", "metrics.unit=0.99"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside this checkout")
def test_scorer_floors_on_the_projects_own_annotations():
    """Documents of kinds the dev gold is thin on (plans with labelled lines,
    customs notices and tax answers that assign nothing, công điện,
    decisions), annotated per the guide apart from the code they judge."""
    cmd = [sys.executable, str(SCORER), "--gold", str(FIXTURES / "gold_extra"), "--docs", str(ROOT.parent / "shared" / "corpus"),
           "--run", f"{sys.executable} -m extract.cli extract {{}} --json",
           "--min", "document=0.98", "--min", "tasks=0.94", "--min", "tasks.unit=0.94", "--min", "tasks.deadline=0.98"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside this checkout")
@pytest.mark.parametrize("folder, floors", [
    # 28 documents of the pool (Government, ministries, HĐND, provinces; 7 signed scans),
    # annotated apart from the code, worked on after their first score (tasks 0.728 then)
    ("gold_pool", ["document=0.85", "references=0.97", "tasks=0.93", "tasks.unit=0.90"]),
    # 21 more, scored once when the rules were frozen on 2026-12-07 (tasks 0.866, unit 51/55;
    # the code of the day before read 0.743, unit 44/55): seen since, a floor now (0.909, unit 55/60
    # once a stray "(2)" no longer held the whole of a công điện)
    ("gold_check", ["document=0.98", "references=0.97", "tasks=0.90", "tasks.unit=0.91"]),
    # 15 more, scored once at the freeze of 2026-12-07 (tasks 0.894; unit 60/118, nearly all the misses
    # one decision's annex plan table whose unit and deadline cells were not attached): see its README;
    # 0.968, unit 115/120 once the table's rows carry their cells
    ("gold_check2", ["document=0.95", "references=0.99", "tasks=0.95", "tasks.unit=0.94", "deadlines=0.90"]),
])
def test_scorer_floors_on_the_pools_annotations(folder, floors):
    cmd = [sys.executable, str(SCORER), "--gold", str(FIXTURES / folder), "--docs", str(ROOT.parent / "shared" / "corpus"),
           "--run", f"{sys.executable} -m extract.cli extract {{}} --json"]
    for f in floors:
        cmd += ["--min", f]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
