"""Due dates: "trước ngày 16/01", "Xong trước ngày 15/01", "chậm nhất ngày ...",
"trong tháng 01/2026", "trong quý I/2026", and undated ones ("ngay sau khi
UBND tỉnh ban hành", "trước ngày 20 hằng tháng") kept with a null date.

A date counts only when a deadline phrase governs it; dates of events,
meetings and cited documents do not. A year-less date takes its year from
the document's context (see :func:`dates.resolve_year`).
"""
from __future__ import annotations

import calendar
from bisect import bisect_left
import datetime as dt
from functools import lru_cache

import regex

from .. import ruleset as rules
from ..intervals import Covered
from ..model import Deadline, Document
from .dates import context_date, find_dates, resolve_year
from .reach import ceiling, find_near, floor, rfind_near

ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}


@lru_cache(maxsize=None)
def _patterns():
    data = rules.load("deadlines.yaml")
    before = [(regex.compile(p["pattern"] + r"\s*$", regex.I), p["kind"]) for p in data["before_date"]]
    # one search that says whether any of them ends the window: most dates have no deadline phrase
    any_before = regex.compile("(?:" + "|".join(f"(?:{p['pattern']})" for p in data["before_date"]) + r")\s*$", regex.I)
    period = [(regex.compile(p["pattern"], regex.I), p["kind"]) for p in data["period"]]
    undated = [(regex.compile(p["pattern"], regex.I), p["kind"]) for p in data["undated"]]
    return before, period, undated, any_before


@lru_cache(maxsize=None)
def _in_task():
    return [(regex.compile(p["pattern"], regex.I), p["kind"]) for p in rules.load("deadlines.yaml").get("in_task", [])]


def task_periods(doc: Document, tasks, deadlines) -> list[Deadline]:
    """Due dates that count only inside a task's text ("... trong năm 2025"), for
    the tasks nothing else dates: their own deadlines, a label or a lead-in."""
    ctx = context_date(doc)
    taken = Covered((d.span.start, d.span.end) for d in deadlines if d.span)
    dated = sorted(d.span.start for d in deadlines if d.span and d.date)
    out = []
    for t in tasks:
        if t.deadline or t.span is None:
            continue
        i = bisect_left(dated, t.span.start)
        if i < len(dated) and dated[i] < t.span.end:
            continue          # its own words date it
        for pat, kind in _in_task():
            m = next((m for m in pat.finditer(doc.text, t.span.start, t.span.end)
                      if m.start() not in taken and (ctx is None or int(m.group("year")) >= ctx.year)), None)
            if m is not None:
                out.append(_deadline(doc, dt.date(int(m.group("year")), 12, 31).isoformat(), kind, m.start(), m.end()))
                taken.add(m.start(), m.end())
                break
    return out


_CELL_KIND = (("quý", "within_quarter"), ("tháng", "within_month"), ("năm", "within_year"))


def cell_dates(doc: Document, tasks, deadlines) -> list[Deadline]:
    """The due dates a plan table's deadline column gives its rows ("Tháng
    12/2025", "Năm 2025-2030"): no deadline phrase governs such a cell, the
    column's header does. The row's task holds its cell's span."""
    taken = Covered((d.span.start, d.span.end) for d in deadlines if d.span)
    out = []
    for i, t in enumerate(tasks):
        c = t.deadline_span
        if c is None or not t.deadline or c.start in taken:
            continue
        low = t.deadline_text.lower()
        kind = next((k for w, k in _CELL_KIND if w in low), "by")
        d = _deadline(doc, t.deadline, kind, c.start, c.end)
        d.task = i          # its row's, though outside the task's own words
        out.append(d)
        taken.add(c.start, c.end)
    return out


def _phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a deadline: within its parentheses, else its clause
    (its ends looked for near it: :mod:`.reach`)."""
    dot = rfind_near(text, ". ", start)
    lo = max(rfind_near(text, "(", start), rfind_near(text, "\n", start), rfind_near(text, ";", start),
             dot + 1 if dot >= 0 else -1)
    close = find_near(text, ")", end)
    hi_candidates = [x for x in (close, find_near(text, "\n", end), find_near(text, ";", end)) if x >= 0]
    hi = min(hi_candidates) if hi_candidates else ceiling(text, end)
    if lo >= 0 and text[lo] == "(" and close >= 0 and close <= hi:
        return lo + 1, close
    return (lo + 1 if lo >= 0 else floor(start)), hi


def find_deadlines(doc: Document, reference_spans=()) -> list[Deadline]:
    text = doc.text
    before, period, undated, any_before = _patterns()
    ctx = context_date(doc)
    taken = Covered((s.start, s.end) for s in reference_spans)
    out: list[Deadline] = []
    body_start = doc.header.body_start

    for d in find_dates(text, body_start):
        if d.start in taken:
            continue
        window = text[max(body_start, d.start - 90):d.start]
        if not any_before.search(window):
            continue
        kind = None
        for pat, k in before:
            m = pat.search(window)
            if m:
                kind = k
                break
        if kind is None:
            continue
        year = d.year or resolve_year(d.day, d.month, ctx)
        iso = dt.date(year, d.month, d.day).isoformat() if year else None
        # A due date lies ahead of the document: an earlier one is a
        # condition ("ban hành trước ngày 05/10/2009"), not a deadline.
        if iso and ctx and dt.date.fromisoformat(iso) < ctx - dt.timedelta(days=7):
            continue
        p0 = d.start - len(window) + m.start()
        out.append(_deadline(doc, iso, kind, p0, d.end))
        taken.add(d.start, d.end)
    for pat, kind in period:
        for m in pat.finditer(text, body_start):
            year = int(m.group("year"))
            if kind == "within_month":
                month = int(m.group("month"))
                if not 1 <= month <= 12:
                    continue
            elif kind == "within_year":
                month = 12
            else:
                q = m.group("quarter")
                month = 3 * (ROMAN_Q.get(q) or int(q))
            last = calendar.monthrange(year, month)[1]
            out.append(_deadline(doc, dt.date(year, month, last).isoformat(), kind, m.start(), m.end()))
    for pat, kind in undated:
        for m in pat.finditer(text, body_start):
            if m.start() in taken:
                continue
            out.append(_deadline(doc, None, kind, m.start(), m.end()))
            taken.add(m.start(), m.end())
    out.sort(key=lambda x: x.span.start)
    return out


def _deadline(doc: Document, iso, kind: str, start: int, end: int) -> Deadline:
    """The phrase that sets the date ("Báo cáo Ban Giám đốc trước ngày 16/01") is
    the deadline's text and span; its clause is kept beside it for context."""
    text = doc.text
    while start < end and not text[start].isalnum():
        start += 1
    a, b = _phrase(text, start, end)
    return Deadline(date=iso, text=" ".join(text[start:end].split()), kind=kind, span=doc.span(start, end),
                    section=_sec(doc, start), clause=" ".join(text[a:b].split()))


def _sec(doc, pos):
    s = doc.section_at(pos)
    return s.id if s else None
