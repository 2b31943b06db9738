"""The records vanban passes along, as dataclasses.

Data flows one way: a reader makes a :class:`RawDocument`, normalisation and
structure make a :class:`Document`, extractors fill an :class:`Extraction`.
Every extracted item carries a :class:`Span`: offsets into
``Document.text`` (the normalised text) and the page they sit on.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from .intervals import holders


# ---------------------------------------------------------------- reading
@dataclass(slots=True)
class RawBlock:
    """One paragraph, table row or footnote as a reader found it."""

    text: str
    page: int | None = None          # 1-based, PDF only
    kind: str = "para"               # para | row | footnote
    cells: list[str] | None = None   # table rows: the cell texts
    label: str = ""                  # Word automatic numbering, rendered ("1.", "a)", "-")
    anchor: str | None = None        # footnotes: their mark ("1")
    table: int | None = None         # index of the table a row belongs to
    style: str = ""                  # paragraph style name, when the format has one


@dataclass
class RawDocument:
    path: str
    format: str                      # txt | docx | pdf
    sha256: str
    blocks: list[RawBlock]
    pages: int | None = None
    ocr_pages: list[int] = field(default_factory=list)   # pages with no usable text layer
    ocr_confidence: dict[int, float] = field(default_factory=dict)   # pages read by OCR -> mean confidence
    ocr_fields: dict[str, float] = field(default_factory=dict)       # header fields read by OCR -> confidence
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- structure
@dataclass(slots=True)
class Span:
    start: int
    end: int
    page: int | None = None

    def to_dict(self):
        return {"start": self.start, "end": self.end, "page": self.page}


@dataclass(slots=True)
class Block:
    """A normalised block: its text is ``Document.text[start:end]``."""

    start: int
    end: int
    page: int | None
    kind: str
    raw_index: int                   # index into RawDocument.blocks
    cells: list[tuple[int, int]] | None = None   # cell spans for table rows
    label: str = ""
    anchor: str | None = None
    table: int | None = None


@dataclass
class Header:
    doc_type: str | None = None           # BC, TB, KH, QĐ, ... CV
    doc_type_name: str | None = None      # "Báo cáo"
    number: str | None = None             # "47/CTr-SVHTTDL", None when blank
    symbol: str | None = None             # ký hiệu alone ("TB-SCT"), even when the number is blank
    issuer: str | None = None
    issuer_parent: str | None = None
    place: str | None = None
    date: str | None = None               # ISO, None when absent or incomplete
    year: int | None = None               # the year the date line gives, even when incomplete
    month: int | None = None
    title: str | None = None
    recipients_to: list[str] = field(default_factory=list)   # "Kính gửi"
    spans: dict[str, Span] = field(default_factory=dict)
    body_start: int = 0                   # offset where the body begins


@dataclass(slots=True)
class Section:
    id: str                 # "V.2", "2.1", "2.1/-3" (the 3rd bullet), "1#2" (a list numbered from 1 again)
    label: str              # as written: "2.1.", "a)", "-"
    kind: str               # roman | arabic | letter | bullet | heading
    level: int
    heading: str            # first line (headings) or the bullet's text
    parent: str | None
    start: int
    end: int                # end of the whole section (children included)
    heading_end: int
    page: int | None = None


@dataclass(slots=True)
class Signer:
    authority: str | None = None     # TM. / KT. / TL. / TUQ. / Q.
    on_behalf_of: str | None = None  # "GIÁM ĐỐC", "ỦY BAN NHÂN DÂN"
    position: str | None = None      # "PHÓ GIÁM ĐỐC"
    name: str | None = None
    span: Span | None = None


@dataclass(slots=True)
class Footnote:
    anchor: str
    text: str
    span: Span
    anchor_offset: int | None = None   # where the mark sits in the body


@dataclass
class Document:
    path: str
    format: str
    sha256: str
    pages: int | None
    text: str
    blocks: list[Block]
    offsets: Sequence[int]            # normalised offset -> offset in raw_text (normalize.OffsetMap)
    raw_text: str
    header: Header = field(default_factory=Header)
    sections: list[Section] = field(default_factory=list)
    signer: Signer | None = None
    recipients: list[str] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    ocr_confidence: dict[int, float] = field(default_factory=dict)
    ocr_fields: dict[str, float] = field(default_factory=dict)   # header fields read by OCR -> confidence
    warnings: list[str] = field(default_factory=list)
    body_end: int | None = None       # where the closing parts begin
    appendix_start: int | None = None  # where a text issued with it begins after the signature (Quy chế, Phụ lục)

    def page_at(self, offset: int) -> int | None:
        # blocks are in text order and do not overlap: the last one starting
        # at or before ``offset`` is the only one that may hold it
        starts = self.__dict__.get("_block_starts")
        if starts is None or len(starts) != len(self.blocks):
            starts = self.__dict__["_block_starts"] = [b.start for b in self.blocks]
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset <= self.blocks[i].end:
            return self.blocks[i].page
        return None

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.page_at(start))

    def section_at(self, offset: int) -> Section | None:
        """The innermost section that holds ``offset`` (the deepest; of equal
        depth, the later one), by bisection over the places the answer changes."""
        key = (id(self.sections), len(self.sections))
        index = self.__dict__.get("_section_index")
        if index is None or index[0] != key:
            index = self.__dict__["_section_index"] = (key, *_innermost_runs(self.sections))
        _, bounds, owners = index
        i = bisect_right(bounds, offset) - 1
        return owners[i] if i >= 0 else None

    def blocks_between(self, start: int, end: int) -> list[Block]:
        """The blocks that begin in ``[start, end)``, in text order (a section's
        paragraphs: ``blocks_between(s.start, s.end)``), by bisection."""
        starts = self.__dict__.get("_block_starts")
        if starts is None or len(starts) != len(self.blocks):
            starts = self.__dict__["_block_starts"] = [b.start for b in self.blocks]
        return self.blocks[bisect_left(starts, start):bisect_left(starts, end)]


def _innermost_runs(sections: list[Section]) -> tuple[list[int], list[Section | None]]:
    """Offsets where the innermost section changes, and the section from each on:
    at each start and end, the open section of the highest (level, position
    in the list), the order ``section_at`` picks by."""
    events = sorted({x for s in sections for x in (s.start, s.end)})
    at = holders(((s.start, s.end, (-s.level, -i), s) for i, s in enumerate(sections)), events)
    bounds: list[int] = []
    owners: list[Section | None] = []
    for pos, owner in zip(events, at):
        if not owners or owners[-1] is not owner:
            bounds.append(pos)
            owners.append(owner)
    return bounds, owners


# ---------------------------------------------------------------- extraction
@dataclass(slots=True)
class Reference:
    code: str
    doc_type: str | None
    date: str | None
    number: str | None = None
    year: int | None = None
    type_code: str | None = None      # the type abbreviation inside the code (NQ in 04-NQ/TU)
    issuer_code: str | None = None    # CP, UBND, TU
    sub_unit: str | None = None       # TH in 1848/UBND-TH
    issuer: str | None = None         # "UBND tỉnh" from "của UBND tỉnh"
    text: str = ""
    mentions: list[Span] = field(default_factory=list)
    section: str | None = None


@dataclass(slots=True)
class Deadline:
    date: str | None
    text: str
    kind: str = "by"                   # by | on | within_month | within_quarter | recurring | relative
    span: Span | None = None
    task: int | None = None            # index into Extraction.tasks
    section: str | None = None
    clause: str = ""                   # the clause around it, for context


@dataclass(slots=True)
class Task:
    text: str
    unit: str | None
    unit_canonical: str | None = None
    co_units: list[str] = field(default_factory=list)
    deadline: str | None = None
    deadline_text: str | None = None
    span: Span | None = None
    section: str | None = None
    id: str | None = None             # stable across re-runs: extract.task_ids, set by the pipeline
    deadline_span: Span | None = None  # a plan table's deadline cell, outside the task's own words


@dataclass(slots=True)
class Metric:
    value: float
    unit: str
    unit_canonical: str | None = None
    total: float | None = None
    qualifier: str | None = None      # gần, hơn, trên, khoảng, đạt, ước
    comparison: str | None = None     # "tăng so với cùng kỳ năm 2022"
    measure: str | None = None        # what the number measures, where the text says
    text: str = ""
    span: Span | None = None
    section: str | None = None


@dataclass(slots=True)
class Entity:
    text: str
    label: str                        # ORG | LOC | PER
    canonical: str | None = None
    span: Span | None = None
    source: str = "rule"              # rule | gazetteer | underthesea
    part_of: str | None = None        # LOC: the province a district is in, or the one an old province joined in 2025
    section: str | None = None


@dataclass
class Extraction:
    document: Document
    references: list[Reference] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


def to_plain(obj: Any) -> Any:
    """Dataclasses to JSON-ready dicts (spans included)."""
    return asdict(obj) if hasattr(obj, "__dataclass_fields__") else obj
