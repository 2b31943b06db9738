"""The abbreviations of official writing (``rules/abbreviations.yaml``):
expand them for display and canonical names, and match a term however it is
written ("UBND tỉnh" = "Ủy ban nhân dân tỉnh", "Sở VHTT&DL" = "Sở Văn hóa,
Thể thao và Du lịch")."""
from __future__ import annotations

from functools import lru_cache

import regex

from . import ruleset
from .normalize import fold


@lru_cache(maxsize=None)
def _table() -> tuple[regex.Pattern, dict[str, str]]:
    abbr = ruleset.abbreviations()
    keys = sorted(abbr, key=len, reverse=True)
    # Whole tokens only, case as written: "CP" is Chính phủ, "cp" is not.
    pat = regex.compile(r"(?<![\p{L}\p{N}&])(?:" + "|".join(regex.escape(k) for k in keys) + r")(?![\p{L}\p{N}&])")
    return pat, abbr


def expand(text: str) -> str:
    """``text`` with every known abbreviation written out."""
    pat, abbr = _table()
    return pat.sub(lambda m: abbr[m.group(0)], text)


def key(text: str) -> str:
    """A matching key: abbreviations expanded, then folded, punctuation and spaces squeezed."""
    return " ".join(regex.sub(r"[^\p{L}\p{N}]+", " ", fold(expand(text))).split())


def same(a: str, b: str) -> bool:
    return key(a) == key(b)


@lru_cache(maxsize=None)
def folded_expansions() -> list[tuple[str, str]]:
    """(folded abbreviation, folded expansion) pairs, for search queries."""
    _, abbr = _table()
    out = []
    for k, v in abbr.items():
        fk = " ".join(regex.findall(r"[\p{L}\p{N}]+", fold(k)))
        fv = " ".join(regex.findall(r"[\p{L}\p{N}]+", fold(v)))
        if fk and fv and fk != fv:
            out.append((fk, fv))
    return out
