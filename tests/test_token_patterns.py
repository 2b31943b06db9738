"""The compiled entity rules find exactly what spaCy's Matcher finds with the same patterns."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import ruleset as rules
from extract.extractors.entities import WINDOW, WordTokenizer, rule_matches
from extract.extractors.token_patterns import TokenMatcher, compile_pattern, tokenize
from extract.pipeline import extract_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _patterns():
    return list(rules.load("entity_patterns.jsonl"))


def _spacy_matches(text: str, patterns) -> set[tuple[str, int, int]]:
    import spacy
    from spacy.matcher import Matcher

    pipe = spacy.blank("xx")
    pipe.tokenizer = WordTokenizer(pipe.vocab)
    m = Matcher(pipe.vocab)
    for i, p in enumerate(patterns):
        m.add(f"{p['label']}|{p.get('id', '')}|{i}", [p["pattern"]])
    doc = pipe.make_doc(text)
    return {(pipe.vocab.strings[k], s, e) for k, s, e in m(doc)}


def _ours(text: str, patterns) -> set[tuple[str, int, int]]:
    tm = TokenMatcher([compile_pattern(f"{p['label']}|{p.get('id', '')}|{i}", p["pattern"])
                       for i, p in enumerate(patterns)])
    return set(tm([text[s:e] for s, e in tokenize(text)]))


def _corpus_texts():
    return [extract_file(f).document.text for f in sorted(CORPUS.iterdir())
            if f.suffix in (".txt", ".docx")]


def test_tokens_are_the_spacy_tokenizers_tokens():
    import spacy

    pipe = spacy.blank("xx")
    tok = WordTokenizer(pipe.vocab)
    for text in _corpus_texts()[:3] + ["TP.Lào Cai,  huyện  Sìn Hồ\n\nxã A1 "]:
        doc = tok(text)
        assert doc.text == text
        assert [(t.idx, t.idx + len(t)) for t in doc] == tokenize(text)


def test_same_matches_as_spacy_on_the_corpus():
    patterns = _patterns()
    total = 0
    for text in _corpus_texts():
        ours = _ours(text, patterns)
        assert ours == _spacy_matches(text, patterns)
        total += len(ours)
    assert total > 50


def test_rule_matches_find_what_spacy_finds_line_by_line():
    """rule_matches tries the patterns only where a first word stands, cutting
    tokens as it goes: the same matches as spaCy's Matcher over each line (those
    whose last word starts within WINDOW characters of their first)."""
    import spacy
    from spacy.matcher import Matcher

    patterns = _patterns()
    pipe = spacy.blank("xx")
    pipe.tokenizer = WordTokenizer(pipe.vocab)
    matcher = Matcher(pipe.vocab)
    for i, p in enumerate(patterns):
        matcher.add(f"{p['label']}|{p.get('id', '')}", [p["pattern"]])
    n = 0
    for text in _corpus_texts():
        ours = {(s, e, f"{label}|{pid}") for s, e, label, pid in rule_matches(text) if pid != "gazetteer"}
        theirs = set()
        pos = 0
        for line in text.split("\n"):
            doc = pipe.make_doc(line)
            for key, a, b in matcher(doc):
                if doc[b - 1].idx - doc[a].idx < WINDOW:
                    theirs.add((pos + doc[a].idx, pos + doc[b - 1].idx + len(doc[b - 1]), pipe.vocab.strings[key]))
            pos += len(line) + 1
        assert ours == theirs
        n += len(ours)
    assert n > 50


WORDS = ["tỉnh", "Tỉnh", "TỈNH", "huyện", "HUYỆN", "thành", "phố", "xã", "trấn", "thị", "UBND", "HĐND", "TP", "TX",
         "ủy", "Ủy", "ban", "nhân", "dân", "Lai", "Châu", "LAI", "CHÂU", "Phong", "Thổ", "thôn", "Tổ", "tổ", "khu",
         "các", "Đảng", "12", "A1", ".", ",", "-", " ", "  ", "\n", "và"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14))
def test_same_matches_as_spacy_on_genre_word_salad(words):
    text = " ".join(words)
    patterns = _patterns()
    assert _ours(text, patterns) == _spacy_matches(text, patterns)


@pytest.mark.parametrize("tokens", [
    [{"LOWER": "tỉnh"}, {"IS_TITLE": True, "OP": "*"}, {"IS_UPPER": True, "OP": "?"}],
    [{"TEXT": {"IN": ["TP", "TX"]}, "OP": "?"}, {"IS_TITLE": True, "OP": "+"}],
    [{"LOWER": {"NOT_IN": ["và", "của"]}, "IS_ALPHA": True}, {"IS_DIGIT": True, "OP": "+"}],
])
def test_operator_semantics_match_spacy(tokens):
    patterns = [{"label": "X", "id": "t", "pattern": tokens}]
    text = "Tỉnh Lai Châu TP Điện Biên và tỉnh Sơn LA 12 34 của 5 thôn A1 2"
    ours = _ours(text, patterns)
    assert ours and ours == _spacy_matches(text, patterns)


def test_an_unsupported_attribute_is_named():
    with pytest.raises(ValueError, match=r"pattern 3, token 2: token attribute LEMMA"):
        compile_pattern("X", [{"LOWER": "tỉnh"}, {"LEMMA": "x"}], "pattern 3")
    with pytest.raises(ValueError, match=r"OP '\{2\}'"):
        compile_pattern("X", [{"LOWER": "tỉnh", "OP": "{2}"}])


def test_rule_matches_give_character_offsets():
    text = "Kính gửi: UBND huyện Phong Thổ; Tỉnh ủy Lai Châu."
    found = {(text[s:e], label) for s, e, label, _ in rule_matches(text)}
    assert ("UBND huyện Phong Thổ", "ORG") in found
    assert ("huyện Phong Thổ", "LOC") in found
    assert ("Tỉnh ủy", "ORG") in found
