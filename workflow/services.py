"""One service per command: extract, lint, status, check, build.

Each takes a ``Project`` and plain values and returns data; none prints,
none knows about click.  They orchestrate: the work itself is done by the
readers, ``catalog``, ``checks``, ``editions`` and the Word layer.

May import: everything below cli, report and exchange.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, catalog, clock, editions, lifecycle, pofile, status
from . import pdf as pdfs
from .errors import CatalogError, GateError, UsageError
from .fsio import Staged, atomic_write, project_lock, read_input
from .lint import Defect, lint_article
from .load import article_segments, glossary_of, languages, load_article, load_catalog
from .model import Article
from .project import Project
from .segment import segments

# -- extract ---------------------------------------------------------------------


@dataclass
class ExtractResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    segments: dict[str, int] = field(default_factory=dict)
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    suspected_defects: int = 0
    notices: list[str] = field(default_factory=list)  # what reading the sources found (first read only)


def _extract_key(project: Project, name: str, encoding) -> str:
    glossary = project.glossary_path.read_bytes() if project.glossary_path.is_file() else b""
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


def _extract_article(project: Project, name: str, encoding, glossary, revision: str) -> tuple[dict, dict]:
    """(outputs, summary) of one article: its POT and PO files as UTF-8 bytes
    (at book scale a second copy as text would double the peak memory)."""
    article = load_article(project, name, encoding)
    segs = article_segments(article, glossary)
    roles: dict[str, int] = {}
    for seg in segs:
        roles[seg.role.value] = roles.get(seg.role.value, 0) + 1
    summary = {"segments": len(segs), "roles": roles, "defects": len(lint_article(article)),
               "notices": list(article.notices)}
    template = catalog.make_template(article, segs, project.config)
    del segs
    width = project.config.po_width  # new files; an existing one keeps its own width
    body = pofile.entries_text(template, width)
    outputs = {project.template_path(name): pofile.dump(template, body, width).encode("utf-8")}
    for lang in project.config.target_languages:
        path = project.po_path(name, lang)
        if path.is_file():
            old = pofile.load(path, project.rel(path), keep_layout=True)
            merged = catalog.merge(template, old, project.config.fuzzy_threshold)
            del old  # one catalog at a time: at book scale each is hundreds of MB of objects
            outputs[path] = pofile.dump(merged).encode("utf-8")
            del merged
        else:  # a new catalog holds exactly the template's entries
            po = catalog.new_catalog(article, project.config, lang, revision)
            outputs[path] = pofile.dump(po, body, width).encode("utf-8")
    return outputs, summary


def plan_extract(project: Project, names, encoding=None, memo=None) -> tuple[dict[Path, bytes], ExtractResult]:
    """Compute every POT and PO file the sources call for, writing nothing.
    Articles whose inputs and outputs are unchanged since the last extract
    (``memo``, the cache) are skipped."""
    result = ExtractResult()
    files: dict[Path, bytes] = {}
    glossary = glossary_of(project)
    revision = clock.po_stamp()
    memo = {} if memo is None else memo
    for name in project.resolve_articles(names):
        key = _extract_key(project, name, encoding)
        hit = _cached_extract(project, name, key, memo)
        if hit is not None:
            result.unchanged.extend(hit["outputs"])
        else:
            outputs, hit = _extract_article(project, name, encoding, glossary, revision)
            result.notices += hit.pop("notices")
            files.update(outputs)
            hit = memo[name] = {"key": key, **hit,
                                "outputs": {project.rel(p): cache.digest(data) for p, data in outputs.items()}}
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
            ours.layout = pofile.parse(theirs, display, keep_layout=True).layout
            files[path] = pofile.dump(ours).encode("utf-8")
    for entry in memo.values():
        entry["outputs"].update({rel: sha for rel, sha in learned.items() if rel in entry.get("outputs", {})})
    return stale


def extract(project: Project, names=(), check: bool = False, encoding: str | None = None) -> ExtractResult:
    with project_lock(project.root, sweep=None if check else project.translations_dir):
        memo = cache.load(project.root, "extract")
        files, result = plan_extract(project, names, encoding, memo)
        stale = _out_of_date(project, files, memo)
        if check:
            if stale:
                raise GateError("translation files are out of date; run 'bilingual extract'",
                                [project.rel(p) for p in stale])
            result.unchanged += [project.rel(p) for p in files]
            return result
        for path in stale:  # every file was computed before the first is written
            atomic_write(path, files[path])
        if files:
            cache.save(project.root, "extract", memo)
    written = set(stale)
    result.written = [project.rel(p) for p in stale]
    result.unchanged += [project.rel(p) for p in files if p not in written]
    return result


# -- lint ------------------------------------------------------------------------


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
    memory: dict = field(default_factory=dict)  # path → Counter of match bands of the remaining work (--memory)


def _status_targets(project: Project, targets, lang):
    """(display path, Path, language) for every PO file asked about."""
    out = []
    langs = languages(project, lang)
    for target in targets or project.article_names():
        if target.endswith((".po", ".pot")):
            out.append((target, Path(target), None))
            continue
        article = project.article_path(target).stem
        for code in langs:
            path = project.po_path(article, code)
            if not path.is_file():
                raise GateError(f"no translation file; run 'bilingual extract {article}'", path=project.rel(path))
            out.append((project.rel(path), path, code))
    return out


def _listed(po, display: str, wanted: str) -> list[tuple]:
    return [(display, catalog.entry_id(e), e.msgctxt or "", wanted, e.msgid) for e in po
            if e.msgid and lifecycle.state(e).value == wanted]


def status_of(project: Project, targets=(), lang: str | None = None, list_state: str | None = None,
              memory: bool = False) -> StatusResult:
    """Counts per PO file.  Counts are remembered by the file's content hash,
    so a second status of unchanged files reads bytes but parses nothing.
    ``memory``: also how much of each article's remaining work the
    translation memory has matches for."""
    files, listed, result_memory = [], [], {}
    total = status.Counts(path="total")
    memo = cache.load(project.root, "status")
    dirty = False
    for display, path, code in _status_targets(project, targets, lang):
        data = read_input(path, display, CatalogError)
        key = cache.digest(data)
        known = memo.get(key)
        if known is not None and not list_state and not (memory and code):
            counts = status.Counts(**{**known, "path": display, "language": code or known["language"]})
        else:
            text = pofile.decode_po(data, display)
            del data  # a large catalog's bytes need not outlive its text
            po = pofile.parse(text, display)
            del text
            counts = status.count(po, display, code or po.metadata.get("Language", ""))
            memo[key] = {k: v for k, v in counts.as_dict().items() if k not in ("path", "percent", "percent_reviewed")}
            dirty = True
            if list_state:
                listed += _listed(po, display, list_state)
            if memory and code:
                from .leverage import coverage

                result_memory[display] = coverage(project, po, code)
        files.append(counts)
        total.add(counts)
    if dirty:
        cache.save(project.root, "status", dict(list(memo.items())[-256:]))
    return StatusResult(files=files, total=total, listed=listed, memory=result_memory)


# -- check -----------------------------------------------------------------------


def article_pairs(project: Project, article: Article, lang: str, index: dict | None = None):
    from .checks import Pair

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


def run_checks_for(project: Project, article: Article, lang: str, only=None, index: dict | None = None):
    """Findings for one article and language.  They depend only on the
    segments, their translations and the glossary, so they are remembered
    by a hash of those: a build right after a check does not check again."""
    from .checks import Finding, run_checks

    pairs = article_pairs(project, article, lang, index)
    glossary = project.glossary_path.read_bytes() if project.glossary_path.is_file() else b""
    key = cache.digest(*(f"{p.id}\x1f{p.role}\x1f{p.source}\x1f{p.target}\x1f{p.state}\x1f{sorted(p.accepted)}"
                         for p in pairs), glossary, article.name, lang, repr(sorted(only or ())))
    name = f"check-{article.name}-{lang}"
    memo = cache.load(project.root, name)
    if memo.get("key") == key:
        return [Finding(article.name, lang, *row) for row in memo["findings"]]
    findings = run_checks(pairs, glossary_of(project), article.name, lang, only)
    rows = [[f.segment, f.role, f.check, f.severity, f.message] for f in findings]
    cache.save(project.root, name, {"key": key, "findings": rows})
    return findings


@dataclass
class CheckResult:
    findings: list
    errors: int = 0
    warnings: int = 0
    infos: int = 0


def check(project: Project, names=(), lang=None, only=None, severity: str = "warning") -> CheckResult:
    from .checks import ALL_CHECKS, SEVERITY_RANK

    if only:
        unknown = set(only) - set(ALL_CHECKS)
        if unknown:
            raise UsageError(f"unknown check(s): {', '.join(sorted(unknown))}; known: {', '.join(ALL_CHECKS)}")
    findings = []
    for name in project.resolve_articles(names):
        article = load_article(project, name)
        for code in languages(project, lang):
            findings.extend(run_checks_for(project, article, code, set(only) if only else None))
    result = CheckResult(findings=[f for f in findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK[severity]])
    result.errors = sum(f.severity == "error" for f in findings)
    result.warnings = sum(f.severity == "warning" for f in findings)
    result.infos = sum(f.severity == "info" for f in findings)
    return result


# -- build -----------------------------------------------------------------------


@dataclass
class BuildResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    draft_notes: list[str] = field(default_factory=list)
    qa_errors: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    """One article ready to be set: its translations, counts and date."""

    article: Article
    indexes: dict = field(default_factory=dict)  # language → segment ID → entry
    counts: dict = field(default_factory=dict)  # language → status.Counts
    date: object = None


def _plan_article(project: Project, name: str, targets, wanted) -> _Plan:
    plan = _Plan(load_article(project, name))
    revisions = []
    for code in targets:
        if any(w != "zh" for w in wanted):
            po = load_catalog(project, name, code)
            plan.indexes[code] = catalog.index_by_id(po)
            plan.counts[code] = status.count(plan.indexes[code].values())
            revisions.append(po.metadata.get("PO-Revision-Date", ""))
        else:  # the date still comes from the catalogs, so every edition agrees
            path = project.po_path(name, code)
            revisions.append(pofile.read_header(path, project.rel(path)).get("PO-Revision-Date", "")
                             if path.is_file() else "")
    plan.date = clock.edition_date(revisions)
    return plan


def _gate(project: Project, plan: _Plan, draft: bool, result: BuildResult) -> list[str]:
    """The lines that block a non-draft build of this article (drafts: notes instead)."""
    blocked = []
    for code, index in plan.indexes.items():
        blockers = editions.blockers(plan.article, index, project.config.require_review)
        qa = editions.qa_blockers(run_checks_for(project, plan.article, code, index=index))
        if not (blockers or qa):
            continue
        if draft:
            result.draft_notes.append(f"{plan.article.name} [{code}]: {len(blockers)} segment(s) not ready, "
                                      f"{plan.counts[code].percent:.0f}% translated")
            result.qa_errors.extend(qa)
        else:
            where = project.rel(project.po_path(plan.article.name, code))
            blocked.extend(f"{where}: {b}" for b in blockers + qa)
    return blocked + _lint_gate(project, plan, draft, result)


def _lint_gate(project: Project, plan: _Plan, draft: bool, result: BuildResult) -> list[str]:
    """Source defects ``lint`` finds that nobody accepted block a final
    build; a draft prints them as received, with a note."""
    defects = lint_article(plan.article)
    if not defects:
        return []
    indexes = plan.indexes or {code: catalog.index_by_id(load_catalog(project, plan.article.name, code))
                               for code in project.config.target_languages
                               if project.po_path(plan.article.name, code).is_file()}
    lines = editions.lint_blockers(plan.article, defects, indexes)
    if draft and lines:
        result.draft_notes.append(f"{plan.article.name}: {len(lines)} source defect(s) from lint not accepted, "
                                  "printed as received")
        return []
    return lines


def build(project: Project, names=(), edition: str = "all", layout: str = "alternating", draft: bool = False,
          out_dir: Path | None = None, lang: str | None = None, progress=None, pdf: bool = False) -> BuildResult:
    """Set the editions of the articles, all put in place together: Word
    files, and PDFs beside them with ``pdf``."""
    from .word import render_edition

    result = BuildResult()
    if pdf:
        pdfs.require()  # before any work: a usage error when LibreOffice is missing
    if out_dir is not None:
        project.check_output(out_dir)
    targets = languages(project, lang)
    wanted = editions.editions_for(edition, targets, project.config.target_languages)
    plans = [_plan_article(project, name, targets, wanted) for name in project.resolve_articles(names)]
    blocked = [line for plan in plans for line in _gate(project, plan, draft, result)]
    if blocked:
        raise GateError(f"{len(blocked)} problem(s) block a non-draft build; fix or accept them, or use --draft",
                        blocked)
    creator = project.config.publisher or project.config.project_name
    outputs: list[Path] = []
    with Staged() as staged:  # every edition is written to a temporary, put in place together at the end
        converting = []
        for plan in plans:
            for ed in wanted:
                code = targets[0] if ed == "bilingual" else ed
                where = project.rel(project.po_path(plan.article.name, code)) if ed != "zh" else plan.article.path
                units = editions.units(plan.article, ed, code, plan.indexes.get(code, {}), where)
                note = editions.draft_note(plan.counts[code]) if draft and ed != "zh" else None
                spec = editions.spec(plan.article, ed, code, units, date=plan.date, creator=creator, layout=layout,
                                     note=note)
                path = project.output_path(plan.article.name, ed, out_dir, draft)
                with staged.open(path) as fh:
                    render_edition(spec, progress, fh)
                outputs.append(path)
                if pdf:
                    converting.append((staged.temporary(path), plan.date, path.with_suffix(".pdf")))
                gc.collect()  # python-docx's document objects hold cycles; free each edition's
        if converting:
            for (_, _, target), data in zip(converting, pdfs.convert([(doc, date) for doc, date, _ in converting])):
                staged.write(target, data)
                outputs.append(target)
        written = set(staged.commit())
    result.written = [project.rel(p) for p in outputs if p in written]
    result.unchanged = [project.rel(p) for p in outputs if p not in written]
    return result


def build_size(project: Project, names=()) -> int:
    """How many blocks a build will set (for a progress bar)."""
    return sum(len(load_article(project, n).blocks) for n in project.resolve_articles(names))
