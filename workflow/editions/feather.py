"""Vertical justification of a rendered PDF edition (feathering).

A head kept with its kicker and the first lines of its text cannot be split,
so when the block does not fit at the foot of a page it moves to the next one
and leaves a hole of up to five lines.  A page set by hand is then spread:
the white space is shared among the gaps between the page's paragraphs, as a
newspaper's make-up desk (or InDesign's vertical justification) does.

``plan`` reads where LibreOffice broke the pages (``pdftotext -bbox-layout``)
and maps each page's printed text onto the Word file's body paragraphs; for a
page whose hole is deeper than ``DEEPEST`` it gives the extra space before
each paragraph that starts on the page after a gap (not the English of a pair,
not a head under its kicker: paragraphs tied to the one before stay tight).
``spread`` writes that space into the copy LibreOffice converts; ``breaks``
says where a PDF's pages start, so a spread PDF is kept only when it breaks
its pages exactly where the first one did (nothing moved but the white space).
A table's rows are units too: the gap before a row is shared above and below
its rule.  A document whose printed text cannot be mapped (a page in
columns, a field) is left as it is.

May import: (none of the package).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
#: A page foot hole deeper than this (points: three lines of Chinese body text, 21 pt each) is spread.
DEEPEST = 3 * 21
#: White space left at the foot of a spread page (points): LibreOffice must not push its last line over.
SPARE = 10
#: At most this much extra space in one gap (points): a page is spread, not broken into pieces.
MOST_PER_GAP = 36
_BULLETS = {"\uf0b7", "•", "◦", "▪", "·"}


def available() -> bool:
    return shutil.which("pdftotext") is not None


def _pages(pdf: Path, top: float, bottom: float, split: float | None = None) -> list[tuple[list[str], float, float]]:
    """Each page's printed lines inside the body frame (text without spaces;
    with ``split``, a table's column boundary, only the first column's words
    of a line set in two columns), its last line's foot and the frame's foot
    (points from the page top)."""
    try:
        xml = subprocess.run(
            ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120
        ).stdout
        tree = etree.fromstring(xml)
    except (OSError, subprocess.SubprocessError, etree.XMLSyntaxError):
        return []  # not a PDF poppler reads: nothing to spread
    pages = []
    for page in tree.iter(XHTML + "page"):
        foot = float(page.get("height")) - bottom
        lines, last = [], 0.0
        for line in page.iter(XHTML + "line"):
            words = [w for w in line.iter(XHTML + "word") if (w.text or "").strip() not in _BULLETS]
            if not words:
                continue
            y0, y1 = min(float(w.get("yMin")) for w in words), max(float(w.get("yMax")) for w in words)
            if y1 <= top or y0 >= foot:
                continue
            last = max(last, y1)
            text = "".join("".join((w.text or "").split()) for w in _first_column(words, split))
            if text:
                lines.append((y0, float(words[0].get("xMin")), text))
        pages.append(([t for _, _, t in sorted(lines, key=lambda item: (round(item[0]), item[1]))], last, foot))
    return pages


def _first_column(words: list, split: float | None) -> list:
    """A line's words in a table's first column (pdftotext joins a row's two
    cells into one line); a line across the boundary is the full width."""
    if split is None:
        return words
    left = [w for w in words if float(w.get("xMax")) <= split + 2]
    right = [w for w in words if float(w.get("xMin")) >= split - 2]
    if len(left) + len(right) == len(words) and (
        not left or not right or float(right[0].get("xMin")) - float(left[-1].get("xMax")) > 4
    ):
        return left
    return words


def _paragraph_text(p) -> str:
    return "".join("".join((t.text or "").split()) for t in p.iter(W + "t"))


def _tied(p) -> bool:
    """Is this paragraph kept with the next one (a kicker, a head, the Chinese of a pair)?"""
    keep = p.find(f"{W}pPr/{W}keepNext")
    return keep is not None and keep.get(W + "val") not in ("0", "false")


def _units(body):
    """The body's units in order: (text, the paragraphs a gap before it is
    set on, tied to the next unit, a repeated header row, the paragraphs a
    gap after it is set on).  A table row is a unit: the text of its first
    cell, the first and the last paragraph of every cell (a gap between two
    rows is shared above and below their rule)."""
    for child in body:
        if child.tag == W + "p":
            yield _paragraph_text(child), [child], _tied(child), False, []
        elif child.tag == W + "tbl":
            for row in child.findall(W + "tr"):
                cells = [cell.findall(W + "p") for cell in row.findall(W + "tc")]
                firsts = [ps[0] for ps in cells if ps]
                text = "".join(_paragraph_text(p) for p in cells[0]) if cells else ""
                header = row.find(f"{W}trPr/{W}tblHeader") is not None
                yield text, firsts, any(_tied(p) for ps in cells for p in ps), header, [ps[-1] for ps in cells if ps]


def _stream(body) -> tuple[str, list[int], list, set[str]]:
    """The units' text joined (no spaces), where each starts, the units, and
    the text of the header rows (printed again at the top of each page)."""
    text, starts, units, headers = [], [], [], set()
    at = 0
    for unit in _units(body):
        if unit[3]:
            headers.add(unit[0])
        if not unit[0] or unit[3]:
            continue
        starts.append(at)
        units.append(unit)
        text.append(unit[0])
        at += len(unit[0])
    return "".join(text), starts, units, headers


def _page_starts(pages, text: str, headers: set[str]) -> list[int] | None:
    """Where each page's printed text starts in the stream, or None when a
    line is not where it should be (a field, a frame): nothing is spread."""
    pos, out = 0, []
    for lines, _, _ in pages:
        out.append(pos)
        for line in lines:
            if not text.startswith(line, pos) and line.endswith("-") and text.startswith(line[:-1], pos):
                line = line[:-1]  # a hyphenated word's hyphen
            if not text.startswith(line, pos) and line in headers:
                continue
            if not text.startswith(line, pos):
                return None
            pos += len(line)
    return out if pos == len(text) else None


def breaks(pdf: Path, top: float = 0.0, bottom: float = 0.0) -> list[str]:
    """Each page's printed characters, sorted (pdftotext may read a table's
    two columns in another order), inside a body frame ``top`` and ``bottom``
    points from the page's edges: two PDFs with the same break their pages alike."""
    return ["".join(sorted("".join(lines))) for lines, _, _ in _pages(pdf, top, bottom)]


def _split(body) -> float | None:
    """A table's column boundary (points from the page's left edge), or None."""
    table = body.find(W + "tbl")
    left = body.find(f"{W}sectPr/{W}pgMar")
    margin = table.find(f"{W}tblPr/{W}tblCellMar/{W}left") if table is not None else None
    first = table.find(f"{W}tblGrid/{W}gridCol") if table is not None else None
    if margin is None or first is None:
        return None
    return (int(left.get(W + "left")) - int(margin.get(W + "w")) + int(first.get(W + "w"))) / 20


def plan(document_xml: bytes, pdf: Path) -> dict[int, int]:
    """Unit (its index among the units with text) → extra space before it,
    in twips, for every page with a deep hole."""
    body = etree.fromstring(document_xml).find(W + "body")
    margins = body.find(f"{W}sectPr/{W}pgMar")
    if margins is None:
        return {}
    top, bottom = int(margins.get(W + "top")) / 20, int(margins.get(W + "bottom")) / 20
    pages = _pages(pdf, top, bottom, _split(body))
    if not pages:
        return {}
    text, starts, units, headers = _stream(body)
    page_starts = _page_starts(pages, text, headers)
    if page_starts is None:
        return {}
    page_starts.append(len(text))
    extra: dict[int, int] = {}
    for number, (lines, last, foot) in enumerate(pages[:-1]):
        hole = foot - last
        if hole <= DEEPEST or not lines:
            continue
        gaps = [
            i
            for i, at in enumerate(starts)
            if page_starts[number] < at < page_starts[number + 1] and not units[i - 1][2]
        ]
        if gaps:
            each = min((hole - SPARE) / len(gaps), MOST_PER_GAP)
            extra.update({i: int(each * 20) for i in gaps})
    return extra


def spread(document_xml: bytes, styles_xml: bytes, extra: dict[int, int]) -> bytes:
    """The document with ``extra`` twips added before the planned units' paragraphs
    (to their own spacing, or to their style's when they have none)."""
    styles = {side: style_spacing(styles_xml, side) for side in ("before", "after")}
    root = etree.fromstring(document_xml)
    _, _, units, _ = _stream(root.find(W + "body"))
    for index, twips in extra.items():
        above = units[index - 1][4] if index and units[index][4] else []
        for p in above:
            _add_space(p, "after", twips // 2, styles["after"])
        for p in units[index][1]:
            _add_space(p, "before", twips - twips // 2 if above else twips, styles["before"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_space(p, side: str, twips: int, style_space: dict[str, int]) -> None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        p.insert(0, ppr)
    spacing = ppr.find(W + "spacing")
    if spacing is None:
        spacing = etree.SubElement(ppr, W + "spacing")
        _place_spacing(ppr, spacing)
    style = ppr.find(W + "pStyle")
    own = spacing.get(W + side)
    space = int(own) if own is not None else style_space.get(style.get(W + "val") if style is not None else "", 0)
    spacing.set(W + side, str(space + twips))


#: What comes before w:spacing among a paragraph's properties (the schema's order).
_BEFORE_SPACING = {
    f"{W}{name}"
    for name in (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
    )
}


def _place_spacing(ppr, spacing) -> None:
    ppr.remove(spacing)
    index = sum(1 for child in ppr if child.tag in _BEFORE_SPACING)
    ppr.insert(index, spacing)


def style_spacing(styles_xml: bytes, side: str = "before") -> dict[str, int]:
    """Paragraph style ID → its space before (or after), in twips, following ``basedOn``."""
    root = etree.fromstring(styles_xml)
    own, parent = {}, {}
    for style in root.iter(W + "style"):
        sid = style.get(W + "styleId")
        spacing = style.find(f"{W}pPr/{W}spacing")
        if spacing is not None and spacing.get(W + side) is not None:
            own[sid] = int(spacing.get(W + side))
        based = style.find(W + "basedOn")
        if based is not None:
            parent[sid] = based.get(W + "val")
    out = {}
    for sid in {s.get(W + "styleId") for s in root.iter(W + "style")}:
        seen, at = set(), sid
        while at is not None and at not in own and at not in seen:
            seen.add(at)
            at = parent.get(at)
        out[sid] = own.get(at, 0) if at is not None else 0
    default = root.find(f"{W}style[@{W}type='paragraph'][@{W}default='1']")
    out[""] = out.get(default.get(W + "styleId"), 0) if default is not None else 0  # a paragraph with no style
    return out
