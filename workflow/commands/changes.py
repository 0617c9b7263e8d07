"""What changed in a translation since its last review: for each entry the
target its last review vouched for, and a word-level diff to the current
target (``bilingual review ARTICLE --changed``, the review page).

The reviewed text comes from the entry's own history when a new text
replaced a reviewed one (the ``Reviewed text`` field, see lifecycle.py),
verified against the fingerprint that review carried; for reviews older
than that field, from the PO file's git history: the newest committed
version of the file in which the entry's review still held.  A project
outside git (or without git installed) simply has no such fallback.

May import: errors, pofile, lifecycle, catalog, project, inputs.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from workflow.commands.inputs import languages, load_article, load_catalog
from workflow.core.errors import InputError
from workflow.core.project import Project
from workflow.po import lifecycle
from workflow.po.catalog import index_by_id
from workflow.po.pofile import first_msgstr, parse

#: How far back the git history is read (commits touching the PO file).
GIT_DEPTH = 200
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass
class Change:
    """One entry whose target differs from the text its last review vouched for."""

    sid: str
    context: str
    source: str
    reviewed: str
    current: str
    origin: str  # "history", "history (unverified)" or "git COMMIT"
    who: str = ""
    when: str = ""
    diff: list = field(default_factory=list)  # (op, text): op "=", "-" or "+"

    def as_dict(self) -> dict:
        return {
            "id": self.sid,
            "context": self.context,
            "source": self.source,
            "reviewed": self.reviewed,
            "current": self.current,
            "origin": self.origin,
            "reviewed_by": self.who,
            "reviewed_on": self.when,
            "diff": [list(d) for d in self.diff],
        }


@dataclass
class ChangeReport:
    changes: list = field(default_factory=list)
    unreviewed_without_history: list = field(default_factory=list)  # IDs never reviewed (on record)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff: runs of (op, text), op "=" kept, "-" removed, "+" added;
    the "=" and "-" runs spell ``old``, the "=" and "+" runs spell ``new``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _push(out, "=", "".join(a[i1:i2]))
            continue
        if i2 > i1:
            _push(out, "-", "".join(a[i1:i2]))
        if j2 > j1:
            _push(out, "+", "".join(b[j1:j2]))
    return out


def _push(out: list, op: str, text: str) -> None:
    if out and out[-1][0] == op:
        out[-1] = (op, out[-1][1] + text)
    else:
        out.append((op, text))


def plain_diff(diff: list[tuple[str, str]]) -> str:
    """A diff as ``git diff --word-diff=plain`` writes one: [-old-]{+new+}."""
    return "".join(t if op == "=" else f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in diff)


def _verified(entry, text: str, fp: str) -> bool:
    """Does ``text`` in place of the target reproduce the review's fingerprint
    (for the entry's source, or the source it had before an edit)?"""
    if lifecycle.fingerprint_as(entry, text) == fp:
        return True
    if entry.previous_msgid:
        context = entry.previous_msgctxt if entry.previous_msgctxt is not None else entry.msgctxt
        return lifecycle.fingerprint_as(entry, text, entry.previous_msgid, context) == fp
    return False


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def reviewed_in_git(path: Path, display: str, wanted: set[str], depth: int = GIT_DEPTH) -> dict:
    """ID → (text, who, when, commit) of the newest committed version of the
    PO file at ``path`` in which the entry's review held, for the IDs in
    ``wanted``; IDs with no such version are left out."""
    found: dict = {}
    log = _git(path.parent, "log", f"-n{depth}", "--format=%H", "--", path.name)
    for commit in (log or "").split():
        if not wanted - found.keys():
            break
        text = _git(path.parent, "show", f"{commit}:./{path.name}")
        if text is None:
            continue
        try:
            old = index_by_id(parse(text, f"{display}@{commit[:7]}"))
        except InputError:
            continue  # a version that does not parse holds no usable review
        for sid in wanted - found.keys():
            entry = old.get(sid)
            held = entry is not None and lifecycle.review_of(entry)
            if held:
                found[sid] = (first_msgstr(entry), held[0], held[1], commit[:7])
    return found


def _change(sid: str, entry, reviewed: str, origin: str, who: str = "", when: str = "") -> Change:
    current = first_msgstr(entry)
    return Change(
        sid, entry.msgctxt or "", entry.msgid, reviewed, current, origin, who, when, word_diff(reviewed, current)
    )


def since_review(project: Project, article_name: str, lang: str | None = None, use_git: bool = True) -> ChangeReport:
    """The entries of ``article_name``'s catalog whose target changed since
    their last review, in the order of the article."""
    article = load_article(project, article_name)
    (code,) = languages(project, lang)
    path = project.po_path(article.name, code)
    index = index_by_id(load_catalog(project, article.name, code))
    pending = {sid: e for sid, e in index.items() if not lifecycle.is_reviewed(e)}
    known: dict = {}
    for sid, entry in pending.items():
        kept = lifecycle.reviewed_text(entry)
        if kept:
            known[sid] = (kept[0], "history" if _verified(entry, *kept) else "history (unverified)", "", "")
    unverified = {sid for sid, k in known.items() if k[1] != "history"}
    ask = set(pending) - known.keys() | unverified
    if use_git and ask:
        for sid, (text, who, when, commit) in reviewed_in_git(path, project.rel(path), ask).items():
            known[sid] = (text, f"git {commit}", who, when)
    report = ChangeReport()
    for sid, entry in pending.items():
        if sid not in known:
            report.unreviewed_without_history.append(sid)
        elif known[sid][0] != first_msgstr(entry):
            report.changes.append(_change(sid, entry, *known[sid]))
    return report


def format_changes(report: ChangeReport) -> str:
    """The ``review --changed`` listing: each change with its source and word diff."""
    lines = []
    for c in report.changes:
        by = f", {c.who} {c.when}" if c.who else ""
        lines += [
            f"{c.sid}  {c.context}  (last reviewed text from {c.origin}{by})",
            f"  zh:   {c.source}",
            f"  diff: {plain_diff(c.diff)}",
            "",
        ]
    lines.append(f"{len(report.changes)} segment(s) changed since their last review")
    if report.unreviewed_without_history:
        lines.append(
            f"{len(report.unreviewed_without_history)} unreviewed segment(s) with no earlier review on record: "
            + ", ".join(report.unreviewed_without_history)
        )
    return "\n".join(lines)
