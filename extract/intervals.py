"""A set of covered character ranges: is an offset inside any of them?

Kept as sorted, disjoint, merged ranges, so a question is one bisection
instead of a scan of every range taken so far (which made a long document's
cost grow with the square of its deadlines).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right


class Covered:
    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            self.add(s, e)

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        # every range touching [start, end] is merged into one
        i = bisect_left(self.ends, start)
        j = bisect_right(self.starts, end)
        if i < j:
            start = min(start, self.starts[i])
            end = max(end, self.ends[j - 1])
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]
