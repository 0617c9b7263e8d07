"""One service per command.  Each takes a ``Project`` and plain values and
returns data; none prints, none knows about click."""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, status
from .errors import CatalogError, GateError, UsageError
from .fsio import atomic_write, project_lock, read_input, write_all
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
    config = project.config
    return load_glossary(project.glossary_path, project.rel(project.glossary_path), config.source_language,
                         config.target_languages[0] if config.target_languages else "en")


def article_segments(article: Article, glossary: Glossary) -> list[Segment]:
    return segments(article, lambda text: tuple((t.source, t.target) for t in glossary.hints(text)))


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


def _extract_key(project: Project, name: str, encoding) -> str:
    from . import cache

    glossary = project.glossary_path.read_bytes() if project.glossary_path.is_file() else b""
    return cache.digest(project.article_path(name).read_bytes(), glossary, repr(project.config), str(encoding))


def _cached_extract(project: Project, name: str, key: str, memo: dict):
    """The remembered result for this article when its inputs and every
    output file are byte for byte what the last extract left."""
    from . import cache

    entry = memo.get(name)
    if not entry or entry.get("key") != key:
        return None
    for rel, sha in entry["outputs"].items():
        path = project.root / rel
        if not path.is_file() or cache.digest(path.read_bytes()) != sha:
            return None
    return entry


def plan_extract(project: Project, names, encoding=None, memo=None) -> tuple[dict[Path, bytes], ExtractResult]:
    """Compute every POT and PO file the sources call for, writing nothing.
    Articles whose inputs and outputs are unchanged since the last extract
    (``memo``, the cache) are skipped.  Files are held as UTF-8 bytes only:
    at book scale a second copy as text would double the peak memory."""
    from . import cache

    result = ExtractResult()
    files: dict[Path, bytes] = {}
    glossary = glossary_of(project)
    revision = catalog.now_stamp()
    memo = {} if memo is None else memo
    for name in project.resolve_articles(names):
        key = _extract_key(project, name, encoding)
        hit = _cached_extract(project, name, key, memo)
        if hit is not None:
            result.segments[name], result.roles[name] = hit["segments"], hit["roles"]
            result.suspected_defects += hit["defects"]
            result.unchanged.extend(hit["outputs"])
            continue
        article = load_article(project, name, encoding)
        outputs: dict[Path, bytes] = {}
        segs = article_segments(article, glossary)
        result.segments[name] = len(segs)
        roles: dict[str, int] = {}
        for seg in segs:
            roles[seg.role.value] = roles.get(seg.role.value, 0) + 1
        result.roles[name] = roles
        defects = len(lint_article(article))
        result.suspected_defects += defects
        template = catalog.make_template(article, segs, project.config)
        del segs
        body = catalog.entries_text(template)
        outputs[project.template_path(name)] = catalog.dump_po(template, body).encode("utf-8")
        for lang in project.config.target_languages:
            path = project.po_path(name, lang)
            if path.is_file():
                old = catalog.load_po(path, project.rel(path))
                merged = catalog.merge(template, old, project.config.fuzzy_threshold)
                del old
                outputs[path] = catalog.dump_po(merged).encode("utf-8")
                del merged
            else:  # a new catalog holds exactly the template's entries
                po = catalog.new_catalog(template, article, project.config, lang, revision)
                outputs[path] = catalog.dump_po(po, body).encode("utf-8")
        files.update(outputs)
        memo[name] = {
            "key": key, "segments": result.segments[name], "roles": roles, "defects": defects,
            "outputs": {project.rel(p): cache.digest(data) for p, data in outputs.items()},
        }
    return files, result


def extract(project: Project, names=(), check: bool = False, encoding: str | None = None) -> ExtractResult:
    from . import cache

    with project_lock(project.root, sweep=None if check else project.translations_dir):
        memo = cache.load(project.root, "extract")
        files, result = plan_extract(project, names, encoding, memo)
        stale = [p for p, data in files.items() if not p.is_file() or p.read_bytes() != data]
        if check:
            if stale:
                raise GateError(
                    "translation files are out of date; run 'bilingual extract'",
                    [project.rel(p) for p in stale],
                )
            result.unchanged += [project.rel(p) for p in files]
            return result
        for path in stale:  # every file was computed before the first is written
            atomic_write(path, files[path])
        if files:
            cache.save(project.root, "extract", memo)
    result.written = [project.rel(p) for p in stale]
    result.unchanged += [project.rel(p) for p in files if p not in set(stale)]
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
    """Counts per PO file.  Counts are remembered by the file's content hash,
    so a second status of unchanged files reads bytes but parses nothing."""
    from . import cache

    files, listed = [], []
    total = status.Counts(path="total")
    memo = cache.load(project.root, "status")
    dirty = False
    for display, path, code in _status_targets(project, targets, lang):
        data = read_input(path, display, CatalogError)
        key = cache.digest(data)
        known = memo.get(key)
        if known is not None and not list_state:
            counts = status.Counts(**{**known, "path": display, "language": code or known["language"]})
        else:
            text = catalog.decode_po(data, display)
            del data  # a large catalog's bytes need not outlive its text
            po = catalog.parse_po(text, display)
            del text
            counts = status.count(po, display, code or po.metadata.get("Language", ""))
            memo[key] = {k: v for k, v in counts.as_dict().items() if k not in ("path", "percent", "percent_reviewed")}
            dirty = True
            if list_state:
                for entry in po:
                    if entry.msgid and status.state(entry) == list_state:
                        listed.append((display, catalog.entry_id(entry), catalog.entry_role(entry), list_state, entry.msgid))
        files.append(counts)
        total.add(counts)
    if dirty:
        cache.save(project.root, "status", dict(list(memo.items())[-256:]))
    return StatusResult(files=files, total=total, listed=listed)


# -- build -----------------------------------------------------------------------

EDITIONS = ("zh", "en", "bilingual", "all")


@dataclass
class BuildResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    draft_notes: list[str] = field(default_factory=list)
    qa_errors: list[str] = field(default_factory=list)


def _translations(project: Project, article: Article, lang: str):
    """segment ID → PO entry, and the catalog's own date."""
    po = load_catalog(project, article.name, lang)
    return catalog.index_by_id(po), po.metadata.get("PO-Revision-Date", "")


def edition_blockers(project: Project, article: Article, lang: str, index: dict) -> list[str]:
    """Why the ``lang`` edition of ``article`` may not be published yet: one
    line per blocking segment.  Gates: complete (no untranslated or fuzzy),
    reviewed when the config requires it, and no QA errors."""
    from .segment import block_segment

    blockers = []
    seen = set()
    for block in article.translatable_blocks():
        seg = block_segment(block)
        if seg.id in seen:
            continue
        seen.add(seg.id)
        entry = index.get(seg.id)
        state = status.state(entry) if entry is not None else "missing (run 'bilingual extract')"
        if state in ("untranslated", "fuzzy") or entry is None:
            blockers.append(f"{seg.id}  {seg.role.value:<9} {state}")
        elif project.config.require_review and state != "reviewed":
            blockers.append(f"{seg.id}  {seg.role.value:<9} not reviewed")
    return blockers


def _edition_date(project: Project, revisions: list[str]):
    from datetime import datetime, timezone
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
    stamps = []
    for rev in revisions:
        try:
            stamps.append(datetime.strptime(rev[:16], "%Y-%m-%d %H:%M"))
        except ValueError:
            pass
    return max(stamps) if stamps else datetime(2000, 1, 1)


def _pieces_for(block, entry, lang: str, where: str):
    from .source import find_control_char
    from .word import Piece

    if block.kind == "code":
        return Piece(block.text, "en")
    state = status.state(entry) if entry is not None else "untranslated"
    if state in ("translated", "reviewed"):
        text = status.first_msgstr(entry)
        bad = find_control_char(text)
        if bad:
            from .errors import InputError

            raise InputError(
                f"segment {catalog.entry_id(entry)}: control character U+{ord(bad[1]):04X} in the translation "
                "cannot be published; remove it",
                where,
            )
        return Piece(text, lang)
    if state == "fuzzy":
        return Piece(status.first_msgstr(entry), lang, mark="fuzzy")
    return Piece(block.text, "zh", mark="untranslated")


def build(project: Project, names=(), edition: str = "all", layout: str = "alternating", draft: bool = False,
          out_dir: Path | None = None, lang: str | None = None, progress=None) -> BuildResult:
    from .segment import block_segment
    from .word import EditionSpec, Piece, Unit, render_edition

    result = BuildResult()
    outputs: dict[Path, bytes] = {}
    targets = languages(project, lang)
    if edition == "all":
        wanted = ["zh", *targets, "bilingual"]
    elif edition in ("zh", "bilingual"):
        wanted = [edition]
    elif edition == "en" or edition in project.config.target_languages:
        wanted = [edition if edition != "en" or "en" in targets else targets[0]]
    else:
        raise UsageError(f"unknown edition {edition!r}: use zh, bilingual, all or a target language")
    blocked: list[str] = []
    plans = []
    for name in project.resolve_articles(names):
        article = load_article(project, name)
        indexes, revisions, counts = {}, [], {}
        for code in targets:
            if any(w != "zh" for w in wanted):
                indexes[code], rev = _translations(project, article, code)
            else:  # the date still comes from the catalogs, so every edition agrees
                path = project.po_path(name, code)
                meta = catalog.read_metadata(path, project.rel(path)) if path.is_file() else {}
                rev = meta.get("PO-Revision-Date", "")
            revisions.append(rev)
        for code, index in indexes.items():
            blockers = edition_blockers(project, article, code, index)
            qa = _qa_blockers(project, article, code, index)
            counts[code] = status.count(index.values())
            if blockers or qa:
                if draft:
                    done = counts[code].percent
                    result.draft_notes.append(f"{article.name} [{code}]: {len(blockers)} segment(s) not ready, {done:.0f}% translated")
                    result.qa_errors.extend(qa)
                else:
                    where = project.rel(project.po_path(name, code))
                    blocked.extend(f"{where}: {b}" for b in blockers + qa)
        plans.append((article, indexes, counts, _edition_date(project, revisions)))
    if blocked:
        raise GateError(f"{len(blocked)} segment(s) block a non-draft build; translate them or use --draft", blocked)
    for article, indexes, counts, date in plans:
        for ed in wanted:
            code = targets[0] if ed == "bilingual" else ed
            index = indexes.get(code, {})
            where = project.rel(project.po_path(article.name, code)) if ed != "zh" else article.path
            units, done = [], 0
            for block in article.blocks:
                if not block.text.strip():
                    continue
                zh = Piece(block.text, "zh" if block.kind != "code" else "en")
                if ed == "zh":
                    pieces = [zh]
                else:
                    entry = index.get(block_segment(block).id) if block.kind != "code" else None
                    target = _pieces_for(block, entry, code, where)
                    pieces = [target] if ed != "bilingual" else ([zh] if block.kind == "code" else [zh, target])
                units.append(Unit(block.role.value, block.level, block.kind, pieces, block.cell))
            note = None
            if draft and ed != "zh":
                done = counts[code]
                note = (f"DRAFT — {done.percent:.0f}% translated ({done.untranslated} untranslated, "
                        f"{done.fuzzy} fuzzy)")
            title_zh = article.title
            title_en = next((p.text for u in units if u.role == "title" for p in u.pieces if p.lang != "zh"), title_zh)
            title = {"zh": title_zh, "bilingual": f"{title_zh} / {title_en}"}.get(ed, title_en)
            spec = EditionSpec(
                edition="zh" if ed == "zh" else ("bilingual" if ed == "bilingual" else "en"),
                title=title,
                language="zh-CN" if ed in ("zh", "bilingual") else _bcp47(code),
                creator=project.config.publisher or project.config.project_name,
                date=date,
                markup=article.format,
                layout=layout,
                draft_note=note,
                units=units,
            )
            path = project.output_path(article.name, ed, out_dir)
            outputs[path] = render_edition(spec, progress)
            gc.collect()  # python-docx's document objects hold cycles; free each edition's
    written = set(write_all(outputs))
    result.written = [project.rel(p) for p in outputs if p in written]
    result.unchanged = [project.rel(p) for p in outputs if p not in written]
    return result


def _bcp47(code: str) -> str:
    return {"en": "en-US"}.get(code, code.replace("_", "-"))


def build_size(project: Project, names=()) -> int:
    """How many blocks a build will set (for a progress bar)."""
    return sum(len(load_article(project, n).blocks) for n in project.resolve_articles(names))


def _qa_blockers(project: Project, article: Article, lang: str, index: dict) -> list[str]:
    """QA errors that block a non-draft build (missing translations are
    reported by the completeness gate already)."""
    return [f"{f.segment}  {f.role:<9} QA {f.check}: {f.message}" for f in run_checks_for(project, article, lang, index=index)
            if f.severity == "error" and f.check != "untranslated"]


# -- check -----------------------------------------------------------------------


def article_pairs(project: Project, article: Article, lang: str, index: dict | None = None):
    from .checks import Pair

    if index is None:
        index = catalog.index_by_id(load_catalog(project, article.name, lang))
    pairs = []
    for seg in segments(article):
        entry = index.get(seg.id)
        if entry is None:
            pairs.append(Pair(seg.id, seg.role.value, seg.text, "", "untranslated"))
            continue
        state = status.state(entry)
        target = status.first_msgstr(entry) if state != "untranslated" else ""
        pairs.append(Pair(seg.id, seg.role.value, seg.text, target, state, status.accepted_checks(entry)))
    return pairs


def run_checks_for(project: Project, article: Article, lang: str, only=None, index: dict | None = None):
    """Findings for one article and language.  They depend only on the
    segments, their translations and the glossary, so they are remembered
    by a hash of those: a build right after a check does not check again."""
    from . import cache
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
