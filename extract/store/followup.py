"""Following tasks up: the statuses an office records, and tasks listed by
unit, deadline and whether they are overdue."""
from __future__ import annotations

import datetime as dt
import time

from .search import unit_condition

DONE = "Hoàn thành"


def save_statuses(conn, rows: list[dict], source: str) -> int:
    """Record each task's status and note (rows of ``task_id``, ``status``,
    ``note``), in one transaction; a row with neither forgets what was
    recorded. Keyed by task id, they outlive re-extractions."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for r in rows:
            if r.get("status") or r.get("note"):
                conn.execute("INSERT OR REPLACE INTO task_status VALUES (?,?,?,?,?)",
                             (r["task_id"], r.get("status"), r.get("note"), source, now))
            else:
                conn.execute("DELETE FROM task_status WHERE task_id = ?", (r["task_id"],))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


def list_tasks(conn, *, unit: str | None = None, due_before: str | None = None, due_after: str | None = None,
               overdue: bool = False, today: dt.date | None = None) -> list[dict]:
    """Tasks of the store, one per task id, with their document and recorded status.

    ``unit`` goes through the alias table ("VP Sở" finds "Văn phòng Sở"), as
    ``vanban search --unit`` does. ``overdue``: a deadline before ``today``
    and a status other than "Hoàn thành" (the workbook's highlighting, once
    its statuses are imported)."""
    from .search import _register

    today = (today or dt.date.today()).isoformat()
    where, args = [], []
    if unit:
        cond, keys = unit_condition("coalesce(t.unit_canonical, t.unit)", unit)
        where.append(cond)
        args += keys
    if due_before:
        where.append("t.deadline < ?")
        args.append(due_before)
    if due_after:
        where.append("t.deadline > ?")
        args.append(due_after)
    if overdue:
        where.append("t.deadline IS NOT NULL AND t.deadline < ? AND coalesce(ts.status, '') != ?")
        args += [today, DONE]
    sql = f"""
        SELECT t.task_id AS id, coalesce(t.unit_canonical, t.unit) AS unit, t.text AS task, t.deadline,
               t.deadline_text, ts.status, ts.note, d.number, d.doc_type, d.date AS doc_date, d.path,
               t.section, t.page, t.start, t."end",
               (t.deadline IS NOT NULL AND t.deadline < ? AND coalesce(ts.status, '') != ?) AS overdue
        FROM tasks t JOIN documents_once d ON d.id = t.doc_id
        LEFT JOIN task_status ts ON ts.task_id = t.task_id
        {('WHERE ' + ' AND '.join(where)) if where else ''}
        ORDER BY t.deadline IS NULL, t.deadline, d.date, d.path, t.idx"""
    _register(conn)
    out, seen = [], set()
    for r in conn.execute(sql, [today, DONE, *args]):
        if r["id"] in seen:          # one task from two copies of a document
            continue
        seen.add(r["id"])
        rec = dict(r)
        rec["overdue"] = bool(rec["overdue"])
        out.append(rec)
    return out
