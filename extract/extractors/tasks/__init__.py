"""Tasks: future work a document assigns, each with the unit that must do it.

One pass over the document's items (paragraphs and the items a paragraph
numbers inside itself), plus one over its plan tables. Each item is asked,
in this order, by small finders with one job each:

- :mod:`.labelled`: "Đơn vị chủ trì: ...", "Thời gian hoàn thành: ..." lines
  give the item above them its unit and deadline (and are no tasks);
- :mod:`.tables`: rows of a plan table (Nội dung | Cơ quan chủ trì | ...);
- :mod:`.articles`: "Điều 3. ... chịu trách nhiệm thi hành Quyết định này";
- :mod:`.sentences`: a unit named in the item's own sentence ("Giao Sở Xây
  dựng ...", "Bộ Công an chủ trì ...", "..., đề nghị Bộ ... xem xét");
- :mod:`.headings`: a heading naming the unit of the items under it ("2.1.
  Văn phòng Sở", "Trách nhiệm của Sở Tài chính", "Đối với các chủ đầu tư:").

Where an item stands decides whether it is work at all: under a heading of
work to come ("Nhiệm vụ", "Tổ chức thực hiện", "Kiến nghị"), a unit's
heading, or a paragraph that hands work out ("... kết luận như sau:"); never
under results, purposes or requirements. :mod:`.nontask` says what is never a
task; :mod:`.units` where a unit's name ends.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import regex

from ...model import Document, Section, Task
from ..dates import context_date, due_date
from . import labelled, learned, nontask
from .articles import execution
from .headings import heading_unit, is_unit_heading
from .sentences import Named, assignment, subject, unit_colon
from .tables import cell_paragraph_rows, drop_restated, plan_rows
from .units import MANDATE, canonical_unit, clean_unit, split_units, unit_at, unit_name

__all__ = ["find_tasks", "canonical_unit", "co_units", "is_unit_heading", "unit_phrase", "split_units"]

# Documents that give orders: a sentence "X chủ trì ..." there is an order
# even outside a heading of tasks. In a report (BC) or a submission (TTr) it
# may describe what was done, so there only a heading of work to come counts.
_DIRECTIVE_TYPES = frozenset(["TB", "CV", "CĐ", "CT", "KH", "QĐ", "HD", "KL", "NQ", "QC", "QyĐ", "CTr", "PA", "ĐA", "TTg"])
_LABEL = regex.compile(r"^(?:[-+*•▪●◦]\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s+|[a-zđ][.)]\s+|\((?:\d{1,2}|[a-zđ]|[ivx]{1,4})\)\s+|"
                       r"[IVXLC]{1,6}[.)]\s+|Điều\s+\d+[.:]?\s+)")
_INLINE = regex.compile(r"(?:^|(?<=[\s:;.,]))\((?P<n>\d{1,2}|[a-zđ]|[ivx]{1,4})\)\s+")
_CO_UNITS = regex.compile(r"phối hợp(?: chặt chẽ)?(?: với)?\s+(?P<u>[^.;:()\n]{3,160})", regex.I)
_FOLLOWS = regex.compile(r"\s*,?\s*\S")
_CLAUSE_OPENER = regex.compile(r"(?:^|[,.;:]\s*)(?:do đó|vì vậy|vì thế|theo đó|kính|xin|nay|đồng thời|ngoài ra)$", regex.I)


def unit_phrase(text: str) -> str | None:
    """The unit's name at the start of ``text``, up to where its work begins."""
    return unit_name(text)


def co_units(text: str) -> list[str]:
    """Units named after "phối hợp (với)" in a task's text."""
    out: list[str] = []
    for m in _CO_UNITS.finditer(text):
        u = unit_name(m.group("u"))
        if u:
            out.extend(x for x in split_units(u) if x not in out)
    return out


@dataclass(slots=True)
class _Item:
    start: int            # the item's text, label included
    end: int
    body: int             # where its text begins after the label
    section: Section | None    # the section this item opens, if it opens one
    parent: Section | None     # the section it sits in
    quoted: bool = False       # inside a quotation of another text ("2. Thu nhập từ tiền lương ..."), or a form


@dataclass(slots=True)
class Candidate:
    """An item the learned decision judges, with what the rules know of it."""
    it: _Item
    start: int
    end: int
    body: str
    task: Task | None       # what the rules made of it
    why: str | None         # why a rule refused it
    zone: str | None
    ctx_src: str | None
    ctx_unit: str | None
    named: str | None       # how its own sentence names a unit: assign | subject | colon
    named_unit: str | None
    kind: str | None
    level: int
    directive: bool
    work: bool
    directive_doc: bool
    appendix: bool
    position: float
    doc_type: str | None
    exact: bool = False     # taken by a rule that is exact (labelled lines, the executing article): never dropped


@dataclass(slots=True)
class _Intro:
    start: int
    scope_end: int
    unit: str | None
    deadline: tuple[str, str] | None = None   # (date, text) the lead-in sets for all under it


class _Finder:
    def __init__(self, doc: Document, deadlines=()):
        self.doc = doc
        # dated deadlines by position: a lead-in's ("..., hoàn thành trong tháng 11 năm 2025, cụ thể:")
        # is the due date of the items it hands out
        self.dated = sorted((d.span.start, d.span.end, d.date, d.text) for d in deadlines if d.date and d.span)
        self._dated_starts = [x[0] for x in self.dated]
        self.text = doc.text
        self.by_id = {s.id: s for s in doc.sections}
        self.kids: dict[str | None, list[Section]] = {}
        for s in doc.sections:
            self.kids.setdefault(s.parent, []).append(s)
        self.body_start = doc.header.body_start
        self.body_end = doc.body_end if doc.body_end is not None else len(doc.text)
        self.directive_doc = (doc.header.doc_type or "") in _DIRECTIVE_TYPES
        self.ctx_date = context_date(doc)
        # a decision publishing administrative procedures: its annex lists the steps of each
        # procedure, which bind whoever files one; the decision's own articles hold its tasks
        self.publishes_procedures = nontask.publishes_procedures(doc.header.title)
        # a plan table copied as text, a cell per paragraph: its rows are tasks, its cells no items
        self.cell_rows, self.cell_blocks = cell_paragraph_rows(doc)
        self.addressees: set[str] = set()     # sections of the "Kính gửi:" list
        self.items = self._items()
        self.labels: dict[str | None, labelled.Labels] = {}
        self.label_items: set[int] = set()
        self.intros: list[_Intro] = []
        self._own_unit: dict[str, Named | None] = {}
        self._piece_unit: dict[tuple[int, int], str] = {}   # inline pieces under a unit's "X:" lead
        self.why: str | None = None                          # why the last item judged is no task
        self._nearest: dict[int, tuple[_Intro | None, _Intro | None]] | None = None
        self._scan()

    # ------------------------------------------------------------ items
    def _items(self) -> list[_Item]:
        """Paragraphs of the body in order, with the section each opens and
        the one it sits in (one sweep with a stack: linear in the text)."""
        secs = self.doc.sections
        by_start = {s.start: s for s in secs}
        items: list[_Item] = []
        stack: list[Section] = []
        i = 0
        appendix = None if self.publishes_procedures else self.doc.appendix_start
        addressees = False
        for b in self.doc.blocks:
            if b.kind != "para" or not (self.body_start <= b.start < self.body_end
                                        or appendix is not None and b.start >= appendix) or b.start in self.cell_blocks:
                continue
            line = self.text[b.start:b.end]
            if not items and _TO.match(line):
                addressees = True
            if addressees:
                # "Kính gửi: UBND các xã, phường; Các đơn vị ... trực thuộc.": whom the letter is sent to,
                # a line each, no heading of the work after it
                if _TO.match(line) or (len(line.split()) <= 25 and heading_unit(_TO.sub("", line).strip(" -+.;,"))):
                    if b.start in by_start:
                        self.addressees.add(by_start[b.start].id)
                    continue
                if line.strip().startswith("(") and line.strip().rstrip(".;").endswith(")"):
                    continue      # "(Địa chỉ: Trung tâm Thương mại Hà Tiên, ...)" under an addressee
                addressees = False
            while i < len(secs) and secs[i].start < b.start:
                stack.append(secs[i])
                i += 1
            while stack and stack[-1].end <= b.start:
                stack.pop()
            own = by_start.get(b.start)
            if own is not None and i < len(secs) and secs[i] is own:
                i += 1
            if own is not None:
                parent = self.by_id.get(own.parent) if own.parent else None
                stack.append(own)
                body = b.start + len(own.label)
            else:
                parent = stack[-1] if stack else None
                m = _LABEL.match(self.text, b.start, b.end)
                body = m.end() if m else b.start
            while body < b.end and self.text[body].isspace():
                body += 1
            items.append(_Item(b.start, b.end, body, own, parent))
        _mark_quotations(self.text, items)
        _mark_forms(self.text, items)
        return items

    def _scan(self):
        """Labelled lines (attached to the section they describe) and the
        paragraphs that hand work out, before any item is judged."""
        found = []      # (its labels, the bullet they follow at once, the section over that bullet)
        last = None     # the last item that is no labelled line
        for idx, it in enumerate(self.items):
            lab = labelled.parse(self.text[it.body:it.end])
            if lab is None:
                last = it
                continue
            self.label_items.add(idx)
            owner, bullet = it.parent, None
            while owner is not None and owner.kind == "bullet" and it.section is None:
                bullet = bullet or owner
                owner = self.by_id.get(owner.parent) if owner.parent else None
            follows = bullet is not None and last is not None and last.section is bullet
            found.append((lab, bullet.id if follows else None, owner.id if owner else None))
        # Labels under a bullet describe the section over it ("- ...; - ...; Đơn vị chủ trì: ..."),
        # unless several bullets of that section have labels of their own: then each is a plan's
        # item with its own unit and time ("- Tăng cường ...; Đơn vị chủ trì: A; - Ra mắt ...;
        # Đơn vị chủ trì: B").
        bullets_of: dict = {}
        for _lab, bullet, key in found:
            if bullet is not None:
                bullets_of.setdefault(key, set()).add(bullet)
        for lab, bullet, key in found:
            if bullet is not None and len(bullets_of.get(key, ())) > 1:
                key = bullet
            cur = self.labels.setdefault(key, labelled.Labels())
            if lab.unit and not cur.unit:
                cur.unit = lab.unit
            cur.co_units.extend(lab.co_units)
            if lab.deadline_text and not cur.deadline_text:
                cur.deadline_text = lab.deadline_text
        for idx, it in enumerate(self.items):
            if idx in self.label_items:
                continue
            t = self.text[it.body:it.end]
            lead_unit = _named(t) if t.rstrip().endswith(":") else None
            if lead_unit is not None and (lead_unit.how == "colon" or not _hands_out(t[lead_unit.end:])):
                lead_unit = None
            if (nontask.is_intro(t) or lead_unit is not None) and not nontask.is_closing(t):
                # "... đề nghị các chủ đầu tư thực hiện các nội dung sau:", "Sở Tài chính có trách nhiệm:"
                a = assignment(t)
                if a is None and not self.directive_doc and self._zone_of_place(it) != "task":
                    continue      # a report's "... tập trung chỉ đạo các nhiệm vụ sau:" describes what it did
                main = nontask.last_sentence(t)
                s = subject(main) if a is None else None
                if s is not None and _SPEAKS.match(main[s.end:]):
                    s = None      # "Chủ tịch UBND tỉnh kết luận như sau:": the one who speaks, not who does
                unit = (a or s).unit if (a or s) else None
                if it.section is not None and self.kids.get(it.section.id):
                    start, end = it.section.start, it.section.end
                elif it.section is not None:
                    # "1. Giao phòng X thực hiện các công việc sau:" over its siblings "2. ...", "3. ..."
                    par = self.by_id.get(it.section.parent) if it.section.parent else None
                    start, end = it.section.start, (par.end if par else self.body_end)
                else:
                    par = next(self._chain(it.parent), None)
                    start, end = it.end, (par.end if par else self.body_end)
                self.intros.append(_Intro(start, end, unit, self._dated_in(it.body, it.end)))

    # ------------------------------------------------------------ context
    def _chain(self, sec: Section | None):
        while sec is not None:
            if sec.id not in self.addressees:
                yield sec
            sec = self.by_id.get(sec.parent) if sec.parent else None

    def own_unit(self, sec: Section) -> Named | None:
        """The unit a section's heading sentence names ("(1) Bộ Y tế chỉ đạo ...")."""
        if sec.id not in self._own_unit:
            t = self.text[sec.start + len(sec.label):sec.heading_end].strip()
            self._own_unit[sec.id] = _named(t)
        return self._own_unit[sec.id]

    def _zone_of_place(self, it: _Item) -> str | None:
        """What the headings above ``it`` say of its place (intros left aside)."""
        for a in self._chain(it.section or it.parent):
            z = nontask.heading_zone(a.heading)
            if z is not None:
                return z
        return None

    def zone(self, it: _Item) -> str | None:
        """"task", "unit", "other" or None: what the nearest heading (or paragraph
        handing work out) says of the place of ``it``."""
        best_pos, best = -1, None
        for a in self._chain(it.parent):
            if a.kind in ("bullet", "paren") and _is_sentence(a.heading):
                continue           # "(3) Tổng kinh phí cần thiết ...": an item of a list, no heading of a place
            z = nontask.heading_zone(a.heading)
            if z == "other":
                best_pos, best = a.start, z
                break
            if z is None and best is None and (self.directive_doc and heading_unit(a.heading) or a.id in self.labels):
                # a unit's heading makes a place of tasks in an order, not in a record of findings;
                # "unit" says only a unit's heading does (its lines may describe the unit)
                best_pos, best = a.start, ("task" if a.id in self.labels else "unit")
            if z == "task":
                if best is None:
                    best_pos = a.start
                best = z           # a unit's heading under a heading of work to come: work to come
                break
        intro = self._intro_over(it, False)
        if intro is not None and intro.start > best_pos:
            best = "task"
        return best

    def context_unit(self, it: _Item) -> str | None:
        return self.context(it)[0]

    def context(self, it: _Item) -> tuple[str | None, str | None]:
        """The unit the item's place gives it, and where from ("label",
        "heading", "intro"): its section's labelled line, else the nearest
        unit heading, unit sentence above it or paragraph handing work out to a unit."""
        for a in self._chain(it.section or it.parent):
            lab = self.labels.get(a.id)
            if lab and lab.unit:
                return clean_unit(lab.unit), "label"
        best_pos, best, src = -1, None, None
        for a in self._chain(it.parent):
            u = heading_unit(a.heading)
            if not u:
                own = self.own_unit(a)
                u = own.unit if own else None
            if u:
                best_pos, best, src = a.start, u, "heading"
                break
        intro = self._intro_over(it, True)
        if intro is not None and intro.start > best_pos:
            best, src = intro.unit, "intro"
        return best, src

    def _intro_over(self, it: _Item, with_unit: bool) -> _Intro | None:
        """The latest paragraph handing work out whose reach holds ``it``
        (with a unit, if asked): found for every item in one sweep."""
        if self._nearest is None:
            self._nearest = {}
            intros = sorted(self.intros, key=lambda x: x.start)
            stacks: tuple[list[_Intro], list[_Intro]] = ([], [])
            j = 0
            for x in self.items:
                while j < len(intros) and intros[j].start <= x.start:
                    stacks[0].append(intros[j])
                    if intros[j].unit:
                        stacks[1].append(intros[j])
                    j += 1
                found = []
                for st in stacks:
                    # the newest still open; an older one ended under it is dropped when it surfaces
                    while st and st[-1].scope_end <= x.start:
                        st.pop()
                    k = len(st) - 1
                    while k >= 0 and (st[k].start == x.start or st[k].scope_end <= x.start):
                        k -= 1
                    found.append(st[k] if k >= 0 else None)
                self._nearest[x.start] = tuple(found)
        got = self._nearest.get(it.start)
        return None if got is None else got[1 if with_unit else 0]

    def context_deadline(self, it: _Item, start: int, end: int) -> tuple[str | None, str | None]:
        """The due date the item's place gives it: its labelled line's, else (when
        its own words set none) that of the lead-in handing it out."""
        for a in self._chain(it.section or it.parent):
            lab = self.labels.get(a.id)
            if lab and lab.deadline_text:
                return due_date(lab.deadline_text, self.ctx_date), lab.deadline_text
        intro = self._intro_over(it, False)
        if intro is not None and intro.deadline and self._dated_in(start, end) is None:
            return intro.deadline
        return None, None

    def _dated_in(self, start: int, end: int) -> tuple[str, str] | None:
        i = bisect_left(self._dated_starts, start)
        if i < len(self.dated) and self.dated[i][1] <= end:
            return self.dated[i][2], self.dated[i][3]
        return None

    # ------------------------------------------------------------ judging
    def run(self, model: learned.Model | None = None) -> list[Task]:
        tasks: list[Task] = []
        if model is None:
            tasks = [t for _, _, _, t in self._judged() if t is not None]
        else:
            for c in self.candidates():
                if c.task is None and c.why in learned.HARD:
                    continue
                if c.exact or model.keep(learned.features(c), taken=c.task is not None):
                    tasks.append(c.task or self._rescue(c))
        if (self.doc.header.doc_type or "") in nontask.normative_types():
            # a decree's, law's or circular's norms bind everyone: work only where a body is named
            tasks = [t for t in tasks if t.unit]
        rows = self._table_tasks()
        tasks = drop_restated(tasks, rows) + rows
        tasks.sort(key=lambda t: t.span.start)
        return tasks

    def candidates(self) -> list[Candidate]:
        """Every item (or inline piece) with what the rules made of it and why."""
        out = []
        for it, start, end, t in self._judged():
            body = self.text[start:end].strip()
            if body:
                out.append(self._candidate(it, start, end, body, t, self.why))
        return out

    def _judged(self):
        """(item, start, end, the rules' task or None) for every item and inline piece;
        ``self.why`` says, as each is yielded, why a rule refused it."""
        for idx, it in enumerate(self.items):
            if idx in self.label_items:
                continue
            for start, end in self._pieces(it):
                self.why = None
                yield it, start, end, self._judge(it, start, end)

    def _candidate(self, it: _Item, start: int, end: int, body: str, task: Task | None, why: str | None) -> Candidate:
        sec = it.section or it.parent
        unit, src = self.context(it)
        n = _named(body)
        appendix = self.doc.appendix_start
        return Candidate(it=it, start=start, end=end, body=body, task=task, why=why, zone=self.zone(it),
                         ctx_src=src, ctx_unit=unit, named=n.how if n else None, named_unit=n.unit if n else None,
                         kind=sec.kind if sec else None, level=sec.level if sec else 0,
                         directive=nontask.is_directive(body), work=nontask.looks_like_work(body),
                         directive_doc=self.directive_doc, appendix=appendix is not None and start >= appendix,
                         position=start / max(1, len(self.text)), doc_type=self.doc.header.doc_type,
                         exact=task is not None and (src == "label" or execution(body) is not None))

    def _rescue(self, c: Candidate) -> Task:
        """A task the model keeps where a rule refused it: the unit its sentence names, else its place's."""
        return self._make(c.it, c.start, c.end, c.body, c.named_unit or c.ctx_unit)

    def _pieces(self, it: _Item):
        """The item, or the items it numbers inside itself ("(1) Sở A ...;
        (2) Sở B ...") when they name their own units."""
        text = self.text
        marks = list(_INLINE.finditer(text, it.body, it.end))
        if len(marks) >= 2:
            pieces = [(m.end(), marks[i + 1].start() if i + 1 < len(marks) else it.end) for i, m in enumerate(marks)]
            if sum(1 for a, e in pieces if _named(text[a:e])) >= 2:
                # what stands before "(1)" is a piece too: the lead-in, or item (1) when "(1)" is the label
                lead = (it.body, marks[0].start())
                return ([lead] if text[lead[0]:lead[1]].strip() else []) + pieces
            lead = unit_colon(text[it.body:marks[0].start()].strip())
            if lead is not None:
                # "Bộ Khoa học và Công nghệ: (1) trình ...; (2) chủ trì ...": each piece is that unit's
                for piece in pieces:
                    self._piece_unit[piece] = lead.unit
                return pieces
        # sentences that each open with their own unit ("Chủ tịch UBND tỉnh Hưng Yên khẩn trương ...
        # Ủy ban nhân dân các tỉnh: Ninh Bình, ... đẩy nhanh ..."): one task each
        if execution(text[it.body:it.end]):
            return [(it.body, it.end)]   # the executing article lists its units with ";" in one sentence
        cuts = [it.body]
        units = [None]
        for m in _NEXT_SENTENCE.finditer(text, it.body, it.end):
            n = subject(text[m.end():min(it.end, m.end() + 400)])
            if n is not None and n.start == 0:
                cuts.append(m.end())
                units.append(n.unit)
        if len(cuts) >= 2:
            first = subject(text[it.body:min(it.end, it.body + 400)])
            units[0] = first.unit if first is not None and first.start == 0 else None
            if units[0] is not None and len(set(units)) == len(units):
                return [(a, b) for a, b in zip(cuts, cuts[1:] + [it.end])]
        return [(it.body, it.end)]

    def _no(self, why: str) -> None:
        self.why = why          # why the last item judged is no task (a feature of the learned decision)
        return None

    def _judge(self, it: _Item, start: int, end: int) -> Task | None:
        text = self.text
        body = text[start:end].strip()
        if not body:
            return self._no("empty")
        sec = it.section
        kids = self.kids.get(sec.id, []) if sec is not None else []
        if sec is not None and sec.kind != "bullet" and len(body.split()) <= 15 and nontask.heading_zone(body) == "other" \
                and not (nontask.is_directive(body) and body.rstrip().endswith((".", ";"))):
            # a heading of results, purposes, grounds; not a short order that names one
            # ("a) Khẩn trương rà soát, chuẩn hóa kết quả giải quyết TTHC.")
            return self._no("result heading")
        if kids and not self._heading_is_task(it, body, kids):
            return self._no("heading over items")
        if not kids and sec is not None and sec.kind != "bullet" and self._has_paragraphs(it) \
                and not _is_sentence(body) and not self._heading_is_task(it, body, []):
            return self._no("heading over paragraphs")  # a numbered heading over plain paragraphs
        if nontask.is_intro(body) and not (sec is not None and kids and all(self._is_label(k) for k in kids)) \
                and not self._lists_contents(body, kids) and nontask.bare_lead(body) is None:
            return self._no("lead-in")
        if heading_unit(body) and len(body.split()) <= 25:
            return self._no("unit heading")  # a unit's heading with nothing under it
        if it.quoted:
            return self._no("quoted")  # a law or document quoted: its words assign nothing here
        zone = self.zone(it)
        ex = execution(body)
        why = nontask.reason(body)
        if why == "lead-in" and (self._lists_contents(body, kids) or nontask.bare_lead(body) is not None):
            why = None       # a sentence of work closed by a bare "Cụ thể:" is work, and a lead-in too
        if why and not (why == "grounds" and zone in ("task", "unit")) and not ex:
            return self._no(why)  # "Căn cứ Quyết định ..., chủ động ban hành ..." in a list of work is work
        ctx_unit, ctx_src = self.context(it)
        if (start, end) in self._piece_unit:
            ctx_unit, ctx_src = self._piece_unit[(start, end)], "intro"
            zone = zone or "task"
        elif ctx_src == "label" and zone is None:
            zone = "task"        # an item with labelled lines of its own ("Đơn vị chủ trì: ...") is a plan's item
        if nontask.is_field(body) and _named(body) is None:
            return self._no("field")
        opening = unit_at(body, 0, subject=True)
        if opening and nontask.is_past_predicate(body[opening[1]:]):
            return self._no("past report")  # "Sở ... đã thực hiện đầy đủ ...": a report of what was done
        unit: str | None = None
        a = assignment(body)
        s = subject(body)
        c = unit_colon(body)
        if ex:
            unit = ex[0]
        elif zone == "other":
            if a is None or a.strong is False and not _requests(body, a):
                return self._no("other zone")
            unit = a.unit
        elif a is not None and (s is None or a.start < s.end + 40) and (a.strong or ctx_src in (None, "intro")) \
                and (ctx_src in (None, "intro") or _opens_clause(body, a.word)):
            # "Giao X ..." names who does it; "Yêu cầu X ..." too, unless it stands in a unit's own list of work
            unit = a.unit
        elif s is not None and (zone in ("task", "unit") or self.directive_doc or _requests(body, s)):
            unit = s.unit
        elif c is not None and (zone in ("task", "unit") or self.directive_doc):
            unit = c.unit
        elif zone == "task" or zone == "unit" and nontask.looks_like_work(body):
            unit = ctx_unit
        elif a is not None and _requests(body, a):
            unit = a.unit
        else:
            return self._no("no unit nor place")
        if unit is None:
            unit = ctx_unit
        if a is not None and unit == a.unit and a.how == "assign":
            # a request late in a paragraph of findings: the task is its sentence on
            cut = _sentence_start(body, a.word)
            if cut:
                start = start + (len(text[start:end]) - len(text[start:end].lstrip())) + cut
                body = text[start:end].strip()
        return self._make(it, start, end, body, unit)

    def _make(self, it: _Item, start: int, end: int, body: str, unit: str | None) -> Task:
        sec = it.section
        kids = self.kids.get(sec.id, []) if sec is not None else []
        deadline, deadline_text = self.context_deadline(it, start, end)
        own = sec.parent if sec is not None and not kids else (sec.id if sec is not None else (it.parent.id if it.parent else None))
        cos = co_units(body)
        for a_ in self._chain(it.section or it.parent):
            lab = self.labels.get(a_.id)
            if lab and lab.co_units:
                cos = cos + [u for v in lab.co_units for u in split_units(v) if u not in cos]
                break
        return Task(text=" ".join(body.split()), unit=unit, unit_canonical=canonical_unit(unit),
                    co_units=cos, deadline=deadline, deadline_text=deadline_text,
                    span=self.doc.span(start, end), section=own)

    def _has_paragraphs(self, it: _Item) -> bool:
        """Whether paragraphs stand under the section ``it`` opens (it is a heading)."""
        sec = it.section
        return sec is not None and it.end < sec.end and any(
            not self.text[x.start:x.end].isspace() for x in self._under(sec))

    def _under(self, sec: Section):
        starts = self.__dict__.setdefault("_starts", [x.start for x in self.items])
        i = bisect_right(starts, sec.start)
        while i < len(self.items) and self.items[i].start < sec.end:
            yield self.items[i]
            i += 1

    def _is_label(self, s: Section) -> bool:
        return labelled.parse(self.text[s.start + len(s.label):s.heading_end].strip()) is not None

    def _heading_is_task(self, it: _Item, body: str, kids: list[Section]) -> bool:
        """A numbered item with items under it is a heading; it is a task
        itself when it is a sentence naming its unit ("(1) Bộ Y tế chỉ đạo
        ..., - Chỉ đạo ...") or when all under it are labelled lines."""
        if kids and all(self._is_label(k) for k in kids):
            return True
        own = self.labels.get(it.section.id) if it.section is not None else None
        if kids and own is not None and own.unit and any(self._is_label(k) for k in kids):
            return True          # its own "Đơn vị chủ trì: ..." among what stands under it: a plan's item
        if execution(body):
            return True
        if heading_unit(body):
            return False
        if nontask.is_intro(body):
            # "X khẩn trương rà soát, báo cáo cụ thể về một số nội dung sau:" over "(1) Số hộ dân ...":
            # the items say what to report, the lead-in is the work
            return self._lists_contents(body, kids)
        n = _named(body)
        return n is not None and n.how != "colon" and len(body.split()) >= 8

    def _lists_contents(self, body: str, kids: list[Section]) -> bool:
        """A lead-in naming who does what, over items none of which is work of its own."""
        n = _named(body)
        if n is None or n.how == "colon" or not kids:
            return False
        return not any(nontask.is_directive(self.text[k.start + len(k.label):k.heading_end].strip()) for k in kids)

    def _table_tasks(self) -> list[Task]:
        out = []
        annex = self.doc.appendix_start if self.publishes_procedures else None
        for r in plan_rows(self.doc) + self.cell_rows:
            a, e = r.text_span
            if annex is not None and a >= annex:
                continue
            body = self.text[a:e]
            unit = clean_unit(_cell_unit(r.unit)) if r.unit else None
            cos = [u for v in ([r.co_units] if r.co_units else []) for u in split_units(" ".join(v.split()))]
            out.append(Task(text=" ".join(body.split()), unit=" ".join(unit.split()) if unit else None,
                            unit_canonical=canonical_unit(unit), co_units=cos,
                            deadline=due_date(r.deadline_text, self.ctx_date) if r.deadline_text else None,
                            deadline_text=" ".join(r.deadline_text.split()) if r.deadline_text else None,
                            span=self.doc.span(a, e), section=None,
                            deadline_span=self.doc.span(*r.deadline_span) if r.deadline_span else None))
        return out


_NOTE = regex.compile(r"\s*\([^()]{0,80}\)")


def _cell_unit(cell: str) -> str:
    """A table's unit cell as a name: notes in parentheses dropped ("Công ty LCIDI (CĐT)"),
    each ";" part cut where its work begins ("Sở Công Thương hướng dẫn"), co-operation left to co_units."""
    parts = []
    for p in _NOTE.sub("", cell).split(";"):
        p = p.strip()
        if not p or p.lower().startswith("phối hợp"):
            continue
        span = unit_at(p, 0, subject=True)
        parts.append(p[:span[1]] if span else p)
    return "; ".join(parts) or cell


_OPEN_QUOTE = ('"', "“")
_QUOTE_REACH = 30     # an unclosed quotation (a copying slip) stops swallowing paragraphs


def _mark_quotations(text: str, items: list[_Item]) -> None:
    """Items inside a quotation of another text: from a paragraph opening
    with a quotation mark to the one that closes it. A quotation left open
    (a copying slip) ends at the next item of the document's own list at the
    level it was opened from, and after at most ``_QUOTE_REACH`` paragraphs."""
    left, level, shut = 0, 0, False
    texts = [text[it.body:it.end].strip() for it in items]
    for i, it in enumerate(items):
        t = texts[i]
        opens = t.startswith(_OPEN_QUOTE)
        if left and not opens and not shut and it.section is not None and it.section.level <= level:
            left = 0
        if opens or left:
            it.quoted = True
        marks = t.count('"') + t.count("“") + t.count("”")
        closes = t.rstrip(" .;,/").endswith(('"', "”"))
        if opens and marks % 2 == 1 and not (closes and marks > 1):
            left, level = _QUOTE_REACH, (it.section.level - 1 if it.section else (it.parent.level if it.parent else 0))
            # a quotation seen to close within reach runs to its closing mark, whatever
            # numbering the quoted text has ("Điều 51. ...", "10. Trường hợp ...", "... này.\"")
            shut = any(x.rstrip(" .;,/").endswith(('"', "”")) and not x.startswith(_OPEN_QUOTE)
                       and (x.count('"') + x.count("“") + x.count("”")) % 2 == 1
                       for x in texts[i + 1:i + 1 + _QUOTE_REACH])
        elif left:
            left = 0 if (closes or marks % 2 == 1) else left - 1


_FORM = regex.compile(r"^(?:Mẫu|Biểu mẫu|Biểu|Phụ lục mẫu)\s+(?:số\s+)?[\dIVX]+[a-z]?\s*[.:]?\s*$", regex.I)


def _mark_forms(text: str, items: list[_Item]) -> None:
    """The forms a regulation carries at its end ("Mẫu số 14", then "Kính
    gửi: ....(2)....", "Tài liệu kèm theo: ..."): blanks to fill, no work."""
    inside = False
    for it in items:
        if _FORM.match(text[it.body:it.end].strip()):
            inside = True
        if inside:
            it.quoted = True


_TO = regex.compile(r"^\s*kính\s+gửi\s*:?\s*", regex.I)


def _named(text: str) -> Named | None:
    """The unit a sentence names: assignment first when it opens the
    sentence or follows the subject ("UBND tỉnh yêu cầu các Sở ..."), else
    the subject, else "X: ..."."""
    a = assignment(text, limit=200)
    s = subject(text)
    if a is not None and (s is None or a.start <= s.end + 40):
        return a
    return s or unit_colon(text)


_SPEAKS = regex.compile(r"^\s*,?\s*(?:\S+\s+){0,3}?(?:kết luận|chỉ đạo|yêu cầu|đề nghị|giao|thống nhất|lưu ý|nhấn mạnh|phát biểu|có ý kiến|ý kiến)(?!\p{L})", regex.I)
_ANNOUNCES = regex.compile(r"^\s*,?\s*(?:thông báo|báo cáo|có ý kiến|trả lời|xin|kính|trân trọng|gửi|"
                           # the author presenting the document itself: "Sở X xây dựng Kế hoạch ..., cụ thể như sau:"
                           r"(?:xây dựng|ban hành)\s+(?:kế hoạch|chương trình|hướng dẫn|phương án|quy chế|đề án)\b.*như sau\s*:\s*$)", regex.I | regex.S)


def _hands_out(rest: str) -> bool:
    """What follows a unit's name in a lead-in is work ("có trách nhiệm:",
    "chủ trì, phối hợp ...:"), not an announcement ("thông báo ... như sau:")."""
    rest = MANDATE.sub("", rest.lstrip(" ,"), count=1)
    return nontask.is_directive(rest.lstrip(" ,")) and not _ANNOUNCES.match(rest)


_NEXT_SENTENCE = regex.compile(r"(?<=[.;])\s+(?=\p{Lu})")
_SENTENCE_END = regex.compile(r"[.!?;](?:\s+)(?=\p{Lu})")


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` begins (0 for the first)."""
    best = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        best = m.end()
    return best


def _is_sentence(text: str) -> bool:
    """A paragraph of content, not a heading: long, and closed by a full stop."""
    t = text.rstrip()
    return len(t.split()) >= 12 and t.endswith((".", ";", "./."))


def _opens_clause(body: str, pos: int) -> bool:
    """Whether ``pos`` opens the item or the clause after its topic ("Về X: Giao ...")."""
    before = body[:pos].rstrip()
    return not before or before.endswith(":")


def _requests(body: str, n: Named) -> bool:
    """A request inside a paragraph ("..., đề nghị Bộ ... xem xét"): the
    asking word opens a clause and the unit is followed by work ("hồ sơ ...
    đề nghị Bộ đưa vào danh mục" is a dossier, not a request)."""
    if n.how != "assign" or not _FOLLOWS.match(body, n.end, n.end + 5):
        return False
    before = body[:n.word].rstrip()
    return not before or before[-1] in ",.;:" or _CLAUSE_OPENER.search(before) is not None


_SHIPPED = object()


def find_tasks(doc: Document, model=_SHIPPED, deadlines=()) -> list[Task]:
    """Every task of ``doc``, in text order: the rules' items judged by the
    shipped model (``model=None``: by the rules alone). Deadlines named inside
    a task's own text are linked by the caller (:func:`extract.extractors.link_deadlines`)."""
    return _Finder(doc, deadlines).run(learned.current() if model is _SHIPPED else model)


def candidates(doc: Document, deadlines=()) -> list[Candidate]:
    """The items of ``doc`` a learned decision judges (training reads these)."""
    return _Finder(doc, deadlines).candidates()
