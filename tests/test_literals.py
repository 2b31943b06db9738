import re

from hypothesis import given
from hypothesis import strategies as st

from extract import ruleset as rules
from extract.literals import alternation


def _plain(words):
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def test_a_trie_finds_what_the_longest_first_alternation_finds_in_real_names():
    names = [n.lower() for n in rules.organizations()]
    text = ("kính gửi: ủy ban nhân dân tỉnh; sở văn hóa, thể thao và du lịch; sở tài chính; bộ công thương; "
            "văn phòng sở; sở y tế tỉnh lai châu") * 2
    a = [m.span() for m in re.finditer(r"(?<!\w)(?:" + alternation(names) + r")(?!\w)", text)]
    b = [m.span() for m in re.finditer(r"(?<!\w)(?:" + _plain(names) + r")(?!\w)", text)]
    assert a == b and len(a) >= 8


@given(st.lists(st.text("abđ ơ.", min_size=1, max_size=5), min_size=1, max_size=12), st.text("abđ ơ.", max_size=40))
def test_same_matches_as_a_longest_first_alternation(words, text):
    a = [m.span() for m in re.finditer(r"(?<!\w)" + alternation(words) + r"(?!\w)", text)]
    b = [m.span() for m in re.finditer(r"(?<!\w)(?:" + _plain(words) + r")(?!\w)", text)]
    assert a == b


def test_no_words_match_nothing():
    assert re.search(alternation([]), "anything") is None
