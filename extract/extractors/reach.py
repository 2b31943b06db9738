"""Searches for a phrase's or clause's ends, bounded to its neighbourhood.

``str.rfind``/``str.find`` from a match to the start or end of the whole
text cost the text's length when the delimiter is absent; once per match
that is quadratic on a long text that lacks it (one section of bullets
ending ")." with a line break and no ". " or ";": 4 MB took 95 s, 8 MB
321 s). A clause ends within a few lines: these search ``REACH``
characters at most, and say where they stopped when nothing was found.
"""
from __future__ import annotations

# How far a clause's end is looked for: a real clause (a line, a sentence of a
# paragraph) ends well within it; a longer one is cut here.
REACH = 2000


def rfind_near(text: str, sub: str, end: int, reach: int | None = None) -> int:
    """The last ``sub`` wholly before ``end`` and at most ``reach`` before it; -1 when none."""
    r = REACH if reach is None else reach
    return text.rfind(sub, max(0, end - r), end)


def find_near(text: str, sub: str, start: int, reach: int | None = None) -> int:
    """The first ``sub`` at or after ``start``, beginning at most ``reach`` after it; -1 when none."""
    r = REACH if reach is None else reach
    return text.find(sub, start, start + r + len(sub))


def floor(start: int, reach: int | None = None) -> int:
    """Where a backward search from ``start`` stopped: a clause's start when no delimiter was found."""
    return max(0, start - (REACH if reach is None else reach))


def ceiling(text: str, end: int, reach: int | None = None) -> int:
    """Where a forward search from ``end`` stopped: a clause's end when no delimiter was found."""
    return min(len(text), end + (REACH if reach is None else reach))
