"""Translator kits: what ``export`` writes and ``submit`` reads back.

Formats: PO (Poedit, Weblate), XLIFF 1.2 (every CAT tool; through Translate
Toolkit's storage classes), CSV (Excel, UTF-8 with BOM) and a Word review
table.  Writers take ``KitRow`` lists and return bytes; readers return a
``Kit`` and raise ``KitError`` naming the file and the row or line.

May import: errors, text, pofile, lifecycle, catalog, word.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .errors import CatalogError, KitError
from .text import decode

FORMATS = ("po", "xliff", "csv", "docx")
EXTENSIONS = {"po": ".po", "xliff": ".xlf", "csv": ".csv", "docx": ".docx"}
CSV_COLUMNS = ("id", "role", "state", "source", "target", "comment", "glossary")
KIT_MARK = "bilingual-kit"


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


def format_of(path: str) -> str:
    lower = path.lower()
    for fmt, ext in (("po", ".po"), ("xliff", ".xlf"), ("xliff", ".xliff"), ("csv", ".csv"), ("docx", ".docx")):
        if lower.endswith(ext):
            return fmt
    raise KitError("unknown kit format (use .po, .xlf/.xliff, .csv or .docx)", path)


# -- CSV ---------------------------------------------------------------------------------


def write_csv(article: str, language: str, rows: list[KitRow]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r.id, r.role, r.state, r.source, r.target, r.comment, r.glossary])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def read_csv(data: bytes, path: str) -> Kit:
    text = decode(data, path, KitError, hint=" (save the CSV as 'CSV UTF-8')")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    article = language = None
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
                    raise KitError(f"the header row lacks the column(s) {', '.join(missing)}", path, line)
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
                    comment=cells.get("comment", ""),
                    where=line,
                )
            )
    except csv.Error as exc:
        raise KitError(f"broken CSV: {exc}", path, reader.line_num) from None
    if header is None:
        raise KitError("no header row", path, 1)
    article, language = _name_parts(path)
    return Kit(article, language, rows, "csv")


def _name_parts(path: str) -> tuple[str | None, str | None]:
    """A kit named ARTICLE.LANG.EXT, as export names it; renamed kits are
    matched to their article by segment IDs instead."""
    import os

    parts = os.path.basename(path).split(".")
    if len(parts) >= 3:
        return parts[0], parts[1]
    return None, None


# -- XLIFF 1.2 ---------------------------------------------------------------------------

_XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"


def _xliff_classes():
    from translate.storage import xliff

    class Unit12(xliff.xliffunit):
        namespace = _XLIFF_NS

    class File12(xliff.xlifffile):
        UnitClass = Unit12
        namespace = _XLIFF_NS
        XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")

    return File12


_XLIFF_STATE = {"reviewed": "signed-off", "translated": "translated", "fuzzy": "needs-review-translation",
                "untranslated": "needs-translation"}


def write_xliff(article: str, source_path: str, source_lang: str, language: str, rows: list[KitRow]) -> bytes:
    File12 = _xliff_classes()
    store = File12(sourcelanguage=source_lang.replace("_", "-"), targetlanguage=language.replace("_", "-"))
    for r in rows:
        unit = store.addsourceunit(r.source, filename=source_path, createifmissing=True)
        unit.setid(r.id)
        unit.xmlelement.set("resname", r.id)
        unit.xmlelement.set("extradata", f"{KIT_MARK} article={article}")
        if r.target:
            unit.target = r.target
            unit.markfuzzy(r.state == "fuzzy")
            target = unit.xmlelement.find(f"{{{_XLIFF_NS}}}target")
            if target is not None:
                target.set("state", _XLIFF_STATE.get(r.state, "translated"))
            if r.state == "reviewed":
                unit.markapproved(True)
        unit.addnote(f"role: {r.role}", origin="developer")
        if r.glossary:
            unit.addnote(f"glossary: {r.glossary}", origin="developer")
        if r.comment:
            unit.addnote(r.comment, origin="translator")
    store.removedefaultfile()
    return bytes(store)


def read_xliff(data: bytes, path: str) -> Kit:
    from lxml import etree

    File12 = _xliff_classes()
    try:
        store = File12.parsestring(data)
    except (etree.XMLSyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None) or getattr(getattr(exc, "position", None), "__getitem__", lambda i: None)(0)
        raise KitError(f"not valid XLIFF: {exc}", path, line) from None
    rows = []
    article = None
    for unit in store.getunits():
        el = unit.xmlelement
        sid = el.get("id") or el.get("resname")
        if not sid:
            raise KitError("trans-unit without an id", path, el.sourceline)
        extra = el.get("extradata") or ""
        if extra.startswith(KIT_MARK):
            article = extra.split("article=", 1)[-1].strip() or article
        target = unit.target or ""
        note = unit.getnotes("translator") if hasattr(unit, "getnotes") else ""
        rows.append(
            KitRow(
                id=sid,
                source=unit.source or "",
                target=target,
                state="fuzzy" if unit.isfuzzy() else ("translated" if target else "untranslated"),
                comment=note or "",
                where=el.sourceline,
                fuzzy=unit.isfuzzy() and bool(target),
            )
        )
    language = store.gettargetlanguage()
    files = store.document.getroot().findall(f"{{{_XLIFF_NS}}}file")
    original = files[0].get("original") if files else None
    source_language = files[0].get("source-language") if files else None
    return Kit(article, language.replace("-", "_") if language else None, rows, "xliff",
               source_path=original, source_language=source_language,
               where=files[0].sourceline if files else None)


# -- DOCX review table ----------------------------------------------------------------------


def write_docx(article: str, language: str, rows: list[KitRow], date, creator: str) -> bytes:
    from .word import render_review_table

    title = f"{article} ({language}) · {KIT_MARK}"
    return render_review_table(title, [(r.id, r.source, r.target, r.state, r.comment) for r in rows], date, creator)


def read_docx(data: bytes, path: str) -> Kit:
    from .word import ReviewTableError, read_review_table

    try:
        title, table = read_review_table(data)
    except ReviewTableError as exc:
        raise KitError(str(exc), path, exc.row) from None
    article = language = None
    if KIT_MARK in title:
        head = title.split(" · ")[0]
        article, _, rest = head.partition(" (")
        language = rest.rstrip(")") or None
    rows = [
        KitRow(id=r["ID"].strip(), source=r["中文"], target=r["English"].strip(), state=r["status"].strip(),
               comment=r["comment"].strip(), where=r["row"])
        for r in table
        if r["ID"].strip()
    ]
    return Kit(article or None, language, rows, "docx")


# -- PO ---------------------------------------------------------------------------------


def write_po(po, entries, article: str) -> bytes:
    """A PO file with only ``entries`` of the catalog ``po``, for Poedit or Weblate."""
    from . import pofile

    kit = pofile.new_file(po.header, {**po.metadata, "X-Bilingual-Article": article})
    for e in entries:
        kit.append(pofile.new_entry(
            msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, comment=e.comment, tcomment=e.tcomment,
            occurrences=list(e.occurrences), flags=list(e.flags), previous_msgid=e.previous_msgid,
            previous_msgctxt=e.previous_msgctxt,
        ))
    return pofile.dump(kit).encode("utf-8")


def read_po(data: bytes, path: str) -> Kit:
    """A PO kit, or any PO file for an article (one saved by Weblate, say)."""
    from . import pofile
    from .catalog import entry_id
    from .lifecycle import state

    try:
        po = pofile.parse(pofile.decode_po(data, path), path)
    except CatalogError as exc:  # it already names the line
        raise KitError(exc.message, path, exc.line) from None
    rows = []
    for e in po:
        if e.obsolete or pofile.is_header(e):
            continue
        target = pofile.first_msgstr(e)
        rows.append(KitRow(id=entry_id(e), source=e.msgid, target=target, role=e.msgctxt or "", state=state(e).value,
                           fuzzy="fuzzy" in e.flags and bool(target), where=e.linenum))
    import os

    article = po.metadata.get("X-Bilingual-Article") or os.path.basename(path).split(".")[0]
    return Kit(article, po.metadata.get("Language") or None, rows, "po")


def read_kit(data: bytes, path: str) -> Kit:
    """Any kit, by its file name's extension."""
    readers = {"csv": read_csv, "xliff": read_xliff, "docx": read_docx, "po": read_po}
    return readers[format_of(path)](data, path)
