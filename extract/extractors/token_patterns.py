"""spaCy-style token patterns, matched without building a spaCy ``Doc``.

``rules/entity_patterns.jsonl`` is written in spaCy's Matcher language
(``{"LOWER": {"IN": [...]}}``, ``{"IS_TITLE": true, "OP": "+"}``) so a
domain expert can test a rule in spaCy and the same file feeds
``entities.nlp()``'s EntityRuler. Running spaCy's Matcher over a document
meant a ``Doc`` per window and an import of spaCy in every worker; these
patterns are few and short, so here they are compiled into plain predicates
over the words of :data:`TOKEN`, tried only where a pattern's first word
stands. Same tokens, same attributes (Python's ``str.istitle`` and friends,
as spaCy's lexical attributes), same matches: every (start, end) each
pattern allows, as spaCy's Matcher returns them (tested against it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

# Words, punctuation marks and whitespace runs; one space after a token belongs to it.
TOKEN = regex.compile(r"\w+|[^\w\s]|\s+")

_FLAGS = {"IS_ALPHA": str.isalpha, "IS_DIGIT": str.isdigit, "IS_LOWER": str.islower,
          "IS_UPPER": str.isupper, "IS_TITLE": str.istitle, "IS_SPACE": str.isspace}
_TEXT = {"ORTH": lambda t: t, "TEXT": lambda t: t, "LOWER": str.lower}
_OPS = {None, "1", "?", "*", "+"}


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text``, as the spaCy tokeniser ``entities.WordTokenizer`` cuts it."""
    toks = Tokens(text, 0, len(text), len(text))
    i = 0
    while toks.get(i) is not None:
        i += 1
    return toks.spans


def _predicate(spec: dict, where: str) -> Callable[[str], bool]:
    """One token's conditions as a function of the token's text."""
    tests: list[Callable[[str], bool]] = []
    for key, value in spec.items():
        if key == "OP":
            continue
        if key in _FLAGS:
            fn, want = _FLAGS[key], bool(value)
            tests.append(lambda t, fn=fn, want=want: fn(t) == want)
        elif key in _TEXT:
            get = _TEXT[key]
            if isinstance(value, str):
                tests.append(lambda t, get=get, v=value: get(t) == v)
            elif isinstance(value, dict) and set(value) <= {"IN", "NOT_IN"}:
                if "IN" in value:
                    tests.append(lambda t, get=get, s=frozenset(value["IN"]): get(t) in s)
                if "NOT_IN" in value:
                    tests.append(lambda t, get=get, s=frozenset(value["NOT_IN"]): get(t) not in s)
            else:
                raise ValueError(f"{where}: {key} takes a string or {{\"IN\": [...]}}, not {value!r}")
        else:
            raise ValueError(f"{where}: token attribute {key} is not supported here "
                             f"(supported: {', '.join(sorted([*_TEXT, *_FLAGS, 'OP']))})")
    return _all_of(tests)


def _all_of(tests: list[Callable[[str], bool]]) -> Callable[[str], bool]:
    """One function for all the tests: the common one- and two-test cases without a loop."""
    if not tests:
        return lambda t: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        a, b = tests
        return lambda t: a(t) and b(t)
    return lambda t: all(f(t) for f in tests)


def _first_words(spec: dict) -> tuple[str, frozenset] | None:
    """The literal values a first token must have (attribute, values), or None when any word may open."""
    for key in ("ORTH", "TEXT", "LOWER"):
        v = spec.get(key)
        if isinstance(v, str):
            return key, frozenset([v])
        if isinstance(v, dict) and "IN" in v:
            return key, frozenset(v["IN"])
    return None


@dataclass(frozen=True)
class Pattern:
    key: str                                   # label|id|index, as the Matcher's match key
    steps: tuple[tuple[Callable[[str], bool], str], ...]
    opens: tuple[str, frozenset] | None        # what the first token must be, when literal
    # reach[k]: the steps live once step k is reached (k, and those after
    # optional steps it may skip); reach[len(steps)] is the end
    reach: tuple[frozenset, ...] = ()


def compile_pattern(key: str, tokens: list[dict], where: str = "pattern") -> Pattern:
    if not tokens:
        raise ValueError(f"{where}: an empty pattern")
    steps = []
    for i, spec in enumerate(tokens):
        op = spec.get("OP")
        if op not in _OPS:
            raise ValueError(f"{where}: OP {op!r} is not supported here (use ?, *, + or none)")
        steps.append((_predicate(spec, f"{where}, token {i + 1}"), op or "1"))
    opens = _first_words(tokens[0]) if (tokens[0].get("OP") or "1") in ("1", "+") else None
    reach = [frozenset([len(steps)])]
    for k in range(len(steps) - 1, -1, -1):
        reach.insert(0, frozenset([k]) | (reach[0] if steps[k][1] in ("?", "*") else frozenset()))
    return Pattern(key, tuple(steps), opens, tuple(reach))


class TokenMatcher:
    """Every match of a set of patterns, as spaCy's Matcher gives them: (key, start token, end token)."""

    def __init__(self, patterns: list[Pattern]):
        self.patterns = patterns
        self.anywhere = [p for p in patterns if p.opens is None]
        self.by_text: dict[str, list[Pattern]] = {}      # first token given by ORTH/TEXT
        self.by_lower: dict[str, list[Pattern]] = {}     # ... by LOWER
        self._cands: dict[str, list[Pattern]] = {}       # word -> the patterns it may open (filled as met)
        for p in patterns:
            if p.opens:
                attr, words = p.opens
                index = self.by_lower if attr == "LOWER" else self.by_text
                for w in words:
                    index.setdefault(w, []).append(p)

    def triggers(self) -> set[str] | None:
        """Lower-cased words that can open a match; None when a pattern may open anywhere."""
        if self.anywhere:
            return None
        return {w.lower() for w in self.by_text} | set(self.by_lower)

    def at(self, tokens, i: int = 0) -> set[tuple[str, int, int]]:
        """The matches that start at token ``i`` of ``tokens`` (a :class:`Tokens` or a list of words)."""
        get = tokens.get if isinstance(tokens, Tokens) else (lambda j: tokens[j] if j < len(tokens) else None)
        w = get(i)
        out: set[tuple[str, int, int]] = set()
        if w is None:
            return out
        cands = self._cands.get(w)
        if cands is None:
            cands = self.by_text.get(w, []) + self.by_lower.get(w.lower(), []) + self.anywhere
            if len(self._cands) < 50_000:     # bounded, should patterns open on any word
                self._cands[w] = cands
        for p in cands:
            for end in _ends(p, get, i):
                out.add((p.key, i, end))
        return out

    def __call__(self, words: list[str]) -> list[tuple[str, int, int]]:
        out: set[tuple[str, int, int]] = set()
        for i in range(len(words)):
            out |= self.at(words, i)
        return sorted(out, key=lambda m: (m[1], m[2], m[0]))


class Tokens:
    """The tokens of a text from ``start``, cut only as far as a matcher asks:
    a pattern looks at a few words after its first, not at the whole line.
    No token starts at or after ``stop``, none runs past ``end``."""

    __slots__ = ("text", "pos", "stop", "end", "words", "spans", "_after")

    def __init__(self, text: str, start: int, stop: int, end: int):
        self.text, self.pos, self.stop, self.end = text, start, stop, end
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self._after = False

    def get(self, i: int) -> str | None:
        while len(self.words) <= i:
            if self.pos >= self.stop or self.pos >= self.end:
                return None
            m = TOKEN.match(self.text, self.pos, self.end)
            s, self.pos = self.pos, m.end()
            w = m.group()
            if w == " " and self._after:       # one space after a token belongs to it
                self._after = False
                continue
            self.words.append(w)
            self.spans.append((s, self.pos))
            self._after = not w.isspace()
        return self.words[i]


def _ends(p: Pattern, get, i: int) -> list[int]:
    """Token indices where pattern ``p`` can end when it starts at token ``i``
    (after ``i``): every length its operators allow, as spaCy gives them. The
    steps run as a small automaton over the tokens, a set of live steps at
    each token; ``get(j)`` is the j-th token, None past the last."""
    steps, reach, n = p.steps, p.reach, len(p.steps)
    live = reach[0]
    ends = []
    j = i
    while live:
        if j > i and n in live:
            ends.append(j)
        w = get(j)
        if w is None:
            break
        nxt: set[int] = set()
        for k in live:
            if k < n:
                pred, op = steps[k]
                if pred(w):
                    nxt |= reach[k + 1]
                    if op in ("*", "+"):
                        nxt |= reach[k]        # the same step may take the next token too
        live = nxt
        j += 1
    return ends
