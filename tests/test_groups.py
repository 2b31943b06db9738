"""One document in several files, on real documents of corpus/: the draft
tb-002.docx and its signed scan tb-002s.pdf, a .docx and the PDF LibreOffice
makes of it, a stored document's text copied as a web page, the circular
109/2025/TT-BTC as two legal-text websites give it (the pool holds it so);
grouped, counted once in the register, `vanban tasks`, search and the
notebooks' dataset; and the same number in another year or of another issuer
kept apart, as are two customs notices of one day and one template (37694 and
37695/TB-CHQ, texts 0.93 alike)."""
import html
import json
import shutil
import subprocess
import sys

import builders
import openpyxl
import pytest

from conftest import CORPUS, TB_SEED
from extract import grouping, store
from extract.store import groups

SEED = "tb-12.txt"
OTHERS = ["tb-001.docx", "tb-003.docx", "cv-003.docx", "kh-005.docx", "bc-007.docx"]
TT_COPIES = ["pool/web/pool-tt-b3bb1d.txt", "pool/web/pool-tt-c2b605.txt"]      # 109/2025/TT-BTC twice
CHQ_NOTICES = ["pool/web/pool-tb-9c3103.txt", "web/web-tb-f6ed93.txt"]          # 37694 and 37695/TB-CHQ


def vanban(*args):
    r = subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def web_page(text: str) -> str:
    """A document's text as a legal-text site shows it: a page around its paragraphs."""
    paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Văn bản</title></head><body>"
            "<div class='menu'>Trang chủ | Văn bản pháp luật | Liên hệ</div>"
            f"<div class='content'>{paras}</div><div class='footer'>Bản quyền thuộc về trang</div></body></html>")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("samedoc")
    for name in ["tb-002.docx", "tb-002s.pdf", "kh-004.docx", *OTHERS, *TT_COPIES, *CHQ_NOTICES]:
        shutil.copy(CORPUS / name, root / name.rsplit("/", 1)[-1])
    # the PDF an office prints of its .docx
    lo = tmp_path_factory.mktemp("lo")
    shutil.copy(CORPUS / "kh-004.docx", lo / "kh-004-in.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(lo), str(lo / "kh-004-in.docx")],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(lo / "kh-004-in.pdf", root / "kh-004-printed.pdf")
    # the seed notice under its header (12/TB-SVHTTDL, 07/01/2026), and as another year's notice and
    # another office's: the same number and words, other documents
    seed = builders.write_txt(root / SEED, *builders.seed_paragraphs(TB_SEED)).read_text(encoding="utf-8")
    (root / "tb-12-2025.txt").write_text(seed.replace(builders.DATE, builders.DATE.replace("2026", "2025")),
                                         encoding="utf-8")
    (root / "tb-12-sxd.txt").write_text(seed.replace(builders.HEADER_LEFT[1], "SỞ XÂY DỰNG"), encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "vanban.db"
    vanban("run", root, "--db", db, "-w", "2", "-q")
    conn = store.connect(db)
    # a stored document's text copied as a web page: the web copy arrives in a later run
    (text,) = conn.execute("SELECT text FROM documents WHERE path LIKE ?", (f"%{SEED}",)).fetchone()
    (root / "tb-12-web.html").write_text(web_page(text), encoding="utf-8")
    vanban("run", root, "--db", db, "-w", "1", "-q")
    return root, db


def _groups(db):
    conn = store.connect(db)
    return {frozenset(f["path"].rsplit("/", 1)[-1] for f in g["files"]): g for g in groups.listing(conn)}


def test_the_batch_groups_the_files_of_one_document(archive):
    root, db = archive
    found = _groups(db)
    assert set(found) == {frozenset({"tb-002.docx", "tb-002s.pdf"}),
                          frozenset({"kh-004.docx", "kh-004-printed.pdf"}),
                          frozenset({SEED, "tb-12-web.html"}),
                          frozenset({"pool-tt-b3bb1d.txt", "pool-tt-c2b605.txt"})}
    tb = found[frozenset({"tb-002.docx", "tb-002s.pdf"})]
    # the document takes the signed scan's number and date; its items are the draft's (no OCR)
    assert (tb["number"], tb["date"]) == ("1894/TB-SCT", "2026-04-09")
    roles = {f["path"].rsplit("/", 1)[-1]: (f["role"], f["format"], f["kept"], f["header"]) for f in tb["files"]}
    assert roles == {"tb-002.docx": ("draft", "docx", 1, 0), "tb-002s.pdf": ("signed", "pdf", 0, 1)}
    web = {f["path"].rsplit("/", 1)[-1]: f["role"] for f in found[frozenset({SEED, "tb-12-web.html"})]["files"]}
    assert web == {SEED: "signed", "tb-12-web.html": "copy"}
    printed = {f["path"].rsplit("/", 1)[-1]: (f["format"], f["kept"]) for f in
               found[frozenset({"kh-004.docx", "kh-004-printed.pdf"})]["files"]}
    assert printed == {"kh-004.docx": ("docx", 1), "kh-004-printed.pdf": ("pdf", 0)}
    # two websites' copies of one circular: one kept, neither the signed one (nothing tells which was)
    tt = found[frozenset({"pool-tt-b3bb1d.txt", "pool-tt-c2b605.txt"})]
    assert (tt["number"], tt["date"]) == ("109/2025/TT-BTC", "2025-11-18")
    assert sorted((f["role"], f["kept"]) for f in tt["files"]) == [("copy", 0), ("copy", 1)]


def test_notices_of_one_template_and_day_are_not_one_document(archive):
    """The customs office's notices 37694 and 37695/TB-CHQ, issued the same day on
    one template, are 0.93 alike word for word: their numbers keep them apart."""
    _, db = archive
    conn = store.connect(db)
    rows = conn.execute("SELECT id, number, date, text FROM documents WHERE path LIKE '%-tb-9c3103.txt' "
                        "OR path LIKE '%-tb-f6ed93.txt' ORDER BY number").fetchall()
    assert [(r["number"], r["date"]) for r in rows] == [("37694/TB-CHQ", "2025-11-21"), ("37695/TB-CHQ", "2025-11-21")]
    assert grouping.jaccard(grouping.shingles(rows[0]["text"]), grouping.shingles(rows[1]["text"])) > 0.9
    assert not conn.execute("SELECT 1 FROM document_files WHERE doc_id IN (?, ?)", (rows[0]["id"], rows[1]["id"])
                            ).fetchone()


def test_same_number_in_another_year_or_of_another_issuer_is_another_document(archive):
    _, db = archive
    grouped = {n for g in _groups(db) for n in g}
    assert "tb-12-2025.txt" not in grouped and "tb-12-sxd.txt" not in grouped
    conn = store.connect(db)
    rows = conn.execute("SELECT path, number, date, issuer FROM documents WHERE number = '12/TB-SVHTTDL'").fetchall()
    assert len(rows) == 4                  # the seed, its web copy, another year's, another office's
    assert len({(r["date"][:4], r["issuer"]) for r in rows}) == 3


def _kept_tasks(conn):
    """Every task of the files counted, as the store holds them (not through the views under test)."""
    return conn.execute("SELECT t.task_id, t.doc_id FROM tasks t WHERE t.doc_id NOT IN "
                        "(SELECT doc_id FROM document_files WHERE doc_id != group_id)").fetchall()


def test_register_tasks_and_dataset_count_each_task_once(archive, tmp_path):
    root, db = archive
    conn = store.connect(db)
    per_file = dict(conn.execute("SELECT path, n_tasks FROM documents"))
    draft, signed = (per_file[str(root / n)] for n in ("tb-002.docx", "tb-002s.pdf"))
    assert draft == 4 and signed >= 1      # both files have tasks: stored apart they would count twice
    kept = _kept_tasks(conn)
    assert sum(per_file.values()) > len(kept)

    out = tmp_path / "register.xlsx"
    vanban("export", "tasks", "--db", db, "-o", out)
    wb = openpyxl.load_workbook(out)
    ws = wb["Nhiệm vụ"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    ids = [r["Mã nhiệm vụ"] for r in rows]
    assert len(ids) == len(set(ids)) == len({t for t, _ in kept})
    tb = [r for r in rows if r["Số ký hiệu"] == "1894/TB-SCT"]
    draft_ids = {r[0] for r in conn.execute("SELECT task_id FROM tasks t JOIN documents d ON d.id = t.doc_id "
                                            "WHERE d.path = ?", (str(root / "tb-002.docx"),))}
    assert draft_ids <= set(ids)           # the kept copy's stable ids, unchanged
    signed_ids = {r[0] for r in conn.execute("SELECT task_id FROM tasks t JOIN documents d ON d.id = t.doc_id "
                                             "WHERE d.path = ?", (str(root / "tb-002s.pdf"),))}
    assert not (signed_ids - draft_ids) & set(ids)
    assert len(tb) == 4 and {r["Mã nhiệm vụ"] for r in tb} == draft_ids
    # per unit, as many tasks as the counted files hold
    from collections import Counter
    want = Counter(u or None for (u,) in conn.execute(
        "SELECT coalesce(unit_canonical, unit) FROM tasks WHERE doc_id NOT IN "
        "(SELECT doc_id FROM document_files WHERE doc_id != group_id)"))
    assert Counter(r["Đơn vị thực hiện"] or None for r in rows) == want

    listed = json.loads(vanban("tasks", "--db", db, "--json"))
    assert sorted(r["id"] for r in listed) == sorted(set(ids))
    tb_listed = [r for r in listed if r["id"] in draft_ids]
    assert len(tb_listed) == 4 and {r["number"] for r in tb_listed} == {"1894/TB-SCT"}

    from extract.dataset import load
    ds = load(db)
    assert len(ds.tasks) == len(kept) and ds.tasks["task_id"].is_unique
    assert len(ds.documents) == len(per_file) - 4          # four documents in two files each
    assert set(ds.document_files["role"]) <= {"draft", "signed", "copy"}
    one = ds.tasks_with_documents()
    assert set(one[one["task_id"].isin(draft_ids)]["number"]) == {"1894/TB-SCT"}


def test_search_finds_a_document_once(archive):
    root, db = archive
    conn = store.connect(db)
    (text,) = conn.execute("SELECT t.text FROM tasks t JOIN documents d ON d.id = t.doc_id WHERE d.path = ? "
                           "ORDER BY idx LIMIT 1", (str(root / "tb-002.docx"),)).fetchone()
    words = " ".join(text.split()[:8])
    from extract.store.search import search
    assert store.connect(db).execute("SELECT count(*) FROM passages p JOIN documents d ON d.id = p.doc_id "
                                     "WHERE d.path = ?", (str(root / "tb-002s.pdf"),)).fetchone()[0]
    names = [h.path.rsplit("/", 1)[-1] for h in search(conn, words, limit=50)]
    assert "tb-002.docx" in names and "tb-002s.pdf" not in names


def test_a_wrong_grouping_is_undone(archive, tmp_path):
    root, db = archive
    copy = tmp_path / "apart.db"
    src = store.connect(db)
    src.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(db, copy)
    before = len(json.loads(vanban("tasks", "--db", copy, "--json")))
    vanban("groups", "--db", copy, "--apart", root / "tb-002.docx", "--apart", root / "tb-002s.pdf")
    assert frozenset({"tb-002.docx", "tb-002s.pdf"}) not in _groups(copy)
    after = len(json.loads(vanban("tasks", "--db", copy, "--json")))
    signed = store.connect(copy).execute("SELECT n_tasks FROM documents WHERE path = ?",
                                         (str(root / "tb-002s.pdf"),)).fetchone()[0]
    assert after == before + signed
    assert "tb-002.docx" in vanban("groups", "--db", db)        # the other store keeps its grouping


def _facts(i, path, number=None, date=None, issuer="so cong thuong", text="", doc_type="TB"):
    s = grouping.Settings()
    return grouping.FileFacts(doc_id=i, path=path, format=path.rsplit(".", 1)[-1], doc_type=doc_type,
                              number_key=number, issuer=issuer, date=date,
                              sketch=grouping.sketch(text, s.shingle, s.sketch)), text


def test_rules_keep_a_pair_apart():
    text = TB_SEED.read_text(encoding="utf-8")
    (a, ta), (b, tb) = _facts(1, "/x/a.docx", text=text), _facts(2, "/y/b.pdf", "12tbsvhttdl", "2025-12-30", text=text)
    sim = lambda x, y: grouping.jaccard(grouping.shingles(ta), grouping.shingles(tb))   # noqa: E731
    assert len(grouping.group([a, b], sim)) == 1
    s = grouping.Settings.from_rules({"apart": [["a.docx", "b.pdf"]]})
    assert grouping.group([a, b], sim, s) == []


def test_a_draft_as_like_two_numbered_notices_is_neither():
    """Notices of one template (the customs office's, a few words apart): a
    blank-numbered draft as like two of them joins none."""
    text = TB_SEED.read_text(encoding="utf-8")
    other = text.replace("Văn phòng Sở", "Phòng Văn hóa", 1)
    draft, _ = _facts(1, "/a/draft.docx", text=text)
    one, _ = _facts(2, "/a/one.pdf", "12tbsvhttdl", "2025-12-30", text=text)
    two, _ = _facts(3, "/a/two.pdf", "13tbsvhttdl", "2025-12-30", text=other)
    texts = {1: text, 2: text, 3: other}
    sim = lambda x, y: grouping.jaccard(grouping.shingles(texts[x.doc_id]), grouping.shingles(texts[y.doc_id]))  # noqa: E731
    assert 0 < sim(draft, one) - sim(draft, two) < grouping.Settings().margin
    assert grouping.group([draft, one, two], sim) == []
    assert len(grouping.group([draft, one], sim)) == 1



def test_sketch_made_with_the_rows_and_exact_similarity_without_hashes(archive):
    """Each stored file's sketch comes with its rows (made in the worker, not
    by the writing process after the run), equal to the one the grouping makes
    of the stored text; the exact similarity on word k-grams themselves equals
    the one on their 64-bit hashes, on the archive's real texts."""
    from extract.pipeline import extract_file
    from extract.store.to_rows import rows

    root, db = archive
    (stored,), = rows(extract_file(root / "tb-002.docx")).sketches
    conn = store.connect(db)
    texts = conn.execute("SELECT d.text, s.sketch FROM documents d JOIN text_sketches s ON s.doc_id = d.id").fetchall()
    n_docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    assert len(texts) == n_docs >= 10
    assert json.loads(stored) in [json.loads(sk) for _, sk in texts]
    for text, sk in texts:
        assert tuple(json.loads(sk)) == grouping.sketch(text or "")
    for a, _ in texts[:6]:
        for b, _ in texts[:6]:
            assert grouping.jaccard(grouping.shingle_set(a), grouping.shingle_set(b)) == pytest.approx(
                grouping.jaccard(grouping.shingles(a), grouping.shingles(b)))
