"""Vietnamese number writing, in one place.

"567.530" is 567530 ("." groups thousands), "41,55" is 41.55 ("," is the
decimal mark), "02" is 2. A number may be glued to its unit ("1.153buồng").
"""
from __future__ import annotations

import regex

# A number not inside a word, code, date or larger number; an optional
# "/total" makes a ratio ("94.764/104.405").
NUMBER = regex.compile(
    r"(?<![\p{L}\d.,/:+-])"
    r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?"
    r"(?:/(?P<tint>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<tfrac>\d+))?)?"
    r"(?![\d]|[.,]\d|/\d)"
)


def parse_number(int_part: str, frac: str | None = None) -> float:
    value = float(int_part.replace(".", ""))
    if frac:
        value = float(f"{int(value)}.{frac}")
    return value


def as_json_number(x: float):
    return int(x) if float(x).is_integer() else x


_CELL_NUMBER = regex.compile(r"\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*")


def parse_cell(text: str) -> float | None:
    """A table cell that holds one number and nothing else (the pattern compiled
    once: regex's own cache lookup cost more than the match, table by table)."""
    m = _CELL_NUMBER.fullmatch(text)
    return parse_number(m.group(1), m.group(2)) if m else None
