from extract.normalize import fold, normalize, retone


def test_nfc_and_offsets_map_back_to_raw():
    raw = "ho\u0061\u0301 x\u200by  89/SVHTTDL \u2013VP"   # decomposed á, zero-width space, en dash
    n = normalize(raw)
    assert n.text == "hóa xy 89/SVHTTDL -VP"
    # Every normalised character maps to the raw character it came from.
    i = n.text.index("89")
    assert raw[n.raw_index(i):n.raw_index(i) + 2] == "89"
    a, b = n.raw_span(n.text.index("SVHTTDL"), n.text.index("SVHTTDL") + 7)
    assert raw[a:b] == "SVHTTDL"


def test_one_tone_placement():
    assert retone("hoá thuỷ khoẻ Uỷ ban") == "hóa thủy khỏe Ủy ban"
    # Closed syllables and "qu" keep their tone where it is.
    assert retone("hoàn quý thuyền hoạch") == "hoàn quý thuyền hoạch"
    assert retone("HOÁ") == "HÓA"


def test_spaces_quotes_and_pdf_hyphen():
    n = normalize("562/QĐ\ufffeUBND\u00a0\u00a0“Điểm đến”  \n  tiếp\u00ad")
    assert n.text == '562/QĐ-UBND "Điểm đến"\ntiếp'


def test_control_characters_dropped_at_the_door():
    """C0 and C1 controls (a PDF font's STX, NUL, ESC, DEL, a C1 from text read as
    Latin-1) are dropped; tab is a space, NEL a newline; offsets still map back."""
    raw = "Giao\x01 Văn phòng Sở\x1b[0m\ttổng hợp\x00,\x7f báo cáo\x9c trước\x85ngày 15/01."
    n = normalize(raw)
    assert n.text == "Giao Văn phòng Sở[0m tổng hợp, báo cáo trước\nngày 15/01."
    i = n.text.index("báo cáo")
    a, b = n.raw_span(i, i + len("báo cáo"))
    assert raw[a:b] == "báo cáo"
    i = n.text.index("ngày")
    assert raw[n.raw_index(i):n.raw_index(i) + 4] == "ngày"


def test_fold_for_search():
    assert fold("Kế hoạch Đầu tư") == "ke hoach dau tu"


from hypothesis import given, settings
from hypothesis import strategies as st

_ALPHABET = list("aăâeêioôơuưyđAĐ oaeuy qQ-/.,:;") + ["\u0301", "\u0300", "\u0309", "\u0303", "\u0323",
                                                     "\u00a0", "\u2013", "\u200b", "\u00ad", "\t", "\n", "\r",
                                                     "  ", "hoà", "thuỷ", "quý", "Hoá", "\u201c", "\ufffe",
                                                     "\x00", "\x02", "\x1b", "\x7f", "\x85", "\x9c"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60).map("".join))
def test_normalize_properties(raw):
    import unicodedata

    from extract.normalize import normalize

    n = normalize(raw)
    text = n.text
    assert len(n.offsets) == len(text) + 1 and n.offsets[-1] == len(raw)
    assert all(a <= b for a, b in zip(n.offsets, n.offsets[1:]))          # order kept
    assert all(0 <= o <= len(raw) for o in n.offsets)
    assert unicodedata.is_normalized("NFC", text)
    assert "  " not in text and not any(l != l.strip(" ") for l in text.split("\n"))
    assert normalize(text).text == text                                   # once is enough
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in text)   # no control character
    for i, ch in enumerate(text):                                          # each char comes from its raw spot
        if ch.isalpha() and ch.isascii():
            assert raw[n.offsets[i]].lower() == ch.lower() or unicodedata.normalize("NFD", raw[n.offsets[i]])[0].lower() == ch.lower()


def test_marks_typed_apart_take_the_quick_path_with_the_same_result():
    """"Unicode tổ hợp" (letters and their marks as separate characters) is
    common in real documents; such lines are composed letter by letter and
    mended by slices, and must give what the character-by-character path
    gives, offsets included."""
    import unicodedata
    from pathlib import Path

    from extract.normalize import _compose_marks, _normalize_slow

    seed = Path(__file__).resolve().parent.parent / "corpus" / "tb-2025-12-giaoban-svhttdl-laichau.txt"
    lines = [unicodedata.normalize("NFD", x) + "  " for x in seed.read_text(encoding="utf-8").splitlines()]
    quick = 0
    for line in lines:
        quick += _compose_marks(line, 100) is not None
        n = normalize(line)
        slow_text, slow_offs = _normalize_slow(line, 0)
        assert n.text == retone(slow_text) and list(n.offsets) == slow_offs + [len(line)]
    assert quick >= 0.5 * len(lines)
    # each composed letter points at its base character
    raw = unicodedata.normalize("NFD", "Thực hiện")
    n = normalize(raw)
    assert n.text == "Thực hiện"
    assert raw[n.offsets[1]] == "h" and raw[n.offsets[2]] == "u"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aăâeêioôơuưyAĐđ \u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b", max_size=30))
def test_quick_mark_composition_equals_the_slow_path(raw):
    """A line that is not NFC: the quick paths give the slow path's text and offsets."""
    import unicodedata

    from hypothesis import assume

    from extract.normalize import _normalize_slow

    raw = raw.replace("\n", " ")
    assume(not unicodedata.is_normalized("NFC", raw))
    n = normalize(raw)
    slow_text, slow_offs = _normalize_slow(raw, 0)
    assert n.text == retone(slow_text) and list(n.offsets) == slow_offs + [len(raw)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_fold_chars_is_one_character_per_character_and_cuts_like_the_text(text, a, b):
    """Search passages take slices of one fold of the whole text: that must
    be the fold of the slice, for any character, seen before or not."""
    from extract.normalize import fold_chars

    folded = fold_chars(text)
    assert len(folded) == len(text)
    assert folded[a:b] == fold_chars(text[a:b])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab cđ\n\t\u00a0\u2013\r\u0301ư\u0323“\u200boàhoáuỷ", max_size=30))
def test_normalize_text_short_cut_gives_normalize_text(raw):
    from extract.normalize import normalize_text

    assert normalize_text(raw) == normalize(raw).text


def test_offset_map_is_runs_that_index_like_a_list():
    """The offset map keeps runs, yet answers as the per-character list would,
    on a real text with marks typed apart, doubled spaces and trailing blanks."""
    from bisect import bisect_left
    from pathlib import Path

    from extract.normalize import normalize

    seed = Path(__file__).resolve().parent.parent / "corpus" / "bc-2023-6thang-svhttdl-laichau.txt"
    raw = seed.read_text(encoding="utf-8")
    raw += "\nVa\u0306n  ba\u0309n   so\u0302\u0301 12  \n\u201cKe\u0302\u0301 hoa\u0323ch\u201d \u2013 quy\u0301 I  "
    n = normalize(raw)
    values = list(n.offsets)
    assert len(values) == len(n.offsets) == len(n.text) + 1 and values[-1] == len(raw)
    assert values == [n.offsets[i] for i in range(len(values))] and n.offsets[-1] == values[-1]
    assert n.offsets[3:40] == values[3:40]
    for r in range(0, len(raw) + 1, 7):
        assert n.offsets.index_of(r) == bisect_left(values, r)
    # asked in order (a document's block and cell bounds), and once out of order
    ascending = n.offsets.index_of_ascending()
    asked = list(range(len(raw) + 1)) + [5, len(raw) // 2]
    assert [ascending(r) for r in asked] == [bisect_left(values, r) for r in asked]
    assert len(n.offsets._t) < len(values) / 20        # runs, not one value per character
    assert not n.offsets.identity
    clean = normalize("Kế hoạch số 12/KH-UBND\nGiao Sở Tài chính")
    assert clean.offsets.identity and [clean.offsets.index_of(r) for r in range(len(clean.text) + 1)] == \
        list(range(len(clean.text) + 1))
