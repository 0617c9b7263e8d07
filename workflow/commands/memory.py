"""Using the translation memory: ``pretranslate``, ``analyze``, ``tm import``
and ``tm export``, and the suggestions kits and ``status --memory`` show.

Nothing here prints.  ``pretranslate`` changes entries only through
``lifecycle.from_memory`` and only untranslated ones, under the project lock.

May import: errors, cache, clock, text, fsio, pofile, lifecycle, catalog, memory,
tmx, project, inputs, segment.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands.inputs import languages, load_article, load_catalog
from workflow.core import cache, clock
from workflow.core.errors import UsageError
from workflow.core.fsio import project_lock, temporary_beside
from workflow.core.project import Project
from workflow.core.text import han_chars
from workflow.memory import store as memory
from workflow.po import lifecycle, pofile
from workflow.po.catalog import entry_id, index_by_id
from workflow.po.lifecycle import State
from workflow.sources.segment import segments


def _queries(po):
    """(entry, query) for each live entry, with its neighbours as context."""
    live = [e for e in po if not e.obsolete and not pofile.is_header(e)]
    for i, e in enumerate(live):
        yield (
            e,
            memory.Query(
                e.msgid, e.msgctxt or "", live[i - 1].msgid if i else "", live[i + 1].msgid if i + 1 < len(live) else ""
            ),
        )


# -- pretranslate ------------------------------------------------------------------------------


@dataclass
class PretranslateResult:
    filled: Counter = field(default_factory=Counter)  # band → entries filled
    translated: int = 0  # exact or context matches of the desk's own work: translated, not reviewed
    fuzzy: int = 0
    unmatched: int = 0
    written: list = field(default_factory=list)
    dry_run: bool = False
    notices: list = field(default_factory=list)


def pretranslate(
    project: Project, names=(), lang: str | None = None, min_score: int = 75, dry_run: bool = False
) -> PretranslateResult:
    """Fill untranslated entries from the memory; never touch translated,
    fuzzy or reviewed ones."""
    if not 50 <= min_score <= 101:
        raise UsageError("--min-score must be from 50 to 101")
    result = PretranslateResult(dry_run=dry_run)
    langs = languages(project, lang)
    articles = project.resolve_articles(names)
    with project_lock(project.root, sweep=None if dry_run else project.translations_dir):
        tm = memory.open_memory(project)
        try:
            for name in articles:
                for code in langs:
                    _pretranslate_catalog(project, tm, name, code, min_score, result)
        finally:
            result.notices += tm.notices
            tm.close()
    return result


def _pretranslate_catalog(project: Project, tm, name: str, code: str, min_score: int, result) -> None:
    po = load_catalog(project, name, code)
    changed = False
    for entry, query in _queries(po):
        if lifecycle.state(entry) is not State.UNTRANSLATED:
            continue
        match = tm.lookup(query, code, min_score)
        if match is None:
            result.unmatched += 1
            continue
        lifecycle.from_memory(entry, match.target, match.score, match.origin, match.trusted, match.source)
        result.filled[memory.band(match.score)] += 1
        if match.trusted:
            result.translated += 1
        else:
            result.fuzzy += 1
        changed = True
    if changed and not result.dry_run:
        path = project.po_path(name, code)
        if pofile.save_catalog(path, po, clock.po_stamp()):
            result.written.append(project.rel(path))


# -- analyze -----------------------------------------------------------------------------------


def _tally() -> dict:
    return {"segments": 0, "chars": 0}


@dataclass
class Analysis:
    article: str
    language: str
    bands: dict = field(default_factory=lambda: {b: _tally() for b in memory.BANDS})
    repetitions: dict = field(default_factory=_tally)
    #: Drafts no person has confirmed yet, machine and memory apart (counted in the bands too).
    drafts: dict = field(default_factory=lambda: {"machine": _tally(), "memory": _tally()})
    #: Segments whose best match is an aligned, unreviewed unit (``align --into memory``; in the bands too).
    aligned: dict = field(default_factory=_tally)

    def add(self, bucket: dict, chars: int) -> None:
        bucket["segments"] += 1
        bucket["chars"] += chars

    def merged(self, other: Analysis) -> None:
        for name, bucket in other.bands.items():
            self.bands[name]["segments"] += bucket["segments"]
            self.bands[name]["chars"] += bucket["chars"]
        self.repetitions["segments"] += other.repetitions["segments"]
        self.repetitions["chars"] += other.repetitions["chars"]
        for name, bucket in other.drafts.items():
            self.drafts[name]["segments"] += bucket["segments"]
            self.drafts[name]["chars"] += bucket["chars"]
        self.aligned["segments"] += other.aligned["segments"]
        self.aligned["chars"] += other.aligned["chars"]

    def as_dict(self) -> dict:
        every = [*self.bands.values(), self.repetitions]
        work = [b for name, b in self.bands.items() if name not in ("101", "100")]
        return {
            "article": self.article,
            "language": self.language,
            "bands": self.bands,
            "repetitions": self.repetitions,
            "drafts": self.drafts,
            "aligned": self.aligned,
            "total": {"segments": sum(b["segments"] for b in every), "chars": sum(b["chars"] for b in every)},
            "to_translate": {"segments": sum(b["segments"] for b in work), "chars": sum(b["chars"] for b in work)},
        }


def _work_ahead(project: Project, name: str, code: str):
    """(segment, query) of the segments not translated yet, in article order
    (every segment when the article has no catalog yet)."""
    article = load_article(project, name)
    segs = segments(article)
    index = index_by_id(load_catalog(project, name, code)) if project.po_path(name, code).is_file() else {}
    for i, seg in enumerate(segs):
        entry = index.get(seg.id)
        if entry is not None and lifecycle.state(entry) in (State.TRANSLATED, State.REVIEWED):
            continue
        yield (
            seg,
            memory.Query(
                seg.text, seg.role.value, segs[i - 1].text if i else "", segs[i + 1].text if i + 1 < len(segs) else ""
            ),
        )


def _count_drafts(project: Project, name: str, code: str, result: Analysis) -> None:
    """The catalog's drafts (machine, memory) that no person has submitted yet."""
    if not project.po_path(name, code).is_file():
        return
    for entry in load_catalog(project, name, code):
        draft = lifecycle.unconfirmed(entry) if not entry.obsolete and entry.msgid else None
        if draft is not None and (draft.origin is lifecycle.Origin.MACHINE or draft.origin.is_memory):
            result.add(
                result.drafts["machine" if draft.origin is lifecycle.Origin.MACHINE else "memory"],
                han_chars(entry.msgid),
            )


def analyze(project: Project, names=(), lang: str | None = None) -> tuple[list[Analysis], Analysis, list[str]]:
    """The CAT-tool analysis of the work ahead: per article and language, the
    segments and Chinese characters in each match band, and the repetitions
    inside the batch (a segment whose source came earlier in it)."""
    tm = memory.open_memory(project)
    seen: set = set()
    per, total = [], Analysis("total", "")
    try:
        for name in project.resolve_articles(names):
            for code in languages(project, lang):
                result = Analysis(name, code)
                _count_drafts(project, name, code, result)
                for seg, query in _work_ahead(project, name, code):
                    text = (code, memory.normalize(seg.text))
                    if text in seen:
                        result.add(result.repetitions, han_chars(seg.text))
                        continue
                    seen.add(text)
                    match = tm.lookup(query, code)
                    result.add(result.bands[memory.band(match.score if match else None)], han_chars(seg.text))
                    if match is not None and match.state == "aligned":  # issue 25: aligned matches apart
                        result.add(result.aligned, han_chars(seg.text))
                per.append(result)
                total.merged(result)
    finally:
        tm.close()
    return per, total, tm.notices


# -- suggestions for kits and status --------------------------------------------------------------


def suggestions(project: Project, po, code: str, wanted=(State.UNTRANSLATED, State.FUZZY)) -> dict:
    """Segment ID → memory match, for the entries in ``wanted`` states (an
    empty dict when the project has no memory to speak of)."""
    tm = memory.open_memory(project)
    try:
        if not tm.size(code):
            return {}
        out = {}
        for entry, query in _queries(po):
            if lifecycle.state(entry) in wanted:
                match = tm.lookup(query, code, memory.SUGGESTION_FLOOR)
                if match is not None:
                    match.note = tm.note_of(match, code)
                    out[entry_id(entry)] = match
        return out
    finally:
        for notice in tm.notices:  # a kit or a status has no list of notices: told as a cache's damage is
            cache.warn(notice)
        tm.close()


def coverage(project: Project, po, code: str) -> Counter:
    """How much of a catalog's remaining work (untranslated and fuzzy
    segments) the memory has matches for, by band; under "aligned", how many
    of those matches are aligned, unreviewed units (``align --into memory``)."""
    found = suggestions(project, po, code)
    remaining = sum(
        1
        for e in po
        if not e.obsolete and not pofile.is_header(e) and lifecycle.state(e) in (State.UNTRANSLATED, State.FUZZY)
    )
    bands = Counter(memory.band(m.score) for m in found.values())
    bands["none"] += remaining - len(found)
    aligned = sum(m.state == "aligned" for m in found.values())  # issue 25: not a band, counted in the bands too
    if aligned:
        bands["aligned"] = aligned
    return bands


# -- import and export --------------------------------------------------------------------------------


def tm_import(project: Project, files: list[str], lang: str | None = None) -> list[memory.ImportReport]:
    langs = languages(project, lang)
    with project_lock(project.root, sweep=memory.memory_dir(project)):
        kept: list[Path] = []
        try:
            return [memory.import_file(project, Path(display), display, langs, kept) for display in files]
        except BaseException:
            for path in kept:  # all or nothing: a failed import keeps none of its files
                path.unlink(missing_ok=True)
            raise


def tm_export(
    project: Project, out: Path | None = None, lang: str | None = None, force: bool = False
) -> tuple[str, int]:
    from workflow import __version__
    from workflow.kits import tmx

    (code,) = languages(project, lang or project.config.target_languages[0])
    out = out or project.output_dir / f"memory.{code}.tmx"
    project.check_output(out, force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_beside(out)
    tm = memory.open_memory(project)
    try:
        count: Counter[str] = Counter()
        units = (count.update(["unit"]) or unit for unit in memory.export_units(tm, code))
        tmx.write(tmp, units, project.config.source_language, code, __version__)
        os.replace(tmp, out)  # written whole, then put in place: never half a file
    finally:
        tm.close()
        tmp.unlink(missing_ok=True)
    return project.rel(out), count["unit"]
