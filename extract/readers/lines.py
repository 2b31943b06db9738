"""Join hard-wrapped lines (PDF text, text dumps of PDFs) into paragraphs.

A line ends its paragraph when the next line opens a new item (a section
label, a bullet, "Nơi nhận"), when it is a heading in capitals, or when it
is clearly shorter than the text's full width and its sentence has ended
or the next line starts with a capital. Otherwise the next line continues
it: joined by a space, or by nothing after a hyphen glued to a word
("47/CTr-" + "SVHTTDL").
"""
from __future__ import annotations

import regex

# A line that opens a new item: "1.", "2.1.", "IV.", "a)", "-", "+", "*", "•", "Điều 5."
NEW_ITEM = regex.compile(
    r"^(?:[-+*•▪●◦–—]\s|[-+]\S"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s"
    r"|[IVXLC]{1,6}[.)]\s"
    r"|[a-zđ][.)]\s"
    r"|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+"
    r"|Nơi nhận|Kính gửi|Căn cứ|Xét đề nghị|Thực hiện\s)",
    regex.V1,
)
SENTENCE_END = regex.compile(r"(?:[.:;!?…]|\./\.|\))[\"'”]?$")
UPPER_START = regex.compile(r"^[\"'“(]?\p{Lu}")


_GLUED_HYPHEN = regex.compile(r"[\p{L}\d]-$")
_LOWER = regex.compile(r"[^\P{L}\p{Lu}]")   # a letter that is not a capital
_LETTERS3 = regex.compile(r"\p{L}(?:.*?\p{L}){2}", regex.S)


def is_caps_line(line: str) -> bool:
    return not _LOWER.search(line) and _LETTERS3.search(line) is not None


def full_width(lines: list[str]) -> int:
    lengths = sorted(len(x) for x in lines if x.strip())
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def ends_paragraph(line: str, nxt: str, width: int, caps: dict[str, bool] | None = None) -> bool:
    if NEW_ITEM.match(nxt):
        return True
    if caps is None:
        caps = {}
    for x in (line, nxt):
        if x not in caps:
            caps[x] = is_caps_line(x)
    if caps[line] or (caps[nxt] and not line.rstrip().endswith(",")):
        return True
    short = len(line) < 0.8 * width
    # the end is at most "./." and a quote: no need to try the rest of the line
    ended = SENTENCE_END.search(line, max(0, len(line) - 6)) is not None
    if ended and UPPER_START.match(nxt):
        return True
    if short and (ended or UPPER_START.match(nxt)):
        return True
    return False


def glue(left: str, right: str) -> str:
    """Join a wrapped line to the next one."""
    if _GLUED_HYPHEN.search(left, max(0, len(left) - 2)) and not left.endswith(" -"):   # its last two characters
        return left + right
    return left + " " + right


def join_lines(lines: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Join ``(line, tag)`` pairs into ``(paragraph, tag of its first line)``.

    An empty line always ends a paragraph, unless blank lines are mere
    spacing (as many as the text lines, as in text copied out of a PDF).
    """
    texts = [x.strip() for x, _ in lines]
    nonblank = sum(1 for t in texts if t)
    blank = len(texts) - nonblank
    blank_is_noise = nonblank and blank >= 0.7 * nonblank
    width = full_width(texts)
    items = [(t, tag) for t, (_, tag) in zip(texts, lines) if t or not blank_is_noise]
    caps: dict[str, bool] = {}     # is_caps_line of each line, asked for it as a line and as the next one
    out: list[tuple[str, object]] = []
    cur: str | None = None
    cur_tag = None
    for i, (line, tag) in enumerate(items):
        if not line:
            if cur is not None:
                out.append((cur, cur_tag))
                cur = None
            continue
        if cur is None:
            cur, cur_tag = line, tag
        else:
            cur = glue(cur, line)
        nxt = items[i + 1][0] if i + 1 < len(items) else ""
        if not nxt or ends_paragraph(line, nxt, width, caps):
            out.append((cur, cur_tag))
            cur = None
    if cur is not None:
        out.append((cur, cur_tag))
    return out
