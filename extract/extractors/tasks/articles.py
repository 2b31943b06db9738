"""Decisions and regulations: the article that names who executes the
document ("Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Công Thương, ...
chịu trách nhiệm thi hành Quyết định này") is one task of those units, named
as the document names them. Duties under "Điều 12. Trách nhiệm của Sở Tài
chính" are that unit's tasks (see :mod:`.headings`).
"""
from __future__ import annotations

import regex

from .units import clean_unit

# The clause that says so; the units are what stands before it in the same
# sentence (no "." or ":"), at most 600 characters. Found clause first: a
# pattern that tried every start of the paragraph for the units cost a
# paragraph's length times 600.
_CLAUSE = regex.compile(
    r"\s+(?:chịu|có)\s+trách\s+nhiệm\s+(?:thi\s+hành|tổ\s+chức\s+thực\s+hiện|"
    r"triển\s+khai\s+thực\s+hiện|tổ\s+chức\s+triển\s+khai|thực\s+hiện)\s+(?:các\s+)?(?:Quyết định|Chỉ thị|Quy chế|"
    r"Quy định|Kế hoạch|Thông báo|Nghị quyết|Công văn|văn bản|Hướng dẫn|Điều lệ)"
    # "... và các tổ chức, cá nhân liên quan căn cứ Quyết định thi hành./."
    r"|\s+căn\s+cứ\s+(?:Quyết định|Chỉ thị|Nghị quyết|Kế hoạch|Thông báo)(?:\s+này)?\s+(?:thi\s+hành|thực\s+hiện)",
    regex.I)
# the executing article lists every body the decision concerns: longer than a unit's name
_MAX_WORDS = 100
_MEMBERS_OF = regex.compile(r"(?:(?:các|Giám đốc|Bộ trưởng|Thủ trưởng|Chủ tịch)\s+(?:các\s+)?(?:Sở|Bộ|sở|bộ|cơ quan|đơn vị|Ủy ban nhân dân|UBND)"
                            r"(?:\s+[^\s:]+){0,3}|(?<![^\s;,])(?:Giám đốc|Thủ trưởng|Chủ tịch|Bộ trưởng))\s*$")
_TITLE = regex.compile(r"\s*(?:Tổ chức thực hiện|Điều khoản thi hành|Hiệu lực thi hành|Trách nhiệm thi hành|Thi hành)\s+(?=\p{Lu})")
_ARTICLE = regex.compile(r"^Điều\s+\d+[.:]?\s*", regex.I)


def execution(text: str) -> tuple[str, int] | None:
    """(units, offset of the clause) when ``text`` says who executes the document."""
    if "trách nhiệm" not in text and "thi hành" not in text and "thực hiện" not in text:
        return None          # the usual case, and a cheap test before a slow expression
    t = _ARTICLE.sub("", text)
    shift = len(text) - len(t)
    for m in _CLAUSE.finditer(t):
        end = m.start()
        stop = max(t.rfind(".", 0, end), t.rfind(":", 0, end))
        while stop > 0 and t[stop] == ":" and _MEMBERS_OF.search(t, max(0, stop - 40), stop):
            # "Giám đốc các Sở: Tư pháp, Nông nghiệp và Môi trường; ...": the colon lists members of the name
            stop = max(t.rfind(".", 0, stop), t.rfind(":", 0, stop))
        start = max(stop + 1, end - 600)
        if end - start >= 4:
            break
    else:
        return None
    units = t[start:end]
    # "Quyết định này có hiệu lực từ ngày ký. Chánh Văn phòng ..." : the last sentence
    cut = max(units.rfind(". "), units.rfind("./"))
    if cut >= 0:
        start += cut + 2
        units = units[cut + 2:]
    # the article's own title run into its sentence by a copy: "Tổ chức thực hiện Chánh Văn phòng ..."
    t_ = _TITLE.match(units)
    if t_:
        start += t_.end()
        units = units[t_.end():]
    lead = len(units) - len(units.lstrip())
    u = clean_unit(units, max_words=_MAX_WORDS)
    if not u:
        return None
    return u, shift + start + lead
