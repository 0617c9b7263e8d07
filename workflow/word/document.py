"""The Word layer: the only module that uses python-docx.

It sets the editions (Chinese, English, bilingual) that an ``EditionSpec``
describes, with their photos, and the review table of a translator kit,
and reads review tables back.  Raw OOXML is
built in one small helper (``_el``) from python-docx's element factory; the
body is assembled by appending elements in order (python-docx's own
``add_paragraph`` searches for ``w:sectPr`` on every call, which is
quadratic on long documents).

May import: model, text, zipwrite, xmlsafe, typography.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import re
import zipfile
import zlib
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu, RGBColor
from lxml import etree

from workflow import __version__
from workflow.core.model import EditionSpec, ImageRef, Piece, Unit
from workflow.core.text import inline_markdown
from workflow.core.zipwrite import Deflated
from workflow.core.zipwrite import Writer as ZipWriter
from workflow.word import typography

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

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
_PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:widowControl",
    "w:numPr",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:jc",
    "w:outlineLvl",
)
_RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:color",
    "w:spacing",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:lang",
)


def _ordered(tag: str, order: tuple[str, ...], parts: dict):
    return _el(tag, None, *(parts[name] for name in order if name in parts))


# -- typography ---------------------------------------------------------------------

LATIN = "Times New Roman"
SONG, HEI, KAI = "SimSun", "SimHei", "KaiTi"  # English names: LibreOffice maps them to Noto CJK
#: Bold heads: SimHei has one weight, and Word fakes its bold by smearing it; Microsoft YaHei (every
#: Windows since Vista, Office for Mac) has a true bold, and the PDF sets Noto Sans CJK SC Bold.
BOLD_HEI = "Microsoft YaHei"


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
    line: int | None = None  # 240 = single (auto); with ``exact``, twentieths of a point
    exact: bool = False  # the line height is exactly ``line`` (Chinese body text: print leading)
    first_line_chars: int = 0  # 200 = two characters
    keep_next: bool = False  # kept with the next paragraph (heads, kickers, decks, the Chinese of a pair)
    keep_lines: bool = False  # never split across pages (heads)
    outline: int | None = None
    color: str = "000000"


class _Keeps(TypedDict):
    """Look's keep settings, passed as keywords to every head's look."""

    keep_next: bool
    keep_lines: bool


def _looks(edition: str, look: str = "reader") -> dict[str, Look]:
    """Style name → look for an edition (docx-spec §3–§5), in the reader or the newspaper look."""
    looks = _reader_looks(edition)
    if look == "newspaper":
        looks.update(_newspaper_looks(edition, looks))
    return looks


def _newspaper_looks(edition: str, reader: dict[str, Look]) -> dict[str, Look]:
    """The body in columns: Chinese 10.5 pt on 18 pt exact leading, English
    10 pt justified with a one-em first-line indent and no paragraph space."""
    zh = Look(size=NEWSPAPER_ZH_SIZE, align="both", line=360, exact=True, first_line_chars=200)
    en = Look(size=10, align="both", line=240, first_line_chars=100)
    out = {"Body Chinese": Look(**{**zh.__dict__, "after": 60}), "Body English": Look(**{**en.__dict__, "after": 200})}
    out["Normal"] = zh if edition == "zh" else en if edition == "en" else reader["Normal"]
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading Deck"):  # a head broken in a column: not stretched
        out[name] = Look(**{**reader[name].__dict__, "align": "left"})
    return out


def _reader_looks(edition: str) -> dict[str, Look]:
    # Chinese body: 12 pt SimSun on exactly 21 pt (1.75 times the type size, newspaper leading;
    # "1.5 lines" of a face with large ascent came out at about 2.1 times).
    zh_body = Look(size=12, align="both", line=420, exact=True, first_line_chars=200)
    en_body = Look(size=11, align="left", line=276, after=120)
    head: _Keeps = {"keep_next": True, "keep_lines": True}
    looks = {
        "Title": Look(BOLD_HEI, 22, bold=True, align="center", after=240, line=240, outline=0, **head),  # the PDF's H1
        "Subtitle": Look(KAI, 14, align="center", after=240, line=240, **head),
        "Heading 1": Look(
            BOLD_HEI, 16, bold=True, before=360, after=120, line=240, outline=1, **head
        ),  # under the title
        "Heading 2": Look(BOLD_HEI, 14, bold=True, before=240, after=120, line=240, outline=2, **head),
        "Heading 3": Look(BOLD_HEI, 12, bold=True, before=240, after=60, line=240, outline=3, **head),
        "Heading Deck": Look(HEI, 13, align="left", after=120, line=240, outline=9, **head),
        # 肩题: smaller than the head it leads into, not bold, set tight above it, kept with it
        "Kicker": Look(HEI, 11, align="left", before=240, after=0, line=240, **head),  # black: print sets no grey
        "Byline": Look(KAI, 12, align="center", after=240, line=240),
        "Caption": Look(KAI, 10, align="center", before=60, after=240, line=240, color="595959"),
        "Photo": Look(SONG, 12, align="center", before=240, after=60, line=240, keep_next=True),
        "Quote": Look(KAI, 12, align="both", line=300, after=120),
        "List Bullet": Look(SONG, 12, line=300, after=60),
        "List Number": Look(SONG, 12, line=300, after=60),
        "Code": Look(SONG, 9, line=240, after=120),
        # a bilingual pair: the Chinese kept with its English 3 pt below it; pairs 14 pt apart
        "Body Chinese": Look(**{**zh_body.__dict__, "keep_next": False}),
        "Body English": Look(size=11, align="left", line=276, before=60, after=280),
    }
    if edition == "zh":
        looks["Normal"] = zh_body
    elif edition == "en":
        looks["Normal"] = en_body
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            looks[name] = Look(**{**looks[name].__dict__, "align": "left"})
        looks["Title"] = Look(BOLD_HEI, 20, bold=True, align="left", after=200, line=240, outline=0, **head)
        looks["Subtitle"] = Look(KAI, 13, italic=True, align="left", after=200, line=240, **head)
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
    parts = {
        "w:widowControl": _el("w:widowControl"),  # no widows or orphans
        "w:snapToGrid": _el("w:snapToGrid", {"w:val": 0}),
    }  # Chinese lines on the leading, not a grid
    if look.keep_next:
        parts["w:keepNext"] = _el("w:keepNext")
    if look.keep_lines:  # heads: never split, never hyphenated
        parts["w:keepLines"] = _el("w:keepLines")
        parts["w:suppressAutoHyphens"] = _el("w:suppressAutoHyphens")
    spacing: dict[str, int | str] = {"w:before": look.before, "w:after": look.after}
    if look.line:
        spacing.update({"w:line": look.line, "w:lineRule": "exact" if look.exact else "auto"})
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


def _setup_styles(document, edition: str, language: str, page_look: str = "reader") -> None:
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
    # The document's language is the edition's: LibreOffice takes the PDF's /Lang from the default (Western) one.
    rpr.append(_el("w:lang", {"w:val": language, "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"}))
    _line_typography(defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")), document.settings.element)
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
    for name, look in _looks(edition, page_look).items():
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
        parts = _ppr_parts(look)
        if name in ("List Bullet", "List Number"):
            parts["w:numPr"] = _el("w:numPr", None, _el("w:numId", {"w:val": "1" if name == "List Bullet" else "2"}))
        ppr = _ordered("w:pPr", _PPR_ORDER, parts)
        if name in ("List Bullet", "List Number"):
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


def _line_typography(ppr, settings) -> None:
    """Chinese line typography for every paragraph: no hanging punctuation
    (a mark past the margin is not drawn by LibreOffice: the PDF loses it;
    ``pdf`` hands LibreOffice the flag the way it reads it), the line-start
    and line-end prohibitions (kinsoku, 避头尾) on, and punctuation
    compression (标点挤压) for the document."""
    for tag in ("w:kinsoku", "w:overflowPunct"):  # schema order: kinsoku, wordWrap, overflowPunct, …, spacing
        old = ppr.find(qn(tag))
        if old is not None:
            ppr.remove(old)
    ppr.insert(0, _el("w:overflowPunct", {"w:val": 0}))
    ppr.insert(0, _el("w:kinsoku", {"w:val": 1}))
    control = settings.find(qn("w:characterSpacingControl"))
    control.set(qn("w:val"), "compressPunctuation")
    for tag in ("w:noLineBreaksAfter", "w:noLineBreaksBefore"):  # schema order: right after it
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    control.addnext(_el("w:noLineBreaksBefore", {"w:lang": typography.LANGUAGE, "w:val": typography.NO_LINE_START}))
    control.addnext(_el("w:noLineBreaksAfter", {"w:lang": typography.LANGUAGE, "w:val": typography.NO_LINE_END}))


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
    """One document's body, with the relationships (links, photos) it adds.

    The body is never held whole: each paragraph or table row is serialized
    as it is added and fed to the compressor of ``word/document.xml``, so a
    book-length article costs the memory of its compressed text."""

    def __init__(self, template: _Template, spec: EditionSpec):
        self.template = template
        self.spec = spec
        self.document = _Stream(template)
        self.counts = {"Words": 0, "Characters": 0, "Paragraphs": 0, "CharactersWithSpaces": 0}
        self._style_ids = template.style_ids
        self.measure = TEXT_WIDTH_TWIPS / 20  # points: the width the paragraphs made next are set in
        #: The newspaper look's column (EMU; 0: the reader look's full measure).
        self.column_emu = 0
        self._head_ids = {template.style_ids[name] for name in _HEAD_STYLES if name in template.style_ids}
        self._md: MarkdownIt | None = None  # made on the first inline Markdown
        self._paragraphs: dict = {}
        self.media: dict[str, ImageRef] = {}  # zip member → the photo whose bytes it gets
        self.rels: list[tuple[str, str, str, bool]] = []  # (ID, type, target, external)
        self._image_rids: dict[str, str] = {}
        self._shapes = 0
        zh_rpr = _el("w:rPr", None, _el("w:rFonts", {"w:hint": "eastAsia"}))
        #: The language of the text that is not Chinese, when it is not the document's (bilingual: English).
        self._other_lang = spec.other_language if spec.edition == "bilingual" else None
        other_rpr = _el("w:rPr", None, _el("w:lang", {"w:val": self._other_lang})) if self._other_lang else None
        self._plain_run = {False: _el("w:r", None, other_rpr, _el("w:t")), True: _el("w:r", None, zh_rpr, _el("w:t"))}

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
        for tok in (tokens[0].children or []) if tokens else []:
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
        if piece.lang != "zh" and self._other_lang:
            parts["w:lang"] = _el("w:lang", {"w:val": self._other_lang})
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
            proto = self._paragraphs[style] = _el(
                "w:p", None, _el("w:pPr", None, _el("w:pStyle", {"w:val": self._style_ids[style]}))
            )
        return proto

    def paragraph(self, style: str, piece: Piece, extra_italic: bool = False):
        if piece.lang == "zh" and style in _HEAD_SIZES:
            piece = Piece(_balanced_head(piece.text, int(self.measure // _HEAD_SIZES[style])), piece.lang, piece.mark)
        p = deepcopy(self._paragraph_proto(style))
        highlight = {"untranslated": "yellow", "fuzzy": "cyan"}.get(piece.mark or "")
        if piece.mark == "fuzzy":
            p.append(self._run("[fuzzy] ", Piece("", "en"), bold=True, color="C00000"))
        if style == "Code":
            p.append(self._run(piece.text, piece, code=True))
            return p
        for number, line in enumerate(piece.text.split("\n")):  # a line break inside (a caption's credit)
            if number:
                p.append(_el("w:r", None, _el("w:br")))
            for text, bold, italic, code, href in self._inline(line):
                run = self._run(text, piece, bold, italic or extra_italic, code, highlight=highlight)
                if href:
                    rid = self.relate(RT.HYPERLINK, href, external=True)
                    rpr = run.find(qn("w:rPr"))
                    if rpr is None:
                        rpr = _el("w:rPr")
                        run.insert(0, rpr)
                    rpr.insert(0, _el("w:rStyle", {"w:val": self._style_ids["Hyperlink"]}))
                    p.append(_el("w:hyperlink", {"r:id": rid}, run))
                else:
                    p.append(run)
        return p

    def relate(self, reltype: str, target: str, external: bool = False) -> str:
        """A new relationship of the document part; its ID."""
        rid = f"rId{self.template.next_rid + len(self.rels)}"
        self.rels.append((rid, reltype, target, external))
        return rid

    def add(self, element, closing: bool = False):
        """Append a paragraph or table to the body (``closing``: the element's
        end tag is left off, for rows to follow; ``close`` writes it)."""
        for name, value in _counts(element).items():
            self.counts[name] += value
        data = self.document.strip(etree.tostring(element))
        self.document.feed(data[: data.rindex(b"</")] if closing else data)

    def end_spanning_section(self) -> None:
        """End the one-column section of the head (title, deck) in the last
        paragraph added, and set what follows in the body's columns."""
        sect = etree.fromstring(self.template.document).find(f"{qn('w:body')}/{qn('w:sectPr')}")
        columns = sect.find(qn("w:cols"))
        width = int(columns.find(qn("w:col")).get(qn("w:w")))
        for child in list(sect):
            if child.tag == qn("w:type"):
                sect.remove(child)
        sect.replace(columns, _el("w:cols", {"w:space": 0}))
        # a paragraph of 1 pt holds the section's end: nothing to see between the head and the columns
        self.add(
            _el(
                "w:p",
                None,
                _el(
                    "w:pPr",
                    None,
                    _el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20, "w:lineRule": "exact"}),
                    sect,
                ),
            )
        )
        self.column_emu = width * 635
        self.measure = width / 20

    def close(self, tag: str) -> None:
        self.document.feed(f"</{tag}>".encode())

    # photos
    def picture(self, image: ImageRef, alt: str, max_width: int = 0):
        """A ``Photo`` paragraph (kept with the caption after it) holding the
        photo at the width ``photo_width`` gives, its aspect ratio kept;
        ``alt`` is its description."""
        cx = photo_width(image, max_width)
        cy = cx * image.height // image.width
        self._shapes += 1
        inline = CT_Inline.new_pic_inline(
            self._shapes, self._image_part(image), f"photo{self._shapes}.{image.extension}", Emu(cx), Emu(cy)
        )
        inline.docPr.set("descr", alt)
        p = deepcopy(self._paragraph_proto("Photo"))
        p.append(_el("w:r", None, _el("w:drawing", None, inline)))
        return p

    def photo(self, image: ImageRef, alt: str, max_width: int = 0):
        """The photo, or where it is not available (a draft) a placeholder
        frame the width of the measure saying so."""
        if image.available:
            return self.picture(image, alt, max_width)
        p = deepcopy(self._paragraph_proto("Photo"))
        rule = {"w:val": "single", "w:sz": 12, "w:space": 24, "w:color": "C00000"}
        sides = [_el(f"w:{side}", rule) for side in ("top", "left", "bottom", "right")]
        p.find(qn("w:pPr")).append(_el("w:pBdr", None, *sides))
        label = f"照片缺失 PHOTO MISSING — {image.missing}" + (f"\n{alt}" if alt else "")
        p.append(self._run(label, Piece(label, "zh"), bold=True, color="C00000"))
        return p

    def _image_part(self, image: ImageRef) -> str:
        """The relationship ID of the photo's part, added once per photo; the
        part holds nothing yet: its bytes are streamed in when the file is written."""
        rid = self._image_rids.get(image.digest)
        if rid is None:
            name = f"media/photo-{image.digest[:16]}.{image.extension}"
            rid = self._image_rids[image.digest] = self.relate(RT.IMAGE, name)
            self.media[f"word/{name}"] = image
        return rid

    # tables
    def table(
        self, rows, header: list | None = None, widths_pct=(50, 50), width: int | None = None, grid: bool = False
    ):
        """A table exactly ``width`` twips wide (the text width), each cell a
        list of paragraphs set without spacing; the header row repeats on
        every page.  Light horizontal rules between rows, as bilingual papers
        set parallel text, or a full ``grid`` (a review form)."""
        total = width or TEXT_WIDTH_TWIPS
        widths = [int(total * w / 100) for w in widths_pct[:-1]]
        widths.append(total - sum(widths))  # the last column takes the rounding: the grid sums to the width
        rule = {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "BFBFBF"}
        sides = {
            side: rule if grid or side in ("top", "bottom", "insideH") else {"w:val": "nil"}
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        }
        margins = {"top": 57, "left": 108, "bottom": 57, "right": 108}  # 1 mm above and below, Word's sides
        tbl_pr = _el(
            "w:tblPr",
            None,
            _el("w:tblW", {"w:w": total, "w:type": "dxa"}),
            _el("w:tblBorders", None, *(_el(f"w:{side}", attrs) for side, attrs in sides.items())),
            _el("w:tblLayout", {"w:type": "fixed"}),
            _el("w:tblCellMar", None, *(_el(f"w:{side}", {"w:w": w, "w:type": "dxa"}) for side, w in margins.items())),
            # the header row, no banded columns; the bit mask alone: Office 2007's schema has no other attributes
            _el("w:tblLook", {"w:val": "0420"}),
        )
        grid_el = _el("w:tblGrid", None, *(_el("w:gridCol", {"w:w": w}) for w in widths))
        self.add(_el("w:tbl", None, tbl_pr, grid_el), closing=True)  # rows are added one by one: never the whole table
        all_rows = itertools.chain([(header, True)] if header else [], ((r, False) for r in rows))
        for cells, is_header in all_rows:
            tr = _el("w:tr", None, _row_properties(cells, is_header, widths))
            keep = not is_header and _holds_a_head(cells, self._head_ids)
            for i, paragraphs in enumerate(cells):
                if len(cells) == 1 and len(widths) > 1:  # one cell across the row (a photo)
                    tc_pr = _el(
                        "w:tcPr",
                        None,
                        _el("w:tcW", {"w:w": total, "w:type": "dxa"}),
                        _el("w:gridSpan", {"w:val": len(widths)}),
                    )
                else:
                    tc_pr = _el("w:tcPr", None, _el("w:tcW", {"w:w": widths[i], "w:type": "dxa"}))
                tc = _el("w:tc", None, tc_pr)
                for p in paragraphs or [_el("w:p")]:
                    if p.find(qn("w:pPr")) is not None:  # only a head's row keeps with the next row: pairs
                        # kept together would chain every row and push the table off the page
                        _direct(p, keep_next=keep, before=0, after=0, flush=is_header, center=is_header)
                    tc.append(p)
                tr.append(tc)
            self.add(tr)
        self.close("w:tbl")


#: A bilingual pair whose Chinese takes at most this many lines is kept on one page.
KEPT_PAIR_LINES = 3
#: A row of at most this many lines (its longest cell) is never split across pages: a split leaves a
#: widow or an orphan, LibreOffice honouring no widow control inside a split row.
SHORT_ROW_LINES = 12
_HEAD_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Kicker", "Heading Deck", "Photo")


def _row_properties(cells, is_header: bool, widths: list[int]):
    """A header row repeats on each page; it and every short row never split."""
    if is_header:
        return _el("w:trPr", None, _el("w:cantSplit"), _el("w:tblHeader"))
    width = {len(cells): widths}.get(len(widths), [sum(widths)])
    lines = max((sum(_estimated_lines(p, w) for p in paragraphs) for paragraphs, w in zip(cells, width)), default=0)
    return _el("w:trPr", None, _el("w:cantSplit")) if lines <= SHORT_ROW_LINES else None


def _estimated_lines(p, width_twips: int) -> int:
    """About how many lines a cell's paragraph takes: a Chinese character an
    em of 12 pt, any other character half of 11 pt, in the cell's measure."""
    text = etree.tostring(p, method="text", encoding="unicode")
    measure = max(width_twips / 20 - 2 * 5.4, 1)
    lines = 0
    for part in text.split("\n") or [""]:
        points = sum(12 if ord(c) >= 0x2E80 else 5.5 for c in part)
        lines += max(1, -int(-points // measure))
    return lines


def _holds_a_head(cells, head_ids: set[str]) -> bool:
    """Does a cell of this row hold a head, a kicker, a deck or a photo (kept with the row after it)?"""
    styles = (p.find(_PSTYLE) for paragraphs in cells for p in paragraphs)
    return any(style is not None and style.get(qn("w:val")) in head_ids for style in styles)


#: The Chinese heads' type sizes (points), to count the characters a line of them holds.
_HEAD_SIZES = {"Title": 22, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12, "Heading Deck": 13}


def _balanced_head(text: str, per_line: int) -> str:
    """A Chinese head that would leave one or two characters alone on its
    last line, broken where a reader expects: at the space between its two
    phrases (聚力新质生产力 布局全球新版图), else in the middle (never
    before a mark that may not start a line)."""
    if per_line <= 0 or len(text) <= per_line or "\n" in text or len(text) > 2 * per_line:
        return text
    if " " in text.strip():
        first, _, second = text.strip().partition(" ")
        if len(first) <= per_line and len(second.strip()) <= per_line:
            return f"{first}\n{second.strip()}"
    if len(text) % per_line > 2:
        return text  # its last line holds three characters or more: as it comes
    middle = (len(text) + 1) // 2
    while middle < len(text) and text[middle] in typography.NO_LINE_START:
        middle += 1
    return f"{text[:middle]}\n{text[middle:]}"


def _merge_ppr(p, *elements) -> None:
    """Set paragraph properties over those a paragraph has, in schema order."""
    ppr = p.find(qn("w:pPr"))
    parts = {child.tag: child for child in ppr}
    parts.update({element.tag: element for element in elements})
    p.replace(ppr, _el("w:pPr", None, *(parts[_clark(name)] for name in _PPR_ORDER if _clark(name) in parts)))


def _direct(
    p,
    *,
    keep_next: bool | None = None,
    before: int | None = None,
    after: int | None = None,
    flush: bool = False,
    center: bool = False,
) -> None:
    """Direct formatting over a paragraph's style: kept with the next one
    (``keep_next``; False: not, whatever the style says), spacing before or
    after, no first-line indent (``flush``), centred."""
    ppr = p.find(qn("w:pPr"))
    parts = {"w:pStyle": ppr.find(qn("w:pStyle"))}
    if keep_next is not None:
        parts["w:keepNext"] = _el("w:keepNext", None if keep_next else {"w:val": 0})
        parts["w:keepLines"] = _el("w:keepLines", None if keep_next else {"w:val": 0})
    spacing = {key: value for key, value in (("w:before", before), ("w:after", after)) if value is not None}
    if spacing:
        parts["w:spacing"] = _el("w:spacing", spacing)
    if flush:
        parts["w:ind"] = _el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0})
    if center:
        parts["w:jc"] = _el("w:jc", {"w:val": "center"})
    p.replace(ppr, _ordered("w:pPr", _PPR_ORDER, parts))


def _page_setup(document, draft: bool, landscape: bool = False, furniture: bool = False) -> None:
    """A4 (landscape for review tables), margins, page numbers in the footer,
    for drafts a red header and with ``furniture`` a running head (paper,
    date and section at the left, the article's short title at the right,
    over a rule), whose texts each document fills in."""
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.left_margin = section.right_margin = Cm(1.5)
    else:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(3.17)
    section.top_margin = section.bottom_margin = Cm(2.54)
    footer = section.footer.paragraphs[0]  # already styled "Footer": one w:pPr, centred through it
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(_el("w:fldSimple", {"w:instr": " PAGE "}, _el("w:r", None, _el("w:t"))))
    footer._p.find(qn("w:fldSimple")).find(qn("w:r")).find(qn("w:t")).text = "1"
    _merge_ppr(footer._p, _el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0}))  # Normal's indent: not here
    if draft:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(_NOTE_MARK)
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0, 0)
    if furniture:
        _running_head(
            section.header, draft, int(section.page_width - section.left_margin - section.right_margin) // 635
        )


def _running_head(header, draft: bool, width: int) -> None:
    """One line over a hairline: the left and right texts (marks a document
    replaces), the right one on a right tab at the edge of the measure."""
    p = header.add_paragraph() if draft else header.paragraphs[0]
    p._p.get_or_add_pPr()
    rule = {"w:val": "single", "w:sz": 4, "w:space": 1, "w:color": "000000"}
    tabs = [_el("w:tab", {"w:val": "clear", "w:pos": pos}) for pos in (4680, 9360)]  # the Header style's own
    _merge_ppr(
        p._p,
        _el("w:pBdr", None, _el("w:bottom", rule)),
        _el("w:tabs", None, *tabs, _el("w:tab", {"w:val": "right", "w:pos": width})),
        _el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0}),
    )
    p._p.append(_el("w:r", None, _el("w:rPr", None, _el("w:sz", {"w:val": 18})), _el("w:t")))
    p._p[-1][-1].text = _LEFT_MARK
    p._p.append(_el("w:r", None, _el("w:rPr", None, _el("w:sz", {"w:val": 18})), _el("w:tab"), _el("w:t")))
    p._p[-1][-1].text = _RIGHT_MARK


_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC, _DCTERMS = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _core_properties(spec: EditionSpec) -> bytes:
    """``docProps/core.xml``: title, language, the reporter as creator (the
    publisher without a byline), the section as subject, and the edition's
    fixed date in every date field."""
    root = etree.Element(
        f"{{{_CP}}}coreProperties",
        nsmap={"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "dcmitype": "http://purl.org/dc/dcmitype/", "xsi": _XSI},
    )
    when = spec.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    values = [
        (_DC, "title", spec.title),
        (_DC, "creator", spec.author or spec.creator),
        *([(_DC, "subject", spec.subject)] if spec.subject else []),
        (_CP, "lastModifiedBy", spec.creator),
        (_CP, "revision", "1"),
        (_CP, "lastPrinted", when),
        (_DCTERMS, "created", when),
        (_DCTERMS, "modified", when),
        (_DC, "language", spec.language),
    ]
    for ns, name, value in values:
        element = etree.SubElement(root, f"{{{ns}}}{name}")
        element.text = value
        if ns == _DCTERMS:
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    return _xml_bytes(root)


# -- the package: no template leftovers -------------------------------------------------

_TEMPLATE_LEFTOVERS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",  # Word 2010's copy of styles.xml
    RT.CUSTOM_XML,  # the template's bibliography sources
)


def _clean_package(document, edition: str) -> None:
    """Drop the template's parts that would contradict the document: its
    second copy of the styles (out of step with ours, which Word reports as
    unreadable content), its bibliography store and its blank thumbnail;
    allow English hyphenation."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in _TEMPLATE_LEFTOVERS:
            part.drop_rel(rid)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rid)
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:autoHyphenation"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    if edition != "zh":  # English lines break at hyphenation points; Chinese never hyphenates
        settings.find(qn("w:defaultTabStop")).addnext(_el("w:autoHyphenation"))


#: The fonts the editions name (docx-spec §2), as Word itself declares them: the
#: Chinese faces with their Chinese names and the GB2312 character set, so that a
#: machine without them substitutes a Song, Hei or Kai face, not a Latin one.
_FONTS = (
    # name, altName, panose, charset, family, pitch, usb0, usb1, usb2, csb0
    (LATIN, None, "02020603050405020304", "00", "roman", "variable", "E0002EFF", "C000785B", "00000009", "000001FF"),
    (SONG, "宋体", "02010600030101010101", "86", "auto", "variable", "00000003", "288F0000", "00000016", "00040001"),
    (HEI, "黑体", "02010609060101010101", "86", "modern", "fixed", "800002BF", "38CF7CFA", "00000016", "00040001"),
    (KAI, "楷体", "02010609060101010101", "86", "modern", "fixed", "800002BF", "38CF7CFA", "00000016", "00040001"),
    (
        BOLD_HEI,
        "微软雅黑",
        "020B0503020204020204",
        "86",
        "swiss",
        "variable",
        "80000287",
        "2ACF3C50",
        "00000016",
        "0004001F",
    ),
    (
        "Courier New",
        None,
        "02070309020205020404",
        "00",
        "modern",
        "fixed",
        "E0002AFF",
        "C0007843",
        "00000009",
        "000001FF",
    ),
    ("Symbol", None, "05050102010706020507", "02", "roman", "variable", "00000000", "10000000", "00000000", "80000000"),
)


def _font_table() -> bytes:
    fonts = _el("w:fonts")
    for name, alt, panose, charset, family, pitch, usb0, usb1, usb2, csb0 in _FONTS:
        font = _el(
            "w:font",
            {"w:name": name},
            _el("w:altName", {"w:val": alt}) if alt else None,
            _el("w:panose1", {"w:val": panose}),
            _el("w:charset", {"w:val": charset}),
            _el("w:family", {"w:val": family}),
            _el("w:pitch", {"w:val": pitch}),
            _el(
                "w:sig",
                {
                    "w:usb0": usb0,
                    "w:usb1": usb1,
                    "w:usb2": usb2,
                    "w:usb3": "00000000",
                    "w:csb0": csb0,
                    "w:csb1": "00000000",
                },
            ),
        )
        fonts.append(font)
    return _xml_bytes(fonts)


def _xml_bytes(element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


_W_P = qn("w:p")
_PSTYLE = f"{qn('w:pPr')}/{qn('w:pStyle')}"
_WORD_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def _counts(element) -> dict[str, int]:
    """Word's statistics of an element's paragraphs: every Chinese character a
    word, and every other run of letters and digits between spaces one word."""
    paragraphs = [element] if element.tag == _W_P else element.iter(_W_P)
    texts = [
        text for text in (etree.tostring(p, method="text", encoding="unicode") for p in paragraphs) if text.strip()
    ]  # the text serializer in C, not a loop over runs
    whole = "\n".join(texts)  # no word spans a paragraph break: one pass in C
    return {
        "Words": len(_WORD_RE.findall(whole)),
        "Characters": len("".join(whole.split())),
        "Paragraphs": len(texts),
        "CharactersWithSpaces": len(whole) - len(texts) + 1 if texts else 0,
    }


_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _app_properties(counts: dict[str, int], version: str) -> bytes:
    """``docProps/app.xml``: this tool and the document's real counts."""
    major, minor = (version.split(".") + ["0"])[:2]
    root = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED})
    values = {
        "Application": "bilingual",
        "DocSecurity": 0,
        **counts,
        "ScaleCrop": "false",
        "LinksUpToDate": "false",
        "SharedDoc": "false",
        "HyperlinksChanged": "false",
        "AppVersion": f"{int(major):02d}.{int(minor):04d}",
    }
    for name, value in values.items():
        etree.SubElement(root, f"{{{_EXTENDED}}}{name}").text = str(value)
    return _xml_bytes(root)


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
TEXT_WIDTH_TWIPS = TEXT_WIDTH_EMU // 635  # 8311


def photo_width(image: ImageRef, max_width: int = 0) -> int:
    """A photo's width (EMU): the size its source placed it at (a Word
    source's, Markdown's ``{width=8cm}``), else its own size at 220 dpi;
    never wider than the measure (``max_width``, default the text width)."""
    measure = max_width or TEXT_WIDTH_EMU
    return min(measure, image.placed or image.width * _EMU_PER_INCH // PHOTO_DPI)


def effective_ppi(image: ImageRef, max_width: int = 0) -> float:
    """The resolution a photo prints at (pixels per inch of its printed width)."""
    return image.width * _EMU_PER_INCH / max(photo_width(image, max_width), 1)


def _alt(unit: Unit) -> str:
    return " / ".join(p.text for p in unit.pieces if p.text)


def render_edition(spec: EditionSpec, progress=None, out=None) -> bytes | None:
    """Build one edition, reproducibly: written to the binary file ``out``,
    or returned as bytes.  Photos are streamed from their sources into the
    zip, never held whole."""
    newspaper = spec.look == "newspaper" and not (spec.edition == "bilingual" and spec.layout == "table")
    writer = _Writer(
        _template(
            spec.edition,
            bool(spec.draft_note),
            language=spec.language,
            furniture=spec.furniture is not None,
            look="newspaper" if newspaper else "reader",
        ),
        spec,
    )
    if spec.edition == "bilingual" and spec.layout == "table":
        _bilingual_table(writer, spec, progress)
    else:
        previous = None
        spanning = _spanning(spec.units) if newspaper else 0
        for number, item in enumerate(_group_tables(spec.units)):
            if newspaper and number == spanning:  # the head's section ends: the body goes in columns
                writer.end_spanning_section()
            if isinstance(item, list):
                _md_table(writer, item, spec.edition)
            elif item.image is not None:  # once, in every edition, the alt text its description
                writer.add(writer.photo(item.image, _alt(item), writer.column_emu if number >= spanning else 0))
            elif item.kind == "pagebreak":
                writer.add(_el("w:p", None, _el("w:r", None, _el("w:br", {"w:type": "page"}))))
            else:
                for paragraph in _unit_paragraphs(writer, item, spec, previous):
                    writer.add(paragraph)
            previous = item
            if progress:
                progress(len(item) if isinstance(item, list) else 1)
    if out is not None:
        _write_package(writer, out)
        return None
    return _package_bytes(writer)


def _unit_paragraphs(writer: _Writer, unit: Unit, spec: EditionSpec, previous) -> list:
    """A unit's paragraphs.  A head directly under its kicker is set tight to
    it; in the alternating bilingual edition the two paragraphs of a pair are
    set tight, the Chinese kept with its English (body pairs get the spacing
    from their styles, Body Chinese and Body English).  A body pair whose
    Chinese is longer than a few lines may break between its two paragraphs:
    moving it whole to the next page left holes of up to seven lines."""
    paragraphs = [
        writer.paragraph(_style_for(unit, piece, spec.edition), piece, _en_italic(unit, piece, spec))
        for piece in unit.pieces
    ]
    under_kicker = unit.role == "heading" and isinstance(previous, Unit) and previous.role == "kicker"
    body = _style_for(unit, unit.pieces[0], spec.edition) == "Body Chinese"
    if body and len(paragraphs) == 2 and _estimated_lines(paragraphs[0], TEXT_WIDTH_TWIPS + 216) <= KEPT_PAIR_LINES:
        _direct(paragraphs[0], keep_next=True)
    pair = len(paragraphs) == 2 and not body
    if paragraphs and (pair or under_kicker):
        _direct(
            paragraphs[0],
            keep_next=True if pair else None,
            before=0 if under_kicker else None,
            after=0 if pair else None,
        )
    if pair:
        _direct(paragraphs[1], before=0)
    if unit.depth > 1 and unit.kind in ("bullet", "ordered"):  # a nested list: each level half an inch further in
        for p in paragraphs:
            _merge_ppr(p, _el("w:ind", {"w:left": 720 * unit.depth, "w:hanging": 360}))
    photo = previous.image if isinstance(previous, Unit) and previous.image is not None else None
    if unit.role == "caption" and photo is not None and photo.available:  # as wide as its photo
        side = (TEXT_WIDTH_EMU - photo_width(photo)) // 2 // 635
        for p in paragraphs if side > 0 else []:
            _merge_ppr(p, _el("w:ind", {"w:left": side, "w:right": side, "w:firstLine": 0, "w:firstLineChars": 0}))
    return paragraphs


def _en_italic(unit: Unit, piece: Piece, spec: EditionSpec) -> bool:
    """English captions, bylines and subtitles are italic; in the bilingual
    edition the style is shared with Chinese, so the runs carry it."""
    return spec.edition == "bilingual" and piece.lang == "en" and unit.role in ("caption", "byline", "subtitle")


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
    """Title and subtitle full width, then one row per unit, set as it is made."""
    units = spec.units
    lead = next((i for i, u in enumerate(units) if u.role not in ("title", "subtitle")), len(units))
    for unit in units[:lead]:
        for paragraph in _unit_paragraphs(writer, unit, spec, None):
            writer.add(paragraph)
    writer.measure = TEXT_WIDTH_TWIPS / 40 - 2 * 5.4  # a column less its cell margins
    zh_head, en_head = spec.headers
    header = [
        [writer.paragraph("Body Chinese", Piece(zh_head, "zh"))],
        [writer.paragraph("Body English", Piece(en_head, "en"))],
    ]
    writer.table(_bilingual_rows(writer, spec, units[lead:], progress), header=header)


def _bilingual_rows(writer: _Writer, spec: EditionSpec, units: list[Unit], progress):
    for unit in units:
        if unit.kind == "pagebreak":
            continue  # the table layout runs on: a page break has no row of its own
        if unit.image is not None:  # a photo spans both columns
            yield [[writer.photo(unit.image, _alt(unit), TEXT_WIDTH_EMU - 2 * 108 * 635)]]
            continue
        cells = [
            [writer.paragraph(_style_for(unit, piece, "bilingual"), piece, _en_italic(unit, piece, spec))]
            for piece in unit.pieces
        ]
        while len(cells) < 2:
            cells.append([])
        yield cells
        if progress:
            progress(1)


def _stream_photo(image: ImageRef, write) -> None:
    """Copy a photo's bytes to ``write``, a megabyte at a time, from its file
    or from the part of the Word source holding it."""
    with contextlib.ExitStack() as stack:
        if image.part:
            fh = stack.enter_context(stack.enter_context(zipfile.ZipFile(image.path)).open(image.part))
        else:
            fh = stack.enter_context(open(image.path, "rb"))
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            write(chunk)


# -- the package, written once ----------------------------------------------------------

_NOTE_MARK = "BILINGUAL-DRAFT-NOTE"  # the draft header's text in a template, replaced per document
_LEFT_MARK, _RIGHT_MARK = "BILINGUAL-HEAD-LEFT", "BILINGUAL-HEAD-RIGHT"  # the running head's, likewise
_PER_DOCUMENT = {
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "[Content_Types].xml",
    "docProps/core.xml",
    "docProps/app.xml",
}
_TEMPLATES: dict[tuple, _Template] = {}


@dataclass
class _Template:
    """An empty, styled package, built once per process and edition kind:
    every part but the body's content, its relationships and the document
    properties, which each document writes."""

    members: list[
        tuple[str, bytes, Deflated | None]
    ]  # the parts in package order; the same in every document: compressed
    document: bytes  # document.xml with an empty body (its section properties only)
    style_ids: dict[str, str]
    next_rid: int  # the first relationship ID free for a document's links and photos
    header: str | None  # the header part, holding _NOTE_MARK (a draft) and the running head's marks


class _Stream:
    """``word/document.xml`` compressed as it is written: the template's
    document up to its body, the elements fed in, then the section
    properties and end tags."""

    def __init__(self, template: _Template):
        head, _, self.tail = template.document.partition(b"<w:body>")
        # Namespaces the document element declares are not repeated on each paragraph.
        declared = re.findall(rb' xmlns:\w+="[^"]*"', head)
        self._declared = re.compile(b"|".join(re.escape(d) for d in declared))
        self._packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        self._pieces: list[bytes] = []
        self._crc = self._size = 0
        self.feed(head + b"<w:body>")

    def strip(self, data: bytes) -> bytes:
        return self._declared.sub(b"", data)

    def feed(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._pieces.append(self._packer.compress(data))

    def finish(self) -> Deflated:
        self.feed(self.tail)
        self._pieces.append(self._packer.flush())
        return Deflated(b"".join(self._pieces), self._crc, self._size)


#: The newspaper look: (columns, characters of Chinese body type a column holds) per edition; the
#: columns share the measure, the rest of it between them.  12 characters of 10.5 pt in three columns
#: for Chinese; two columns of 19 (about 43 characters of 10 pt Times) for English and bilingual.
NEWSPAPER_COLUMNS = {"zh": (3, 12), "en": (2, 19), "bilingual": (2, 19)}
NEWSPAPER_ZH_SIZE = 10.5


def _columns(sect, edition: str) -> None:
    """The body section in the newspaper look's columns, starting on the
    same page as the head's section above it."""
    count, chars = NEWSPAPER_COLUMNS[edition]
    width = int(chars * NEWSPAPER_ZH_SIZE * 20)
    space = (TEXT_WIDTH_TWIPS - count * width) // (count - 1)
    cols = _el(
        "w:cols",
        {"w:num": count, "w:space": space, "w:equalWidth": 0},
        *(_el("w:col", {"w:w": width, **({"w:space": space} if i < count - 1 else {})}) for i in range(count)),
    )
    old = sect.find(qn("w:cols"))
    sect.replace(old, cols)
    sect.insert(list(sect).index(sect.find(qn("w:pgSz"))), _el("w:type", {"w:val": "continuous"}))


def _spanning(units: list[Unit]) -> int:
    """How many of the first units span the columns in the newspaper look:
    the title and what comes with it (kicker, deck, subtitle)."""
    count = 0
    for unit in units:
        if unit.role not in ("title", "subtitle", "kicker", "deck") or unit.image is not None:
            break
        count += 1
    return count


def _template(
    edition: str,
    draft: bool,
    landscape: bool = False,
    language: str = "zh-CN",
    furniture: bool = False,
    look: str = "reader",
) -> _Template:
    key = (edition, draft, landscape, language, furniture, look)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = _make_template(*key)
    return _TEMPLATES[key]


def _make_template(
    edition: str, draft: bool, landscape: bool, language: str, furniture: bool, look: str = "reader"
) -> _Template:
    document = docx.Document()
    _setup_styles(document, edition, language, look)
    _clean_package(document, edition)
    _page_setup(document, draft, landscape, furniture)
    if look == "newspaper":
        _columns(document.sections[0]._sectPr, edition)
    link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.element.append(_el("w:rPr", None, _el("w:color", {"w:val": "0563C1"}), _el("w:u", {"w:val": "single"})))
    style_ids = {style.name: style.style_id for style in document.styles}
    _prune_styles(document.styles.element, {style_ids[n] for n in (*_looks(edition), "Hyperlink", "Header", "Footer")})
    style_ids = {style.name: style.style_id for style in document.styles}
    rids = [int(rid[3:]) for rid in document.part.rels if rid[3:].isdigit()]
    raw = io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(raw) as package:
        members = [(info.filename, package.read(info.filename)) for info in package.infolist()]
    members = [(name, _font_table() if name == "word/fontTable.xml" else data) for name, data in members]
    header = next((name for name, data in members if _NOTE_MARK.encode() in data or _LEFT_MARK.encode() in data), None)
    packed = [
        (name, data, None if name in _PER_DOCUMENT or name == header else Deflated.of(data)) for name, data in members
    ]
    return _Template(packed, dict(members)["word/document.xml"], style_ids, max(rids, default=0) + 1, header)


def _prune_styles(root, used: set[str]) -> None:  # used: style IDs
    """Keep the styles the editions use, the defaults, and the styles those
    are based on or linked to; the template's hundred table styles and the
    like go (Word offers its built-in styles anyway).  styles.xml shrinks
    from 349 KB to a tenth."""
    styles = {el.get(qn("w:styleId")): el for el in root.iter(qn("w:style"))}
    defaults = [sid for sid, el in styles.items() if el.get(qn("w:default")) in ("1", "true")]
    keep: set[str] = set()
    todo = [*used, *defaults]
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in styles:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = styles[sid].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for sid, el in styles.items():
        if sid not in keep:
            root.remove(el)


def _relationships(template_rels: bytes, rels: list[tuple[str, str, str, bool]]) -> bytes:
    from xml.sax.saxutils import quoteattr

    extra = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target={quoteattr(target)}'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, kind, target, external in rels
    )
    return template_rels.replace(b"</Relationships>", extra.encode("utf-8") + b"</Relationships>")


def _content_types(template_types: bytes, media: dict[str, ImageRef]) -> bytes:
    known = template_types.decode("utf-8")
    extra = {
        image.extension: image.content_type for image in media.values() if f'Extension="{image.extension}"' not in known
    }
    defaults = "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in sorted(extra.items()))
    return known.replace("</Types>", defaults + "</Types>").encode("utf-8")


def _member_bytes(writer: _Writer, name: str, data: bytes) -> bytes | Deflated:
    """What a document writes for the template's part ``name``."""
    from xml.sax.saxutils import escape

    if name == "word/document.xml":
        return writer.document.finish()
    if name == "word/_rels/document.xml.rels":
        return _relationships(data, writer.rels)
    if name == "[Content_Types].xml":
        return _content_types(data, writer.media)
    if name == "docProps/core.xml":
        return _core_properties(writer.spec)
    if name == "docProps/app.xml":
        return _app_properties(writer.counts, __version__)
    if name == writer.template.header:
        left, right = writer.spec.furniture or ("", "")
        for mark, text in ((_NOTE_MARK, writer.spec.draft_note or ""), (_LEFT_MARK, left), (_RIGHT_MARK, right)):
            data = data.replace(mark.encode(), escape(text).encode("utf-8"))
        return data
    return data


def _write_package(writer: _Writer, target) -> None:
    """The zip, written once to ``target``: the template's parts (those the same in every
    document compressed once per process) with this document's, fixed entry
    dates and attributes (two builds are byte-identical), and the photos
    streamed in (stored: JPEG and PNG do not compress)."""
    package = ZipWriter(target)
    for name, data, packed in writer.template.members:
        package.add(name, packed or _member_bytes(writer, name, data))
    for name, image in sorted(writer.media.items()):
        package.add_stored(name, functools.partial(_stream_photo, image))
    package.close()


def _package_bytes(writer: _Writer) -> bytes:
    """The zip ``_write_package`` writes, as bytes."""
    target = io.BytesIO()
    _write_package(writer, target)
    return target.getvalue()


# -- review tables (translator kits) ---------------------------------------------------

REVIEW_COLUMNS = ("ID", "中文", "English", "status", "comment")
MEMORY_COLUMN = "memory"  # written when the memory has suggestions; never read back


def render_review_table(title: str, rows: list[tuple[str, ...]], date: datetime, creator: str) -> bytes:
    """A Word table for translators and reviewers: one row per segment, and
    a sixth column with the memory's suggestion when any row has one."""
    spec = EditionSpec("bilingual", title, "zh-CN", creator, date, markup="txt")
    writer = _Writer(_template("bilingual", False, landscape=True), spec)
    writer.add(writer.paragraph("Title", Piece(title, "en")))
    note = (
        "Fill in the English column. Keep the ID and 中文 columns as they are. A fuzzy row whose English you "
        "leave as it is stays fuzzy: to confirm it, change its status to translated. Write questions in the "
        "comment column. Return the file with 'bilingual submit'."
    )
    writer.add(writer.paragraph("Body English", Piece(note, "en")))
    with_memory = any(len(row) > len(REVIEW_COLUMNS) and row[len(REVIEW_COLUMNS)] for row in rows)
    columns = REVIEW_COLUMNS + ((MEMORY_COLUMN,) if with_memory else ())
    header = [[writer.paragraph("Body English", Piece(h, "zh" if h == "中文" else "en"))] for h in columns]
    table_rows = []
    for row in rows:
        cells = []
        for i, value in enumerate(row[: len(columns)]):
            lang = "zh" if i == 1 else "en"
            cells.append([writer.paragraph("Body English" if lang == "en" else "Body Chinese", Piece(value, lang))])
        table_rows.append(cells)
    writer.table(
        table_rows,
        header=header,
        widths_pct=(8, 28, 28, 7, 9, 20) if with_memory else (10, 37, 37, 8, 8),
        width=int(Cm(29.7 - 2 * 1.5)) // 635,
        grid=True,
    )
    return _package_bytes(writer)


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
    formatted: int = 0  # English cells whose Word bold, italic or links were read as Markdown
    problems: list = field(default_factory=list)  # (row, formatting that cannot be read)


# Text as Word shows it with every tracked change accepted: insertions and
# moved-to text kept, deletions and moved-from text dropped.
_VISIBLE = (
    "(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:br | .//w:r/w:cr | .//w:r/w:noBreakHyphen)"
    "[not(ancestor::w:del) and not(ancestor::w:moveFrom)]"
)
_TRACKED = ".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"
_PIECE = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _cell_text(tc) -> str:
    """A cell's paragraphs, one per line; a paragraph whose mark was deleted
    runs on into the next, as Word joins them when the change is accepted."""
    out = []
    for p in tc.iter(qn("w:p")):
        out.append(
            "".join(node.text or "" if node.tag == qn("w:t") else _PIECE[node.tag] for node in p.xpath(_VISIBLE))
        )
        out.append("" if p.xpath("./w:pPr/w:rPr/w:del") else "\n")
    return "".join(out[:-1])


def _flag(props, name: str) -> bool:
    """A boolean run property (``<w:b/>``, ``<w:b w:val="0"/>``) or a character style that means it."""
    if props is None:
        return False
    flag = props.find(qn(f"w:{name}"))
    if flag is not None:
        return flag.get(qn("w:val"), "true") not in ("0", "false", "off")
    style = props.find(qn("w:rStyle"))
    wanted = {"b": ("strong", "bold"), "i": ("emphasis", "italic")}[name]
    return style is not None and (style.get(qn("w:val")) or "").lower().startswith(wanted)


def _cell_markdown(tc, part) -> tuple[str, bool, bool]:
    """A cell's text with Word's bold, italic and links as Markdown, (text,
    formatting found, a link Word keeps as a field, which cannot be read)."""
    pieces, formatted = [], False
    for p in tc.iter(qn("w:p")):
        for node in p.xpath(_VISIBLE):
            if node.tag != qn("w:t"):
                pieces.append((_PIECE[node.tag], False, False, None))
                continue
            props = node.getparent().find(qn("w:rPr"))
            link = next(iter(node.xpath("ancestor::w:hyperlink/@r:id")), None)
            href = part.rels[link].target_ref if link in part.rels and part.rels[link].is_external else None
            bold, italic = _flag(props, "b"), _flag(props, "i")
            formatted = formatted or bold or italic or bool(href)
            pieces.append((node.text or "", bold, italic, href))
        if not p.xpath("./w:pPr/w:rPr/w:del"):
            pieces.append(("\n", False, False, None))
    field_link = any("HYPERLINK" in (t.text or "") for t in tc.iter(qn("w:instrText")))
    return (
        inline_markdown(pieces[:-1] if pieces and pieces[-1][0] == "\n" else pieces, breaks=True),
        formatted,
        field_link,
    )


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
    (``WordFileError``) before python-docx reads it; each part is inflated
    a megabyte at a time and refused when it grows past the size its
    directory declares, so no part is ever inflated beyond it (total
    declared: at most ``MAX_PACKAGE_BYTES``)."""
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
            raise WordFileError(
                f"part {info.filename} inflates {info.file_size // max(info.compress_size, 1)}-fold: "
                "a zip bomb, refused"
            )
        if info.filename.endswith(".xml") and info.file_size > MAX_XML_PART_BYTES:
            raise WordFileError(f"part {info.filename} is larger than {MAX_XML_PART_BYTES // 2**20} MiB: refused")
        _inflates_as_declared(data, info)
    _no_doctype(data, infos)
    _is_word(data, infos)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a damaged package
        from lxml import etree

        from workflow.core.xmlsafe import syntax_message

        why = syntax_message(exc) if isinstance(exc, etree.XMLSyntaxError) else f"{type(exc).__name__}: {str(exc)[:80]}"
        raise WordFileError(f"not a readable Word file ({why})") from None


def _inflates_as_declared(data: bytes, info) -> None:
    """Refuse a part that inflates to more than its directory entry says.
    The standard library trusts the declared size only after inflating a
    whole part at once (a 1.5 MB file whose directory understates a part
    drove a reader to 2 GB), so the part is inflated here a megabyte at a
    time, and stops one byte past what was declared."""
    import struct
    import zlib

    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise WordFileError(f"part {info.filename}: no local header where the directory says")
    name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
    body = memoryview(data)[start + 30 + name_length + extra_length :][: info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        size = len(body)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater, size, position = zlib.decompressobj(-15), 0, 0
        try:
            while size <= info.file_size and not inflater.eof:
                chunk = inflater.unconsumed_tail or body[position : position + (1 << 16)]
                if not inflater.unconsumed_tail:
                    position += len(chunk)
                if not len(chunk):
                    break
                size += len(inflater.decompress(chunk, 1 << 20))
        except zlib.error as exc:
            raise WordFileError(f"part {info.filename} cannot be read ({exc})") from None
    else:
        raise WordFileError(f"part {info.filename} is compressed in a way Word never uses: refused")
    if size > info.file_size:
        raise WordFileError(
            f"part {info.filename} inflates beyond the {info.file_size} bytes its zip directory declares: refused"
        )


#: What another program's zip says it is (its ``mimetype`` member), named in the refusal.
_OTHER_PACKAGES = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/epub+zip": "an EPUB book",
}


def _is_word(data: bytes, infos) -> None:
    """A zip that is not a Word package (an .odt renamed .docx, any zip) is
    refused in a plain sentence, naming what it is when it says so."""
    import zipfile

    names = {i.filename for i in infos}
    if "[Content_Types].xml" in names and "xl/workbook.xml" not in names and "ppt/presentation.xml" not in names:
        return  # an Office Open XML package; python-docx finds its main part
    kind = "a zip file"
    if "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            declared = package.read("mimetype")[:100].decode("ascii", "replace").strip()
        kind = _OTHER_PACKAGES.get(declared, f"a {declared} file" if declared else kind)
    elif "xl/workbook.xml" in names:
        kind = "an Excel workbook (.xlsx)"
    elif "ppt/presentation.xml" in names:
        kind = "a PowerPoint file (.pptx)"
    raise WordFileError(f"not a Word document: this is {kind}; save it from Word or LibreOffice as Word (.docx)")


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
        raise WordFileError(f"the table columns are {' | '.join(header)}; expected {' | '.join(REVIEW_COLUMNS)}", 1)
    result = ReviewTable(document.core_properties.title or "", [])
    for number, row in enumerate(table.rows[1:], start=2):
        tcs = [cell._tc for cell in row.cells]
        if len(tcs) < len(REVIEW_COLUMNS):
            raise WordFileError("row has too few cells", number)
        result.tracked += sum(bool(tc.xpath(_TRACKED)) for tc in tcs)
        notes = _row_comments(document, row._tr)
        result.comments += len(notes)
        cells = dict(zip(REVIEW_COLUMNS, map(_cell_text, tcs)))
        cells["English"], formatted, field_link = _cell_markdown(tcs[REVIEW_COLUMNS.index("English")], document.part)
        result.formatted += formatted
        if field_link:
            result.problems.append((number, "a link Word keeps as a field cannot be read: write it as [text](URL)"))
        result.rows.append({"row": number, **cells, "notes": notes})
    return result
