"""The unit a heading names: "2.1. Văn phòng Sở", "1. Đối với các chủ đầu
tư:", "Điều 12. Trách nhiệm của Sở Tài chính", "3. Giao Sở Xây dựng"; the
items under it are that unit's tasks.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .units import DOMAIN_END, MANDATE, _lex, clean_unit, extend_relative, is_unit_name, unit_at

_PLURAL = regex.compile(r"(?:các|những|mọi)\s", regex.I)
# Headings that name the unit whose duties follow.
_DUTY_OF = regex.compile(
    r"^(?:(?:trách nhiệm|nhiệm vụ|quyền hạn|nghĩa vụ|chức năng)(?:\s*(?:,|và)\s*(?:trách nhiệm|nhiệm vụ|quyền hạn|nghĩa vụ|quyền))*"
    r"(?:\s+(?:cụ thể|thực hiện|chủ yếu|chính))?\s+(?:của|đối với)\s+|đối với\s+|giao\s+(?:cho\s+)?|phân công\s+(?:cho\s+)?|"
    r"(?:kiến nghị|đề nghị|đề xuất|yêu cầu)(?:\s+(?:với|đối với))?\s+(?=\p{Lu}|các\s))(?P<u>.+)$",
    regex.I)
# what follows a unit's name in "Giao X ..." when it is the work, not more of the name
_WORK_FOLLOWS = regex.compile(r"(?:chủ trì|tổ chức|triển khai|thực hiện|xây dựng|tham mưu|hướng dẫn|theo dõi|giám sát|"
                              r"chỉ đạo|nghiên cứu|rà soát|kiểm tra|phối hợp|quy định|ban hành|báo cáo|có trách nhiệm|chịu trách nhiệm)(?!\p{L})", regex.I)
# "Giao X chịu trách nhiệm:", "... có trách nhiệm thực hiện các nội dung sau": the items under it are X's
_DUTIES_FOLLOW = regex.compile(r"^(?:có|chịu) trách nhiệm(?: thực hiện)?(?: (?:các|một số) (?:nội dung|nhiệm vụ)(?: cụ thể)?)?(?: (?:như )?sau)?\s*:?\s*$", regex.I)
_TAIL = regex.compile(r"\s*(?:\(.*\))?\s*[:.]?\s*$")


@lru_cache(maxsize=8192)
def heading_unit(heading: str) -> str | None:
    """The unit a heading names, else None."""
    h = " ".join(heading.split())
    h = _TAIL.sub("", h)
    if not h or len(h.split()) > 40:
        return None
    m = _DUTY_OF.match(h)
    if m:
        rest = m.group("u")
        span = unit_at(rest, 0, subject=True)
        if span is None:
            # "Đối với các tổ chức, doanh nghiệp hoạt động trong lĩnh vực ..." is a name as a whole
            words = rest.split()
            named = any(unit_at(" ".join(words[i:]), 0) for i in range(1, min(4, len(words))))
            return clean_unit(rest) if len(words) <= 25 and named and _PLURAL.match(rest) else None
        end = extend_relative(rest, span[1], to_end=True)
        tail = MANDATE.sub("", rest[end:].lstrip(" ,"))
        if _WORK_FOLLOWS.match(tail) and not _DUTIES_FOLLOW.match(tail):
            return None        # "Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết.": the work follows, a task
        if end >= len(rest.rstrip(" .")) or len(rest.split()) <= 25 and ". " not in rest and is_unit_name(rest):
            # "Đối với các tổ chức, doanh nghiệp hoạt động trong lĩnh vực ...": such a heading is a name whole
            return clean_unit(rest)
        if tail.strip(" .:") and not _DUTIES_FOLLOW.match(tail):
            return None        # "Giao Văn phòng Sở tổng hợp, báo cáo ...": what follows the name is its work
        return clean_unit(rest[:end])
    span = unit_at(h, 0)
    if span and span[1] >= len(h.rstrip(" .")):
        return clean_unit(h)
    if span and _lex()[6].match(h, span[1]):
        return clean_unit(h[:span[1]])   # "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": the unit, its role after the dash
    if span and DOMAIN_END.search(h, 0, span[1] + 1) and not regex.search(r"[,;:]", h[span[1]:]) \
            and len(h[span[1]:].split()) <= 8:
        return clean_unit(h)   # "Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội": the field is part of the name
    return None



def is_unit_heading(heading: str) -> str | None:
    """The unit a heading names ("Văn phòng Sở", "Giao Sở Xây dựng"), else None."""
    return heading_unit(heading)
