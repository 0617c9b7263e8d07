"""One service per command: extract, lint, status, check (build is ``publish``).

Each takes a ``Project`` and plain values and returns data; none prints,
none knows about click.  They orchestrate: the work itself is done by the
readers, ``catalog``, ``checks``, ``editions`` and the Word layer.

May import: everything below cli, report and exchange.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands import check as qa
from workflow.commands.inputs import article_segments, catalog_indexes, glossary_of, languages, load_article
from workflow.commands.rename import guard_new_catalogs, orphans
from workflow.core import cache, clock, parallel
from workflow.core.errors import CatalogError, GateError, PathError, UsageError
from workflow.core.fsio import Staged, project_lock, read_input
from workflow.core.project import Project
from workflow.editions import contents as editions
from workflow.po import catalog, lifecycle, pofile, status
from workflow.sources.lint import Defect, lint_article

# -- extract ---------------------------------------------------------------------


@dataclass
class ExtractResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    segments: dict[str, int] = field(default_factory=dict)
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    suspected_defects: int = 0
    notices: list[str] = field(default_factory=list)  # what reading the sources found (first read only)


def _extract_key(project: Project, name: str, encoding, glossary: bytes) -> str:
    return cache.digest(project.article_path(name).read_bytes(), glossary, repr(project.config), str(encoding))


def _cached_extract(project: Project, name: str, key: str, memo: dict):
    """The remembered result for this article when its inputs and every
    output file are byte for byte what the last extract left."""
    entry = memo.get(name)
    if not entry or entry.get("key") != key:
        return None
    for rel, sha in entry["outputs"].items():
        path = project.root / rel
        if not path.is_file() or cache.digest(path.read_bytes()) != sha:
            return None
    return entry


def _extract_article(project: Project, encoding, revision: str, name: str) -> tuple[dict, dict]:
    """(outputs, summary) of one article: its POT and PO files as UTF-8 bytes
    (at book scale a second copy as text would double the peak memory).
    Runs in a worker process: everything it needs is in its arguments."""
    article = load_article(project, name, encoding)
    segs = article_segments(article, glossary_of(project))
    roles: dict[str, int] = {}
    for seg in segs:
        roles[seg.role.value] = roles.get(seg.role.value, 0) + 1
    summary = {
        "segments": len(segs),
        "roles": roles,
        "defects": len(lint_article(article)),
        "notices": list(article.notices),
    }
    template = catalog.make_template(article, segs, project.config)
    del segs
    width = project.config.po_width  # new files; an existing one keeps its own width
    body = pofile.entries_text(template, width)
    outputs = {project.template_path(name): pofile.dump(template, body, width).encode("utf-8")}
    for lang in project.config.target_languages:
        path = project.po_path(name, lang)
        if path.is_file():
            old = pofile.load(path, project.rel(path))
            merged = catalog.merge(template, old, project.config.fuzzy_threshold)
            _complete_header(merged, catalog.new_catalog(article, project.config, lang, revision))
            del old  # one catalog at a time: at book scale each is hundreds of MB of objects
            outputs[path] = pofile.catalog_bytes(merged, None)  # a source-side change: the header as it was
            del merged
        else:  # a new catalog holds exactly the template's entries
            po = catalog.new_catalog(article, project.config, lang, revision)
            outputs[path] = pofile.dump(po, body, width).encode("utf-8")
    return outputs, summary


def _complete_header(po, fresh) -> None:
    """An empty or header-less catalog gets the header a new one has (an
    empty one fails ``msgfmt -c``); the fields it has are kept."""
    if all(po.metadata.get(k) for k in ("Content-Type", "Language", "Plural-Forms")):
        return
    po.metadata = {**fresh.metadata, **{k: v for k, v in po.metadata.items() if v}}
    po.header = po.header or fresh.header


def plan_extract(
    project: Project, names, encoding=None, memo=None, progress=None
) -> tuple[dict[Path, bytes], ExtractResult]:
    """Compute every POT and PO file the sources call for, writing nothing.
    Articles whose inputs and outputs are unchanged since the last extract
    (``memo``, the cache) are skipped; the others are read on every core."""
    result = ExtractResult()
    files: dict[Path, bytes] = {}
    glossary = qa.glossary_bytes(project)
    glossary_of(project)  # a bad glossary stops the run here, once, not in every worker
    memo = {} if memo is None else memo
    names = project.resolve_articles(names)
    keys = {name: _extract_key(project, name, encoding, glossary) for name in names}
    todo = [name for name in names if _cached_extract(project, name, keys[name], memo) is None]
    work = functools.partial(_extract_article, project, encoding, clock.po_stamp())
    for name, (outputs, summary) in zip(todo, parallel.map_ordered(work, todo, progress=progress)):
        result.notices += summary.pop("notices")
        files.update(outputs)
        memo[name] = {
            "key": keys[name],
            **summary,
            "outputs": {project.rel(p): cache.digest(data) for p, data in outputs.items()},
        }
    for name in names:
        hit = memo[name]
        if name not in todo:
            result.unchanged.extend(hit["outputs"])
        result.segments[name], result.roles[name] = hit["segments"], hit["roles"]
        result.suspected_defects += hit["defects"]
    return files, result


def _out_of_date(project: Project, files: dict[Path, bytes], memo: dict) -> list[Path]:
    """The files whose entries differ from what extract computed.  A file
    that holds the same entries laid out otherwise (rewrapped by msgcat,
    Weblate, Poedit) is up to date and stays as it is; the cache learns its
    bytes.  A template that did change keeps its layout where it did not."""
    stale, learned = [], {}
    for path, data in files.items():
        if not path.is_file():
            stale.append(path)
            continue
        on_disk = path.read_bytes()
        if on_disk == data:
            continue
        display = project.rel(path)
        ours = pofile.parse(data.decode("utf-8"), display)
        try:
            theirs = pofile.decode_po(on_disk, display)
        except CatalogError:
            theirs = None
        if theirs is not None and pofile.same_entries(theirs, ours, display):
            learned[display] = cache.digest(on_disk)
            continue
        stale.append(path)
        if theirs is not None and path.suffix == ".pot":
            ours.adopt_layout(pofile.parse(theirs, display))
            files[path] = pofile.dump(ours).encode("utf-8")
    for entry in memo.values():
        entry["outputs"].update({rel: sha for rel, sha in learned.items() if rel in entry.get("outputs", {})})
    return stale


def extract(project: Project, names=(), check: bool = False, encoding: str | None = None) -> ExtractResult:
    with project_lock(project.root, sweep=None if check else project.translations_dir):
        memo = cache.load(project.root, "extract")
        files, result = plan_extract(project, names, encoding, memo)
        guard_new_catalogs(project, files)  # a renamed article's work is carried over, never orphaned
        stale = _out_of_date(project, files, memo)
        if check:
            if stale:
                raise GateError(
                    "translation files are out of date; run 'bilingual extract'", [project.rel(p) for p in stale]
                )
            result.unchanged += [project.rel(p) for p in files]
            return result
        with Staged() as staged:  # every file was computed before the first is written
            for path in stale:
                staged.write(path, files[path])
            staged.commit()
        if files:
            cache.save(project.root, "extract", memo)
    written = set(stale)
    result.written = [project.rel(p) for p in stale]
    result.unchanged += [project.rel(p) for p in files if p not in written]
    return result


# -- lint ------------------------------------------------------------------------


def lint(project: Project, names=(), encoding=None) -> list[Defect]:
    """Suspected layout defects of the sources, each marked accepted when a
    reviewer accepted it in the translations (as the publish gate judges)."""
    out: list[Defect] = []
    for name in project.resolve_articles(names):
        article = load_article(project, name, encoding)
        defects = lint_article(article)
        if defects:
            out += [d for d, _ in editions.judged_defects(article, defects, catalog_indexes(project, name))]
    return out


# -- status ----------------------------------------------------------------------


@dataclass
class StatusResult:
    files: list[status.Counts]
    total: status.Counts
    listed: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # path, id, role, state, text
    memory: dict = field(default_factory=dict)  # path → Counter of match bands of the remaining work (--memory)
    orphans: list[str] = field(default_factory=list)  # catalogs whose article is gone from the source folder


def _status_targets(project: Project, targets, lang):
    """(display path, Path, language) for every PO file asked about."""
    out: list[tuple[str, Path, str | None]] = []
    langs = languages(project, lang)
    for target in targets or project.article_names():
        if target.endswith((".po", ".pot")):
            out.append((target, Path(target), None))
            continue
        article = project.article_path(target).stem if targets else target  # the scan's names are articles
        for code in langs:
            path = project.po_path(article, code)
            if not path.is_file():
                gone = orphans(project)
                hint = (
                    f" (or, if it was renamed from {', '.join(gone)}: 'bilingual rename {gone[0]} {article}')"
                    if gone
                    else ""
                )
                raise GateError(f"no translation file; run 'bilingual extract {article}'{hint}", path=project.rel(path))
            out.append((project.rel(path), path, code))
    return out


def _listed(po, display: str, wanted: str) -> list[tuple]:
    return [
        (display, catalog.entry_id(e), e.msgctxt or "", wanted, e.msgid)
        for e in po
        if e.msgid and lifecycle.state(e).value == wanted
    ]


def _count_file(target: tuple[str, Path, str | None]) -> status.Counts:
    """Parse one PO file and count it (a worker's job)."""
    display, path, code = target
    text = pofile.decode_po(read_input(path, display, CatalogError), display)
    po = pofile.parse(text, display)
    del text
    return status.count(po, display, code or po.metadata.get("Language", ""))


_COUNTED = {name for name in status.Counts.__dataclass_fields__ if name not in ("path", "language")}


def _valid_counts(value) -> bool:
    """A remembered count has every field, as a count (a damaged cache is never trusted)."""
    return (
        isinstance(value, dict)
        and set(value) == _COUNTED | {"language"}
        and isinstance(value["language"], str)
        and all(type(value[name]) is int and value[name] >= 0 for name in _COUNTED)
    )


def status_of(
    project: Project, targets=(), lang: str | None = None, list_state: str | None = None, memory: bool = False
) -> StatusResult:
    """Counts per PO file.  Counts are remembered by the file's content hash,
    so a second status of unchanged files reads bytes but parses nothing;
    files not seen before are counted on every core.  ``memory``: also how
    much of each article's remaining work the translation memory has
    matches for."""
    if list_state or memory:
        return _status_listing(project, targets, lang, list_state, memory)
    memo = cache.load(project.root, "status", _valid_counts)
    wanted = _status_targets(project, targets, lang)
    keys = [cache.digest(read_input(path, display, CatalogError)) for display, path, _ in wanted]
    misses = [i for i, key in enumerate(keys) if key not in memo or "confirmed_unedited" not in memo[key]]
    for i, counts in zip(misses, parallel.map_ordered(_count_file, [wanted[i] for i in misses])):
        memo[keys[i]] = {k: v for k, v in counts.as_dict().items() if k not in ("path", "percent", "percent_reviewed")}
    files, total = [], status.Counts(path="total")
    for (display, _, code), key in zip(wanted, keys):
        known = memo[key]
        counts = status.Counts(**{**known, "path": display, "language": code or known["language"]})
        files.append(counts)
        total.add(counts)
    if misses:
        cache.save(project.root, "status", dict(list(memo.items())[-max(256, 2 * len(keys)) :]))
    return StatusResult(files=files, total=total, orphans=[] if targets else orphans(project))


def _status_listing(project: Project, targets, lang, list_state, memory) -> StatusResult:
    """Status with the segments of one state listed, or the memory's
    coverage: every file parsed, in this process."""
    files, listed, result_memory = [], [], {}
    total = status.Counts(path="total")
    for display, path, code in _status_targets(project, targets, lang):
        text = pofile.decode_po(read_input(path, display, CatalogError), display)
        po = pofile.parse(text, display)
        counts = status.count(po, display, code or po.metadata.get("Language", ""))
        if list_state:
            listed += _listed(po, display, list_state)
        if memory and code:
            from workflow.commands.memory import coverage

            result_memory[display] = coverage(project, po, code)
        files.append(counts)
        total.add(counts)
    return StatusResult(files=files, total=total, listed=listed, memory=result_memory)


# -- check -----------------------------------------------------------------------


def check_size(project: Project, names=(), lang=None) -> int:
    """How many article-language pairs a check goes through (for a progress bar)."""
    return len(project.resolve_articles(names)) * len(languages(project, lang))


@dataclass
class CheckResult:
    findings: list
    errors: int = 0
    warnings: int = 0
    infos: int = 0


def write_check_report(project: Project, result: CheckResult, path: Path) -> Path:
    """The findings shown, with their segments' text, as an HTML page at ``path`` (atomically)."""
    from workflow.core.fsio import atomic_write
    from workflow.qa.htmlreport import render

    project.check_output(path, "--report")
    texts = {}
    for name, lang in dict.fromkeys((f.article, f.language) for f in result.findings):
        for pair in qa.article_pairs(project, load_article(project, name), lang):
            texts[(name, lang, pair.id)] = (pair.source, pair.target)
    try:
        atomic_write(path, render(result.findings, texts, f"QA report: {project.config.project_name}"))
    except OSError as exc:
        raise PathError(f"cannot write the report there ({exc.strerror or exc})", str(path)) from None
    return path


def check(project: Project, names=(), lang=None, only=None, severity: str = "warning", progress=None) -> CheckResult:
    from workflow.qa.checks import ALL_CHECKS, SEVERITY_RANK

    if only:
        unknown = set(only) - set(ALL_CHECKS)
        if unknown:
            raise UsageError(f"unknown check(s): {', '.join(sorted(unknown))}; known: {', '.join(ALL_CHECKS)}")
    findings = qa.check_articles(
        project, project.resolve_articles(names), languages(project, lang), set(only) if only else None, progress
    )
    result = CheckResult(findings=[f for f in findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK[severity]])
    result.errors = sum(f.severity == "error" for f in findings)
    result.warnings = sum(f.severity == "warning" for f in findings)
    result.infos = sum(f.severity == "info" for f in findings)
    return result
