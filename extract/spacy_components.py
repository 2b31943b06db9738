"""vanban's extractors as spaCy pipeline components.

    import spacy
    import extract.spacy_components  # registers the factories
    nlp = spacy.blank("xx")          # no model to download
    nlp.add_pipe("vanban_references"); nlp.add_pipe("vanban_tasks"); nlp.add_pipe("vanban_entities")
    doc = nlp(text)
    doc.spans["vanban_references"], doc.ents, doc._.vanban.tasks

or ``make_pipeline()`` for all of them. Each component reads the whole text
(references are found on the characters, before any word segmentation:
tokenisers cut "335/2025/NĐ-CP" into pieces) and maps its items back to the
spaCy document's characters, so a span always covers the whole code or
phrase, whatever the tokeniser did. Items go to ``doc.spans[<name>]`` (for
displacy's "span" style) with the record in ``span._.vanban``; entities go
to ``doc.ents`` (displacy's "ent" style). ``doc._.vanban`` holds the
:class:`~extract.model.Extraction`.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .model import Extraction, RawBlock, RawDocument

COMPONENTS = ["vanban_references", "vanban_deadlines", "vanban_metrics", "vanban_tasks", "vanban_entities"]

if not Doc.has_extension("vanban"):
    Doc.set_extension("vanban", default=None)
if not Span.has_extension("vanban"):
    Span.set_extension("vanban", default=None)


class _State:
    """One document's structure and the items found so far, shared by the components."""

    def __init__(self, doc: Doc):
        from .structure import structure

        lines = doc.text.split("\n")
        blocks, self._starts, self._raw_starts = [], [], []
        pos = raw = 0
        for line in lines:
            if line.strip():
                blocks.append(RawBlock(line))
                self._starts.append(pos)
                self._raw_starts.append(raw)
                raw += len(line) + 1
            pos += len(line) + 1
        self.document = structure(RawDocument(path=doc.user_data.get("path", "<spacy>"), format="txt",
                                              sha256="", blocks=blocks))
        self.extraction = Extraction(document=self.document)
        self.done: set[str] = set()

    def to_doc(self, norm: int) -> int:
        """A normalised offset as an offset into the spaCy doc's text."""
        offs = self.document.offsets
        raw = offs[max(0, min(norm, len(offs) - 1))]
        i = bisect_right(self._raw_starts, raw) - 1
        if i < 0:
            return raw
        return self._starts[i] + (raw - self._raw_starts[i])

    def ensure(self, kind: str) -> None:
        """Run the extractor for ``kind`` (and what it needs) once."""
        if kind in self.done:
            return
        ex, doc = self.extraction, self.document
        if kind == "references":
            from .extractors.references import find_references
            ex.references = find_references(doc)
        elif kind in ("deadlines", "metrics", "entities"):
            self.ensure("references")
            ref_spans = [m for r in ex.references for m in r.mentions]
            if kind == "deadlines":
                from .extractors.deadlines import find_deadlines
                ex.deadlines = find_deadlines(doc, ref_spans)
                if "tasks" in self.done:
                    from .extractors import link_deadlines
                    link_deadlines(ex)
            elif kind == "metrics":
                from .extractors.metrics import find_metrics
                ex.metrics = find_metrics(doc, ref_spans)
            else:
                from .extractors.entities import find_entities
                ex.entities = find_entities(doc, exclude=ref_spans)
        elif kind == "tasks":
            from . import task_ids
            from .extractors.tasks import find_tasks
            ex.tasks = find_tasks(doc)
            task_ids.assign(ex)            # the ids the pipeline gives
            if "deadlines" in self.done:
                from .extractors import link_deadlines
                link_deadlines(ex)
        self.done.add(kind)


def _state(doc: Doc) -> _State:
    st = doc.user_data.get("vanban_state")
    if st is None:
        st = doc.user_data["vanban_state"] = _State(doc)
        doc._.vanban = st.extraction
    return st


def _span(doc: Doc, st: _State, start: int, end: int, label: str, record) -> Span | None:
    sp = doc.char_span(st.to_doc(start), st.to_doc(end), label=label, alignment_mode="expand")
    if sp is not None:
        sp._.vanban = asdict(record) if hasattr(record, "__dataclass_fields__") else record
    return sp


class _ItemsComponent:
    kind = ""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def items(self, ex: Extraction):
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        st.ensure(self.kind)
        spans = []
        for start, end, label, record in self.items(st.extraction):
            sp = _span(doc, st, start, end, label, record)
            if sp is not None:
                spans.append(sp)
        doc.spans[self.name] = spans
        return doc


@Language.factory("vanban_references")  # the class is its own factory: (nlp, name)
class References(_ItemsComponent):
    kind = "references"

    def items(self, ex):
        for r in ex.references:
            for m in r.mentions:
                yield m.start, m.end, r.doc_type or "REF", r


@Language.factory("vanban_deadlines")  # the class is its own factory: (nlp, name)
class Deadlines(_ItemsComponent):
    kind = "deadlines"

    def items(self, ex):
        for d in ex.deadlines:
            if d.span:
                yield d.span.start, d.span.end, "DEADLINE", d


@Language.factory("vanban_metrics")  # the class is its own factory: (nlp, name)
class Metrics(_ItemsComponent):
    kind = "metrics"

    def items(self, ex):
        for m in ex.metrics:
            if m.span:
                yield m.span.start, m.span.end, m.unit_canonical or "NUMBER", m


@Language.factory("vanban_tasks")  # the class is its own factory: (nlp, name)
class Tasks(_ItemsComponent):
    kind = "tasks"

    def items(self, ex):
        for t in ex.tasks:
            if t.span:
                yield t.span.start, t.span.end, t.unit_canonical or t.unit or "TASK", t


@Language.factory("vanban_entities")  # the class is its own factory: (nlp, name)
class Entities(_ItemsComponent):
    kind = "entities"

    def items(self, ex):
        for e in ex.entities:
            yield e.span.start, e.span.end, e.label, e

    def __call__(self, doc: Doc) -> Doc:
        super().__call__(doc)
        # Entities are also doc.ents, merged with any a previous component set.
        doc.ents = filter_spans(list(doc.ents) + list(doc.spans[self.name]))
        return doc


def make_pipeline(lang: str = "xx") -> Language:
    """A blank pipeline (no downloaded model) with every vanban component.

    "xx" tokenises Vietnamese well and fast; ``spacy.blank("vi")`` would need pyvi.
    """
    import spacy

    nlp = spacy.blank(lang)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
