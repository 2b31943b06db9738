"""A page per document: the extraction drawn over its own text, as HTML.

:func:`render` is a pure function from an :class:`~extract.model.Extraction`
(and what the store knows around it: :class:`Relations`) to one
self-contained HTML page: inline CSS and a few lines of inline JS, nothing
fetched. Every item is highlighted where its offsets say, in the normalised
text they point into. Items overlap (a deadline inside a task, an entity
inside a reference), so the marks are nested, and one that crosses another's
end is split into pieces (:func:`segments`), each a well-formed element.

The markup lives in ``templates/page.html.j2`` (Jinja2, autoescaped); this
module only decides what goes where.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .model import Extraction

# the order marks of the same extent nest in: the outermost first
KINDS = ("task", "ref", "deadline", "metric", "entity")
_RANK = {k: i for i, k in enumerate(KINDS)}
KIND_NAMES = {"task": "nhiệm vụ", "ref": "văn bản dẫn chiếu", "deadline": "thời hạn",
              "metric": "số liệu", "entity": "thực thể"}
ENTITY_NAMES = {"ORG": "tổ chức", "LOC": "địa danh", "PER": "người"}


@dataclass
class Relations:
    """What the store says around one document (all optional: a file not stored has none).

    ``cites`` has one entry per reference of the extraction, in its order
    where it can (``idx``), each with ``doc_id`` when the reference resolves
    to one stored document and ``candidates`` when it could be several.
    ``pages`` maps a stored document's id to the address of its own page,
    for the documents that have one: only those are linked."""
    doc_id: int | None = None
    files: list[dict] = field(default_factory=list)       # path, role, format, doc_id
    cites: list[dict] = field(default_factory=list)       # idx, text, key, doc_id, candidates
    cited_by: list[dict] = field(default_factory=list)    # doc_id, path, number, text
    pages: dict[int, str] = field(default_factory=dict)   # doc_id -> href
    page_starts: list[tuple[int, int]] | None = None      # (offset, page), when the document's blocks are not at hand
    names: dict[int, str] = field(default_factory=dict)   # doc_id -> a short name (number or file), for links


@dataclass(slots=True)
class Mark:
    """One highlighted item (or one mention of a reference)."""
    start: int
    end: int
    kind: str                       # one of KINDS
    index: int                      # the item's index among its kind
    attrs: dict = field(default_factory=dict)
    first: bool = True              # the item's first mark (a reference has one per mention)


def _dmy(iso: str | None) -> str:
    """An ISO date as Vietnamese readers write it: 15/01/2026."""
    if not iso:
        return ""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def matched_cites(ex: Extraction, rel: Relations | None) -> list[dict | None]:
    """The store's word on each of the extraction's references: the entry of
    the same index when its code agrees (the store may hold another extractor
    version's references), else one of the same code."""
    if rel is None or not rel.cites:
        return [None] * len(ex.references)
    by_idx = {c.get("idx"): c for c in rel.cites if c.get("idx") is not None}
    by_code: dict = {}
    for c in rel.cites:
        by_code.setdefault(c.get("code"), c)
    out = []
    for i, r in enumerate(ex.references):
        c = by_idx.get(i)
        out.append(c if c is not None and c.get("code") in (None, r.code) else by_code.get(r.code))
    return out


def marks(ex: Extraction, rel: Relations | None = None) -> list[Mark]:
    """Every item's extent in the text, with what its element says of it."""
    n = len(ex.document.text)
    out: list[Mark] = []

    def add(span, kind, index, attrs, first=True):
        if span is None:
            return
        s, e = max(0, span.start), min(n, span.end)
        if e > s:
            out.append(Mark(s, e, kind, index, attrs, first))

    for i, t in enumerate(ex.tasks):
        add(t.span, "task", i, {"unit": t.unit_canonical or t.unit, "deadline": _dmy(t.deadline),
                                "deadline_text": t.deadline_text, "co_units": t.co_units, "id": t.id})
    for i, (r, c) in enumerate(zip(ex.references, matched_cites(ex, rel))):
        doc_id = c.get("doc_id") if c else None
        attrs = {"code": r.code, "date": _dmy(r.date), "issuer": r.issuer, "doc_id": doc_id,
                 "href": rel.pages.get(doc_id) if rel and doc_id is not None else None,
                 "candidates": list(c.get("candidates") or []) if c else []}
        for k, m in enumerate(r.mentions):
            add(m, "ref", i, attrs, first=k == 0)
    for i, d in enumerate(ex.deadlines):
        add(d.span, "deadline", i, {"date": _dmy(d.date), "kind": d.kind})
    for i, m in enumerate(ex.metrics):
        add(m.span, "metric", i, {"value": m.value, "unit": m.unit_canonical or m.unit, "measure": m.measure})
    for i, e in enumerate(ex.entities):
        add(e.span, "entity", i, {"label": e.label, "canonical": e.canonical, "part_of": e.part_of})
    out.sort(key=lambda m: (m.start, -m.end, _RANK[m.kind], m.index))
    return out


def page_starts(ex: Extraction) -> list[tuple[int, int]]:
    """Where each page of a PDF begins in the text: its first block."""
    seen: set[int] = set()
    out = []
    for b in ex.document.blocks:
        if b.page is not None and b.page not in seen:
            seen.add(b.page)
            out.append((b.start, b.page))
    return out


def segments(text: str, items: list[Mark], breaks: list[tuple[int, int]] = ()) -> list[tuple]:
    """The text cut at every mark's ends, as a flat run of events a template
    turns into nested elements: ``("open", mark, piece)``, ``("close",)``,
    ``("text", str)``, ``("page", n)``.

    Marks stay properly nested: when one must close while marks opened
    after it are still open, those close first and open again right after
    (``piece`` > 0 says it is a continuation). A page break sits where its
    page begins, inside whatever marks are open there."""
    bounds = {0, len(text)}
    for m in items:
        bounds.update((m.start, m.end))
    brk: dict[int, list[int]] = {}
    for off, page in breaks:
        off = max(0, min(len(text), off))
        brk.setdefault(off, []).append(page)
        bounds.add(off)
    starting: dict[int, list[Mark]] = {}
    for m in items:                       # already sorted outermost first
        starting.setdefault(m.start, []).append(m)
    events: list[tuple] = []
    stack: list[list] = []                # [mark, pieces so far]
    order = sorted(bounds)
    for k, pos in enumerate(order):
        # close what ends here, reopening what was opened inside it but goes on
        deepest = next((j for j, (m, _) in enumerate(stack) if m.end <= pos), None)
        if deepest is not None:
            reopen = [entry for entry in stack[deepest:] if entry[0].end > pos]
            for _ in stack[deepest:]:
                events.append(("close",))
            del stack[deepest:]
            for entry in reopen:
                entry[1] += 1
                events.append(("open", entry[0], entry[1]))
                stack.append(entry)
        for page in brk.get(pos, ()):
            events.append(("page", page))
        for m in starting.get(pos, ()):
            # a mark that ends after one still open is cut at that one's end
            # by the closing step above; here it simply opens
            stack.append([m, 0])
            events.append(("open", m, 0))
        if k + 1 < len(order):
            events.append(("text", text[pos:order[k + 1]]))
    events.extend(("close",) for _ in stack)
    return events


def _tagged(events: list[tuple]) -> list[tuple]:
    """Each open and close with its element's name: a reference with a page
    to go to is a link, unless it sits inside another link (links do not nest)."""
    out, open_tags = [], []
    for ev in events:
        if ev[0] == "open":
            m = ev[1]
            tag = "a" if m.kind == "ref" and m.attrs.get("href") and "a" not in open_tags else "span"
            open_tags.append(tag)
            out.append((*ev, tag))
        elif ev[0] == "close":
            out.append(("close", open_tags.pop()))
        else:
            out.append(ev)
    return out


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("extract", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["dmy"] = _dmy
    return env


def render(ex: Extraction, rel: Relations | None = None, *, index: str | None = None,
           title_suffix: str = "vanban") -> str:
    """The document's page, one string of HTML; ``index``: the address of the
    pages' index, for a link back to it."""
    rel = rel or Relations()
    doc, h = ex.document, ex.document.header
    breaks = rel.page_starts if rel.page_starts is not None else page_starts(ex)
    if doc.format != "pdf":
        breaks = []                   # pages are a PDF's; other formats have none to mark
    items = marks(ex, rel)
    counts = {k: 0 for k in KINDS}
    for m in items:
        if m.first:
            counts[m.kind] += 1
    refs = []
    for i, (r, c) in enumerate(zip(ex.references, matched_cites(ex, rel))):
        c = c or {}
        doc_id = c.get("doc_id")
        refs.append({"index": i, "code": r.code, "date": _dmy(r.date), "issuer": r.issuer, "text": r.text,
                     "doc_id": doc_id, "href": rel.pages.get(doc_id) if doc_id is not None else None,
                     "name": rel.names.get(doc_id) if doc_id is not None else None,
                     "candidates": [{"doc_id": d, "href": rel.pages.get(d), "name": rel.names.get(d)}
                                    for d in c.get("candidates") or []],
                     "key": c.get("key"), "ref_key": c.get("ref_key"), "mentioned": bool(r.mentions)})
    signer = doc.signer
    header = [
        ("Loại văn bản", h.doc_type_name or h.doc_type),
        ("Số, ký hiệu", h.number or (f"…/{h.symbol}" if h.symbol else None)),
        ("Cơ quan ban hành", h.issuer),
        ("Cơ quan chủ quản", h.issuer_parent),
        ("Địa danh", h.place),
        ("Ngày ban hành", _dmy(h.date)),
        ("Trích yếu", h.title),
        ("Người ký", " ".join(x for x in (signer.authority, signer.on_behalf_of, signer.position, signer.name) if x)
         if signer else None),
        ("Kính gửi", "; ".join(h.recipients_to) if h.recipients_to else None),
        ("Nơi nhận", "; ".join(doc.recipients) if doc.recipients else None),
    ]
    source = [
        ("Tệp", doc.path), ("Định dạng", doc.format), ("Số trang", doc.pages),
        ("Trang đọc bằng OCR", ", ".join(f"{p} ({doc.ocr_confidence.get(p, 0):.0f}%)" if p in doc.ocr_confidence
                                         else str(p) for p in doc.ocr_pages) if doc.ocr_pages else None),
        ("SHA-256", doc.sha256), ("Mã trong kho", rel.doc_id),
    ]
    name = h.number or Path(doc.path).name
    return _environment().get_template("page.html.j2").render(
        title=f"{name} — {title_suffix}", name=name, header=[(k, v) for k, v in header if v],
        source=[(k, v) for k, v in source if v not in (None, "")], warnings=doc.warnings,
        tasks=ex.tasks, refs=refs, counts=counts, kinds=KINDS, kind_names=KIND_NAMES,
        entity_names=ENTITY_NAMES, events=_tagged(segments(doc.text, items, breaks)),
        pages=[p for _, p in breaks], rel=rel, index=index)


def render_index(docs: list[dict], href) -> str:
    """The index of the pages `vanban show --all` writes: one row per stored
    document (the store's listing), linked to its page ``href(id)``."""
    return _environment().get_template("index.html.j2").render(
        docs=[{**d, "href": href(d["id"]), "name": d.get("number") or Path(d["path"]).name} for d in docs])
