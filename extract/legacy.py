"""Legacy Vietnamese encodings: TCVN3 (ABC; fonts .VnTime, .VnArial, ...) and
VNI (VNI-Times, ...), common in documents written before Unicode.

Both put Vietnamese letters on the Latin-1 code points of an 8-bit font, so
the text reads "Céng hoµ x· héi" (TCVN3) or "Coäng hoøa xaõ hoäi" (VNI) once
the font is gone. TCVN3 gives each accented letter one byte (capitals with
marks live in the separate ".VnTimeH" fonts, on the same bytes); VNI writes a
base letter followed by one mark byte.

:func:`detect` tells them apart by converting both ways and counting common
Vietnamese words; :func:`to_unicode` converts.
"""
from __future__ import annotations

import regex

# TCVN3 byte (as a Latin-1 character) -> Unicode, lower-case letters in the
# order a, ă, â, đ, e, ê, i, o, ô, ơ, u, ư, y with grave, acute, hook, tilde, dot.
_TCVN3_SRC = (
    "µ¸¶·¹" "¨»¾¼½Æ" "©ÇÊÈÉË" "®" "ÌÐÎÏÑ" "ªÒÕÓÔÖ" "×ÝØÜÞ" "ßãáâä" "«åèæçé" "¬êíëìî"
    "ïóñòô" "\xadõøö÷ù" "úýûüþ" "¡¢§£¤¥¦"
)
_TCVN3_DST = (
    "àáảãạ" "ăằắẳẵặ" "âầấẩẫậ" "đ" "èéẻẽẹ" "êềếểễệ" "ìíỉĩị" "òóỏõọ" "ôồốổỗộ" "ơờớởỡợ"
    "ùúủũụ" "ưừứửữự" "ỳýỷỹỵ" "ĂÂĐÊÔƠƯ"
)
assert len(_TCVN3_SRC) == len(_TCVN3_DST)
TCVN3 = str.maketrans(_TCVN3_SRC, _TCVN3_DST)

# VNI: a base letter then a mark byte. Marks after a vowel, by their Latin-1 form.
_VNI_MARKS = {
    # tone on a plain vowel
    "ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "Ø": "\u0300", "Ù": "\u0301", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323",
}
# circumflex (â ê ô) and breve (ă) with their tones
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323",
            "Â": "", "Á": "\u0301", "À": "\u0300", "Å": "\u0309", "Ã": "\u0303", "Ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323",
              "Ê": "", "É": "\u0301", "È": "\u0300", "Ú": "\u0309", "Ü": "\u0303", "Ë": "\u0323"}
# single characters of VNI
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
               "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}
_VNI_PAIR = regex.compile(r"([aeiouyAEIOUYôÔöÖ])([øùûõïØÙÛÕÏâáàåãäÂÁÀÅÃÄêéèúüëÊÉÈÚÜË])|([ñÑôÔöÖæÆóÓòÒîÎ])")


def _vni_pair(m) -> str:
    import unicodedata

    if m.group(3):
        return _VNI_SINGLE[m.group(3)]
    base, mark = m.group(1), m.group(2)
    base = _VNI_SINGLE.get(base, base)          # ô -> ơ, ö -> ư before a tone
    if mark in _VNI_MARKS:
        return unicodedata.normalize("NFC", base + _VNI_MARKS[mark])
    low = base.lower()
    if mark in _VNI_HAT and low in "aeo":
        return unicodedata.normalize("NFC", base + "\u0302" + _VNI_HAT[mark])
    if mark in _VNI_BREVE and low == "a":
        return unicodedata.normalize("NFC", base + "\u0306" + _VNI_BREVE[mark])
    return m.group(0)


def vni_to_unicode(text: str) -> str:
    # One pass: a letter made here ("ò" from "oø") is never read again as VNI ("ò" is ị).
    return _VNI_PAIR.sub(_vni_pair, text)


def tcvn3_to_unicode(text: str, capitals: bool = False) -> str:
    """``capitals``: text set in a ".VnTimeH" font, whose bytes are drawn as capitals."""
    out = text.translate(TCVN3)
    return out.upper() if capitals else out


# Frequent words of administrative Vietnamese: a right conversion is full of them.
_COMMON = set("""của và các được trong những người việt nam đã cho với có không này là về theo
thực hiện công tác năm tháng ngày tỉnh huyện xã ủy ban nhân dân sở phòng đơn vị quản lý
kế hoạch báo cáo thông tin đề nghị quyết định số tổ chức nhiệm vụ kinh tế xã hội phát triển
tình hình kết quả đồng chí hội đồng chủ tịch giám đốc văn bản nội dung cộng hòa độc lập
tự do hạnh phúc""".split())
_WORD = regex.compile(r"\p{L}+")
_VIET = regex.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", regex.I)


def _score(text: str) -> int:
    return sum(1 for w in _WORD.findall(text.lower()) if w in _COMMON)


def detect(text: str) -> str | None:
    """"tcvn3", "vni", or None when the text reads as Unicode Vietnamese (or not Vietnamese at all)."""
    sample = text[:20000]
    # counted over the sample's distinct characters: a handful, where the sample has thousands
    legacy = sum(sample.count(c) for c in set(sample) & _LEGACY_SET)
    if legacy < max(5, len(sample) // 400):
        return None                     # hardly a byte a legacy font would show: nothing to try
    base = _score(sample)
    scores = {"tcvn3": _score(tcvn3_to_unicode(sample)), "vni": _score(vni_to_unicode(sample))}
    best = max(scores, key=scores.get)
    # A clear win over the text as it is: more common words found, and enough of them.
    if scores[best] >= max(3, 2 * base + 2) and scores[best] > scores[min(scores, key=scores.get)]:
        return best
    return None


# Latin-1 characters TCVN3 and VNI use for Vietnamese letters but Unicode Vietnamese
# text does not (it uses à á â ã è é ê ì í ò ó ô õ ù ú ý and their capitals).
_LEGACY_CHARS = regex.compile(r"[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc\u00de\u00df"
                              r"\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff]")


# the same characters as a set: they all lie in Latin-1
_LEGACY_SET = frozenset(chr(c) for c in range(0x100) if _LEGACY_CHARS.match(chr(c)))


def to_unicode(text: str, encoding: str, capitals: bool = False) -> str:
    if encoding == "tcvn3":
        return tcvn3_to_unicode(text, capitals)
    if encoding == "vni":
        return vni_to_unicode(text)
    raise ValueError(encoding)


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies: ".VnTime" -> tcvn3, "VNI-Times" -> vni."""
    if not font:
        return None
    f = font.strip().lower()
    if f.startswith((".vn", "vn3", "abc")):
        return "tcvn3"
    if f.startswith(("vni-", "vni ")):
        return "vni"
    return None


def font_capitals(font: str | None) -> bool:
    """TCVN3's capital fonts end in H: ".VnTimeH", ".VnArialH"."""
    return bool(font) and font.strip().lower().startswith(".vn") and font.strip().endswith("H")


def repair(text: str) -> tuple[str, str | None]:
    """The text in Unicode, and the legacy encoding it was in (None when it was not)."""
    enc = detect(text)
    return (to_unicode(text, enc), enc) if enc else (text, None)


def looks_garbled(text: str, foreign_script: bool = False) -> bool:
    """Text from a PDF font without a usable Unicode map: letters from scripts
    a Vietnamese document does not use (Cyrillic, Armenian ...) or control
    characters, where Vietnamese letters should be.

    ``foreign_script``: words written wholly in another living script
    (Russian, Greek, Chinese, Japanese, Korean: a list of references, a
    quoted title) are text, not odd. A broken font's glyphs land inside
    Latin words ("ĈӕL YӟL"), in archaic letters of those blocks (Ѭ, ͱ) and
    among control characters; a page of real foreign script has none of
    these, and OCR with the Vietnamese model would only read it worse."""
    if not _odd_among(set(text)):
        return False                    # the usual page: its distinct characters are all at home
    letters = len(_LETTER.findall(text))
    if letters < 20:
        return False
    if foreign_script:
        odd = sum(len(_ODD_LETTER.findall(w)) for w in _WORD_RUN.findall(text)
                  if _ODD_LETTER.search(w) and not _FOREIGN_WORD.fullmatch(w))
    else:
        odd = len(_ODD_LETTER.findall(text))
    odd += len(_CTRL.findall(text))
    return odd / letters > 0.05


_WORD_RUN = regex.compile(r"\p{L}+")
# A word wholly in one living script's letters: modern Cyrillic (Russian,
# Ukrainian ...), modern Greek, kana, CJK ideographs, Hangul syllables.
_FOREIGN_WORD = regex.compile(r"[\u0400-\u045f]+|[\u0386-\u03ce]+|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")


_LETTER = regex.compile(r"\p{L}")
# Letters outside Latin (ASCII, Latin-1, Latin Extended, Vietnamese): Cyrillic, Armenian, CJK ...
_ODD_LETTER = regex.compile(r"[^\P{L}A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_CTRL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ODD = regex.compile(_ODD_LETTER.pattern + "|" + _CTRL.pattern)
# Characters known not to be odd: printable ASCII, and every other one met and tested once.
_NOT_ODD: set[str] = {chr(c) for c in range(0x20, 0x7F)}


def _odd_among(chars: set[str]) -> bool:
    for c in chars - _NOT_ODD:
        if _ODD.match(c):
            return True
        if len(_NOT_ODD) < 100_000:        # bounded: an archive meets a few thousand characters
            _NOT_ODD.add(c)
    return False
