"""The target as last reviewed, for the diff a reviewer reads, from the
sources ``bilingual review --changed`` reads (``changes.py``): the
``Reviewed text`` field the history keeps when a new text replaces a
reviewed one, else the PO file's git history.  The git answer is kept for
``GIT_SECONDS``, so page views do not walk the history again and again.

May import: lifecycle, pofile, changes, project.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from workflow.commands import changes
from workflow.core.project import Project
from workflow.po import lifecycle, pofile

#: How long an answer from git is used before git is asked again.
GIT_SECONDS = 60.0
_lock = threading.Lock()
_from_git: dict = {}


@dataclass(frozen=True)
class Reviewed:
    text: str
    who: str
    when: str
    where: str  # "history" or "git 1a2b3c4"


def _git_answers(project: Project, path, wanted: set) -> dict:
    """``changes.reviewed_in_git`` for ``wanted``, remembered for ``GIT_SECONDS``."""
    if not wanted:
        return {}
    key = (str(path), frozenset(wanted))
    with _lock:
        kept = _from_git.get(key)
    if kept is not None and time.monotonic() - kept[0] < GIT_SECONDS:
        return kept[1]
    found = changes.reviewed_in_git(path, project.rel(path), set(wanted))
    with _lock:
        _from_git.clear()  # one answer is enough: a page shows one article
        _from_git[key] = (time.monotonic(), found)
    return found


def last_reviewed(project: Project, article: str, lang: str, index: dict) -> dict:
    """sid → ``Reviewed`` for the segments whose review no longer holds and
    whose reviewed text is on record."""
    out, ask = {}, set()
    for sid, entry in index.items():
        if entry.obsolete or lifecycle.is_reviewed(entry):
            continue
        kept = lifecycle.reviewed_text(entry)
        if kept:
            out[sid] = Reviewed(kept[0], "", "", "history")
        else:
            ask.add(sid)
    for sid, (text, who, when, commit) in _git_answers(project, project.po_path(article, lang), ask).items():
        out[sid] = Reviewed(text, who, when, f"git {commit}")
    return out


def changed_since_review(entry, reviewed: Reviewed | None) -> bool:
    """Reviewed once, and the text moved on since (as ``review --changed`` lists it)."""
    return reviewed is not None and pofile.first_msgstr(entry) != reviewed.text
