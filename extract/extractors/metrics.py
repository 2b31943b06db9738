"""Quantities: a number with what it counts, percentages, money, ratios.

In running text, a number followed by a unit phrase ("567.530 lượt khách",
"41,55%", "411,999 tỷ đồng", "1.153buồng/phòng"). Not metrics: dates, years,
periods ("6 tháng đầu năm"), document numbers, section labels, ordinals
("lần thứ 64"), numbers in names ("Khối 6"), times ("16 giờ").
In tables, a number cell counts what its column header names ("Số lượng
Giấy phép" -> giấy phép); a breakdown column inherits the unit of the count
column to its left.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .. import ruleset as rules
from ..model import Document, Metric
from ..normalize import fold
from .dates import find_dates
from .numbers import NUMBER, as_json_number, parse_cell, parse_number
from .reach import rfind_near

UNIT_WORD = regex.compile(r"\s*(?P<w>[\p{L}][\p{L}\d&]*(?:/[\p{L}]+)?)")
COMPARISON = regex.compile(r"\s*(?P<cmp>so\s+với\s+[^,;.()\n]{2,60})")
CHANGE_BEFORE = regex.compile(r"(?P<verb>tăng|giảm|đạt|bằng|vượt)\s*(?:thêm\s+)?$", regex.I)


@lru_cache(maxsize=None)
def _rules():
    data = rules.load("metrics.yaml")
    # Lower case, not folded: folding merges words ("có"/"cơ", "vẫn"/"văn").
    not_after = sorted((x.lower() for x in data["not_after"]), key=len, reverse=True)
    not_before = sorted((x.lower() for x in data["not_before"]), key=len, reverse=True)
    stops = {x.lower() for x in data["unit_stops"]}
    quals = sorted(data["qualifiers"], key=len, reverse=True)
    canon = {fold(k): v for k, v in data["canonical"].items()}
    return not_after, not_before, stops, quals, canon


def _canonical(unit: str) -> str | None:
    return _rules()[4].get(fold(unit))


def read_unit(text: str, pos: int, max_words: int = 4) -> tuple[str, int]:
    """The unit phrase starting at ``pos``: words up to a stop word,
    punctuation or another number."""
    if text.startswith("%", pos):
        return "%", pos + 1
    _, _, stops, _, _ = _rules()
    words = []
    end = pos
    while len(words) < max_words:
        m = UNIT_WORD.match(text, end)
        if not m or (m.start("w") > end and text[end:m.start("w")].strip()):
            break
        if "\n" in text[end:m.start("w")]:
            break
        w = m.group("w")
        if w.lower() in stops:
            break
        if words and " ".join(words[-1:] + [w]).lower() in stops:
            break
        words.append(w)
        end = m.end()
    return " ".join(words), end


@lru_cache(maxsize=None)
def _word_tuples() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words a number may follow, and those it may not, as tuples for str.endswith."""
    return tuple(rules.load("metrics.yaml")["allowed_after"]), tuple(_rules()[0])


def _excluded_before(text: str, start: int) -> bool:
    not_after, _, _, _, _ = _rules()
    before = text[max(0, start - 25):start].lower().rstrip()
    allowed, excluded = _word_tuples()
    if before.endswith(allowed):               # str.endswith takes a tuple: one call for the list
        return False
    if not before.endswith(excluded):
        return False
    for w in not_after:
        if before.endswith(w) and (len(before) == len(w) or not before[-len(w) - 1].isalnum()):
            return True
    return False


_TIME_AFTER = regex.compile(r"\s?(?:h|giờ|g)\d")
_MEASURE = regex.compile(r"(?P<what>(?:tổng\s+)?(?:doanh thu|lượt khách|số lượng|tổng số|tỷ lệ|kim ngạch|giá trị|sản lượng)"
                         r"[\p{L}\s]{0,30}?)\s*(?:ước\s+)?(?:đạt|là|:)?\s*$", regex.I)


def _excluded_after(text: str, end: int) -> bool:
    _, not_before, _, _, _ = _rules()
    if _TIME_AFTER.match(text, end, end + 5):
        return True    # a time: 13h30
    after = text[end:end + 25].lower().lstrip()
    for w in not_before:
        if after.startswith(w) and (len(after) == len(w) or not after[len(w)].isalnum()):
            return True
    return False


def _qualifier(text: str, start: int) -> str | None:
    _, _, _, quals, _ = _rules()
    before = text[max(0, start - 20):start].rstrip().lower()
    for q in quals:
        if before.endswith(q) and (len(before) == len(q) or not before[-len(q) - 1].isalpha()):
            return q
    return None


def _is_label(text: str, m) -> bool:
    """A section label: a number at a line start followed by "." or ")"."""
    if text[m.end():m.end() + 1] not in (".", ")"):
        return False
    # what comes before it on its line, looked for near it (only blanks all the way search further)
    st = m.start()
    line_start = rfind_near(text, "\n", st, 200) + 1
    if not line_start and st > 200:
        if text[st - 200:st].strip():
            return False
        line_start = text.rfind("\n", 0, st) + 1
    return not text[line_start:st].strip()


def find_metrics(doc: Document, skip_spans=()) -> list[Metric]:
    text = doc.text
    skip = [(s.start, s.end) for s in skip_spans]
    # Year-less "09/12" may be a ratio ("09/12 phường"): only dated forms are skipped here;
    # "ngày 16/01" is skipped by the word before it.
    skip += [(d.start, d.end) for d in find_dates(text) if d.year]
    # characters inside a skipped span (a number touching one is not a metric) or a table row
    skipped, in_row = bytearray(len(text) + 1), bytearray(len(text) + 1)
    for s, e in skip:
        skipped[s:e] = b"\1" * (e - s)
    for b in doc.blocks:
        if b.kind == "row":
            in_row[b.start:b.end] = b"\1" * (b.end - b.start)
    out: list[Metric] = []
    start = doc.header.body_start
    for m in NUMBER.finditer(text, start):
        a, b = m.start(), m.end()
        if skipped[a] or skipped[b - 1] or in_row[a]:
            continue
        if _is_label(text, m) or _excluded_before(text, a) or _excluded_after(text, b):
            continue
        value = parse_number(m.group("int"), m.group("frac"))
        if not m.group("frac") and "." not in m.group("int") and 1900 <= value <= 2100 and m.group("tint") is None:
            continue   # a bare year
        unit, uend = read_unit(text, b)
        if not unit:
            continue
        total = parse_number(m.group("tint"), m.group("tfrac")) if m.group("tint") else None
        cmp_m = COMPARISON.match(text, uend)
        verb = CHANGE_BEFORE.search(text[max(0, a - 20):a].rstrip() + " ")
        comparison = None
        if cmp_m:
            comparison = ((verb.group("verb") + " ") if verb else "") + cmp_m.group("cmp").strip()
        sec = doc.section_at(a)
        out.append(Metric(value=as_json_number(value), unit=unit, unit_canonical=_canonical(unit),
                          total=as_json_number(total) if total is not None else None,
                          qualifier=_qualifier(text, a), comparison=comparison,
                          measure=_measure(text, a),
                          text=text[max(text.rfind("\n", max(0, a - 51), a) + 1, a - 50):min(len(text), uend + 30)].strip(),
                          span=doc.span(a, uend), section=sec.id if sec else None))
    out.extend(table_metrics(doc))
    out.sort(key=lambda x: x.span.start)
    return out


def _measure(text: str, start: int) -> str | None:
    """What the number measures when the words before it say so: "doanh thu ước đạt"."""
    m = _MEASURE.search(text[max(0, start - 60):start])
    return m.group("what").strip() if m else None


COUNT_HEADER = regex.compile(r"^(?:Số\s+lượng|Tổng\s+số|Số)\s+(?P<unit>.+)$", regex.I)
PAREN_UNIT = regex.compile(r"\((?P<unit>[^()]{1,20})\)\s*$")
INDEX_HEADER = regex.compile(r"^(?:S?TT|Số\s+TT|No\.?)$", regex.I)


UNIT_COLUMN = regex.compile(r"^(?:đơn\s*vị(?:\s*tính)?|đvt|đv\s*tính)\b", regex.I)
COMPARISON_HEADER = regex.compile(r"(?:so\s+(?:với|sánh)|tăng|giảm)[^()/]*", regex.I)


def table_metrics(doc: Document) -> list[Metric]:
    text = doc.text
    tables: dict[int, list] = {}
    for b in doc.blocks:
        if b.kind == "row" and b.cells and b.table is not None:
            tables.setdefault(b.table, []).append(b)
    out = []
    for rows in tables.values():
        cells_of = [[text[s:e] for s, e in r.cells] for r in rows]
        first_data = next((i for i, cells in enumerate(cells_of)
                           if sum(parse_cell(c) is not None for c in cells[1:]) >= 1), None)
        if first_data is None or first_data == 0:
            continue
        width = max(len(c) for c in cells_of)
        headers = []
        for j in range(width):
            parts = []
            for cells in cells_of[:first_data]:
                if j < len(cells) and cells[j].strip() and cells[j].strip() not in parts:
                    parts.append(" ".join(cells[j].split()))
            headers.append(parts)
        units = []
        last_count = None
        for parts in headers:
            unit = None
            for p in reversed(parts):
                cm = COUNT_HEADER.match(p)
                pm = PAREN_UNIT.search(p)
                if cm:
                    unit = cm.group("unit")
                    last_count = unit
                    break
                if pm:
                    unit = pm.group("unit")
                    break
            units.append(unit or last_count)
        # A "Đơn vị tính" column gives each row its unit, for columns whose header names none.
        unit_col = next((j for j, parts in enumerate(headers) if parts and UNIT_COLUMN.match(parts[-1])), None)
        for r, cells in zip(rows[first_data:], cells_of[first_data:]):
            label = next((c for c in cells[:3] if c.strip() and parse_cell(c) is None
                          and (unit_col is None or c is not cells[unit_col])), "")
            row_unit = cells[unit_col].strip() if unit_col is not None and unit_col < len(cells) else ""
            row_unit = row_unit if row_unit and parse_cell(row_unit) is None else None
            for j, (cell, (s, e)) in enumerate(zip(cells, r.cells)):
                v = parse_cell(cell)
                unit = (units[j] if j < len(units) else None) or (row_unit if j != unit_col else None)
                if v is None or j == 0 or not unit:
                    continue
                if headers[j] and INDEX_HEADER.match(headers[j][0]):
                    continue
                sec = doc.section_at(s)
                head = " / ".join(headers[j])
                comp = COMPARISON_HEADER.search(head)
                out.append(Metric(value=as_json_number(v), unit=unit, unit_canonical=_canonical(unit),
                                  comparison=" ".join(comp.group(0).split()) if comp else None,
                                  measure=f"{' '.join(label.split())} - {head}",
                                  text=f"{' '.join(label.split())} - {' / '.join(headers[j])}: {cell.strip()}",
                                  span=doc.span(s, e), section=sec.id if sec else None))
    return out
