"""The citation graph: who cites whom, from the store's resolved references.

Nodes are the stored documents (one per document, however many files) and,
for a reference that names no stored document, its canonical key
(``key:nd|30|2020|cp``), so a decree not in the archive still gathers its
citing documents. An edge goes from a citing document to what it cites, with
how many of its references do (a reference merges its mentions already).
Ambiguous references are no edge: they are not known to cite either
candidate. Written as a Parquet edge list and as GraphML (networkx, Gephi).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

EDGES_SQL = """
SELECT x.doc_id AS citing_id, c.number AS citing_number, c.path AS citing_path,
       x.cited_id, d.number AS cited_number, d.path AS cited_path,
       x.ref_key, r.code, r.doc_type, x.reason
FROM citations x
JOIN refs r ON r.doc_id = x.doc_id AND r.idx = x.idx
JOIN documents_once c ON c.id = x.doc_id
LEFT JOIN documents_once d ON d.id = x.cited_id
WHERE x.cited_id IS NOT NULL OR x.reason = 'not stored'
"""


def doc_node(doc_id) -> str:
    return f"doc:{int(doc_id)}"


def key_node(key: str) -> str:
    return f"key:{key}"


def edges(conn) -> pd.DataFrame:
    """One row per (citing document, cited node): source, target, references, and what they are."""
    df = pd.read_sql_query(EDGES_SQL, conn)
    if df.empty:
        return pd.DataFrame(columns=["source", "target", "citing_id", "cited_id", "ref_key", "code",
                                     "citing_number", "cited_number", "doc_type", "stored", "references"])
    df["source"] = df["citing_id"].map(doc_node)
    df["stored"] = df["cited_id"].notna()
    df["target"] = [doc_node(i) if s else key_node(k) for i, k, s in zip(df["cited_id"], df["ref_key"], df["stored"])]
    df["cited_id"] = df["cited_id"].astype("Int64")
    out = (df.groupby(["source", "target"], sort=True)
           .agg(citing_id=("citing_id", "first"), cited_id=("cited_id", "first"), ref_key=("ref_key", "first"),
                code=("code", "first"), citing_number=("citing_number", "first"),
                cited_number=("cited_number", "first"), doc_type=("doc_type", "first"), stored=("stored", "first"),
                references=("code", "size"))
           .reset_index())
    return out


def nodes(conn, e: pd.DataFrame) -> pd.DataFrame:
    """Every node the edges touch: stored documents with their header, keys with the code cited."""
    docs = pd.read_sql_query("SELECT id, number, doc_type, date, issuer, title, path FROM documents_once", conn)
    # a view's columns come back as NaN where NULL (a draft's number and date): NaN is truthy
    # and GraphML would write it as a label; blank instead, so the file's name labels a draft
    text = ["number", "doc_type", "date", "issuer", "title", "path"]
    docs[text] = docs[text].astype(object).where(docs[text].notna(), None)
    docs["node"] = docs["id"].map(doc_node)
    wanted = set(e["source"]) | set(e["target"])
    rows = [{"node": r.node, "label": r.number or Path(r.path).name, "stored": True, "doc_type": r.doc_type or "",
             "date": r.date or "", "issuer": r.issuer or "", "title": r.title or "", "path": r.path}
            for r in docs.itertuples() if r.node in wanted]
    for t, code, dt in e.loc[~e["stored"], ["target", "code", "doc_type"]].drop_duplicates("target").itertuples(
            index=False):
        rows.append({"node": t, "label": code, "stored": False, "doc_type": dt or "", "date": "", "issuer": "",
                     "title": "", "path": ""})
    return pd.DataFrame(rows, columns=["node", "label", "stored", "doc_type", "date", "issuer", "title", "path"])


def to_networkx(conn):
    import networkx as nx

    e = edges(conn)
    g = nx.DiGraph()
    for r in nodes(conn, e).to_dict("records"):
        g.add_node(r.pop("node"), **r)
    for r in e.itertuples(index=False):
        g.add_edge(r.source, r.target, references=int(r.references), code=r.code or "", ref_key=r.ref_key or "")
    return g


def export(conn, out_dir: Path) -> list[Path]:
    """``citations.parquet`` (the edge list) and ``citations.graphml`` in ``out_dir``."""
    import networkx as nx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pq, gml = out_dir / "citations.parquet", out_dir / "citations.graphml"
    edges(conn).to_parquet(pq, index=False)
    nx.write_graphml(to_networkx(conn), gml)
    return [pq, gml]
