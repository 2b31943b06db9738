"""References resolved to the documents they cite.

Every reference, stored or not, gets a canonical key (type, number, year,
issuer) made from its code alone, the year from the code ("/2020/") or else
from the reference's date, and, for a local body's code (rules/citations.yaml:
"12/TB-UBND" is in every province), the province the reference's text names
or, naming none, the citing document's own. So every document citing Nghị
định 30/2020/NĐ-CP groups under ``nd|30|2020|cp`` whether or not the decree
is stored, however each one words it.

A reference resolves to a stored document when number, year, issuer code and
province agree and nothing else either says contradicts (type, sub-unit).
Several still agreeing, the issuer the citing text names picks one; else it is
left unresolved with its candidates, as is one without a year (numbers repeat
every year): never linked at random. Pure functions; :mod:`extract.store.citations`
reads and writes the store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import ruleset as rules
from .extractors.references import CODE, parse_code
from .normalize import fold, fold_chars

NO_NUMBER, NO_YEAR, AMBIGUOUS, NOT_STORED, RESOLVED = (
    "no number", "no year", "ambiguous", "not stored", "number, year and issuer")


@dataclass(frozen=True)
class Key:
    """A document's identity as codes give it. ``says`` (the types the text
    names: the code's, the type line's or the words before a reference) is
    evidence for matching, not part of the identity."""
    type: str | None
    number: str
    year: int | None
    issuer: str | None
    province: str | None = None
    sub_unit: str | None = None
    says: frozenset = field(default=frozenset(), compare=False)

    def __str__(self) -> str:
        issuer = f"{self.issuer}@{self.province}" if self.issuer and self.province else self.issuer
        return "|".join(str(x) if x is not None else "?" for x in (self.type, self.number, self.year, issuer))


@dataclass
class Target:
    """A stored document as references may name it."""
    doc_id: int
    key: Key
    issuer_name: str = ""       # folded issuer and parent, to match what a citing text says


@dataclass
class Resolution:
    key: Key | None
    doc_id: int | None = None
    candidates: list[int] = field(default_factory=list)
    reason: str = ""


def _f(s: str | None) -> str | None:
    return re.sub(r"[^0-9a-z.]", "", fold(s)) or None if s else None


@lru_cache(maxsize=None)
def _local() -> re.Pattern:
    pats = rules.load("citations.yaml")["local_issuers"]
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in pats) + r")\Z")


def is_local(issuer_code: str | None) -> bool:
    """A local body's code, the same in every province (rules/citations.yaml)."""
    return bool(issuer_code) and _local().match(issuer_code) is not None


@lru_cache(maxsize=None)
def _provinces() -> tuple[dict[str, str], re.Pattern]:
    names = {fold(p["name"]): fold(p["name"]).replace(" ", "") for p in rules.load("places.yaml")["provinces"]}
    for alias, name in (rules.load("places.yaml").get("aliases") or {}).items():
        if fold(name) in names:
            names[fold(alias)] = names[fold(name)]
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return names, re.compile(rf"(?<!\w)(?:{alts})(?!\w)")


def province_in(*texts: str | None) -> str | None:
    """The first province the texts name ("UBND tỉnh Lào Cai" -> ``laocai``), folded."""
    names, pat = _provinces()
    for t in texts:
        if t and (m := pat.search(fold(t))):
            return names[m.group(0)]
    return None


@lru_cache(maxsize=None)
def _local_body() -> re.Pattern:
    names = rules.load("citations.yaml")["local_bodies"]
    return re.compile(r"(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")


def document_province(issuer: str | None, parent: str | None, place: str | None,
                      number: str | None = None) -> str | None:
    """A document's province: the one its issuer's lines name; else, for a local
    body's document (its số's issuer code local, or, blank, its issuer's name a
    local body's: rules/citations.yaml), its place's. A ministry's or the
    Government Office's place (Hà Nội) is none: a local code they cite without
    naming a province is no Hà Nội document."""
    named = province_in(parent, issuer)
    if named or not place:
        return named
    m = CODE.search(number or "")
    if m:
        local = is_local(_f(parse_code(m)["issuer_code"]))
    else:
        local = any(_local_body().match(fold(x)) for x in (issuer, parent) if x)
    return province_in(place) if local else None


def _type(type_code: str | None) -> str | None:
    if not type_code:
        return None
    return _f(rules.doc_type_abbrs().get(fold(type_code), type_code))


def key_of(*, number: str | None, year: int | None, type_code: str | None, issuer_code: str | None,
           sub_unit: str | None = None, date: str | None = None, code: str | None = None,
           province: str | None = None, says=()) -> Key | None:
    if number and not any(c.isdigit() for c in number) and code:
        m = re.search(r"\d[\d.:-]*", code)          # "QCVN 01:2019/BCT": its number, not its type
        number = m.group(0).split(":")[0] if m else None
    if not number:
        return None
    if year is None and date:
        year = int(date[:4])
    issuer = _f(issuer_code)
    says = frozenset(t for t in (_type(type_code), *(_f(s) for s in says)) if t and t != "cv")
    return Key(_type(type_code), number.lower(), year, issuer, province if is_local(issuer) else None,
               _f(sub_unit), says)


def reference_key(r, *, citing_province: str | None = None) -> Key | None:
    """A reference's key: the year from its code, else from its date; a local code's
    province from the issuer it names, else the citing document's. ``doc_type`` "CV"
    says nothing of the type: the text's "văn bản số" and a code without a type
    segment give it, and a báo cáo may be numbered so ("412/SNNMT-KS"). Nor does any
    type the text names when the code carries its own: the code is the document's,
    the words before it may be another's ("quy định tại Điều 9 Nghị định số
    32/2024/NĐ-CP", OCR reading "Nehị định", names a Quy định)."""
    return key_of(number=r.number, year=r.year, type_code=r.type_code, issuer_code=r.issuer_code,
                  sub_unit=r.sub_unit, date=r.date, code=r.code,
                  province=province_in(r.issuer) or citing_province, says=() if r.type_code else (r.doc_type,))


def document_key(number: str | None, doc_type: str | None, date: str | None, *,
                 province: str | None = None, ocr: bool = False) -> Key | None:
    """A stored document's key, from its số ký hiệu (read as a code is), its date
    and its province; its type line's type is evidence (``says``). An OCR'd
    header's type segment with a letter doubled ("1050/QĐĐ-SCT" under the type
    line "QUYẾT ĐỊNH", qd-002.pdf) is read as the type line's."""
    m = CODE.search(number or "")
    if not m:
        return None
    p = parse_code(m)
    if not any(c.isdigit() for c in p["number"] or ""):
        return None
    if ocr and not p["type_code"] and p["sub_unit"] and _doubled(p["issuer_code"], doc_type):
        issuer, _, sub = p["sub_unit"].partition("-")
        p = {**p, "type_code": doc_type, "issuer_code": issuer, "sub_unit": sub or None}
    return key_of(number=p["number"], year=p["year"], type_code=p["type_code"], issuer_code=p["issuer_code"],
                  sub_unit=p["sub_unit"], date=date, code=p["code"], province=province, says=(doc_type,))


def _doubled(segment: str | None, doc_type: str | None) -> bool:
    """``segment`` is ``doc_type``'s abbreviation with a letter OCR read twice."""
    if not segment or not doc_type:
        return False
    seg, typ = fold(segment).replace(" ", ""), fold(doc_type)
    return seg != typ and re.sub(r"(.)\1+", r"\1", seg) == typ and seg not in rules.doc_type_abbrs()


def _stem(k: Key) -> tuple:
    return (k.type, k.number, k.year, k.issuer)


def provinces_known(keys) -> dict[tuple, str]:
    """For each local code (type, number, year, issuer) the one province the
    ``keys`` name for it, where they name exactly one."""
    seen: dict[tuple, set] = {}
    for k in keys:
        if k is not None and k.province and k.year is not None:
            seen.setdefault(_stem(k), set()).add(k.province)
    return {stem: next(iter(p)) for stem, p in seen.items() if len(p) == 1}


def canonical(k: Key | None, known: dict[tuple, str], cited: Key | None = None) -> Key | None:
    """The key a reference is grouped under. A local code's key that names no
    province (the citing text names none, nor does its document) is one
    document with the key of a province when that is the only one it can be:
    the stored document it resolves to, else the one province the archive's
    keys (its references' and its documents') name for that code and year.
    Two provinces known, it stays without one: it may be either."""
    if k is None or k.province or not is_local(k.issuer) or k.year is None:
        return k
    province = cited.province if cited is not None and cited.province else known.get(_stem(k))
    return replace(k, province=province) if province else k


def _agree(a, b) -> bool:
    return a is None or b is None or a == b


def fits(ref: Key, doc: Key) -> bool:
    """Nothing the reference says of the document is false of it (the year aside):
    the same number and issuer code, and no type, sub-unit or province either says
    that the other contradicts (a plan, "KẾ HOẠCH", is not the decision "1050/QĐ-SCT"
    its header's OCR may give it)."""
    return (ref.number == doc.number and ref.issuer == doc.issuer and _agree(ref.sub_unit, doc.sub_unit)
            and _agree(ref.province, doc.province)
            and not (ref.says and doc.says and (ref.says | doc.says) != (ref.says & doc.says)))


def index(targets: list[Target]) -> dict[tuple, list[Target]]:
    """Targets by (number, issuer code), so resolving a reference reads only its own."""
    out: dict[tuple, list[Target]] = {}
    for t in targets:
        out.setdefault((t.key.number, t.key.issuer), []).append(t)
    return out


def resolve(ref: Key | None, issuer: str | None, targets, citing_id: int | None = None) -> Resolution:
    """``targets``: a list of :class:`Target` or an :func:`index` of them."""
    if ref is None:
        return Resolution(None, reason=NO_NUMBER)
    pool = targets.get((ref.number, ref.issuer), []) if isinstance(targets, dict) else targets
    same = [t for t in pool if t.doc_id != citing_id and fits(ref, t.key)]
    if ref.year is None:
        return Resolution(ref, candidates=sorted(t.doc_id for t in same), reason=NO_YEAR if same else NOT_STORED)
    dated = [t for t in same if t.key.year == ref.year]
    if len(dated) > 1 and issuer:
        said = fold_chars(issuer).lower()
        dated = [t for t in dated if said in t.issuer_name] or dated
    if len(dated) == 1:
        return Resolution(ref, doc_id=dated[0].doc_id, reason=RESOLVED)
    if dated:
        return Resolution(ref, candidates=sorted(t.doc_id for t in dated), reason=AMBIGUOUS)
    return Resolution(ref, reason=NOT_STORED)
