"""The review table of a Word kit: written for translators, and read back.

``render_review_table`` sets one row per segment (ID, 中文, English,
status, comment, and the memory's suggestion when there is one) in a
landscape grid; ``read_review_table`` reads a returned file: its text as
Word shows it with every tracked change accepted (``ooxml.accepted``, the
same reading as the Word source reader's), the English cell's bold, italic
and links as Markdown, and the Word comments anchored in each row.

May import: model, text, body, ooxml, package, typography.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workflow.core.model import EditionSpec, Piece
from workflow.core.text import inline_markdown
from workflow.word import package
from workflow.word.body import Writer
from workflow.word.ooxml import (
    R,
    W,
    WordFileError,
    accepted,
    accepted_paragraphs,
    block_paragraphs,
    open_package,
    piece_text,
    visible_text,
)
from workflow.word.typography import LANDSCAPE_WIDTH_TWIPS

__all__ = [
    "MEMORY_COLUMN",
    "REVIEW_COLUMNS",
    "ReviewTable",
    "WordFileError",
    "read_review_table",
    "render_review_table",
]

REVIEW_COLUMNS = ("ID", "中文", "English", "status", "comment")
MEMORY_COLUMN = "memory"  # written when the memory has suggestions; never read back
_NOTE = (
    "Fill in the English column. Keep the ID and 中文 columns as they are. A fuzzy row whose English you "
    "leave as it is stays fuzzy: to confirm it, change its status to translated. Write questions in the "
    "comment column. Return the file with 'bilingual submit'."
)


def render_review_table(title: str, rows: list[tuple[str, ...]], date: datetime, creator: str) -> bytes:
    """A Word table for translators and reviewers: one row per segment, and
    a sixth column with the memory's suggestion when any row has one."""
    spec = EditionSpec("bilingual", title, "zh-CN", creator, date, markup="txt")
    writer = Writer(package.template("bilingual", False, landscape=True), spec)
    writer.add(writer.paragraph("Title", Piece(title, "en")))
    writer.add(writer.paragraph("Body English", Piece(_NOTE, "en")))
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
        width=LANDSCAPE_WIDTH_TWIPS,
        grid=True,
    )
    return package.package_bytes(writer)


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


_TRACKED = ".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo"


def _cell_text(tc) -> str:
    """A cell's paragraphs as Word shows them, every change accepted, one per line."""
    return "\n".join(visible_text(group) for group in accepted_paragraphs(block_paragraphs(tc)))


def _flag(props, name: str) -> bool:
    """A boolean run property (``<w:b/>``, ``<w:b w:val="0"/>``) or a character style that means it."""
    if props is None:
        return False
    flag = props.find(f"{W}{name}")
    if flag is not None:
        return flag.get(f"{W}val", "true") not in ("0", "false", "off")
    style = props.find(f"{W}rStyle")
    wanted = {"b": ("strong", "bold"), "i": ("emphasis", "italic")}[name]
    return style is not None and (style.get(f"{W}val") or "").lower().startswith(wanted)


def _pieces(paragraphs, part):
    """(text, bold, italic, href) of what Word shows of paragraphs read as one."""
    for p in paragraphs:
        for node, link in accepted(p):
            text = piece_text(node)
            if text is None:
                continue
            if node.tag != f"{W}t":
                yield text, False, False, None
                continue
            props = node.getparent().find(f"{W}rPr")
            rid = link.get(f"{R}id") if link is not None else None
            href = part.rels[rid].target_ref if rid in part.rels and part.rels[rid].is_external else None
            yield text, _flag(props, "b"), _flag(props, "i"), href


def _cell_markdown(tc, part) -> tuple[str, bool, bool]:
    """A cell's text with Word's bold, italic and links as Markdown, (text,
    formatting found, a link Word keeps as a field, which cannot be read)."""
    pieces: list[tuple] = []
    for group in accepted_paragraphs(block_paragraphs(tc)):
        pieces += _pieces(group, part)
        pieces.append(("\n", False, False, None))
    formatted = any(bold or italic or href for _, bold, italic, href in pieces)
    field_link = any("HYPERLINK" in (t.text or "") for t in tc.iter(f"{W}instrText"))
    return inline_markdown(pieces[:-1], breaks=True), formatted, field_link


def _row_comments(document, tr) -> list[str]:
    ids = sorted({int(i) for i in tr.xpath(".//w:commentRangeStart/@w:id | .//w:commentReference/@w:id")})
    notes = []
    for comment_id in ids:
        comment = document.comments.get(comment_id)
        if comment is not None and comment.text.strip():
            notes.append(" ".join(comment.text.split()))
    return notes


def _title(document) -> str:
    """The kit's title from its document properties; none when the properties part holds
    something else (Word opens such a file too, and the table is still read)."""
    try:
        return document.core_properties.title or ""
    except (AttributeError, ValueError, TypeError):
        return ""


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
    result = ReviewTable(_title(document), [])
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
