"""Translation states, defined once, and the counts built on them.

The predicates read PO entries by their gettext field names only (``msgid``,
``msgstr``, ``msgstr_plural``, ``flags``, ``obsolete``, ``tcomment``), so
they work on any PO file.  They agree with ``msgfmt --statistics``: an entry
is translated when its (first) msgstr is not empty and it is not fuzzy; a
fuzzy entry with an empty msgstr counts as untranslated.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

STATES = ("untranslated", "fuzzy", "translated", "reviewed", "obsolete")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_REVIEW = re.compile(r"^Reviewed: (?P<who>.*?) · (?P<when>\S+) · #(?P<hash>[0-9a-f]{8})\s*$", re.M)


def first_msgstr(entry) -> str:
    plural = getattr(entry, "msgstr_plural", None)
    if plural:
        return plural.get(0, plural.get("0", "")) or ""
    return entry.msgstr or ""


def is_obsolete(entry) -> bool:
    return bool(entry.obsolete)


def is_fuzzy(entry) -> bool:
    return not entry.obsolete and "fuzzy" in entry.flags and bool(first_msgstr(entry))


def is_translated(entry) -> bool:
    """Translated, whether reviewed or not."""
    return not entry.obsolete and "fuzzy" not in entry.flags and bool(first_msgstr(entry))


def is_untranslated(entry) -> bool:
    return not entry.obsolete and not first_msgstr(entry)


def fingerprint(entry) -> str:
    """What a review vouches for: the context, the source and the translation."""
    plural = getattr(entry, "msgstr_plural", None) or {}
    target = entry.msgstr + "\x00".join(str(v) for _, v in sorted(plural.items(), key=lambda kv: int(kv[0])))
    data = f"{entry.msgctxt or ''}\x04{entry.msgid}\x00{getattr(entry, 'msgid_plural', '') or ''}\x00{target}"
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:8]


def review_line(entry, who: str, when: str) -> str:
    return f"Reviewed: {who} · {when} · #{fingerprint(entry)}"


_FIELD = re.compile(r"^[A-Z][A-Za-z ]{0,24}: ")


def comment_lines(tcomment: str | None) -> list[str]:
    """The logical lines of a translator comment.  PO writers wrap long
    comment lines; a line that does not start a ``Field: `` is joined back to
    the one before it."""
    out: list[str] = []
    for line in (tcomment or "").split("\n"):
        if out and line and not _FIELD.match(line):
            out[-1] = f"{out[-1]} {line}"
        elif line:
            out.append(line)
    return out


def review_of(entry) -> tuple[str, str] | None:
    """(reviewer, date) of a review that still holds: the fingerprint in the
    translator comment matches the entry's current source and translation.
    A changed source or translation voids it without anyone removing it."""
    if not entry.tcomment or not is_translated(entry):
        return None
    fp = None
    for m in _REVIEW.finditer("\n".join(comment_lines(entry.tcomment))):
        if fp is None:
            fp = fingerprint(entry)
        if m.group("hash") == fp:
            return m.group("who"), m.group("when")
    return None


def is_reviewed(entry) -> bool:
    return review_of(entry) is not None


def state(entry) -> str:
    if entry.obsolete:
        return "obsolete"
    if is_fuzzy(entry):
        return "fuzzy"
    if is_translated(entry):
        return "reviewed" if is_reviewed(entry) else "translated"
    return "untranslated"


_HAN_RUN = re.compile(_HAN.pattern + "+")


def han_chars(text: str) -> int:
    return sum(map(len, _HAN_RUN.findall(text)))  # runs, not characters: a third of the time


def words(text: str) -> int:
    return _WORD.subn("", text)[1]  # counted in C, without a list of millions of words


@dataclass
class Counts:
    path: str = ""
    language: str = ""
    total: int = 0
    translated: int = 0  # includes reviewed, as in msgfmt --statistics
    fuzzy: int = 0
    untranslated: int = 0
    reviewed: int = 0
    obsolete: int = 0
    source_chars: int = 0
    target_words: int = 0
    by_state: dict = field(default_factory=dict, repr=False)

    @property
    def percent(self) -> float:
        return round(100.0 * self.translated / self.total, 1) if self.total else 100.0

    @property
    def percent_reviewed(self) -> float:
        return round(100.0 * self.reviewed / self.total, 1) if self.total else 100.0

    def add(self, other: "Counts") -> None:
        for name in ("total", "translated", "fuzzy", "untranslated", "reviewed", "obsolete", "source_chars", "target_words"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("by_state")
        d["percent"] = self.percent
        d["percent_reviewed"] = self.percent_reviewed
        return d


def count(entries, path: str = "", language: str = "") -> Counts:
    """Count the states of ``entries`` (the header entry must not be among them)."""
    c = Counts(path=path, language=language)
    sources, targets = [], []  # counted at the end: far fewer regex calls
    for entry in entries:
        if not entry.msgid and not entry.msgctxt:
            continue  # a header entry
        s = state(entry)
        if s == "obsolete":
            c.obsolete += 1
            continue
        c.total += 1
        sources.append(entry.msgid)
        if s in ("translated", "reviewed"):
            c.translated += 1
            if s == "reviewed":
                c.reviewed += 1
        elif s == "fuzzy":
            c.fuzzy += 1
        else:
            c.untranslated += 1
        if s != "untranslated":
            targets.append(first_msgstr(entry))
    c.source_chars = sum(map(han_chars, sources))
    c.target_words = words("\n".join(targets))  # one pass; no word spans a line break
    return c


_ACCEPT = re.compile(r"^Accept: (?P<check>[a-z\-]+)\b", re.M)


def accepted_checks(entry) -> frozenset:
    """Checks a reviewer accepted on this entry (``# Accept: CHECK — reason``)."""
    return frozenset(m.group("check") for m in _ACCEPT.finditer("\n".join(comment_lines(entry.tcomment))))
