"""The project's translation memory: what the desk already translated,
offered for every new segment.

**Where it lives.** The truth is in text files: the project's PO files
(every translated entry of every article) and the files imported with
``bilingual tm import``, kept as they came in ``translations/memory/`` (TMX,
PO, XLIFF, CSV).  ``.bilingual-cache/memory.sqlite`` is an index of them
(``memory.index``), kept in step by content hashes (a file's size and time
only spare re-reading an unchanged file) and rebuilt, with a warning, when
it is missing, corrupt or of an older layout.  Lookups: ``memory.matching``;
imported files' units: ``memory.files``; sentence pairs of the desk's
uneven paragraphs: ``memory.sentences``.  This module is the memory's face:
the names callers use are re-exported here.

May import: errors, cache, fsio, pofile, lifecycle, catalog, tmx, project, memory.index,
memory.matching, memory.files, memory.sentences.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from workflow.core.errors import InputError
from workflow.core.fsio import file_digest
from workflow.memory import sentences
from workflow.memory.files import FILE_KINDS, file_units, index_file, untranslated_reason
from workflow.memory.index import (
    OPTIMIZE_AFTER,
    RANK,
    SCHEMA,
    SHADOWED,
    MemoryError_,
    MemoryUnit,
    _connect,
    _prepare,
    _transaction,
    discard_index,
    drop_collection,
    insert_units,
    key,
    normalize,
    open_index,
    prepared,
    punctuation_folded,
)
from workflow.memory.matching import BANDS, SUGGESTION_FLOOR, Match, Memory, Query, band

__all__ = [
    "BANDS",
    "FILE_KINDS",
    "OPTIMIZE_AFTER",
    "RANK",
    "SCHEMA",
    "SHADOWED",
    "SUGGESTION_FLOOR",
    "ImportReport",
    "Match",
    "Memory",
    "MemoryError_",
    "Query",
    "MemoryUnit",
    "band",
    "discard_index",
    "drop_collection",
    "export_units",
    "file_units",
    "import_file",
    "index_file",
    "insert_units",
    "key",
    "normalize",
    "open_index",
    "open_memory",
    "po_units",
    "prepared",
    "punctuation_folded",
    "sync",
    "untranslated_reason",
    "_transaction",
]


MEMORY_DIR = "memory"  # under the translations folder


LONG_INDEX = 20_000_000


@dataclass
class ImportReport:
    file: str
    stored_as: str
    added: int = 0
    duplicate: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason → count


def po_units(po, article: str) -> list[MemoryUnit]:
    """The translated and reviewed entries of a project catalog, each with
    the sources of the segments before and after it (its context)."""
    from workflow.po import lifecycle, pofile
    from workflow.po.catalog import entry_id

    live = [e for e in po if not e.obsolete and not pofile.is_header(e)]
    out = []
    for i, e in enumerate(live):
        state = lifecycle.state(e)
        if state not in (lifecycle.State.TRANSLATED, lifecycle.State.REVIEWED):
            continue
        who, when = lifecycle.last_translation(e)
        seed = lifecycle.seed(e)
        out.append(
            MemoryUnit(
                e.msgid,
                pofile.first_msgstr(e),
                e.msgctxt or "",
                f"{article}:{entry_id(e)}",
                state.value,
                who,
                when,
                normalize(live[i - 1].msgid) if i else "",
                normalize(live[i + 1].msgid) if i + 1 < len(live) else "",
                provenance=seed.label if seed is not None else lifecycle.Origin.HUMAN.value,
            )
        )
    return out


def index_path(project) -> Path:
    from workflow.core.project import CACHE_DIR

    return project.root / CACHE_DIR / "memory.sqlite"


def memory_dir(project) -> Path:
    return project.translations_dir / MEMORY_DIR


def collections(project) -> list[tuple[str, Path, str, str]]:
    """(name, file, target language, kind) of everything the memory is made
    of: the project's catalogs, then the imported files, in a fixed order."""
    out = []
    for lang in project.config.target_languages:
        folder = project.translations_dir / lang
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            out.append((f"po:{project.rel(path)}", path, lang, "project"))
    folder = memory_dir(project)
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.is_file() and path.suffix.lower() in FILE_KINDS and not path.name.startswith("."):
            for lang in project.config.target_languages:
                out.append((f"file:{project.rel(path)}#{lang}", path, lang, FILE_KINDS[path.suffix.lower()]))
    return out


def _units_of(project, path: Path, lang: str, kind: str, skipped: Counter):
    from workflow.po import pofile

    display = project.rel(path)
    if kind == "project":
        return po_units(pofile.load(path, display), path.stem)
    return file_units(path, display, project.config.source_language, lang, skipped)


def sync(con: sqlite3.Connection, project) -> None:
    """Bring the index in step with the files: a file whose size or time
    changed is read again and re-indexed only if its content hash changed."""
    wanted = collections(project)
    for name, path, lang, kind in wanted:
        stat = path.stat()
        row = con.execute("SELECT size, mtime, digest FROM collections WHERE name = ?", (name,)).fetchone()
        if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns:
            continue
        digest = file_digest(path)
        tick = None
        if stat.st_size >= LONG_INDEX and (not row or row[2] != digest):
            from workflow.core import cache

            cache.warn(
                f"indexing {project.rel(path)} ({stat.st_size / 1e6:.0f} MB) for the translation memory; "
                "about 40 s per million units, once"
            )
            if cache.rebuild_progress is not None:
                tick = functools.partial(cache.rebuild_progress, project.rel(path))

        def work(name=name, path=path, lang=lang, kind=kind, digest=digest, stat=stat, tick=tick):
            now = con.execute("SELECT digest FROM collections WHERE name = ?", (name,)).fetchone()
            if not now or now[0] != digest:  # another process may have done it meanwhile
                drop_collection(con, name)
                if kind == "project":
                    units = sentences.with_sentences(con, _units_of(project, path, lang, kind, Counter()))
                    insert_units(con, name, lang, units)
                else:
                    index_file(
                        con, name, path, project.rel(path), project.config.source_language, lang, Counter(), tick
                    )
                    if tick is not None:
                        tick(None)  # done
            con.execute(
                "INSERT OR REPLACE INTO collections VALUES (?,?,?,?)", (name, stat.st_size, stat.st_mtime_ns, digest)
            )

        _transaction(con, work)
    gone = {row[0] for row in con.execute("SELECT name FROM collections")} - {w[0] for w in wanted}
    for name in sorted(gone):
        _transaction(con, lambda name=name: drop_collection(con, name))


def open_memory(project) -> Memory:
    """The project's memory, in step with its files.  An index that is
    damaged (found on opening, while syncing, or in a lookup) is rebuilt
    from the files, once, with a notice; never fatal."""
    path = index_path(project)
    con, notices = open_index(path)
    try:
        sync(con, project)
    except sqlite3.DatabaseError as exc:
        con.close()
        con, notices = _rebuilt(project, path, exc, notices)
    return Memory(con, notices, lambda exc: _rebuilt(project, path, exc, [])[0])


def _rebuilt(project, path: Path, exc: Exception, notices: list[str]) -> tuple[sqlite3.Connection, list[str]]:
    """A fresh index in place of a damaged one (in memory when the disk refuses it)."""
    try:
        discard_index(path)
    except OSError:
        pass
    con, more = open_index(path)
    notices = (
        notices
        + [
            f"the memory's index {path.name} was damaged ({exc}); rebuilt from the translations "
            "and translations/memory/"
        ]
        + [n for n in more if "in memory" in n]
    )
    try:
        sync(con, project)
    except sqlite3.DatabaseError as again:  # the disk refuses the rebuilt one too: in memory
        con.close()
        con = _connect(":memory:")
        _prepare(con)
        notices.append(f"the memory's index {path.name} cannot be written ({again}); this command builds it in memory")
        sync(con, project)
    return con, notices


def _stored_name(folder: Path, path: Path, digest: str) -> tuple[Path, bool]:
    """Where an imported file is kept, and whether that very file is there already."""
    candidate, n = folder / path.name, 1
    while candidate.exists():
        if file_digest(candidate) == digest:
            return candidate, True
        n += 1
        candidate = folder / f"{path.stem}-{n}{path.suffix}"
    return candidate, False


def _keep_copy(path: Path, stored: Path) -> None:
    """Copy an imported file into the memory folder whole or not at all."""
    import shutil

    from workflow.core.fsio import temporary_beside

    tmp = temporary_beside(stored)
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, tmp)
        os.replace(tmp, stored)
    except OSError as exc:
        exc.filename = str(stored)  # not the file read: the one that could not be written
        raise exc from None
    finally:
        tmp.unlink(missing_ok=True)


def _disk_refused(exc: sqlite3.DatabaseError, path: Path) -> OSError | None:
    """The ``OSError`` behind an SQLite failure that is the disk's doing (full, read-only), or None."""
    import errno

    text = str(exc).lower()
    code = errno.ENOSPC if "full" in text else errno.EROFS if "readonly" in text or "read-only" in text else None
    if code is None:
        return None
    return OSError(code, os.strerror(code), str(path))


def import_file(project, path: Path, display: str, langs: list[str], kept: list[Path] | None = None) -> ImportReport:
    """Index ``path`` and keep it in ``translations/memory/`` (all or nothing;
    a file kept is added to ``kept``, for the caller to take back if a later one fails)."""
    if path.suffix.lower() not in FILE_KINDS:
        raise InputError(f"not a memory format (use {', '.join(FILE_KINDS)})", display)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "is a folder, not a file", display)
    digest = file_digest(path)
    stored, already = _stored_name(memory_dir(project), path, digest)
    report = ImportReport(display, project.rel(stored))
    con = open_memory(project).con  # damage found on the way is rebuilt first
    try:
        _transaction(con, lambda: _import_work(project, con, path, display, langs, stored, already, digest, report))
        if not already and kept is not None:
            kept.append(stored)
    except sqlite3.DatabaseError as exc:
        if not already:
            stored.unlink(missing_ok=True)
        refused = _disk_refused(exc, index_path(project))
        if refused is None:
            raise
        raise refused from None
    except BaseException:
        if not already:
            stored.unlink(missing_ok=True)  # the index rolled back: the copy goes too
        raise
    finally:
        con.close()
    return report


def _import_work(
    project, con, path: Path, display: str, langs, stored: Path, already: bool, digest: str, report: ImportReport
) -> None:
    for lang in langs:
        if already:
            report.duplicate += sum(
                1 for _ in file_units(path, display, project.config.source_language, lang, report.skipped)
            )
            continue
        added, duplicates = index_file(
            con,
            f"file:{project.rel(stored)}#{lang}",
            path,
            display,
            project.config.source_language,
            lang,
            report.skipped,
        )
        report.added += added
        report.duplicate += duplicates
    if not already:
        _keep_copy(path, stored)
        stat = stored.stat()
        con.executemany(
            "INSERT OR REPLACE INTO collections VALUES (?,?,?,?)",
            [(f"file:{project.rel(stored)}#{lang}", stat.st_size, stat.st_mtime_ns, digest) for lang in langs],
        )


def _tmx_date(date: str) -> str:
    digits = re.sub(r"\D", "", date)
    return f"{digits[:8]}T000000Z" if len(digits) >= 8 else ""


def export_units(memory: Memory, lang: str):
    """Every unit of ``lang``, in a stable order, shaped for ``tmx.write``."""
    from workflow.kits.tmx import TranslationUnit

    rows = memory.con.execute(
        "SELECT origin, role, state, coalesce(source, norm), target, who, date, id, note, "
        f"provenance FROM units WHERE lang = ? AND NOT {SHADOWED.format(u='units')} "
        "ORDER BY rank, origin, norm, id",
        (lang,),
    )
    for origin, role, state, source, target, who, date, uid, note, provenance in rows:
        article, _, segment = (origin or "").partition(":")
        props = {
            "x-role": role or "",
            "x-article": article,
            "x-segment": segment,
            "x-state": state,
            "x-origin": provenance or "",
        }
        yield TranslationUnit(
            source, target, origin or f"u{uid}", props, who or "", _tmx_date(date or ""), note=note or ""
        )
