"""Positional lookups of the model agree with their plain definitions on real documents."""
from __future__ import annotations

import pytest
from conftest import BC_SEED, CORPUS, TB_SEED

from extract.intervals import Covered, holders
from extract.pipeline import extract_file
from extract.readers import read
from extract.structure import structure


def _innermost(sections, offset):
    """section_at's definition: the deepest section holding offset, the later of equals."""
    best = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or s.level >= best.level):
            best = s
    return best


@pytest.mark.parametrize("path", [BC_SEED, TB_SEED, CORPUS / "bc-007.docx", CORPUS / "kh-004.docx"])
def test_section_at_is_the_innermost_section(path):
    doc = structure(read(path))
    assert len(doc.sections) > 5
    points = sorted({x for s in doc.sections for x in (s.start - 1, s.start, s.end - 1, s.end)} | set(range(0, len(doc.text), 97)))
    for p in points:
        assert doc.section_at(p) is _innermost(doc.sections, p), p


def test_section_ends_close_at_the_next_section_not_deeper():
    doc = structure(read(BC_SEED))
    secs = doc.sections
    for i, s in enumerate(secs):
        nxt = next((t for t in secs[i + 1:] if t.level <= s.level), None)
        assert s.end == (nxt.start if nxt else s.end)
        if nxt is None:
            assert s.end >= s.start


def test_blocks_between_gives_a_sections_paragraphs():
    doc = structure(read(BC_SEED))
    for s in doc.sections:
        assert doc.blocks_between(s.start, s.end) == [b for b in doc.blocks if s.start <= b.start < s.end]


def test_deadlines_link_to_the_first_task_holding_them():
    ex = extract_file(TB_SEED)
    linked = [d for d in ex.deadlines if d.task is not None]
    assert linked
    for d in ex.deadlines:
        holders = [i for i, t in enumerate(ex.tasks) if t.span.start <= d.span.start < t.span.end]
        assert d.task == (holders[0] if holders else None)


def test_covered_ranges_merge_and_answer_by_position():
    c = Covered([(10, 20), (30, 40)])
    c.add(18, 32)          # bridges both
    c.add(50, 55)
    c.add(5, 6)
    assert c.starts == [5, 10, 50] and c.ends == [6, 40, 55]
    assert 10 in c and 39 in c and 25 in c and 40 not in c and 9 not in c and 54 in c and 55 not in c
    c.add(7, 7)            # empty: nothing covered
    assert 7 not in c


def test_holders_gives_the_lowest_ranked_item_holding_each_position():
    items = [(0, 10, 2, "outer"), (3, 6, 1, "inner"), (4, 4, 0, "empty"), (8, 20, 3, "late")]
    positions = [0, 3, 4, 5, 6, 9, 10, 19, 20]
    assert holders(items, positions) == ["outer", "inner", "inner", "inner", "outer", "outer", "late", "late", None]
    # the plain definition, on every position
    for pos, got in zip(range(25), holders(items, range(25))):
        held = sorted((r, v) for s, e, r, v in items if s <= pos < e)
        assert got == (held[0][1] if held else None), pos
