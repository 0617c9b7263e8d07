"""The units of a file imported into the memory (TMX, PO, XLIFF, CSV),
what cannot be used counted by reason, and indexing such a file (read on
one core, inserted on the other).

May import: errors, text, model, parallel, pofile, lifecycle, tmx, xliff, memory.index.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from workflow.core.errors import InputError
from workflow.core.model import ALIGNED_ORIGIN
from workflow.core.text import mostly_han
from workflow.memory.index import MemoryUnit, insert_units, normalize, prepared

FILE_KINDS = {".tmx": "tmx", ".po": "po", ".xlf": "xliff", ".xliff": "xliff", ".csv": "csv"}


def _tmx_units(path: Path, display: str, source_language: str, lang: str, skipped: Counter):
    from workflow.kits import tmx

    for unit in tmx.read(path, display, source_language, lang):
        if unit.problem or not unit.source.strip() or not unit.target.strip():
            skipped[unit.problem or "empty source or translation"] += 1
            continue
        where = unit.props.get("x-article", "") or unit.tuid or path.name
        if (
            unit.props.get("x-origin", "").startswith((ALIGNED_ORIGIN, "aligned"))
            or unit.props.get("x-state") == "aligned"
        ):
            score = unit.props.get("x-align-score", "")
            yield MemoryUnit(
                unit.source,
                unit.target,
                unit.props.get("x-role", ""),
                f"{ALIGNED_ORIGIN}{f' {score}' if score else ''} · {where}",
                "aligned",
                unit.who,
                unit.date,
                note=unit.note,
                provenance=f"aligned{f' · {score}' if score else ''}",
            )
            continue
        yield MemoryUnit(
            unit.source,
            unit.target,
            unit.props.get("x-role", ""),
            where,
            "imported",
            unit.who,
            unit.date,
            note=unit.note,
            provenance=unit.props.get("x-origin", ""),
        )


def _po_units(path: Path, display: str, lang: str, skipped: Counter):
    from workflow.po import lifecycle, pofile

    po = pofile.load(path, display)
    language = (po.metadata.get("Language") or lang).replace("-", "_")
    if language.split("_")[0] != lang.split("_")[0]:
        skipped[f"a catalog for language {language}, not {lang}"] += len(po)
        return
    for e in po:
        if e.obsolete or pofile.is_header(e):
            continue
        if lifecycle.state(e) not in (lifecycle.State.TRANSLATED, lifecycle.State.REVIEWED):
            skipped[f"{lifecycle.state(e).value} (only translated entries are taken)"] += 1
            continue
        seed = lifecycle.seed(e)
        yield MemoryUnit(
            e.msgid,
            pofile.first_msgstr(e),
            e.msgctxt or "",
            path.name,
            "imported",
            provenance=seed.label if seed is not None else "",
        )


def _xliff_units(path: Path, display: str, lang: str, skipped: Counter):
    from workflow.kits import xliff

    document = xliff.read(path.read_bytes(), display)
    if document.target_language and document.target_language.replace("_", "-").split("-")[0] != lang.split("_")[0]:
        skipped[f"a file for language {document.target_language}, not {lang}"] += len(document.units)
        return
    for unit in document.units:
        if unit.problem or unit.state != "translated":
            skipped[unit.problem or f"{unit.state} (only translated units are taken)"] += 1
            continue
        yield MemoryUnit(unit.source, unit.target, "", path.name, "imported", provenance=unit.origin)


def _csv_units(path: Path, display: str, skipped: Counter):
    import csv
    import io

    from workflow.core.text import decode

    text = decode(path.read_bytes(), display, InputError)
    head = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=head.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
    if "source" not in columns or "target" not in columns:
        raise InputError("a memory CSV needs the columns source and target", display, 1)
    try:
        for row in reader:
            source, target = row[columns["source"]] or "", row[columns["target"]] or ""
            if not source.strip() or not target.strip():
                skipped["empty source or translation"] += 1
                continue
            yield MemoryUnit(source, target, (row.get(columns.get("role", ""), "") or ""), path.name, "imported")
    except csv.Error as exc:
        raise InputError(f"broken CSV: {exc}", display, reader.line_num) from None


def _prepared_file(path: Path, display: str, source_language: str, lang: str):
    """``prepared`` of a file's units, with the skip reasons last (what the child process runs)."""
    skipped: Counter = Counter()
    yield from prepared(file_units(path, display, source_language, lang, skipped), skipped)


def index_file(
    con: sqlite3.Connection,
    collection: str,
    path: Path,
    display: str,
    source_language: str,
    lang: str,
    skipped: Counter,
    progress=None,
) -> tuple[int, int]:
    """Index an imported file: read and prepared on one core, inserted on the other."""
    from workflow.core.parallel import background

    def rows():
        for item in background(_prepared_file, (path, display, source_language, lang), batch=2000):
            if item[0] == "skipped":
                skipped.update(item[1])
            else:
                yield item

    return insert_units(con, collection, lang, rows(), dedupe=True, ready=True, progress=progress)


def file_units(path: Path, display: str, source_language: str, lang: str, skipped: Counter):
    """The units of an imported file, in ``source_language`` → ``lang``; what
    cannot be used is counted in ``skipped`` by reason."""
    kind = FILE_KINDS.get(path.suffix.lower())
    if kind == "tmx":
        units = _tmx_units(path, display, source_language, lang, skipped)
    elif kind == "po":
        units = _po_units(path, display, lang, skipped)
    elif kind == "xliff":
        units = _xliff_units(path, display, lang, skipped)
    elif kind == "csv":
        units = _csv_units(path, display, skipped)
    else:
        raise InputError(f"not a memory format (use {', '.join(FILE_KINDS)})", display)
    return _translations_only(units, lang, skipped)


def untranslated_reason(source: str, target: str, lang: str) -> str | None:
    """Why an imported unit is no translation at all, or None: its target
    is its source (a pseudo-translated or copied memory), or, for a
    language not written in Han characters, mostly Han."""
    if normalize(target) == normalize(source):
        return "the translation is the source text (target = source)"
    if mostly_han(target, lang):
        return f"the translation is mostly Han characters (not {lang})"
    return None


def _translations_only(units, lang: str, skipped: Counter):
    for unit in units:
        reason = untranslated_reason(unit.source, unit.target, lang)
        if reason:
            skipped[reason] += 1
        else:
            yield unit
