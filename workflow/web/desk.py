"""What the desk's pages show, and every change they make.

Reading: the project's articles with their progress per language, and an
article's segments side by side with state, origin, findings, memory
suggestions, history and the diff since the last review.  Writing: edit,
approve, reject, accept a finding, each through ``commands.submit`` and
``commands.translate`` (the functions ``bilingual submit --segment`` and
``bilingual review`` call), so the life
cycle, the checks, the project lock and the atomic writes are the command
line's.  Every write names the revision of the segment it was based on; a
segment that moved on since is a ``Conflict``, never an overwrite.

May import: errors, pofile, lifecycle, catalog, status, inputs, check, memory,
submit, translate, project, web.users, web.reviewed, contents.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

from workflow.commands import check as qa
from workflow.commands import submit as submission
from workflow.commands import translate as exchange
from workflow.commands.inputs import glossary_of, languages, load_article, load_catalog
from workflow.commands.memory import suggestions
from workflow.core.errors import PathError, UsageError, WorkflowError
from workflow.core.project import Project
from workflow.po import lifecycle, pofile, status
from workflow.po.catalog import entry_id, index_by_id
from workflow.po.lifecycle import Note, State
from workflow.web import reviewed as reviewed_
from workflow.web.users import User

#: One desk write at a time in this process: the threads queue here, and
#: only one of them waits on the project lock (which a CLI command may hold).
_WRITES = threading.Lock()


class Conflict(WorkflowError):
    """The segment changed since the page the edit was made on."""

    exit_code = 1

    def __init__(self, sid: str, entry):
        super().__init__(f"segment {sid} changed since you opened it")
        self.sid = sid
        self.current = pofile.first_msgstr(entry)
        self.state = lifecycle.state(entry).value
        self.revision = revision(entry)
        self.origin = lifecycle.origin(entry)


class Forbidden(WorkflowError):
    exit_code = 1


_READ = threading.Lock()
_read_cache: dict = {}
_check_memo: dict = {}


def _stamp(path) -> tuple:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def _read(project: Project, name: str, lang: str):
    """(article, entries by ID) for reading only, parsed again only when a
    file changed: every write replaces the PO file (a new inode), so a
    catalog read here is never older than the file on disk."""
    code = language(project, lang)
    source = project.article_path(name)
    po_file = project.po_path(source.stem, code)
    if not po_file.is_file():
        load_catalog(project, source.stem, code)  # says what to run
    key = (str(project.root), source.stem, code)
    stamp = (_stamp(source), _stamp(po_file))
    with _READ:
        cached = _read_cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2], cached[3]
    article = load_article(project, source.stem)
    po = load_catalog(project, article.name, code)
    with _READ:
        _read_cache[key] = (stamp, article, po, index_by_id(po))
    return article, po, _read_cache[key][3]


def revision(entry) -> str:
    """What an edit is based on: a digest of everything a write can change
    in the entry (the comment's wrapping aside)."""
    plural = sorted((str(k), str(v)) for k, v in (entry.msgstr_plural or {}).items())
    parts = (
        entry.msgstr,
        repr(plural),
        ",".join(sorted(entry.flags)),
        entry.previous_msgid or "",
        " ".join((entry.tcomment or "").split()),
        str(entry.obsolete),
    )
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def language(project: Project, lang: str) -> str:
    """A target language of the project named in a URL (else a PathError)."""
    if lang not in project.config.target_languages:
        raise PathError("not a target language of the project", lang)
    return lang


# -- reading ------------------------------------------------------------------------------------------


@dataclass
class ArticleSummary:
    name: str
    title: str
    counts: dict  # lang → status.Counts
    waiting: dict  # lang → {"translators": n, "reviewers": n}


def project_view(project: Project) -> list[ArticleSummary]:
    out = []
    for name in project.article_names():
        counts, waiting = {}, {}
        for code in project.config.target_languages:
            if not project.po_path(name, code).is_file():
                continue
            c = status.count(load_catalog(project, name, code), project.rel(project.po_path(name, code)), code)
            counts[code] = c
            waiting[code] = {"translators": c.untranslated + c.fuzzy, "reviewers": c.translated - c.reviewed}
        title = name
        try:
            title = load_article(project, name).title
        except WorkflowError:
            pass
        out.append(ArticleSummary(name, title, counts, waiting))
    return out


@dataclass
class SegmentView:
    sid: str
    role: str
    source: str
    target: str
    state: str
    rev: str
    origin: str
    history: list
    translator_note: str
    reviewer_note: str
    terms: list  # glossary terms (source, target)
    findings: list = field(default_factory=list)
    suggestion: object = None  # a memory match, or None
    reviewed: object = None  # reviewed.Reviewed, or None
    changed: bool = False  # changed since its last review


@dataclass
class ArticleView:
    name: str
    title: str
    lang: str
    segments: list
    counts: object
    checks: list  # the checks with findings in this article


def _segment_view(entry, glossary, last: dict) -> SegmentView:
    sid = entry_id(entry)
    state = lifecycle.state(entry)
    return SegmentView(
        sid=sid,
        role=entry.msgctxt or "",
        source=entry.msgid,
        target=pofile.first_msgstr(entry) if state is not State.UNTRANSLATED else "",
        state=state.value,
        rev=revision(entry),
        origin=lifecycle.origin(entry),
        history=lifecycle.history(entry),
        translator_note=lifecycle.note(entry, Note.TRANSLATOR),
        reviewer_note=lifecycle.reviewer_note(entry),
        terms=[(t.source, t.target) for t in glossary.hints(entry.msgid)],
        reviewed=last.get(sid),
        changed=reviewed_.changed_since_review(entry, last.get(sid)),
    )


def article_view(project: Project, name: str, lang: str) -> ArticleView:
    article, po, index = _read(project, name, lang)
    code = language(project, lang)
    last = reviewed_.last_reviewed(project, article.name, code, index)
    glossary = glossary_of(project)
    views = {sid: _segment_view(e, glossary, last) for sid, e in index.items() if not e.obsolete}
    memo_key = (str(project.root), article.name, code)
    findings, memo = qa.check_article(project, article, code, None, _check_memo.get(memo_key), index=index)
    _check_memo[memo_key] = memo  # the next look re-checks only the segments that changed
    for f in findings:
        if f.segment in views:
            views[f.segment].findings.append(f)
    for sid, match in suggestions(project, po, code).items():
        if sid in views:
            views[sid].suggestion = match
    counts = status.count(po, project.rel(project.po_path(article.name, code)), code)
    return ArticleView(
        article.name, article.title, code, list(views.values()), counts, sorted({f.check for f in findings})
    )


def segment_view(project: Project, name: str, lang: str, sid: str) -> SegmentView:
    """One segment, cheaply (no checks, no memory): what an edit form needs."""
    entry = _read(project, name, lang)[2].get(sid)
    if entry is None or entry.obsolete:
        raise PathError("no such segment in the article", sid)
    return _segment_view(entry, glossary_of(project), {})


@dataclass
class Filters:
    state: str = ""
    role: str = ""
    finding: str = ""  # a check name, or "any"
    changed: bool = False

    def keep(self, seg: SegmentView) -> bool:
        if self.state and seg.state != self.state:
            return False
        if self.role and seg.role != self.role:
            return False
        if self.finding and not any(self.finding in ("any", f.check) for f in seg.findings):
            return False
        return not self.changed or seg.changed


# -- writing ------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    ok: bool
    message: str
    revision: str  # the segment's revision after the write (or as it stayed)


def _guard(sid: str, based_on: str, seen: dict):
    def check(index: dict) -> None:
        entry = index.get(sid)
        if entry is None or entry.obsolete:
            raise PathError("no such segment in the article", sid)
        if revision(entry) != based_on:
            raise Conflict(sid, entry)
        seen["entry"] = entry

    return check


def _precheck(project: Project, name: str, lang: str, sid: str, based_on: str) -> None:
    """An edit based on a revision already replaced is refused before it
    queues for the write (revisions never come back: the history only
    grows).  The check that counts is the guard's, under the lock."""
    entry = _read(project, name, lang)[2].get(sid)
    if entry is None or entry.obsolete:
        raise PathError("no such segment in the article", sid)
    if revision(entry) != based_on:
        raise Conflict(sid, entry)


def _allowed(user: User, action: str) -> None:
    if not user.can(action):
        raise Forbidden(f"a {user.role} cannot {action}")


def edit(project: Project, user: User, name: str, lang: str, sid: str, text: str, based_on: str) -> Outcome:
    """``bilingual submit NAME --segment SID --text TEXT --translator USER``
    (with ``--force`` for those who may replace a reviewed translation)."""
    _allowed(user, "edit")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UsageError("an empty translation is not saved (it never erases)")
    seen: dict = {}
    _precheck(project, name, lang, sid, based_on)
    with _WRITES:
        result = submission.submit_segment(
            project,
            name,
            sid,
            text,
            language(project, lang),
            user.name,
            force=user.can("replace-reviewed"),
            guard=_guard(sid, based_on, seen),
        )
    outcome, _, _, reason = result.items[-1]
    return Outcome(outcome != "rejected", reason, revision(seen["entry"]))


def _review(project: Project, user: User, name: str, lang: str, sid: str, based_on: str, **how) -> Outcome:
    seen: dict = {}
    _precheck(project, name, lang, sid, based_on)
    with _WRITES:
        result = exchange.review(
            project,
            name,
            [sid],
            reviewer=user.name,
            lang=language(project, lang),
            guard=_guard(sid, based_on, seen),
            **how,
        )
    if result.skipped:
        return Outcome(False, result.skipped[0][1], revision(seen["entry"]))
    done = "reviewed" if result.reviewed else "sent back" if result.rejected else "finding accepted"
    return Outcome(True, done, revision(seen["entry"]))


def approve(project: Project, user: User, name: str, lang: str, sid: str, based_on: str, note: str = "") -> Outcome:
    """``bilingual review NAME --segment SID --reviewer USER [--note NOTE]``."""
    _allowed(user, "approve")
    return _review(project, user, name, lang, sid, based_on, note=note.strip() or None)


def reject(project: Project, user: User, name: str, lang: str, sid: str, based_on: str, note: str) -> Outcome:
    """``bilingual review NAME --segment SID --reject --note NOTE``."""
    _allowed(user, "reject")
    if not note.strip():
        raise UsageError("sending a segment back needs a note for the translator")
    return _review(project, user, name, lang, sid, based_on, reject=True, note=note)


def accept(
    project: Project, user: User, name: str, lang: str, sid: str, based_on: str, check: str, reason: str
) -> Outcome:
    """``bilingual review NAME --segment SID --accept CHECK --note REASON``."""
    _allowed(user, "accept")
    if not reason.strip():
        raise UsageError("accepting a finding needs the reason")
    return _review(project, user, name, lang, sid, based_on, accept=check, note=reason)


def edition_units(project: Project, name: str, lang: str, edition: str):
    """(article, units) of an edition as ``bilingual build --draft`` would set it."""
    from workflow.editions.contents import units

    if edition not in ("zh", "bilingual", lang):
        raise PathError("no such edition", edition)
    (code,) = languages(project, language(project, lang))
    article = load_article(project, name)
    index = index_by_id(load_catalog(project, article.name, code))
    return article, units(article, edition, code, index, project.rel(project.po_path(article.name, code)))
