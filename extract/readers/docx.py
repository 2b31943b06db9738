"""Word .docx: body paragraphs and tables in reading order, numbering, footnotes.

python-docx gives the body in order; what it does not render we rebuild:
- Word automatic numbering ("1.", "a)", "-") from numbering.xml, since
  section structure often depends on it;
- footnotes from the footnotes part, with the number of their mark;
- run text including tabs and breaks, skipping deleted revisions and field
  codes. Page headers and footers are other parts and never enter the body;
- text boxes: Word keeps each twice (``mc:AlternateContent``: the DrawingML
  ``wps`` choice and a VML fallback, each with its ``w:txbxContent``); one
  copy is read, its paragraphs as paragraphs of their own, before the text
  of the paragraph that anchors them.
"""
from __future__ import annotations

import zipfile
from io import BytesIO

from ..errors import VanbanError
from ..model import RawBlock, RawDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
TXBX = W + "txbxContent"
MAX_XML_BYTES = 200 * 1024 * 1024   # refuse zip bombs before inflating
MAX_TABLE_DEPTH = 8


def check_package(path, data: bytes, max_xml: int = MAX_XML_BYTES) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            names = z.namelist()
            if "word/document.xml" not in names:
                raise VanbanError(path, "a zip archive but not a Word document (no word/document.xml)")
            total = sum(i.file_size for i in z.infolist())
            if total > max_xml:
                raise VanbanError(path, f"refused: its XML inflates to {total // 2**20} MB (limit {max_xml // 2**20} MB)")
            head = z.open("word/document.xml").read(4096)
            if b"<!ENTITY" in head or b"<!DOCTYPE" in head:
                raise VanbanError(path, "refused: document.xml declares a DTD or entities")
    except zipfile.BadZipFile as e:
        raise VanbanError(path, f"corrupt .docx ({e})")


# ------------------------------------------------------------------ numbering
def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letter(n: int) -> str:
    # Vietnamese lists skip no letter in Word; đ is written by hand.
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(97 + r) + s
    return s


def _fmt(fmt: str, n: int) -> str:
    if fmt in ("decimal", "decimalZero"):
        return f"{n:02d}" if fmt == "decimalZero" else str(n)
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    return str(n)


BULLETS = {"-": "-", "–": "-", "—": "-", "+": "+", "*": "*", "•": "-", "·": "-", "o": "-",
           "\uf0b7": "-", "\uf02d": "-", "\uf0a7": "-", "\uf0d8": "-", "\uf076": "-", "\uf0fc": "-",
           "\uf02b": "+", "§": "-", "▪": "-", "●": "-", "◦": "-", "": "-"}


class Numbering:
    """Renders the visible label of numbered paragraphs, counting as Word does."""

    def __init__(self, part):
        self.levels = {}     # (abstractId, ilvl) -> (fmt, lvlText, start)
        self.num_abstract = {}
        self.overrides = {}  # (numId, ilvl) -> start
        self.counters = {}   # abstractId -> [counts per level]
        if part is None:
            return
        root = part.element
        for an in root.iter(W + "abstractNum"):
            aid = an.get(W + "abstractNumId")
            for lvl in an.iter(W + "lvl"):
                il = int(lvl.get(W + "ilvl", "0"))
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                self.levels[(aid, il)] = (
                    fmt.get(W + "val") if fmt is not None else "decimal",
                    text.get(W + "val") if text is not None else "",
                    int(start.get(W + "val")) if start is not None else 1,
                )
        for num in root.iter(W + "num"):
            nid = num.get(W + "numId")
            ref = num.find(W + "abstractNumId")
            if ref is not None:
                self.num_abstract[nid] = ref.get(W + "val")
            for ov in num.iter(W + "lvlOverride"):
                so = ov.find(W + "startOverride")
                if so is not None:
                    self.overrides[(nid, int(ov.get(W + "ilvl", "0")))] = int(so.get(W + "val"))

    def label(self, num_id: str, ilvl: int) -> str:
        aid = self.num_abstract.get(num_id)
        if aid is None or num_id == "0" or (aid, ilvl) not in self.levels:
            return ""
        fmt, text, _ = self.levels[(aid, ilvl)]
        counts = self.counters.setdefault(aid, [0] * 9)
        if fmt == "bullet":
            return BULLETS.get(text.strip(), "-")
        if fmt == "none":
            return text
        first = counts[ilvl] == 0
        counts[ilvl] = (self.overrides.get((num_id, ilvl)) or self.levels[(aid, ilvl)][2]) if first else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        out = text
        for lv in range(ilvl, -1, -1):
            f, _, start = self.levels.get((aid, lv), ("decimal", "", 1))
            value = counts[lv] or start
            out = out.replace(f"%{lv + 1}", _fmt(f, value))
        return out.strip()


def _num_pr(p, styles):
    ppr = p.find(W + "pPr")
    num = ppr.find(W + "numPr") if ppr is not None else None
    if num is None and ppr is not None:
        ps = ppr.find(W + "pStyle")
        if ps is not None:
            style = styles.get(ps.get(W + "val"))
            if style is not None:
                num = style
    if num is None:
        return None
    nid = num.find(W + "numId")
    il = num.find(W + "ilvl")
    if nid is None:
        return None
    return nid.get(W + "val"), int(il.get(W + "val")) if il is not None else 0


def _style_numbering(doc) -> dict:
    out = {}
    try:
        for st in doc.styles.element.iter(W + "style"):
            ppr = st.find(W + "pPr")
            if ppr is not None and ppr.find(W + "numPr") is not None:
                out[st.get(W + "styleId")] = ppr.find(W + "numPr")
    except Exception:  # styles part missing or odd: numbering from styles is a bonus
        pass
    return out


# ------------------------------------------------------------------ text
def _run_font(r) -> str | None:
    rpr = r.find(W + "rPr") if r is not None else None
    rf = rpr.find(W + "rFonts") if rpr is not None else None
    if rf is None:
        return None
    return rf.get(W + "ascii") or rf.get(W + "hAnsi")


def _style_fonts(doc) -> tuple[str | None, dict[str, str]]:
    """The document's default font and each style's own font (legacy fonts decide the encoding)."""
    default, fonts = None, {}
    try:
        root = doc.styles.element
    except Exception:
        return None, {}
    dd = root.find(W + "docDefaults")
    if dd is not None:
        rf = dd.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
        if rf is not None:
            default = rf.get(W + "ascii") or rf.get(W + "hAnsi")
    for st in root.iter(W + "style"):
        f = _run_font(st)
        if f:
            fonts[st.get(W + "styleId")] = f
    if "Normal" in fonts and not default:
        default = fonts["Normal"]
    return default, fonts


def paragraph_text(p, font: str | None = None, seen_legacy: set | None = None) -> tuple[str, list[tuple[int, str]]]:
    """Visible text of a w:p, with footnote marks as (position, id).

    Runs set in a legacy Vietnamese font (".VnTime", "VNI-Times"; their own
    or the paragraph's) are converted to Unicode here, run by run.
    """
    from ..legacy import font_capitals, font_encoding, to_unicode

    parts: list[str] = []
    anchors: list[tuple[int, str]] = []
    length = 0
    tags = (W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "footnoteReference", W + "sym")
    # a text box's text is its own paragraphs' (text_boxes), not the anchoring paragraph's
    elements = _own(p, set(tags)) if p.find(".//" + TXBX) is not None else p.iter(*tags)
    for el in elements:
        tag = el.tag
        if tag == W + "t":
            s = el.text or ""
            f = _run_font(el.getparent()) or font
            enc = font_encoding(f)
            if enc and s:
                s = to_unicode(s, enc, font_capitals(f))
                if seen_legacy is not None:
                    seen_legacy.add(enc)
        elif tag in (W + "tab",):
            s = "\t"
        elif tag in (W + "br", W + "cr"):
            s = "\n"
        elif tag == W + "noBreakHyphen":
            s = "-"
        elif tag == W + "sym":
            s = ""
        else:
            anchors.append((length, el.get(W + "id")))
            continue
        parts.append(s)
        length += len(s)
    return "".join(parts), anchors


def _own(p, tags: set):
    """The elements of ``tags`` in ``p``, in order, outside its text boxes."""
    stack = [iter(p)]
    while stack:
        for el in stack[-1]:
            if el.tag in tags:
                yield el
            if el.tag != TXBX and el.tag != MC + "Fallback" and len(el):
                stack.append(iter(el))
                break
        else:
            stack.pop()


def text_boxes(p) -> list:
    """The ``w:txbxContent`` of the text boxes ``p`` anchors, each once: of an
    ``mc:AlternateContent``, the first choice holding boxes (else its
    fallback); boxes inside boxes belong to their box."""
    out = []
    stack = [iter(p)]
    while stack:
        for el in stack[-1]:
            if el.tag == TXBX:
                out.append(el)
            elif el.tag == MC + "AlternateContent":
                branches = [c for c in el if c.tag == MC + "Choice"] + [c for c in el if c.tag == MC + "Fallback"]
                chosen = next((b for b in branches if b.find(".//" + TXBX) is not None), None)
                if chosen is not None:
                    stack.append(iter([chosen]))
                    break
            elif len(el):
                stack.append(iter(el))
                break
        else:
            stack.pop()
    return out


def _footnotes(doc) -> dict[str, str]:
    out = {}
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            from lxml import etree

            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.fromstring(rel.target_part.blob, parser)
            for fn in root.iter(W + "footnote"):
                if fn.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "\n".join(paragraph_text(p)[0] for p in fn.iter(W + "p")).strip()
                out[fn.get(W + "id")] = text
    return out


def read_docx(path, data: bytes, sha256: str) -> RawDocument:
    check_package(path, data)
    import docx
    from docx.table import Table

    try:
        doc = docx.Document(BytesIO(data))
    except Exception as e:  # python-docx raises many types on broken packages
        raise VanbanError(path, f"cannot open as .docx ({type(e).__name__}: {e})")
    numbering = None
    try:
        numbering = Numbering(doc.part.numbering_part)
    except (KeyError, NotImplementedError):
        numbering = Numbering(None)
    style_num = _style_numbering(doc)
    default_font, style_fonts = _style_fonts(doc)
    legacy: set[str] = set()
    notes = _footnotes(doc)
    blocks: list[RawBlock] = []
    mark_order: list[str] = []
    table_no = [0]

    def add_paragraph(p_el, style="", depth=0):
        if p_el.find(".//" + TXBX) is not None:
            for box in text_boxes(p_el):
                add_children(box, depth + 1)
        text, anchors = paragraph_text(p_el, style_fonts.get(style, default_font), legacy)
        label = ""
        npr = _num_pr(p_el, style_num)
        if npr and text.strip():
            label = numbering.label(*npr)
        for _, fid in anchors:
            mark_order.append(fid)
        blocks.append(RawBlock(text=text, label=label, style=style))

    def cell_text(tc, depth):
        out = []
        for child in tc.iterchildren():
            if child.tag == W + "p":
                ppr = child.find(W + "pPr")
                ps = ppr.find(W + "pStyle") if ppr is not None else None
                style = ps.get(W + "val") if ps is not None else ""
                if child.find(".//" + TXBX) is not None:
                    if depth >= MAX_TABLE_DEPTH:
                        raise VanbanError(path, f"text boxes nested more than {MAX_TABLE_DEPTH} deep")
                    out.extend(cell_text(box, depth + 1) for box in text_boxes(child))
                out.append(paragraph_text(child, style_fonts.get(style, default_font), legacy)[0])
            elif child.tag == W + "tbl":
                if depth >= MAX_TABLE_DEPTH:
                    raise VanbanError(path, f"tables nested more than {MAX_TABLE_DEPTH} deep")
                for row in child.iter(W + "tr"):
                    out.append(" | ".join(cell_text(c, depth + 1) for c in row.iter(W + "tc")))
        return "\n".join(out)

    def add_table(tbl_el):
        table = Table(tbl_el, doc)
        t_index = table_no[0]
        table_no[0] += 1
        for row in table.rows:
            seen = []
            cells = []
            try:
                row_cells = row.cells
            except Exception:  # malformed spans: fall back to raw cells
                row_cells = []
            for c in row_cells:
                if any(c._tc is s for s in seen):
                    continue
                seen.append(c._tc)
                cells.append(cell_text(c._tc, 1))
            for c in row_cells:
                for p in c._tc.iter(W + "footnoteReference"):
                    mark_order.append(p.get(W + "id"))
            if any(x.strip() for x in cells):
                blocks.append(RawBlock(text=" | ".join(x for x in cells), kind="row", cells=cells, table=t_index))

    def add_children(parent, depth=0):
        if depth > MAX_TABLE_DEPTH:
            raise VanbanError(path, f"text boxes nested more than {MAX_TABLE_DEPTH} deep")
        for child in parent.iterchildren():
            if child.tag == W + "p":
                ppr = child.find(W + "pPr")
                ps = ppr.find(W + "pStyle") if ppr is not None else None
                add_paragraph(child, ps.get(W + "val") if ps is not None else "", depth)
            elif child.tag == W + "tbl":
                add_table(child)
            elif child.tag == W + "sdt":
                for content in child.iterchildren(W + "sdtContent"):
                    add_children(content, depth + 1)

    add_children(doc.element.body)
    for i, fid in enumerate(dict.fromkeys(mark_order), start=1):
        if fid in notes:
            blocks.append(RawBlock(text=notes[fid], kind="footnote", anchor=str(i)))
    if not any(b.text.strip() for b in blocks):
        raise VanbanError(path, "no text in the document body")
    warnings = []
    if legacy:
        warnings.append(f"converted from the legacy encoding {'/'.join(sorted(legacy)).upper()} (by font)")
    else:
        # No legacy font named, yet the text may still be TCVN3/VNI (fonts
        # substituted, or text pasted between documents): judge by the words.
        from ..legacy import detect, to_unicode

        enc = detect("\n".join(b.text for b in blocks))
        if enc:
            for b in blocks:
                b.text = to_unicode(b.text, enc)
                if b.cells:
                    b.cells = [to_unicode(c, enc) for c in b.cells]
            warnings.append(f"converted from the legacy encoding {enc.upper()} (by its characters)")
    return RawDocument(path=str(path), format="docx", sha256=sha256, blocks=blocks,
                       encoding=("+".join(sorted(legacy)) if legacy else None), warnings=warnings)
