"""Stable task ids: the same task of the same document keeps its id across
re-runs and extractor versions, so an office's register can follow it.

A task's id is a digest of three things, never of its position:

- **the document's identity** (:func:`document_identity`). A document with a
  số ký hiệu is that number, its issuing body (and the body above it: every
  province has a "Sở Văn hóa, Thể thao và Du lịch" and an "SVHTTDL") and its
  year: Nghị định 30/2020 numbers an issuer's documents afresh each calendar
  year, so the three name one document whatever file holds it. The .docx
  draft and the signed PDF of one công văn, a copy in another folder, a
  renamed file: one identity. The year, not the whole date, so a day read
  differently (an OCR'd date line) does not move every id.
  A document without a number (a draft, an unissued copy) is its text: the
  words of its normalised text, folded. Not the file's sha256: Word, or an
  office re-saving a file, rewrites the bytes (zip dates, revision ids) but
  not the text, and the office's statuses must survive that. Not its path:
  archives are reorganised and files renamed. The words only (no spaces,
  dashes or line breaks), so a change in how a reader joins lines or
  normalisation spells a dash leaves it alone. A draft whose wording is
  edited is another version: its tasks get new ids (the register shows the
  old ones as no longer found and the new ones as new), and so does a draft
  once it is numbered, or one a later reader reads more or fewer words of
  (footnote marks, a table): an unnumbered document is as stable as its text.
- **the task's unit**: the canonical name when the alias table knows it
  ("VP Sở" and "Văn phòng Sở" are one unit), else the name as written; its folded words.
- **the task's wording**: its words folded (lower case, no diacritics,
  đ → d), without the item's label ("2.1.", "a)", "-"), spacing or
  punctuation, which extractors have cut differently over time.

Two tasks of one document with the same unit and wording (a "Báo cáo kết quả
về Sở" under two headings) are told apart by their rank among those twins,
the only place order counts.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable

import regex


ID_PREFIX = "t"          # "t" + hex: never read as a number by a spreadsheet ("1e5...")
ID_HEX = 12              # 48 bits: a collision once in ~16 million million pairs
ID_PATTERN = regex.compile(rf"{ID_PREFIX}[0-9a-f]{{{ID_HEX}}}")

_ASCII_WORDS = re.compile(rb"[0-9a-z]+")
_MARKS = re.compile("[\u0300-\u036f]+")
_LABEL = regex.compile(r"^\s*(?:[-+*•–]+\s*|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zđ]|[ivxlc]{1,6})[.)]\s*)+", regex.I)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def words_key(text: str | None) -> str:
    """The folded words of ``text`` (lower case, no diacritics, đ → d), one
    space apart: punctuation, dashes and line breaks do not count.

    A whole document's text goes through here, so the folding is done by the
    standard library in C (decompose, drop the combining marks; any other
    character not ASCII becomes a separator): twice as fast as ``fold`` and
    the same words on the corpus (tested)."""
    t = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return b" ".join(_ASCII_WORDS.findall(_MARKS.sub("", t).encode("ascii", "replace"))).decode("ascii")


def task_wording(text: str | None) -> str:
    """A task's wording as its id sees it: the item's label off, then its
    folded words (punctuation and spacing do not count)."""
    return words_key(_LABEL.sub("", text or "", count=1))


def document_identity(*, number: str | None, issuer: str | None, issuer_parent: str | None,
                      date: str | None, text: str | None) -> str:
    """``so:...`` for a numbered document (number, issuer, year), else ``text:`` and the digest of its words."""
    key = words_key(number)
    # "Số: /TB-SCT" (a blank number) names no document; a real one has digits.
    if key and any(ch.isdigit() for ch in key):
        year = (date or "")[:4]
        return "so:" + "|".join((key, words_key(issuer_parent), words_key(issuer), year))
    return "text:" + _digest(words_key(text))[:32]


def task_ids(identity: str, tasks: Iterable[tuple[str | None, str | None]]) -> list[str]:
    """Ids for one document's tasks, given as (text, unit) pairs in document order."""
    out, seen = [], {}
    for text, unit in tasks:
        key = (words_key(unit), task_wording(text))
        n = seen[key] = seen.get(key, 0) + 1
        out.append(ID_PREFIX + _digest(identity, key[0], key[1], str(n))[:ID_HEX])
    return out


def assign(ex) -> None:
    """Give every task of an :class:`~extract.model.Extraction` its id."""
    if not ex.tasks:
        return                       # most documents assign nothing: their text is not read again
    doc, h = ex.document, ex.document.header
    ident = document_identity(number=h.number, issuer=h.issuer, issuer_parent=h.issuer_parent,
                              date=h.date, text=doc.text)
    for t, i in zip(ex.tasks, task_ids(ident, ((t.text, t.unit_canonical or t.unit) for t in ex.tasks))):
        t.id = i
