"""``submit``: translations taken back from kits, OmegaT project folders or
zips, or one segment from the command line or the desk.

Every kit is read, and its article and language found, before anything is
written; a kit that cannot be read stops the whole submission.  Each row's
outcome (added, changed, unchanged, stale, rejected) is decided here, and
every change of state or history is a ``lifecycle`` call; the PO files
change under the project lock, on freshly loaded catalogs, written
atomically.  See docs/translator-kits.md for every outcome.  Nothing here
prints.

May import: errors, clock, text, fsio, pofile, lifecycle, catalog, kits, omegat, project, inputs, translate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands.inputs import languages, load_article, load_catalog
from workflow.commands.translate import translator as translator_of
from workflow.core import clock
from workflow.core.errors import KitError, WorkflowError
from workflow.core.fsio import project_lock, read_input
from workflow.core.project import Project
from workflow.core.text import find_control_char, han_chars
from workflow.kits import kit as kits
from workflow.po import lifecycle, pofile
from workflow.po.catalog import closest, entry_id, index_by_id
from workflow.po.lifecycle import Note, State

OUTCOMES = ("added", "changed", "unchanged", "stale", "rejected")


@dataclass
class SubmitResult:
    counts: dict = field(default_factory=lambda: {k: 0 for k in OUTCOMES})
    items: list = field(default_factory=list)  # (outcome, file, id, reason)
    written: list = field(default_factory=list)
    dry_run: bool = False
    notes: int = 0  # translator notes taken into the PO file
    reviewed: int = 0  # units the kit marks approved, recorded as reviews (--reviewer)
    approvals_ignored: int = 0  # units the kit marks approved, not taken as reviews
    notices: list = field(default_factory=list)  # (file, what the reader found)

    def note(self, outcome: str, where: str, sid: str, reason: str) -> None:
        self.counts[outcome] += 1
        self.items.append((outcome, where, sid, reason))


def _article_for(project: Project, kit: kits.Kit, display: str) -> str:
    if kit.article and kit.article in project.article_names():
        return kit.article
    if kit.article and kit.format in ("xliff", "docx"):
        raise KitError(f"the kit is for article {kit.article!r}, which this project does not have", display)
    ids, sources = {r.id for r in kit.rows}, {r.source for r in kit.rows if r.source}
    best = None
    for name in project.article_names():
        try:
            po = load_catalog(project, name, project.config.target_languages[0])
        except WorkflowError:
            continue
        hits = len(ids & set(index_by_id(po))) or len(sources & {e.msgid for e in po if not e.obsolete})
        if hits and (best is None or hits > best[0]):
            best = (hits, name)
    if best is None:
        hint = (
            (
                f": submit the PO it was made from, or convert it back (xliff2po {display} KIT.po) and submit "
                "that; for a CAT tool, export the kit with --format xliff"
            )
            if kit.from_po
            else ""
        )
        raise KitError(
            f"cannot tell which article the kit belongs to (no segment ID or source text of any article){hint}", display
        )
    return best[1]


def submit(
    project: Project,
    files: list[str],
    lang: str | None = None,
    translator: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    reviewer: str | None = None,
) -> SubmitResult:
    """Take translations back from kits; see docs/translator-kits.md for every outcome.
    ``reviewer``: units the kit marks approved or signed off are recorded
    as reviewed by this name (without it they are only translated)."""
    from workflow.kits import omegat

    parsed = []
    for display in files:
        if omegat.is_project(Path(display)):
            read = omegat.read_project(Path(display), display)
        else:
            read = [kits.read_kit(read_input(Path(display), display, KitError), display)]
        for kit in read:
            article = _article_for(project, kit, display)
            _check_origin(project, kit, article, display)
            parsed.append((display, kit, article))
    return _apply(project, parsed, lang, translator, dry_run, force, reviewer)


def _check_origin(project: Project, kit: kits.Kit, article: str, display: str) -> None:
    """A kit that says it was made from another source (another file, or
    another source language) is refused whole."""
    if kit.source_language:
        ours = project.config.source_language.replace("_", "-").lower()
        theirs = kit.source_language.replace("_", "-").lower()
        if theirs.split("-")[0] != ours.split("-")[0]:
            raise KitError(
                f"the kit translates from {kit.source_language!r}, this project from "
                f"{project.config.source_language!r}",
                display,
                kit.where,
            )
    if kit.source_path:
        expected = project.rel(project.article_path(article))
        if kit.source_path not in (expected, "NoName"):
            raise KitError(f"the kit was made from {kit.source_path!r}, not from {expected!r}", display, kit.where)


def submit_segment(
    project: Project,
    article_name: str,
    segment: str,
    text: str,
    lang: str | None = None,
    translator: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    guard=None,
) -> SubmitResult:
    """One segment's translation.  ``guard``, when given, is called with the
    catalog's entries by ID under the project lock, before anything changes;
    it raises to refuse (the desk's check that the segment is still at the
    revision the edit was based on)."""
    article = load_article(project, article_name)
    (code,) = languages(project, lang)
    entry = index_by_id(load_catalog(project, article.name, code)).get(segment)
    if entry is None:
        raise KitError(f"no segment {segment!r} in the article", article.path)
    row = kits.KitRow(id=segment, source=entry.msgid, target=text, state=State.TRANSLATED.value)
    return _apply(
        project,
        [("--text", kits.Kit(article.name, code, [row], "cli"), article.name)],
        code,
        translator,
        dry_run,
        force,
        guard=guard,
    )


def _kit_language(project: Project, kit: kits.Kit, lang: str | None, display: str) -> str:
    kit_lang = (kit.language or "").replace("-", "_")
    if kit_lang not in project.config.target_languages:
        kit_lang = ""
    if not lang:
        return kit_lang or project.config.target_languages[0]
    (code,) = languages(project, lang)
    if kit_lang and kit_lang != code:
        raise KitError(f"the kit is for language {kit_lang!r}, not {code!r}", display)
    return code


@dataclass
class _Desk:
    """Who submits, when, and the rules the submission runs under."""

    who: str
    today: str
    force: bool
    threshold: float
    reviewer: str | None = None


def _refused_rows(rows: list[kits.KitRow], seen: dict, display: str) -> dict[int, str]:
    """Rows refused before any is applied: a unit with an inline code that
    has no equivalent, and rows that give one segment twice (a duplicate of
    an earlier row is refused; conflicting translations are all refused).
    ``seen`` carries each segment's first filled row across the kits of one
    submission."""
    refused: dict[int, str] = {}
    by_id: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.problem:
            refused[i] = f"unit {row.id}: {row.problem}"
        by_id.setdefault(row.id, []).append(i)
    for sid, indexes in by_id.items():
        label = {i: f"row {rows[i].where or i + 1}" for i in indexes}
        filled = [i for i in indexes if rows[i].target.strip()]
        earlier = seen.get(sid)
        targets = {rows[i].target for i in filled} | ({earlier[1]} if earlier else set())
        if len(targets) > 1:
            rivals = ", ".join([label[i] for i in filled] + ([earlier[0]] if earlier else []))
            refused.update({i: f"conflicting translations of segment {sid} ({rivals})" for i in filled})
            continue
        if earlier:  # every row repeats the earlier kit's
            first, original = None, earlier[0]
        else:  # every row but the first filled one (or the first) repeats it
            first = (filled or indexes)[0]
            original = label[first]
        for i in indexes:
            if i != first:
                refused.setdefault(i, f"duplicate of {original}")
        if not earlier and filled:
            seen[sid] = (f"{display} {label[filled[0]]}", rows[filled[0]].target)
    return refused


def _apply(project: Project, parsed, lang, translator, dry_run, force, reviewer=None, guard=None) -> SubmitResult:
    result = SubmitResult(dry_run=dry_run)
    desk = _Desk(translator_of(translator), clock.today(), force, project.config.fuzzy_threshold, reviewer)
    with project_lock(project.root, sweep=None if dry_run else project.translations_dir):
        catalogs: dict[tuple[str, str], pofile.Catalog] = {}
        seen: dict = {}
        for display, kit, article in parsed:
            result.notices += [(display, notice) for notice in kit.notices]
            suggested = sum(r.suggestion for r in kit.rows)
            if suggested:
                result.notices.append(
                    (
                        display,
                        f"{suggested} memory suggestion(s) still fuzzy and not edited: not "
                        "taken (clear the fuzzy mark to take one)",
                    )
                )
            key = (article, _kit_language(project, kit, lang, display))
            if key not in catalogs:
                catalogs[key] = load_catalog(project, *key)
            po = catalogs[key]
            index = index_by_id(po)
            if guard is not None:
                guard(index)
            by_source = {e.msgid: e for e in po if not e.obsolete}
            refused = _refused_rows(kit.rows, seen.setdefault(key, {}), display)
            for i, row in enumerate(kit.rows):
                if i in refused:
                    result.note("rejected", f"{display}:{row.where}" if row.where else display, row.id, refused[i])
                    continue
                _apply_row(result, po, index, by_source, row, kit, display, desk)
        if not dry_run:
            for (article, code), po in catalogs.items():
                path = project.po_path(article, code)
                if pofile.save_catalog(path, po, clock.po_stamp(), desk.who):
                    result.written.append(project.rel(path))
    return result


def _apply_row(result, po, index, by_source, row, kit, display, desk: _Desk):
    where = f"{display}:{row.where}" if row.where else display
    target = row.target.strip("\n") if kit.format in ("csv", "docx") else row.target
    entry = index.get(row.id)
    if entry is not None and row.source and row.source != entry.msgid:
        entry = None  # the ID names a segment whose source the kit changed
    if entry is None:
        entry = by_source.get(row.source)
    if entry is None:
        _stale(result, po, row, target, where, desk)
        return
    if row.comment and lifecycle.set_note(entry, Note.TRANSLATOR, row.comment):
        result.notes += 1
    if not target.strip():
        result.note("unchanged", where, row.id, "empty translation ignored (never erases)")
        return
    bad = find_control_char(target)
    if bad:
        result.note("rejected", where, row.id, f"control character U+{ord(bad[1]):04X} in the translation")
        return
    if " ".join(target.split()) == " ".join(entry.msgid.split()) and han_chars(entry.msgid):
        result.note(
            "rejected",
            where,
            row.id,
            "the translation is the Chinese source text, left untranslated "
            "(a tool that pre-fills the target with the source?)",
        )
        return
    if row.suggestion:
        result.note("unchanged", where, row.id, "the memory's suggestion, not edited and still fuzzy")
        return
    current = pofile.first_msgstr(entry)
    blocked = lifecycle.state(entry) is State.REVIEWED and target != current and not desk.force
    if not blocked and _foreign_draft(
        result, entry, row, target, current, _kit_fuzzy(row, kit, target, current), where, desk
    ):
        return
    outcome, reason, fuzzy = _decide(entry, row, target, kit, desk)
    if outcome in ("added", "changed"):
        lifecycle.translate(entry, target, desk.who, desk.today, fuzzy=fuzzy)
    result.note(outcome, where, row.id, reason)
    if outcome != "rejected":
        _approval(result, entry, row, desk)


def _kit_fuzzy(row, kit, target: str, current: str) -> bool:
    """Does the kit mark the row fuzzy (a flag, or a spreadsheet's state
    column left at fuzzy on an unedited target)?"""
    return row.fuzzy or (kit.format in ("csv", "docx") and row.state == State.FUZZY.value and target == current)


def _decide(entry, row, target: str, kit, desk: _Desk) -> tuple[str, str, bool]:
    """(outcome, reason, keep it fuzzy) of a filled row for ``entry``."""
    current = pofile.first_msgstr(entry)
    state = lifecycle.state(entry)
    done = state in (State.TRANSLATED, State.REVIEWED)
    fuzzy = _kit_fuzzy(row, kit, target, current)
    if target == current and done and fuzzy:  # a client's fuzzy mark on an unedited translation
        if state is State.REVIEWED and not desk.force:
            return (
                "rejected",
                "reviewed, and the kit marks it fuzzy; use --force to reopen a reviewed translation",
                False,
            )
        return "changed", "marked fuzzy in the kit (text unchanged): needs another look", True
    if state is State.REVIEWED and target != current and not desk.force:
        return "rejected", "reviewed; use --force to replace a reviewed translation", False
    if target == current and state is State.TRANSLATED and not fuzzy and lifecycle.unconfirmed(entry):
        return "changed", "draft confirmed unedited", False  # a draft (memory) a person confirms as it is
    if target == current and (done or fuzzy):
        return "unchanged", "same as the current translation", fuzzy
    if fuzzy and done:
        return "rejected", "a fuzzy submission does not replace a translation", fuzzy
    refused = None if desk.force else lifecycle.rejection_of(entry, target)
    if refused:
        who, when, note = refused
        return "rejected", f"this text was rejected by {who} on {when} ({note}); use --force to insist", fuzzy
    reason = (
        "new translation"
        if not current
        else ("fuzzy translation confirmed" if target == current else "translation replaced")
    )
    return (
        ("added" if not current else "changed"),
        reason + (" (kept fuzzy, as the kit marks it)" if fuzzy else ""),
        fuzzy,
    )


def _foreign_draft(result, entry, row, target, current, fuzzy, where, desk: _Desk) -> bool:
    """A kit row whose target another tool marks as machine (or memory,
    pseudo) text, for a segment with no draft of ours: recorded with that
    origin, then as this submission (confirmed unedited) unless it is fuzzy."""
    origin = kits.origin_of(row)
    if origin is None or not origin.seeded or target == current or lifecycle.unconfirmed(entry) is not None:
        return False
    lifecycle.from_engine(entry, target, origin, f"{row.origin.split(' · ', 1)[-1] if ' · ' in row.origin else 'kit'}")
    if not fuzzy:
        lifecycle.translate(entry, target, desk.who, desk.today)
    result.note(
        "added" if not current else "changed",
        where,
        row.id,
        f"{origin.value} text from the kit" + (", kept fuzzy" if fuzzy else ", confirmed unedited"),
    )
    _approval(result, entry, row, desk)
    return True


def _approval(result: SubmitResult, entry, row, desk: _Desk) -> None:
    """A unit the kit marks approved (XLIFF approved="yes", signed-off) is a
    review only when the submission names its reviewer (``--reviewer``)."""
    if not row.approved or lifecycle.state(entry) is not State.TRANSLATED:
        return
    if desk.reviewer:
        lifecycle.review(entry, desk.reviewer, desk.today)
        result.reviewed += 1
    else:
        result.approvals_ignored += 1


def _stale(result, po, row, target, where, desk: _Desk):
    """The kit's source is not the current source: a translation made
    against an older text.  Never counted as translated: it becomes a fuzzy
    suggestion (with the old source shown) on the segment that replaced it,
    if that segment has no translation yet; otherwise it is rejected."""
    if not target.strip():
        result.note("unchanged", where, row.id, "empty translation ignored")
        return
    live = [e for e in po if not e.obsolete]
    successor = next((e for e in live if e.previous_msgid == row.source), None)
    if successor is None and row.source:
        i = closest(row.source, [e.msgid for e in live], desk.threshold)
        successor = live[i] if i is not None else None
    if successor is None:
        result.note("rejected", where, row.id, "no such segment in the article (removed from the source?)")
        return
    if pofile.first_msgstr(successor):
        result.note(
            "rejected",
            where,
            row.id,
            f"stale: the source changed since export and segment {entry_id(successor)} already has a translation",
        )
        return
    lifecycle.suggest(
        successor,
        target,
        row.source,
        successor.previous_msgctxt,
        origin=lifecycle.translated_by(desk.who, desk.today, "against an older source"),
    )
    result.note(
        "stale", where, row.id, f"the source changed since export: kept as a fuzzy suggestion on {entry_id(successor)}"
    )
