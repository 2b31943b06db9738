"""The store as DataFrames, with real dtypes."""
import pandas as pd
import pytest

from extract.dataset import TABLES, load


def test_load_dtypes_and_joins(archive_db):
    ds = load(archive_db)
    assert set(ds.tables()) == set(TABLES)
    assert pd.api.types.is_datetime64_any_dtype(ds.documents["date"])
    assert pd.api.types.is_datetime64_any_dtype(ds.tasks["deadline"])
    assert pd.api.types.is_datetime64_any_dtype(ds.refs["date"])
    assert "text" not in ds.documents.columns
    assert isinstance(ds.tasks["co_units"].iloc[0], list)
    tb = ds.documents[ds.documents["number"] == "12/TB-SVHTTDL"].iloc[0]
    assert tb["date"] == pd.Timestamp("2026-01-07")
    t = ds.tasks_with_documents()
    assert len(t) == len(ds.tasks) and (t["number"] == "12/TB-SVHTTDL").sum() == tb["n_tasks"]
    # a task's deadline is one of its document's deadlines, typed the same
    dated = ds.deadlines.dropna(subset=["date"])
    dl = set(zip(dated["doc_id"], dated["date"]))
    with_dl = ds.tasks.dropna(subset=["deadline"])
    assert len(with_dl) > 5 and all((d, x) in dl for d, x in zip(with_dl["doc_id"], with_dl["deadline"]))
    assert len(ds.links) == 1 and ds.references is ds.refs
    assert load(archive_db, with_text=True).documents["text"].str.len().min() > 500


def test_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError, match="vanban run"):
        load(tmp_path / "none.db")
