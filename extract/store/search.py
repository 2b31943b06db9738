"""Full-text search over the store, insensitive to diacritics and case.

The query is folded to the index's words (``fold_chars``: "Kế hoạch Đề án" →
"ke hoach de an"), each word is matched as a whole token, and hits are
ranked by FTS5's bm25. Snippets are cut from the original text: folding keeps
one character per character, so a match's offsets in the folded text are its
offsets in the original.
"""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

import regex

from ..normalize import fold_chars, normalize_text

_WORD = regex.compile(r"[\p{L}\p{N}]+")


@dataclass
class Hit:
    doc_id: int
    path: str
    number: str | None
    doc_type: str | None
    date: str | None
    title: str | None
    kind: str                 # title | section | body | task
    section: str | None
    unit: str | None
    page: int | None
    start: int
    end: int
    score: float
    snippet: str              # with the matched words between [ and ]

    def to_dict(self):
        return asdict(self)


def fts_query(query: str) -> str | None:
    """A safe FTS5 query: the folded words, each quoted (so "AND", "-" or ":"
    in a user's query are words, not syntax), all required.

    An abbreviation and what it stands for find each other: "UBND" also finds
    "Ủy ban nhân dân", and "ủy ban nhân dân" also finds "UBND".
    """
    terms = _terms(query)
    if not terms:
        return None
    return " AND ".join(f'"{t[0]}"' if len(t) == 1 else "(" + " OR ".join(f'"{x}"' for x in t) + ")"
                        for t in terms)


def _terms(query: str) -> list[tuple[str, ...]]:
    """The query's folded words, each term a tuple of the forms that may match
    it: one word, or an abbreviation with what it stands for."""
    from ..abbreviations import folded_expansions

    words = _WORD.findall(fold_chars(normalize_text(query)))
    terms, i = [], 0
    while i < len(words):
        for abbr, full in folded_expansions():
            n = next((len(f.split()) for f in (full, abbr) if words[i:i + len(f.split())] == f.split()), 0)
            if n:
                terms.append((abbr, full))
                i += n
                break
        else:
            terms.append((words[i],))
            i += 1
    return terms


def query_words(query: str) -> list[str]:
    """The folded words a hit may show: the query's, and those of its abbreviations' other form."""
    return [w for t in _terms(query) for form in t for w in form.split()]


def snippet(text: str, words: list[str], width: int = 160, mark=("[", "]")) -> str:
    """The part of ``text`` around the first matched word, matched words marked."""
    folded = fold_chars(text)
    spans = []
    for w in set(words):
        for m in regex.finditer(r"(?<![\p{L}\p{N}])" + regex.escape(w) + r"(?![\p{L}\p{N}])", folded):
            spans.append((m.start(), m.end()))
    spans.sort()
    merged = []
    for s_, e_ in spans:     # "[Ủy] [ban] [nhân] [dân]" reads better as "[Ủy ban nhân dân]"
        if merged and (s_ <= merged[-1][1] or not text[merged[-1][1]:s_].strip()):
            merged[-1] = (merged[-1][0], max(e_, merged[-1][1]))
        else:
            merged.append((s_, e_))
    spans = merged
    if spans:
        first = spans[0][0]
        a = max(0, first - width // 3)
    else:
        a = 0
    b = min(len(text), a + width)
    if a > 0:  # start at a word boundary
        sp = text.find(" ", a)
        a = sp + 1 if 0 <= sp < first else a
    out, pos = [], a
    for s, e in spans:
        if s < pos or e > b:
            continue
        out.append(text[pos:s])
        out.append(mark[0] + text[s:e] + mark[1])
        pos = e
    out.append(text[pos:b])
    snip = " ".join("".join(out).split())
    return ("…" if a > 0 else "") + snip + ("…" if b < len(text) else "")


def search(conn: sqlite3.Connection, query: str, *, doc_type: str | None = None,
           issuer: str | None = None, date_from: str | None = None, date_to: str | None = None,
           unit: str | None = None, kind: str | None = None, limit: int = 20,
           mark=("[", "]")) -> list[Hit]:
    q = fts_query(query)
    if q is None:
        return []
    where, args = ["passages_fts MATCH ?"], [q]
    if doc_type:
        from .. import ruleset

        t = normalize_text(doc_type).strip()
        abbr = ruleset.type_by_name(t) or t   # "Thông báo" or "TB"
        where.append("fold(d.doc_type) = ?")
        args.append(fold_chars(abbr))
    if issuer:
        where.append("instr(fold(coalesce(d.issuer, '') || ' ' || coalesce(d.issuer_parent, '')), ?) > 0")
        args.append(fold_like(issuer))
    if date_from:
        where.append("d.date >= ?")
        args.append(date_from)
    if date_to:
        where.append("d.date <= ?")
        args.append(date_to)
    if unit:
        cond, keys = unit_condition("p.unit", unit)
        where.append("p.kind = 'task' AND " + cond)
        args += keys
    if kind:
        where.append("p.kind = ?")
        args.append(kind)
    sql = f"""
        SELECT p.doc_id, d.path, d.number, d.doc_type, d.date, d.title, p.kind, p.section, p.unit,
               p.page, p.start, p."end", p.text, bm25(passages_fts) AS score
        FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid
        JOIN documents_once d ON d.id = p.doc_id   -- a document in several files: its kept file's passages
        WHERE {' AND '.join(where)}
        ORDER BY score LIMIT ?"""
    args.append(limit)
    _register(conn)
    words = query_words(query)
    hits = []
    for r in conn.execute(sql, args):
        hits.append(Hit(r["doc_id"], r["path"], r["number"], r["doc_type"], r["date"], r["title"],
                        r["kind"], r["section"], r["unit"], r["page"], r["start"], r["end"],
                        round(-r["score"], 4), snippet(r["text"], words, mark=mark)))
    return hits


def fold_like(s: str) -> str:
    # issuer is matched case-insensitively but with its diacritics: SQLite's
    # lower() leaves non-ASCII letters, so compare folded on both sides instead.
    return fold_chars(normalize_text(s))


def _register(conn):
    conn.create_function("fold", 1, lambda s: fold_chars(s) if s else "", deterministic=True)


def unit_condition(column: str, unit: str) -> tuple[str, list[str]]:
    """An SQL condition on ``column`` (a unit's name) and its arguments:
    "VP Sở" finds tasks of "Văn phòng Sở", both sides through the alias table."""
    from ..extractors.tasks import canonical_unit

    wanted = normalize_text(unit).strip()
    canon = canonical_unit(wanted) or wanted
    return f"(instr(fold({column}), ?) > 0 OR instr(fold({column}), ?) > 0)", [fold_chars(canon), fold_chars(wanted)]
