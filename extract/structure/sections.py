"""The body as a section tree: "I.", "1.", "2.1.", "a)", "(1)", "-", "+", "Điều 5.".

Levels are not fixed by label kind: documents nest them in different
orders, so a stack keeps the kinds seen so far. A label whose kind is on
the stack closes everything below it (a sibling); a new kind opens a child.
Two exceptions keep a stray label from bending the tree: a part "I." is
never inside a "(2)" or "-" met above it, and a list that starts again at
its first item ("(1)", "a)") under an item of another kind is that item's.
"""
from __future__ import annotations

import regex

from ..model import Document, Section

LABEL = regex.compile(
    r"^(?:(?P<article>(?:Điều|Chương|Mục|Phần)\s+(?:\d+|[IVXLC]+)[.:]?)"
    r"|(?P<roman>[IVXLC]{1,6})[.)](?=\s)"
    r"|(?P<arabic>\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\)|(?=\s\p{Lu}))(?=\s)"
    r"|(?P<letter>[a-zđ])[.)](?=\s)"
    r"|(?P<paren>\((?:\d{1,2}|[a-zđ]|[ivx]{1,4})\))(?=\s)"
    r"|(?P<bullet>[-+*•▪●◦])(?=\s?\S))",
)


# the first item of a list: "(1)", "(a)", "(i)", "a)", "a."
_FIRST = regex.compile(r"^\(?(?:1|a|i)[.)]$")


def label_of(text: str):
    """(kind key, label) of a paragraph's leading label, or None."""
    m = LABEL.match(text)
    if not m:
        return None
    if m.group("article"):
        word = m.group("article").split()[0]
        return f"article:{word}", m.group("article")
    if m.group("roman"):
        # A single letter I/V/X/L/C could be a letter label in a lettered list.
        return "roman", m.group(0)
    if m.group("arabic"):
        depth = m.group("arabic").count(".") + 1
        return f"arabic{depth}", m.group(0)
    if m.group("letter"):
        return "letter", m.group(0)
    if m.group("paren"):
        return "paren", m.group("paren")
    return f"bullet{m.group('bullet')}", m.group("bullet")


def _kind(key: str) -> str:
    for k in ("article", "roman", "arabic", "letter", "paren", "bullet"):
        if key.startswith(k):
            return k
    return key


def parse_sections(doc: Document) -> list[Section]:
    """The sections of the body and of a text issued with it (its ids prefixed "PL/")."""
    end = doc.body_end if doc.body_end is not None else len(doc.text)
    sections = _parse(doc, doc.header.body_start, end, "")
    if doc.appendix_start is not None:
        foot = min((b.start for b in doc.blocks if b.kind == "footnote" and b.start >= doc.appendix_start),
                   default=len(doc.text))
        sections += _parse(doc, doc.appendix_start, foot, "PL/")
    return sections


def _parse(doc: Document, start: int, end: int, prefix: str) -> list[Section]:
    stack: list[tuple[str, Section]] = []
    sections: list[Section] = []
    used: dict[str, int] = {}
    for b in doc.blocks:
        if b.kind != "para" or b.start < start or b.start >= end:
            continue
        text = doc.text[b.start:b.end]
        lab = label_of(text)
        if not lab:
            continue
        key, label = lab
        # Arabic labels under a roman one must not be mistaken for siblings of
        # a deeper arabic level: "2." closes "1.1." as well.
        if key in ("paren", "letter") and _FIRST.match(label) and stack and stack[-1][0] != key \
                and not stack[-1][0].startswith("bullet") and any(k == key for k, _ in stack):
            pass      # a list starting again at its first item under another item is that item's list
            # (a dash is the lowest level: "a)" after a dash starts a list of its own, as before)
        elif key == "roman" and stack and not any(k == key or k.startswith("article") for k, _ in stack):
            stack.clear()    # "I." is a part of the document: a stray "(2)" or "-" above it holds nothing of it
        elif any(k == key for k, _ in stack):
            while stack and stack[-1][0] != key:
                stack.pop()
            stack.pop()
        elif key.startswith("arabic"):
            depth = int(key[6:])
            while stack and stack[-1][0].startswith("arabic") and int(stack[-1][0][6:]) >= depth:
                stack.pop()
        parent = stack[-1][1] if stack else None
        clean = label.strip("()") if key == "paren" else label.rstrip(".):").strip()
        base = clean if _kind(key) != "bullet" else "-"
        sid = f"{parent.id}/{base}" if parent else prefix + base
        used[sid] = used.get(sid, 0) + 1
        if _kind(key) == "bullet":
            sid = f"{sid}{used[sid]}"             # "-1", "-2": no label of its own
        elif used[sid] > 1:
            sid = f"{sid}#{used[sid]}"            # a list numbered again from 1: "1#2", never "12"
        first_line = text.split("\n", 1)[0]
        sec = Section(id=sid, label=label, kind=_kind(key), level=len(stack) + 1,
                      heading=first_line[len(label):].strip(), parent=parent.id if parent else None,
                      start=b.start, end=end, heading_end=b.start + len(first_line), page=b.page)
        sections.append(sec)
        stack.append((key, sec))
    # A section ends where the next one at its level or above begins: one
    # pass with a stack of the sections still open.
    open_: list[Section] = []
    for s in sections:
        while open_ and open_[-1].level >= s.level:
            open_.pop().end = s.start
        open_.append(s)
    return sections
