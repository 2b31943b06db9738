"""Tasks: future work the document assigns, with the unit that must do it.

Where tasks are: sections whose heading announces work to come ("Nhiệm vụ
trọng tâm", "Phương hướng", "Tổ chức thực hiện", "Kiến nghị"; not "Kết quả",
"Đánh giá"), the items after a paragraph that hands work out ("... đề nghị
các chủ đầu tư thực hiện các nội dung sau:"), and any item opening with
"Giao X ...". A task is a leaf item there: a bullet, or a numbered item
with nothing under it; a numbered item with paragraphs under it is a
heading, and those paragraphs are its tasks.

Its unit, nearest first: named by the item ("Giao X ...", "X: ..."), the
heading it sits under when that heading is a unit ("2.1. Văn phòng Sở"),
the addressee of the paragraph that handed the work out, else None.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .. import ruleset as rules
from ..model import Document, Section, Task
from ..normalize import fold
from ..structure.closing import END_MARK


@lru_cache(maxsize=None)
def _cfg():
    d = rules.load("tasks.yaml")
    zone = regex.compile(r"\b(?:" + "|".join(d["zone_headings"]) + r")\b")
    past = regex.compile(r"\b(?:" + "|".join(d["past_headings"]) + r")\b")
    stops = sorted(d["unit_stops"], key=len, reverse=True)
    # Case-sensitive: a capitalised "Xây dựng" belongs to a name ("Sở Xây dựng").
    stop_re = regex.compile(r"\s(?:" + "|".join(regex.escape(s) for s in stops) + r")(?=[\s,.:;]|$)")
    heads = sorted(rules.load("units.yaml")["unit_heads"], key=len, reverse=True)
    head_re = regex.compile(r"^(?:" + "|".join(regex.escape(h) for h in heads) + r")(?=[\s,]|$)", regex.I)
    verbs = "|".join(regex.escape(v) for v in d["directive_verbs"])
    intro_re = regex.compile(rf"(?:^|[\s,;])(?:{verbs})\s+(?P<rest>.+?)\s*:\s*$", regex.I | regex.S)
    opens = "|".join(regex.escape(v) for v in d["assign_openings"])
    assign_re = regex.compile(rf"^(?:{opens})\s+(?P<rest>.+)$", regex.I | regex.S)
    closing = tuple(fold(x) for x in d["closing_openings"])
    aliases = {fold(k): v for k, v in rules.load("units.yaml")["aliases"].items()}
    not_units = sorted((x.lower() for x in d["not_unit_openings"]), key=len, reverse=True)
    head_re = _HeadMatcher(head_re, not_units)
    return zone, past, stop_re, head_re, intro_re, assign_re, closing, aliases


class _HeadMatcher:
    """A unit head word at the start, unless the text opens with a look-alike phrase."""

    def __init__(self, head_re, not_units):
        self.head_re = head_re
        self.not_units = not_units
        self._any_not_unit = tuple(not_units)      # str.startswith takes them all at once

    def match(self, text: str):
        text = text.strip()
        m = self.head_re.match(text)
        if m is None:
            return None                    # the usual case, and the cheap test: first
        low = text.lower()
        if not low.startswith(self._any_not_unit):
            return m
        if any(low.startswith(n) and (len(low) == len(n) or not low[len(n)].isalpha()) for n in self.not_units):
            return None
        return m


_PHRASE_END = regex.compile(r"[:(\n]|\.\s")
_WORD_COMMA = regex.compile(r"^\S+\s*,")
_CO_UNITS = regex.compile(r"phối hợp(?: chặt chẽ)?(?: với)?\s+(?P<u>[^.;:()\n]{3,120})", regex.I)
_UNIT_SEP = regex.compile(r"\s*,\s*|\s*;\s*|\s+và\s+")
_LABEL = regex.compile(r"^(?:[-+*•]\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s+|[a-zđ][.)]\s+)")
_UNIT_COLON = regex.compile(r"^(?P<u>[^:]{2,80}):\s+\S")
_FIRST_WORD = regex.compile(r"^\S+\s+")


def unit_phrase(text: str) -> str | None:
    """The unit's name at the start of ``text``, up to where its work begins."""
    _, _, stop_re, head_re, _, _, _, _ = _cfg()
    m = stop_re.search(" " + text)
    cut = m.start() if m else len(text)
    phrase = text[:cut]
    phrase = _PHRASE_END.split(phrase, maxsplit=1)[0].strip(" ,;.")
    if not phrase or len(phrase.split()) > 20:
        return None
    return phrase


def canonical_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    return _cfg()[7].get(fold(unit), unit)


def is_unit_heading(heading: str) -> str | None:
    """The unit a heading names ("Văn phòng Sở", "Giao Sở Xây dựng"), else None."""
    _, _, _, head_re, _, assign_re, _, _ = _cfg()
    h = heading.strip().rstrip(":").strip()
    m = assign_re.match(h)
    if m:
        return unit_phrase(m.group("rest"))
    if head_re.match(h) and len(h.split()) <= 12 and not _WORD_COMMA.match(h):
        return unit_phrase(h) or h
    return None


def _co_units(text: str) -> list[str]:
    out = []
    for m in _CO_UNITS.finditer(text):
        u = unit_phrase(m.group("u"))
        if u and _cfg()[3].match(u):
            out.extend(split_units(u))
    return out


def split_units(phrase: str) -> list[str]:
    """"Văn phòng Sở, Thanh tra Sở và Trung tâm Văn hóa tỉnh" -> three units; a
    part that does not open with a unit's head word stays with the one before
    ("UBND các huyện, thành phố", "các sở, ngành liên quan")."""
    head = _cfg()[3]
    parts = _UNIT_SEP.split(phrase)
    units: list[str] = []
    seps = _UNIT_SEP.findall(phrase)
    for i, p in enumerate(parts):
        if units and not head.match(p):
            units[-1] = units[-1] + seps[i - 1] + p
        else:
            units.append(p)
    return [u.strip() for u in units if u.strip()]


def _closing(t: str, closing) -> bool:
    return fold(t).startswith(closing) or bool(END_MARK.search(t))


def find_tasks(doc: Document) -> list[Task]:
    zone_re, past_re, _, head_re, intro_re, assign_re, closing, _ = _cfg()
    text = doc.text
    secs = doc.sections
    by_id = {s.id: s for s in secs}
    children: dict[str | None, list[Section]] = {}
    for s in secs:
        children.setdefault(s.parent, []).append(s)

    def chain(s):
        while s is not None:
            yield s
            s = by_id.get(s.parent) if s.parent else None

    def in_zone(s) -> bool:
        heads = [fold(x.heading) for x in chain(s) if x.kind != "bullet"]
        if any(past_re.search(h) for h in heads):
            return False
        return any(zone_re.search(h) for h in heads)

    body_end = doc.body_end if doc.body_end is not None else len(text)
    paragraphs = [b for b in doc.blocks if b.kind == "para" and doc.header.body_start <= b.start < body_end]
    label_starts = {s.start for s in secs}

    # Paragraphs that hand work out, and the span they govern.
    intros = []
    for b in paragraphs:
        if b.start in label_starts:
            continue
        t = text[b.start:b.end]
        m = intro_re.search(t)
        unit = unit_phrase(m.group("rest")) if m else None
        if unit and not fold(t).startswith(closing):
            owner = doc.section_at(b.start)
            end = owner.end if owner else body_end
            intros.append((b.start, end, unit))

    def intro_unit(pos):
        best = None
        for a, e, u in intros:
            if a < pos < e:
                best = u
        return best, best is not None or any(a < pos < e for a, e, _ in intros)

    def heading_unit(s):
        for x in chain(by_id.get(s.parent) if s.parent else None):
            u = is_unit_heading(x.heading)
            if u:
                return u
        return None

    tasks: list[Task] = []

    def add(start, end, unit_from_heading, sec):
        raw = text[start:end].strip()
        body = raw
        label = _LABEL.match(body)
        if label:
            body = body[label.end():].strip()
        if not body or _closing(body, closing):
            return
        unit = None
        m = assign_re.match(body)
        if m:
            unit = unit_phrase(m.group("rest"))
        if unit is None:
            m = _UNIT_COLON.match(body)
            if m and head_re.match(m.group("u")) and len(m.group("u").split()) <= 12:
                unit = m.group("u").strip()
        if unit is None:
            unit = unit_from_heading
        if unit is None:
            unit = intro_unit(start)[0]
        tasks.append(Task(text=" ".join(body.split()), unit=unit, unit_canonical=canonical_unit(unit),
                          co_units=_co_units(body), span=doc.span(start, end),
                          section=sec.id if sec else None))

    for s in secs:
        if s.start >= body_end:
            continue
        kids = children.get(s.id, [])
        block = next((b for b in paragraphs if b.start == s.start), None)
        if block is None:
            continue
        zone = in_zone(s) or intro_unit(s.start)[1]
        own_text = text[block.start:block.end]
        starts_assign = bool(assign_re.match(_FIRST_WORD.sub("", own_text, count=1)))
        if not zone and not starts_assign:
            continue
        if kids:
            continue
        # Paragraphs under a numbered leaf make it a heading.
        under = [b for b in paragraphs if s.start < b.start < s.end and b.start not in label_starts
                 and not _closing(text[b.start:b.end], closing)]
        if s.kind != "bullet" and under and zone:
            unit = is_unit_heading(s.heading) or heading_unit(s)
            for b in under:
                add(b.start, b.end, unit, s)
            continue
        if s.kind != "bullet" and is_unit_heading(s.heading) and not starts_assign:
            continue    # a unit heading with nothing under it
        add(block.start, block.end, heading_unit(s), s)
    # Link deadlines are set by the caller (they need both lists).
    return tasks
