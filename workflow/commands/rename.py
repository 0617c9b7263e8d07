"""Renamed articles keep their work.

A catalog (``translations/LANG/NAME.po``) or template whose article is no
longer in the source folder is an *orphan*: most often the article was
renamed (``git mv source/old.md source/new.md``).  ``extract`` refuses to
start a fresh catalog for a new article whose segments match an orphan's
(same segment IDs or same Chinese), and names the command that carries the
work over: ``bilingual rename OLD NEW``.  That command moves the template
and every language's catalog from OLD to NEW, all of them or none, under
the project lock, with the entries' history, notes and review decisions as
they are, and points their references at the new source file.  It never
touches the source folder: moving the article is the user's (or git's).

May import: errors, fsio, pofile, lifecycle, catalog, project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workflow.core.errors import CatalogError, InputError, UsageError
from workflow.core.fsio import Staged, project_lock
from workflow.core.project import Project
from workflow.po.catalog import entry_id

#: A new article is taken for a renamed one when this share of its segments is in an orphan's catalog.
SAME_ARTICLE = 0.5


def orphans(project: Project) -> list[str]:
    """Names that have a template or catalog but no article in the source folder."""
    names = set(project.article_names())
    found: set[str] = set()
    folders = [project.translations_dir / "templates"] + [
        project.translations_dir / code for code in project.config.target_languages
    ]
    for folder in folders:
        if folder.is_dir():
            found.update(
                p.stem
                for p in folder.iterdir()
                if p.suffix in (".po", ".pot") and p.is_file() and not p.name.startswith(".")
            )
    return sorted(found - names)


def _catalog_files(project: Project, name: str) -> list[Path]:
    paths = [project.template_path(name)] + [project.po_path(name, code) for code in project.config.target_languages]
    return [p for p in paths if p.is_file()]


def _keys(path: Path, display: str) -> tuple[set[str], set[str]]:
    """(segment IDs, Chinese sources) of a catalog's live entries; none of
    a catalog that cannot be read (it is not this command's to judge)."""
    from workflow.po import pofile

    try:
        po = pofile.parse(pofile.decode_po(path.read_bytes(), display), display)
    except CatalogError:
        return set(), set()
    live = [e for e in po if e.msgid and not e.obsolete]
    return {entry_id(e) for e in live}, {e.msgid for e in live}


def renamed_from(project: Project, name: str, template: bytes, known: dict | None = None) -> str | None:
    """The orphan that the new article ``name`` (its template's bytes) most
    likely was, or None.  ``known``: orphan → its (IDs, sources), filled as read."""
    from workflow.po import pofile

    known = {orphan: None for orphan in orphans(project)} if known is None else known
    display = project.rel(project.template_path(name))
    po = pofile.parse(template.decode("utf-8"), display)
    ids = {entry_id(e) for e in po if e.msgid}
    sources = {e.msgid for e in po if e.msgid}
    best, best_share = None, 0.0
    for orphan in known:
        if known[orphan] is None:
            files = _catalog_files(project, orphan)
            known[orphan] = _keys(files[0], project.rel(files[0])) if files else (set(), set())
        their_ids, their_sources = known[orphan]
        if not sources or not their_sources:
            continue
        share = max(len(ids & their_ids) / len(ids), len(sources & their_sources) / len(sources))
        if share >= SAME_ARTICLE and share > best_share:
            best, best_share = orphan, share
    return best


def guard_new_catalogs(project: Project, files: dict[Path, bytes]) -> None:
    """Refuse to start a fresh catalog for an article that looks renamed:
    its old catalog would be orphaned, and its work lost from sight."""
    new = [
        name
        for name in project.article_names()
        if project.template_path(name) in files and not project.template_path(name).is_file()
    ]
    if not new:
        return  # the common case: no folder is listed
    known = {orphan: None for orphan in orphans(project)}
    for name in new if known else ():
        old = renamed_from(project, name, files[project.template_path(name)], known)
        if old is not None:
            raise InputError(
                f"looks like the renamed article {old} (its catalogs hold the same segments); run "
                f"'bilingual rename {old} {name}' to carry the translations over, or remove "
                f"{project.config.translations_dir}/*/{old}.po* to start afresh",
                project.rel(project.article_path(name)),
            )


@dataclass
class RenameResult:
    moved: list[tuple[str, str]] = field(default_factory=list)


def _retargeted(path: Path, display: str, old: str, new: str, source_dir: str):
    """A catalog with its references to ``source/OLD.ext`` (and its header
    comment's) pointing at ``source/NEW.ext``; read in its declared charset."""
    from workflow.po import pofile

    po = pofile.load(path, display)
    before, after = f"{source_dir}/{old}.", f"{source_dir}/{new}."
    po.header = po.header.replace(before, after)
    for e in po:
        if any(before in name for name, _ in e.occurrences):
            e.occurrences = [(name.replace(before, after), line) for name, line in e.occurrences]
    return po


def rename(project: Project, old: str, new: str) -> RenameResult:
    """Move the catalogs and template of article ``old`` to ``new``, all at once."""
    from workflow.po import pofile

    for name in (old, new):
        if not name or "/" in name or name.startswith(".") or ".." in name:
            raise UsageError(f"{name!r} is not an article name")
    if old == new:
        raise UsageError("OLD and NEW are the same name")
    project.article_path(new)  # NEW must be an article (an unknown one is an input error naming it)
    result = RenameResult()
    with project_lock(project.root, sweep=project.translations_dir):
        if old in project.article_names():
            raise UsageError(
                f"{old} is still an article in {project.config.source_dir}/: move or remove its "
                "source first (git mv), then rename its translations"
            )
        moves = [(path, path.with_name(f"{new}{path.suffix}")) for path in _catalog_files(project, old)]
        if not moves:
            raise InputError(f"no template or catalog named {old} in {project.config.translations_dir}/", old)
        _refuse_overwrite(project, [target for _, target in moves])
        with Staged() as staged:
            for path, target in moves:
                po = _retargeted(path, project.rel(path), old, new, project.config.source_dir)
                pofile.save_catalog(target, po, staged=staged)
            staged.commit()
        for path, target in moves:
            path.unlink()
            result.moved.append((project.rel(path), project.rel(target)))
    return result


def _refuse_overwrite(project: Project, targets: list[Path]) -> None:
    """NEW's own catalogs may be replaced only while they hold no work (a fresh extract)."""
    from workflow.po import lifecycle, pofile

    for target in targets:
        if not target.is_file() or target.suffix == ".pot":
            continue
        display = project.rel(target)
        po = pofile.parse(pofile.decode_po(target.read_bytes(), display), display)
        if any(e.msgid and not e.obsolete and lifecycle.state(e) is not lifecycle.State.UNTRANSLATED for e in po):
            raise InputError(
                "holds translations of its own: refusing to replace it; merge by hand or remove it", display
            )
