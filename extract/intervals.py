"""Character ranges: a set of covered ones (is an offset inside any of
them?), and the range holding each of many offsets.

Kept as sorted, disjoint, merged ranges, so a question is one bisection
instead of a scan of every range taken so far (which made a long document's
cost grow with the square of its deadlines).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from heapq import heappop, heappush


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


def holders(items, positions) -> list:
    """For each of ``positions`` (ascending), the item holding it: of the
    ``(start, end, rank, value)`` items with ``start <= position < end``, the
    value of the lowest rank (ranks are distinct); None where none holds it.

    One sweep with a heap of the items begun so far: an item that has ended
    leaves when it reaches the top, so each is pushed and popped once."""
    items = sorted(items, key=lambda x: x[0])
    heap: list = []
    out = []
    k = 0
    for pos in positions:
        while k < len(items) and items[k][0] <= pos:
            heappush(heap, (items[k][2], k))
            k += 1
        while heap and items[heap[0][1]][1] <= pos:
            heappop(heap)
        out.append(items[heap[0][1]][3] if heap else None)
    return out
