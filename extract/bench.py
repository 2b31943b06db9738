"""``vanban bench``: what a document costs, stage by stage, against what reading costs at all.

It builds a corpus of N documents from the real ones in ``corpus/`` (.txt,
.docx, and .pdf set from their text), each copy's text varied so that no
cache helps, then prints:

- per stage (read, normalise + structure, each extractor, store) at one
  worker: documents/s, pages/s, MB of text/s;
- whole ``vanban run`` at 1 worker and at all workers: documents/s, and for
  the PDFs alone pages/s as a ratio to two reference passes over the same
  files at the same workers (a raw pypdfium2 text dump, the least reading
  can cost; and pdfplumber's ``extract_text``), so figures compare across
  noisy machines; these three passes run in turn ``repeat`` times and the
  best of each counts (all times are kept in bench.json);
- an unchanged re-run as a fraction of the first run;
- peak memory per worker (each worker reports its own) at a small and at the full N.

Each timed run is a fresh process, so one measurement's memory or warm
caches do not leak into the next. Building PDFs needs fpdf2 and a font with
Vietnamese glyphs (the ``dev`` extra brings both).
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path


GENRE_LINES = [
    "- Giao Văn phòng Sở tổng hợp {k} hồ sơ, báo cáo Ban Giám đốc trước ngày {d:02d}/{m:02d}.",
    "- Phòng Quản lý Du lịch chủ trì, phối hợp với Trung tâm Thông tin xúc tiến du lịch thực hiện; xong trước ngày {d:02d}/{m:02d}/2026.",
    "Tổng lượt khách đạt {k}.{j:03d} lượt, tăng {p},{q:02d}% so với cùng kỳ năm trước.",
    "Thực hiện Công văn số {k}/UBND-TH ngày {d:02d}/{m:02d}/2025 của UBND tỉnh về việc triển khai kế hoạch.",
]


CONCLUSION_LINES = [
    "- Văn phòng Sở tham mưu Ban Giám đốc Sở tổng hợp báo cáo kết quả thực hiện nhiệm vụ tháng {m} (Xong trước ngày {d:02d}/{m:02d}/2026).",
    "- Phòng Quản lý Du lịch chủ trì, phối hợp với các đơn vị liên quan hoàn thiện dự thảo Kế hoạch số {k}/KH-SVHTTDL; xong trước ngày {d:02d}/{m:02d}.",
    "- Giao Trung tâm Văn hóa tỉnh xây dựng kế hoạch tổ chức các hoạt động, báo cáo kết quả về Văn phòng Sở trong tháng {m:02d}/2026.",
    "- Tổng lượt khách du lịch ước đạt {k}.{j:03d} lượt, tăng {p},{q:02d}% so với cùng kỳ; doanh thu đạt {p},{q:02d} tỷ đồng.",
    "- Thực hiện Công văn số {k}/UBND-TH ngày {d:02d}/{m:02d}/2025 của UBND tỉnh, Phòng Kế hoạch - Tài chính rà soát, đề xuất phương án.",
]


def genre_text(size: int, seed: int = 1) -> str:
    """About ``size`` bytes of a thông báo kết luận: its header, then numbered
    parts of bullet items (tasks with units and deadlines, figures, cited
    documents) with varied numbers, as a long conclusion runs."""
    rng = random.Random(seed)
    out = ["ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Số: 12/TB-SVHTTDL",
           "Lai Châu, ngày 05 tháng 01 năm 2026", "THÔNG BÁO", "Kết luận của Giám đốc Sở tại Hội nghị giao ban"]
    n = sum(len(x.encode()) + 1 for x in out)
    part = 0
    while n < size:
        if part == 0 or rng.random() < 0.02:
            part += 1
            line = f"{part}. Nhiệm vụ trọng tâm phần {part}"
        else:
            line = rng.choice(CONCLUSION_LINES).format(k=rng.randint(2, 9999), j=rng.randint(0, 999),
                                                       d=rng.randint(1, 28), m=rng.randint(1, 12),
                                                       p=rng.randint(1, 60), q=rng.randint(0, 99))
        out.append(line)
        n += len(line.encode()) + 1
    return "\n".join(out) + "\n"


LIST_LINES = [
    "- Văn phòng Sở tham mưu tổng hợp báo cáo kết quả thực hiện nhiệm vụ tháng {m} (xong trước ngày {d:02d}/{m:02d}/2026).",
    "- Phòng Quản lý Du lịch chủ trì phối hợp với các đơn vị liên quan hoàn thiện dự thảo Kế hoạch số {k}/KH-SVHTTDL (trong tháng {m:02d}/2026).",
    "- Trung tâm Văn hóa tỉnh xây dựng kế hoạch tổ chức các hoạt động, báo cáo về Văn phòng Sở (trước ngày {d:02d}/{m:02d}).",
]


def list_text(size: int, seed: int = 1) -> str:
    """About ``size`` bytes of one section of bullets that end ")." with a line
    break and hold no ". " or ";" (a long conclusion pasted as one list): the
    shape on which a search for a clause's end that ran to the text's end
    made the cost quadratic."""
    rng = random.Random(seed)
    out = ["ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Số: 12/TB-SVHTTDL",
           "Lai Châu, ngày 05 tháng 01 năm 2026", "THÔNG BÁO", "Kết luận của Giám đốc Sở", "1. Nhiệm vụ trọng tâm"]
    n = sum(len(x.encode()) + 1 for x in out)
    while n < size:
        line = rng.choice(LIST_LINES).format(k=rng.randint(2, 9999), d=rng.randint(1, 28), m=rng.randint(1, 12))
        out.append(line)
        n += len(line.encode()) + 1
    return "\n".join(out) + "\n"


SHAPES = {"dense": genre_text, "list": list_text}


# ------------------------------------------------------------------ corpus
def _source_texts(corpus: Path) -> list[tuple[str, list[str]]]:
    """(kind, paragraphs) of each readable source: text-layer documents only."""
    from .readers import read

    out = []
    for f in sorted(corpus.iterdir()):
        if f.suffix.lower() not in (".txt", ".docx", ".pdf"):
            continue
        try:
            raw = read(f, ocr=False)
        except Exception:
            continue
        if raw.ocr_pages:
            continue            # scans and legacy-font PDFs measure OCR, not reading
        paras = [b.text for b in raw.blocks if b.kind == "para" and b.text.strip()]
        if len(paras) >= 5:
            out.append((f.suffix.lower().lstrip("."), paras))
    return out


def _vary(paras: list[str], rng: random.Random, i: int) -> list[str]:
    """The same document with its text changed: a paragraph or two gone, new ones of the genre in."""
    body = list(paras)
    for _ in range(min(2, max(0, len(body) - 8))):
        body.pop(rng.randrange(3, len(body)))
    for _ in range(rng.randint(1, 3)):
        line = rng.choice(GENRE_LINES).format(k=rng.randint(2, 9999), j=rng.randint(0, 999), d=rng.randint(1, 28),
                                              m=rng.randint(1, 12), p=rng.randint(1, 60), q=rng.randint(0, 99))
        body.insert(rng.randrange(3, len(body) + 1), line)
    body.insert(min(3, len(body)), f"(Bản số {i})")
    return body


def _font() -> str:
    import matplotlib

    return os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf", "DejaVuSans.ttf")


def _write_pdf(path: Path, paras: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dv", fname=_font())
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("dv", size=11)
    for p in paras:
        pdf.multi_cell(0, 6, p.replace("\t", " "), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _write_docx(path: Path, paras: list[str]) -> None:
    import docx

    d = docx.Document()
    for p in paras:
        d.add_paragraph(p)
    d.save(path)


def build_corpus(n: int, out: Path, corpus: Path, pdf_share: float = 0.5, seed: int = 1) -> dict:
    """N documents in ``out``: a ``pdf_share`` of PDFs, the rest .docx and .txt alike."""
    sources = _source_texts(corpus)
    if not sources:
        raise SystemExit(f"{corpus}: no text-layer documents to build a bench corpus from")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"pdf": 0, "docx": 0, "txt": 0}
    for i in range(n):
        kind, paras = sources[i % len(sources)]
        body = _vary(paras, rng, i)
        r = rng.random()
        fmt = "pdf" if r < pdf_share else ("docx" if r < pdf_share + (1 - pdf_share) / 2 else "txt")
        path = out / f"doc-{i:05d}.{fmt}"
        if fmt == "pdf":
            _write_pdf(path, body)
        elif fmt == "docx":
            _write_docx(path, body)
        else:
            path.write_text("\n".join(body) + "\n", encoding="utf-8")
        counts[fmt] += 1
    return counts


def _pdf_sources(corpus: Path) -> tuple[list[tuple[Path, int]], list[tuple[Path, int]]]:
    """The real PDFs of ``corpus``: (text-layer ones, ones needing OCR), each with its page count."""
    from .readers import read

    text, scanned = [], []
    for f in sorted(corpus.glob("*.pdf")):
        try:
            raw = read(f, ocr=False)
        except Exception:
            if f.read_bytes()[:5] == b"%PDF-":
                import pypdfium2 as pdfium

                scanned.append((f, len(pdfium.PdfDocument(str(f)))))   # no readable text at all: a scan
            continue
        (scanned if raw.ocr_pages else text).append((f, raw.pages or 0))
    return text, scanned


def _copy_varied(src: Path, dest: Path, i: int, rng: random.Random) -> None:
    """The PDF's own bytes with a comment after its end: the same pages, another file (no cache helps)."""
    dest.write_bytes(src.read_bytes() + f"\n% vanban bench copy {i} {rng.getrandbits(64):016x}\n".encode())


def build_real_pdfs(corpus: Path, out: Path, min_pages: int = 2000, seed: int = 1) -> dict:
    """Copies of the real text-layer PDFs of ``corpus``, in turn, until they hold
    ``min_pages`` pages; each copy's bytes varied."""
    sources, _ = _pdf_sources(corpus)
    sources = [(f, n) for f, n in sources if n]
    if not sources:
        raise SystemExit(f"{corpus}: no text-layer PDF to build the PDF set from")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files, pages, copies = [], 0, {f.name: 0 for f, _ in sources}
    i = 0
    while pages < min_pages:
        f, n = sources[i % len(sources)]
        dest = out / f"real-{i:05d}-{f.stem}.pdf"
        _copy_varied(f, dest, i, rng)
        files.append(dest)
        pages += n
        copies[f.name] += 1
        i += 1
    return {"files": files, "pages": pages, "copies": copies}


def build_ocr_pdfs(corpus: Path, out: Path, copies: int = 1, seed: int = 2) -> dict:
    """Copies of the corpus PDFs that need OCR (scans, legacy-font text layers)."""
    _, sources = _pdf_sources(corpus)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files, pages = [], 0
    for k in range(copies):
        for f, n in sources:
            dest = out / f"ocr-{k:03d}-{f.stem}.pdf"
            _copy_varied(f, dest, k, rng)
            files.append(dest)
            pages += n
    return {"files": files, "pages": pages}


def table_pages(corpus: Path) -> dict:
    """Per text-layer corpus PDF: its pages, the pages that took the table path
    (drew enough paths to be looked at) and those where a ruled table was read."""
    import pypdfium2 as pdfium

    from .readers.pdf import _draws_enough, page_tables
    from .readers.pdf_tables import page_edges

    out = {}
    sources, _ = _pdf_sources(corpus)
    for f, _n in sources:
        pdf = pdfium.PdfDocument(str(f))
        looked = found = 0
        for i in range(len(pdf)):
            page = pdf[i]
            edges = page_edges(page, page.get_size()[1])
            if _draws_enough(edges):
                looked += 1
                tp = page.get_textpage()
                found += bool(page_tables(page, tp, edges)[0])
                tp.close()
            page.close()
        out[f.name] = {"pages": len(pdf), "table_path": looked, "tables": found}
        pdf.close()
    return out


# ------------------------------------------------------------------ reference passes
def _pdfium_pages(path: str) -> tuple[int, int]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    chars = 0
    for i in range(len(pdf)):
        chars += len(pdf[i].get_textpage().get_text_range())
    n = len(pdf)
    pdf.close()
    return n, chars


def _plumber_pages(path: str) -> tuple[int, int]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        chars = sum(len(p.extract_text() or "") for p in pdf.pages)
        return len(pdf.pages), chars


def reference_chunk(files: int, workers: int) -> int:
    """Files per task of a reference pass: enough tasks (32 a worker) that no
    worker ends holding a long task while the other waits. Eight to a task
    over pdfplumber's 60 files left one worker idle for its last task and
    made that pass 8% slower than it is, so the ratio looked better."""
    return max(1, files // (workers * 32))


def reference_pass(fn, paths: list[str], workers: int) -> dict:
    t = time.perf_counter()
    if workers <= 1:
        results = [fn(p) for p in paths]
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(fn, paths, chunksize=reference_chunk(len(paths), workers)))
    s = time.perf_counter() - t
    pages = sum(r[0] for r in results)
    return {"seconds": s, "pages": pages, "pages_per_s": pages / s if s else 0.0}


# ------------------------------------------------------------------ stages
def stage_times(paths: list[Path]) -> dict:
    """Seconds per stage over ``paths``, in this process, with rules and models loaded first."""
    import tempfile

    from . import store, task_ids
    from .extractors import link_deadlines, warm
    from .extractors.deadlines import find_deadlines
    from .extractors.entities import find_entities
    from .extractors.metrics import find_metrics
    from .extractors.references import find_references
    from .extractors.tasks import find_tasks
    from .model import Extraction
    from .pipeline import extractor_version
    from .readers import read
    from .structure import structure

    warm()
    t = {k: 0.0 for k in ("read", "normalise+structure", "references", "deadlines", "metrics", "tasks",
                          "entities", "store")}
    pages = chars = 0
    db = Path(tempfile.mkdtemp(prefix="vanban-bench-")) / "stages.db"
    conn = store.connect(db)
    version = extractor_version()

    def clock(key, fn):
        a = time.perf_counter()
        r = fn()
        t[key] += time.perf_counter() - a
        return r

    for p in paths:
        raw = clock("read", lambda: read(p, ocr=False))
        doc = clock("normalise+structure", lambda: structure(raw))
        ex = Extraction(document=doc)
        ex.references = clock("references", lambda: find_references(doc))
        spans = [m for r in ex.references for m in r.mentions]
        ex.deadlines = clock("deadlines", lambda: find_deadlines(doc, spans))
        ex.metrics = clock("metrics", lambda: find_metrics(doc, spans))
        ex.tasks = clock("tasks", lambda: find_tasks(doc))
        link_deadlines(ex)
        task_ids.assign(ex)
        ex.entities = clock("entities", lambda: find_entities(doc, exclude=spans))
        st = p.stat()
        clock("store", lambda: store.save(conn, ex, path=str(p), size=st.st_size,
                                          mtime_ns=st.st_mtime_ns, version=version))
        pages += doc.pages or max(1, len(doc.text) // 3000)
        chars += len(doc.text)
    conn.close()
    shutil.rmtree(db.parent, ignore_errors=True)
    return {"seconds": t, "docs": len(paths), "pages": pages, "mb_text": chars / 1e6}


# ------------------------------------------------------------------ whole runs (each in a fresh process)
def child_run(paths: list[str], db: str, workers: int, ocr: bool = False, file_timeout: float | None = None) -> dict:
    from .batch import peak_rss_mb, run

    a = time.perf_counter()
    s = run(paths, db, workers=workers, ocr=ocr, progress=False, file_timeout=file_timeout)
    secs = time.perf_counter() - a
    return {"seconds": secs, "stored": s.stored, "skipped": s.skipped, "failed": len(s.failed),
            "errors": s.failed, "peak_worker_mb": s.peak_worker_mb,
            "peak_writer_mb": peak_rss_mb()}


def timed_run(paths: list[Path], db: Path, workers: int, ocr: bool = False, file_timeout: float | None = None) -> dict:
    spec = json.dumps({"paths": [str(p) for p in paths], "db": str(db), "workers": workers, "ocr": ocr,
                       "file_timeout": file_timeout})
    out = subprocess.run([sys.executable, "-m", "extract.bench", "--child"], input=spec, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ a mixed batch: good, bad and huge files
def mixed_folder(folder: Path, corpus: Path, huge_mb: float) -> dict:
    """The batch an archive gives: real documents, broken and misnamed files
    and one huge text, side by side. Returns which files should be stored
    and which refused."""
    import zipfile

    from .readers.ocr import unavailable_reason

    folder.mkdir(parents=True, exist_ok=True)
    reals = sorted(f for f in corpus.iterdir() if f.suffix.lower() in (".docx", ".pdf", ".doc", ".txt"))
    web = sorted((corpus / "web").glob("*.txt")) if (corpus / "web").is_dir() else []
    good, bad = [], []
    for f in reals[:12] + web[:3]:
        shutil.copy(f, folder / f.name)
        # a scan is stored when Tesseract is here to read it, and refused (saying so) when not
        (bad if f.suffix == ".pdf" and not _has_text_layer(f) and unavailable_reason() else good).append(f.name)
    txt = next((f for f in reals + web if f.suffix == ".txt"), None)
    if txt is not None:                         # a text saved as UTF-16: read as what it is
        (folder / "utf16.txt").write_bytes(txt.read_text(encoding="utf-8").encode("utf-16"))
        good.append("utf16.txt")
    pdf = next((f for f in reals if f.suffix == ".pdf"), None)
    if pdf is not None:
        data = pdf.read_bytes()
        (folder / "a-pdf-named.txt").write_bytes(data)           # misnamed: read as the PDF it is
        (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
        good.append("a-pdf-named.txt")
        bad.append("truncated.pdf")
    (folder / "random.pdf").write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(50_000))
    (folder / "empty.docx").write_bytes(b"")
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:   # inflates to 210 MB
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(210):
                f.write(b" " * (1 << 20))
    bad += ["random.pdf", "empty.docx", "bomb.docx"]
    name = f"huge-{huge_mb:g}MB.txt"
    (folder / name).write_text(genre_text(int(huge_mb * 1e6)), encoding="utf-8")
    good.append(name)
    return {"good": sorted(good), "bad": sorted(bad), "huge_mb": huge_mb}


def _has_text_layer(pdf: Path) -> bool:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return any(doc[i].get_textpage().get_text_range().strip() for i in range(len(doc)))
    finally:
        doc.close()


def mixed_batch(work: Path, corpus: Path, workers: int, huge_mb: float) -> dict:
    """``vanban run`` over :func:`mixed_folder` at ``workers`` as a user runs
    it (OCR on, the default per-file time budget): every file must end
    stored or recorded."""
    from .batch import FILE_TIMEOUT

    folder = work / "mixed"
    plan = mixed_folder(folder, corpus, huge_mb)
    files = sorted(folder.iterdir())
    r = timed_run(files, work / "mixed.db", workers, ocr=True, file_timeout=FILE_TIMEOUT)
    refused = sorted(Path(p).name for p, _ in r.pop("errors"))
    r.update(files=len(files), expected=plan, refused=refused,
             every_file_accounted=r["stored"] + r["failed"] == len(files), as_expected=refused == plan["bad"])
    shutil.rmtree(folder, ignore_errors=True)
    return r


# ------------------------------------------------------------------ size sweep (each size in a fresh process)
SWEEP_MB = (0.25, 1, 4, 8)


def sweep_child(mb: float, folder: str, shape: str = "dense") -> None:
    """One document of ``mb`` MB of genre text through every stage, a JSON line
    per stage as it ends (so a run stopped at its cap still says where the
    time went), with this process's peak memory so far."""
    import tempfile

    from . import store
    from .batch import peak_rss_mb
    from .extractors import warm
    from .extractors.deadlines import find_deadlines
    from .extractors.entities import find_entities
    from .extractors.metrics import find_metrics
    from .extractors.references import find_references
    from .extractors.tasks import find_tasks
    from .model import Extraction
    from .pipeline import extractor_version
    from .readers import read
    from .structure import structure

    path = Path(folder) / f"{shape}-{mb:g}MB.txt"       # written by the parent: its making is not measured
    warm()

    print(json.dumps({"stage": "start", "seconds": 0.0, "peak_mb": peak_rss_mb(), "bytes": path.stat().st_size}),
          flush=True)
    box: dict = {}
    db = Path(tempfile.mkdtemp(prefix="vanban-sweep-")) / "s.db"

    def save():
        # as a batch does it: the worker turns the records into rows (a spool
        # file of them for a long text) and lets the records go
        rows = store.prepare(box.pop("ex"), spool_dir=str(db.parent))
        box.clear()
        conn = store.connect(db)
        st = path.stat()
        store.save(conn, rows, path=str(path), size=st.st_size, mtime_ns=st.st_mtime_ns,
                   version=extractor_version())
        conn.close()

    steps = [
        ("read", lambda: box.update(raw=read(path))),
        ("normalise+structure", lambda: box.update(doc=structure(box.pop("raw")))),
        ("references", lambda: box.update(ex=Extraction(document=box["doc"]), refs=find_references(box["doc"]))),
        ("deadlines", lambda: box.update(spans=[m for r in box["refs"] for m in r.mentions]) or
         box.update(deadlines=find_deadlines(box["doc"], box["spans"]))),
        ("metrics", lambda: box.update(metrics=find_metrics(box["doc"], box["spans"]))),
        # entities before tasks (neither needs the other): a size stopped at
        # its cap in tasks still has every other extractor measured
        ("entities", lambda: box.update(entities=find_entities(box["doc"], exclude=box["spans"]))),
        ("tasks", lambda: box.update(tasks=find_tasks(box["doc"]))),
        ("store", lambda: (_fill(box), save())),
    ]
    for name, fn in steps:
        a = time.perf_counter()
        fn()
        print(json.dumps({"stage": name, "seconds": time.perf_counter() - a, "peak_mb": peak_rss_mb()}), flush=True)
    shutil.rmtree(db.parent, ignore_errors=True)


def _fill(box: dict) -> None:
    from .extractors import link_deadlines

    ex = box["ex"]
    ex.references, ex.deadlines, ex.metrics = box["refs"], box["deadlines"], box["metrics"]
    ex.tasks, ex.entities = box["tasks"], box["entities"]
    link_deadlines(ex)


def size_sweep(sizes=SWEEP_MB, cap: float = 600.0, folder: Path | None = None, shapes=("dense", "list")) -> list[dict]:
    """Seconds and peak memory per MB of text of each shape (:data:`SHAPES`) at
    each size; a size that runs past ``cap`` seconds is stopped, and its
    stages so far are kept."""
    import select

    folder = folder or Path("outputs") / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for shape, mb in ((sh, mb) for sh in shapes for mb in sizes):
        (folder / f"{shape}-{mb:g}MB.txt").write_text(SHAPES[shape](int(mb * 1e6)), encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "extract.bench", "--sweep", str(mb), str(folder), shape],
                                stdout=subprocess.PIPE, text=True)
        stages: dict[str, float] = {}
        row = {"shape": shape, "mb": mb, "stages": stages, "complete": False, "peak_mb": 0.0}
        deadline = time.monotonic() + cap
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                proc.kill()
                row["stopped_at_cap"] = cap
                break
            ready, _, _ = select.select([proc.stdout], [], [], min(left, 5.0))
            if not ready:
                continue
            line = proc.stdout.readline()
            if not line:
                break
            rec = json.loads(line)
            row["peak_mb"] = rec["peak_mb"]
            if rec["stage"] == "start":
                row["bytes"], row["base_mb"] = rec["bytes"], rec["peak_mb"]
            else:
                stages[rec["stage"]] = rec["seconds"]
        proc.wait()
        row["complete"] = "store" in stages
        row["seconds"] = sum(stages.values())
        mb_real = row.get("bytes", mb * 1e6) / 1e6
        row["s_per_mb"] = row["seconds"] / mb_real if row["complete"] else None
        others = sum(v for k, v in stages.items() if k != "tasks")
        row["s_per_mb_without_tasks"] = others / mb_real if row["complete"] else None
        row["peak_mb_per_mb"] = row["peak_mb"] / mb_real
        row["own_mb_per_mb"] = (row["peak_mb"] - row.get("base_mb", 0.0)) / mb_real   # above the warm process
        row["stage_s_per_mb"] = {k: v / mb_real for k, v in stages.items()}
        (folder / f"{shape}-{mb:g}MB.txt").unlink(missing_ok=True)
        out.append(row)
    return out


def print_sweep(con, rows: list[dict]) -> None:
    from rich.table import Table

    tbl = Table(title="size sweep: one document of each shape of text, 1 process")
    for col in ("shape", "MB", "seconds", "s/MB", "s/MB without tasks", "tasks share", "peak MB", "peak MB per MB",
                "above warm-up, per MB"):
        tbl.add_column(col, justify="right")
    for r in rows:
        secs = f"{r['seconds']:.1f}" if r["complete"] else f"> {r.get('stopped_at_cap', 0):.0f} (stopped in {_next_stage(r)})"
        share = r["stages"].get("tasks", 0) / r["seconds"] if r["seconds"] else 0
        tbl.add_row(r.get("shape", "dense"), f"{r['mb']:g}", secs, f"{r['s_per_mb']:.2f}" if r["s_per_mb"] else "-",
                    f"{r['s_per_mb_without_tasks']:.2f}" if r["s_per_mb_without_tasks"] else "-",
                    f"{100 * share:.0f}%" if r["complete"] else "-", f"{r['peak_mb']:.0f}",
                    f"{r['peak_mb_per_mb']:.0f}", f"{r['own_mb_per_mb']:.0f}")
    con.print(tbl)
    # each stage's seconds per MB: a stage whose cost grows faster than the text shows here
    tbl = Table(title="size sweep: seconds per MB of text, stage by stage")
    for col in ["shape", "MB"] + STAGES:
        tbl.add_column(col, justify="right")
    for r in rows:
        per = r.get("stage_s_per_mb", {})
        tbl.add_row(r.get("shape", "dense"), f"{r['mb']:g}", *(f"{per[k]:.2f}" if k in per else "-" for k in STAGES))
    con.print(tbl)
    for shape in dict.fromkeys(r.get("shape", "dense") for r in rows):
        done = [r for r in rows if r.get("shape", "dense") == shape and r["complete"]]
        if len(done) >= 2:
            con.print(f"{shape}: seconds per MB grow {done[-1]['s_per_mb'] / done[0]['s_per_mb']:.2f}x from "
                      f"{done[0]['mb']:g} to {done[-1]['mb']:g} MB; peak memory {done[-1]['peak_mb_per_mb']:.0f} MB per MB "
                      f"at {done[-1]['mb']:g} MB")


STAGES = ["read", "normalise+structure", "references", "deadlines", "metrics", "entities", "tasks", "store"]


def _next_stage(r: dict) -> str:
    return next((k for k in STAGES if k not in r["stages"]), "?")


# ------------------------------------------------------------------ the report
def machine() -> str:
    """CPU model, cores and memory, for the figures' record."""
    import platform

    from .readers import proc_kb

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    kb = proc_kb("meminfo", "MemTotal")
    mem = kb / 2**20 if kb else None
    return f"{cpu}, {os.cpu_count()} cores" + (f", {mem:.0f} GiB" if mem else "") + f", Python {sys.version.split()[0]}"


def best_of(passes: list[dict]) -> dict:
    """The fastest of repeated passes, with every time kept: on a shared
    machine the others measure the neighbours as much as the code."""
    import statistics

    best = dict(min(passes, key=lambda r: r["seconds"]))
    best["all_seconds"] = [round(r["seconds"], 3) for r in passes]
    best["median_seconds"] = statistics.median(r["seconds"] for r in passes)
    return best


def bench(n: int = 200, workers: int | None = None, out: Path | None = None, corpus: Path | None = None,
          stage_sample: int = 150, plumber_sample: int = 60, small_n: int = 100, keep: bool = False,
          repeat: int = 5, pdf_pages: int = 2000, ocr_copies: int = 1, sweep=SWEEP_MB,
          sweep_cap: float = 600.0, mixed: bool = True, pdf_folder: Path | None = None) -> dict:
    from rich.console import Console
    from rich.table import Table

    # wide when piped to a file, so no figure of a table is wrapped
    con = Console(width=None if sys.stdout.isatty() else 200)
    workers = workers or os.cpu_count() or 1
    corpus = corpus or Path("corpus")
    work = Path(out or Path("outputs") / "bench")
    if work.exists():
        shutil.rmtree(work)
    docs_dir = work / "docs"
    a = time.perf_counter()
    counts = build_corpus(n, docs_dir, corpus)
    con.print(f"built {n} documents ({counts}) in {time.perf_counter() - a:.1f} s under {docs_dir}")
    files = sorted(docs_dir.iterdir())
    pdfs = [f for f in files if f.suffix == ".pdf"]
    rep: dict = {"n": n, "workers": workers, "cpu_count": os.cpu_count(), "formats": counts,
                 "date": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0], "machine": machine()}
    con.print(f"machine: {rep['machine']}")

    # Stages, one worker.
    sample = files[:stage_sample]
    st = stage_times(sample)
    rep["stages"] = st
    tbl = Table(title=f"stages, 1 worker, {st['docs']} documents, {st['pages']} pages, {st['mb_text']:.2f} MB of text")
    for col in ("stage", "docs/s", "pages/s", "MB text/s", "share"):
        tbl.add_column(col, justify="right" if col != "stage" else "left")
    total = sum(st["seconds"].values())
    for k, s in st["seconds"].items():
        tbl.add_row(k, f"{st['docs'] / s:,.0f}" if s else "-", f"{st['pages'] / s:,.0f}" if s else "-",
                    f"{st['mb_text'] / s:,.2f}" if s else "-", f"{100 * s / total:.0f}%")
    tbl.add_row("all", f"{st['docs'] / total:,.1f}", f"{st['pages'] / total:,.1f}", f"{st['mb_text'] / total:,.2f}", "100%")
    con.print(tbl)

    # Whole runs: all documents at 1 and at all workers; the PDFs alone against the reference passes.
    runs = {}
    for w in sorted({1, workers}):
        runs[f"all@{w}"] = timed_run(files, work / f"all-{w}.db", w)
    first = runs[f"all@{workers}"]
    runs["rerun"] = timed_run(files, work / f"all-{workers}.db", workers)
    small = files[:small_n]
    runs[f"small@{workers}"] = timed_run(small, work / "small.db", workers)
    # The PDF passes on real PDFs (corpus/'s text-layer PDFs, copied to
    # ``pdf_pages`` pages, bytes varied), each run ``repeat`` times in turn, the
    # best of each kept; then the synthetic PDFs (set from text) as a second line.
    pdf_dir = Path(pdf_folder) if pdf_folder else corpus   # (``pdfs`` below: the synthetic ones)
    real = build_real_pdfs(pdf_dir, work / "real", min_pages=pdf_pages)
    real_pdfs = real["files"]
    rep["real_pdfs"] = {"folder": str(pdf_dir), "files": len(real_pdfs), "pages": real["pages"], "copies": real["copies"]}
    con.print(f"real PDF set: {len(real_pdfs)} copies of {len(real['copies'])} PDFs of {pdf_dir}/, {real['pages']} pages")
    plumb_paths = [str(p) for p in real_pdfs[:plumber_sample]]
    tries: dict[str, list[dict]] = {"run": [], "pdfium": [], "plumber": [], "synthetic": [], "synthetic_pdfium": []}
    for k in range(max(1, repeat)):
        tries["run"].append(timed_run(real_pdfs, work / f"pdf-{k}.db", workers))
        tries["pdfium"].append(reference_pass(_pdfium_pages, [str(p) for p in real_pdfs], workers))
        tries["plumber"].append(reference_pass(_plumber_pages, plumb_paths, workers))
        tries["synthetic"].append(timed_run(pdfs, work / f"synthetic-{k}.db", workers))
        tries["synthetic_pdfium"].append(reference_pass(_pdfium_pages, [str(p) for p in pdfs], workers))
    pdf_run, pdfium, plumber, syn, syn_pdfium = (best_of(tries[k]) for k in
                                                 ("run", "pdfium", "plumber", "synthetic", "synthetic_pdfium"))
    pdf_pages_n = pdfium["pages"]
    pdf_run["pages"] = pdf_pages_n
    pdf_run["pages_per_s"] = pdf_pages_n / pdf_run["seconds"]
    syn["pages"] = syn_pdfium["pages"]
    syn["pages_per_s"] = syn["pages"] / syn["seconds"]
    rep.update(runs=runs, pdf_run=pdf_run, pypdfium2=pdfium, pdfplumber=plumber,
               synthetic_pdf_run=syn, synthetic_pypdfium2=syn_pdfium)
    rep["ratio_to_pypdfium2"] = pdf_run["pages_per_s"] / pdfium["pages_per_s"]
    rep["ratio_to_pdfplumber"] = pdf_run["pages_per_s"] / plumber["pages_per_s"]
    rep["synthetic_ratio_to_pypdfium2"] = syn["pages_per_s"] / syn_pdfium["pages_per_s"]
    rep["rerun_fraction"] = runs["rerun"]["seconds"] / first["seconds"]
    # The share of pages that took the table path, over the real set.
    per_source = table_pages(pdf_dir)
    copies = real["copies"]
    looked = sum(per_source[f]["table_path"] * c for f, c in copies.items())
    found = sum(per_source[f]["tables"] * c for f, c in copies.items())
    rep["table_pages"] = {"per_source": per_source, "table_path_share": looked / real["pages"],
                          "with_tables_share": found / real["pages"]}
    # Pages read by OCR, on their own line: what a scanned archive costs.
    ocr = build_ocr_pdfs(corpus, work / "ocr", copies=ocr_copies)
    if ocr["files"] and ocr_copies:
        from .readers.ocr import unavailable_reason

        why = unavailable_reason()
        if why is None:
            r = timed_run(ocr["files"], work / "ocr.db", workers, ocr=True)
            r["pages"] = ocr["pages"]
            r["pages_per_s"] = ocr["pages"] / r["seconds"]
            rep["ocr_run"] = r
        else:
            rep["ocr_run"] = {"unavailable": why}

    tbl = Table(title=f"whole runs (vanban run), {n} documents ({counts})")
    for col in ("run", "workers", "seconds", "docs/s", "peak MB/worker"):
        tbl.add_column(col, justify="right" if col != "run" else "left")
    for k, r in runs.items():
        w = k.split("@")[-1] if "@" in k else str(workers)
        docs = r["stored"] + r["skipped"] + r["failed"]
        tbl.add_row(k, w, f"{r['seconds']:.2f}", f"{docs / r['seconds']:,.1f}", f"{r['peak_worker_mb']:.0f}")
    con.print(tbl)
    tbl = Table(title=f"PDF pages/s at {workers} workers, best of {max(1, repeat)} (median in brackets)")
    rep["median_ratio_to_pypdfium2"] = pdfium["median_seconds"] / pdf_run["median_seconds"]
    rep["median_ratio_to_pdfplumber"] = (pdf_pages_n / pdf_run["median_seconds"]) / (plumber["pages"] / plumber["median_seconds"])
    for col in ("pass", "pages", "seconds, best (median)", "pages/s, best (median)", "vanban run as a ratio"):
        tbl.add_column(col, justify="right" if col != "pass" else "left")

    def _secs(r: dict, pages: int) -> tuple[str, str]:
        return (f"{r['seconds']:.2f} ({r['median_seconds']:.2f})",
                f"{pages / r['seconds']:,.1f} ({pages / r['median_seconds']:,.1f})")

    tbl.add_row(f"vanban run, real PDFs ({len(real_pdfs)} files)", str(pdf_pages_n), *_secs(pdf_run, pdf_pages_n), "1")
    tbl.add_row("pypdfium2 text dump, same PDFs", str(pdfium["pages"]), *_secs(pdfium, pdfium["pages"]),
                f"{rep['ratio_to_pypdfium2']:.3f}× ({rep['median_ratio_to_pypdfium2']:.3f}×)")
    tbl.add_row(f"pdfplumber extract_text ({len(plumb_paths)} of them)", str(plumber["pages"]),
                *_secs(plumber, plumber["pages"]),
                f"{rep['ratio_to_pdfplumber']:.1f}× ({rep['median_ratio_to_pdfplumber']:.1f}×)")
    tbl.add_row(f"vanban run, synthetic PDFs ({len(pdfs)}, set from text)", str(syn["pages"]), *_secs(syn, syn["pages"]),
                f"{rep['synthetic_ratio_to_pypdfium2']:.3f}× pypdfium2")
    o = rep.get("ocr_run")
    if o and "unavailable" not in o:
        tbl.add_row(f"vanban run with OCR ({len(ocr['files'])} scanned/legacy PDFs)", str(o["pages"]),
                    f"{o['seconds']:.2f}", f"{o['pages_per_s']:,.2f}", "")
    con.print(tbl)
    tp = rep["table_pages"]
    con.print(f"pages that took the table path: {100 * tp['table_path_share']:.1f}% of the real pages "
              f"(a ruled table read on {100 * tp['with_tables_share']:.1f}%)")
    if o and "unavailable" in o:
        con.print(f"OCR pass skipped: {o['unavailable']}")
    con.print(f"unchanged re-run: {runs['rerun']['seconds']:.2f} s = {100 * rep['rerun_fraction']:.1f}% of the first run")
    con.print(f"peak memory per worker: {runs[f'small@{workers}']['peak_worker_mb']:.0f} MB at N={len(small)}, "
              f"{first['peak_worker_mb']:.0f} MB at N={n}")
    if sweep:
        rep["sweep"] = size_sweep(sweep, cap=sweep_cap, folder=work)
        print_sweep(con, rep["sweep"])
    if mixed:
        m = rep["mixed"] = mixed_batch(work, corpus, workers, max(sweep or SWEEP_MB))
        con.print(f"mixed batch ({m['files']} files: {len(m['expected']['good'])} good, one of them "
                  f"{m['expected']['huge_mb']:g} MB of text, {len(m['expected']['bad'])} bad), {workers} workers: "
                  f"{m['stored']} stored, {m['failed']} recorded as errors in {m['seconds']:.0f} s; "
                  f"{'every file accounted for' if m['every_file_accounted'] else 'FILES MISSING'}"
                  f"{'' if m['as_expected'] else ' (refused: ' + ', '.join(m['refused']) + ')'}; "
                  f"peak memory: worker {m['peak_worker_mb']:.0f} MB, writer {m['peak_writer_mb']:.0f} MB")
    (work / "bench.json").write_text(json.dumps(rep, indent=1, default=str), encoding="utf-8")
    con.print(f"figures in {work / 'bench.json'}")
    if not keep:
        for d in (docs_dir, work / "real", work / "ocr"):
            shutil.rmtree(d, ignore_errors=True)
    return rep


if __name__ == "__main__":
    from .allocator import tune

    tune()          # as vanban's own processes are (the command line, the workers)
    if sys.argv[1:2] == ["--sweep"]:
        sweep_child(float(sys.argv[2]), sys.argv[3], *sys.argv[4:5])
    elif sys.argv[1:] == ["--child"]:
        spec = json.loads(sys.stdin.read())
        print(json.dumps(child_run(spec["paths"], spec["db"], spec["workers"], spec.get("ocr", False),
                                   spec.get("file_timeout"))))
    else:
        bench(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
