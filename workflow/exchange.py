"""The translator loop: ``export`` kits, ``submit`` work back, ``review`` it.

Nothing here prints.  Every change to a PO file is made under the project
lock on a freshly loaded catalog and written atomically; a kit that cannot
be read stops the whole submission before anything is written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, kits, status
from .errors import KitError, UsageError
from .fsio import atomic_write, project_lock, read_input, write_if_changed
from .project import Project
from .services import glossary_of, languages, load_article, load_catalog
from .source import find_control_char

STATES = ("untranslated", "fuzzy", "translated", "reviewed")


def _stamp() -> str:
    return catalog.now_stamp()[:10]


# -- export ---------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: str
    rows: int
    format: str


def export(project: Project, article_name: str, lang: str, fmt: str, states=None, out: Path | None = None) -> ExportResult:
    if fmt not in kits.FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use {', '.join(kits.FORMATS)}")
    states = tuple(states or ("untranslated", "fuzzy", "translated", "reviewed"))
    bad = set(states) - set(STATES)
    if bad:
        raise UsageError(f"unknown state(s) {', '.join(sorted(bad))}: use {', '.join(STATES)}")
    (code,) = languages(project, lang)
    article = load_article(project, article_name)
    po = load_catalog(project, article.name, code)
    entries = [e for e in po if not e.obsolete and status.state(e) in states]
    glossary = glossary_of(project)
    rows = []
    for e in entries:
        hints = "; ".join(f"{t.source} = {t.target}" for t in glossary.hints(e.msgid))
        rows.append(
            kits.KitRow(
                id=catalog.entry_id(e), source=e.msgid, target=status.first_msgstr(e), state=status.state(e),
                role=e.msgctxt or "", comment=catalog.comment_value(e, "Translator note: "), glossary=hints,
            )
        )
    if out is None:
        out = project.output_dir / "kits" / f"{article.name}.{code}{kits.EXTENSIONS[fmt]}"
    if fmt == "po":
        data = catalog.kit_po(po, entries, article.name).encode("utf-8")
    elif fmt == "csv":
        data = kits.write_csv(article.name, code, rows)
    elif fmt == "xliff":
        data = kits.write_xliff(article.name, article.path, project.config.source_language, code, rows)
    else:
        from .services import _edition_date

        date = _edition_date(project, [po.metadata.get("PO-Revision-Date", "")])
        data = kits.write_docx(article.name, code, rows, date, project.config.publisher or project.config.project_name)
    write_if_changed(out, data)
    return ExportResult(project.rel(out), len(rows), fmt)


# -- submit ---------------------------------------------------------------------------

OUTCOMES = ("added", "changed", "unchanged", "stale", "rejected")


@dataclass
class SubmitResult:
    counts: dict = field(default_factory=lambda: {k: 0 for k in OUTCOMES})
    items: list = field(default_factory=list)  # (outcome, file, id, reason)
    written: list = field(default_factory=list)
    dry_run: bool = False
    notes: int = 0  # translator notes taken into the PO file

    def note(self, outcome: str, where: str, sid: str, reason: str) -> None:
        self.counts[outcome] += 1
        self.items.append((outcome, where, sid, reason))


def _read_kit(path: Path, display: str) -> kits.Kit:
    fmt = kits.format_of(display)
    data = read_input(path, display, KitError)
    if fmt == "csv":
        return kits.read_csv(data, display)
    if fmt == "xliff":
        return kits.read_xliff(data, display)
    if fmt == "docx":
        return kits.read_docx(data, display)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KitError("not UTF-8", display, data.count(b"\n", 0, exc.start) + 1) from None
    try:
        article, language, rows = catalog.read_kit_po(text, display)
    except Exception as exc:  # CatalogError already names the line
        raise KitError(getattr(exc, "message", str(exc)), display, getattr(exc, "line", None)) from None
    if article is None:
        stem = Path(display).stem
        article = stem.split(".")[0]
    return kits.Kit(article, language, rows, "po")


def _article_for(project: Project, kit: kits.Kit, display: str) -> str:
    if kit.article and kit.article in project.article_names():
        return kit.article
    if kit.article and kit.format in ("xliff", "docx"):
        raise KitError(f"the kit is for article {kit.article!r}, which this project does not have", display)
    names = project.article_names()
    ids = {r.id for r in kit.rows}
    best = None
    for name in names:
        try:
            po = load_catalog(project, name, project.config.target_languages[0])
        except Exception:
            continue
        hits = len(ids & set(catalog.index_by_id(po)))
        if hits and (best is None or hits > best[0]):
            best = (hits, name)
    if best is None:
        raise KitError("cannot tell which article the kit belongs to", display)
    return best[1]


def submit(project: Project, files: list[str], lang: str | None = None, translator: str | None = None,
           dry_run: bool = False, force: bool = False) -> SubmitResult:
    """Take translations back from kits; see README for every outcome."""
    parsed = []
    for display in files:
        kit = _read_kit(Path(display), display)
        article = _article_for(project, kit, display)
        _check_origin(project, kit, article, display)
        parsed.append((display, kit, article))
    return _apply(project, parsed, lang, translator, dry_run, force)


def _check_origin(project: Project, kit: kits.Kit, article: str, display: str) -> None:
    """A kit that says it was made from another source (another file, or
    another source language) is refused whole."""
    if kit.source_language:
        ours = project.config.source_language.replace("_", "-").lower()
        theirs = kit.source_language.replace("_", "-").lower()
        if theirs.split("-")[0] != ours.split("-")[0]:
            raise KitError(f"the kit translates from {kit.source_language!r}, this project from "
                           f"{project.config.source_language!r}", display, kit.where)
    if kit.source_path:
        expected = project.rel(project.article_path(article))
        if kit.source_path not in (expected, "NoName"):
            raise KitError(f"the kit was made from {kit.source_path!r}, not from {expected!r}", display, kit.where)


def submit_segment(project: Project, article_name: str, segment: str, text: str, lang: str | None = None,
                   translator: str | None = None, dry_run: bool = False, force: bool = False) -> SubmitResult:
    article = load_article(project, article_name)
    (code,) = languages(project, lang)
    entry = catalog.index_by_id(load_catalog(project, article.name, code)).get(segment)
    if entry is None:
        raise KitError(f"no segment {segment!r} in the article", article.path)
    row = kits.KitRow(id=segment, source=entry.msgid, target=text, state="translated")
    return _apply(project, [("--text", kits.Kit(article.name, code, [row], "cli"), article.name)], code, translator,
                  dry_run, force)


def _translator(name: str | None) -> str:
    return (name or os.environ.get("BILINGUAL_TRANSLATOR") or "unknown translator").strip()


def _apply(project: Project, parsed, lang, translator, dry_run, force) -> SubmitResult:
    result = SubmitResult(dry_run=dry_run)
    who = _translator(translator)
    today = _stamp()
    with project_lock(project.root, sweep=None if dry_run else project.translations_dir):
        catalogs: dict[tuple[str, str], object] = {}
        for display, kit, article in parsed:
            kit_lang = (kit.language or "").replace("-", "_")
            if kit_lang not in project.config.target_languages:
                kit_lang = ""
            if lang:
                (code,) = languages(project, lang)
                if kit_lang and kit_lang != code:
                    raise KitError(f"the kit is for language {kit_lang!r}, not {code!r}", display)
            else:
                code = kit_lang or project.config.target_languages[0]
            key = (article, code)
            if key not in catalogs:
                catalogs[key] = load_catalog(project, article, code)
            po = catalogs[key]
            index = catalog.index_by_id(po)
            by_source = {(e.msgid): e for e in po if not e.obsolete}
            for row in kit.rows:
                _apply_row(result, po, index, by_source, row, kit, display, who, today, force)
        if not dry_run:
            for (article, code), po in catalogs.items():
                path = project.po_path(article, code)
                if catalog.dump_po(po).encode("utf-8") == path.read_bytes():
                    continue
                catalog.set_metadata(po, Last_Translator=who, PO_Revision_Date=catalog.now_stamp())
                atomic_write(path, catalog.dump_po(po))
                result.written.append(project.rel(path))
    return result


def _apply_row(result, po, index, by_source, row, kit, display, who, today, force):
    where = f"{display}:{row.where}" if row.where else display
    target = row.target.strip("\n") if kit.format in ("csv", "docx") else row.target
    entry = index.get(row.id)
    if entry is not None and row.source and row.source != entry.msgid:
        entry = None  # the ID names a segment whose source the kit changed
    if entry is None:
        entry = by_source.get(row.source)
    if entry is None:
        _stale(result, po, row, target, where, who, today)
        return
    note = " ".join(row.comment.split())
    if note and note != catalog.comment_value(entry, "Translator note: "):
        catalog.add_comment_line(entry, f"Translator note: {note}", replace_prefix="Translator note: ")
        result.notes += 1
    if not target.strip():
        result.note("unchanged", where, row.id, "empty translation ignored (never erases)")
        return
    bad = find_control_char(target)
    if bad:
        result.note("rejected", where, row.id, f"control character U+{ord(bad[1]):04X} in the translation")
        return
    current = status.first_msgstr(entry)
    state = status.state(entry)
    fuzzy = row.fuzzy or (kit.format in ("csv", "docx") and row.state == "fuzzy" and target == current)
    if state == "reviewed" and target != current and not force:
        result.note("rejected", where, row.id, "reviewed; use --force to replace a reviewed translation")
        return
    if target == current and (state in ("translated", "reviewed") or fuzzy):
        result.note("unchanged", where, row.id, "same as the current translation")
        return
    if fuzzy and state in ("translated", "reviewed"):
        result.note("rejected", where, row.id, "a fuzzy submission does not replace a translation")
        return
    outcome = "added" if not current else "changed"
    reason = "new translation" if outcome == "added" else ("fuzzy translation confirmed" if target == current else "translation replaced")
    entry.msgstr = target
    if entry.msgstr_plural:
        entry.msgstr_plural = {**entry.msgstr_plural, 0: target}
    if fuzzy:
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        reason += " (kept fuzzy, as the kit marks it)"
    else:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = None
        entry.previous_msgctxt = None
    catalog.remove_comment_lines(entry, "Reviewed: ")
    catalog.add_comment_line(entry, f"Translated: {who} · {today}")
    result.note(outcome, where, row.id, reason)


def _stale(result, po, row, target, where, who, today):
    """The kit's source is not the current source: a translation made
    against an older text.  Never counted as translated: it becomes a fuzzy
    suggestion (with the old source shown) on the segment that replaced it,
    if that segment has no translation yet; otherwise it is rejected."""
    from rapidfuzz import fuzz, process

    if not target.strip():
        result.note("unchanged", where, row.id, "empty translation ignored")
        return
    live = [e for e in po if not e.obsolete]
    successor = next((e for e in live if e.previous_msgid == row.source), None)
    if successor is None and row.source:
        best = process.extractOne(row.source, [e.msgid for e in live], scorer=fuzz.ratio, score_cutoff=60)
        successor = live[best[2]] if best else None
    if successor is None:
        result.note("rejected", where, row.id, "no such segment in the article (removed from the source?)")
        return
    if status.first_msgstr(successor):
        result.note("rejected", where, row.id,
                    f"stale: the source changed since export and segment {catalog.entry_id(successor)} already has a translation")
        return
    successor.msgstr = target
    if "fuzzy" not in successor.flags:
        successor.flags.append("fuzzy")
    successor.previous_msgid = row.source
    catalog.add_comment_line(successor, f"Translated: {who} · {today} (against an older source)")
    result.note("stale", where, row.id,
                f"the source changed since export: kept as a fuzzy suggestion on {catalog.entry_id(successor)}")


# -- review ---------------------------------------------------------------------------


@dataclass
class ReviewResult:
    reviewed: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (id, reason)
    written: list = field(default_factory=list)


def review(project: Project, article_name: str, segments=(), all_translated: bool = False, reviewer: str | None = None,
           reject: bool = False, note: str | None = None, accept: str | None = None, lang: str | None = None) -> ReviewResult:
    if bool(segments) == bool(all_translated):
        raise UsageError("give --segment ID (one or more) or --all-translated")
    if reject and (all_translated or not note):
        raise UsageError("--reject needs --segment and a --note for the translator")
    if accept and not note:
        raise UsageError("--accept needs a --note that gives the reason")
    if accept:
        from .checks import ALL_CHECKS

        if accept not in ALL_CHECKS:
            raise UsageError(f"unknown check {accept!r}; known: {', '.join(ALL_CHECKS)}")
    article = load_article(project, article_name)
    (code,) = languages(project, lang)
    who = _translator(reviewer or os.environ.get("BILINGUAL_REVIEWER"))
    today = _stamp()
    result = ReviewResult()
    with project_lock(project.root, sweep=project.translations_dir):
        po = load_catalog(project, article.name, code)
        index = catalog.index_by_id(po)
        unknown = [s for s in segments if s not in index]
        if unknown:
            raise KitError(f"no segment(s) {', '.join(unknown)} in the article", project.rel(project.po_path(article.name, code)))
        targets = list(segments) if segments else [sid for sid, e in index.items() if status.is_translated(e)]
        for sid in targets:
            entry = index[sid]
            state = status.state(entry)
            if accept:
                catalog.add_comment_line(entry, f"Accept: {accept} — {' '.join(note.split())} ({who}, {today})",
                                         replace_prefix=f"Accept: {accept} ")
                result.accepted.append(sid)
            elif reject:
                if state == "untranslated":
                    result.skipped.append((sid, "untranslated: nothing to send back"))
                    continue
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                catalog.remove_comment_lines(entry, "Reviewed: ")
                catalog.add_comment_line(entry, f"Rejected: {who} · {today} · {' '.join(note.split())}")
                result.rejected.append(sid)
            else:
                if state not in ("translated", "reviewed"):
                    result.skipped.append((sid, f"{state}: only translated segments can be reviewed"))
                    continue
                if state == "reviewed":
                    result.skipped.append((sid, "already reviewed"))
                    continue
                if note:
                    catalog.add_comment_line(entry, f"Review note: {' '.join(note.split())}")
                catalog.add_comment_line(entry, status.review_line(entry, who, today), replace_prefix="Reviewed: ")
                result.reviewed.append(sid)
        if result.reviewed or result.rejected or result.accepted:
            path = project.po_path(article.name, code)
            if write_if_changed(path, catalog.dump_po(po)):
                result.written.append(project.rel(path))
    return result

