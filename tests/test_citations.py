"""References resolved to the stored documents they cite.

Real citing pairs of corpus/: the notice tb-002 (its draft .docx, grouped with
its signed scan tb-002s.pdf) and the report bc-008.docx cite the inspection
plan kh-007.pdf (an OCR'd scan) as 1105/KH-ĐKT; the Prime Minister's công
điện 226/CĐ-TTg cites 223/CĐ-TTg. Beside them, copies of real texts with their
number, date or province edited: 223/CĐ-TTg again in 2024, where the citing
text's date decides; the plan 24/KH-UBND that Bắc Ninh's 141/KH-UBND cites,
stored for Bắc Ninh and for Quảng Ngãi, where the citing document's province
decides, and a report naming no province citing it, left unresolved with both
candidates; a công điện citing 223/CĐ-TTg with no date, unresolved too.
Hà Tĩnh's decision 3005/QĐ-UBND cites the Ministry of Health's 3574/QĐ-BYT,
a number without its year, "ngày 19/11/2025" giving it; stored again as a
2024 decision, and cited so by a copy of 3005 dated 2024, each date picks its
own. The minutes bb-001.docx, naming no province, cite Lào Cai's
525/QĐ-UBND as kh-006.docx does naming it: one key."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import CORPUS
from extract import resolve, store
from extract.batch import run
from extract.store.citations import citing

REAL = ["tb-002.docx", "tb-002s.pdf", "bc-008.docx", "kh-007.pdf", "web/web-cd-858c0d.txt",
        "web/web-cd-15e6fb.txt", "web/web-kh-bacninh-141.txt", "pool/web/pool-qd-1ea5e7.txt",
        "pool/web/pool-qd-aab8ca.txt", "bb-001.docx", "kh-006.docx", "pool/web/pool-cv-2c71d7.txt"]
CD_223 = "223/CĐ-TTg ngày 20/11/2025"


def _edit(text: str, *pairs, count: int = 1) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, count)
    return text


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("cites")
    for name in REAL:
        shutil.copy(CORPUS / name, root / name.rsplit("/", 1)[-1])
    web = CORPUS / "web"
    cd223 = (web / "web-cd-15e6fb.txt").read_text(encoding="utf-8")
    cd226 = (web / "web-cd-858c0d.txt").read_text(encoding="utf-8")
    kh141 = (web / "web-kh-bacninh-141.txt").read_text(encoding="utf-8")
    report = (CORPUS / "bc-2023-6thang-svhttdl-laichau.txt").read_text(encoding="utf-8")
    # 223/CĐ-TTg once more, a year earlier: công điện numbers start again every year
    (root / "cd-223-2024.txt").write_text(_edit(cd223, ("tháng 11 năm 2025", "tháng 11 năm 2024")), encoding="utf-8")
    # 226/CĐ-TTg renumbered: one citing the 2024 công điện, one citing 223 with no date
    (root / "cd-227.txt").write_text(_edit(cd226, ("226/CĐ-TTg", "227/CĐ-TTg"), (CD_223, "223/CĐ-TTg ngày 20/11/2024")),
                                     encoding="utf-8")
    (root / "cd-228.txt").write_text(_edit(cd226, ("226/CĐ-TTg", "228/CĐ-TTg"), (CD_223, "223/CĐ-TTg")),
                                     encoding="utf-8")
    # the plan 141/KH-UBND cites, "Kế hoạch số 24/KH-UBND ngày 14/8/2025 của UBND tỉnh",
    # stored as Bắc Ninh's and as Quảng Ngãi's (every province's UBND numbers its plans)
    kh24 = _edit(kh141, ("Số: 141/KH-UBND", "Số: 24/KH-UBND"), ("ngày 20\ntháng 11 năm 2025", "ngày 14\ntháng 8 năm 2025"),
                 ("Kế hoạch số 24/KH-UBND ngày\n14/8/2025 của UBND tỉnh", "Kế hoạch của UBND tỉnh"))
    (root / "kh-24-bacninh.txt").write_text(kh24, encoding="utf-8")
    (root / "kh-24-quangngai.txt").write_text(
        kh24.replace("TỈNH BẮC NINH", "TỈNH QUẢNG NGÃI").replace("Bắc Ninh, ngày", "Quảng Ngãi, ngày"),
        encoding="utf-8")
    # a report with no header (so no province) citing that plan
    (root / "bc-no-province.txt").write_text(
        _edit(report, ("Kế hoạch số 240/KH-SVHTTDL ngày 16/02/2023", "Kế hoạch số 24/KH-UBND ngày 14/8/2025")),
        encoding="utf-8")
    # 3574/QĐ-BYT once more in 2024, and a copy of Hà Tĩnh's 3005 (renumbered 3006) citing that one
    byt = (CORPUS / "pool/web/pool-qd-aab8ca.txt").read_text(encoding="utf-8")
    (root / "qd-3574-2024.txt").write_text(_edit(byt, ("tháng 11 năm 2025", "tháng 11 năm 2024")), encoding="utf-8")
    ht = (CORPUS / "pool/web/pool-qd-1ea5e7.txt").read_text(encoding="utf-8")
    (root / "qd-3006.txt").write_text(_edit(ht, ("Số: 3005/QĐ-UBND", "Số: 3006/QĐ-UBND"),
                                            ("3574/QĐ-BYT ngày 19/11/2025", "3574/QĐ-BYT ngày 19/11/2024")),
                                      encoding="utf-8")
    path = tmp_path_factory.mktemp("db") / "vanban.db"
    assert run([root], path, workers=2, progress=False).ok
    return root, path


def _id(conn, root, name):
    return conn.execute("SELECT id FROM documents WHERE path = ?", (str(root / name),)).fetchone()[0]


def _links(conn):
    return {(c.rsplit("/", 1)[-1], code, d.rsplit("/", 1)[-1])
            for c, code, d in conn.execute("SELECT citing_path, code, cited_path FROM links")}


def test_real_citing_pairs_resolve_to_the_right_document(db):
    root, path = db
    conn = store.connect(path)
    links = _links(conn)
    assert {("tb-002.docx", "1105/KH-ĐKT", "kh-007.pdf"), ("bc-008.docx", "1105/KH-ĐKT", "kh-007.pdf"),
            ("web-cd-858c0d.txt", "223/CĐ-TTg", "web-cd-15e6fb.txt")} <= links
    assert not any(c == "tb-002s.pdf" for c, _, _ in links)     # the grouped scan cites through its draft
    # the decision the plan was made under is not stored: kh-007's OCR'd header
    # once read its number, and a plan ("KẾ HOẠCH") is no decision whatever it reads
    assert not any(code == "1050/QĐ-SCT" for _, code, _ in links)
    # every link: the cited document's own key is the reference's
    for ref_key, number, doc_type, date, issuer, parent, place in conn.execute(
            "SELECT x.ref_key, d.number, d.doc_type, d.date, d.issuer, d.issuer_parent, d.place FROM citations x "
            "JOIN documents_once d ON d.id = x.cited_id"):
        own = resolve.document_key(number, doc_type, date,
                                   province=resolve.document_province(issuer, parent, place, number))
        assert str(own) == ref_key
    cols = [r[1] for r in conn.execute("PRAGMA table_info(links)")]
    assert cols == ["citing_id", "citing_path", "citing_number", "cited_id", "cited_path", "cited_number",
                    "code", "ref_idx"]
    # the links view holds the resolved references only, each once
    n = conn.execute("SELECT count(*) FROM citations WHERE cited_id IS NOT NULL").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM links").fetchone()[0] == n == len(links)


def test_the_citing_texts_date_decides_between_two_years(db):
    root, path = db
    conn = store.connect(path)
    links = _links(conn)
    assert ("web-cd-858c0d.txt", "223/CĐ-TTg", "web-cd-15e6fb.txt") in links
    assert ("cd-227.txt", "223/CĐ-TTg", "cd-223-2024.txt") in links
    keys = dict(conn.execute("SELECT d.path, x.ref_key FROM citations x JOIN refs r USING (doc_id, idx) "
                             "JOIN documents d ON d.id = x.doc_id WHERE r.code = '223/CĐ-TTg'").fetchall())
    assert keys[str(root / "cd-227.txt")] == "cd|223|2024|ttg"
    assert keys[str(root / "web-cd-858c0d.txt")] == "cd|223|2025|ttg"


def test_a_number_without_its_year_resolves_by_the_citing_texts_date(db):
    """'Quyết định số 3574/QĐ-BYT ngày 19/11/2025': the code has no year, its date
    gives it; the same number stored for 2024 is the document a text dated so cites."""
    root, path = db
    conn = store.connect(path)
    links = _links(conn)
    assert ("pool-qd-1ea5e7.txt", "3574/QĐ-BYT", "pool-qd-aab8ca.txt") in links
    assert ("qd-3006.txt", "3574/QĐ-BYT", "qd-3574-2024.txt") in links
    assert not {("pool-qd-1ea5e7.txt", "3574/QĐ-BYT", "qd-3574-2024.txt"),
                ("qd-3006.txt", "3574/QĐ-BYT", "pool-qd-aab8ca.txt")} & links
    assert _citation(conn, _id(conn, root, "pool-qd-1ea5e7.txt"), "3574/QĐ-BYT")[0] == "qd|3574|2025|byt"
    assert _citation(conn, _id(conn, root, "qd-3006.txt"), "3574/QĐ-BYT")[0] == "qd|3574|2024|byt"


def test_a_local_code_cited_without_a_province_groups_with_the_one_it_can_be(db):
    """bb-001.docx (minutes, no header, so no province) cites 'Quyết định số
    525/QĐ-UBND ngày 25/02/2026 của UBND tỉnh'; kh-006.docx cites it 'của Ủy ban
    nhân dân tỉnh Lào Cai'. The decision is not stored; the only province any key
    names for it is Lào Cai's, so both cite one key (resolve.canonical)."""
    root, path = db
    conn = store.connect(path)
    bb, kh = _id(conn, root, "bb-001.docx"), _id(conn, root, "kh-006.docx")
    assert conn.execute("SELECT place, issuer FROM documents WHERE id = ?", (bb,)).fetchone()[0] is None
    assert _citation(conn, bb, "525/QĐ-UBND")[0] == _citation(conn, kh, "525/QĐ-UBND")[0] == "qd|525|2026|ubnd@laocai"
    assert {bb, kh} <= set(citing(conn, "qd|525|2026|ubnd@laocai"))
    assert citing(conn, "qd|525|2026|ubnd") == []


def test_a_national_bodys_place_is_no_province_for_the_local_codes_it_cites(db):
    """The Government Office (Hà Nội) cites Hưng Yên's report "văn bản số 84/BC-UBND
    ngày 19 tháng 11 năm 2025", naming the province before it, not after: the key
    names no province rather than Hà Nội's; Lào Cai's own documents keep theirs."""
    root, path = db
    conn = store.connect(path)
    assert _citation(conn, _id(conn, root, "pool-cv-2c71d7.txt"), "84/BC-UBND")[0] == "bc|84|2025|ubnd"
    assert resolve.document_province("Văn phòng Chính phủ", None, "Hà Nội", "11654/VPCP-CN") is None
    assert resolve.document_province("Sở Công Thương", None, "Lào Cai", "1894/TB-SCT") == "laocai"
    assert resolve.document_province("Sở Công Thương", None, "Lào Cai", None) == "laocai"       # a draft
    assert resolve.document_province("Cục Thuế", "Bộ Tài chính", "Hà Nội", None) is None


def test_keys_without_a_province_join_only_the_one_province_they_can_be():
    k = lambda p=None: resolve.key_of(number="12", year=2025, type_code=None, issuer_code="UBND",  # noqa: E731
                                      sub_unit="VX", province=p)
    known = resolve.provinces_known([k("laocai"), k("laocai"), k()])
    assert str(resolve.canonical(k(), known)) == "?|12|2025|ubnd@laocai"
    two = resolve.provinces_known([k("laocai"), k("bacninh"), k()])
    assert str(resolve.canonical(k(), two)) == "?|12|2025|ubnd"
    # resolved, it takes the cited document's province whatever else is known
    cited = resolve.document_key("12/UBND-VX", None, "2025-04-03", province="bacninh")
    assert str(resolve.canonical(k(), known, cited)) == "?|12|2025|ubnd@bacninh"
    # a national body's code has no province to take
    nd = resolve.key_of(number="30", year=2020, type_code="NĐ", issuer_code="CP")
    assert resolve.canonical(nd, known) == nd


def test_a_cong_van_without_a_year_resolves_by_the_year_of_its_date():
    """'Công văn số 12/UBND-VX ngày 3/4/2025': local body numbers start again each
    year; two stored công văn 12/UBND-VX of Lào Cai, 2024 and 2025: the date picks."""
    from test_references import refs_of

    r = refs_of("Thực hiện Công văn số 12/UBND-VX ngày 3/4/2025 của UBND tỉnh Lào Cai về việc")["12/UBND-VX"]
    assert (r.doc_type, r.date, r.year) == ("CV", "2025-04-03", None)
    key = resolve.reference_key(r, citing_province="bacninh")
    assert str(key) == "?|12|2025|ubnd@laocai"            # the province the text names, not the citing one's
    stored = [resolve.Target(1, resolve.document_key("12/UBND-VX", "CV", "2024-05-06", province="laocai")),
              resolve.Target(2, resolve.document_key("12/UBND-VX", "CV", "2025-04-03", province="laocai")),
              resolve.Target(3, resolve.document_key("12/UBND-VX", "CV", "2025-01-09", province="bacninh"))]
    res = resolve.resolve(key, r.issuer, resolve.index(stored))
    assert (res.doc_id, res.reason) == (2, resolve.RESOLVED)


def _citation(conn, doc_id, code):
    return conn.execute("SELECT x.ref_key, x.cited_id, x.candidates, x.reason FROM citations x "
                        "JOIN refs r USING (doc_id, idx) WHERE x.doc_id = ? AND r.code = ?", (doc_id, code)).fetchone()


def test_a_reference_without_a_year_stays_unresolved_with_its_candidates(db):
    root, path = db
    conn = store.connect(path)
    key, cited, cands, reason = _citation(conn, _id(conn, root, "cd-228.txt"), "223/CĐ-TTg")
    both = sorted([_id(conn, root, "web-cd-15e6fb.txt"), _id(conn, root, "cd-223-2024.txt")])
    assert (key, cited, sorted(json.loads(cands)), reason) == ("cd|223|?|ttg", None, both, "no year")


def test_the_citing_documents_province_decides_a_local_code(db):
    root, path = db
    conn = store.connect(path)
    bn, qn = _id(conn, root, "kh-24-bacninh.txt"), _id(conn, root, "kh-24-quangngai.txt")
    assert ("web-kh-bacninh-141.txt", "24/KH-UBND", "kh-24-bacninh.txt") in _links(conn)
    assert _citation(conn, _id(conn, root, "web-kh-bacninh-141.txt"), "24/KH-UBND")[0] == "kh|24|2025|ubnd@bacninh"
    # a report that names no province: two stored plans fit, neither is linked
    key, cited, cands, reason = _citation(conn, _id(conn, root, "bc-no-province.txt"), "24/KH-UBND")
    assert (key, cited, sorted(json.loads(cands)), reason) == ("kh|24|2025|ubnd", None, sorted([bn, qn]), "ambiguous")
    assert not {c for c, code, _ in _links(conn) if code == "24/KH-UBND"} - {"web-kh-bacninh-141.txt"}


def test_a_document_not_stored_groups_the_documents_citing_it(db):
    root, path = db
    conn = store.connect(path)
    # 222/CĐ-TTg (19/11/2025) is not in the store; five stored công điện cite it
    assert citing(conn, "cd|222|2025|ttg") == sorted(_id(conn, root, n) for n in (
        "web-cd-858c0d.txt", "cd-227.txt", "cd-228.txt", "web-cd-15e6fb.txt", "cd-223-2024.txt"))
    assert {r[0] for r in conn.execute("SELECT reason FROM citations WHERE ref_key = 'cd|222|2025|ttg'")} \
        == {"not stored"}
    # however each text words it: "Luật ... số 64/2025/QH15" and a bare code give one key
    assert resolve.key_of(number="64", year=2025, type_code=None, issuer_code="QH15", says=("Luật",)) \
        == resolve.key_of(number="64", year=2025, type_code=None, issuer_code="QH15", says=("CV",))


def test_the_page_lists_what_a_document_cites_and_what_cites_it(db):
    root, path = db
    conn = store.connect(path)
    from extract.store.pages import cited_by, cites, names
    kh = _id(conn, root, "kh-007.pdf")
    assert sorted(c["path"].rsplit("/", 1)[-1] for c in cited_by(conn, kh)) == ["bc-008.docx", "tb-002.docx"]
    # the notice citing it is named by its signed scan's number, though its draft is the file kept
    tb = _id(conn, root, "tb-002.docx")
    assert {c["number"] for c in cited_by(conn, kh) if c["doc_id"] == tb} == {"1894/TB-SCT"}
    assert names(conn, [tb, kh]) == {tb: "1894/TB-SCT", kh: "1105/KH-ĐKT"}
    # the notice's page: the draft's text under the signed scan's number and date; the scan's
    # own page cites through the draft, and both list the two files
    from extract.store.pages import extraction, relations
    scan = _id(conn, root, "tb-002s.pdf")
    h = extraction(conn, tb).document.header
    assert (h.number, h.date) == ("1894/TB-SCT", "2026-04-09")
    assert extraction(conn, tb).document.text == conn.execute("SELECT text FROM documents WHERE id = ?",
                                                               (tb,)).fetchone()[0]
    for i in (tb, scan):
        rel = relations(conn, i)
        assert {c["code"]: c["doc_id"] for c in rel.cites}.get("1105/KH-ĐKT") == kh
        assert sorted(f["doc_id"] for f in rel.files) == sorted([tb, scan])
    refs = {c["code"]: c for c in cites(conn, _id(conn, root, "cd-228.txt"))}
    assert refs["223/CĐ-TTg"]["doc_id"] is None and len(refs["223/CĐ-TTg"]["candidates"]) == 2
    assert refs["222/CĐ-TTg"]["ref_key"] == "cd|222|2025|ttg" and refs["222/CĐ-TTg"]["doc_id"] is None


def test_keys_of_references_and_documents_agree():
    k = resolve.document_key("30/2020/NĐ-CP", "NĐ", "2020-03-05")
    assert str(k) == "nd|30|2020|cp"
    assert resolve.fits(resolve.key_of(number="30", year=2020, type_code="NĐ", issuer_code="CP"), k)
    assert resolve.document_key("Số: /TB-SCT", "TB", None) is None
    # a plan whose header reads a decision's number is not that decision
    plan = resolve.document_key("1050/QĐ-SCT", "KH", "2026-03-10", province="laocai")
    assert not resolve.fits(resolve.key_of(number="1050", year=2026, type_code="QĐ", issuer_code="SCT",
                                           province="laocai", says=("QĐ",)), plan)
    assert str(resolve.key_of(number="QCVN", year=2019, type_code="QCVN", issuer_code="BCT",
                              code="QCVN 01:2019/BCT")) == "qcvn|01|2019|bct"
    # qd-002.pdf, the decision 1050/QĐ-SCT itself, as OCR reads its header: "Số: 1050/QĐĐ-SCT"
    # under "QUYẾT ĐỊNH"; the doubled letter read as the type line's type, and only when OCR'd
    cited = resolve.key_of(number="1050", year=None, type_code="QĐ", issuer_code="SCT", date="2026-03-06",
                           province="laocai")
    assert resolve.fits(cited, resolve.document_key("1050/QĐĐ-SCT", "QĐ", "2026-03-06", province="laocai", ocr=True))
    assert not resolve.fits(cited, resolve.document_key("1050/QĐĐ-SCT", "QĐ", "2026-03-06", province="laocai"))
    assert str(resolve.document_key("1050/QĐĐ-SCT", "KH", "2026-03-06", province="laocai", ocr=True)) \
        == "?|1050|2026|qdd"                 # a plan's type line: not its type doubled, the segment stays
    # law-006.pdf's OCR'd "quy định tại Điều 9 Nehị định số 32/2024/NĐ-CP": the words name a
    # Quy định, the code a Nghị định; the code is the cited document's (law-002.docx)
    from extract.model import Reference
    r = Reference(code="32/2024/NĐ-CP", doc_type="QyĐ", date="2024-03-15", number="32", year=2024,
                  type_code="NĐ", issuer_code="CP", issuer="Chính phủ")
    assert resolve.fits(resolve.reference_key(r), resolve.document_key("32/2024/NĐ-CP", "NĐ", "2024-03-15"))


def test_the_graph_exports_open_with_pandas_and_networkx(db, tmp_path):
    import networkx as nx
    import pandas as pd

    root, path = db
    r = subprocess.run([sys.executable, "-m", "extract.cli", "export", "graph", "--db", str(path), "-o", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    conn = store.connect(path)
    ids = {n: _id(conn, root, n) for n in ("web-cd-858c0d.txt", "web-cd-15e6fb.txt", "cd-227.txt", "cd-228.txt",
                                           "cd-223-2024.txt", "tb-002.docx", "bc-008.docx", "kh-007.pdf")}
    e = pd.read_parquet(tmp_path / "citations.parquet")
    pairs = set(zip(e["source"], e["target"]))
    for a, b in (("web-cd-858c0d.txt", "web-cd-15e6fb.txt"), ("cd-227.txt", "cd-223-2024.txt"),
                 ("tb-002.docx", "kh-007.pdf"), ("bc-008.docx", "kh-007.pdf")):
        assert (f"doc:{ids[a]}", f"doc:{ids[b]}") in pairs
    # the undated reference is ambiguous: no edge to either công điện
    assert not {t for s, t in pairs if s == f"doc:{ids['cd-228.txt']}"} & {
        f"doc:{ids['web-cd-15e6fb.txt']}", f"doc:{ids['cd-223-2024.txt']}"}
    assert e["stored"].dtype == bool and e["references"].min() >= 1
    g = nx.read_graphml(tmp_path / "citations.graphml")
    assert g.number_of_edges() == len(e) and g.is_directed()
    missing = "key:cd|222|2025|ttg"
    assert g.in_degree(missing) == 5 and g.nodes[missing]["stored"] is False
    assert g.nodes[f"doc:{ids['kh-007.pdf']}"]["label"] == "1105/KH-ĐKT"
    # every node is labelled, a document without a number by its file's name; no field is NaN
    assert all(isinstance(v, (str, bool)) and v != "nan" for _, d in g.nodes(data=True) for v in d.values())
    assert g.nodes[f"doc:{ids['bc-008.docx']}"]["label"] == "bc-008.docx"
    assert g.in_degree(f"doc:{ids['kh-007.pdf']}") == 2


def test_a_store_made_before_resolution_is_resolved_on_opening(db, tmp_path):
    """A store whose ``links`` joined on the folded code alone gets the view of
    resolved references, and its references resolved, when it is opened."""
    import sqlite3

    root, path = db
    old = tmp_path / "old.db"
    src = sqlite3.connect(path)
    src.backup(dst := sqlite3.connect(old))
    src.close()
    dst.executescript("""
        DROP VIEW links; DELETE FROM citations;
        CREATE VIEW links AS
        SELECT r.doc_id AS citing_id, c.path AS citing_path, c.number AS citing_number,
               d.id AS cited_id, d.path AS cited_path, d.number AS cited_number, r.code AS code, r.idx AS ref_idx
        FROM refs r JOIN documents d ON d.code_key = r.code_key AND d.id != r.doc_id
        JOIN documents c ON c.id = r.doc_id;""")
    dst.commit()
    dst.close()
    conn = store.connect(old)
    assert "citations" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'links'").fetchone()[0]
    assert _links(conn) == _links(store.connect(path))
