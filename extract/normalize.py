"""Text in one canonical form, with a map back to the raw text.

Everything that matches text (rules, lexicons, the scorer's user) sees the
output of :func:`normalize`; every offset vanban stores is an offset into it.
``Normalized.raw_index`` maps any of those offsets back to the reader's raw
text, so provenance stays exact.

What it does, once, at the door:
- Unicode NFC, cluster by cluster (a base letter and its combining marks);
- one tone-mark placement: the "new" style that puts the tone on the first
  vowel of an open oa/oe/uy syllable (hóa, khỏe, thủy; not quý), which is
  what most current writing uses; this keeps the length, so no offset moves;
- dash variants to "-", slash variants to "/", curly quotes to straight ones, every space variant
  to a plain space, zero-width characters and soft hyphens removed, and
  pypdfium2's U+FFFE (a hyphen at a line end) to "-";
- C0 and C1 control characters dropped (tab and newline kept as space and
  newline, NEL to a newline);
- runs of spaces to one, no spaces at the ends of lines.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\ufffe"
QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
          "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'"}
SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\x0b\x0c"
DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# C0 and C1 control characters carry nothing a reader can show (a PDF font's
# stray STX, a file's NUL or ESC); a workbook cannot even hold them. Tab,
# vertical tab and form feed are spaces (SPACES), CR a newline, NEL (U+0085) a newline.
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0e, 0x20), 0x7f, *range(0x80, 0x85), *range(0x86, 0xa0)])

# Fraction and division slashes (OCR, some fonts) are slashes in a "1105⁄KH-ĐKT".
SLASHES = "\u2044\u2215\uff0f"

_CHAR_MAP = {c: "-" for c in DASHES}
_CHAR_MAP.update({c: "/" for c in SLASHES})
_CHAR_MAP.update(QUOTES)
_CHAR_MAP.update({c: " " for c in SPACES})
_CHAR_MAP.update({c: "" for c in DROP})
_CHAR_MAP.update({c: "" for c in CONTROLS})
_CHAR_MAP["\x85"] = "\n"
_CHAR_MAP["\r"] = "\n"
_CHAR_MAP["\u2028"] = "\n"
_CHAR_MAP["\u2029"] = "\n"

# Tone letters by base vowel: (sắc, huyền, hỏi, ngã, nặng).
_TONES = {
    "a": "áàảãạ", "o": "óòỏõọ", "e": "éèẻẽẹ", "u": "úùủũụ", "y": "ýỳỷỹỵ",
    "A": "ÁÀẢÃẠ", "O": "ÓÒỎÕỌ", "E": "ÉÈẺẼẸ", "U": "ÚÙỦŨỤ", "Y": "ÝỲỶỸỴ",
}
_TONE_OF = {ch: (base, i) for base, tones in _TONES.items() for i, ch in enumerate(tones)}
# An open syllable ending in o+toned a/e or u+toned y, not after q ("quý").
_OLD_STYLE = regex.compile(
    r"(?<![qQ])(?P<first>[oO])(?P<second>[áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸ])(?![\p{L}\p{M}])"
    r"|(?<![qQ])(?P<first2>[uU])(?P<second2>[ýỳỷỹỵÝỲỶỸỴ])(?![\p{L}\p{M}])"
)


def _move_tone(first: str, second: str) -> str:
    base, tone = _TONE_OF[second]
    return _TONES[first][tone] + base


def retone(text: str) -> str:
    """Old-style tone placement (hoá, thuỷ) to the new style (hóa, thủy); same length."""

    def sub(m):
        first = m.group("first") or m.group("first2")
        second = m.group("second") or m.group("second2")
        return _move_tone(first, second)

    return _OLD_STYLE.sub(sub, text)


class OffsetMap(Sequence):
    """Each normalised character's offset in the raw text, kept as runs.

    Most of a document maps one to one (a clean line, its newline, the next
    clean line), so a run (text start, raw start) holds what a list would
    hold per character: memory grows with the lines that changed, not with
    the text. Indexing is a bisection over the runs; values never decrease.
    """

    __slots__ = ("_t", "_r", "_n", "_last")

    def __init__(self, values=()):
        self._t = array("q")      # text index where each run starts
        self._r = array("q")      # the raw offset there
        self._n = 0
        self._last = None
        self.extend(values)

    def append(self, v: int) -> None:
        if self._last is None or v != self._last + 1:
            self._t.append(self._n)
            self._r.append(v)
        self._last = v
        self._n += 1

    def extend(self, values) -> None:
        if isinstance(values, range) and values.step == 1:
            if values:
                self.append(values.start)
                self._n += len(values) - 1
                self._last = values.stop - 1
            return
        for v in values:
            self.append(v)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("offset map index out of range")
        k = bisect_right(self._t, i) - 1
        return self._r[k] + i - self._t[k]

    def __iter__(self):
        bounds = list(self._t) + [self._n]
        for k, r in enumerate(self._r):
            yield from range(r, r + bounds[k + 1] - bounds[k])

    @property
    def identity(self) -> bool:
        """Whether every text index is its own raw offset (normalising changed no length)."""
        return len(self._t) <= 1 and (not self._r or self._r[0] == 0)

    def index_of_ascending(self):
        """:meth:`index_of` for offsets asked in non-decreasing order: one walk
        over the runs instead of a bisection each (a document's block and cell
        bounds are asked in text order); an offset lower than the last asked
        is answered by bisection."""
        r, runs = self._r, len(self._r)
        k, last = 0, -1                    # the first run starting at or after the last offset; that offset

        def index_of(raw: int) -> int:
            nonlocal k, last
            if raw < last:
                return self.index_of(raw)
            while k < runs and r[k] < raw:
                k += 1
            last = raw
            return self._index_from(k, raw)

        return index_of

    def index_of(self, raw: int) -> int:
        """The first text index whose raw offset is ``raw`` or more (``len`` when none)."""
        return self._index_from(bisect_left(self._r, raw), raw)

    def _index_from(self, k: int, raw: int) -> int:
        """:meth:`index_of`, given ``k``, the first run whose raw offset is ``raw`` or more."""
        t = self._t
        if k > 0:
            end = t[k] if k < len(t) else self._n
            if self._r[k - 1] + (end - t[k - 1]) - 1 >= raw:
                return t[k - 1] + raw - self._r[k - 1]
        return t[k] if k < len(t) else self._n


@dataclass(frozen=True)
class Normalized:
    text: str
    # offsets[i] is the raw index of text[i]; offsets[len(text)] == len(raw).
    offsets: OffsetMap

    def raw_index(self, i: int) -> int:
        return self.offsets[max(0, min(i, len(self.offsets) - 1))]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.raw_index(start), self.raw_index(start)
        return self.raw_index(start), self.raw_index(end - 1) + 1


def _clusters(raw: str):
    """Yield (raw_start, cluster) where a cluster is a base char with its marks."""
    n = len(raw)
    i = 0
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        yield i, raw[i:j]
        i = j


# A line needs the slow path when it is not NFC, holds a character the map
# changes, or has spaces to collapse or trim. Most lines of most files do not.
# (sets of literal characters: the standard library's engine scans them several times faster)
_MAPPED = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]")
# Mapped characters that become one character (dashes, quotes, space variants):
# a line with only these keeps its length, so str.translate does it.
_ONE_TO_ONE = {ord(k): v for k, v in _CHAR_MAP.items() if len(v) == 1 and v != "\n"}
_NOT_ONE_TO_ONE = re.compile("[" + re.escape("".join(k for k, v in _CHAR_MAP.items()
                                                     if len(v) != 1 or v == "\n")) + "]")
_SPACE_WORK = regex.compile("  |^ | $")
_SPACE_RUN = regex.compile(" {2,}")


def normalize(raw: str) -> Normalized:
    """The canonical text and, for each of its characters, its offset in ``raw``.

    Line by line: a clean line (NFC, nothing to map, no stray spaces) is copied
    as it is, offsets and all. A line whose faults are marks typed apart from
    their letters, dashes, quotes or space variants, or spaces to trim and
    collapse is mended by slices; only a line holding a character that maps
    to more or fewer than one goes character by character.
    """
    parts: list[str] = []
    # runs, not a value per character: the map was the largest thing a long document held
    offs = OffsetMap()
    pos = 0
    n = len(raw)
    while pos <= n:
        nl = raw.find("\n", pos)
        end = n if nl < 0 else nl
        line = raw[pos:end]
        line_offs = None                   # None: the line's own positions, pos .. end
        ok = True
        if line and not unicodedata.is_normalized("NFC", line):
            composed = None if _NOT_ONE_TO_ONE.search(line) else _compose_marks(line, pos)
            if composed is None:
                ok = False
            else:
                line, line_offs = composed
        if ok and _MAPPED.search(line):
            if _NOT_ONE_TO_ONE.search(line):
                ok = False
            else:
                # Same length, offsets unchanged; the ASCII replacements (-, ", ', space)
                # compose with no mark, so the line stays NFC.
                line = line.translate(_ONE_TO_ONE)
        if not ok:
            t, o = _normalize_slow(raw[pos:end], pos)
            parts.append(t)
            offs.extend(o)
        elif not _SPACE_WORK.search(line):
            parts.append(line)
            offs.extend(range(pos, end) if line_offs is None else line_offs)
        else:
            # Spaces to trim and collapse (PDF lines often end in one): by slices.
            def at(i, j):
                return range(pos + i, pos + j) if line_offs is None else line_offs[i:j]
            a, b = len(line) - len(line.lstrip(" ")), len(line.rstrip(" "))
            p = a
            for m in _SPACE_RUN.finditer(line, a, b):
                parts.append(line[p:m.start() + 1])
                offs.extend(at(p, m.start() + 1))
                p = m.end()
            parts.append(line[p:b])
            offs.extend(at(p, b))
        if nl < 0:
            break
        parts.append("\n")
        offs.append(nl)
        pos = nl + 1
    text = retone("".join(parts))
    offs.append(n)
    return Normalized(text, offs)


_MARKED = regex.compile(r"(?s).\p{Mn}+")     # a character and the marks typed after it


def _compose_marks(line: str, base: int) -> tuple[str, list[int]] | None:
    """A line with marks typed apart from their letters ("Unicode tổ hợp": "ư"
    + U+0323 for "ự"), composed letter by letter and copied in slices between,
    with each character's offset; None when that does not make it NFC."""
    parts: list[str] = []
    offs: list[int] = []
    p = 0
    for m in _MARKED.finditer(line):
        a = m.start()
        parts.append(line[p:a])
        offs.extend(range(base + p, base + a))
        composed = unicodedata.normalize("NFC", m.group())
        parts.append(composed)
        offs.extend([base + a] * len(composed))   # each composed character points at its letter
        p = m.end()
    parts.append(line[p:])
    offs.extend(range(base + p, base + len(line)))
    out = "".join(parts)
    if not unicodedata.is_normalized("NFC", out):
        return None                               # more to do than letter by letter
    return out, offs


def _normalize_slow(raw: str, base: int) -> tuple[str, list[int]]:
    """One line, cluster by cluster. Offsets are ``base`` + position in ``raw``.

    A mapped character may itself be a line break ("\r", U+2028): the space
    rules then apply around it as around any line end.
    """
    chars: list[str] = []
    offs: list[int] = []
    for start, cluster in _clusters(raw):
        out = unicodedata.normalize("NFC", cluster) if len(cluster) > 1 or ord(cluster) > 127 else cluster
        for ch in out:
            rep = _CHAR_MAP.get(ch, ch)
            for r in rep:
                chars.append(r)
                offs.append(base + start)
    # Collapse horizontal space runs; drop spaces at line starts and ends.
    text_chars: list[str] = []
    text_offs: list[int] = []
    k = 0
    n = len(chars)
    while k < n:
        ch = chars[k]
        if ch == " ":
            j = k
            while j < n and chars[j] == " ":
                j += 1
            at_line_start = not text_chars or text_chars[-1] == "\n"
            at_line_end = j >= n or chars[j] == "\n"
            if not at_line_start and not at_line_end:
                text_chars.append(" ")
                text_offs.append(offs[k])
            k = j
            continue
        text_chars.append(ch)
        text_offs.append(offs[k])
        k += 1
    out = "".join(text_chars)
    if not unicodedata.is_normalized("NFC", out):
        # A dropped character (a zero-width space between a letter and its
        # mark) let a mark meet its letter: compose once more.
        chars, offs2 = [], []
        for start, cluster in _clusters(out):
            for ch in unicodedata.normalize("NFC", cluster):
                chars.append(ch)
                offs2.append(text_offs[start])
        out, text_offs = "".join(chars), offs2
    return out, text_offs


def normalize_text(raw: str) -> str:
    """The normalised string alone (for rule data, queries, lexicons)."""
    if ("\n" not in raw and unicodedata.is_normalized("NFC", raw) and not _MAPPED.search(raw)
            and not _SPACE_WORK.search(raw)):
        return retone(raw)                 # a clean line: no offsets to keep (thousands of rule strings)
    return normalize(raw).text


def fold_chars(text: str) -> str:
    """:func:`fold`, one character out per character in, so offsets carry over."""
    if len(text) <= _SHORT:
        return _fold_short(text, True)
    return _fold_each(text, keep_length=True)


def fold(text: str) -> str:
    """Lower case without diacritics, đ as d: for search keys and loose matching."""
    if len(text) <= _SHORT:
        return _fold_short(text, False)
    return _fold_each(text, keep_length=False).lower()


# Short strings (unit names, places, words before a number) are folded again
# and again, a few thousand distinct ones in a whole archive: remembered.
_SHORT = 100


@lru_cache(maxsize=16384)
def _fold_short(text: str, keep_length: bool) -> str:
    out = _fold_each(text, keep_length)
    return out if keep_length else out.lower()


def _fold_each(text: str, keep_length: bool) -> str:
    """Every character through one str.translate table per mode: Latin and
    Vietnamese letters are in it from the start; any other character (dashes,
    quotes, other scripts: rare) is folded once, the first time it is met, and
    added. With ``keep_length`` a character whose fold is not one character
    stays itself."""
    table = _mode_table(keep_length)
    out = text.translate(table)
    if out.isascii():
        return out
    new = [c for c in set(text) if not c.isascii() and ord(c) not in table]
    if not new:
        return out
    for c in new:
        table[ord(c)] = _fold_one(c, keep_length)
    return text.translate(table)


def _fold_one(c: str, keep_length: bool) -> str:
    """One character's fold: the letter table's, then folded again where that left a non-ASCII character."""
    f = _fold_table().get(ord(c), c)
    if f.isascii():
        return f
    g = _fold_slow(f)
    return f if keep_length and len(g) != 1 else g


_MODE_TABLES: dict[bool, dict[int, str]] = {}


def _mode_table(keep_length: bool) -> dict[int, str]:
    table = _MODE_TABLES.get(keep_length)
    if table is None:
        table = _MODE_TABLES[keep_length] = {cp: _fold_one(chr(cp), keep_length) for cp in _fold_table()}
    return table


_FOLD_TABLE: dict[int, str] = {}


def _fold_table() -> dict[int, str]:
    """Latin, Latin-1, Latin Extended and Vietnamese letters folded, for str.translate."""
    if not _FOLD_TABLE:
        for lo, hi in ((0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)):
            for cp in range(lo, hi):
                c = chr(cp)
                f = _fold_slow(c)
                if len(f) == 1 and f != c:
                    _FOLD_TABLE[cp] = f
    return _FOLD_TABLE


def _fold_slow(text: str) -> str:
    s = unicodedata.normalize("NFD", text).replace("\u0111", "d").replace("\u0110", "D")
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()
