"""``extract``: articles split into segments, written as POT and PO files.

An article whose inputs (its source, the glossary, the configuration, the
encoding) and outputs are byte for byte what the last extract left is not
read again (``.bilingual-cache/extract.json``); the others are split on
every core.  Every file is computed before the first is written, and a file
that holds the same entries laid out otherwise (rewrapped by msgcat,
Weblate, Poedit) is left as it is.  Nothing here prints.

May import: errors, cache, clock, parallel, fsio, project, catalog, lifecycle, pofile, lint, inputs, rename,
snapshot.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands import snapshot
from workflow.commands.inputs import article_segments, glossary_of, load_article
from workflow.commands.rename import guard_new_catalogs
from workflow.core import cache, clock, parallel
from workflow.core.errors import CatalogError, GateError
from workflow.core.fsio import Staged, project_lock
from workflow.core.project import Project
from workflow.po import catalog, pofile
from workflow.sources.lint import lint_article


@dataclass
class ExtractResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    segments: dict[str, int] = field(default_factory=dict)
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    suspected_defects: int = 0
    notices: list[str] = field(default_factory=list)  # what reading the sources found (first read only)
    #: Files the merge changed entries of: out of date without reading them again (``_out_of_date``).
    rewritten: set[str] = field(default_factory=set)


def _extract_key(project: Project, name: str, encoding, glossary: bytes) -> str:
    return cache.digest(snapshot.read(project.article_path(name)), glossary, repr(project.config), str(encoding))


def _cached_extract(project: Project, name: str, key: str, memo: dict):
    """The remembered result for this article when its inputs and every
    output file are byte for byte what the last extract left."""
    entry = memo.get(name)
    if not entry or entry.get("key") != key:
        return None
    for rel, sha in entry["outputs"].items():
        path = project.root / rel
        if not path.is_file() or cache.digest(snapshot.read(path)) != sha:
            return None
    return entry


def _extract_article(project: Project, encoding, revision: str, name: str) -> tuple[dict, dict]:
    """(outputs, summary) of one article: its POT and PO files as UTF-8 bytes
    (at book scale a second copy as text would double the peak memory).
    Runs in a worker process: everything it needs is in its arguments."""
    article = load_article(project, name, encoding)
    segs = article_segments(article, glossary_of(project))
    roles: dict[str, int] = {}
    rewritten: list[str] = []
    for seg in segs:
        roles[seg.role.value] = roles.get(seg.role.value, 0) + 1
    summary = {
        "segments": len(segs),
        "roles": roles,
        "defects": len(lint_article(article)),
        "notices": list(article.notices),
        "rewritten": rewritten,
    }
    template = catalog.make_template(article, segs, project.config)
    del segs
    width = project.config.po_width  # new files; an existing one keeps its own width
    body = pofile.entries_bytes(template, width)
    outputs = {project.template_path(name): pofile.dump_bytes(template, body, width)}
    for lang in project.config.target_languages:
        path = project.po_path(name, lang)
        if path.is_file():
            old = pofile.load(path, project.rel(path))
            merged = catalog.merge(template, old, project.config.fuzzy_threshold)
            _complete_header(merged, catalog.new_catalog(article, project.config, lang, revision))
            del old  # one catalog at a time: at book scale each is hundreds of MB of objects
            outputs[path] = pofile.catalog_bytes(merged, None)  # a source-side change: the header as it was
            if pofile.rewritten(merged):
                rewritten.append(project.rel(path))
            del merged
        else:  # a new catalog holds exactly the template's entries
            po = catalog.new_catalog(article, project.config, lang, revision)
            outputs[path] = pofile.dump_bytes(po, body, width)
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
    glossary = snapshot.read_if_file(project.glossary_path)
    glossary_of(project)  # a bad glossary stops the run here, once, not in every worker
    memo = {} if memo is None else memo
    names = project.resolve_articles(names)
    keys = {name: _extract_key(project, name, encoding, glossary) for name in names}
    todo = [name for name in names if _cached_extract(project, name, keys[name], memo) is None]
    work = functools.partial(_extract_article, project, encoding, clock.po_stamp())
    for name, (outputs, summary) in zip(todo, parallel.map_ordered(work, todo, progress=progress)):
        result.notices += summary.pop("notices")
        result.rewritten.update(summary.pop("rewritten"))
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


def _out_of_date(project: Project, files: dict[Path, bytes], memo: dict, rewritten: set[str]) -> list[Path]:
    """The files whose entries differ from what extract computed.  A file
    that holds the same entries laid out otherwise (rewrapped by msgcat,
    Weblate, Poedit) is up to date and stays as it is; the cache learns its
    bytes.  A template that did change keeps its layout where it did not.
    A catalog the merge changed entries of (``rewritten``) is out of date
    without being read twice more (at book length, seconds)."""
    stale, learned = [], {}
    for path, data in files.items():
        display = project.rel(path)
        if not path.is_file() or display in rewritten:
            stale.append(path)
            continue
        on_disk = snapshot.read(path)
        if on_disk == data:
            continue
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
    """Write the POT and PO files the sources call for (``check``: only say whether they are up to date)."""
    with project_lock(project.root, sweep=None if check else project.translations_dir), snapshot.taken():
        memo = cache.load(project.root, "extract")
        files, result = plan_extract(project, names, encoding, memo)
        guard_new_catalogs(project, files)  # a renamed article's work is carried over, never orphaned
        stale = _out_of_date(project, files, memo, result.rewritten)
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
