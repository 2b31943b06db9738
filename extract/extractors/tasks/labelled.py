"""Labelled lines under a plan's item: "Đơn vị chủ trì: Sở Tài chính;
Đơn vị phối hợp: ...", "Thời gian hoàn thành: Tháng 11/2025", "Kết quả/Sản
phẩm: ...". They give the item above them its unit and deadline, and are
not tasks themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ... import ruleset as rules
from ...literals import alternation


@dataclass
class Labels:
    unit: str | None = None
    co_units: list[str] = field(default_factory=list)
    deadline_text: str | None = None


@lru_cache(maxsize=None)
def _label_re():
    d = rules.load("tasks.yaml")["label_lines"]
    kind_of = {}
    for kind, names in d.items():
        for n in names:
            kind_of[n.lower()] = kind
    lab = alternation(kind_of)
    # a label opens the line (after a dash) or follows "; " / ". " inside it
    return regex.compile(r"(?:^|(?<=[;.]\s{0,3}))\s*(?:[-+•*]\s*)?(?P<label>" + lab + r")\s*:\s*", regex.I), kind_of


def parse(text: str) -> Labels | None:
    """The labels of a labelled line, or None when ``text`` is not one (it
    must open with a label)."""
    label_re, kind_of = _label_re()
    first = label_re.match(text)
    if first is None:
        return None
    found = list(label_re.finditer(text))
    out = Labels()
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        value = text[m.end():end].strip(" ;.\n")
        kind = kind_of[m.group("label").lower()]
        if not value:
            continue
        if kind == "unit" and out.unit is None:
            out.unit = value
        elif kind == "co_units":
            out.co_units.append(value)
        elif kind == "deadline" and out.deadline_text is None:
            out.deadline_text = value
    return out
