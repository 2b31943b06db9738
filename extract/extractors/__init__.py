"""Extractors: one module per kind of item, each a pure function of the
structured :class:`~extract.model.Document`."""
from __future__ import annotations

from ..intervals import holders
from ..model import Document, Extraction


def run_all(doc: Document) -> Extraction:
    from .references import find_references

    ex = Extraction(document=doc)
    from .deadlines import cell_dates, find_deadlines, task_periods

    ex.references = find_references(doc)
    ref_spans = [m for r in ex.references for m in r.mentions]
    ex.deadlines = find_deadlines(doc, ref_spans)
    from .metrics import find_metrics

    ex.metrics = find_metrics(doc, ref_spans)
    from .tasks import find_tasks

    ex.tasks = find_tasks(doc, deadlines=ex.deadlines)
    extra = task_periods(doc, ex.tasks, ex.deadlines)
    extra += cell_dates(doc, ex.tasks, ex.deadlines + extra)
    if extra:
        ex.deadlines = sorted(ex.deadlines + extra, key=lambda d: d.span.start)
    link_deadlines(ex)
    from .entities import find_entities

    ex.entities = find_entities(doc, exclude=ref_spans)
    return ex


def link_deadlines(ex: Extraction) -> None:
    """Each deadline points to the task whose text holds it (the first such task
    in the list), and that task takes the deadline's date (the first dated one)."""
    order = sorted((d.span.start, di) for di, d in enumerate(ex.deadlines) if d.span)
    owners = holders(((t.span.start, t.span.end, ti, ti) for ti, t in enumerate(ex.tasks) if t.span),
                     [pos for pos, _ in order])
    for (_, di), ti in zip(order, owners):
        if ti is None:
            continue
        d, t = ex.deadlines[di], ex.tasks[ti]
        d.task = ti
        if t.deadline is None and d.date:
            t.deadline = d.date
            t.deadline_text = d.text
        elif t.deadline_text is None:
            t.deadline_text = d.text


_WARM_TEXT = (
    "UBND TỈNH LAI CHÂU\nSỞ VĂN HÓA\nSố: 12/TB-SVHTTDL\nLai Châu, ngày 05 tháng 01 năm 2026\n"
    "THÔNG BÁO\nKết luận của Giám đốc Sở\n1. Văn phòng Sở: thực hiện Công văn số 1848/UBND-TH "
    "ngày 23/5/2023, xong trước ngày 15/01; đạt 567.530 lượt khách, tăng 41,55%.\n"
)


_warmed = False


def warm() -> None:
    """Load every rule file and compile every pattern now, by running the whole
    pipeline over a few lines of the genre; once per process (a worker forked
    from a warm fork server has it done already)."""
    global _warmed
    if _warmed:
        return
    from ..model import RawBlock, RawDocument
    from ..structure import structure

    raw = RawDocument(path="<warm-up>", format="txt", sha256="",
                      blocks=[RawBlock(line) for line in _WARM_TEXT.splitlines()])
    run_all(structure(raw))
    _warmed = True
