"""Join hard-wrapped lines (PDF text, text dumps of PDFs) into paragraphs.

A line ends its paragraph when the next line opens a new item (a section
label, a bullet, "Nơi nhận"), when it is a heading in capitals, or when it
is clearly shorter than the text's full width and its sentence has ended
or the next line starts with a capital. Otherwise the next line continues
it: joined by a space, or by nothing after a hyphen glued to a word
("47/CTr-" + "SVHTTDL"). A bare label ("1.", "Số:", "V/v", "-") always
takes the next line.

Text copied from a legal-text website is *ragged*: the first line of each
paragraph (and each header line) is cut wherever the page's cell ended
("Tiếp theo kết quả tích cực, ý nghĩa đã đạt được của" / "Lễ khánh
thành ..."), so there a short first line says nothing about the paragraph's
end; only its last lines do. :func:`is_ragged` tells such text by its
short lines continued in lower case.
"""
from __future__ import annotations

import regex

# A line that opens a new item: "1.", "2.1.", "IV.", "a)", "(1)", "-", "+", "*", "•", "Điều 5.",
# a header's "Số:" and "V/v", a footnote's body as a web page gives it ("[1] Thông báo số ...")
NEW_ITEM = regex.compile(
    r"^(?:[-+*•▪●◦–—]\s|[-+]\S"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s"
    r"|[IVXLC]{1,6}[.)]\s"
    r"|[a-zđ][.)]\s"
    r"|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+"
    r"|[-+*•▪●◦–—]$|\(\d{1,2}\)\s|\([a-zđ]\)\s|\[\d{1,3}\](?:\s|$)|V/v\s|Số:\s"
    r"|Nơi nhận|Kính gửi|Căn cứ|Xét đề nghị|Thực hiện\s)",
    regex.V1,
)
# A label with nothing after it: its text is on the next line ("1." / "Hàng hóa ...",
# "Số:" / "37698/TB-CHQ", "V/v" / "Chính sách thuế", "Kính" / "gửi:", "TL." / "CỤC TRƯỞNG").
BARE_LABEL = regex.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)]|[IVXLC]{1,6}[.)]|[a-zđ][.)]|\(\d{1,2}\)|\[\d{1,3}\]|[-+*•▪●◦–—]"
    r"|(?i:V/v|Về)|Số:?|Kính|Điều\s+\d+\.?|TM\.|KT\.|TL\.|TUQ\.)$",
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


def is_ragged(lines: list[str], width: int | None = None) -> bool:
    """Whether short lines are cut anywhere (text of a web page's cells): some
    lines clearly shorter than the full width, not ending a sentence, go on
    in lower case on the next line. Text wrapped at a fixed width has none."""
    if width is None:
        width = full_width(lines)
    nonblank = cut = 0
    for line, nxt in zip(lines, lines[1:]):
        if not line:
            continue
        nonblank += 1
        if nxt and len(line) < 0.8 * width and _LOWER.match(nxt) and not SENTENCE_END.search(line):
            cut += 1
    return cut >= 2 and cut >= 0.02 * max(nonblank, 1)


def ends_paragraph(line: str, nxt: str, width: int, caps: dict[str, bool] | None = None,
                   first_cut: bool = False) -> bool:
    """Whether ``line`` ends its paragraph before ``nxt``. ``first_cut``: the line
    opens its paragraph in ragged text, so its length means nothing."""
    if NEW_ITEM.match(nxt):
        return True
    if BARE_LABEL.match(line):
        # a "Số:" takes only its code: a PDF may set the place and date under it
        return line.startswith("Số") and not regex.match(r"[\d/.]", nxt)
    if caps is None:
        caps = {}
    for x in (line, nxt):
        if x not in caps:
            caps[x] = is_caps_line(x)
    # the end is at most "./." and a quote: no need to try the rest of the line
    ended = SENTENCE_END.search(line, max(0, len(line) - 6)) is not None
    if caps[line] or (caps[nxt] and not line.rstrip().endswith(",")):
        # an acronym alone on its line ends a cut sentence ("V/v thuế suất thuế" / "GTGT")
        return not (first_cut and not caps[line] and not ended and " " not in nxt)
    short = len(line) < 0.8 * width and not first_cut
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


def join_lines(lines: list[tuple[str, object]], ragged: bool | None = False) -> list[tuple[str, object]]:
    """Join ``(line, tag)`` pairs into ``(paragraph, tag of its first line)``.

    An empty line always ends a paragraph, unless blank lines are mere
    spacing (as many as the text lines, as in text copied out of a PDF).
    ``ragged``: whether first lines are cut anywhere (None: tell from the text).
    """
    texts = [x.strip() for x, _ in lines]
    nonblank = sum(1 for t in texts if t)
    blank = len(texts) - nonblank
    blank_is_noise = nonblank and blank >= 0.7 * nonblank
    width = full_width(texts)
    if ragged is None:
        ragged = is_ragged(texts, width)
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
        first = cur is None
        if first:
            cur, cur_tag = line, tag
        else:
            cur = glue(cur, line)
        nxt = items[i + 1][0] if i + 1 < len(items) else ""
        if not nxt or ends_paragraph(line, nxt, width, caps, first_cut=ragged and first):
            out.append((cur, cur_tag))
            cur = None
    if cur is not None:
        out.append((cur, cur_tag))
    return out
