"""Full-text search: diacritics and case do not matter, đ included; filters; JSON."""
import json
import subprocess
import sys

from extract import store
from extract.store.search import fts_query, search, snippet


def test_query_folding_and_safety():
    assert fts_query("Kế hoạch DU LỊCH") == '"ke" AND "hoach" AND "du" AND "lich"'
    assert fts_query("Điều hành") == fts_query("dieu hanh")
    # FTS5 syntax in a user's words is just words
    assert fts_query('NEAR( "quý" AND -') == '"near" AND "quy" AND "and"'
    assert fts_query("  -- ") is None
    # abbreviations and their expansions find each other
    assert fts_query("UBND tỉnh") == '("ubnd" OR "uy ban nhan dan") AND "tinh"'
    assert fts_query("Ủy ban nhân dân tỉnh") == fts_query("ubnd tinh")


def test_abbreviation_finds_its_expansion(archive_db):
    conn = store.connect(archive_db)
    short = {(h.doc_id, h.start) for h in search(conn, "UBND tỉnh", limit=200)}
    full = {(h.doc_id, h.start) for h in search(conn, "Ủy ban nhân dân tỉnh", limit=200)}
    assert short == full
    texts = " ".join(h.snippet for h in search(conn, "ubnd tinh", limit=200))
    assert "[UBND]" in texts and "[Ủy ban nhân dân]" in texts


def test_with_and_without_diacritics(archive_db):
    conn = store.connect(archive_db)
    with_marks = search(conn, "khách du lịch", limit=50)
    without = search(conn, "khach du lich", limit=50)
    assert with_marks and [(h.doc_id, h.start) for h in with_marks] == [(h.doc_id, h.start) for h in without]
    # đ is a letter of its own, not a d with a mark: it must still fold to d
    hits = search(conn, "dieu hanh", limit=50)
    assert hits and any("[điều hành]" in h.snippet.lower() for h in hits)
    assert search(conn, "ĐIỀU HÀNH", limit=50)[0].doc_id == hits[0].doc_id


def test_filters(archive_db):
    conn = store.connect(archive_db)
    only_tb = search(conn, "van phong so", doc_type="TB", limit=50)
    assert only_tb and {h.doc_type for h in only_tb} == {"TB"}
    assert {h.doc_type for h in search(conn, "van phong so", doc_type="Thông báo", limit=50)} == {"TB"}
    jan = search(conn, "bao cao", date_from="2026-01-10", date_to="2026-01-31", limit=50)
    assert jan and {h.number for h in jan} == {"25/SVHTTDL-VP"}
    # a unit's tasks, by its alias
    vp = search(conn, "bao cao", unit="VP Sở", limit=50)
    assert vp and {h.kind for h in vp} == {"task"} and {h.unit for h in vp} == {"Văn phòng Sở"}
    ct = search(conn, "kiem tra", issuer="so cong thuong", limit=50)
    assert ct and all("/cong-thuong/" in h.path for h in ct)


def test_snippet_marks_words_in_the_original_text():
    text = "Giao Văn phòng Sở chủ trì tổng hợp, báo cáo Ban Giám đốc trước ngày 16/01."
    s = snippet(text, ["bao", "cao"])
    assert "[báo cáo]" in s


def test_cli_json_and_no_match(archive_db):
    run = lambda *a: subprocess.run([sys.executable, "-m", "extract.cli", "search", *a, "--db", str(archive_db)],
                                    capture_output=True, text=True)
    out = run("Thong bao so 12", "--json", "--limit", "3")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert 1 <= len(hits) <= 3 and {"path", "section", "snippet", "score"} <= set(hits[0])
    assert run("zzzkhongcotu").stdout.strip() == "no match"
    text = run("giao ban").stdout
    assert "giao ban" in text.lower()
