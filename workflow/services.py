"""One service per command.  Each takes a ``Project`` and plain values and
returns data; none prints, none knows about click."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, status
from .errors import GateError, UsageError
from .fsio import project_lock, write_all
from .glossary import Glossary, load_glossary
from .model import Article, Role, Segment
from .project import Project
from .segment import segments
from .source import read_article

# -- shared loading --------------------------------------------------------------


def load_article(project: Project, name: str, encoding: str | None = None) -> Article:
    path = project.article_path(name)
    return read_article(path, project.rel(path), encoding)


def glossary_of(project: Project) -> Glossary:
    return load_glossary(project.glossary_path, project.rel(project.glossary_path))


def article_segments(article: Article, glossary: Glossary) -> list[Segment]:
    out = []
    for seg in segments(article):
        hints = tuple((t.source, t.target) for t in glossary.hints(seg.text))
        out.append(Segment(seg.id, seg.role, seg.text, seg.level, hints) if hints else seg)
    return out


def languages(project: Project, lang: str | None) -> list[str]:
    if lang is None:
        return list(project.config.target_languages)
    code = lang.replace("-", "_")
    if code not in project.config.target_languages:
        raise UsageError(
            f"language {lang!r} is not a target language of this project "
            f"({', '.join(project.config.target_languages)})"
        )
    return [code]


def load_catalog(project: Project, article: str, language: str):
    path = project.po_path(article, language)
    if not path.is_file():
        raise GateError(f"no translation file; run 'bilingual extract {article}' first", path=project.rel(path))
    return catalog.load_po(path, project.rel(path))


# -- extract ---------------------------------------------------------------------


@dataclass
class ExtractResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    segments: dict[str, int] = field(default_factory=dict)
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    suspected_defects: int = 0


def plan_extract(project: Project, names, encoding=None) -> tuple[dict[Path, str], ExtractResult]:
    """Compute every POT and PO file the sources call for, writing nothing."""
    result = ExtractResult()
    files: dict[Path, str] = {}
    glossary = glossary_of(project)
    revision = catalog.now_stamp()
    for name in project.resolve_articles(names):
        article = load_article(project, name, encoding)
        segs = article_segments(article, glossary)
        result.segments[name] = len(segs)
        roles: dict[str, int] = {}
        for seg in segs:
            roles[seg.role.value] = roles.get(seg.role.value, 0) + 1
        result.roles[name] = roles
        result.suspected_defects += len(lint_article(article))
        template = catalog.make_template(article, segs, project.config)
        files[project.template_path(name)] = catalog.dump_po(template)
        for lang in project.config.target_languages:
            path = project.po_path(name, lang)
            if path.is_file():
                old = catalog.load_po(path, project.rel(path))
            else:
                old = catalog.new_catalog(template, article, project.config, lang, revision)
            merged = catalog.merge(template, old, project.config.fuzzy_threshold)
            files[path] = catalog.dump_po(merged)
    return files, result


def extract(project: Project, names=(), check: bool = False, encoding: str | None = None) -> ExtractResult:
    with project_lock(project.root):
        files, result = plan_extract(project, names, encoding)
        stale = [p for p, text in files.items() if not p.is_file() or p.read_bytes() != text.encode("utf-8")]
        if check:
            if stale:
                raise GateError(
                    "translation files are out of date; run 'bilingual extract'",
                    [project.rel(p) for p in stale],
                )
            result.unchanged = [project.rel(p) for p in files]
            return result
        written = set(write_all(files))
    result.written = [project.rel(p) for p in files if p in written]
    result.unchanged = [project.rel(p) for p in files if p not in written]
    return result


# -- lint ------------------------------------------------------------------------


@dataclass(frozen=True)
class Defect:
    path: str
    line: int
    reason: str


_OPEN_END = "，、,"


def lint_article(article: Article) -> list[Defect]:
    """Suspected layout defects: paragraphs broken mid-sentence or cut off.
    Reports only; never joins or completes text."""
    found = []
    blocks = article.blocks
    for i, block in enumerate(blocks):
        if block.role is not Role.BODY or block.kind != "paragraph":
            continue
        text = block.text.rstrip()
        last = text[-1:] if text else ""
        if not last or last in "。！？!?…”’」』）)》：:；;" or text.endswith(("。**", "。*")):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        tail = text[-8:]
        if last in _OPEN_END:
            reason = f"ends with '{last}' ('…{tail}'): a sentence broken across a blank line"
        else:
            reason = f"ends without end punctuation ('…{tail}'): broken across a blank line, or truncated"
        if nxt is not None and nxt.role is Role.BODY:
            reason += f"; line {nxt.line} ('{nxt.text[:8]}…') may continue it"
        else:
            reason += "; no body paragraph follows, so text may be missing"
        found.append(Defect(article.path, block.line, reason))
    return found


def lint(project: Project, names=(), encoding=None) -> list[Defect]:
    out: list[Defect] = []
    for name in project.resolve_articles(names):
        out.extend(lint_article(load_article(project, name, encoding)))
    return out


# -- status ----------------------------------------------------------------------


@dataclass
class StatusResult:
    files: list[status.Counts]
    total: status.Counts
    listed: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # path, id, role, state, text


def _status_targets(project: Project, targets, lang):
    """(display path, Path, language) for every PO file asked about."""
    out = []
    langs = languages(project, lang)
    if not targets:
        targets = project.article_names()
    for target in targets:
        if target.endswith((".po", ".pot")):
            path = Path(target)
            out.append((target, path, None))
            continue
        article = project.article_path(target).stem
        for code in langs:
            path = project.po_path(article, code)
            if not path.is_file():
                raise GateError(f"no translation file; run 'bilingual extract {article}'", path=project.rel(path))
            out.append((project.rel(path), path, code))
    return out


def status_of(project: Project, targets=(), lang: str | None = None, list_state: str | None = None) -> StatusResult:
    files, listed = [], []
    total = status.Counts(path="total")
    for display, path, code in _status_targets(project, targets, lang):
        po = catalog.load_po(path, display)
        counts = status.count(po, display, code or po.metadata.get("Language", ""))
        files.append(counts)
        total.add(counts)
        if list_state:
            for entry in po:
                if entry.msgid and status.state(entry) == list_state:
                    listed.append((display, catalog.entry_id(entry), catalog.entry_role(entry), list_state, entry.msgid))
    return StatusResult(files=files, total=total, listed=listed)
