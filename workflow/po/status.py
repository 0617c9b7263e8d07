"""Progress counts of PO files: how many segments in each state, Chinese
characters of the source, English words of the translation, and the
drafts no person has confirmed yet (machine and memory apart) and those a
person confirmed unedited.

The states are ``lifecycle``'s, so the counts agree with ``msgfmt
--statistics``: translated includes reviewed; a fuzzy entry with an empty
msgstr counts as untranslated.

May import: text, pofile, lifecycle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from workflow.core.text import han_chars, words
from workflow.po.lifecycle import Origin, State, state, unconfirmed
from workflow.po.lifecycle import seed as seed_of
from workflow.po.pofile import first_msgstr, is_header

_SUMMED = (
    "total",
    "translated",
    "fuzzy",
    "untranslated",
    "reviewed",
    "obsolete",
    "source_chars",
    "target_words",
    "machine",
    "memory",
    "other_drafts",
    "confirmed_unedited",
)


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
    machine: int = 0  # machine drafts no person has submitted (always fuzzy)
    memory: int = 0  # memory drafts no person has submitted (fuzzy, or translated from an exact match)
    other_drafts: int = 0  # aligned or pseudo drafts no person has submitted
    confirmed_unedited: int = 0  # drafts a person submitted as they were

    @property
    def percent(self) -> float:
        """Translated share; a catalog with no segments has nothing done: 0 %."""
        return round(100.0 * self.translated / self.total, 1) if self.total else 0.0

    @property
    def percent_reviewed(self) -> float:
        return round(100.0 * self.reviewed / self.total, 1) if self.total else 0.0

    def add(self, other: Counts) -> None:
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {**asdict(self), "percent": self.percent, "percent_reviewed": self.percent_reviewed}


def count(entries, path: str = "", language: str = "") -> Counts:
    """Count the states of ``entries`` (a header entry among them is skipped)."""
    c = Counts(path=path, language=language)
    sources, targets = [], []  # counted at the end: far fewer regex calls
    for entry in entries:
        if is_header(entry):
            continue
        s = state(entry)
        if s is State.OBSOLETE:
            c.obsolete += 1
            continue
        c.total += 1
        sources.append(entry.msgid)
        if s is State.TRANSLATED or s is State.REVIEWED:
            c.translated += 1
            c.reviewed += s is State.REVIEWED
        elif s is State.FUZZY:
            c.fuzzy += 1
        else:
            c.untranslated += 1
        if s is not State.UNTRANSLATED:
            targets.append(first_msgstr(entry))
            if entry.tcomment:
                _count_draft(c, entry)
    c.source_chars = han_chars("\n".join(sources))  # no run of Han crosses a line break
    c.target_words = words("\n".join(targets))  # one pass; no word spans a line break
    return c


def _count_draft(c: Counts, entry) -> None:
    draft = unconfirmed(entry)
    if draft is not None:
        if draft.origin is Origin.MACHINE:
            c.machine += 1
        elif draft.origin.is_memory:
            c.memory += 1
        else:
            c.other_drafts += 1
        return
    last = seed_of(entry)
    if last is not None and last.similarity == 100:
        c.confirmed_unedited += 1
