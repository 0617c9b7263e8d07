"""The Word layer: the only module that uses python-docx.

It sets the editions (Chinese, English, bilingual) that an ``EditionSpec``
describes, with their photos, and the review table of a translator kit,
and reads review tables back.  Raw OOXML is
built in one small helper (``_el``) from python-docx's element factory; the
body is assembled by appending elements in order (python-docx's own
``add_paragraph`` searches for ``w:sectPr`` on every call, which is
quadratic on long documents).

May import: model.
"""
from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu

from .model import EditionSpec, ImageRef, Piece, Unit

# -- one helper for raw XML --------------------------------------------------------


_CLARK: dict[str, str] = {}
_NSMAPS: dict[str, dict] = {}


def _clark(name: str) -> str:
    clark = _CLARK.get(name)
    if clark is None:
        clark = _CLARK[name] = qn(name)
    return clark


def _el(tag: str, attrs: dict | None = None, *children):
    """``<w:tag w:attr="…">children</w:tag>`` with namespaced names.

    The same element python-docx's ``OxmlElement`` makes, with the
    namespace lookups cached (a long article makes hundreds of thousands)."""
    prefix = tag.partition(":")[0]
    nsmap = _NSMAPS.get(prefix)
    if nsmap is None:
        from docx.oxml.ns import nsmap as all_namespaces

        nsmap = _NSMAPS[prefix] = {prefix: all_namespaces[prefix]}
    element = oxml_parser.makeelement(_clark(tag), nsmap=nsmap)
    if attrs:
        for key, value in attrs.items():
            element.set(_clark(key), str(value))
    for child in children:
        if child is not None:
            element.append(child)
    return element


# Schema order of the children we use (CT_PPr, CT_RPr).
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pBdr", "w:shd", "w:spacing", "w:ind", "w:jc", "w:outlineLvl")
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:spacing",
    "w:sz", "w:szCs", "w:highlight", "w:u", "w:lang",
)


def _ordered(tag: str, order: tuple[str, ...], parts: dict):
    return _el(tag, None, *(parts[name] for name in order if name in parts))


# -- typography ---------------------------------------------------------------------

LATIN = "Times New Roman"
SONG, HEI, KAI = "SimSun", "SimHei", "KaiTi"  # English names: LibreOffice maps them to Noto CJK


@dataclass(frozen=True)
class Look:
    """How one paragraph style looks."""

    east_asia: str = SONG
    size: float = 12
    bold: bool = False
    italic: bool = False
    align: str | None = None  # left, center, both
    before: int = 0  # twips
    after: int = 0
    line: int | None = None  # 240 = single
    first_line_chars: int = 0  # 200 = two characters
    keep_next: bool = False
    outline: int | None = None
    color: str = "000000"


def _looks(edition: str) -> dict[str, Look]:
    """Style name → look for an edition (docx-spec §3–§5)."""
    zh_body = Look(size=12, align="both", line=360, first_line_chars=200)
    en_body = Look(size=11, align="left", line=276, after=120)
    looks = {
        "Title": Look(HEI, 22, bold=True, align="center", after=240, line=240, keep_next=True),
        "Subtitle": Look(KAI, 14, align="center", after=240, line=240, keep_next=True),
        "Heading 1": Look(HEI, 16, bold=True, before=360, after=120, line=240, keep_next=True, outline=0),
        "Heading 2": Look(HEI, 14, bold=True, before=240, after=120, line=240, keep_next=True, outline=1),
        "Heading 3": Look(HEI, 12, bold=True, before=240, after=60, line=240, keep_next=True, outline=2),
        "Heading Deck": Look(HEI, 13, align="left", after=120, line=240, keep_next=True, outline=9),
        # 肩题: smaller than the head it leads into, not bold, set tight above it, kept with it
        "Kicker": Look(HEI, 11, align="left", before=240, after=0, line=240, keep_next=True, color="404040"),
        "Byline": Look(KAI, 12, align="center", after=240, line=240),
        "Caption": Look(KAI, 10, align="center", before=60, after=240, line=240, color="595959"),
        "Photo": Look(SONG, 12, align="center", before=240, after=60, line=240, keep_next=True),
        "Quote": Look(KAI, 12, align="both", line=300, after=120),
        "List Bullet": Look(SONG, 12, line=300, after=60),
        "List Number": Look(SONG, 12, line=300, after=60),
        "Code": Look(SONG, 9, line=240, after=120),
        "Body Chinese": zh_body,
        "Body English": en_body,
    }
    if edition == "zh":
        looks["Normal"] = zh_body
    elif edition == "en":
        looks["Normal"] = en_body
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            looks[name] = Look(**{**looks[name].__dict__, "align": "left"})
        looks["Title"] = Look(HEI, 20, bold=True, align="left", after=200, line=240, keep_next=True)
        looks["Subtitle"] = Look(KAI, 13, italic=True, align="left", after=200, line=240, keep_next=True)
        looks["Byline"] = Look(KAI, 11, italic=True, align="left", after=200, line=240)
        looks["Caption"] = Look(KAI, 9.5, italic=True, align="left", before=60, after=240, line=240, color="404040")
    else:
        looks["Normal"] = Look(size=11, line=276)
    return looks


_CUSTOM = {"Heading Deck", "Kicker", "Byline", "Code", "Body Chinese", "Body English", "Photo"}
_CODE_FONT = "Courier New"


def _rpr_parts(look: Look, latin: str = LATIN) -> dict:
    parts = {
        "w:rFonts": _el("w:rFonts", {"w:ascii": latin, "w:hAnsi": latin, "w:cs": latin, "w:eastAsia": look.east_asia}),
        "w:color": _el("w:color", {"w:val": look.color}),
        "w:spacing": _el("w:spacing", {"w:val": 0}),
        "w:sz": _el("w:sz", {"w:val": int(look.size * 2)}),
        "w:szCs": _el("w:szCs", {"w:val": int(look.size * 2)}),
    }
    parts["w:b"] = _el("w:b", {"w:val": 1 if look.bold else 0})
    parts["w:bCs"] = _el("w:bCs", {"w:val": 1 if look.bold else 0})
    parts["w:i"] = _el("w:i", {"w:val": 1 if look.italic else 0})
    parts["w:iCs"] = _el("w:iCs", {"w:val": 1 if look.italic else 0})
    return parts


def _ppr_parts(look: Look) -> dict:
    parts = {}
    if look.keep_next:
        parts["w:keepNext"] = _el("w:keepNext")
        parts["w:keepLines"] = _el("w:keepLines")
    spacing = {"w:before": look.before, "w:after": look.after}
    if look.line:
        spacing.update({"w:line": look.line, "w:lineRule": "auto"})
    parts["w:spacing"] = _el("w:spacing", spacing)
    # A non-zero firstLineChars outranks firstLine, so both are always written.
    parts["w:ind"] = _el(
        "w:ind",
        {
            "w:firstLineChars": look.first_line_chars,
            "w:firstLine": int(look.first_line_chars / 100 * look.size * 20),
        },
    )
    if look.align:
        parts["w:jc"] = _el("w:jc", {"w:val": look.align})
    if look.outline is not None:
        parts["w:outlineLvl"] = _el("w:outlineLvl", {"w:val": look.outline})
    return parts


def _setup_styles(document, edition: str) -> None:
    styles = document.styles
    root = styles.element
    # docDefaults: explicit fonts, no theme fonts (which resolve to MS Mincho), zh-CN for East Asian text.
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    rpr.append(_el("w:rFonts", {"w:ascii": LATIN, "w:hAnsi": LATIN, "w:cs": LATIN, "w:eastAsia": SONG}))
    rpr.append(_el("w:sz", {"w:val": 22}))
    rpr.append(_el("w:szCs", {"w:val": 22}))
    rpr.append(_el("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"}))
    # Every other style that names theme fonts gets explicit ones.
    for rfonts in root.iter(qn("w:rFonts")):
        themed = [k for k in rfonts.attrib if k.endswith("Theme") or k.endswith("theme")]
        if themed:
            heading = any("major" in rfonts.get(k, "") for k in themed)
            for k in themed:
                del rfonts.attrib[k]
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                rfonts.set(qn(attr), LATIN)
            rfonts.set(qn("w:eastAsia"), HEI if heading else SONG)
    for name, look in _looks(edition).items():
        if name in _CUSTOM and name not in [s.name for s in styles]:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True
        style = styles[name]
        element = style.element
        for tag in ("w:pPr", "w:rPr"):
            old = element.find(qn(tag))
            if old is not None:
                element.remove(old)
        ppr = _ordered("w:pPr", _PPR_ORDER, _ppr_parts(look))
        if name in ("List Bullet", "List Number"):
            num_id = "1" if name == "List Bullet" else "2"
            numpr = _el("w:numPr", None, _el("w:numId", {"w:val": num_id}))
            ppr.insert(0, numpr)
            ind = ppr.find(qn("w:ind"))
            ind.set(qn("w:left"), "720")
            ind.set(qn("w:hanging"), "360")
            for attr in ("w:firstLine", "w:firstLineChars"):
                del ind.attrib[qn(attr)]
        element.append(ppr)
        element.append(_ordered("w:rPr", _RPR_ORDER, _rpr_parts(look, _CODE_FONT if name == "Code" else LATIN)))
    # Character styles linked to the rebuilt paragraph styles keep no colours.
    for color in root.iter(qn("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = _el("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


# -- content ------------------------------------------------------------------------


_ROLE_STYLE = {
    "title": "Title",
    "subtitle": "Subtitle",
    "byline": "Byline",
    "deck": "Heading Deck",
    "kicker": "Kicker",
    "caption": "Caption",
}


def _style_for(unit: Unit, piece: Piece, edition: str) -> str:
    if unit.kind == "code":
        return "Code"
    if unit.role == "heading":
        return f"Heading {min(max(unit.level, 1), 3)}"
    if unit.role in _ROLE_STYLE:
        return _ROLE_STYLE[unit.role]
    if unit.kind == "bullet":
        return "List Bullet"
    if unit.kind == "ordered":
        return "List Number"
    if unit.kind == "quote":
        return "Quote"
    if edition == "bilingual":
        return "Body Chinese" if piece.lang == "zh" else "Body English"
    return "Normal"


class _Writer:
    def __init__(self, document, spec: EditionSpec):
        self.document = document
        self.spec = spec
        self.body = document.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        self._style_ids = {s.name: s.style_id for s in document.styles}
        self._md = None
        self._paragraphs: dict = {}
        self.media: dict[str, ImageRef] = {}  # zip member → the photo whose bytes it gets
        self._image_rids: dict[str, str] = {}
        self._shapes = 0
        zh_rpr = _el("w:rPr", None, _el("w:rFonts", {"w:hint": "eastAsia"}))
        self._plain_run = {False: _el("w:r", None, _el("w:t")), True: _el("w:r", None, zh_rpr, _el("w:t"))}

    # runs
    def _inline(self, text: str):
        """(text, bold, italic, code, href) spans of inline Markdown."""
        if self.spec.markup != "md" or not any(c in text for c in "*_`[<\\&"):
            yield text, False, False, False, None
            return
        if self._md is None:
            from markdown_it import MarkdownIt

            self._md = MarkdownIt("commonmark")
        tokens = self._md.parseInline(text)
        bold = italic = 0
        href = None
        for tok in tokens[0].children if tokens else []:
            t = tok.type
            if t == "text" or t == "html_inline":
                yield tok.content, bold > 0, italic > 0, False, href
            elif t == "code_inline":
                yield tok.content, bold > 0, italic > 0, True, href
            elif t == "strong_open":
                bold += 1
            elif t == "strong_close":
                bold -= 1
            elif t == "em_open":
                italic += 1
            elif t == "em_close":
                italic -= 1
            elif t == "link_open":
                href = tok.attrs.get("href")
            elif t == "link_close":
                href = None
            elif t in ("softbreak", "hardbreak"):
                yield " ", False, False, False, href
            elif t == "image":
                yield tok.content or "", bold > 0, italic > 0, False, None

    def _run(self, text, piece: Piece, bold=False, italic=False, code=False, color=None, highlight=None):
        if not (bold or italic or code or color or highlight) and "\n" not in text:
            # The common case, cloned from a prototype: one C call instead of five elements.
            run = deepcopy(self._plain_run[piece.lang == "zh"])
            t = run[-1]
            t.text = text
            if text != text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            return run
        parts = {}
        if piece.lang == "zh":
            # Word sets shared punctuation (“”—…) full width only with the eastAsia hint.
            parts["w:rFonts"] = _el("w:rFonts", {"w:hint": "eastAsia"})
        if code:
            parts["w:rFonts"] = _el("w:rFonts", {"w:ascii": _CODE_FONT, "w:hAnsi": _CODE_FONT})
        if bold:
            parts["w:b"] = _el("w:b")
        if italic:
            parts["w:i"] = _el("w:i")
        if color:
            parts["w:color"] = _el("w:color", {"w:val": color})
        if highlight:
            parts["w:highlight"] = _el("w:highlight", {"w:val": highlight})
        run = _el("w:r", None, _ordered("w:rPr", _RPR_ORDER, parts) if parts else None)
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i:
                run.append(_el("w:br"))
            t = _el("w:t")
            t.text = line
            if line != line.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(t)
        return run

    def _paragraph_proto(self, style: str):
        proto = self._paragraphs.get(style)
        if proto is None:
            proto = self._paragraphs[style] = _el("w:p", None, _el("w:pPr", None,
                                                                   _el("w:pStyle", {"w:val": self._style_ids[style]})))
        return proto

    def paragraph(self, style: str, piece: Piece, extra_italic: bool = False):
        p = deepcopy(self._paragraph_proto(style))
        highlight = {"untranslated": "yellow", "fuzzy": "cyan"}.get(piece.mark or "")
        if piece.mark == "fuzzy":
            p.append(self._run("[fuzzy] ", Piece("", "en"), bold=True, color="C00000"))
        if style == "Code":
            p.append(self._run(piece.text, piece, code=True))
            return p
        for text, bold, italic, code, href in self._inline(piece.text):
            run = self._run(text, piece, bold, italic or extra_italic, code, highlight=highlight)
            if href:
                rid = self.document.part.relate_to(href, RT.HYPERLINK, is_external=True)
                run.insert(0, _el("w:rPr", None, _el("w:rStyle", {"w:val": self._hyperlink_style()})))
                if len(run) > 1 and run[1].tag == qn("w:rPr"):
                    run.remove(run[1])
                p.append(_el("w:hyperlink", {"r:id": rid}, run))
            else:
                p.append(run)
        return p

    def _hyperlink_style(self) -> str:
        if "Hyperlink" not in self._style_ids:
            style = self.document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
            style.element.append(_el("w:rPr", None, _el("w:color", {"w:val": "0563C1"}), _el("w:u", {"w:val": "single"})))
            self._style_ids["Hyperlink"] = style.style_id
        return self._style_ids["Hyperlink"]

    def add(self, element):
        self.sect_pr.addprevious(element)

    # photos
    def picture(self, image: ImageRef, alt: str, max_width: int = 0):
        """A ``Photo`` paragraph (kept with the caption after it) holding the
        photo at most ``max_width`` EMU wide, never beyond its own size at
        220 dpi, its aspect ratio kept; ``alt`` is its description."""
        natural = image.width * _EMU_PER_INCH // PHOTO_DPI
        cx = min(max_width or TEXT_WIDTH_EMU, natural)
        cy = cx * image.height // image.width
        self._shapes += 1
        inline = CT_Inline.new_pic_inline(self._shapes, self._image_part(image), f"photo{self._shapes}.{image.extension}",
                                          Emu(cx), Emu(cy))
        inline.docPr.set("descr", alt)
        p = deepcopy(self._paragraph_proto("Photo"))
        p.append(_el("w:r", None, _el("w:drawing", None, inline)))
        return p

    def _image_part(self, image: ImageRef) -> str:
        """The relationship ID of the photo's part, added once per photo; the
        part holds nothing yet: its bytes are streamed in when the file is written."""
        rid = self._image_rids.get(image.digest)
        if rid is None:
            partname = PackURI(f"/word/media/photo-{image.digest[:16]}.{image.extension}")
            part = Part(partname, image.content_type, b"", self.document.part.package)
            rid = self._image_rids[image.digest] = self.document.part.relate_to(part, RT.IMAGE)
            self.media[partname.membername] = image
        return rid

    # tables
    def table(self, rows: list[list[list]], header: list | None = None, widths_pct=(50, 50)):
        """A full-width table; each cell is a list of paragraphs."""
        total = 9026  # A4 text width in twips with 3.17 cm margins
        widths = [int(total * w / 100) for w in widths_pct]
        border = {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "BFBFBF"}
        tbl_pr = _el(
            "w:tblPr",
            None,
            _el("w:tblStyle", {"w:val": self._style_ids.get("Table Grid", "TableGrid")}),
            _el("w:tblW", {"w:w": 5000, "w:type": "pct"}),
            _el(
                "w:tblBorders",
                None,
                *(_el(f"w:{side}", border) for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
            ),
            _el("w:tblLayout", {"w:type": "fixed"}),
            _el("w:tblLook", {"w:val": "04A0", "w:firstRow": 1, "w:lastRow": 0, "w:firstColumn": 0,
                              "w:lastColumn": 0, "w:noHBand": 0, "w:noVBand": 1}),
        )
        grid = _el("w:tblGrid", None, *(_el("w:gridCol", {"w:w": w}) for w in widths))
        tbl = _el("w:tbl", None, tbl_pr, grid)
        all_rows = ([(header, True)] if header else []) + [(r, False) for r in rows]
        for cells, is_header in all_rows:
            tr_pr = _el("w:trPr", None, _el("w:tblHeader")) if is_header else None
            tr = _el("w:tr", None, tr_pr)
            for i, paragraphs in enumerate(cells):
                if len(cells) == 1 and len(widths) > 1:  # one cell across the row (a photo)
                    tc_pr = _el("w:tcPr", None, _el("w:tcW", {"w:w": sum(widths), "w:type": "dxa"}),
                                _el("w:gridSpan", {"w:val": len(widths)}))
                else:
                    tc_pr = _el("w:tcPr", None, _el("w:tcW", {"w:w": widths[i], "w:type": "dxa"}))
                tc = _el("w:tc", None, tc_pr)
                for p in paragraphs or [_el("w:p")]:
                    tc.append(p)
                tr.append(tc)
            tbl.append(tr)
        self.add(tbl)


def _page_setup(document, spec: EditionSpec) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.17)
    footer = section.footer.paragraphs[0]
    footer_p = footer._p
    footer_p.append(_el("w:pPr", None, _el("w:jc", {"w:val": "center"})))
    footer_p.append(_el("w:fldSimple", {"w:instr": " PAGE "}, _el("w:r", None, _el("w:t"))))
    footer_p.find(qn("w:fldSimple")).find(qn("w:r")).find(qn("w:t")).text = "1"
    if spec.draft_note:
        header_p = section.header.paragraphs[0]._p
        header_p.append(_el("w:pPr", None, _el("w:jc", {"w:val": "center"})))
        run = _el(
            "w:r",
            None,
            _el("w:rPr", None, _el("w:b"), _el("w:color", {"w:val": "C00000"})),
        )
        t = _el("w:t")
        t.text = spec.draft_note
        run.append(t)
        header_p.append(run)


def _metadata(document, spec: EditionSpec) -> None:
    cp = document.core_properties
    cp.title = spec.title
    cp.language = spec.language
    cp.author = spec.creator
    cp.last_modified_by = spec.creator
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""
    cp.category = ""
    cp.revision = 1
    cp.created = spec.date
    cp.modified = spec.date
    cp.last_printed = spec.date


def _group_tables(units: list[Unit]):
    """Yield units, with consecutive Markdown table cells grouped in a list."""
    table: list[Unit] = []
    for unit in units:
        if unit.kind == "table":
            table.append(unit)
            continue
        if table:
            yield table
            table = []
        yield unit
    if table:
        yield table


_EMU_PER_INCH = 914400
PHOTO_DPI = 220  # a photo is never set larger than its own size at this resolution
TEXT_WIDTH_EMU = int(Cm(21 - 2 * 3.17))  # A4 less the side margins


def _alt(unit: Unit) -> str:
    return " / ".join(p.text for p in unit.pieces if p.text)


def render_edition(spec: EditionSpec, progress=None, out=None) -> bytes | None:
    """Build one edition, reproducibly: written to the binary file ``out``,
    or returned as bytes.  Photos are streamed from their sources into the
    zip, never held whole."""
    document = docx.Document()
    _setup_styles(document, spec.edition)
    _page_setup(document, spec)
    _metadata(document, spec)
    writer = _Writer(document, spec)
    if spec.edition == "bilingual" and spec.layout == "table":
        _bilingual_table(writer, spec, progress)
    else:
        for item in _group_tables(spec.units):
            if isinstance(item, list):
                _md_table(writer, item, spec.edition)
            elif item.image is not None:  # once, in every edition, the alt text its description
                writer.add(writer.picture(item.image, _alt(item)))
            else:
                for piece in item.pieces:
                    writer.add(writer.paragraph(_style_for(item, piece, spec.edition), piece, _en_italic(item, piece, spec)))
            if progress:
                progress(len(item) if isinstance(item, list) else 1)
    return _reproducible(document, writer.media, out)


def _en_italic(unit: Unit, piece: Piece, spec: EditionSpec) -> bool:
    """English captions and bylines are italic; in the bilingual edition the
    style is shared with Chinese, so the runs carry it."""
    return spec.edition == "bilingual" and piece.lang == "en" and unit.role in ("caption", "byline")


def _md_table(writer: _Writer, cells: list[Unit], edition: str) -> None:
    rows: dict[int, dict[int, list]] = {}
    for unit in cells:
        row, col = unit.cell or (0, 0)
        rows.setdefault(row, {})[col] = [
            writer.paragraph("Body English" if p.lang == "en" else "Body Chinese", p) for p in unit.pieces
        ]
    ncols = max(max(r) for r in rows.values()) + 1
    table_rows = [[rows[r].get(c, []) for c in range(ncols)] for r in sorted(rows)]
    writer.table(table_rows[1:], header=table_rows[0], widths_pct=[100 / ncols] * ncols)


def _bilingual_table(writer: _Writer, spec: EditionSpec, progress) -> None:
    rows = []
    for unit in spec.units:
        if unit.role in ("title", "subtitle") and not rows:
            for piece in unit.pieces:
                writer.add(writer.paragraph(_style_for(unit, piece, "bilingual"), piece))
            continue
        if unit.image is not None:  # a photo spans both columns
            rows.append([[writer.picture(unit.image, _alt(unit), TEXT_WIDTH_EMU - 2 * 108 * 635)]])
            continue
        cells = []
        for piece in unit.pieces:
            cells.append([writer.paragraph(_style_for(unit, piece, "bilingual"), piece, _en_italic(unit, piece, spec))])
        while len(cells) < 2:
            cells.append([])
        rows.append(cells)
        if progress:
            progress(1)
    zh_head, en_head = spec.headers
    header = [[writer.paragraph("Body Chinese", Piece(zh_head, "zh"))], [writer.paragraph("Body English", Piece(en_head, "en"))]]
    for cell in header:
        ind = cell[0].find(qn("w:pPr"))
        ind.append(_el("w:jc", {"w:val": "center"}))
    writer.table(rows, header=header)


def _stream_photo(image: ImageRef, out) -> None:
    """Copy a photo's bytes from its file, or from the part of the Word source holding it."""
    import shutil

    if image.part:
        with zipfile.ZipFile(image.path) as source, source.open(image.part) as fh:
            shutil.copyfileobj(fh, out, 1 << 20)
    else:
        with open(image.path, "rb") as fh:
            shutil.copyfileobj(fh, out, 1 << 20)


def _reproducible(document, media: dict | None = None, out=None) -> bytes | None:
    """Save, then rewrite the zip with fixed entry dates and attributes; the
    photos' parts get their bytes here, streamed (stored: JPEG and PNG do
    not compress)."""
    raw = io.BytesIO()
    document.save(raw)
    media = media or {}
    target = out if out is not None else io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if item.filename in media else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            if item.filename in media:
                with dst.open(info, "w", force_zip64=True) as fh:
                    _stream_photo(media[item.filename], fh)
            else:
                dst.writestr(info, src.read(item.filename))
    return None if out is not None else target.getvalue()


# -- review tables (translator kits) ---------------------------------------------------

REVIEW_COLUMNS = ("ID", "中文", "English", "status", "comment")
MEMORY_COLUMN = "memory"  # written when the memory has suggestions; never read back


def render_review_table(title: str, rows: list[tuple[str, ...]], date: datetime, creator: str) -> bytes:
    """A Word table for translators and reviewers: one row per segment, and
    a sixth column with the memory's suggestion when any row has one."""
    document = docx.Document()
    _setup_styles(document, "bilingual")
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.5)
    _metadata(document, EditionSpec("bilingual", title, "zh-CN", creator, date))
    writer = _Writer(document, EditionSpec("bilingual", title, "zh-CN", creator, date, markup="txt"))
    writer.add(writer.paragraph("Title", Piece(title, "en")))
    note = (
        "Fill in the English column only. Keep the ID, 中文 and status columns as they are; "
        "write questions in the comment column. Return the file with 'bilingual submit'."
    )
    writer.add(writer.paragraph("Body English", Piece(note, "en")))
    with_memory = any(len(row) > len(REVIEW_COLUMNS) and row[len(REVIEW_COLUMNS)] for row in rows)
    columns = REVIEW_COLUMNS + ((MEMORY_COLUMN,) if with_memory else ())
    header = [[writer.paragraph("Body English", Piece(h, "zh" if h == "中文" else "en"))] for h in columns]
    table_rows = []
    for row in rows:
        cells = []
        for i, value in enumerate(row[:len(columns)]):
            lang = "zh" if i == 1 else "en"
            cells.append([writer.paragraph("Body English" if lang == "en" else "Body Chinese", Piece(value, lang))])
        table_rows.append(cells)
    writer.table(table_rows, header=header, widths_pct=(8, 28, 28, 7, 9, 20) if with_memory else (10, 37, 37, 8, 8))
    return _reproducible(document)


class WordFileError(ValueError):
    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


@dataclass
class ReviewTable:
    """A review table read back: the document title and one dict per row,
    keyed by the column headers, with ``row`` (its number) and ``notes``
    (the text of Word comments anchored in it)."""

    title: str
    rows: list[dict]
    tracked: int = 0  # cells that held tracked changes, read as accepted
    comments: int = 0  # comments taken as notes


# Text as Word shows it with every tracked change accepted: insertions and
# moved-to text kept, deletions and moved-from text dropped.
_VISIBLE = ("(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:br | .//w:r/w:cr | .//w:r/w:noBreakHyphen)"
            "[not(ancestor::w:del) and not(ancestor::w:moveFrom)]")
_TRACKED = ".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"
_PIECE = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _cell_text(tc) -> str:
    """A cell's paragraphs, one per line; a paragraph whose mark was deleted
    runs on into the next, as Word joins them when the change is accepted."""
    out = []
    for p in tc.iter(qn("w:p")):
        out.append("".join(node.text or "" if node.tag == qn("w:t") else _PIECE[node.tag] for node in p.xpath(_VISIBLE)))
        out.append("" if p.xpath("./w:pPr/w:rPr/w:del") else "\n")
    return "".join(out[:-1])


def _row_comments(document, tr) -> list[str]:
    ids = sorted({int(i) for i in tr.xpath(".//w:commentRangeStart/@w:id | .//w:commentReference/@w:id")})
    notes = []
    for comment_id in ids:
        comment = document.comments.get(comment_id)
        if comment is not None and comment.text.strip():
            notes.append(" ".join(comment.text.split()))
    return notes


#: Limits on a Word file from outside, checked before anything is inflated.
MAX_PACKAGE_BYTES = 1024 * 2**20  # every part inflated: photos included
MAX_XML_PART_BYTES = 256 * 2**20
MAX_RATIO = 200  # a part that inflates more than this (and past 1 MiB) is a zip bomb


def open_package(data: bytes):
    """A Word file as python-docx reads it, after checking what the zip
    declares: a broken zip, a zip bomb or a part too large is refused
    (``WordFileError``) before anything is inflated.  The zip reader
    never inflates a part beyond the size its directory declares."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WordFileError(f"not a readable Word file ({exc})") from None
    if sum(i.file_size for i in infos) > MAX_PACKAGE_BYTES:
        raise WordFileError(f"inflates to more than {MAX_PACKAGE_BYTES // 2**20} MiB: refused")
    for info in infos:
        big = info.file_size > 2**20
        if big and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WordFileError(f"part {info.filename} inflates {info.file_size // max(info.compress_size, 1)}-fold: "
                                   "a zip bomb, refused")
        if info.filename.endswith(".xml") and info.file_size > MAX_XML_PART_BYTES:
            raise WordFileError(f"part {info.filename} is larger than {MAX_XML_PART_BYTES // 2**20} MiB: refused")
    _no_doctype(data, infos)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a damaged package
        raise WordFileError(f"not a readable Word file ({type(exc).__name__}: {str(exc)[:80]})") from None


def _no_doctype(data: bytes, infos) -> None:
    """Word never writes a document type declaration; one in a part is a way
    to smuggle entities in (a bomb, an external file): refused."""
    import zipfile
    import zlib

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                try:
                    with package.open(info) as fh:
                        head = fh.read(4096)
                except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError) as exc:
                    raise WordFileError(f"part {info.filename} cannot be read ({exc})") from None
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise WordFileError(f"part {info.filename} declares a document type (entities): refused")


def read_review_table(data: bytes) -> ReviewTable:
    """The review table of a Word kit.

    Raises ``WordFileError`` when the file is not a Word document or its
    table does not have the expected columns in the expected order."""
    document = open_package(data)
    tables = document.tables
    if not tables:
        raise WordFileError("no table in the document")
    table = tables[0]
    header = [_cell_text(cell._tc).strip() for cell in table.rows[0].cells]
    if tuple(header[: len(REVIEW_COLUMNS)]) != REVIEW_COLUMNS:
        raise WordFileError(
            f"the table columns are {' | '.join(header)}; expected {' | '.join(REVIEW_COLUMNS)}", 1
        )
    result = ReviewTable(document.core_properties.title or "", [])
    for number, row in enumerate(table.rows[1:], start=2):
        tcs = [cell._tc for cell in row.cells]
        if len(tcs) < len(REVIEW_COLUMNS):
            raise WordFileError("row has too few cells", number)
        result.tracked += sum(bool(tc.xpath(_TRACKED)) for tc in tcs)
        notes = _row_comments(document, row._tr)
        result.comments += len(notes)
        result.rows.append({"row": number, **dict(zip(REVIEW_COLUMNS, map(_cell_text, tcs))), "notes": notes})
    return result
