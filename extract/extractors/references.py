"""Citations of other documents by their số, ký hiệu.

Found on the normalised text before any word segmentation (tokenisers split
"335/2025/NĐ-CP" into pieces). Tokenise, find, resolve, as eyecite does:
find each code, read the type named before it and the date and issuer
after it, then merge the mentions of one document under one entry.
"""
from __future__ import annotations

import regex

from .. import ruleset as rules
from ..model import Document, Reference
from ..normalize import fold
from .dates import date_at

SEG = r"\p{Lu}[\p{L}\d&]*"
SUB = r"[\p{Lu}\d][\p{L}\d&]*"     # after a dash a sub-unit may be a number ("93/CT-05")
# 1848/UBND-TH, 59/2021/NQ-HĐND, 03/2026/VLN/CV-TA, 89/SVHTTDL -VP, 47/CTr- SVHTTDL
STANDARD = (
    rf"(?P<num>\d{{1,5}}(?:\.\d{{1,3}})?[a-z]?)"
    rf"(?:/(?P<year>(?:19|20)\d{{2}}))?"
    rf"(?P<rest>(?:/{SEG}(?:(?:-\s|\s-|-){SUB})*)+)"
)
# Party documents: 04-NQ/TU, 43-KL/TW, and the mistyped 04-NQ-TU
PARTY = rf"(?P<pnum>\d{{1,4}})-(?P<ptype>{SEG})[/-](?P<pissuer>{SEG}(?:-{SEG})?)"
STANDARDS = r"(?P<std>(?:QCVN|TCVN)\s*\d+(?:-\d+)?(?::(?P<syear>\d{4}))?(?:/\p{Lu}+)?)"
CODE = regex.compile(rf"(?<![\p{{L}}\d/.-])(?:{STANDARDS}|{PARTY}|{STANDARD})(?![\p{{L}}\d])")

TYPE_BEFORE_GAP = 60
ISSUER_AFTER = regex.compile(
    r"^\s*(?:,\s*)?(?:của|do)\s+(?P<issuer>[^,;:()\n]{2,80}?)(?=\s+(?:về|quy định|ban hành|hướng dẫn|phê duyệt|v/v|việc|triển khai|thực hiện|tại|đã|là|được|và)\b|[,;:().\n]|$)"
)
DATE_AFTER = regex.compile(r"\s*,?\s*(?:được\s+)?(?:ban hành\s+)?ngày\s+", regex.I)


_NOT_KEY = regex.compile(r"[^0-9a-z]")
_GAP_STOP = regex.compile(r"[,;:()\n.]")
_SO_END = regex.compile(r"(?:^|\s)số\s*$")
_SO_COLON = regex.compile(r"(?<=(?:^|\s)số)\s*:\s*$")      # "Kế hoạch ... số: 0701/KHUP-CTVC"


def code_key(code: str) -> str:
    return _NOT_KEY.sub("", fold(code))


def _type_names_regex():
    names = [n for n, _ in rules.doc_type_names()]
    abbrs = [a for a in rules.doc_type_abbrs().values()]
    alts = sorted(set(names + abbrs), key=lambda n: (-len(n), n))
    return regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(a) for a in alts) + r")(?![\p{L}])", regex.I)


_TYPE_NAMES = None

# A law's name between its type and its số: up to this many words, commas in it
TITLE_WINDOW = 160
TITLE_WORDS = 18
TITLE_WORDS_WITHOUT_SO = 8      # "Căn cứ Luật Hóa chất 69/2025/QH15"
_TITLE_STOP = regex.compile(r"[;:()\n.]")
_TITLED = None


def titled_type_before(text: str, start: int) -> str | None:
    """The type of a titled document named with its name before a code that has
    a year and no type of its own: "Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ
    hỗ trợ số 42/2024/QH15" is a law, as is "Luật Hóa chất 69/2025/QH15" (a
    shorter name, without "số")."""
    global _TITLED
    if _TITLED is None:
        alts = sorted(rules.titled_type_names(), key=len, reverse=True)
        _TITLED = regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(a) for a in alts) + r")(?=\s+\p{Lu})")
    window = text[max(0, start - TITLE_WINDOW):start]
    most = TITLE_WORDS if _SO_END.search(window) else TITLE_WORDS_WITHOUT_SO
    for m in _TITLED.finditer(window):
        gap = window[m.end():]
        if not _TITLE_STOP.search(gap) and len(gap.split()) <= most:
            # the farthest start that still reaches the code: the whole name
            return rules.type_by_name(m.group(0))
    return None


def type_named_before(text: str, start: int) -> str | None:
    """The type the text names just before a code ("Nghị quyết số", "Giấy phép
    dịch vụ nổ mìn số"); None when punctuation or too many words intervene."""
    global _TYPE_NAMES
    if _TYPE_NAMES is None:
        _TYPE_NAMES = _type_names_regex()
    lo = max(0, start - TYPE_BEFORE_GAP)
    window = _SO_COLON.sub(" ", text[lo:start])
    best = None
    for m in _TYPE_NAMES.finditer(window):
        gap = window[m.end():]
        if _GAP_STOP.search(gap) or len(gap.split()) > 6:
            continue
        if gap.strip() and not _SO_END.search(gap) and len(gap.split()) > 1:
            continue
        best = m
    if best is None:
        return None
    word = best.group(0)
    if word.upper() == word and fold(word) in rules.doc_type_abbrs():
        return rules.doc_type_abbrs()[fold(word)]
    return rules.type_by_name(word)


def parse_code(m) -> dict:
    if m.group("std"):
        std = " ".join(m.group("std").split())
        return {"code": std, "number": std.split()[0], "year": int(m.group("syear")) if m.group("syear") else None,
                "type_code": std[:4], "issuer_code": std.rsplit("/", 1)[1] if "/" in std else None, "sub_unit": None}
    if m.group("pnum"):
        return {"code": m.group(0), "number": m.group("pnum"), "year": None, "type_code": m.group("ptype"),
                "issuer_code": m.group("pissuer"), "sub_unit": None}
    rest = m.group("rest").lstrip("/")
    segs = [s for s in rest.split("/") if s]
    last = "".join(segs[-1].split())
    parts = last.split("-")
    abbrs = rules.doc_type_abbrs()
    type_code = None
    issuer_code = None
    sub_unit = None
    if fold(parts[0]) in abbrs:
        type_code = parts[0]
        issuer_code = parts[1] if len(parts) > 1 else None
        sub_unit = "-".join(parts[2:]) or None
    else:
        issuer_code = parts[0]
        sub_unit = "-".join(parts[1:]) or None
    return {"code": m.group(0), "number": m.group("num"), "year": int(m.group("year")) if m.group("year") else None,
            "type_code": type_code, "issuer_code": issuer_code, "sub_unit": sub_unit}


def implied_type(parts: dict) -> str | None:
    """The type a code's own shape implies when the text names none: a công
    văn's số, ký hiệu is the issuer's abbreviation and its drafting unit's,
    with no type and no year ("1848/UBND-TH", Nghị định 30/2020/NĐ-CP,
    Appendix II). A code with a year and no type ("72/2025/QH15": a law or a
    resolution) or a type segment no rule knows implies nothing: None, not a
    guess."""
    if parts["type_code"] or parts["year"] or not parts["issuer_code"]:
        return None
    return "CV"


def find_references(doc: Document) -> list[Reference]:
    text = doc.text
    own = code_key(doc.header.number) if doc.header.number else None
    own_span = doc.header.spans.get("number")
    abbrs = rules.doc_type_abbrs()
    found: dict[str, Reference] = {}
    for m in CODE.finditer(text):
        if own_span and own_span.start <= m.start() < own_span.end:
            continue
        parts = parse_code(m)
        key = code_key(parts["code"])
        if own and key == own:
            continue
        named = type_named_before(text, m.start())
        if named is None and not parts["type_code"] and parts["year"]:     # a law's số: "72/2025/QH15"
            named = titled_type_before(text, m.start())
        code_type = abbrs.get(fold(parts["type_code"] or "")) if parts["type_code"] else None
        doc_type = named or code_type or implied_type(parts)
        end = m.end()
        date = None
        dm = DATE_AFTER.match(text, end)
        if dm:
            d = date_at(text, dm.end(), limit=2)
            if d and d.year:
                date = d.iso()
                end = d.end
        issuer = None
        im = ISSUER_AFTER.match(text[end:end + 120])
        if im:
            issuer = im.group("issuer").strip()
            end = end + im.end("issuer")
        span = doc.span(m.start(), end)
        start_ctx = max(0, m.start() - 40)
        ctx = text[start_ctx:end].split("\n")[-1]
        sec = doc.section_at(m.start())
        if key in found:
            ref = found[key]
            ref.mentions.append(span)
            if ref.date is None and date:
                ref.date = date
            if ref.issuer is None and issuer:
                ref.issuer = issuer
            # a later mention naming the type says more than the code's shape did
            if ref.doc_type is None or (ref.doc_type == "CV" and named not in (None, "CV")):
                ref.doc_type = doc_type or ref.doc_type
            continue
        found[key] = Reference(code=" ".join(parts["code"].split()), doc_type=doc_type, date=date,
                               number=parts["number"], year=parts["year"], type_code=parts["type_code"],
                               issuer_code=parts["issuer_code"], sub_unit=parts["sub_unit"], issuer=issuer,
                               text=ctx.strip(), mentions=[span], section=sec.id if sec else None)
    return list(found.values())
