"""Plots of the task register an analyst can read: dates written as an office
writes them (15/01/2026), tick labels that do not overlap, long unit names
shortened to their canonical name and wrapped. Used by
``notebooks/01-explore-dataset.ipynb``; needs matplotlib (the ``dev`` extra)."""
from __future__ import annotations

import textwrap

import pandas as pd

UNKNOWN_UNIT = "(chưa rõ đơn vị)"


def unit_label(name, width: int = 28, lines: int = 3) -> str:
    """A unit's name on at most ``lines`` lines of ``width`` characters."""
    if name is None or (isinstance(name, float) and pd.isna(name)) or not str(name).strip():
        return UNKNOWN_UNIT
    return textwrap.fill(" ".join(str(name).split()), width=width, max_lines=lines, placeholder=" …")


def unit_names(tasks: pd.DataFrame) -> pd.Series:
    """Each task's unit by its canonical name where the alias table knows it."""
    names = tasks["unit_canonical"] if "unit_canonical" in tasks else pd.Series(None, index=tasks.index)
    if "unit" in tasks:
        names = names.fillna(tasks["unit"])
    return names.map(unit_label)


def tasks_per_unit(tasks: pd.DataFrame, top: int = 15, ax=None):
    """A bar per unit named by the tasks, most tasks first; the tasks that
    name no unit are counted in the title, not drawn as a unit of their own."""
    import matplotlib.pyplot as plt

    names = unit_names(tasks)
    unnamed = int((names == UNKNOWN_UNIT).sum())
    counts = names[names != UNKNOWN_UNIT].value_counts().head(top)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(counts) + 1)))
    counts.sort_values().plot(kind="barh", ax=ax)
    ax.set_title(f"Tasks per unit ({unnamed} of {len(names)} tasks name no unit)")
    ax.set_xlabel("tasks")
    ax.tick_params(axis="y", labelsize=8)
    ax.figure.tight_layout()
    return ax, counts


def _date_axis(ax, fmt: str = "%d/%m/%Y", maxticks: int = 7) -> None:
    import matplotlib.dates as mdates

    loc = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")


def deadlines_by_unit(tasks: pd.DataFrame, today=None, ax=None):
    """One row per unit, a dot per task at its deadline; past deadlines in red, a line at today."""
    import matplotlib.pyplot as plt

    dated = tasks.dropna(subset=["deadline"]).copy()
    dated["deadline"] = pd.to_datetime(dated["deadline"])
    dated["unit_label"] = unit_names(dated)
    order = dated["unit_label"].value_counts().sort_index(ascending=False).index.tolist()
    if ax is None:
        height = 1.2 + sum(0.22 * (1 + label.count("\n")) + 0.12 for label in order)
        _, ax = plt.subplots(figsize=(9, max(2.5, height)))
    today = pd.Timestamp(today or pd.Timestamp.today().normalize())
    for y, unit in enumerate(order):
        grp = dated[dated["unit_label"] == unit]
        past = grp["deadline"] < today
        ax.scatter(grp.loc[~past, "deadline"], [y] * int((~past).sum()), s=30, color="tab:blue")
        ax.scatter(grp.loc[past, "deadline"], [y] * int(past.sum()), s=30, color="tab:red")
    ax.set_yticks(range(len(order)), order, fontsize=8)
    ax.set_ylim(-0.6, len(order) - 0.4)
    if len(dated) and dated["deadline"].min() <= today <= dated["deadline"].max():
        ax.axvline(today, color="grey", linestyle="--", linewidth=1)
    _date_axis(ax)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Task deadlines by unit (red: past)")
    ax.figure.tight_layout()
    return ax


def deadlines_per_month(tasks: pd.DataFrame, today=None, ax=None):
    """Tasks with a deadline, counted by the month it falls in (months with none show as gaps)."""
    import matplotlib.pyplot as plt

    dl = pd.to_datetime(tasks["deadline"]).dropna()
    today = pd.Timestamp(today or pd.Timestamp.today().normalize())
    months = dl.dt.to_period("M")
    counts = pd.DataFrame({"past": (dl < today).groupby(months).sum(),
                           "upcoming": (dl >= today).groupby(months).sum()}).astype(int)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3))
    starts = counts.index.to_timestamp() if len(counts) else pd.DatetimeIndex([])
    ax.bar(starts, counts["past"], width=25, align="edge", color="tab:red", label="past")
    ax.bar(starts, counts["upcoming"], width=25, align="edge", bottom=counts["past"], color="tab:blue",
           label="upcoming")
    _date_axis(ax, fmt="%m/%Y")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("tasks")
    ax.set_title("Deadlines per month")
    ax.legend(frameon=False)
    ax.figure.tight_layout()
    return ax


def overlapping_labels(labels) -> list[tuple[str, str]]:
    """Pairs of drawn tick labels whose boxes overlap (the figure must be drawn)."""
    boxes = [(t.get_text(), t.get_window_extent()) for t in labels if t.get_visible() and t.get_text()]
    return [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:] if ba.overlaps(bb)]
