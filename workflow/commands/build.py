"""``build``: the editions of many articles, on every core, redoing only
what changed.

Each article is one job for a worker process: it asks the publish gate
(``gate``: translation complete, QA, review, source defects) and sets the article's
editions into temporary files this process reserved beside their targets,
so a failure anywhere leaves every file as it was (``fsio.Staged``).  An
article whose inputs — the bytes of its source, PO files, photos, the
glossary and configuration, the build's options — and outputs are what the
last build left is not read at all: its blockers and editions are
remembered in ``.bilingual-cache/build.json``.  Every input is read once,
through the command's snapshot (``snapshot``).  PDFs are made at the end,
in one LibreOffice run, for the editions that changed.

May import: errors, cache, clock, parallel, fsio, pofile, catalog, status, editions, inputs, check, gate, report,
snapshot, pdf, word, model, project.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from workflow.commands import check as qa
from workflow.commands import gate, report, snapshot
from workflow.commands.inputs import catalog_indexes, languages, load_article, load_catalog
from workflow.core import cache, clock, parallel
from workflow.core.fsio import Staged, file_digest, name_target, project_lock, remove_stale_temp_files
from workflow.core.model import Article
from workflow.core.project import Project
from workflow.editions import contents as editions
from workflow.editions import pdf as pdfs
from workflow.po import catalog, pofile, status

CACHE = "build"


@dataclass
class Told:
    """What a build says about one article besides its files."""

    article: str
    waived: list[gate.Blocker]  # a draft: what would have blocked a final build
    notes: list[str]  # the photos that print soft


@dataclass
class BuildResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    told: list[Told] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the PDFs' fonts that fall back


@dataclass(frozen=True)
class _Settings:
    """What every job of one build shares."""

    project: Project
    targets: tuple[str, ...]
    wanted: tuple[str, ...]
    layout: str
    draft: bool
    creator: str
    fonts: str = ""  # the faces the PDFs are set in (a build with --pdf): installing a font rebuilds them
    look: str = "reader"  # reader (A4, one column) or newspaper (the body in columns)

    def key(self) -> tuple[str, ...]:
        return (
            *self.targets,
            "\x1e",
            *self.wanted,
            self.layout,
            str(self.draft),
            self.creator,
            str(self.project.config.require_review),
            self.fonts,
            self.look,
        )


@dataclass
class _Job:
    name: str
    key: str  # its entry in the build memo
    outputs: dict[str, tuple[Path, Path]]  # edition → (target, the temporary reserved for it)
    memo: dict | None  # what the last build of this article remembered


@dataclass
class _Done:
    gate: list[gate.Blocker]  # what blocks a final build (a draft's: what it waived)
    notes: list[str]
    rendered: list[str]  # editions set into their temporaries
    checks: dict[str, dict]
    memo: dict


@dataclass
class _Plan:
    """One article ready to be set: its translations, counts and date."""

    article: Article
    date: datetime  # the editions' date, from the catalogs' revision dates
    indexes: dict = field(default_factory=dict)  # language → segment ID → entry
    counts: dict = field(default_factory=dict)  # language → status.Counts


def _plan_article(project: Project, name: str, targets, wanted) -> _Plan:
    article = load_article(project, name)
    indexes: dict = {}
    counts: dict = {}
    revisions = []
    for code in targets:
        if any(w != "zh" for w in wanted):
            po = load_catalog(project, name, code)
            indexes[code] = catalog.index_by_id(po)
            counts[code] = status.count(indexes[code].values())
            revisions.append(po.metadata.get("PO-Revision-Date", ""))
        else:  # the date still comes from the catalogs, so every edition agrees
            path = project.po_path(name, code)
            revisions.append(
                pofile.read_header(path, project.rel(path)).get("PO-Revision-Date", "") if path.is_file() else ""
            )
    return _Plan(article, clock.edition_date(revisions), indexes, counts)


def _gate(settings: _Settings, plan: _Plan, job: _Job, done: _Done) -> None:
    """What blocks a final build of this article (a draft: what it waives), its checks run or remembered."""
    project = settings.project
    findings, catalogs = {}, {}
    for code, index in plan.indexes.items():
        known = qa.remembered(project, qa.memo_key(plan.article.name, code, None))
        findings[code], entry = qa.check_article(project, plan.article, code, None, known, index)
        if entry is not known:  # a remembered entry is not written back (nor the check memo with it)
            done.checks[code] = entry
        catalogs[code] = (project.rel(project.po_path(plan.article.name, code)), index, plan.counts[code].percent)
    done.gate = gate.of_article(
        plan.article,
        catalogs,
        findings,
        project.config.require_review,
        lambda: plan.indexes or catalog_indexes(project, plan.article.name),
    )


#: Below this many pixels per inch of its printed width a photo prints soft (a preflight's warning).
LEAST_PPI = 200


def _low_resolution(article: Article) -> list[str]:
    """A warning for each photo that prints below ``LEAST_PPI``."""
    from workflow.word.body import effective_ppi

    out = []
    for block in article.blocks:
        if block.image is not None and block.image.available and effective_ppi(block.image) < LEAST_PPI:
            out.append(
                f"{article.path}:{block.line}: photo prints at {effective_ppi(block.image):.0f} ppi "
                f"(under {LEAST_PPI}): supply a larger file, or place it smaller"
            )
    return out


def _sha(path: Path, algorithm: str = "sha256") -> str | None:
    try:
        return file_digest(path, algorithm)
    except OSError:
        return None


def _photos_unchanged(memo: dict) -> bool:
    # images.describe hashes a photo with SHA-1 (its part name in the package)
    return all((_sha(Path(path), "sha1") or "") == digest for path, digest in memo.get("photos", []))


def _fresh(memo: dict | None, key: str, project: Project, job: _Job) -> bool:
    """The last build of this article had these inputs, and left these outputs as they are now."""
    if not memo or memo.get("key") != key or not _photos_unchanged(memo):
        return False
    outputs = memo.get("outputs", {})
    return all(outputs.get(project.rel(target)) == _sha(target) for target, _ in job.outputs.values())


def _build_job(settings: _Settings, job: _Job) -> _Done:
    """One article (a worker's job): its gate, and its editions set into their temporaries."""
    project = settings.project
    key = qa.inputs_digest(project, job.name, settings.targets, *settings.key())
    memo = job.memo
    if memo is not None and _fresh(memo, key, project, job):
        remembered = _remembered_gate(memo)
        if remembered is not None:
            return _Done(remembered, memo["notes"], [], {}, memo)
    plan = _plan_article(project, job.name, settings.targets, settings.wanted)
    done = _Done([], [], [], {}, {})
    _gate(settings, plan, job, done)
    done.notes.extend(_low_resolution(plan.article))
    outputs = {}
    if settings.draft or not done.gate:
        for ed, (target, temporary) in job.outputs.items():
            _render(settings, plan, ed, temporary)
            done.rendered.append(ed)
            outputs[project.rel(target)] = _sha(temporary)
    photos = sorted({(b.image.path, b.image.digest) for b in plan.article.blocks if b.image and not b.image.part})
    done.memo = {
        "key": key,
        "gate": [b.as_dict() for b in done.gate],
        "notes": done.notes,
        "date": plan.date.isoformat(),
        "outputs": outputs,
        "photos": [list(p) for p in photos],
    }
    return done


def _remembered_gate(memo: dict) -> list[gate.Blocker] | None:
    """The blockers the last build of the article found (None when the memo holds none that can be read)."""
    try:
        if not all(isinstance(line, str) for line in memo["notes"]):
            return None
        return [gate.Blocker.from_dict(b) for b in memo["gate"]]
    except (KeyError, TypeError, ValueError):
        return None


def _render(settings: _Settings, plan: _Plan, edition: str, temporary: Path) -> None:
    from workflow.word.edition import render_edition

    project = settings.project
    code = settings.targets[0] if edition == "bilingual" else edition
    where = project.rel(project.po_path(plan.article.name, code)) if edition != "zh" else plan.article.path
    units = editions.units(plan.article, edition, code, plan.indexes.get(code, {}), where, settings.draft)
    note = editions.draft_note(plan.counts[code]) if settings.draft and edition != "zh" else None
    config = project.config
    furniture = (
        editions.Furniture(config.paper_name or settings.creator, config.section, config.paper_name_zh)
        if config.page_furniture
        else None
    )
    spec = editions.spec(
        plan.article,
        edition,
        code,
        units,
        date=plan.date,
        creator=settings.creator,
        layout=settings.layout,
        note=note,
        furniture=furniture,
        look=settings.look,
    )
    try:
        with temporary.open("xb") as fh:  # reserved by the parent, created here
            render_edition(spec, None, fh)
    except OSError as exc:
        raise name_target(exc, temporary) from None


def build(
    project: Project,
    names=(),
    edition: str = "all",
    layout: str = "alternating",
    draft: bool = False,
    out_dir: Path | None = None,
    lang: str | None = None,
    progress=None,
    pdf: bool = False,
    force: bool = False,
    look: str | None = None,
) -> BuildResult:
    """Set the editions of the articles, all put in place together: Word
    files, and PDFs beside them with ``pdf``.  Articles are built on every
    core; ``progress(1)`` after each.  Under the project lock, so the
    temporaries a killed build left in the output folder are swept."""
    if pdf:
        pdfs.require()  # before any work: a usage error when LibreOffice is missing
    if out_dir is not None:
        project.check_output(out_dir, force=force)
    with project_lock(project.root, sweep=project.output_dir, read_only_ok=out_dir is not None), snapshot.taken():
        if out_dir is not None:  # a folder of the user's: its own level only, never what is below it
            remove_stale_temp_files(out_dir, recursive=False)
        return _build(
            project, names, edition, layout, draft, out_dir, lang, progress, pdf, force, look or project.config.look
        )


def _build(
    project: Project,
    names,
    edition: str,
    layout: str,
    draft: bool,
    out_dir: Path | None,
    lang: str | None,
    progress,
    pdf: bool,
    force: bool,
    look: str = "reader",
) -> BuildResult:
    targets = languages(project, lang)
    wanted = editions.editions_for(edition, targets, project.config.target_languages)
    settings = _Settings(
        project,
        tuple(targets),
        tuple(wanted),
        layout,
        draft,
        project.config.publisher or project.config.project_name,
        repr(pdfs.substitutions()) if pdf else "",
        look,
    )
    names = project.resolve_articles(names)
    memo = cache.load(project.root, CACHE)
    checks = functools.cache(lambda: cache.load(project.root, qa.CACHE))  # read when an article needs it
    result = BuildResult(warnings=pdfs.fallbacks() if pdf else [])
    with Staged() as staged:  # every file goes to a temporary, all put in place together at the end
        jobs = [_job(project, staged, settings, name, out_dir, memo) for name in names]
        if out_dir is not None and not force:  # never onto files git tracks (README.md, docs/…)
            files = [t for job in jobs for t, _ in job.outputs.values()]
            project.refuse_tracked(files + ([t.with_suffix(".pdf") for t in files] if pdf else []))
        qa.before_the_workers(project)
        done = _run_jobs(settings, jobs, progress)
        blocked = [] if draft else [b for d in done for b in d.gate]
        if blocked:
            _remember(project, jobs, done, memo, checks)
            raise gate.Refused(blocked, report.blocker_lines(blocked))
        result.told = [Told(job.name, d.gate, d.notes) for job, d in zip(jobs, done)]
        pdf_targets = _pdfs(staged, jobs, done) if pdf else []
        written = set(staged.commit())
    _remember(project, jobs, done, memo, checks, pdf_targets)
    outputs = [t for job in jobs for t, _ in job.outputs.values()] + pdf_targets
    result.written = [project.rel(p) for p in outputs if p in written]
    result.unchanged = [project.rel(p) for p in outputs if p not in written]
    return result


def _run_jobs(settings: _Settings, jobs: list[_Job], progress) -> list[_Done]:
    """Every article's ``_Done`` on every core, in order. The check memo (the
    largest cache, unused when an article is as the last build left it) is not
    sent with the jobs: a worker reads it when an article changed."""
    with qa.shared_memo(settings.project):
        return parallel.map_ordered(functools.partial(_build_job, settings), jobs, progress=progress)


def _job(project: Project, staged: Staged, settings: _Settings, name: str, out_dir, memo: dict) -> _Job:
    outputs = {}
    for ed in settings.wanted:
        target = project.output_path(name, ed, out_dir, settings.draft)
        outputs[ed] = (target, staged.reserve(target))
    key = _memo_key(name, settings, out_dir)
    return _Job(
        name,
        key,
        outputs,
        memo.get(key),
    )


def _memo_key(name: str, settings: _Settings, out_dir) -> str:
    """An article's entry per kind of build (editions, layout, draft, folder), so
    alternating between two kinds rebuilds neither."""
    return "\x1f".join((name, *settings.key(), str(out_dir or "")))


def _pdfs(staged: Staged, jobs: list[_Job], done: list[_Done]) -> list[Path]:
    """A PDF beside every edition, converted in one LibreOffice run: from the
    new Word file where it changed, else from the one in place when its PDF
    is missing or not the one the last build wrote."""
    convert, targets = [], []
    for job, d in zip(jobs, done):
        date = datetime.fromisoformat(d.memo["date"])
        known = d.memo.setdefault("pdfs", {})
        for ed, (target, temporary) in job.outputs.items():
            pdf_target = target.with_suffix(".pdf")
            targets.append(pdf_target)
            if ed in d.rendered or known.get(str(pdf_target)) != _sha(pdf_target):
                convert.append((temporary if ed in d.rendered else target, date, pdf_target, known))
    for (_, _, pdf_target, known), data in zip(convert, pdfs.convert([(doc, date) for doc, date, _, _ in convert])):
        staged.write(pdf_target, data)
        known[str(pdf_target)] = hashlib.sha256(data).hexdigest()
    return targets


def _remember(project: Project, jobs: list[_Job], done: list[_Done], memo: dict, checks, pdf_targets=()) -> None:
    """Save what this build learnt: each article's gate and outputs, and its check
    results (into the check memo ``checks()``, read only when there are some)."""
    for job, d in zip(jobs, done):
        if d.memo is not job.memo:
            memo[job.key] = d.memo
        for code, entry in d.checks.items():
            checks()[qa.memo_key(job.name, code, None)] = entry
    names = set(project.article_names())
    cache.save(project.root, CACHE, {k: v for k, v in memo.items() if k.split("\x1f", 1)[0] in names})
    if any(d.checks for d in done):
        qa.remember(project, checks())


def build_size(project: Project, names=()) -> int:
    """How many articles a build will set (for a progress bar)."""
    return len(project.resolve_articles(names))
