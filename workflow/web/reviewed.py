"""The target as last reviewed, for the diff a reviewer reads.

A review line in a PO entry's history keeps only a fingerprint of the text
it vouched for, and a new translation removes the line.  The text itself
comes from two places: the desk's own copy (every reviewed text the desk
has seen, in ``.bilingual/reviewed/LANG/ARTICLE.json``, outside git), and
else the git history of the PO file (the newest committed version in which
the segment's review held).

May import: errors, fsio, pofile, lifecycle, catalog, project, web.users.
"""
from __future__ import annotations

import json
import subprocess
import threading
from dataclasses import dataclass

from .. import lifecycle, pofile
from ..catalog import index_by_id
from ..errors import WorkflowError
from ..fsio import atomic_write
from ..project import Project
from . import users

#: How far back the git history is searched.
GIT_DEPTH = 30
_lock = threading.Lock()
_commits: dict[tuple[str, str], dict] = {}


@dataclass(frozen=True)
class Reviewed:
    text: str
    who: str
    when: str
    where: str  # "desk copy" or "git 1a2b3c4"


def _copy_path(project: Project, article: str, lang: str):
    return users.private_dir(project.root) / "reviewed" / lang / f"{article}.json"


def _held(index: dict) -> dict:
    """sid → [text, who, when] of every segment whose review holds."""
    out = {}
    for sid, entry in index.items():
        review = lifecycle.review_of(entry)
        if review is not None:
            out[sid] = [pofile.first_msgstr(entry), review[0], review[1]]
    return out


def remember(project: Project, article: str, lang: str, index: dict) -> dict:
    """Keep a copy of every reviewed text in ``index``; the copies kept (sid → [text, who, when])."""
    path = _copy_path(project, article, lang)
    with _lock:
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            kept = {}
        merged = {**kept, **_held(index)}
        if merged != kept:
            atomic_write(path, json.dumps(merged, ensure_ascii=False, sort_keys=True, indent=0), sync=False)
    return merged


def _git(project: Project, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(project.root), *args], capture_output=True, timeout=20,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None


def _from_commit(project: Project, commit: str, rel: str) -> dict:
    key = (commit, rel)
    if key not in _commits:
        text = _git(project, "show", f"{commit}:./{rel}")
        try:
            _commits[key] = _held(index_by_id(pofile.parse(text, rel))) if text else {}
        except WorkflowError:
            _commits[key] = {}
    return _commits[key]


def _from_git(project: Project, article: str, lang: str, wanted: set) -> dict:
    rel = project.rel(project.po_path(article, lang))
    log = _git(project, "log", f"-n{GIT_DEPTH}", "--format=%H", "--", rel) if wanted else None
    found = {}
    for commit in (log or "").split():
        for sid, row in _from_commit(project, commit, rel).items():
            if sid in wanted and sid not in found:
                found[sid] = Reviewed(*row, where=f"git {commit[:7]}")
        if wanted <= set(found):
            break
    return found


def last_reviewed(project: Project, article: str, lang: str, index: dict) -> dict:
    """sid → ``Reviewed``: the text each segment had when it was last reviewed
    (segments never reviewed, as far as the desk and git know, are absent)."""
    kept = remember(project, article, lang, index)
    out = {sid: Reviewed(*row, where="desk copy") for sid, row in kept.items() if sid in index}
    out.update(_from_git(project, article, lang, set(index) - set(out)))
    return out


def changed_since_review(entry, reviewed: Reviewed | None) -> bool:
    """Reviewed once, and the text or its state moved on since."""
    if reviewed is None:
        return False
    return lifecycle.review_of(entry) is None or pofile.first_msgstr(entry) != reviewed.text
