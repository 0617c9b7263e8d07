"""What a PDF edition prints, line by line, held against the text of its Word
file: every character (punctuation included) must be on the page, in order,
after removing only the artefacts of setting lines (line breaks, the hyphen
of a hyphenated word, a table's header row repeated on each page, and the
page furniture in the margins); no line may start with a closing mark or end
with an opening one (避头尾).  Read with ``pdftotext -bbox-layout``."""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
#: Marks that may not start a line (GB/T 15834, clreq 3.1.7): closing brackets and quotes, stops, the
#: ellipsis and the dash, which also may not be split.
NO_LINE_START = "。，、；：？！）」』”’》〉】〕…—%‰℃·"
NO_LINE_END = "（「『“‘《〈【〔"
#: A list's bullet as LibreOffice draws it (Symbol's U+F0B7): numbering, not the edition's text.
BULLETS = {"\uf0b7", "•", "◦", "▪", "·"}
#: The body frame of an A4 edition: 2.54 cm margins above and below (points).
TOP, BOTTOM = 72.0, 841.89 - 72.0


@dataclass
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str  # its words joined, without spaces
    column: str = "full"  # "full", or "0"/"1": a column of the bilingual table
    start: int = -1  # where it starts in its stream of the Word text (-1: not found)


@dataclass
class Stream:
    """The Word text of one column (or the full width), spaces removed, and
    where each paragraph starts and ends in it."""

    text: str = ""
    starts: set = field(default_factory=set)
    ends: set = field(default_factory=set)
    heads: set = field(default_factory=set)  # (start, end) of the title's, heads' and decks' paragraphs

    def add(self, paragraph: str, head: bool = False) -> None:
        squeezed = "".join(paragraph.split())
        if squeezed:
            self.starts.add(len(self.text))
            if head:
                self.heads.add((len(self.text), len(self.text) + len(squeezed)))
            self.text += squeezed
            self.ends.add(len(self.text))


HEAD_STYLES = {"Title", "Heading1", "Heading2", "Heading3", "HeadingDeck"}


def _is_head(p) -> bool:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style is not None and style.get(W + "val") in HEAD_STYLES


def _paragraph_text(p) -> str:
    return "".join(node.text or "" if node.tag == W + "t" else " " for node in p.iter(W + "t", W + "br", W + "tab"))


def word_streams(docx: Path, columns: bool = True) -> tuple[dict[str, Stream], set[str]]:
    """The edition's text by column (``columns``: a table's cells by their
    column; else row by row, as a table inside the text reads), and the
    texts of table header rows."""
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(W + "body")
    streams: dict[str, Stream] = {"full": Stream()}
    headers: set[str] = set()
    for child in body:
        if child.tag == W + "p":
            streams["full"].add(_paragraph_text(child), _is_head(child))
        elif child.tag == W + "tbl":
            for tr in child.findall(W + "tr"):
                cells = tr.findall(W + "tc")
                is_header = tr.find(f"{W}trPr/{W}tblHeader") is not None
                for number, tc in enumerate(cells):
                    column = "full" if len(cells) == 1 or not columns else str(number)
                    for p in tc.iter(W + "p"):
                        text = _paragraph_text(p)
                        streams.setdefault(column, Stream()).add(text, _is_head(p))
                        if is_header:
                            headers.add("".join(text.split()))
    return streams, headers


def column_boundaries(docx: Path) -> tuple[float, ...]:
    """Where a page set in columns (the body section's ``w:cols``) has its
    column gaps: the middle of each gap, in points from the page's left edge."""
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(W + "body")
    x = int(body.find(f"{W}sectPr/{W}pgMar").get(W + "left"))
    out = []
    for col in body.findall(f"{W}sectPr/{W}cols/{W}col")[:-1]:
        x += int(col.get(W + "w"))
        out.append((x + int(col.get(W + "space")) / 2) / 20)
        x += int(col.get(W + "space"))
    return tuple(out)


def table_split(docx: Path) -> float:
    """Where the first table's two columns meet on the page (points): Word
    sets a table so that its cells' text, not its border, is on the margin."""
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(W + "body")
    left = int(body.find(f"{W}sectPr/{W}pgMar").get(W + "left"))
    table = body.find(W + "tbl")
    margin = int(table.find(f"{W}tblPr/{W}tblCellMar/{W}left").get(W + "w"))
    first = int(table.find(f"{W}tblGrid/{W}gridCol").get(W + "w"))
    return (left - margin + first) / 20


def pdf_lines(pdf: Path, split_x: float | None = None, columns: tuple[float, ...] = ()) -> list[Line]:
    """The printed lines inside the body frame, page by page, top to bottom;
    with ``split_x`` (a table's column boundary) each line is given to the
    column it sits in; with ``columns`` (the boundaries of a page set in
    columns) a page is read as a newspaper's: the lines across the columns
    (the head), then each column top to bottom."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout
    lines = []
    for number, page in enumerate(etree.fromstring(xml).iter(XHTML + "page"), start=1):
        found = []
        for el in page.iter(XHTML + "line"):
            words = [
                ([float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")], "".join((w.text or "").split()))
                for w in el.iter(XHTML + "word")
                if (w.text or "").strip() not in BULLETS
            ]
            for column, placed in _columns(words, split_x).items():
                box = [
                    min(b[0] for b, _ in placed),
                    min(b[1] for b, _ in placed),
                    max(b[2] for b, _ in placed),
                    max(b[3] for b, _ in placed),
                ]
                text = "".join(t for _, t in placed)
                if text and box[3] > TOP and box[1] < BOTTOM:
                    found.append(Line(number, *box, text, column))
        head = max((ln.y1 for ln in found if _column_of(ln, columns) == (0,)), default=0.0)
        lines.extend(sorted(found, key=lambda ln: (*_column_of(ln, columns, head), round(ln.y0), ln.x0)))
    return lines


def _column_of(line: Line, columns: tuple[float, ...], head: float = 0.0) -> tuple[int, ...]:
    """() without columns; (0,) for a line of the head across the columns (or
    above its last line: a short last line of the title); else (1 + column)."""
    if not columns:
        return ()
    if any(line.x0 < boundary < line.x1 for boundary in columns) or line.y1 <= head:
        return (0,)
    return (1 + sum(line.x0 >= boundary for boundary in columns),)


def _columns(words: list, split_x: float | None) -> dict[str, list]:
    """A line's words by column: pdftotext joins the two cells of a table
    row into one line; a line that crosses the boundary is full width."""
    if split_x is None:
        return {"full": words} if words else {}
    left = [w for w in words if w[0][2] <= split_x + 2]
    right = [w for w in words if w[0][0] >= split_x - 2]
    if len(left) + len(right) == len(words) and (not left or not right or right[0][0][0] - left[-1][0][2] > 4):
        return {k: v for k, v in (("0", left), ("1", right)) if v}
    return {"full": words}


@dataclass
class Comparison:
    missing: list[str]  # Word text not printed (with context)
    extra: list[str]  # printed text that is not the edition's
    lines: list[Line]
    streams: dict[str, Stream]


def compare(docx: Path, pdf: Path, split_x: float | None = None, columns: tuple[float, ...] = ()) -> Comparison:
    streams, headers = word_streams(docx, split_x is not None)
    lines = pdf_lines(pdf, split_x, columns)
    missing, extra = [], []
    for column, stream in streams.items():
        pos, text = 0, stream.text
        for line in (ln for ln in lines if ln.column == column):
            t = line.text
            if not text.startswith(t, pos) and t.endswith("-") and text.startswith(t[:-1], pos):
                t = t[:-1]  # the hyphen of a word hyphenated at the line end
            if text.startswith(t, pos):
                line.start, pos = pos, pos + len(t)
                continue
            if t in headers:
                continue  # a table's header row, repeated at the top of a page
            found = text.find(t, pos)
            if found < 0:
                extra.append(f"p.{line.page}: {line.text!r}")
                continue
            missing.append(f"p.{line.page}: {text[max(pos - 8, 0) : pos]}[{text[pos:found]}]{text[found : found + 8]}")
            line.start, pos = found, found + len(t)
        if pos < len(text):
            missing.append(f"end of {column}: [{text[pos : pos + 40]}]")
    return Comparison(missing, extra, lines, streams)


def broken_rules(result: Comparison) -> list[str]:
    """Printed lines that break a line-start or line-end prohibition (the
    first line of a paragraph may start with anything, its last end with anything)."""
    out = []
    for line in result.lines:
        if line.start < 0:
            continue
        stream = result.streams[line.column]
        end = line.start + len(line.text.rstrip("-"))
        if line.start not in stream.starts and line.text[0] in NO_LINE_START:
            out.append(f"p.{line.page} starts with {line.text[0]!r}: {line.text[:12]}")
        if end not in stream.ends and line.text[-1] in NO_LINE_END:
            out.append(f"p.{line.page} ends with {line.text[-1]!r}: {line.text[-12:]}")
    return out


def stub_pages(result: Comparison, least: int = 3) -> list[int]:
    """Pages after the first that print fewer than ``least`` lines of the
    edition's text (a table's repeated header row does not count)."""
    counted: dict[int, int] = {}
    for line in result.lines:
        counted.setdefault(line.page, 0)
        if line.start >= 0:
            counted[line.page] += 1
    return [page for page, count in counted.items() if page > 1 and count < least]


def widows_and_orphans(result: Comparison) -> list[str]:
    """A paragraph's last line alone at the top of a page (a widow), or its
    first line alone at the foot of one (an orphan), column by column."""
    out = []
    for column, stream in result.streams.items():
        lines = [ln for ln in result.lines if ln.column == column and ln.start >= 0]
        for before, after in zip(lines, lines[1:]):
            if before.page == after.page:
                continue
            end = after.start + len(after.text.rstrip("-"))
            if after.start not in stream.starts and end in stream.ends:
                out.append(f"p.{after.page} top ({column}): widow {after.text[:16]!r}")
            if before.start in stream.starts and after.start not in stream.starts:
                out.append(f"p.{before.page} foot ({column}): orphan {before.text[:16]!r}")
    return out


def holes(result: Comparison) -> dict[int, float]:
    """Page → the white space (points) between its last printed line and the
    foot of the body frame; the last page is not counted."""
    feet: dict[int, float] = {}
    for line in result.lines:
        feet[line.page] = max(feet.get(line.page, 0.0), line.y1)
    last = max(feet, default=0)
    return {page: BOTTOM - foot for page, foot in feet.items() if page != last}


def lonely_head_lines(result: Comparison, most: int = 2) -> list[str]:
    """Heads whose last printed line holds only one or two characters (新版/图)."""
    out = []
    for line in result.lines:
        if line.start < 0:
            continue
        end = line.start + len(line.text)
        for start, stop in result.streams[line.column].heads:
            if stop == end and start != line.start and len(line.text) <= most:
                out.append(f"p.{line.page}: {result.streams[line.column].text[start:stop]!r} ends with {line.text!r}")
    return out
