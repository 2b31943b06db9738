"""Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1258.

Text files in archives are often dumps of PDFs (hard-wrapped lines with
blank lines between them) or of Word files (one paragraph a line, footnotes
as ``[footnoteRef:1]`` marks and ``[1: ...]`` bodies); both are read into
paragraphs and footnotes.
"""
from __future__ import annotations

import codecs

import regex

from ..errors import VanbanError
from ..model import RawBlock, RawDocument
from .lines import is_ragged, join_lines

FOOTNOTE_REF = regex.compile(r"\[footnoteRef:(\d+)\]")
FOOTNOTE_BODY = regex.compile(r"\[(\d+):\s+((?:[^\[\]]|\[[^\[\]]*\])*)\]")
# Text copied from a web page: footnote marks "[1]" glued to the word they
# follow, the notes at the end as "[1] Thông báo số ...", and after them, on
# some sites, a summary line of the page ("Công điện 224/CĐ-TTg năm 2025 ...").
WEB_MARK = regex.compile(r"(?<=\S)\[(\d{1,3})\]")
WEB_NOTE = regex.compile(r"^\[(\d{1,3})\]\s*(\S.*)$", regex.S)
SITE_SUMMARY = regex.compile(r"^\p{Lu}\p{Ll}+(?: \p{Ll}+)? \d+/[\p{L}\d/.-]+ năm \d{4}\b")
VIETNAMESE = regex.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def cut_tail(data: bytes, codec: str) -> int:
    """How many bytes at the end of ``data`` are a character cut in two (a
    truncated download or copy); 0 when it ends whole or breaks elsewhere."""
    try:
        data.decode(codec)
        return 0
    except UnicodeDecodeError as e:
        # only an incomplete sequence at the very end (at most 3 bytes of a
        # 4-byte UTF-8 character, or of a UTF-16 surrogate pair)
        tail = len(data) - e.start
        if e.end == len(data) and tail <= 3 and ("end of data" in e.reason or "truncated" in e.reason):
            return tail
        return 0


def decode(data: bytes, path, warnings: list[str] | None = None) -> tuple[str, str]:
    """The text and its encoding. A file cut in the middle of its last character
    is read without that character, with a warning in ``warnings``."""
    if not data or data.isspace():
        raise VanbanError(path, "empty file")
    if warnings is None:
        warnings = []
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-8" if data.startswith(codecs.BOM_UTF8) else "utf-16"
        data = _drop_cut(data, codec, warnings)
        if codec == "utf-8":
            try:
                return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
            except UnicodeDecodeError as e:
                raise VanbanError(path, f"broken UTF-8 text ({e.reason} at byte {e.start + 3})")
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise VanbanError(path, f"broken UTF-16 text ({e.reason})")
    if b"\x00" in data[:4096]:
        raise VanbanError(path, "binary content, not a text document")
    from ..legacy import repair

    data = _drop_cut(data, "utf-8", warnings)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        # UTF-8 can still carry TCVN3/VNI letters pasted from an old document.
        fixed, enc = repair(text)
        return (fixed, f"utf-8+{enc}") if enc else (text, "utf-8")
    # An 8-bit file: TCVN3 or VNI (read through Latin-1, the code points their
    # fonts use), else Windows-1258.
    fixed, enc = repair(data.decode("latin-1"))
    if enc:
        return fixed, enc
    # Windows-1258 (Vietnamese code page): it decodes any byte string, so
    # accept it only when the result reads as Vietnamese.
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    letters = sum(1 for c in text if c.isalpha())
    if letters and len(VIETNAMESE.findall(text)) / letters > 0.03:
        return text, "cp1258"
    raise VanbanError(path, "cannot decode text (not UTF-8, UTF-16 or Windows-1258)")


def web_footnotes(paragraphs: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(body paragraphs, [(mark, note)]) of text copied from a web page: the
    notes are the paragraphs from the last "[1] ..." on, each "[n] ..." opening
    one, when the body carries their marks; the marks are taken out of the body
    (as a Word dump's are)."""
    start = next((i for i in range(len(paragraphs) - 1, 0, -1)
                  if (m := WEB_NOTE.match(paragraphs[i])) and m.group(1) == "1"), None)
    if start is None:
        return paragraphs, []
    marks = {m.group(1) for p in paragraphs[:start] for m in WEB_MARK.finditer(p)}
    if "1" not in marks:
        return paragraphs, []
    tail = paragraphs[start:]
    notes: list[list[str]] = []
    for p in tail:
        m = WEB_NOTE.match(p)
        if m and m.group(1) in marks:
            notes.append([m.group(1), m.group(2)])
        else:
            notes[-1][1] += "\n" + p
    found = {n for n, _ in notes}
    body = [WEB_MARK.sub(lambda m: "" if m.group(1) in found else m.group(0), p) for p in paragraphs[:start]]
    return body, [(n, t) for n, t in notes]


def _drop_cut(data: bytes, codec: str, warnings: list[str]) -> bytes:
    """``data`` without a character cut in two at its end, with a warning saying so."""
    n = cut_tail(data, codec)
    if not n:
        return data
    warnings.append(f"the file ends in the middle of a {codec.upper()} character (cut short?): "
                    f"its last {n} byte{'s' if n > 1 else ''} dropped")
    return data[:-n]


def read_txt(path, data: bytes, sha256: str) -> RawDocument:
    warnings: list[str] = []
    text, encoding = decode(data, path, warnings)
    footnotes = []
    for m in FOOTNOTE_BODY.finditer(text):
        footnotes.append((m.group(1), " ".join(m.group(2).split())))
    text = FOOTNOTE_BODY.sub("", text)
    # Footnote marks are dropped from the body; each footnote keeps its number.
    lines = [(FOOTNOTE_REF.sub("", line), None) for line in text.splitlines()]
    ragged = is_ragged([x.strip() for x, _ in lines])
    paragraphs = [p for p, _ in join_lines(lines, ragged=ragged)]
    if ragged and len(paragraphs) > 1 and SITE_SUMMARY.match(paragraphs[-1]):
        paragraphs.pop()      # the web page's summary of itself, not the document's
    paragraphs, web_notes = web_footnotes(paragraphs)
    blocks = [RawBlock(text=p) for p in paragraphs]
    for anchor, body in footnotes + web_notes:
        blocks.append(RawBlock(text=body, kind="footnote", anchor=anchor))
    if not any(b.text.strip() for b in blocks):
        raise VanbanError(path, "no text")
    legacy = encoding.rsplit("+", 1)[-1]
    if legacy in ("tcvn3", "vni"):
        warnings.append(f"converted from the legacy encoding {legacy.upper()}")
    return RawDocument(path=str(path), format="txt", sha256=sha256, blocks=blocks, encoding=encoding,
                       warnings=warnings)
