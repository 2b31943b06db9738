"""Where a unit's name begins and ends, in one place.

A unit is a name: an organisation or body ("Sở Tài chính", "UBND các xã,
phường", "Các Sở, ban, ngành"), or an office holder ("Giám đốc Sở Công
Thương", "Chủ tịch Ủy ban nhân dân các xã"). It opens with a head word of
``rules/units.yaml`` and runs until the work begins: a verb of the stop list
("Bộ Công an chủ trì, ..."), a colon, a parenthesis, the end of the sentence.
It holds no document code or date and never opens with "của", "đối với",
"tại". Several units joined by commas or "và" stay one name as written ("Bộ
Y tế, Bộ Công an"); :func:`split_units` takes them apart.
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from ... import ruleset as rules
from ...literals import alternation
from ...normalize import fold

_LIST_SEP = regex.compile(r",\s*|;\s*|\s+và\s+|\s*/\s*")
_WORDS_SEP = regex.compile(r"[\s,;]+")


@lru_cache(maxsize=None)
def _lex():
    d = rules.load("units.yaml")
    heads = d["unit_heads"]
    # a trie of literal head words: the standard library's engine compiles it
    # several times faster than regex (a worker's start-up) and matches it as fast
    head_re = re.compile(r"(?:" + alternation(heads) + r")(?=[\s,/:;.)]|$)", re.I)
    subject_re = regex.compile(r"(?:" + alternation(d["subject_heads"]) + r")(?=\s)")
    stops = d["unit_stops"]
    # a stop does not end a name inside a phrase of names ("đầu tư xây dựng"), nor
    # before "liên quan" ("các cơ quan có liên quan") or a noun it makes ("giao thông")
    keep = alternation(d["name_phrases"])
    stop_re = regex.compile(r"(?<!(?<!\p{L})(?:[cC]ác|[nN]hững|[mM]ọi|Ban))\s(?!(?:" + keep + r")(?!\p{L}))(?:" + alternation(stops) +
                            r")(?=[\s,.:;]|$)(?!\s+(?:liên quan|thông|dịch|nhận|lưu|ban\b))")
    not_units = tuple(sorted((x.lower() for x in d["not_unit_openings"]), key=len, reverse=True))
    aliases = {fold(k): v for k, v in d["aliases"].items()}
    # a capitalised verb, then a comma or a lower-case word: the work, glued on by a copy
    cap_stop_re = regex.compile(r"\s(?:" + alternation(d["capital_stops"]) + r")(?=,|\s+\p{Ll})")
    # "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": the role after the dash is no part of the name
    appos_re = regex.compile(r"\s[-–]\s(?:" + alternation(d["apposition_openings"]) + r")(?!\p{L})", regex.I)
    return head_re, subject_re, stop_re, not_units, aliases, cap_stop_re, appos_re


# What a name never holds: a document code, a date, a number of things.
_CODE = regex.compile(r"\d+\s*/\s*\p{L}|\bsố\s+\d+\s*/|\d{1,2}/\d{1,2}/\d{2,4}|\bngày\s+\d")
_LEADING = regex.compile(r"^(?:của|đối với|tại|cho|với|và|các đồng chí|đồng chí|ông|bà)\s+", regex.I)
_TRAIL = regex.compile(r"(?:[\s,;/-]+|\s+(?:và|các|của|cho|với|theo|có|để|tại|trong|cùng|hoặc|đã|sẽ|đang)|(?<!trực)\s+thuộc)+$", regex.I)
# a name's abbreviation in parentheses stays with it: "Đài Truyền hình Việt Nam (VTV) chủ trì"
_END = regex.compile(r"[:\n\[]|\((?!\p{Lu}[\p{Lu}\d&-]{1,12}\))|\.(?:\s|$)|\s[-–]\s(?!\p{Lu}|xã hội|nghề nghiệp)")
# A list goes on past a comma or "và" only into another unit ("Sở A, Sở B")
# or the words that pluralise one ("UBND các xã, phường", "Các Sở, ban, ngành").
_LIST_WORDS = regex.compile(
    r"(?:ban|ngành|đơn vị|địa phương|phường|xã|đặc khu|thị trấn|thành phố|huyện|quận|thị xã|tỉnh|"
    r"cơ quan|tổ chức|cá nhân|doanh nghiệp|hội|đoàn thể|cấp|sở|bộ|phòng|trung tâm|"
    r"trường|đơn vị sự nghiệp|lực lượng|nhà thầu|chủ đầu tư|hộ gia đình|người dân|cơ sở|ngành liên quan|"
    r"lĩnh vực|chính quyền|mặt trận|tổ chức đảng|phụ trách|đại biểu|tổ đại biểu)\b",
    regex.I)
MAX_WORDS = 40
_PLURAL = regex.compile(r"(?:các|những|mọi|toàn thể)\s+", regex.I)
# Head words that name no unit when they stand alone.
_BARE = frozenset(fold(x) for x in (
    "tổ chức", "cá nhân", "cơ quan", "đơn vị", "cơ sở", "lực lượng", "cán bộ", "công chức", "thành viên",
    "hội", "đoàn", "đội", "tổ", "phòng", "ban", "sở", "bộ", "cục", "trưởng", "báo", "đài", "thuế", "quỹ",
    "viện", "trường", "ủy ban", "thường trực", "cấp", "các cấp", "doanh nghiệp", "chính quyền", "đảng ủy",
    "ủy viên", "các bộ", "các ngành", "các đơn vị", "các cơ quan", "các sở", "các phòng", "các ban",
    "các tổ chức", "chủ tịch", "giám đốc", "lãnh đạo", "thủ trưởng", "bộ trưởng", "tổng công ty", "công ty"))


# "Tổ chức" names a body only before what says which ("Tổ chức, cá nhân", "Tổ chức
# chính trị - xã hội", "Tổ chức tín dụng"); before anything else it is the verb.
_BODY_AFTER_TO_CHUC = regex.compile(
    r"\s*(?:[,;/]|$|\s*và\s|\s*(?i:cá nhân|chính trị|xã hội|đoàn thể|đảng|kinh tế|tín dụng|hội|sự nghiệp|phi chính phủ|"
    r"quốc tế|nước ngoài|đại diện|dịch vụ|kinh doanh|hành nghề|tư vấn|được|có|liên quan|thành viên|công đoàn|khoa học|"
    r"giáo dục|y tế|tài chính|ngân hàng|bảo hiểm|kiểm định|chứng nhận|sản xuất|nhà nước|trong nước|khác|này|đó|"
    r"người|thuộc|tham gia|sử dụng|quản lý|chủ quản|cấp|hoạt động|của|ở|tại|trên|nêu|đăng ký)(?!\p{L})|\s*\p{Lu})")


# "bộ, ngành, địa phương", "sở, ban, ngành": a lower-case head word opening a list of kinds of bodies
_PLURAL_LIST = regex.compile(r",\s*(?:ngành|ban|cơ quan|địa phương|đơn vị|đoàn thể)(?!\p{L})")


def head_at(text: str, pos: int = 0):
    """The head word match opening a unit's name at ``pos``, or None."""
    head_re, not_units = _lex()[0], _lex()[3]
    m = head_re.match(text, pos)
    plural = False
    if m is None:
        q = _PLURAL.match(text, pos)
        if q:
            # "các Ủy viên Ban Chỉ đạo", "các phòng chuyên môn": the plural opens the name
            m, plural = head_re.match(text, q.end()), True
    if m is None:
        return None
    word = m.group(0)
    if " " not in word and word.islower() and not plural:
        # a lone head word in lower case opens a name only before a capital: "phòng Quản lý Công nghiệp", not "ban tháng 12"
        nxt = text[m.end():m.end() + 2].lstrip()
        if not nxt[:1].isupper() and not _PLURAL_LIST.match(text, m.end()):
            return None
    if fold(word).endswith("to chuc") and not _BODY_AFTER_TO_CHUC.match(text, m.end()):
        return None            # "Tổ chức hiệp thương lần thứ ba": the verb, not an organisation
    low = text[pos:pos + 40].lower()
    if low.startswith(not_units):
        for n in not_units:
            if low.startswith(n) and (len(low) == len(n) or low[len(n)].isspace()):
                return None
    return m


def unit_at(text: str, pos: int = 0, subject: bool = False) -> tuple[int, int] | None:
    """The span of the unit's name that opens ``text`` at ``pos``: it ends
    where the work begins. ``subject`` also takes "Tỉnh", "Xã" as a head
    (the subject of a sentence that assigns)."""
    m = head_at(text, pos)
    if m is None and subject:
        m = _lex()[1].match(text, pos)
    if m is None:
        return None
    window = text[pos:pos + 400]
    cut = len(window)
    s = _lex()[2].search(" " + window, m.end() - pos)
    if s:
        cut = s.start()
    s = _lex()[5].search(" " + window, m.end() - pos, cut + 1)
    if s:
        cut = s.start()
    e = _END.search(window, m.end() - pos)
    ap = _lex()[6].search(window, m.end() - pos, cut + 1)
    if ap and (e is None or ap.start() < e.start()):
        e = ap
    if e and e.start() < cut:
        cut = e.start()
        if window[cut] == ":":
            cut = _members(window, cut)
    phrase = window[:cut]
    # a comma or "và" continues the name only into another unit or a plural word
    for sep in _LIST_SEP.finditer(phrase):
        rest = phrase[sep.end():]
        if head_at(rest) or _LIST_WORDS.match(rest) or (sep.group().strip() == "," and _lex()[1].match(rest)):
            continue
        if rest[:1].isupper() and sep.group().strip() in (",", "và", ""):
            continue       # "Bộ Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch": one name
        phrase = phrase[:sep.start()]
        break
    phrase = _TRAIL.sub("", phrase)
    if not phrase or len(phrase.split()) > MAX_WORDS or _CODE.search(phrase):
        return None
    if fold(phrase) in _BARE and not (subject and _lex()[1].fullmatch(phrase)):
        return None            # "Tổ chức kiểm tra": a verb, not the bare noun of a unit
    return pos, pos + len(phrase)


def _members(window: str, colon: int) -> int:
    """"Các Bộ: Tài chính, Xây dựng, Y tế chủ trì ...": the members a plural
    name lists after its colon belong to it, up to where the work begins."""
    s = _lex()[2].search(window, colon)
    end = s.start() if s else len(window)
    members = window[colon + 1:end].strip()
    parts = [p.strip() for p in _LIST_SEP.split(members) if p.strip()]
    # members are names ("Đắk Lắk", "Sở Công Thương") or units of their own ("các tổ chức, cá nhân liên quan")
    if len(parts) >= 2 and all(p[:1].isupper() or head_at(p) or _LIST_WORDS.match(p) for p in parts) and parts[0][:1].isupper() \
            and not _END.search(members):
        return colon + 1 + len(window[colon + 1:end].rstrip())
    return colon


# "Các tổ chức, cá nhân được cấp giấy phép khai thác khoáng sản có trách nhiệm ...":
# a relative clause that says which ones belongs to the name, up to the work.
_RELATIVE = regex.compile(r"\s+(?:được|đã được|có|hoạt động|tham gia|liên quan|sản xuất|kinh doanh|sử dụng|nằm|thuộc)(?!\s+trách nhiệm)\b", regex.I)
_WORK = regex.compile(r"\s(?:có trách nhiệm|chịu trách nhiệm|phải|cần|thực hiện|chủ động|nghiêm túc|khẩn trương|tập trung|"
                      r"tăng cường|triển khai|chấp hành|căn cứ|theo chức năng|rà soát|tuân thủ|tiếp tục|kịp thời)\b|:", regex.I)


def extend_relative(text: str, end: int, to_end: bool = False) -> int:
    """Where a unit's name ends once a relative clause naming which ones is let in."""
    m = _RELATIVE.match(text, end)
    if m is None:
        return end
    w = _WORK.search(text, m.end(), min(len(text), m.end() + 160))
    if w is None and to_end and not _BREAK.search(text, end):
        return len(text.rstrip(" .;"))          # a name standing alone, as in a heading or a cell
    if w is None or _BREAK.search(text, end, w.start()):
        return end
    return w.start()


_BREAK = regex.compile(r"[.;()]")
# "theo chức năng, nhiệm vụ, thẩm quyền được giao," between a unit and its work
MANDATE = regex.compile(r"^theo (?:chức năng|thẩm quyền|nhiệm vụ)(?:\s*(?:,|và)\s*(?:chức năng|nhiệm vụ|quyền hạn|thẩm quyền|lĩnh vực)(?: quản lý)?)*(?: được giao)?\s*,?\s*", regex.I)
_QUALIFIER = regex.compile(r"\s+(?:trong|tại|trên|thuộc|của|về|có liên quan|liên quan|cấp|đóng trên)\b", regex.I)
# a name ending on a field's word: what follows names the field ("phụ trách lĩnh vực giám sát ...")
DOMAIN_END = regex.compile(r"(?:lĩnh vực|phụ trách)\s*$", regex.I)


def unit_name(text: str, subject: bool = False) -> str | None:
    """The unit's name opening ``text`` (leading "đối với", "của" dropped), else None."""
    text = _LEADING.sub("", text.strip())
    span = unit_at(text, 0, subject)
    return text[span[0]:span[1]] if span else None


def clean_unit(phrase: str | None, max_words: int = MAX_WORDS) -> str | None:
    """A unit as it will be stored: no leading "của"/"đối với", no trailing
    connector or punctuation, no code or date, a bounded length."""
    if not phrase:
        return None
    p = _LEADING.sub("", " ".join(phrase.split()))
    p = _TRAIL.sub("", p).strip(" .,:;-")
    if not p or len(p.split()) > max_words or _CODE.search(p):
        return None
    return p


_UNIT_SEP = regex.compile(r"\s*[,;]\s*|\s+và\s+|\s*/\s*")


def split_units(phrase: str) -> list[str]:
    """"Văn phòng Sở, Thanh tra Sở và Trung tâm Văn hóa tỉnh" -> three units; a
    part that does not open with a unit's head word stays with the one before
    ("UBND các huyện, thành phố", "các sở, ngành liên quan")."""
    parts = _UNIT_SEP.split(phrase)
    seps = _UNIT_SEP.findall(phrase)
    units: list[str] = []
    for i, p in enumerate(parts):
        if units and not head_at(p):
            units[-1] = units[-1] + seps[i - 1] + p
        else:
            units.append(p)
    return [u.strip() for u in units if u.strip()]


def canonical_unit(unit: str | None) -> str | None:
    """The canonical name of a unit (``rules/units.yaml`` aliases), else the unit."""
    if not unit:
        return None
    return _lex()[4].get(fold(unit), unit)


def is_unit_name(text: str | None) -> bool:
    """Whether ``text`` is well formed as a unit: a name opening with a head
    word (or a person's name), bounded, with no verb, code or date in it."""
    if not text:
        return False
    t = text.strip()
    if _LEADING.match(t) or _CODE.search(t):
        return False
    parts = [p.strip() for p in t.split(";") if p.strip()]
    if len(parts) > 1:
        return all(is_unit_name(p) for p in parts)   # "Chánh Văn phòng UBND tỉnh; Giám đốc Sở ...; ..."
    if len(t.split()) > MAX_WORDS:
        # the executing article's long list: every unit in it a name
        parts = split_units(t)
        return len(parts) > 1 and all(len(p.split()) <= MAX_WORDS and is_unit_name(p) for p in parts)
    span = unit_at(t, 0, subject=True)
    if span and extend_relative(t, span[1], to_end=True) >= len(t.rstrip(" .")):
        return True
    if span:
        rest = t[span[1]:]
        # "... hoạt động trong lĩnh vực có liên quan đến VLNCN", "Cán bộ phụ trách lĩnh vực giám sát và phản biện
        # xã hội": a qualifier that says which ones, no work in it
        if (_QUALIFIER.match(rest) or DOMAIN_END.search(t, 0, span[1])) and not _WORK.search(rest) \
                and not _BREAK.search(rest) and len(rest.split()) <= 12:
            return True
    # people named as the unit ("Đỗ Mạnh Cường, Vũ Việt Linh"): capitalised words only
    return all(w[:1].isupper() for w in _WORDS_SEP.split(t) if w and w not in ("và",))
