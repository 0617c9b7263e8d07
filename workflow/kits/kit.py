"""Translator kits: what ``export`` writes and ``submit`` reads back.

Formats: PO (Poedit, Weblate), XLIFF 1.2 out and 1.1/1.2/2.0 in (every CAT
tool), CSV (Excel, LibreOffice, Google Sheets; ``,`` ``;`` or tab) and a
Word review table; the OmegaT project kit (a folder around the PO kit) is
``omegat``'s.  Writers take ``KitRow`` lists and return bytes; readers
return a ``Kit`` and raise ``KitError`` naming the file and the row or line.

Notes travel both ways: the translator's note is the comment column (CSV,
Word), a translator ``<note>`` (XLIFF) or a translator comment (PO); the
reviewer's notes are written into every format (``Reviewer: …`` lines in the
comment column, ``<note from="reviewer">``, the PO history) and never read
back as the translator's.

May import: errors, model, text, xliff, pofile, lifecycle, catalog, word.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field

from workflow.core.errors import CatalogError, KitError
from workflow.core.model import ALIGNED_ORIGIN
from workflow.core.text import decode

FORMATS = ("po", "xliff", "csv", "docx", "omegat")
EXTENSIONS = {"po": ".po", "xliff": ".xlf", "csv": ".csv", "docx": ".docx", "omegat": ".omegat"}  # omegat: a folder
CSV_COLUMNS = ("id", "role", "state", "source", "target", "comment", "glossary", "memory", "origin")
KIT_MARK = "bilingual-kit"
REVIEWER_PREFIX = "Reviewer: "
ID_NOTE = "ID: "  # the segment ID line of a PO entry's extracted comment (po2xliff copies it)
MEMORY_LINE = "Translation memory: "  # a PO kit's note on a memory suggestion, ending in its fingerprint


@dataclass(frozen=True)
class KitRow:
    id: str
    source: str
    target: str
    state: str = ""  # what the kit says: untranslated, fuzzy, translated, reviewed
    role: str = ""
    comment: str = ""  # the translator's note: comes back into the PO entry
    glossary: str = ""  # hints for the translator; read-only
    where: int | None = None  # row or line in the kit
    fuzzy: bool = False
    review_note: str = ""  # the reviewer's note to the translator; written, never read back
    approved: bool = False  # the kit marks it approved or signed off (XLIFF)
    problem: str = ""  # why the row cannot be taken as it is (an unknown inline code)
    memory: tuple | None = None  # the memory's suggestion: (score, source, target, origin); written only
    suggestion: bool = False  # read: the kit's memory suggestion, unedited and still marked fuzzy (PO)
    memory_note: str = ""  # the note the memory keeps with its suggestion (a TMX <note>); written only
    #: Where an unconfirmed draft target came from (``lifecycle.Seed.label``: ``machine · deepl · deepl-v2``);
    #: read back, only its kind counts (a CAT tool's own machine text, say).
    origin: str = ""


@dataclass
class Kit:
    article: str | None
    language: str | None
    rows: list[KitRow]
    format: str
    #: What the kit says it was made from (XLIFF's <file original= source-language=>).
    source_path: str | None = None
    source_language: str | None = None
    where: int | None = None  # the line that says so
    notices: list[str] = field(default_factory=list)  # what the reader wants the user to know
    from_po: bool = False  # an XLIFF made by po2xliff


def format_of(path: str) -> str:
    lower = path.lower()
    for fmt, ext in (("po", ".po"), ("xliff", ".xlf"), ("xliff", ".xliff"), ("csv", ".csv"), ("docx", ".docx")):
        if lower.endswith(ext):
            return fmt
    raise KitError("unknown kit format (use .po, .xlf/.xliff, .csv, .docx, or an OmegaT project folder or .zip)", path)


def read_kit(data: bytes, path: str) -> Kit:
    """Any kit, by its file name's extension."""
    readers = {"csv": read_csv, "xliff": read_xliff, "docx": read_docx, "po": read_po}
    return readers[format_of(path)](data, path)


def _name_parts(path: str) -> tuple[str | None, str | None]:
    """A kit named ARTICLE.LANG.EXT, as export names it; renamed kits are
    matched to their article by segment IDs instead."""
    parts = os.path.basename(path).split(".")
    if len(parts) >= 3:
        return parts[0], parts[1]
    return None, None


def memory_line(row: KitRow) -> str:
    """The memory's suggestion: ``87% · the suggested translation`` (`` · note: …``
    when the memory has one); '' for none."""
    if not row.memory:
        return ""
    origin = row.memory[3] if len(row.memory) > 3 else ""
    marked = f" ({origin})" if origin.startswith(ALIGNED_ORIGIN) else ""  # paired by the aligner: nobody vouched
    return f"{row.memory[0]}%{marked} · {row.memory[2]}" + (f" · note: {row.memory_note}" if row.memory_note else "")


def memory_cell(row: KitRow) -> str:
    """The Word kit's memory column: the suggestion, and where a draft
    target came from (``draft: machine · deepl``; the CSV kit has a column for it)."""
    lines = [memory_line(row)] if row.memory else []
    if row.origin:
        lines.append(f"draft: {row.origin}")
    return "\n".join(lines)


def origin_of(row: KitRow):
    """The kind of origin a kit row says its target has (``model.Origin``), or None."""
    from workflow.core.model import Origin

    kind = row.origin.split(" · ", 1)[0].strip().lower()
    return next((o for o in Origin if o.value == kind), None)


def comment_cell(row: KitRow) -> str:
    """The comment column: the translator's note, then the reviewer's, marked."""
    lines = [row.comment] if row.comment else []
    if row.review_note:
        lines.append(REVIEWER_PREFIX + row.review_note)
    return "\n".join(lines)


def translator_part(cell: str) -> str:
    """The translator's note in a comment column (the reviewer's lines dropped)."""
    return " ".join(line for line in cell.splitlines() if not line.strip().startswith(REVIEWER_PREFIX)).strip()


# -- CSV ---------------------------------------------------------------------------------


def write_csv(article: str, language: str, rows: list[KitRow]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [r.id, r.role, r.state, r.source, r.target, comment_cell(r), r.glossary, memory_line(r), r.origin]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


_DELIMITERS = {",": "','", ";": "';'", "\t": "tab"}


def _delimiter(text: str) -> str:
    """The delimiter of the header row: the one that splits it into our
    columns; else the one it holds most of (to name in the error)."""
    head = next((line for line in text.splitlines() if line.strip()), "")
    for d in _DELIMITERS:
        cells = {c.strip().strip('"').lower() for c in head.split(d)}
        if {"id", "source", "target"} <= cells:
            return d
    return max(_DELIMITERS, key=head.count)


def read_csv(data: bytes, path: str) -> Kit:
    text = decode(data, path, KitError, hint=" (save the CSV as 'CSV UTF-8')")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = None
    rows: list[KitRow] = []
    try:
        for record in reader:
            line = reader.line_num
            if not record or not any(c.strip() for c in record):
                continue
            if header is None:
                header = [c.strip().lower() for c in record]
                missing = [c for c in ("id", "source", "target") if c not in header]
                if missing:
                    raise KitError(
                        f"the header row lacks the column(s) {', '.join(missing)} (read with "
                        f"{_DELIMITERS[delimiter]} as the delimiter)",
                        path,
                        line,
                    )
                continue
            if len(record) != len(header):
                raise KitError(f"row has {len(record)} cells, the header {len(header)}", path, line)
            cells = dict(zip(header, record))
            if not cells["id"].strip():
                raise KitError("row without an id", path, line)
            rows.append(
                KitRow(
                    id=cells["id"].strip(),
                    source=cells["source"],
                    target=cells["target"],
                    state=cells.get("state", ""),
                    role=cells.get("role", ""),
                    comment=translator_part(cells.get("comment", "")),
                    where=line,
                    origin=cells.get("origin", "").strip(),
                )
            )
    except csv.Error as exc:
        raise KitError(f"broken CSV: {exc}", path, reader.line_num) from None
    if header is None:
        raise KitError("no header row", path, 1)
    article, language = _name_parts(path)
    return Kit(article, language, rows, "csv")


# -- XLIFF ---------------------------------------------------------------------------------


def write_xliff(article: str, source_path: str, source_lang: str, language: str, rows: list[KitRow]) -> bytes:
    from workflow.kits import xliff

    return xliff.write(rows, source_path, source_lang, language, f"{KIT_MARK} article={article}")


def read_xliff(data: bytes, path: str) -> Kit:
    from workflow.kits import xliff

    document = xliff.read(data, path, KitError)
    rows, article = [], None
    for unit in document.units:
        if unit.extradata.startswith(KIT_MARK):
            article = unit.extradata.split("article=", 1)[-1].strip() or article
        ids = [n[len(ID_NOTE) :].strip() for n in unit.developer if n.startswith(ID_NOTE)] if document.from_po else []
        rows.append(
            KitRow(
                id=ids[0] if ids else unit.id,
                source=unit.source,
                target=unit.target,
                state=unit.state,
                comment=" ".join(unit.notes),
                where=unit.line,
                fuzzy=unit.state == "fuzzy",
                approved=unit.approved,
                problem=unit.problem,
                origin=unit.origin,
            )
        )
    language = document.target_language
    if document.from_po:  # po2xliff: its <file> names the PO file and says en-US, whatever the languages
        return Kit(
            article,
            language.replace("-", "_") if language else None,
            rows,
            "xliff",
            where=document.line,
            notices=[
                "made by po2xliff from a PO file: units matched by the segment ID in their notes and by source text"
            ],
            from_po=True,
        )
    return Kit(
        article,
        language.replace("-", "_") if language else None,
        rows,
        "xliff",
        source_path=document.original,
        source_language=document.source_language,
        where=document.line,
    )


# -- DOCX review table ----------------------------------------------------------------------


def write_docx(article: str, language: str, rows: list[KitRow], date, creator: str) -> bytes:
    from workflow.word.table import render_review_table

    title = f"{article} ({language}) · {KIT_MARK}"
    return render_review_table(
        title, [(r.id, r.source, r.target, r.state, comment_cell(r), memory_cell(r)) for r in rows], date, creator
    )


def read_docx(data: bytes, path: str) -> Kit:
    from workflow.word.table import WordFileError, read_review_table

    try:
        table = read_review_table(data)
    except WordFileError as exc:
        raise KitError(str(exc), path, exc.row) from None
    article = language = None
    if KIT_MARK in table.title:
        head = table.title.split(" · ")[0]
        article, _, rest = head.partition(" (")
        language = rest.rstrip(")") or None
    rows = []
    for r in table.rows:
        if not r["ID"].strip():
            continue
        note = " ".join(filter(None, [translator_part(r["comment"]), *r["notes"]]))
        rows.append(
            KitRow(
                id=r["ID"].strip(),
                source=r["中文"],
                target=r["English"].strip(),
                state=r["status"].strip(),
                comment=note,
                where=r["row"],
            )
        )
    notices = []
    if table.tracked:
        notices.append(f"{table.tracked} cell(s) with tracked changes, read with every change accepted")
    if table.comments:
        notices.append(f"{table.comments} Word comment(s) taken as translator notes")
    if table.formatted:
        notices.append(f"{table.formatted} English cell(s) with Word bold, italic or links, read as Markdown")
    notices += [f"row {row}: {problem}" for row, problem in table.problems]
    return Kit(article or None, language, rows, "docx", notices=notices)


# -- PO ---------------------------------------------------------------------------------


def write_po(po, entries, article: str, suggestions: dict | None = None, notes: dict | None = None) -> bytes:
    """A PO file with only ``entries`` of the catalog ``po``, for Poedit or
    Weblate.  An untranslated entry with a memory suggestion comes as a fuzzy
    entry holding it, with the memory's source in ``#|`` (the kit only)."""
    from workflow.po import lifecycle, pofile
    from workflow.po.catalog import entry_id

    kit = pofile.new_file(po.header, {**po.metadata, "X-Bilingual-Article": article})
    for e in entries:
        copy = lifecycle.kit_copy(e, _kit_flags(e))
        hit = (suggestions or {}).get(entry_id(e))
        if hit and not pofile.first_msgstr(e):
            score, source, target, origin = hit
            lifecycle.kit_suggestion(copy, target, source)
            copy.comment = (
                f"{copy.comment}\n{MEMORY_LINE}{score}% from {origin} · #{lifecycle.fingerprint(copy)}".strip()
            )
            note = (notes or {}).get(entry_id(e))
            if note:
                copy.comment += f"\nTranslation memory note: {note}"
        kit.append(copy)
    return pofile.dump(kit).encode("utf-8")


def _unedited(entry) -> bool:
    """Does the entry still hold the memory suggestion its kit was written with?"""
    from workflow.po.lifecycle import fingerprint

    lines = [ln for ln in (entry.comment or "").splitlines() if ln.startswith(MEMORY_LINE)]
    return bool(lines) and lines[-1].rstrip().endswith(f" · #{fingerprint(entry)}")


def _kit_flags(e) -> list:
    """The entry's flags, with ``fuzzy`` on a draft that is fuzzy by its
    origin alone (machine text no person confirmed), so Poedit shows it so."""
    from workflow.po import lifecycle

    flags = list(e.flags)
    if "fuzzy" not in flags and lifecycle.state(e) is lifecycle.State.FUZZY:
        flags.append("fuzzy")
    return flags


def read_po(data: bytes, path: str) -> Kit:
    """A PO kit, or any PO file for an article (one saved by Weblate, say).
    A translator comment that is not a history line (what Poedit writes) is
    the translator's note."""
    from workflow.po import lifecycle, pofile
    from workflow.po.catalog import entry_id

    try:
        po = pofile.parse(pofile.decode_po(data, path), path)
    except CatalogError as exc:  # it already names the line
        raise KitError(exc.message, path, exc.line) from None
    rows = []
    for e in po:
        if e.obsolete or pofile.is_header(e):
            continue
        target = pofile.first_msgstr(e)
        note = lifecycle.note(e, lifecycle.Note.TRANSLATOR) or lifecycle.free_text(e)
        fuzzy = "fuzzy" in e.flags and bool(target)
        rows.append(
            KitRow(
                id=entry_id(e),
                source=e.msgid,
                target=target,
                role=e.msgctxt or "",
                state=lifecycle.state(e).value,
                fuzzy=fuzzy,
                suggestion=fuzzy and _unedited(e),
                comment=note,
                where=e.linenum,
            )
        )
    article = po.metadata.get("X-Bilingual-Article") or os.path.basename(path).split(".")[0]
    return Kit(article, po.metadata.get("Language") or None, rows, "po")
