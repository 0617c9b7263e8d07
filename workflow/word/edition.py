"""The edition writer: the Chinese, English or bilingual Word file an ``EditionSpec`` describes.

Each unit of the spec becomes its paragraphs in the style its role is set
in (``typography.style_for``), with its photo; Markdown tables become Word
tables; the bilingual edition is set as alternating pairs or as a
two-column table; the newspaper look sets the head across the page and the
body in columns.  The paragraphs are made by ``word.body`` and the file is
written by ``word.package``, reproducibly (same spec, same bytes).

May import: model, body, ooxml, package, typography.
"""

from __future__ import annotations

from workflow.core.model import EditionBlock, EditionSpec, Piece
from workflow.word import package, typography
from workflow.word.body import Writer, direct, estimated_lines, photo_width
from workflow.word.ooxml import el, merge_ppr
from workflow.word.typography import KEPT_PAIR_LINES, TEXT_WIDTH_EMU, TEXT_WIDTH_TWIPS


def render_edition(spec: EditionSpec, progress=None, out=None) -> bytes | None:
    """Build one edition, reproducibly: written to the binary file ``out``,
    or returned as bytes.  Photos are streamed from their sources into the
    zip, never held whole."""
    newspaper = spec.look == "newspaper" and not (spec.edition == "bilingual" and spec.layout == "table")
    kind = package.template(
        spec.edition,
        bool(spec.draft_note),
        language=spec.language,
        furniture=spec.furniture is not None,
        look="newspaper" if newspaper else "reader",
    )
    writer = Writer(kind, spec)
    if spec.edition == "bilingual" and spec.layout == "table":
        _bilingual_table(writer, spec, progress)
    else:
        _flowing(writer, spec, newspaper, progress)
    if out is not None:
        package.write_package(writer, out)
        return None
    return package.package_bytes(writer)


def _flowing(writer: Writer, spec: EditionSpec, newspaper: bool, progress) -> None:
    """The units one after the other (the newspaper look: the head across the page, the rest in columns)."""
    previous = None
    spanning = _spanning(spec.units) if newspaper else 0
    for number, item in enumerate(_group_tables(spec.units)):
        if newspaper and number == spanning:  # the head's section ends: the body goes in columns
            writer.end_spanning_section()
        if isinstance(item, list):
            _md_table(writer, item)
        elif item.image is not None:  # once, in every edition, the alt text its description
            writer.add(writer.photo(item.image, _alt(item), writer.column_emu if number >= spanning else 0))
        elif item.kind == "pagebreak":
            writer.add(el("w:p", None, el("w:r", None, el("w:br", {"w:type": "page"}))))
        else:
            for paragraph in _unit_paragraphs(writer, item, spec, previous):
                writer.add(paragraph)
        previous = item
        if progress:
            progress(len(item) if isinstance(item, list) else 1)


def _style_for(unit: EditionBlock, piece: Piece, edition: str) -> str:
    return typography.style_for(unit.kind, unit.role, unit.level, piece.lang, edition)


def _alt(unit: EditionBlock) -> str:
    return " / ".join(p.text for p in unit.pieces if p.text)


def _group_tables(units: list[EditionBlock]):
    """Yield units, with consecutive Markdown table cells grouped in a list."""
    table: list[EditionBlock] = []
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


def _spanning(units: list[EditionBlock]) -> int:
    """How many of the first units span the columns in the newspaper look:
    the title and what comes with it (kicker, deck, subtitle)."""
    count = 0
    for unit in units:
        if unit.role not in ("title", "subtitle", "kicker", "deck") or unit.image is not None:
            break
        count += 1
    return count


def _unit_paragraphs(writer: Writer, unit: EditionBlock, spec: EditionSpec, previous) -> list:
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
    under_kicker = unit.role == "heading" and isinstance(previous, EditionBlock) and previous.role == "kicker"
    body = _style_for(unit, unit.pieces[0], spec.edition) == "Body Chinese"
    if body and len(paragraphs) == 2 and estimated_lines(paragraphs[0], TEXT_WIDTH_TWIPS + 216) <= KEPT_PAIR_LINES:
        direct(paragraphs[0], keep_next=True)
    pair = len(paragraphs) == 2 and not body
    if paragraphs and (pair or under_kicker):
        direct(
            paragraphs[0],
            keep_next=True if pair else None,
            before=0 if under_kicker else None,
            after=0 if pair else None,
        )
    if pair:
        direct(paragraphs[1], before=0)
    if unit.depth > 1 and unit.kind in ("bullet", "ordered"):  # a nested list: each level half an inch further in
        for p in paragraphs:
            merge_ppr(p, el("w:ind", {"w:left": 720 * unit.depth, "w:hanging": 360}))
    photo = previous.image if isinstance(previous, EditionBlock) and previous.image is not None else None
    if unit.role == "caption" and photo is not None and photo.available:  # as wide as its photo
        side = (TEXT_WIDTH_EMU - photo_width(photo)) // 2 // 635
        for p in paragraphs if side > 0 else []:
            merge_ppr(p, el("w:ind", {"w:left": side, "w:right": side, "w:firstLine": 0, "w:firstLineChars": 0}))
    return paragraphs


def _en_italic(unit: EditionBlock, piece: Piece, spec: EditionSpec) -> bool:
    """English captions, bylines and subtitles are italic; in the bilingual
    edition the style is shared with Chinese, so the runs carry it."""
    return spec.edition == "bilingual" and piece.lang == "en" and unit.role in ("caption", "byline", "subtitle")


def _md_table(writer: Writer, cells: list[EditionBlock]) -> None:
    rows: dict[int, dict[int, list]] = {}
    for unit in cells:
        row, col = unit.cell or (0, 0)
        rows.setdefault(row, {})[col] = [
            writer.paragraph("Body English" if p.lang == "en" else "Body Chinese", p) for p in unit.pieces
        ]
    ncols = max(max(r) for r in rows.values()) + 1
    table_rows = [[rows[r].get(c, []) for c in range(ncols)] for r in sorted(rows)]
    writer.table(table_rows[1:], header=table_rows[0], widths_pct=[100 / ncols] * ncols)


def _bilingual_table(writer: Writer, spec: EditionSpec, progress) -> None:
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


def _bilingual_rows(writer: Writer, spec: EditionSpec, units: list[EditionBlock], progress):
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
