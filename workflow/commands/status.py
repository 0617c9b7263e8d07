"""``status``: the translation progress of articles or PO files.

Counts are remembered by each file's content hash
(``.bilingual-cache/status.json``), so a second status of unchanged files
reads bytes but parses nothing; files not seen before are counted on every
core.  ``--list`` and ``--memory`` parse every file, in this process.
Nothing here prints.

May import: errors, cache, parallel, fsio, project, catalog, lifecycle, pofile, status, inputs, rename, memory,
snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands import snapshot
from workflow.commands.inputs import languages
from workflow.commands.rename import orphans
from workflow.core import cache, parallel
from workflow.core.errors import CatalogError, GateError
from workflow.core.fsio import read_input
from workflow.core.project import Project
from workflow.po import catalog, lifecycle, pofile, status


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
    po = pofile.parse(text, display, keep_layout=False)  # counted, never written
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
    with snapshot.taken():
        if list_state or memory:
            return _status_listing(project, targets, lang, list_state, memory)
        return _status_counts(project, targets, lang)


def _status_counts(project: Project, targets, lang) -> StatusResult:
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
        po = pofile.parse(text, display, keep_layout=False)
        counts = status.count(po, display, code or po.metadata.get("Language", ""))
        if list_state:
            listed += _listed(po, display, list_state)
        if memory and code:
            from workflow.commands.memory import coverage

            result_memory[display] = coverage(project, po, code)
        files.append(counts)
        total.add(counts)
    return StatusResult(files=files, total=total, listed=listed, memory=result_memory)
