"""The translator loop's two ends: ``export`` kits, ``review`` the work
(``submit``, taking the work back in between, is ``commands.submit``).

Nothing here prints, and nothing here edits an entry's fields: every change
of state or history is a ``lifecycle`` call.  A review changes a PO file
under the project lock, on a freshly loaded catalog, written atomically.

May import: errors, clock, fsio, pofile, lifecycle, lint, checks, catalog, kits, omegat, project, inputs, memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands.inputs import glossary_of, languages, load_article, load_catalog
from workflow.commands.memory import suggestions
from workflow.core import clock
from workflow.core.errors import KitError, UsageError
from workflow.core.fsio import project_lock, write_if_changed
from workflow.core.project import Project
from workflow.kits import kit as kits
from workflow.po import lifecycle, pofile
from workflow.po.catalog import entry_id, index_by_id
from workflow.po.lifecycle import LIVE_STATES, Note, State


def person(name: str | None, variable: str, fallback: str) -> str:
    """Who did it: the option, else the environment variable, else ``fallback``."""
    return (name or os.environ.get(variable) or fallback).strip()


def translator(name: str | None) -> str:
    """Who translated: the option, else ``$BILINGUAL_TRANSLATOR``."""
    return person(name, "BILINGUAL_TRANSLATOR", "unknown translator")


# -- export ---------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: str
    rows: int
    format: str


def parse_states(states) -> tuple[State, ...]:
    """``--state`` values as states (default: every live state)."""
    if not states:
        return LIVE_STATES
    known = {s.value: s for s in LIVE_STATES}
    bad = sorted(set(states) - set(known))
    if bad:
        raise UsageError(f"unknown state(s) {', '.join(bad)}: use {', '.join(known)}")
    return tuple(known[s] for s in states)


def export(
    project: Project, article_name: str, lang: str, fmt: str, states=None, out: Path | None = None, force: bool = False
) -> ExportResult:
    if fmt not in kits.FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use {', '.join(kits.FORMATS)}")
    wanted = parse_states(states)
    if out is not None:
        project.check_output(out, force=force)
    (code,) = languages(project, lang)
    article = load_article(project, article_name)
    po = load_catalog(project, article.name, code)
    entries = [e for e in po if not e.obsolete and lifecycle.state(e) in wanted]
    glossary = glossary_of(project)
    found = suggestions(project, po, code)
    hits = {sid: (m.score, m.source, m.target, m.origin) for sid, m in found.items()}
    notes = {sid: m.note for sid, m in found.items() if m.note}
    rows = [
        kits.KitRow(
            id=entry_id(e),
            source=e.msgid,
            target=pofile.first_msgstr(e),
            state=lifecycle.state(e).value,
            role=e.msgctxt or "",
            comment=lifecycle.note(e, Note.TRANSLATOR),
            origin=_draft_label(e),
            review_note=lifecycle.reviewer_note(e),
            memory=hits.get(entry_id(e)),
            memory_note=notes.get(entry_id(e), ""),
            glossary="; ".join(f"{t.source} = {t.target}" for t in glossary.hints(e.msgid)),
        )
        for e in entries
    ]
    if out is None:
        out = project.output_dir / "kits" / f"{article.name}.{code}{kits.EXTENSIONS[fmt]}"
    if (fmt == "omegat") != out.is_dir() and out.exists():
        raise UsageError(f"--out {out}: {'an OmegaT kit is a folder' if fmt == 'omegat' else 'a folder, not a file'}")
    if fmt == "omegat":
        return _export_omegat(project, article.name, code, po, entries, (hits, notes), glossary, out)
    if fmt == "po":
        data = kits.write_po(po, entries, article.name, hits, notes)
    elif fmt == "csv":
        data = kits.write_csv(article.name, code, rows)
    elif fmt == "xliff":
        data = kits.write_xliff(article.name, article.path, project.config.source_language, code, rows)
    else:
        date = clock.edition_date([po.metadata.get("PO-Revision-Date", "")])
        data = kits.write_docx(article.name, code, rows, date, project.config.publisher or project.config.project_name)
    write_if_changed(out, data)
    return ExportResult(project.rel(out), len(rows), fmt)


def _export_omegat(project: Project, name: str, code: str, po, entries, hits, glossary, out: Path) -> ExportResult:
    """An OmegaT project folder: the PO kit as its source, the memory in ``tm/``, the glossary."""
    from workflow.commands.memory import tm_export
    from workflow.kits import omegat

    kit = kits.write_po(po, entries, name, *hits)
    omegat.write_project(
        out, f"{name}.{code}.po", kit, project.config.source_language, code, glossary_of(project).terms
    )
    tm_export(project, out / "tm" / f"memory.{code}.tmx", code)
    return ExportResult(project.rel(out), len(entries), "omegat")


def _draft_label(entry) -> str:
    """Where the entry's unconfirmed draft came from, for the kit (else '')."""
    draft = lifecycle.unconfirmed(entry)
    return draft.label if draft is not None else ""


# -- review ---------------------------------------------------------------------------


@dataclass
class ReviewResult:
    reviewed: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (id, reason)
    written: list = field(default_factory=list)


def _check_review_options(segments, all_translated, reject, note, accept) -> None:
    if segments and all_translated:
        raise UsageError("give --segment ID (one or more) or --all-translated, not both")
    if not segments and not all_translated:
        raise UsageError("give --segment ID (one or more) or --all-translated")
    if reject and (all_translated or not note):
        raise UsageError("--reject needs --segment and a --note for the translator")
    if accept and not note:
        raise UsageError("--accept needs a --note that gives the reason")
    if accept:
        from workflow.qa.checks import ALL_CHECKS
        from workflow.sources.lint import CHECK as LINT

        if accept not in (*ALL_CHECKS, LINT):
            raise UsageError(f"unknown check {accept!r}; known: {', '.join((*ALL_CHECKS, LINT))}")


def _review_one(result: ReviewResult, sid: str, entry, who: str, today: str, reject: bool, note, accept) -> None:
    state = lifecycle.state(entry)
    if accept:
        lifecycle.accept(entry, accept, note, who, today)
        result.accepted.append(sid)
    elif reject:
        if state is State.UNTRANSLATED:
            result.skipped.append((sid, "untranslated: nothing to send back"))
            return
        lifecycle.reject(entry, who, today, note)
        result.rejected.append(sid)
    elif state is State.FUZZY and lifecycle.aligned_suggestion(entry):
        lifecycle.confirm_aligned(entry, who, today, note)  # a published translation the aligner paired
        result.reviewed.append(sid)
    elif state not in (State.TRANSLATED, State.REVIEWED):
        result.skipped.append((sid, f"{state.value}: only translated segments can be reviewed"))
    elif state is State.REVIEWED:
        result.skipped.append((sid, "already reviewed"))
    else:
        lifecycle.review(entry, who, today, note)
        result.reviewed.append(sid)


def review(
    project: Project,
    article_name: str,
    segments=(),
    all_translated: bool = False,
    reviewer: str | None = None,
    reject: bool = False,
    note: str | None = None,
    accept: str | None = None,
    lang: str | None = None,
    guard=None,
) -> ReviewResult:
    """Review, reject or accept a finding on segments; ``guard`` as for ``submit_segment``."""
    _check_review_options(segments, all_translated, reject, note, accept)
    article = load_article(project, article_name)
    (code,) = languages(project, lang)
    who = person(reviewer, "BILINGUAL_REVIEWER", "unknown reviewer")  # never the translator's variable
    today = clock.today()
    result = ReviewResult()
    with project_lock(project.root, sweep=project.translations_dir):
        po = load_catalog(project, article.name, code)
        index = index_by_id(po)
        unknown = [s for s in segments if s not in index]
        if unknown:
            raise KitError(
                f"no segment(s) {', '.join(unknown)} in the article", project.rel(project.po_path(article.name, code))
            )
        if guard is not None:
            guard(index)
        targets = list(segments) if segments else [sid for sid, e in index.items() if lifecycle.is_translated(e)]
        for sid in targets:
            _review_one(result, sid, index[sid], who, today, reject, note, accept)
        if result.reviewed or result.rejected or result.accepted:
            path = project.po_path(article.name, code)
            if pofile.save_catalog(path, po, clock.po_stamp()):
                result.written.append(project.rel(path))
    return result
