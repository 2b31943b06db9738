"""Ruled tables read from what pdfium already holds for a page.

The grid comes from the page's path objects (pypdfium2's raw API: one
bounds call per object, segments only for the rare path that is neither a
line nor a box), the cell text from the text page the reader already loaded
(``get_text_bounded``). The geometry follows pdfplumber's "lines" strategy
(snap and join edges within 3 pt, intersections, the smallest cell at each
corner, tables as cells sharing corners, rows by the cells' tops), so rows and
cells come out as pdfplumber gives them, without a second parser.

One deliberate difference: a filled box taller and wider than a rule is a
background (text highlighting, cell shading), not a ruling. pdfplumber takes
its four sides as lines, so highlighted words side by side make a grid of
one-word "cells"; here they do not. Shading inside a real table sits on the
table's own rules, so nothing is lost.

Coordinates are pdfplumber's: x from the left, ``top``/``bottom`` from the
top of the page.
"""
from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

SNAP = 3.0        # edges this close are one line (pdfplumber's snap_tolerance)
JOIN = 3.0        # collinear pieces this close are one edge (join_tolerance)
MEET = 3.0        # a horizontal and a vertical edge this close cross (intersection_tolerance)
RULE = 3.0        # a filled box at most this thick is a rule, not a background
FORM_PATHS = 8    # path objects inside form XObjects that may be a table pdfium cannot place


@dataclass
class Edges:
    """A page's rulings: horizontal (top, x0, x1) and vertical (x, top, bottom)."""
    h: list[tuple[float, float, float]]
    v: list[tuple[float, float, float]]
    unresolved: bool = False   # some drawing could not be read (a form XObject holding paths)
    drawn: int = 0             # path and form objects on the page: how much it draws at all


class _Plain:
    """FPDFPage_GetObject, FPDFPageObj_GetType and FPDFText_GetBoundedText
    over plain addresses. pypdfium2's prototypes return and check typed
    pointers, a Python object per call, which was a third of the cost of
    looking at a page's objects; these are the same functions of the same library."""

    def __init__(self):
        import pypdfium2.raw as c

        def plain(fn, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)

        self.get_object = plain(c.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
        self.object_kind = plain(c.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)
        self.bounded_text = plain(c.FPDFText_GetBoundedText, ctypes.c_int, ctypes.c_void_p,
                                  *[ctypes.c_double] * 4, ctypes.c_void_p, ctypes.c_int)


@lru_cache(maxsize=None)
def _plain() -> _Plain:
    return _Plain()


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value


def page_edges(page, height: float) -> Edges:
    """The rulings a page draws, through the raw API (no Python wrapper per
    object), in one walk over its objects: most are text, and the walk is
    what a page without a table pays."""
    import pypdfium2.raw as c

    raw = page.raw
    h: list = []
    v: list = []
    unresolved = False
    form_paths = drawn = 0
    fl, fb, fr, ft = (ctypes.c_float() for _ in range(4))
    bounds = (ctypes.byref(fl), ctypes.byref(fb), ctypes.byref(fr), ctypes.byref(ft))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    modes = (ctypes.byref(fill), ctypes.byref(stroke))
    PATH, FORM = c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM
    # Every object's kind, the loop in map(): most objects are text, passed over.
    plain = _plain()
    count = c.FPDFPage_CountObjects(raw)
    kinds = list(map(plain.object_kind, map(plain.get_object, repeat(_address(raw), count), range(count))))
    for k, kind in enumerate(kinds):
        if kind != PATH and kind != FORM:
            continue
        drawn += 1
        obj = c.FPDFPage_GetObject(raw, k)      # the typed handle the other calls take
        if kind == FORM:
            # Lines inside a form XObject are not top-level objects here, and
            # its own coordinates would need its matrix: enough of them, and
            # the page is left to pdfplumber.
            form_paths += sum(c.FPDFPageObj_GetType(c.FPDFFormObj_GetObject(obj, j)) == c.FPDF_PAGEOBJ_PATH
                              for j in range(c.FPDFFormObj_CountObjects(obj)))
            unresolved = form_paths >= FORM_PATHS
            continue
        c.FPDFPageObj_GetBounds(obj, *bounds)
        x0, x1 = fl.value, fr.value
        top, bottom = height - ft.value, height - fb.value
        w, ht = x1 - x0, bottom - top
        c.FPDFPath_GetDrawMode(obj, *modes)
        if not fill.value and not stroke.value:
            continue                        # a clipping path draws nothing
        n = c.FPDFPath_CountSegments(obj)
        if ht <= RULE and w > ht:           # a horizontal rule (line or thin box)
            h.append(((top + bottom) / 2, x0, x1))
        elif w <= RULE and ht > w:          # a vertical rule
            v.append(((x0 + x1) / 2, top, bottom))
        elif n <= 5 and stroke.value:       # a stroked box: its four sides
            h += [(top, x0, x1), (bottom, x0, x1)]
            v += [(x0, top, bottom), (x1, top, bottom)]
        elif n > 5 and stroke.value:        # a polyline: its straight sides
            _path_sides(c, obj, height, h, v)
        # a filled box: a background, not a ruling (see the module's note)
    return Edges(h, v, unresolved, drawn)


def _path_sides(c, obj, height, h, v) -> None:
    """Axis-aligned line segments of a stroked path, in page coordinates."""
    m = c.FS_MATRIX()
    if not c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)) or m.b or m.c:
        return                              # rotated or skewed: not a table rule
    x, y = ctypes.c_float(), ctypes.c_float()
    prev = start = None
    for s in range(c.FPDFPath_CountSegments(obj)):
        seg = c.FPDFPath_GetPathSegment(obj, s)
        c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        pt = (m.a * x.value + m.e, height - (m.d * y.value + m.f))
        kind = c.FPDFPathSegment_GetType(seg)
        if kind == c.FPDF_SEGMENT_LINETO and prev is not None:
            _side(prev, pt, h, v)
            if c.FPDFPathSegment_GetClose(seg) and start is not None:
                _side(pt, start, h, v)
        if kind == c.FPDF_SEGMENT_MOVETO:
            start = pt
        prev = pt


def _side(a, b, h, v) -> None:
    if abs(a[1] - b[1]) <= 0.5 and abs(a[0] - b[0]) > 0.5:
        h.append((a[1], min(a[0], b[0]), max(a[0], b[0])))
    elif abs(a[0] - b[0]) <= 0.5 and abs(a[1] - b[1]) > 0.5:
        v.append((a[0], min(a[1], b[1]), max(a[1], b[1])))


def _snap(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Edges whose positions lie within SNAP of each other moved to their mean
    (pdfplumber's snap_objects: clusters of consecutive sorted positions)."""
    edges = sorted(edges)
    out: list = []
    i = 0
    while i < len(edges):
        j = i + 1
        while j < len(edges) and edges[j][0] - edges[j - 1][0] <= SNAP:
            j += 1
        group = edges[i:j]
        pos = sum(e[0] for e in group) / len(group)
        out += [(pos, e[1], e[2]) for e in group]
        i = j
    return out


def _join(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear pieces within JOIN of each other made one edge."""
    out: list = []
    for pos, a, b in sorted(edges):
        if out and out[-1][0] == pos and a <= out[-1][2] + JOIN:
            if b > out[-1][2]:
                out[-1] = (pos, out[-1][1], b)
        else:
            out.append((pos, a, b))
    return out


def find_tables(edges: Edges) -> list[list[tuple[float, float, float, float]]]:
    """Tables as lists of cells (x0, top, x1, bottom), top first."""
    # pdfplumber drops pieces under 1 pt before merging and edges under 3 pt after.
    h = [e for e in _join(_snap([e for e in edges.h if e[2] - e[1] >= 1])) if e[2] - e[1] >= 3]
    v = [e for e in _join(_snap([e for e in edges.v if e[2] - e[1] >= 1])) if e[2] - e[1] >= 3]
    if not h or not v:
        return []
    # Intersections: each point with the edges through it (by index).
    h_tops = [e[0] for e in h]
    hs_at: dict[tuple[float, float], set[int]] = {}
    vs_at: dict[tuple[float, float], set[int]] = {}
    for vi, (x, t, b) in enumerate(v):
        for hi in range(bisect_left(h_tops, t - MEET), bisect_right(h_tops, b + MEET)):
            y, a, z = h[hi]
            if a - MEET <= x <= z + MEET:
                pt = (x, y)
                hs_at.setdefault(pt, set()).add(hi)
                vs_at.setdefault(pt, set()).add(vi)
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in hs_at:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for lst in (*by_x.values(), *by_y.values()):
        lst.sort()

    # pdfplumber's smallest cell at each corner: the first point below (then
    # right) joined to it by a ruling, with the fourth corner joined to both.
    # The points to its right joined to it are found once per corner, not
    # once per point below, in the order pdfplumber tries them.
    cells = []
    for pt in sorted(hs_at):
        x, y = pt
        hs = hs_at[pt]
        xs = by_y[y]
        rights = [(xx, vs_at[(xx, y)]) for xx in xs[bisect_right(xs, x):] if hs & hs_at[(xx, y)]]
        if not rights:
            continue
        vs = vs_at[pt]
        ys = by_x[x]
        found = None
        for yy in ys[bisect_right(ys, y):]:
            bp = (x, yy)
            if not vs & vs_at[bp]:
                continue
            bp_hs = hs_at[bp]
            for xx, rp_vs in rights:
                br_hs = hs_at.get((xx, yy))
                if br_hs is not None and vs_at[(xx, yy)] & rp_vs and br_hs & bp_hs:
                    found = (x, y, xx, yy)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return _group(cells)


def _group(cells):
    """Cells sharing a corner are one table (connected components)."""
    parent = list(range(len(cells)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict = {}
    for i, (x0, t, x1, b) in enumerate(cells):
        for corner in ((x0, t), (x0, b), (x1, t), (x1, b)):
            j = owner.setdefault(corner, i)
            if j != i:                      # a corner seen before: join the two tables
                parent[root(i)] = root(j)
    groups: dict[int, list] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = [g for g in groups.values() if len(g) > 1]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return tables


def table_rows(cells):
    """Rows of cell boxes (None where a merged cell spans), pdfplumber's layout."""
    xs = sorted({c[0] for c in cells})
    rows: dict[float, dict[float, tuple]] = {}
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        rows.setdefault(cell[1], {})[cell[0]] = cell
    return [[row.get(x) for x in xs] for _, row in sorted(rows.items())]


def bbox(cells):
    return (min(c[0] for c in cells), min(c[1] for c in cells),
            max(c[2] for c in cells), max(c[3] for c in cells))


class CellReader:
    """Cell texts from a text page, one pdfium call per cell: pypdfium2's
    ``get_text_bounded`` asks pdfium twice (the length, then the text), each a
    walk over every character of the page; here one buffer, sized once per
    page, takes the text in one walk."""

    def __init__(self, tp, height: float):
        import pypdfium2.raw as c

        self.tp, self.height = tp, height
        self.size = 2 * c.FPDFText_CountChars(tp.raw) + 256     # bounded text adds line breaks
        self.buf = (ctypes.c_ushort * self.size)()
        self.bounded_text = _plain().bounded_text
        self.tp_address, self.buf_address = _address(tp.raw), ctypes.addressof(self.buf)

    def __call__(self, box) -> str:
        x0, top, x1, bottom = box
        H = self.height
        n = self.bounded_text(self.tp_address, x0, H - top, x1, H - bottom, self.buf_address, self.size)
        if n >= self.size:                  # did not fit: the two-call way
            text = self.tp.get_text_bounded(x0, H - bottom, x1, H - top)
        else:
            text = ctypes.string_at(self.buf, 2 * max(0, n)).decode("utf-16-le", errors="ignore")
        # pdfium marks a hyphen that ends a line with U+0002 (U+FFFE in whole-page text)
        return " ".join(text.replace("\x02", "-").replace("\ufffe", "-").replace("\x00", "").split())
