"""Units named in a task's own sentence.

- an assignment: "Giao Sở Xây dựng chủ trì ...", "..., đề nghị Bộ Nông
  nghiệp và Môi trường xem xét, hướng dẫn ...", "Yêu cầu UBND các xã ...";
- a subject: "Bộ Công an chủ trì, phối hợp với ...", "UBND huyện Trà Bồng
  khẩn trương ...", "Trong thời gian tới, Tỉnh tổ chức ...";
- a unit and a colon: "Sở Tài chính: chủ trì ...".
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ... import ruleset as rules
from ...literals import alternation
from .nontask import is_past_predicate
from .units import _lex, clean_unit, extend_relative, head_at, unit_at


@dataclass
class Named:
    unit: str
    start: int          # offsets of the unit's name in the text given
    end: int
    how: str            # assign | subject | colon
    strong: bool = True  # "Giao X" (X does it) rather than "Yêu cầu X" inside a unit's own list
    word: int = 0        # assign: where the assigning word stands


@lru_cache(maxsize=None)
def _assign_re():
    d = rules.load("tasks.yaml")
    words = alternation(d["assign_words"])
    before = sorted(d["not_assign_before"], key=len, reverse=True)
    strong = tuple(w.lower() for w in d["strong_assign_words"])
    return (regex.compile(r"(?<![\p{L}])(?P<w>" + words + r")(?!\s+(?:ban|thông|dịch|nhận|lưu|thoa|tiếp|kết|khoán|đất|rừng|nộp)\b)\s+(?:cho\s+)?(?:(?:các\s+)?đồng chí\s+)?", regex.I),
            regex.compile(r"(?:^|[\s,(])(?:" + alternation(before) + r")\s*$", regex.I), strong)


# A sentence's opening adverbial before its subject: "Trong thời gian tới, ",
# "Trên cơ sở kết quả khảo sát, ", "Về dự án X: ".
_LEAD = regex.compile(
    r"^(?:(?:Về|Đối với|Riêng)\s[^:]{3,200}:\s*"
    r"|(?:Trong|Trên cơ sở|Căn cứ|Đồng thời|Ngoài ra|Bên cạnh đó|Để|Nhằm|Sau khi|Trường hợp|Khi|Định kỳ|Hằng|Hàng|"
    r"Theo đó|Do đó|Vì vậy|Từ|Qua|Thứ\s+\S+|Tiếp theo|Trước mắt|Lâu dài|Riêng|Nội dung này|Đối với)\b[^,:;.()]{0,120},\s*)")
# a conditional lead-in is a whole clause: the subject after it may be lower case
# ("Khi các thành viên có sự thay đổi về nhân sự, cơ quan cử nhân sự có trách nhiệm ...")
_LEAD_WORD = regex.compile(r"(?:Trong|Trên cơ sở|Căn cứ|Để|Nhằm|Sau khi|Trường hợp|Khi|Theo|Đối với|Riêng|Qua|Từ)\b")
_THEN = regex.compile(r",?\s+thì\s+")
_COMMA_CAP = regex.compile(r",\s+(?=\p{Lu})")
_WEAK_STOP = regex.compile(r"\s*(?:theo(?!\s+(?:dõi|chức năng|nhiệm vụ|thẩm quyền))|trong|tại|về|đối với|trên|để|khi|sau|được|có(?!\s+trách nhiệm)|là|thì|nếu|cùng|nhằm|đã|sẽ|đang)(?!\p{L})")
_COMRADE = regex.compile(r"(?:các\s+)?đồng chí\s+", regex.I)
_CONDITION = regex.compile(r"(?:Khi|Trường hợp|Nếu|Sau khi|Trong quá trình|Trong trường hợp)\b", regex.I)
_COPULA = regex.compile(r"^\s*,?\s*(?:là|của|thì|và|do|được|bị|với|đối với|tại|trong|gồm|có\s+(?!trách nhiệm|văn bản|ý kiến|kế hoạch))\b", regex.I)


# "... đã có Văn bản số 8091/BNV-TCBC ngày 17/9/2025 đề nghị các Bộ ...": what a cited document asked
_CITED_BEFORE = regex.compile(r"(?i:văn bản|công văn|tờ trình|báo cáo|quyết định|kế hoạch|thông báo|công điện)\s+số\s+\S+"
                              r"(?:\s+ngày\s+\d{1,2}(?:/\d{1,2}/\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?(?:\s+(?:của|do)\s+[^,.;]{3,60})?\s*$")


@lru_cache(maxsize=None)
def _bare_re():
    return regex.compile(r"(?:" + alternation(rules.load("units.yaml")["bare_addressees"]) + r")(?=\s)")


def _bare_addressee(text: str, pos: int) -> tuple[int, int] | None:
    """"Đề nghị Công ty nghiên cứu ...": a bare word that names the letter's
    addressee, when the work follows it at once."""
    m = _bare_re().match(text, pos)
    if m is None or _lex()[2].match(text, m.end()) is None:
        return None
    return pos, m.end()


def assignment(text: str, limit: int | None = None) -> Named | None:
    """The first unit that an assignment word hands work to in ``text``."""
    word_re, before_re, strong = _assign_re()
    end = len(text) if limit is None else min(len(text), limit)
    for m in word_re.finditer(text, 0, end):
        if before_re.search(text[max(0, m.start() - 30):m.start()]) or _CITED_BEFORE.search(text, max(0, m.start() - 90), m.start()):
            continue
        span = unit_at(text, m.end())
        if span is None:
            span = _bare_addressee(text, m.end())
        if span is None:
            continue
        span = (span[0], extend_relative(text, span[1]))
        unit = clean_unit(text[span[0]:span[1]])
        if unit:
            return Named(unit, span[0], span[1], "assign", m.group("w").lower() in strong, m.start())
    return None


def subject(text: str) -> Named | None:
    """The unit that is the subject of the sentence opening ``text``, when
    what follows it is work ("chủ trì", "khẩn trương", "có trách nhiệm")."""
    starts = [0]
    lead = _LEAD.match(text)
    led = bool(lead and (text[lead.end():lead.end() + 1].isupper() or _CONDITION.match(text)))
    if led:
        # after a lead-in the subject is a capitalised name; a lower-case word
        # there means the comma cut a list ("Căn cứ ý kiến của các cơ quan, đơn vị liên quan, ...")
        starts.append(lead.end())
    if _CONDITION.match(text):
        # "Trường hợp ... thì Sở, ngành quản lý ngành, lĩnh vực ... rà soát ...": the subject after "thì"
        m = _THEN.search(text, 0, 400)
        if m:
            starts.append(m.end())
    if _LEAD_WORD.match(text):
        # a lead-in holding commas of its own ("Trên cơ sở đề nghị của các Bộ, cơ quan liên quan,
        # Bộ Tài chính ...", "Trường hợp cần điều chỉnh danh mục hàng hóa, dịch vụ, Ủy ban nhân
        # dân cấp xã ..."): the subject is the first capitalised name after one of its commas
        starts.extend(m.end() for m in _COMMA_CAP.finditer(text, 0, 300) if m.end() not in starts)
    for start in starts:
        pos = start
        dc = _COMRADE.match(text, pos)
        if dc:
            pos = dc.end()
        span = unit_at(text, pos, subject=True)
        if span is not None:
            span = (span[0], extend_relative(text, span[1]))
            rest = text[span[1]:span[1] + 60]
            stopped = _lex()[2].match(" " + rest.lstrip(" ,")) is not None
            if not stopped or _COPULA.match(rest) or is_past_predicate(rest) \
                    or (start > 0 and _WEAK_STOP.match(rest)):
                # after a lead-in, a name followed by "theo", "tại" ... is still inside the lead-in
                span = None
        if span is None:
            span = duty_subject(text, pos)
        if span is None:
            continue
        unit = clean_unit(text[span[0]:span[1]])
        if unit:
            return Named(unit, span[0], span[1], "subject")
    return None


# A regulation's duty: "Tổ chức, cá nhân kinh doanh hàng hóa, dịch vụ có trách nhiệm chấp
# hành ...", "Đối tượng kiểm tra có trách nhiệm ...": all that stands before "có trách
# nhiệm" is the subject, though its words would end a name elsewhere ("dịch vụ", "kiểm tra").
_DUTY = regex.compile(r"\s(?:có|chịu)\s+trách\s+nhiệm(?!\s+(?:của|về|trước|pháp lý)(?!\p{L}))(?=\s+\p{Ll})")
_DUTY_BREAK = regex.compile(r"[.;:()\"“”\n]|\s(?:thì|nếu|khi|là)\s")
_DUTY_WORDS = 25


@lru_cache(maxsize=None)
def _duty_heads():
    return regex.compile(r"(?:" + alternation(rules.load("units.yaml")["duty_subject_heads"]) + r")(?=\s)")


def duty_subject(text: str, pos: int = 0) -> tuple[int, int] | None:
    """The span of a duty's subject opening ``text`` at ``pos``: a unit's
    head word (or a duty's: "Đối tượng", "Người") and every word up to "có
    trách nhiệm", within one clause and a bounded length."""
    if head_at(text, pos) is None and _duty_heads().match(text, pos) is None:
        return None
    m = _DUTY.search(text, pos, min(len(text), pos + 240))
    if m is None or _DUTY_BREAK.search(text, pos, m.start()) or len(text[pos:m.start()].split()) > _DUTY_WORDS:
        return None
    return pos, m.start()


_COLON = regex.compile(r"^(?P<u>[^:]{2,160}):\s*")


def unit_colon(text: str) -> Named | None:
    """"Sở Tài chính: chủ trì ..." or a heading "2.1. Văn phòng Sở:"."""
    m = _COLON.match(text)
    if not m:
        return None
    name = m.group("u").strip()
    span = unit_at(name, 0)
    if span and span[1] >= len(name.rstrip(" .")):
        unit = clean_unit(name)
        if unit:
            return Named(unit, 0, len(name), "colon")
    return None
