"""Project-wide consistency, both ways and across every article: the same
source paragraph translated two ways, and one translation given to two
different sources (Xbench's "inconsistency in source / in target").

An article's checks leave one fingerprint row per translated segment
(``fingerprints``: hashes, not text, so the check memo stays small); this
module compares the rows of every article.  A finding names the segment
it disagrees with.  Pure.

May import: pairs.
"""

from __future__ import annotations

import hashlib
import re

from workflow.qa.pairs import WARNING, Finding, Pair

NAME = "project-consistency"
#: Checks across every article of a project (run by qa; checks.py lists them with the others).
PROJECT_CHECKS = (NAME,)
#: A source this short (in characters, spaces ignored) is a label ("图片", "新华社"): several
#: renderings are normal.  A translation this short likewise may stand for several sources.
MIN_SOURCE, MIN_TARGET = 8, 24
_SPACE = re.compile(r"\s+")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def fingerprints(pairs: list[Pair]) -> list[list]:
    """[segment, role, source hash or "", target hash or "", accepted] for each translated segment."""
    rows = []
    for p in pairs:
        source, target = _SPACE.sub("", p.source), _SPACE.sub(" ", p.target).strip()
        if not target or p.state == "untranslated":
            continue
        rows.append(
            [
                p.id,
                p.role,
                _digest(source) if len(source) >= MIN_SOURCE else "",
                _digest(target) if len(target) >= MIN_TARGET else "",
                NAME in p.accepted,
            ]
        )
    return rows


def inconsistencies(articles: list[tuple[str, str, list]]) -> list[Finding]:
    """Findings for ``articles``: (name, language, fingerprint rows) in
    project order.  The first use of a source (or a translation) is the
    reference; each later one that disagrees with it is reported."""
    first_target: dict = {}  # (language, source hash) → (target hash, article, segment)
    first_source: dict = {}  # (language, target hash) → (source hash, article, segment)
    found = []
    for name, lang, rows in articles:
        for sid, role, src, tgt, accepted in rows:
            where = (name, sid)
            for key, mine, seen, what in (
                ((lang, src), tgt, first_target, "the same source is translated differently"),
                ((lang, tgt), src, first_source, "the same translation is given to another source"),
            ):
                if not key[1]:
                    continue
                other = seen.setdefault(key, (mine, *where))
                if other[0] != mine and not accepted:
                    found.append(Finding(name, lang, sid, role, NAME, WARNING, f"{what} in {other[1]}:{other[2]}"))
    return found
