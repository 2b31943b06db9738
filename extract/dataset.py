"""The store as pandas DataFrames, for notebooks::

    from extract.dataset import load
    ds = load("outputs/vanban.db")
    ds.tasks.groupby("unit").size()

Dates are ``datetime64``, JSON lists are Python lists, and every item table
carries ``doc_id`` to join with ``ds.documents`` (whose ``id`` is that key).

A document stored as several files (a draft and its signed scan) is one row of
``ds.documents``, with the header of its best file, and its items are those of
its kept file only, so nothing is counted twice; ``ds.document_files`` lists
every file of such documents with its role.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from .store import TABLES, read_table
DATE_COLUMNS = {"documents": ["date", "extracted_at"], "refs": ["date"], "deadlines": ["date"],
                "tasks": ["deadline"], "errors": ["at"]}
JSON_COLUMNS = {"documents": ["ocr_pages", "ocr_confidence", "recipients", "warnings"], "refs": ["mentions"],
                "tasks": ["co_units"]}
INT_COLUMNS = {"refs": ["year"], "documents": ["pages"]}   # and every page / task_idx column


def load_table(conn, name: str, with_text: bool = True) -> pd.DataFrame:
    return _typed(read_table(conn, name, with_text=with_text), name)


def _typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    for c in DATE_COLUMNS.get(name, []):
        df[c] = pd.to_datetime(df[c], errors="coerce")
    for c in JSON_COLUMNS.get(name, []):
        df[c] = df[c].map(lambda s: json.loads(s) if isinstance(s, str) else [])
    for c in INT_COLUMNS.get(name, []) + [c for c in ("page", "task_idx") if c in df.columns]:
        df[c] = df[c].astype("Int64")   # nullable: a .docx has no page numbers
    return df


@dataclass
class Dataset:
    documents: pd.DataFrame
    sections: pd.DataFrame
    refs: pd.DataFrame
    deadlines: pd.DataFrame
    tasks: pd.DataFrame
    metrics: pd.DataFrame
    entities: pd.DataFrame
    errors: pd.DataFrame
    task_status: pd.DataFrame
    links: pd.DataFrame
    document_files: pd.DataFrame
    citations: pd.DataFrame

    @property
    def references(self) -> pd.DataFrame:
        return self.refs

    def tasks_with_documents(self) -> pd.DataFrame:
        """Tasks with their document's số ký hiệu, type, date, issuer and title."""
        docs = self.documents[["id", "number", "doc_type", "date", "issuer", "title", "path"]]
        return self.tasks.merge(docs.rename(columns={"id": "doc_id", "date": "doc_date"}), on="doc_id", how="left")

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def load(db: str | Path = "outputs/vanban.db", with_text: bool = False) -> Dataset:
    """Every table of the store at ``db``. The documents' full text is left out
    unless ``with_text`` (it is most of the file's size)."""
    db = Path(db)
    if not db.exists():
        raise FileNotFoundError(f"{db}: no such database (build it with: vanban run corpus --db {db})")
    from .store import connect_readonly

    conn = connect_readonly(db)
    try:
        tables = {t: load_table(conn, t, with_text=with_text) for t in TABLES}
        once = _documents_once(conn, with_text)
    finally:
        conn.close()
    if once is not None:
        tables["documents"] = once
        kept = set(once["id"])
        for t, df in tables.items():
            if t not in ("documents", "document_files", "links", "citations") and "doc_id" in df.columns:
                tables[t] = df[df["doc_id"].isin(kept)].reset_index(drop=True)
    return Dataset(**tables)


def _documents_once(conn, with_text: bool) -> pd.DataFrame | None:
    """One row per document (the ``documents_once`` view), typed as the documents
    table is; None for a store from before grouping, opened read-only."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents_once'").fetchone() is None:
        return None
    df = pd.read_sql_query("SELECT * FROM documents_once", conn)
    return _typed(df if with_text else df.drop(columns=["text"]), "documents")
