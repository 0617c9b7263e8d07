"""``pretranslate --engine``: machine drafts for untranslated segments.

The engine is ``replay:FILE`` or one configured as ``[engines.NAME]``
(``type``, ``url``, ``model``, ``key_env`` naming the environment variable
of the credential).  The run first gathers the work (each untranslated
segment of each article and language), then, unless ``dry_run``, sends what
the cache does not hold in batches, then writes every catalog: an engine
failure leaves every PO file as it was (what was paid for stays cached).

The cache, ``.bilingual-cache/mt/ENGINE.json``, is keyed by engine type,
address, model, languages, source and the glossary terms sent with it, so
a re-run of the same text costs nothing; it also remembers the DeepL
glossary made from each version of our glossary.  A machine draft no
person has touched is drafted again when its source changes.  A draft is written with
``lifecycle.from_engine``: fuzzy, with its ``Origin: machine`` line, until a
person submits it.  Nothing here prints.

May import: errors, clock, config, fsio, pofile, lifecycle, catalog, cache,
engines, memory, project, inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands.inputs import glossary_of, languages, load_catalog
from workflow.core import clock
from workflow.core.cache import FOLDER
from workflow.core.config import CONFIG_FILE
from workflow.core.errors import ConfigError, InputError, UsageError
from workflow.core.fsio import atomic_write, project_lock, read_input
from workflow.core.project import Project
from workflow.memory import engines
from workflow.memory.store import normalize
from workflow.po import lifecycle, pofile
from workflow.po.lifecycle import Origin, State

REPLAY = "replay:"


@dataclass
class MachineResult:
    engine: str
    filled: int = 0
    missing: int = 0  # segments the engine had nothing for (a replay file without them)
    damaged: int = 0  # replies refused: a placeholder lost or repeated
    cached: int = 0  # translations the cache had: nothing sent, nothing paid
    sent_segments: int = 0
    sent_chars: int = 0  # characters of source sent (what DeepL and most APIs bill)
    to_send_segments: int = 0  # dry run: what a real run would send
    to_send_chars: int = 0
    dry_run: bool = False
    written: list = field(default_factory=list)


@dataclass
class _Job:
    catalog: tuple[str, str]  # (article, language)
    entry: object
    request: engines.Request
    key: str = ""
    text: str | None = None
    done: bool = False  # the engine (or the cache) answered


def open_engine(project: Project, spec: str, code: str, glossary_ids: dict):
    """The engine ``spec`` names for target language ``code``."""
    if spec.startswith(REPLAY):
        display = spec[len(REPLAY) :]
        if not display:
            raise UsageError("--engine replay:FILE needs the file")
        pairs = engines.read_replay(read_input(Path(display), display, InputError), display, normalize)
        return engines.Replay(pairs, normalize, Path(display).name)
    tables = dict(project.config.engines)
    if spec not in tables:
        known = ", ".join(sorted(tables)) or "none configured"
        raise UsageError(f"unknown engine {spec!r} (configured: {known}; or replay:FILE)")
    where = CONFIG_FILE if (project.root / CONFIG_FILE).is_file() else "pyproject.toml"
    settings = engines.settings_from(spec, {"target_lang": code, **tables[spec]}, where)
    key = ""
    if settings.key_env:
        key = os.environ.get(settings.key_env, "")
        if not key:
            raise ConfigError(f"engine {spec}: set the environment variable {settings.key_env} to its key", where)
    terms = tuple((t.source, t.target) for t in glossary_of(project).terms)
    return engines.make(settings, key, terms, glossary_ids)


def _wanted(entry) -> bool:
    """Untranslated, or a machine draft no person touched whose source has
    changed since (it is drafted again for the new source)."""
    state = lifecycle.state(entry)
    if state is State.UNTRANSLATED:
        return True
    draft = lifecycle.unconfirmed(entry) if state is State.FUZZY and entry.previous_msgid else None
    return draft is not None and draft.origin is Origin.MACHINE


def _jobs(project: Project, names, code: str, glossary) -> tuple[dict, list[_Job]]:
    """The catalogs of ``names`` in ``code`` and a job per untranslated segment."""
    catalogs, jobs = {}, []
    for name in names:
        po = load_catalog(project, name, code)
        catalogs[(name, code)] = po
        live = [e for e in po if not e.obsolete and not pofile.is_header(e)]
        for i, e in enumerate(live):
            if not _wanted(e):
                continue
            terms = tuple((t.source, t.target) for t in glossary.hints(e.msgid))
            request = engines.Request(
                e.msgid,
                e.msgctxt or "body",
                live[i - 1].msgid if i else "",
                live[i + 1].msgid if i + 1 < len(live) else "",
                terms,
            )
            jobs.append(_Job((name, code), e, request))
    return catalogs, jobs


def cache_key(settings: engines.Settings, request: engines.Request) -> str:
    """What a cached translation is keyed by: never the credential."""
    data = json.dumps(
        [
            settings.type,
            settings.url,
            settings.model,
            settings.source_lang,
            settings.target_lang,
            settings.formality,
            normalize(request.source),
            sorted(request.glossary),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _cache_path(project: Project, settings: engines.Settings) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in settings.name)
    return project.root / FOLDER / "mt" / f"{safe}.json"


def _load_cache(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_cache(path: Path, memo: dict) -> None:
    try:
        atomic_write(path, json.dumps(memo, ensure_ascii=False, sort_keys=True), sync=False)
    except OSError:
        pass  # a read-only project still works; the next run pays again


def _send(engine, jobs: list[_Job], result: MachineResult, memo: dict, path: Path, replay: bool) -> None:
    """Ask the engine for every job the cache has not answered, in batches."""
    todo = []
    for job in jobs:
        if not replay:
            job.key = cache_key(engine.settings, job.request)
        if job.key in memo:
            job.text, job.done = memo[job.key], True
            result.cached += 1
        else:
            todo.append(job)
    size = max(1, engine.settings.batch or 1)
    for start in range(0, len(todo), size):
        batch = todo[start : start + size]
        answers = engine.translate([j.request for j in batch])
        for job, text in zip(batch, answers):
            job.text, job.done = text, True
            if text is not None and not replay:
                memo[job.key] = text
        if not replay:
            result.sent_segments += len(batch)
            result.sent_chars += sum(len(j.request.source) for j in batch)
            _save_cache(path, memo)  # what was paid for survives a later failure


def pretranslate(
    project: Project, names=(), lang: str | None = None, spec: str = "", dry_run: bool = False
) -> MachineResult:
    """Machine drafts for the untranslated segments of ``names``."""
    articles = project.resolve_articles(names)
    glossary = glossary_of(project)
    result = MachineResult(engine=spec, dry_run=dry_run)
    with project_lock(project.root, sweep=None if dry_run else project.translations_dir):
        for code in languages(project, lang):
            ids: dict = {}
            engine = open_engine(project, spec, code, ids)
            replay = isinstance(engine, engines.Replay)
            result.engine = engine.settings.label if not replay else f"replay · {engine.label}"
            catalogs, jobs = _jobs(project, articles, code, glossary)
            path = _cache_path(project, engine.settings)
            memo = ids  # the engine's glossary ids live in its cache too: one DeepL glossary per content
            memo.update({} if replay else _load_cache(path))
            if dry_run:
                _estimate(engine, jobs, memo, result, replay)
                continue
            _send(engine, jobs, result, memo, path, replay)
            _apply(project, catalogs, jobs, engine, result, replay)
    return result


def _estimate(engine, jobs: list[_Job], memo: dict, result: MachineResult, replay: bool) -> None:
    """What a real run would send (nothing is sent): segments and characters not cached."""
    for job in jobs:
        if replay:
            found = engine.translate([job.request])[0] is not None
            result.to_send_segments += found
            result.missing += not found
            continue
        if cache_key(engine.settings, job.request) in memo:
            result.cached += 1
        else:
            result.to_send_segments += 1
            result.to_send_chars += len(job.request.source)


def _apply(project: Project, catalogs: dict, jobs: list[_Job], engine, result: MachineResult, replay: bool) -> None:
    label = engine.settings.label if not replay else f"replay · {engine.label}"
    changed = set()
    for job in jobs:
        if job.text is None:
            if replay:
                result.missing += 1
            else:
                result.damaged += 1
            continue
        lifecycle.from_engine(job.entry, job.text, Origin.MACHINE, label)
        result.filled += 1
        changed.add(job.catalog)
    for name, code in sorted(changed):
        po = catalogs[(name, code)]
        path = project.po_path(name, code)
        if pofile.save_catalog(path, po, clock.po_stamp()):
            result.written.append(project.rel(path))
