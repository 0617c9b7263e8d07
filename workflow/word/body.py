"""A document's body, written as it is made: paragraphs, runs, photos and tables.

``Writer`` makes the paragraphs of a document in its template's styles
(runs of inline Markdown, links, a draft's highlights, photos or their
placeholders, tables whose rows are added one by one) and feeds each to
``Stream``, the compressor of ``word/document.xml``, as soon as it is
added: the body is never held whole (python-docx's own ``add_paragraph``
searches for ``w:sectPr`` on every call, which is quadratic on long
documents).  It counts Word's statistics as it goes, and keeps the
relationships and photos the package writes (``word.package``).

May import: model, zipwrite, ooxml, typography.
"""

from __future__ import annotations

import itertools
import re
import zlib
from copy import deepcopy
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.shape import CT_Inline
from docx.shared import Emu
from lxml import etree

from workflow.core.model import EditionSpec, ImageRef, Piece
from workflow.core.zipwrite import Deflated
from workflow.word import typography
from workflow.word.ooxml import PPR_ORDER, RPR_ORDER, XML_SPACE, clark, el, ordered
from workflow.word.typography import CODE_FONT, HEAD_SIZES, HEAD_STYLES, SHORT_ROW_LINES, TEXT_WIDTH_TWIPS

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_EMU_PER_INCH = 914400
_W_P = clark("w:p")
_PSTYLE = f"{clark('w:pPr')}/{clark('w:pStyle')}"
_WORD_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")


class Stream:
    """``word/document.xml`` compressed as it is written: the template's
    document up to its body, the elements fed in, then the section
    properties and end tags."""

    def __init__(self, document: bytes):
        head, _, self.tail = document.partition(b"<w:body>")
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


def photo_width(image: ImageRef, max_width: int = 0) -> int:
    """A photo's width (EMU): the size its source placed it at (a Word
    source's, Markdown's ``{width=8cm}``), else its own size at 220 dpi;
    never wider than the measure (``max_width``, default the text width)."""
    measure = max_width or typography.TEXT_WIDTH_EMU
    return min(measure, image.placed or image.width * _EMU_PER_INCH // typography.PHOTO_DPI)


def effective_ppi(image: ImageRef, max_width: int = 0) -> float:
    """The resolution a photo prints at (pixels per inch of its printed width)."""
    return image.width * _EMU_PER_INCH / max(photo_width(image, max_width), 1)


def _inline_spans(md: MarkdownIt, text: str):
    """(text, bold, italic, code, href) spans of inline Markdown."""
    tokens = md.parseInline(text)
    bold = italic = 0
    href = None
    for tok in (tokens[0].children or []) if tokens else []:
        t = tok.type
        if t == "text" or t == "html_inline":
            yield tok.content, bold > 0, italic > 0, False, href
        elif t == "code_inline":
            yield tok.content, bold > 0, italic > 0, True, href
        elif t in ("strong_open", "strong_close"):
            bold += 1 if t == "strong_open" else -1
        elif t in ("em_open", "em_close"):
            italic += 1 if t == "em_open" else -1
        elif t == "link_open":
            href = tok.attrs.get("href")
        elif t == "link_close":
            href = None
        elif t in ("softbreak", "hardbreak"):
            yield " ", False, False, False, href
        elif t == "image":
            yield tok.content or "", bold > 0, italic > 0, False, None


class Writer:
    """One document's body, with the relationships (links, photos) it adds.

    The body is never held whole: each paragraph or table row is serialized
    as it is added and fed to the compressor of ``word/document.xml``, so a
    book-length article costs the memory of its compressed text.
    ``template`` is a ``word.package.Template``."""

    def __init__(self, template, spec: EditionSpec):
        self.template = template
        self.spec = spec
        self.document = Stream(template.document)
        self.counts = {"Words": 0, "Characters": 0, "Paragraphs": 0, "CharactersWithSpaces": 0}
        self._style_ids = template.style_ids
        self.measure = TEXT_WIDTH_TWIPS / 20  # points: the width the paragraphs made next are set in
        #: The newspaper look's column (EMU; 0: the reader look's full measure).
        self.column_emu = 0
        self._head_ids = {template.style_ids[name] for name in HEAD_STYLES if name in template.style_ids}
        self._md: MarkdownIt | None = None  # made on the first inline Markdown
        self._paragraphs: dict = {}
        self.media: dict[str, ImageRef] = {}  # zip member → the photo whose bytes it gets
        self.rels: list[tuple[str, str, str, bool]] = []  # (ID, type, target, external)
        self._image_rids: dict[str, str] = {}
        self._shapes = 0
        zh_rpr = el("w:rPr", None, el("w:rFonts", {"w:hint": "eastAsia"}))
        #: The language of the text that is not Chinese, when it is not the document's (bilingual: English).
        self._other_lang = spec.other_language if spec.edition == "bilingual" else None
        other_rpr = el("w:rPr", None, el("w:lang", {"w:val": self._other_lang})) if self._other_lang else None
        self._plain_run = {False: el("w:r", None, other_rpr, el("w:t")), True: el("w:r", None, zh_rpr, el("w:t"))}

    # runs
    def _inline(self, text: str):
        """(text, bold, italic, code, href) spans of inline Markdown."""
        if self.spec.markup != "md" or not any(c in text for c in "*_`[<\\&"):
            yield text, False, False, False, None
            return
        if self._md is None:
            from markdown_it import MarkdownIt

            self._md = MarkdownIt("commonmark")
        yield from _inline_spans(self._md, text)

    def run(self, text, piece: Piece, bold=False, italic=False, code=False, color=None, highlight=None):
        """A run of ``text`` (a line break for each ``\\n``) in the piece's language."""
        if not (bold or italic or code or color or highlight) and "\n" not in text:
            # The common case, cloned from a prototype: one C call instead of five elements.
            run = deepcopy(self._plain_run[piece.lang == "zh"])
            t = run[-1]
            t.text = text
            if text != text.strip():
                t.set(XML_SPACE, "preserve")
            return run
        parts = {}
        if piece.lang == "zh":
            # Word sets shared punctuation (“”—…) full width only with the eastAsia hint.
            parts["w:rFonts"] = el("w:rFonts", {"w:hint": "eastAsia"})
        if code:
            parts["w:rFonts"] = el("w:rFonts", {"w:ascii": CODE_FONT, "w:hAnsi": CODE_FONT})
        if bold:
            parts["w:b"] = el("w:b")
        if italic:
            parts["w:i"] = el("w:i")
        if color:
            parts["w:color"] = el("w:color", {"w:val": color})
        if highlight:
            parts["w:highlight"] = el("w:highlight", {"w:val": highlight})
        if piece.lang != "zh" and self._other_lang:
            parts["w:lang"] = el("w:lang", {"w:val": self._other_lang})
        run = el("w:r", None, ordered("w:rPr", RPR_ORDER, parts) if parts else None)
        for i, line in enumerate(text.split("\n")):
            if i:
                run.append(el("w:br"))
            t = el("w:t")
            t.text = line
            if line != line.strip():
                t.set(XML_SPACE, "preserve")
            run.append(t)
        return run

    def _paragraph_proto(self, style: str):
        proto = self._paragraphs.get(style)
        if proto is None:
            proto = self._paragraphs[style] = el(
                "w:p", None, el("w:pPr", None, el("w:pStyle", {"w:val": self._style_ids[style]}))
            )
        return proto

    def paragraph(self, style: str, piece: Piece, extra_italic: bool = False):
        """A paragraph in ``style`` holding the piece's text (its inline Markdown set)."""
        if piece.lang == "zh" and style in HEAD_SIZES:
            piece = Piece(balanced_head(piece.text, int(self.measure // HEAD_SIZES[style])), piece.lang, piece.mark)
        p = deepcopy(self._paragraph_proto(style))
        highlight = {"untranslated": "yellow", "fuzzy": "cyan"}.get(piece.mark or "")
        if piece.mark == "fuzzy":
            p.append(self.run("[fuzzy] ", Piece("", "en"), bold=True, color="C00000"))
        if style == "Code":
            p.append(self.run(piece.text, piece, code=True))
            return p
        for number, line in enumerate(piece.text.split("\n")):  # a line break inside (a caption's credit)
            if number:
                p.append(el("w:r", None, el("w:br")))
            for text, bold, italic, code, href in self._inline(line):
                run = self.run(text, piece, bold, italic or extra_italic, code, highlight=highlight)
                p.append(self._link(run, href) if href else run)
        return p

    def _link(self, run, href: str):
        """The run as a link to ``href``, in the Hyperlink style."""
        rid = self.relate(RT.HYPERLINK, href, external=True)
        rpr = run.find(clark("w:rPr"))
        if rpr is None:
            rpr = el("w:rPr")
            run.insert(0, rpr)
        rpr.insert(0, el("w:rStyle", {"w:val": self._style_ids["Hyperlink"]}))
        return el("w:hyperlink", {"r:id": rid}, run)

    def relate(self, reltype: str, target: str, external: bool = False) -> str:
        """A new relationship of the document part; its ID."""
        rid = f"rId{self.template.next_rid + len(self.rels)}"
        self.rels.append((rid, reltype, target, external))
        return rid

    def add(self, element, closing: bool = False):
        """Append a paragraph or table to the body (``closing``: the element's
        end tag is left off, for rows to follow; ``close`` writes it)."""
        for name, value in counts(element).items():
            self.counts[name] += value
        data = self.document.strip(etree.tostring(element))
        self.document.feed(data[: data.rindex(b"</")] if closing else data)

    def end_spanning_section(self) -> None:
        """End the one-column section of the head (title, deck) in the last
        paragraph added, and set what follows in the body's columns."""
        sect = etree.fromstring(self.template.document).find(f"{clark('w:body')}/{clark('w:sectPr')}")
        columns = sect.find(clark("w:cols"))
        width = int(columns.find(clark("w:col")).get(clark("w:w")))
        for child in list(sect):
            if child.tag == clark("w:type"):
                sect.remove(child)
        sect.replace(columns, el("w:cols", {"w:space": 0}))
        # a paragraph of 1 pt holds the section's end: nothing to see between the head and the columns
        spacing = el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20, "w:lineRule": "exact"})
        self.add(el("w:p", None, el("w:pPr", None, spacing, sect)))
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
        p.append(el("w:r", None, el("w:drawing", None, inline)))
        return p

    def photo(self, image: ImageRef, alt: str, max_width: int = 0):
        """The photo, or where it is not available (a draft) a placeholder
        frame the width of the measure saying so."""
        if image.available:
            return self.picture(image, alt, max_width)
        p = deepcopy(self._paragraph_proto("Photo"))
        rule = {"w:val": "single", "w:sz": 12, "w:space": 24, "w:color": "C00000"}
        sides = [el(f"w:{side}", rule) for side in ("top", "left", "bottom", "right")]
        p.find(clark("w:pPr")).append(el("w:pBdr", None, *sides))
        label = f"照片缺失 PHOTO MISSING — {image.missing}" + (f"\n{alt}" if alt else "")
        p.append(self.run(label, Piece(label, "zh"), bold=True, color="C00000"))
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
        grid_el = el("w:tblGrid", None, *(el("w:gridCol", {"w:w": w}) for w in widths))
        # rows are added one by one: never the whole table
        self.add(el("w:tbl", None, _table_properties(total, grid), grid_el), closing=True)
        all_rows = itertools.chain([(header, True)] if header else [], ((r, False) for r in rows))
        for cells, is_header in all_rows:
            tr = el("w:tr", None, _row_properties(cells, is_header, widths))
            keep = not is_header and _holds_a_head(cells, self._head_ids)
            for i, paragraphs in enumerate(cells):
                tr.append(
                    _cell(paragraphs, total if len(cells) == 1 else widths[i], len(cells), widths, keep, is_header)
                )
            self.add(tr)
        self.close("w:tbl")


def _table_properties(total: int, grid: bool):
    """A fixed table ``total`` twips wide: rules between the rows, or a full grid."""
    rule = {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "BFBFBF"}
    sides = {
        side: rule if grid or side in ("top", "bottom", "insideH") else {"w:val": "nil"}
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    }
    margins = {"top": 57, "left": 108, "bottom": 57, "right": 108}  # 1 mm above and below, Word's sides
    return el(
        "w:tblPr",
        None,
        el("w:tblW", {"w:w": total, "w:type": "dxa"}),
        el("w:tblBorders", None, *(el(f"w:{side}", attrs) for side, attrs in sides.items())),
        el("w:tblLayout", {"w:type": "fixed"}),
        el("w:tblCellMar", None, *(el(f"w:{side}", {"w:w": w, "w:type": "dxa"}) for side, w in margins.items())),
        # the header row, no banded columns; the bit mask alone: Office 2007's schema has no other attributes
        el("w:tblLook", {"w:val": "0420"}),
    )


def _cell(paragraphs, width: int, count: int, widths: list[int], keep: bool, is_header: bool):
    """A cell ``width`` twips wide holding ``paragraphs`` set without spacing
    (one cell of ``count`` in a row of ``widths``: alone, it spans them all)."""
    if count == 1 and len(widths) > 1:  # one cell across the row (a photo)
        tc_pr = el(
            "w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"}), el("w:gridSpan", {"w:val": len(widths)})
        )
    else:
        tc_pr = el("w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"}))
    tc = el("w:tc", None, tc_pr)
    for p in paragraphs or [el("w:p")]:
        if p.find(clark("w:pPr")) is not None:  # only a head's row keeps with the next row: pairs
            # kept together would chain every row and push the table off the page
            direct(p, keep_next=keep, before=0, after=0, flush=is_header, center=is_header)
        tc.append(p)
    return tc


def _row_properties(cells, is_header: bool, widths: list[int]):
    """A header row repeats on each page; it and every short row never split."""
    if is_header:
        return el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader"))
    width = {len(cells): widths}.get(len(widths), [sum(widths)])
    lines = max((sum(estimated_lines(p, w) for p in paragraphs) for paragraphs, w in zip(cells, width)), default=0)
    return el("w:trPr", None, el("w:cantSplit")) if lines <= SHORT_ROW_LINES else None


def estimated_lines(p, width_twips: int) -> int:
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
    found = (p.find(_PSTYLE) for paragraphs in cells for p in paragraphs)
    return any(style is not None and style.get(clark("w:val")) in head_ids for style in found)


def balanced_head(text: str, per_line: int) -> str:
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


def direct(
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
    ppr = p.find(clark("w:pPr"))
    parts = {"w:pStyle": ppr.find(clark("w:pStyle"))}
    if keep_next is not None:
        parts["w:keepNext"] = el("w:keepNext", None if keep_next else {"w:val": 0})
        parts["w:keepLines"] = el("w:keepLines", None if keep_next else {"w:val": 0})
    spacing = {key: value for key, value in (("w:before", before), ("w:after", after)) if value is not None}
    if spacing:
        parts["w:spacing"] = el("w:spacing", spacing)
    if flush:
        parts["w:ind"] = el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0})
    if center:
        parts["w:jc"] = el("w:jc", {"w:val": "center"})
    p.replace(ppr, ordered("w:pPr", PPR_ORDER, parts))


def counts(element) -> dict[str, int]:
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
