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


def test_fold_for_search():
    assert fold("Kế hoạch Đầu tư") == "ke hoach dau tu"
