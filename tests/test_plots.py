"""The register's plots, drawn from real documents' tasks and checked as drawn."""
import re

import matplotlib
import pandas as pd

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from extract import plots  # noqa: E402
from extract.dataset import load  # noqa: E402


def drawn(ax):
    ax.figure.canvas.draw()
    return ax


def test_deadlines_by_unit_reads_well(archive_db):
    tasks = load(archive_db).tasks_with_documents()
    ax = drawn(plots.deadlines_by_unit(tasks, today="2026-01-20"))
    xs = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(xs) >= 3 and all(re.fullmatch(r"\d\d/\d\d/\d{4}", x) for x in xs), xs
    assert plots.overlapping_labels(ax.get_xticklabels()) == []
    assert plots.overlapping_labels(ax.get_yticklabels()) == []
    ys = [t.get_text() for t in ax.get_yticklabels()]
    dated = tasks.dropna(subset=["deadline"])
    assert len(ys) == dated["unit_canonical"].fillna(dated["unit"]).fillna("").nunique()
    assert all(len(line) <= 28 for y in ys for line in y.split("\n")) and all(y.count("\n") <= 2 for y in ys)
    assert "Văn phòng Sở" in ys
    fig_box = ax.figure.bbox
    assert all(t.get_window_extent().x0 >= fig_box.x0 for t in ax.get_yticklabels())   # not cut off
    # every dated task is a dot, past ones red
    offsets = [c.get_offsets() for c in ax.collections]
    assert sum(len(o) for o in offsets) == len(dated)
    plt.close(ax.figure)


def test_long_unit_names_are_shortened_and_wrapped():
    long = "Trung tâm Văn hóa, Điện ảnh tỉnh và các đơn vị sự nghiệp công lập trực thuộc Sở Văn hóa"
    label = plots.unit_label(long)
    assert all(len(line) <= 28 for line in label.split("\n")) and label.count("\n") <= 2
    assert label.startswith("Trung tâm Văn hóa, Điện ảnh")
    tasks = pd.DataFrame({"unit_canonical": ["Văn phòng Sở", None, None],
                          "unit": ["VP Sở", "Phòng Quản lý Du lịch", None]})
    assert list(plots.unit_names(tasks)) == ["Văn phòng Sở", "Phòng Quản lý Du lịch", "(chưa rõ đơn vị)"]


def test_deadlines_per_month(archive_db):
    tasks = load(archive_db).tasks_with_documents()
    ax = drawn(plots.deadlines_per_month(tasks, today="2026-01-20"))
    xs = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert xs and all(re.fullmatch(r"\d\d/\d{4}", x) for x in xs), xs
    assert plots.overlapping_labels(ax.get_xticklabels()) == []
    bars = [p for p in ax.patches]
    dl = tasks["deadline"].dropna()
    assert sum(p.get_height() for p in bars) == len(dl)
    jan = sum(p.get_height() for p in bars
              if matplotlib.dates.num2date(p.get_x()).strftime("%Y-%m") == "2026-01")
    assert jan == int((dl.dt.to_period("M") == pd.Period("2026-01")).sum()) > 0
    plt.close(ax.figure)


def test_tasks_per_unit_is_led_by_real_units(archive_db):
    """The chart an analyst sees first: units named by the tasks, most tasks
    first, each a well-formed name; the tasks naming no unit are counted in
    the title rather than drawn as a unit of their own."""
    from extract.extractors.tasks.units import is_unit_name

    tasks = load(archive_db).tasks_with_documents()
    ax, counts = plots.tasks_per_unit(tasks, top=10)
    drawn(ax)
    assert plots.UNKNOWN_UNIT not in counts.index
    assert len(counts) >= 3
    leaders = [" ".join(n.split()) for n in counts.index[:5]]
    assert all(is_unit_name(n.replace(" …", "")) for n in leaders), leaders
    unnamed = int(tasks["unit"].isna().sum())
    assert f"{unnamed} of {len(tasks)} tasks name no unit" in ax.get_title()
    plt.close(ax.figure)
