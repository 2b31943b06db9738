"""The header of Nghị định 30/2020/NĐ-CP, whatever the layout.

Word files put it in a two-column table, PDFs read it as lines that may
interleave the two columns ("Số: /UBND-XD Lào Cai, ngày ..."), text dumps
may have none of it. So the header is read as *fragments* (table cells and
lines), each split where two columns were run together, then classified:
national motto, issuing body, số ký hiệu, place and date, type name, trích
yếu. Fields the document does not show are None, never guessed; the
issuer alone falls back to the body the text shows issued it (GUIDE.md).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass

import regex

from .. import ruleset as rules
from ..literals import alternation
from ..model import Document, Header, Span
from ..normalize import fold, fold_chars

MOTTO = regex.compile(
    r"C[ỘO]NG\s+H[ÒÕOÓ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc"
    r"|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM",
    regex.I,
)
# "Số: 12/TB-SVHTTDL"; a law's header cell says "Luật số: 69/2025/QH15"
NUMBER = regex.compile(r"^(?:(?:Bộ\s+)?Luật\s+(?=s[ốỐ]\s*:))?S[ốỐ]\s*(?:[:.]|(?=\s*\d))\s*(?P<value>.*)$", regex.I)
# "Lai Châu, ngày 05 tháng 01 năm 2026", blanks allowed in an unissued copy.
DATE_LINE = regex.compile(
    r"(?P<place>(?:(?:\p{Lu}\p{Ll}+(?:\s+phố)?|TP)\.?\s*){1,5}),?\s*[Nn]gày\s*(?P<d>\d{1,2})?[\s.]*[Tt]háng\s*(?P<m>\d{1,2})?[\s.]*[Nn]ăm\s*(?P<y>\d{4})?",
)
VV = regex.compile(r"^(?:V/v|Về\s+việc)[:.]?\s*(?P<title>.+)$", regex.I | regex.S)
SEPARATOR = regex.compile(r"^[-_*=.\s]+$")


@dataclass
class Fragment:
    text: str
    start: int
    end: int
    column: int | None   # cell index in a header table row, None for lines
    block: int           # index into doc.blocks


def _split_interleaved(text: str, start: int):
    """Split a line where two header columns were run together."""
    cuts = {0, len(text)}
    for m in MOTTO.finditer(text):
        cuts.update((m.start(), m.end()))
    m = DATE_LINE.search(text)
    if m and m.start() > 0:
        cuts.add(m.start())
    cuts = sorted(cuts)
    for a, b in zip(cuts, cuts[1:]):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            yield piece, start + a + lead


def fragments(doc: Document, blocks) -> list[Fragment]:
    out = []
    for bi, b in blocks:
        spans = b.cells if b.kind == "row" and b.cells else [(b.start, b.end)]
        for ci, (s, e) in enumerate(spans):
            column = ci if b.kind == "row" else None
            pos = s
            for line in doc.text[s:e].split("\n"):
                for piece, p in _split_interleaved(line, pos):
                    out.append(Fragment(piece, p, p + len(piece), column, bi))
                pos += len(line) + 1
    return out


def _adjacent(a: Fragment, b: Fragment) -> bool:
    """Two fragments of one column, in the same or the next block."""
    return a.column == b.column and 0 <= b.block - a.block <= 1


def _joined(parts: list[Fragment]) -> Fragment:
    first, last = parts[0], parts[-1]
    return Fragment(" ".join(p.text for p in parts), first.start, last.end, first.column, last.block)


def _broken(parts: list[Fragment]) -> bool:
    """Whether ``parts`` are one header line broken across lines: the national
    motto ("CỘNG" / "HÒA XÃ HỘI ..."), a "Số:" and its code, a place and date
    ("Hà" / "Nội, ngày 21 tháng 11 năm" / "2025")."""
    text = " ".join(p.text for p in parts)
    head = parts[0].text
    m = MOTTO.search(text)
    if m and m.start() < len(head) < m.end():
        return True
    n = NUMBER.match(head)
    if n and not n.group("value").strip() and len(parts) == 2:
        return bool(regex.match(r"\s*[\d/]", parts[1].text))
    # a place and date: the break falls inside the place ("Hà" / "Nội, ngày") or after it
    whole = DATE_LINE.match(head)
    if (whole is None or not whole.group("y")) and ("," in head or " " not in head or "ngày" in head.lower()):
        m = DATE_LINE.match(text)
        return bool(m and m.group("y") and m.end() > len(text) - len(parts[-1].text))
    return False


def merge_broken(frags: list[Fragment]) -> list[Fragment]:
    """Header lines broken across two or three lines (text copied from a web
    page wraps them anywhere), each joined back into one fragment."""
    out: list[Fragment] = []
    i = 0
    while i < len(frags):
        for n in (2, 3):
            parts = frags[i:i + n]
            if len(parts) == n and all(_adjacent(a, b) for a, b in zip(parts, parts[1:])) and _broken(parts):
                out.append(_joined(parts))
                i += n
                break
        else:
            out.append(frags[i])
            i += 1
    return out


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def type_of_line(text: str) -> tuple[str, str] | None:
    """(abbr, name) when a line is a document type name ("THÔNG BÁO")."""
    t = " ".join(text.split()).strip(" .:")
    if not is_caps(t) or len(t) > 40:
        return None
    abbr = rules.type_by_name(t)
    return (abbr, t) if abbr else None


def _type_leading(text: str):
    """((abbr, name), where the rest starts) when a line in capitals opens with a
    type name and goes on with more ("QUYẾT ĐỊNH CHẤP THUẬN ...")."""
    if not is_caps(text):
        return None
    words = text.split()
    for n in (3, 2, 1):
        if len(words) > n:
            typ = type_of_line(" ".join(words[:n]))
            if typ:
                cut = len(text) - len(text.split(None, n)[n])
                return typ, cut
    return None


def recase(name: str) -> str:
    """A body's name written in capitals, in the case running text uses."""
    if not is_caps(name):
        return name
    key = fold(name)
    for known in rules.organizations():
        if fold(known) == key:
            return known
    words = name.lower().split()
    place_words = rules.load("organizations.yaml")["place_words"]
    out = []
    proper = False
    i = 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if two in place_words or words[i] in place_words:
            n = 2 if two in place_words else 1
            out.extend(words[i:i + n])
            i += n
            proper = True
            continue
        w = words[i]
        original = name.split()[i]
        if _keep_caps(original):
            out.append(original)
        else:
            out.append(w.capitalize() if proper or not out else w)
        i += 1
    text = " ".join(out)
    # Known bodies inside the name keep their spelling ("Sở Công Thương").
    for known in rules.organizations():
        idx = fold(text).find(fold(known))
        if idx >= 0 and len(known) > 4:
            text = text[:idx] + known + text[idx + len(known):]
    # Known places keep theirs too ("SỞ CÔNG THƯƠNG LÀO CAI" -> "... Lào Cai").
    names, place_re = _place_names()
    folded = fold_chars(text)
    for m in place_re.finditer(folded):
        text = text[:m.start()] + names[m.group(0)] + text[m.end():]
    return text


@lru_cache(maxsize=None)
def _place_names():
    """Folded name -> spelling of every province and district in rules/places.yaml,
    and of the other proper names organizations.yaml lists ("Việt Nam")."""
    data = rules.load("places.yaml")
    names = {}
    for p in data["provinces"] + data["districts"]:
        names.setdefault(fold_chars(p["name"]), p["name"])
    for name in rules.load("organizations.yaml").get("proper_names", []):
        names.setdefault(fold_chars(name), name)
    # Matched on folded text; the standard library's engine compiles this trie of
    # a thousand names four times faster (a worker's start-up) and runs it as fast.
    return names, re.compile(r"(?<!\w)" + alternation(names) + r"(?!\w)")


def _keep_caps(word: str) -> bool:
    """Abbreviations (UBND, HĐND, QĐ) and codes keep their capitals."""
    core = word.strip(",.;:()")
    if any(c.isdigit() or c == "/" for c in core):
        return True
    return core in rules.abbreviations() or fold(core) in rules.doc_type_abbrs()


def _issuer_lines(lines: list[str]) -> tuple[str | None, str | None]:
    """(parent, issuer) from the left block's lines in capitals."""
    if not lines:
        return None, None
    cont = rules.load("header.yaml")["name_continuations"]
    heads = _issuer_heads()
    groups: list[str] = []
    prev = ""
    for line in lines:
        # With diacritics: folded, "SỞ" (a department) would be "SỐ" (a number).
        low = line.lower()
        joins = groups and (
            any(low.startswith(c.lower() + " ") or low == c.lower() for c in cont)
            or groups[-1].rstrip().endswith((",", "-", "VÀ"))
            # a name broken across lines: "BỘ" / "TÀI CHÍNH", "ỦY" / "BAN NHÂN DÂN" (a head
            # word alone above), "THỦ TƯỚNG CHÍNH" / "PHỦ" (a short rest that opens no body)
            or _opens_head(prev, line, heads)
            or (len(line.split()) <= 2 and not heads.match(low))
        )
        if joins:
            groups[-1] = f"{groups[-1]} {line}"
        else:
            groups.append(line)
        prev = line
    issuer = recase(groups[-1])
    parent = recase(" ".join(groups[:-1])) if len(groups) > 1 else None
    return parent, issuer


def _opens_head(prev: str, line: str, heads) -> bool:
    """A line holding one word that is a head alone ("BỘ", "CỤC") or opens one with
    the next line's first word ("ỦY" / "BAN ..."): the name goes on below."""
    if " " in prev.strip() or not line.split():
        return False
    word = prev.strip().lower()
    for cand in (word, f"{word} {line.split()[0].lower()}"):
        m = heads.match(cand)
        if m and m.end() == len(cand):
            return True
    return False


@lru_cache(maxsize=None)
def _issuer_heads():
    """The words that open a body's name (organizations.yaml heads, header.yaml
    issuer_heads), lower case, as one expression matching at a line's start."""
    words = rules.load("organizations.yaml")["heads"] + rules.load("header.yaml")["issuer_heads"]
    return regex.compile(r"(?:" + alternation({w.lower(): w for w in words}) + r")(?!\w)")


_OPEN_END = regex.compile(r"(?:[,;-]|\s(?:của|và|về|cho|tại|với|đối với|trong|theo|thuộc))$", regex.I)


def _is_authority(parts: list[Fragment], text: str) -> bool:
    """The line naming who decides, under a QĐ's title ("CHỦ TỊCH ỦY BAN NHÂN DÂN
    ..."), unless the title above it is left open ("... NĂM 2025 CỦA" / "CHỦ TỊCH UBND ...")."""
    if not is_caps(text) or (parts and _OPEN_END.search(parts[-1].text.rstrip())):
        return False
    low = text.lower()
    return any(low.startswith(a.lower() + " ") for a in rules.load("header.yaml")["authority_lines"])


def _type_code(code: str | None) -> str | None:
    """The folded type code of a số ký hiệu ("1105/KH-ĐKT" -> "kh"), None without one."""
    sym = (code or "").rsplit("/", 1)[-1] if "/" in (code or "") else ""
    return fold(sym.split("-", 1)[0]) or None if "-" in sym else None


def _code_at_start(value: str) -> str:
    """The số ký hiệu at the start of a "Số:" line's value, spaces squeezed out:
    "1105 /KH-ĐKT", "/SCT - CN", "4 46 /QĐ-UBND"; a place and date run on after
    it (an OCR'd line holding both columns) is not part of it."""
    tokens = value.split()
    if not tokens:
        return ""
    out = [tokens[0]]
    for t in tokens[1:]:
        # a hand-filled number read apart ("4 46 /QĐ-UBND") is one number
        if t.startswith(("/", "-")) or out[-1].endswith(("/", "-")) or (out[-1].isdigit() and t[0].isdigit()):
            out.append(t)
        else:
            break
    return "".join(out)


def _iso(d, m, y) -> str | None:
    try:
        import datetime as dt

        return dt.date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return None


_ISSUER_HEADS = ("Sở ", "Ủy ban nhân dân", "Bộ ", "Hội đồng")


@lru_cache(maxsize=None)
def _issuer_names():
    """Folded names of the bodies that issue documents, by their head word, and
    one expression that finds where any of them may start."""
    by_head: dict[str, list[tuple[str, str]]] = {}
    for known in rules.organizations():
        for h in _ISSUER_HEADS:
            if known.startswith(h):
                by_head.setdefault(fold(h), []).append((fold(known), known))
    heads = regex.compile("|".join(regex.escape(h) for h in sorted(by_head, key=len, reverse=True)))
    return heads, by_head


def _issuer_from_text(doc: Document) -> tuple[str | None, Span | None]:
    """The body the text shows issued it: the known body named most often
    in the opening paragraphs and the closing "Trên đây là ... của X"."""
    text = doc.text
    head_end = min(len(text), 2000)
    closing = _CLOSING.search(text)
    zones = [(0, head_end)] + ([(closing.start(), closing.end())] if closing else [])
    counts: Counter = Counter()
    first: dict[str, Span] = {}
    heads, by_head = _issuer_names()
    for a, b in zones:
        folded = fold_chars(text[a:b])   # one character per character: positions are the text's
        for m in heads.finditer(folded):
            i = m.start()
            for key, known in by_head[m.group(0)]:
                if folded.startswith(key, i) and not folded[i + len(key):i + len(key) + 1].isalnum():
                    counts[known] += 1
                    first.setdefault(known, Span(a + i, a + i + len(key)))
    if not counts:
        return None, None
    # most often, then the longest name, then the one named first
    best = max(counts, key=lambda k: (counts[k], len(k), -first[k].start))
    return best, first[best]


_CLOSING = regex.compile(r"Trên đây là[^\n]{0,300}")


def parse_header(doc: Document) -> Header:
    h = Header()
    openings = [fold(x) for x in rules.load("header.yaml")["body_openings"]]
    # The header zone: leading blocks up to the first body paragraph.
    zone = []
    type_seen = False
    for bi, b in enumerate(doc.blocks[:30]):
        text = doc.text[b.start:b.end]
        low = fold(text)
        if b.kind == "footnote":
            break
        if b.kind == "para" and (
            # "THỰC HIỆN LỘ TRÌNH ..." in capitals is a trích yếu, "Thực hiện Kế hoạch số ..." the body
            (any(low.startswith(o + " ") or low.startswith(o + ":") for o in openings) and not is_caps(text))
            or regex.match(r"^(?:[IVX]+|\d+)\.\s", text)
            or (len(text) > 250 and not VV.match(text) and not is_caps(text))
        ):
            break
        zone.append((bi, b))
        if b.kind == "para" and type_of_line(text):
            type_seen = True
    frags = merge_broken(fragments(doc, zone))
    issuer_lines: list[str] = []
    issuer_start = issuer_end = None
    title_parts: list[Fragment] = []
    title_mode = None          # "type" after the type line, "vv" inside V/v
    last_title_block = None
    number_seen = False
    number_colon = False
    for f in frags:
        t = f.text
        if MOTTO.fullmatch(t) or SEPARATOR.match(t):
            continue
        m = NUMBER.match(t)
        # "Số:" with its colon is the document's own number; a "SỐ 1050/QĐ-SCT"
        # without one, seen first, may belong to the issuing body's block
        # ("ĐOÀN KIỂM TRA THEO QUYẾT ĐỊNH SỐ 1050/QĐ-SCT") and gives way.
        has_colon = bool(m) and bool(regex.match(r"^S[ốỐ]\s*:", t, regex.I))
        # OCR may give that body's "SỐ" a colon too: then the number whose type
        # code is the type line's ("KẾ HOẠCH" ... "Số: 1105/KH-ĐKT") is the document's
        if m and number_seen and has_colon and number_colon and h.number and h.doc_type \
                and _type_code(h.number) != fold(h.doc_type) \
                and _type_code(_code_at_start(m.group("value"))) == fold(h.doc_type):
            number_colon = False
        if m and number_seen and has_colon and not number_colon:
            body_number = doc.text[h.spans["number"].start:h.spans["number"].end]
            issuer_lines.append(regex.sub(r"^S[ốỐ]\s*:\s*", "SỐ ", body_number, flags=regex.I))
            h.number = h.symbol = None
            number_seen = False
        if m and h.number is None and not number_seen:
            number_seen = True
            number_colon = has_colon
            value = _code_at_start(m.group("value"))
            h.spans["number"] = Span(f.start, f.end)
            if regex.match(r"^\d", value):
                h.number = value
            h.symbol = value.split("/", 1)[1] if "/" in value else None
            title_mode = None
            continue
        m = DATE_LINE.search(t)
        if m and h.place is None and m.start() == 0:
            h.place = m.group("place").strip()
            h.year = int(m.group("y")) if m.group("y") else None
            h.month = int(m.group("m")) if m.group("m") else None
            h.date = _iso(m.group("d"), m.group("m"), m.group("y"))
            h.spans["date"] = Span(f.start, f.start + m.end())
            continue
        typ = type_of_line(t) if f.column is None else None
        if typ and h.doc_type is None:
            h.doc_type, h.doc_type_name = typ
            h.spans["doc_type"] = Span(f.start, f.end)
            title_mode = "type"
            last_title_block = f.block
            continue
        lead = _type_leading(t) if f.column is None and h.doc_type is None and (number_seen or h.place) else None
        if lead:
            # "QUYẾT ĐỊNH CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ": the type name and the trích yếu on one line
            (h.doc_type, h.doc_type_name), cut = lead
            h.spans["doc_type"] = Span(f.start, f.start + len(h.doc_type_name))
            title_parts.append(Fragment(t[cut:], f.start + cut, f.end, f.column, f.block))
            title_mode = "type"
            last_title_block = f.block
            continue
        m = VV.match(t)
        if m and h.title is None and not title_parts:
            title_parts.append(Fragment(m.group("title"), f.start + m.start("title"), f.end, f.column, f.block))
            title_mode = "vv"
            last_title_block = f.block
            continue
        if title_mode == "vv" and f.column in (0, None) and f.block - last_title_block <= 1 \
                and not fold(t).startswith("kinh gui") and _same_case(title_parts, t) \
                and not _is_authority(title_parts, t):
            title_parts.append(f)
            last_title_block = f.block
            continue
        if title_mode == "type":
            gap = doc.blocks[f.block].raw_index - doc.blocks[last_title_block].raw_index
            if title_parts and (not _same_case(title_parts, t) or _is_authority(title_parts, t)):
                title_mode = None       # the authority line of a QĐ ("GIÁM ĐỐC SỞ ...")
                continue
            if gap > 1 and title_parts:
                title_mode = None
                continue
            if fold(t).startswith("kinh gui"):
                title_mode = None
                continue
            title_parts.append(f)
            last_title_block = f.block
            continue
        if is_caps(t) and not number_seen and h.doc_type is None and f.column in (0, None):
            if not type_seen or f.block < min((x.block for x in frags if type_of_line(x.text)), default=10**9):
                issuer_lines.append(t)
                issuer_start = f.start if issuer_start is None else issuer_start
                issuer_end = f.end
                continue
        if fold(t).startswith("kinh gui"):
            rest = t.split(":", 1)[1].strip() if ":" in t else ""
            if rest:
                h.recipients_to.append(rest)
    if title_parts:
        h.title = " ".join(" ".join(p.text.split()) for p in title_parts).strip() or None
        h.spans["title"] = Span(title_parts[0].start, title_parts[-1].end)
    h.issuer_parent, h.issuer = _issuer_lines(issuer_lines)
    if h.issuer:
        h.spans["issuer"] = Span(issuer_start, issuer_end)
    else:
        h.issuer, span = _issuer_from_text(doc)
        if span:
            h.spans["issuer"] = span
    if h.doc_type is None:
        # a "V/v" trích yếu is a công văn's, whatever its ký hiệu holds ("5680/CT-CS": CT is the Cục Thuế)
        vv = title_mode == "vv" or any(VV.match(p.text) for p in frags)
        h.doc_type = "CV" if vv else _type_from_symbol(h.symbol) or ("CV" if h.symbol else None)
    if h.doc_type == "CV" and title_parts:
        h.doc_type_name = "Công văn"
    for s in h.spans.values():
        s.page = doc.page_at(s.start)
    h.body_start = doc.blocks[len(zone)].start if len(zone) < len(doc.blocks) else 0
    return h


def _same_case(parts: list[Fragment], text: str) -> bool:
    """Whether ``text`` goes on with a trích yếu begun in ``parts``: in capitals
    after capitals, in running case after running case; an acronym alone
    ("GTGT") goes on either."""
    if not parts:
        return True
    if is_caps(parts[0].text):
        return is_caps(text)
    return not is_caps(text) or (" " not in text.strip() and len(text.strip()) <= 6)


def _type_from_symbol(symbol: str | None) -> str | None:
    """The type abbreviation a ký hiệu carries ("TB-SCT" -> TB); None for a công văn."""
    if not symbol:
        return None
    head = regex.split(r"[-/]", symbol)[0]
    return rules.doc_type_abbrs().get(fold(head))
