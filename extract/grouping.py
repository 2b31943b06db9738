"""Files that are one document: the draft .docx, the signed scan, a web copy.

Pure functions over what the store knows of each file (:class:`FileFacts`);
:mod:`extract.store.groups` reads the facts and writes the groups.

Two files are one document when they carry the same real number, issuer and
date and their texts agree (a header misread alone joins nothing), or, where
one leaves its number or date blank (a draft), when their texts are the same
up to OCR noise and the blank fields: word shingles of the folded text, their
Jaccard similarity estimated from bottom-k sketches and checked on the texts.
Different real numbers, dates, issuers or types never join, whatever the text.
"""
from __future__ import annotations

import hashlib
import heapq
import re
from dataclasses import dataclass, field

from .normalize import fold_chars

_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class Settings:
    shingle: int = 3              # words a shingle
    sketch: int = 128             # smallest shingle hashes kept of a text
    same_text: float = 0.75       # Jaccard: a blank-numbered file is this other one
    same_header_text: float = 0.3  # Jaccard: same number, issuer and date, and texts not foreign
    margin: float = 0.05          # a blank-numbered file as like two numbered ones as this is neither's
    apart: frozenset = frozenset()  # frozensets of two file names (or paths) never grouped

    @classmethod
    def from_rules(cls, data: dict | None, extra_apart=()) -> "Settings":
        data = data or {}
        pairs = [frozenset(p) for p in (data.get("apart") or []) + list(extra_apart) if len(set(p)) == 2]
        return cls(shingle=int(data.get("shingle", cls.shingle)), sketch=int(data.get("sketch", cls.sketch)),
                   same_text=float(data.get("same_text", cls.same_text)),
                   same_header_text=float(data.get("same_header_text", cls.same_header_text)),
                   margin=float(data.get("margin", cls.margin)),
                   apart=frozenset(pairs))


@dataclass
class FileFacts:
    doc_id: int
    path: str
    format: str | None = None
    doc_type: str | None = None
    number_key: str | None = None     # the number folded to [0-9a-z]; None when blank ("Số: /TB-SCT")
    issuer: str | None = None         # folded
    date: str | None = None
    ocr: bool = False                 # some page read by OCR
    signed: bool = False              # a signer's name was read
    sketch: tuple[int, ...] = ()

    @property
    def complete(self) -> bool:
        return bool(self.number_key and self.date)

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass
class Member:
    doc_id: int
    group_id: int        # the kept file: its tasks, references, deadlines and metrics are the document's
    header_id: int       # the file whose header the document takes
    role: str            # draft | signed | copy
    reason: str          # why it is in the group


@dataclass
class Group:
    members: list[FileFacts] = field(default_factory=list)


# ------------------------------------------------------------------ texts
def words(text: str) -> list[str]:
    return _WORD.findall(fold_chars(text or "").lower())


def shingles(text: str, k: int = 3) -> set[int]:
    """The text's word k-grams, hashed (64 bits, stable across processes)."""
    w = words(text)
    if len(w) < k:
        return {_h(" ".join(w))} if w else set()
    # each distinct k-gram hashed once, the hash inlined (a call a shingle was half the cost)
    grams = {" ".join(g) for g in zip(*(w[j:] for j in range(k)))}
    b2, as_int = hashlib.blake2b, int.from_bytes
    return {as_int(b2(g.encode(), digest_size=8).digest(), "big") for g in grams}


def shingle_set(text: str, k: int = 3) -> set[tuple[str, ...]]:
    """The text's word k-grams themselves, for an exact Jaccard in one process:
    the same similarity as :func:`shingles` (whose 64-bit hashes are made to be
    stored) at a fraction of the cost (hashing each shingle was most of a
    run's regrouping)."""
    w = words(text)
    if len(w) < k:
        return {tuple(w)} if w else set()
    return set(zip(*(w[j:] for j in range(k))))


def _h(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")


def sketch(text: str, k: int = 3, size: int = 128) -> tuple[int, ...]:
    """The ``size`` smallest shingle hashes: enough to estimate a Jaccard similarity."""
    return tuple(heapq.nsmallest(size, shingles(text, k)))


def estimate(a: tuple[int, ...], b: tuple[int, ...], size: int = 128) -> float:
    """Jaccard similarity estimated from two bottom-k sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:size]
    sa, sb = set(a), set(b)
    return sum(1 for x in union if x in sa and x in sb) / len(union)


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# ------------------------------------------------------------------ pairs
def compatible(a: FileFacts, b: FileFacts) -> bool:
    """Nothing the two headers say tells them apart (a blank field says nothing)."""
    for x, y in ((a.number_key, b.number_key), (a.date, b.date), (a.issuer, b.issuer), (a.doc_type, b.doc_type)):
        if x and y and x != y:
            return False
    return True


def candidate_pairs(files: list[FileFacts], s: Settings):
    """(a, b, kind) for every pair worth a look: same number, issuer and date
    ('header'), or a blank-numbered file and a compatible one ('text')."""
    by_key: dict[tuple, list[FileFacts]] = {}
    for f in files:
        if f.complete:
            by_key.setdefault((f.number_key, f.issuer, f.date), []).append(f)
    for same in by_key.values():
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                if compatible(a, b):
                    yield a, b, "header"
    loose = [f for f in files if not f.complete]
    seen = set()
    for a in loose:
        for b in files:
            if b.doc_id == a.doc_id or (min(a.doc_id, b.doc_id), max(a.doc_id, b.doc_id)) in seen:
                continue
            seen.add((min(a.doc_id, b.doc_id), max(a.doc_id, b.doc_id)))
            if compatible(a, b) and estimate(a.sketch, b.sketch, s.sketch) >= s.same_text - 0.15:
                yield a, b, "text"


def kept_apart(a: FileFacts, b: FileFacts, s: Settings) -> bool:
    return any(frozenset(p) in s.apart for p in ((a.name, b.name), (a.path, b.path), (a.name, b.path),
                                                  (a.path, b.name)))


def group(files: list[FileFacts], similarity, s: Settings = Settings()) -> list[list[Member]]:
    """The groups of two or more files, each as its members.

    ``similarity(a, b)`` gives the exact Jaccard similarity of two files'
    texts (the caller reads them). Pairs join strongest first; a join that
    would put two different numbers, dates, issuers or types, or a pair kept
    apart, in one group is refused."""
    scored = []
    for a, b, kind in candidate_pairs(files, s):
        if kept_apart(a, b, s):
            continue
        sim = similarity(a, b)
        if sim >= (s.same_header_text if kind == "header" else s.same_text):
            scored.append((kind == "header", sim, a, b))
    scored = _unambiguous(scored, s)
    scored.sort(key=lambda x: (not x[0], -x[1], x[2].doc_id, x[3].doc_id))
    comp: dict[int, list[FileFacts]] = {f.doc_id: [f] for f in files}
    reason: dict[int, str] = {}
    for by_header, sim, a, b in scored:
        ca, cb = comp[a.doc_id], comp[b.doc_id]
        if ca is cb or not _may_join(ca, cb, s):
            continue
        merged = ca + cb
        for f in merged:
            comp[f.doc_id] = merged
        why = ("same number, issuer and date" if by_header else "same text") + f" (similarity {sim:.2f})"
        reason.setdefault(a.doc_id, why)
        reason.setdefault(b.doc_id, why)
    out, done = [], set()
    for f in files:
        c = comp[f.doc_id]
        if len(c) < 2 or id(c) in done:
            continue
        done.add(id(c))
        out.append(members(c, reason))
    return out


def _unambiguous(scored: list, s: Settings) -> list:
    """Text pairs left out where a blank-numbered file is about as like two
    documents of different numbers (notices of one template, a few words
    apart): which one it drafts, the text cannot tell."""
    near: dict[int, dict[str, float]] = {}
    for by_header, sim, a, b in scored:
        if by_header:
            continue
        for loose, other in ((a, b), (b, a)):
            if not loose.complete and other.number_key:
                best = near.setdefault(loose.doc_id, {})
                best[other.number_key] = max(best.get(other.number_key, 0.0), sim)
    doubtful = set()
    for doc_id, by_number in near.items():
        top = sorted(by_number.values(), reverse=True)
        if len(top) > 1 and top[0] - top[1] < s.margin:
            doubtful.add(doc_id)
    return [x for x in scored if x[0] or not ({x[2].doc_id, x[3].doc_id} & doubtful)]


def _may_join(ca: list[FileFacts], cb: list[FileFacts], s: Settings) -> bool:
    return all(compatible(a, b) and not kept_apart(a, b, s) for a in ca for b in cb)


# Whose items a document's counts take: a born-digital text over an OCR'd one,
# an editable original over its PDF and a web copy; so a draft's task ids stay
# the register's when its signed scan arrives.
_FORMAT_RANK = {"docx": 0, "doc": 0, "odt": 0, "rtf": 1, "pdf": 2, "txt": 3, "html": 4}


def _kept_rank(f: FileFacts):
    return (f.ocr, _FORMAT_RANK.get(f.format or "", 5), not f.complete, f.path)


def _header_rank(f: FileFacts):
    return (not f.complete, not f.number_key, not f.date, f.ocr, not f.signed, f.path)


def role(f: FileFacts, signed_id: int | None) -> str:
    if not f.complete:
        return "draft"
    return "signed" if f.doc_id == signed_id else "copy"


def _signed_rank(f: FileFacts):
    """A complete PDF (a scan first) is the issued document; else an editable original over a web copy."""
    return (f.format != "pdf", not f.ocr, _FORMAT_RANK.get(f.format or "", 5))


def signed_file(files: list[FileFacts]) -> FileFacts | None:
    """The file that is the issued document: the complete one of the best
    kind, when one is; two of a kind (a circular copied from two websites)
    are both copies: which one was signed, nothing tells."""
    complete = sorted((f for f in files if f.complete), key=lambda f: (_signed_rank(f), not f.signed, f.path))
    if len(complete) > 1 and _signed_rank(complete[0]) == _signed_rank(complete[1]):
        return None
    return complete[0] if complete else None


def members(files: list[FileFacts], reason: dict[int, str]) -> list[Member]:
    kept = min(files, key=_kept_rank)
    header = min(files, key=_header_rank)
    signed = signed_file(files)
    return [Member(f.doc_id, kept.doc_id, header.doc_id, role(f, signed.doc_id if signed else None),
                   reason.get(f.doc_id, "")) for f in sorted(files, key=lambda f: f.path)]
