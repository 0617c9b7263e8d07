"""``check`` and ``lint``: the zh→en checks over a project, on every core,
remembered; and the sources' suspected layout defects.

An article's findings are remembered under a hash of the bytes they come
from (its source, its PO file, the glossary, the configuration), so an
unchanged article is answered without parsing anything; when it did
change, each segment's own findings are looked up by a hash of what they
depend on (``checks.run_checks``), so editing one segment re-checks one
segment.  ``check_articles`` spreads articles over worker processes and
returns findings in article order.  The remembered results live in one
cache file, ``.bilingual-cache/check.json``; both keys include a hash of
the check modules' source (``checks_digest``), so findings remembered from
other checks are never answered.

May import: errors, cache, parallel, fsio, lifecycle, pofile, catalog, checks, consistency, htmlreport, lint, inputs,
gate, snapshot, model, project, segment.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from workflow.commands import gate, snapshot
from workflow.commands.inputs import (
    catalog_indexes,
    glossary_of,
    languages,
    load_article,
    load_catalog,
    word_list_bytes,
    word_list_of,
)
from workflow.core import cache, parallel
from workflow.core.errors import PathError, UsageError
from workflow.core.model import Article
from workflow.core.project import Project
from workflow.po import catalog, lifecycle, pofile
from workflow.qa import consistency
from workflow.qa.checks import Finding, Pair, run_checks
from workflow.sources.lint import Defect, lint_article
from workflow.sources.segment import segments

CACHE = "check"


def glossary_bytes(project: Project) -> bytes:
    return snapshot.read_if_file(project.glossary_path)


def before_the_workers(project: Project) -> None:
    """Read what every article's job reads (the glossary, the word list, the
    checks' code) in this process, so the workers forked next inherit it
    instead of each reading it again."""
    glossary_bytes(project)
    word_list_bytes(project)
    checks_digest()


_PACKAGE_IMPORT = re.compile(rb"^[ \t]*from workflow((?:\.\w+)*) import (?:\(([^)]*)\)|([^\n#]*))", re.M)


def _package_imports(source: bytes) -> set[str]:
    """The package modules ``source`` imports, as paths below ``workflow/``
    (``from workflow.qa.numbers import …`` is ``qa/numbers``, ``from workflow.qa import
    numbers, parity`` is ``qa/numbers`` and ``qa/parity``). A line scan, not a parse (a
    parse of checks.py costs tens of milliseconds): a match in a string, or a name that
    is not a module, only adds a candidate that is skipped or hashed, which is safe."""
    found: set[str] = set()
    for m in _PACKAGE_IMPORT.finditer(source):
        base = m[1].decode().strip(".").replace(".", "/")
        found.add(base)
        for item in (m[2] or m[3]).split(b","):
            if item.strip():
                found.add(f"{base}/{item.split()[0].decode()}".strip("/"))
    return found


@functools.lru_cache(maxsize=1)
def checks_digest() -> str:
    """A hash of the code that decides a finding: ``qa/checks.py`` and every
    module of the package it imports, directly or not (stylecheck,
    numbers, glossary, segment, text …), read from their source, so a check
    added, removed or changed is a new key even when the version is not."""
    folder = Path(__file__).resolve().parent.parent
    todo, sources = ["qa/checks"], {}
    while todo:
        name = todo.pop()
        path = folder / f"{name}.py"
        if name in sources or not path.is_file():  # a package, or a name that is not a module
            continue
        sources[name] = path.read_bytes()
        todo.extend(sorted(_package_imports(sources[name])))
    return cache.digest(*(part for name in sorted(sources) for part in (name, sources[name])))


def inputs_digest(project: Project, name: str, codes, *extra: str) -> str:
    """A hash of what an article's checks and editions come from: its
    source, its PO files in ``codes``, the glossary, the configuration and
    the check modules' code."""
    parts = [snapshot.read(project.article_path(name))]
    parts += [snapshot.read_if_file(project.po_path(name, code), b"\x00missing") for code in codes]
    return cache.digest(
        *parts,
        glossary_bytes(project),
        word_list_bytes(project),
        repr(project.config),
        checks_digest(),
        name,
        *codes,
        *extra,
    )


def memo_key(name: str, lang: str, only) -> str:
    return "\x1f".join((name, lang, ",".join(sorted(only or ()))))


def article_pairs(project: Project, article: Article, lang: str, index: dict | None = None) -> list[Pair]:
    if index is None:
        index = catalog.index_by_id(load_catalog(project, article.name, lang))
    pairs = []
    for seg in segments(article):
        entry = index.get(seg.id)
        if entry is None:
            pairs.append(Pair(seg.id, seg.role.value, seg.text, "", lifecycle.State.UNTRANSLATED.value))
            continue
        state = lifecycle.state(entry)
        target = pofile.first_msgstr(entry) if state is not lifecycle.State.UNTRANSLATED else ""
        pairs.append(Pair(seg.id, seg.role.value, seg.text, target, state.value, lifecycle.accepted_checks(entry)))
    return pairs


def check_article(
    project: Project,
    article: Article,
    lang: str,
    only,
    entry: dict | None,
    index: dict | None = None,
    key: str | None = None,
) -> tuple[list[Finding], dict]:
    """The findings of one article in one language, and what to remember:
    ``entry`` is what the last run remembered (or None)."""
    key = key or inputs_digest(project, article.name, [lang], *sorted(only or ()))
    if entry and entry.get("key") == key:
        return [Finding(article.name, lang, *row) for row in entry["findings"]], entry
    # a segment's rows are kept while all of these stay as they were
    glossary = cache.digest(
        glossary_bytes(project), word_list_bytes(project), repr(project.config.checklist), checks_digest()
    )
    reuse = entry.get("segments", {}) if entry and entry.get("glossary") == glossary else {}
    keep: dict = {}
    pairs = article_pairs(project, article, lang, index)
    findings = run_checks(
        pairs,
        glossary_of(project),
        article.name,
        lang,
        set(only) if only else None,
        reuse,
        keep,
        word_list_of(project),
        project.config.checklist,
    )
    rows = [[f.segment, f.role, f.check, f.severity, f.message] for f in findings]
    return findings, {
        "key": key,
        "glossary": glossary,
        "findings": rows,
        "segments": keep,
        "fingerprints": consistency.fingerprints(pairs),
    }


_SHARED: dict[Path, dict] = {}  # root → the check memo of the command under way (see ``shared_memo``)


@contextlib.contextmanager
def shared_memo(project: Project, memo: dict | None = None):
    """The check memo for the workers while a command runs: forked workers
    inherit ``memo`` as it is (nothing crosses between the processes); without
    it (a build, which needs it only for an article that changed), or in a
    worker that was not forked, ``remembered`` reads it from disk on first use."""
    if memo is not None:
        _SHARED[project.root] = memo
    try:
        yield
    finally:
        _SHARED.pop(project.root, None)


def remembered(project: Project, key: str) -> dict | None:
    """The check memo's entry ``key`` (inside ``shared_memo``)."""
    memo = _SHARED.get(project.root)
    if memo is None:
        memo = _SHARED[project.root] = cache.load(project.root, CACHE)
    return memo.get(key)


def _check_job(project: Project, only, job: tuple[str, str, str | None]) -> tuple[list[Finding], dict] | None:
    """A worker's job: one article in one language, read only when it changed
    (None when it is as the memo's key ``known`` says). Only names and keys are
    sent to the workers, and only a changed article's findings come back."""
    name, lang, known = job
    key = inputs_digest(project, name, [lang], *sorted(only or ()))
    if key == known:
        return None
    entry = remembered(project, memo_key(name, lang, only))
    return check_article(project, load_article(project, name), lang, only, entry, key=key)


def check_articles(project: Project, names: list[str], langs: list[str], only=None, progress=None) -> list[Finding]:
    """Every finding of ``names`` in ``langs``, in article order, checked on every core."""
    memo = cache.load(project.root, CACHE)
    pairs = [(name, lang, memo_key(name, lang, only)) for name in names for lang in langs]
    glossary_of(project)  # a bad glossary stops the run here, once, not in every worker
    before_the_workers(project)
    keys = [(name, lang, (memo.get(mk) or {}).get("key")) for name, lang, mk in pairs]
    with shared_memo(project, memo):
        results = parallel.map_ordered(functools.partial(_check_job, project, only), keys, progress=progress)
    findings = []
    changed = False
    for (name, lang, mk), result in zip(pairs, results):
        if result is None:
            findings += [Finding(name, lang, *row) for row in memo[mk]["findings"]]
        else:
            found, memo[mk] = result
            findings += found
            changed = True
    if changed or _gone(project, memo):
        remember(project, memo)
    if not only or consistency.NAME in only:
        rows = [(name, lang, (memo.get(mk) or {}).get("fingerprints", [])) for name, lang, mk in pairs]
        findings += consistency.inconsistencies(rows)
    return findings


def _gone(project: Project, memo: dict) -> bool:
    """Whether the memo holds an article the project no longer has."""
    names = set(project.article_names())
    return any(k.split("\x1f", 1)[0] not in names for k in memo)


def remember(project: Project, memo: dict) -> None:
    """Save the check memo, keeping the entries of articles that still exist."""
    names = set(project.article_names())
    cache.save(project.root, CACHE, {k: v for k, v in memo.items() if k.split("\x1f", 1)[0] in names})


# -- the command ---------------------------------------------------------------


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
        for pair in article_pairs(project, load_article(project, name), lang):
            texts[(name, lang, pair.id)] = (pair.source, pair.target)
    try:
        atomic_write(path, render(result.findings, texts, f"QA report: {project.config.project_name}"))
    except OSError as exc:
        raise PathError(f"cannot write the report there ({exc.strerror or exc})", str(path)) from None
    return path


def check(
    project: Project,
    names=(),
    lang=None,
    only=None,
    severity: str = "warning",
    progress=None,
    report_path: Path | None = None,
) -> CheckResult:
    """The findings of ``severity`` and worse (``only``: of these checks), with
    the counts of every severity; with ``report_path``, also as an HTML page."""
    from workflow.qa.checks import ALL_CHECKS, SEVERITY_RANK

    if only:
        unknown = set(only) - set(ALL_CHECKS)
        if unknown:
            raise UsageError(f"unknown check(s): {', '.join(sorted(unknown))}; known: {', '.join(ALL_CHECKS)}")
    with snapshot.taken():  # the report reads the texts the check read
        findings = check_articles(
            project, project.resolve_articles(names), languages(project, lang), set(only) if only else None, progress
        )
        result = CheckResult(findings=[f for f in findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK[severity]])
        result.errors = sum(f.severity == "error" for f in findings)
        result.warnings = sum(f.severity == "warning" for f in findings)
        result.infos = sum(f.severity == "info" for f in findings)
        if report_path is not None:
            write_check_report(project, result, report_path)
    return result


# -- lint ------------------------------------------------------------------------


def lint(project: Project, names=(), encoding=None) -> list[Defect]:
    """Suspected layout defects of the sources, each marked accepted when a
    reviewer accepted it in the translations (as the publish gate judges)."""
    out: list[Defect] = []
    with snapshot.taken():
        for name in project.resolve_articles(names):
            article = load_article(project, name, encoding)
            defects = lint_article(article)
            if defects:
                out += [d for d, _ in gate.judged_defects(article, defects, catalog_indexes(project, name))]
    return out
