"""Vietnamese dates, in one place: parse, and give a year to dates written without one."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import regex

# "23/5/2023", "23-5-2023", "23.5.2023", "11/01" (no year), and the long form
# "ngày 23 tháng 5 năm 2023". The long form first: it is the more specific.
DATE = regex.compile(
    r"(?<![\d/.])(?:"
    r"(?P<d1>\d{1,2})\s+tháng\s+(?P<m1>\d{1,2})\s+năm\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m2>\d{1,2})(?:\s*(?P=sep)\s*(?P<y2>\d{4}|\d{2}(?!\d)))?"
    r")(?![\d/]|\.\d)",
    regex.I,
)


@dataclass
class DateMatch:
    start: int
    end: int
    day: int
    month: int
    year: int | None

    def iso(self, year: int | None = None) -> str | None:
        y = self.year or year
        if y is None:
            return None
        try:
            return dt.date(y, self.month, self.day).isoformat()
        except ValueError:
            return None


def find_dates(text: str, pos: int = 0, endpos: int | None = None):
    """Every date in ``text[pos:endpos]`` that is a real calendar day."""
    for m in DATE.finditer(text, pos, endpos if endpos is not None else len(text)):
        if m.group("d1"):
            d, mo, y = int(m.group("d1")), int(m.group("m1")), int(m.group("y1"))
        else:
            d, mo = int(m.group("d2")), int(m.group("m2"))
            y = m.group("y2")
            y = None if y is None else (int(y) + 2000 if len(y) == 2 else int(y))
            if m.group("sep") != "/" and y is None:
                continue   # "13-14" or "2.1" is not a date
        if not (1 <= d <= 31 and 1 <= mo <= 12) or (y is not None and not 1900 <= y <= 2100):
            continue
        try:  # "31/02/2026" is no day at all; "29/02" without a year may be one
            dt.date(y or 2024, mo, d)
        except ValueError:
            continue
        yield DateMatch(m.start(), m.end(), d, mo, y)


def date_at(text: str, pos: int, limit: int = 40) -> DateMatch | None:
    """The first date starting within ``limit`` characters after ``pos``."""
    for d in find_dates(text, pos, min(len(text), pos + limit + 40)):
        return d if d.start - pos <= limit else None
    return None


def resolve_year(day: int, month: int, context: dt.date | None) -> int | None:
    """The year of "11/01" in a document whose context date is ``context``.

    The nearest such day to the context wins, so a deadline "05/01" set at
    a meeting on 28/12/2025 falls in 2026 (the December-January turn).
    """
    if context is None:
        return None
    best = None
    for y in (context.year - 1, context.year, context.year + 1):
        try:
            cand = dt.date(y, month, day)
        except ValueError:
            continue
        # Deadlines lie ahead: a date up to a month before the context still counts as this year.
        score = abs((cand - context).days) + (0 if cand >= context - dt.timedelta(days=31) else 400)
        if best is None or score < best[0]:
            best = (score, y)
    return best[1] if best else None


def context_date(doc) -> dt.date | None:
    """The date that gives a year to year-less dates: the document's own date,
    else the first full date of its opening (a meeting's date), else the
    month and year of its date line."""
    h = doc.header
    if h.date:
        return dt.date.fromisoformat(h.date)
    body = doc.text[h.body_start:h.body_start + 1500]
    for d in find_dates(body):
        if d.year:
            return dt.date(d.year, d.month, d.day)
    if h.year:
        return dt.date(h.year, h.month or 6, 15)
    return None


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH = regex.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:/|-|năm\s+)\s*(?P<y>\d{4})", regex.I)
_QUARTER = regex.compile(r"quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|-|năm\s+)?\s*(?P<y>\d{4})", regex.I)
_YEAR = regex.compile(r"(?:năm\s+|^\s*|trong\s+|đến\s+|hết\s+|-\s*|–\s*)(?P<y>(?:19|20)\d{2})\b(?!\s*/)", regex.I)
_RECURRING = regex.compile(r"\b(?:hằng|hàng|định kỳ|thường xuyên|liên tục)\b", regex.I)


_OPEN_RANGE = regex.compile(r"^\s*(?:bắt đầu\s+)?từ\b.*?\b(?:đến|tới)\b", regex.I)
# "Từ 01/7/2025": when the work starts, with no end; "Giai đoạn 2026-2030 và những
# năm tiếp theo", "từ năm 2026 trở đi": work that goes on. Neither is due by a date.
_START_ONLY = regex.compile(r"^\s*(?:bắt đầu\s+)?(?:kể\s+)?từ\b(?!.*(?:\b(?:đến|tới)\b|\d\s*[-–]\s*\d))", regex.I | regex.S)
_ONGOING = regex.compile(r"\b(?:và|cùng)\s+(?:những|các)\s+năm\s+tiếp\s+theo\b|\btrở\s+đi\b", regex.I)


def due_date(text: str, context: dt.date | None = None) -> str | None:
    """The date by which a time expression of a plan is due: a date
    ("trước ngày 15/01/2026"), a month ("Tháng 11/2025" -> 2025-11-30), a
    quarter ("Quý II/2026" -> 2026-06-30), a year ("Trong năm 2026" ->
    2026-12-31); a range is due at its end ("2025 - 2030"). None for
    "Thường xuyên", "Hằng năm" and what names no time."""
    if not text or (_RECURRING.search(text) and not any(c.isdigit() for c in text)):
        return None
    if _START_ONLY.match(text) or _ONGOING.search(text):
        return None
    open_end = _OPEN_RANGE.search(text)
    if open_end and not any(c.isdigit() for c in text[open_end.end():]):
        return None       # "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê": a start, and an end with no date
    best: tuple[int, str] | None = None     # (position, iso): the last one written is the end of a range

    def keep(pos, iso):
        nonlocal best
        if iso and (best is None or pos >= best[0]):
            best = (pos, iso)

    for d in find_dates(text):
        year = d.year or resolve_year(d.day, d.month, context)
        keep(d.start, d.iso(year))
    for m in _MONTH.finditer(text):
        mo, y = int(m.group("m")), int(m.group("y"))
        if 1 <= mo <= 12:
            keep(m.start(), dt.date(y, mo, calendar.monthrange(y, mo)[1]).isoformat())
    for m in _QUARTER.finditer(text):
        q, y = _ROMAN_Q[m.group("q").lower()], int(m.group("y"))
        keep(m.start(), dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1]).isoformat())
    if best is None:
        for m in _YEAR.finditer(text):
            keep(m.start(), f"{m.group('y')}-12-31")
    return best[1] if best else None
