"""Entities: organisations (ORG), places (LOC) and people (PER).

Three sources, cheapest first:

1. The entity rules: the token patterns of ``rules/entity_patterns.jsonl``
   ("huyện Phong Thổ", "UBND tỉnh Lai Châu", "Tỉnh ủy"), written in spaCy's
   Matcher language and compiled by :mod:`.token_patterns`, and the gazetteers
   (``organizations.yaml``, the provinces of ``places.yaml``). :func:`nlp`
   offers the same rules as an EntityRuler pipeline.
2. Rules in code where a token pattern cannot say it: a unit's name that
   starts with a head word ("Phòng", "Trung tâm", "Văn phòng") runs to where
   its work begins, as tasks read it; a person is a surname from
   ``people.yaml`` and capitalised syllables, after a title or in the
   signer block.
3. underthesea's NER (its model ships in the wheel) only for a bare name that
   no rule settles, on that sentence alone: it is slow (≈ 9k chars/s), so it
   runs where it changes a result.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import islice

import regex

from .. import ruleset as rules
from ..abbreviations import expand
from ..intervals import Covered
from ..literals import alternation
from ..model import Document, Entity, Span
from ..normalize import fold


@lru_cache(maxsize=None)
def places() -> dict:
    """Folded name -> {name, kind, part_of} for provinces and districts."""
    data = rules.load("places.yaml")
    out = {}
    for p in data["provinces"]:
        out[fold(p["name"])] = {"name": p["name"], "kind": p["kind"], "part_of": p.get("now")}
    for a, b in (data.get("aliases") or {}).items():
        if fold(b) in out:
            out[fold(a)] = out[fold(b)]
    districts = {}
    for d in data["districts"]:
        # a district name can repeat across provinces: keep the province only when unique
        key = fold(d["name"])
        districts.setdefault(key, []).append(d)
    return {"provinces": out, "districts": districts}


def _gazetteer() -> list[tuple[str, str]]:
    """(label, name) of every name the gazetteers hold: organisations, provinces, their aliases."""
    places_ = rules.load("places.yaml")
    return ([("ORG", n) for n in rules.organizations()]
            + [("LOC", p["name"]) for p in places_["provinces"]]
            + [("LOC", a) for a in (places_.get("aliases") or {})])


def _blank():
    import spacy

    pipe = spacy.blank("xx")
    pipe.tokenizer = WordTokenizer(pipe.vocab)
    return pipe


@lru_cache(maxsize=None)
def nlp():
    """The entity rules as a spaCy pipeline of its own: tokeniser + EntityRuler
    (for users; :func:`find_entities` runs the same rules more cheaply)."""
    pipe = _blank()
    ruler = pipe.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    patterns = [q for p in rules.load("entity_patterns.jsonl") for q in _split_first_token(p)]
    patterns += [{"label": label, "id": "gazetteer", "pattern": name} for label, name in _gazetteer()]
    ruler.add_patterns(patterns)
    return pipe


@lru_cache(maxsize=None)
def _matchers():
    """The same rules as :func:`nlp`'s EntityRuler, driven by find_entities itself:

    - the gazetteers (organisations, provinces) as one regular expression over
      the lower-cased text, which costs a fraction of a spaCy Doc;
    - the token patterns of ``entity_patterns.jsonl`` compiled by
      :mod:`.token_patterns`, tried only where one of their first words
      stands, on tokens cut as far as a pattern looks.
    """
    import re

    from .token_patterns import TokenMatcher, compile_pattern

    compiled = [compile_pattern(f"{p['label']}|{p.get('id', '')}|{i}", p["pattern"],
                                f"rules/entity_patterns.jsonl, pattern {i + 1}")
                for i, p in enumerate(rules.load("entity_patterns.jsonl"))]
    tokens = TokenMatcher(compiled)
    names: dict[str, tuple[str, str]] = {}
    for label, n in _gazetteer():
        names.setdefault(n.lower(), (label, n))
    # The standard library's engine runs these long lists of literals (as tries) several times faster.
    gazetteer = re.compile(r"(?<!\w)" + alternation(names) + r"(?!\w)")
    triggers = tokens.triggers()
    if triggers is None:
        return tokens, gazetteer, names, None
    # on the lower-cased text; case-blind only where lower() changed the length
    trigger_re = re.compile(r"(?<!\w)" + alternation(triggers) + r"(?!\w)")
    trigger_any_case = re.compile(trigger_re.pattern, re.I)
    return tokens, gazetteer, names, (trigger_re, trigger_any_case)


WINDOW = 100   # characters from its first word within which a match's last word starts


def rule_matches(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, pattern id) of every match of the entity rules in ``text``."""
    from .token_patterns import Tokens, tokenize

    tokens, gazetteer, names, triggers = _matchers()
    out = []
    low = text.lower()
    same = len(low) == len(text)       # lower() keeps Vietnamese lengths; offsets carry over
    if same:
        for m in gazetteer.finditer(low):
            out.append((m.start(), m.end(), names[m.group(0)][0], "gazetteer"))
    if triggers is None:               # a pattern that may open on any word: every token of the text
        spans = tokenize(text)
        for key, s, e in tokens([text[x:y] for x, y in spans]):
            out.append((spans[s][0], spans[e - 1][1], *key.split("|")[:2]))
        return out
    for m in (triggers[0].finditer(low) if same else triggers[1].finditer(text)):
        s = m.start()
        line_end = text.find("\n", s)
        toks = Tokens(text, s, s + WINDOW, len(text) if line_end < 0 else line_end)
        for key, _, e in tokens.at(toks):
            out.append((s, toks.spans[e - 1][1], *key.split("|")[:2]))
    return out


class WordTokenizer:
    """spaCy tokeniser for :func:`nlp`: words, punctuation marks and whitespace
    runs, cut by :func:`.token_patterns.tokenize` (the tokens find_entities
    matches on), so both see the same words. ``doc.text`` is exactly the
    input, so character offsets hold. Phrase patterns go through it too.
    """

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc

        from .token_patterns import tokenize

        spans = tokenize(text)
        words = [text[s:e] for s, e in spans]
        # a token is followed by a space when the next one starts a character later
        nxt = [s for s, _ in spans[1:]] + [len(text)]
        spaces = [n > e for (_, e), n in zip(spans, nxt)]
        return Doc(self.vocab, words=words, spaces=spaces)


def _split_first_token(pattern: dict) -> list[dict]:
    """One pattern per word of the first token's {"IN": [...]} list.

    spaCy checks every pattern's first token at every token of the text; a
    plain value is compared in compiled code, an IN list in Python, and that
    was most of the cost of a document. Later tokens are checked only inside
    a match under way, so they keep their lists.
    """
    first, rest = pattern["pattern"][0], pattern["pattern"][1:]
    for attr in ("LOWER", "TEXT", "ORTH"):
        v = first.get(attr)
        if isinstance(v, dict) and set(v) == {"IN"}:
            return [{**pattern, "pattern": [{**first, attr: word}] + rest} for word in v["IN"]]
    return [pattern]


@lru_cache(maxsize=None)
def _people():
    d = rules.load("people.yaml")
    name_re = regex.compile(
        r"(?<![\p{L}\p{N}])" + alternation(d["surnames"]) + r"(?:[ \t]+\p{Lu}\p{Ll}*){1,3}(?![\p{L}\p{N}])"
    )
    titles = sorted((fold(t) for t in d["titles"]), key=len, reverse=True)
    title_re = regex.compile(r"(?:^|[^\p{L}])(?:" + "|".join(regex.escape(t) for t in titles) + r")[\s,:]*$")
    not_after = sorted((fold(t) for t in d.get("not_after", [])), key=len, reverse=True)
    not_after_re = regex.compile(r"(?:^|[^\p{L}])(?:" + "|".join(regex.escape(t) for t in not_after) + r")\s+$")
    return name_re, title_re, not_after_re


@lru_cache(maxsize=None)
def _org_rules():
    d = rules.load("organizations.yaml")
    # Case-sensitive: a head word opens a name only when written with a capital.
    head_re = regex.compile(r"(?<![\p{L}\p{N}])" + alternation(d["heads"]) + r"(?=[\s,.;:]|$)")
    # Compared with their diacritics: folded, "trào" would be the stop "trao".
    stops = [x.lower().split() for x in d["name_stops"]]
    for st in rules.load("units.yaml")["unit_stops"]:
        stops.append(st.lower().split())
    by_first: dict[str, list[list[str]]] = {}
    for st in sorted(stops, key=len, reverse=True):
        by_first.setdefault(st[0], []).append(st)
    longest_stop = max((len(st) for st in stops), default=1)
    return head_re, by_first, set(d["heads"]), set(d["closing_heads"]), longest_stop


_NONSPACE = regex.compile(r"\S+")
MAX_WORDS = 16         # a unit's name is no longer
_DIGIT_OR_MARK = regex.compile(r"^[(\"|/&]|\d")
_CONNECTOR_END = regex.compile(r"\s+(?:và|các|của|cho|với|,)\s*$")


def org_extent(text: str, head: str) -> int:
    """How far the name that opens ``text`` (with head word ``head``) runs, in characters.

    A name goes on over capitalised words and the lowercase syllables of its
    words ("Cục Kỹ thuật an toàn và Môi trường công nghiệp"), across a comma
    only when a capital follows ("Sở Văn hóa, Thể thao và Du lịch"), and stops
    at a verb or preposition, a digit, other punctuation, or a new head word.
    """
    _, stops, heads, closing, longest_stop = _org_rules()
    # the loop below looks at MAX_WORDS words, and at a stop phrase from the last of them
    toks = [(m.start(), m.end(), m.group(0))
            for m in islice(_NONSPACE.finditer(text, 0, 240), MAX_WORDS + longest_stop)]
    folded = [t[2].lower().strip(",.;:()\"'") for t in toks]
    n_head = len(head.split())
    end = toks[n_head - 1][1] if len(toks) >= n_head else len(head)
    i = n_head
    while i < len(toks) and i < MAX_WORDS:
        s, e, tok = toks[i]
        if tok[:1].islower() and any(folded[i:i + len(st)] == st for st in stops.get(folded[i], ())):
            break
        word = tok.rstrip(",.;:)\"'|/")
        if not word or _DIGIT_OR_MARK.search(word):
            break
        if i > n_head and word in heads and word not in closing:
            break                          # "Ban Giám đốc sở Ban hành": a new name begins
        if text[e - 1:e] == "\n" or "\n" in text[end:s]:
            break
        end = s + len(word)
        trail = tok[len(word):]
        if trail:
            nxt = toks[i + 1][2] if i + 1 < len(toks) else ""
            head_re = _org_rules()[0]
            if not (trail == "," and nxt[:1].isupper() and not head_re.match(text[toks[i + 1][0]:toks[i + 1][0] + 40])):
                break
        if word in closing and i > n_head:
            break                          # "Văn phòng Sở" ends with its Sở
        i += 1
    # a name does not end on a connector: "Ban Chỉ đạo phát triển Du lịch và"
    while True:
        m = _CONNECTOR_END.search(text[:end])
        if not m:
            return end
        end = m.start()


@lru_cache(maxsize=None)
def _known_places() -> frozenset:
    pl = places()
    return frozenset([p["name"] for p in pl["provinces"].values()] + [d[0]["name"] for d in pl["districts"].values()])


def _loc_canonical(text: str) -> tuple[str, str | None]:
    pl = places()
    words = text.split()
    # "tỉnh Lai Châu", "TP. Lào Cai", "huyện Phong Thổ": the name after the level word(s)
    name = text
    for n in (3, 2, 1):
        if len(words) > n and fold(" ".join(words[:n])).rstrip(".") in (
            "tinh", "huyen", "xa", "phuong", "quan", "thi xa", "thi tran", "thanh pho", "tp", "tx", "tt",
            "thon", "ap", "lang", "to dan pho", "khu pho", "dac khu"):
            name = " ".join(words[n:])
            break
    key = fold(name)
    if key in pl["provinces"]:
        p = pl["provinces"][key]
        return p["name"], p["part_of"]
    ds = pl["districts"].get(key)
    if ds and fold(words[0]).rstrip(".") in ("huyen", "quan", "thi", "thanh", "tp", "tx"):
        provs = {d["province"] for d in ds}
        return ds[0]["name"], provs.pop() if len(provs) == 1 else None
    return (name.title() if name.isupper() else name), None


def _org_canonical(text: str) -> str:
    from .tasks import canonical_unit

    canon = canonical_unit(text)
    if canon and canon != text:
        return canon
    return expand(text)


def find_entities(doc: Document, exclude: list[Span] | None = None, use_ner: bool = True) -> list[Entity]:
    text = doc.text
    spans: list[tuple[int, int, str, str]] = []      # start, end, label, source
    for s, e, label, pid in rule_matches(text):
        if pid == "admin-caps" and _loc_canonical(text[s:e])[0] not in _known_places():
            continue                       # a capitalised line ("UBND TỈNH GIAO ...") names a known place or none
        spans.append((s, e, label, "gazetteer" if pid == "gazetteer" else "rule"))

    # ORG by head word ("Phòng Quản lý Du lịch", "Trung tâm Thông tin xúc tiến du lịch")
    from .tasks.units import head_at as not_unit_head
    head_re = _org_rules()[0]
    for m in head_re.finditer(text):
        rest = text[m.start():m.start() + 240]
        if not not_unit_head(rest):      # "Ban hành", "Tổ chức", "Hội nghị" are not names
            continue
        after = rest[len(m.group(0)):].split(None, 1)
        if not after or not (after[0][:1].isupper()):
            continue                       # "Ban chỉ đạo" in running text is a common noun
        end = org_extent(rest, m.group(0))
        if len(rest[:end].split()) > len(m.group(0).split()):
            spans.append((m.start(), m.start() + end, "ORG", "rule"))

    # PER: after a title, or the signer's name; else ask underthesea
    name_re, title_re, not_after_re = _people()
    signer_name = doc.signer.name if doc.signer and doc.signer.name else None
    # a name starting or ending inside a place or an organisation is part of it
    taken = Covered((s, e) for s, e, lab, _ in spans if lab in ("LOC", "ORG"))
    candidates = []
    for m in name_re.finditer(text):
        s, e = m.span()
        if s in taken or (e - 1) in taken:
            continue
        before = fold(text[max(0, s - 40):s])
        if not_after_re.search(before):
            continue                       # "dân tộc Hà Nhì", "bản Vàng Pheo", "đường Lê Lợi": not a person
        if title_re.search(before) or (signer_name and m.group(0) in signer_name):
            spans.append((s, e, "PER", "rule"))
        elif _RUNNING_TEXT_BEFORE.search(text[max(0, s - 20):s]) and not _LIST_AFTER.match(text, e):
            # A bare name inside running text may be a person; one in a list of
            # names ("Âu Lâu, Văn Phú, ..."), after a house number or a capital is a place.
            candidates.append((s, e))
    if candidates and use_ner:
        spans.extend(_confirm_people(text, candidates))

    # "UBND tỉnh Nguyễn Văn A" (a signature run into its body): the name is not the place
    trimmed = []
    for s0, e0, label, source in spans:
        if label in ("ORG", "LOC") and source == "rule":
            for m in name_re.finditer(text, s0, e0):
                rest = text[m.start():e0]
                if m.start() > s0 and fold(rest) not in places()["provinces"] and fold(rest) not in places()["districts"]:
                    e0 = m.start() - 1
                    while e0 > s0 and text[e0 - 1].isspace():
                        e0 -= 1
                    break
        trimmed.append((s0, e0, label, source))
    spans = [x for x in trimmed if len(text[x[0]:x[1]].split()) >= 2]

    # Not inside a document code ("NQ-CP" is not a place), longest first, no overlaps
    # (a character mask of what is taken: one slice test per span, not a scan of the others)
    taken_chars = bytearray(len(text))
    for sp in exclude or []:
        taken_chars[sp.start:sp.end] = b"\1" * (sp.end - sp.start)
    spans = [x for x in spans if 1 not in taken_chars[x[0]:x[1]]]
    spans.sort(key=lambda x: (-(x[1] - x[0]), x[3] != "gazetteer", x[0]))
    chosen: list[tuple[int, int, str, str]] = []
    for x in spans:
        if 1 not in taken_chars[x[0]:x[1]]:
            chosen.append(x)
            taken_chars[x[0]:x[1]] = b"\1" * (x[1] - x[0])
    chosen.sort()

    out = []
    for s, e, label, source in chosen:
        t = text[s:e]
        canonical, part_of = t, None
        if label == "LOC":
            canonical, part_of = _loc_canonical(t)
        elif label == "ORG":
            canonical = _org_canonical(t)
        sec = doc.section_at(s)
        out.append(Entity(text=t, label=label, canonical=canonical, span=doc.span(s, e), source=source,
                          part_of=part_of, section=sec.id if sec else None))
    return out


_RUNNING_TEXT_BEFORE = regex.compile(r"(?:^|\s)\p{Ll}+\s+$")
_LIST_AFTER = regex.compile(r"\s*,\s*\p{Lu}")


def _sentence(text: str, s: int, e: int) -> tuple[int, int]:
    """The clause around a name: enough context for the tagger, no more (it is slow)."""
    # searched within the 80 characters kept at most (a search to the text's ends was quadratic)
    a = max(*(text.rfind(x, max(0, s - 80), s) for x in ("\n", ". ", "; ", ", ")), s - 80)
    b_candidates = [x for x in (text.find(d, e, e + 80 + len(d)) for d in ("\n", ". ", "; ", ", ")) if x != -1]
    b = min(b_candidates + [e + 80, len(text)])
    return max(a + 1, 0), b


_NER_WARM = "Đồng chí Nguyễn Văn An dự họp."


def warm_ner() -> None:
    """Import underthesea and load its four models (word segmenter, POS tagger,
    chunker, NER) now, by tagging one sentence. The batch's fork server calls
    it, so no worker pays the 1.3 s of it (a second in a fresh worker at its
    first bare name was a tenth of an archive's time); a single process loads
    them at its first bare name instead, or never."""
    try:
        from underthesea import ner

        ner(_NER_WARM)
    except Exception:        # no model: the names are left to the rules, as in _confirm_people
        pass


def _confirm_people(text: str, candidates) -> list[tuple[int, int, str, str]]:
    """Bare names that underthesea's NER tags as a person in their sentence."""
    from underthesea import ner

    out = []
    done = {}
    for s, e in candidates:
        a, b = _sentence(text, s, e)
        if (a, b) not in done:
            sent = text[a:b]
            try:
                tags = ner(sent)
            except Exception:        # a model that fails must not fail the document
                tags = []
            # map the tagged words back to offsets in the sentence, in order
            found, pos = [], 0
            for word, *_, tag in tags:
                i = sent.find(word, pos)
                if i < 0:
                    continue
                found.append((a + i, a + i + len(word), tag))
                pos = i + len(word)
            done[(a, b)] = found
        if any(ws <= s < we and tag.endswith("PER") for ws, we, tag in done[(a, b)]):
            out.append((s, e, "PER", "underthesea"))
    return out
