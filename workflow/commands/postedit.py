"""Post-editing figures: how much of each machine or memory draft the
people who submitted it kept (``analyze --post-edit``).

Every submission of a draft records, in its ``Translated:`` line, the
character edit distance from the draft and the share kept (``lifecycle``
writes and reads it).  Here they are grouped per engine (``deepl/deepl-v2``,
``memory-fuzzy``…) and per translator, in memoQ's post-editing bands: the
share of the draft kept, as memoQ's post-translation analysis bands it
(100 = confirmed unedited, 95–99, 85–94, 75–84, 50–74, below 50: "new"
work, the draft was of no use).  Nothing here prints.

May import: text, lifecycle, project, inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workflow.commands.inputs import languages, load_catalog
from workflow.core.project import Project
from workflow.core.text import han_chars
from workflow.po import lifecycle

BANDS = ("100", "95-99", "85-94", "75-84", "50-74", "0-49")


def band(similarity: int) -> str:
    """The post-editing band of a kept share (0–100)."""
    for low, name in ((100, "100"), (95, "95-99"), (85, "85-94"), (75, "75-84"), (50, "50-74")):
        if similarity >= low:
            return name
    return "0-49"


@dataclass
class Figures:
    """One engine's, or one translator's, post-editing."""

    name: str
    bands: dict = field(default_factory=lambda: {b: {"segments": 0, "chars": 0} for b in BANDS})
    edits: int = 0  # character edits in all
    target_chars: int = 0  # characters of the submitted translations

    def add(self, similarity: int, edits: int, source_chars: int, target_chars: int) -> None:
        bucket = self.bands[band(similarity)]
        bucket["segments"] += 1
        bucket["chars"] += source_chars
        self.edits += edits
        self.target_chars += target_chars

    @property
    def segments(self) -> int:
        return sum(b["segments"] for b in self.bands.values())

    @property
    def edit_rate(self) -> float:
        """Edits per 100 characters submitted: memoQ's "edit distance" as a share."""
        return round(100.0 * self.edits / self.target_chars, 1) if self.target_chars else 0.0

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "segments": self.segments,
            "bands": self.bands,
            "edits": self.edits,
            "edit_rate": self.edit_rate,
        }


@dataclass
class PostEdit:
    engines: list[Figures]
    translators: list[Figures]
    unconfirmed: int = 0  # drafts no person has submitted yet (not in the figures)


def _submissions(entry):
    """Each draft of the entry a person submitted, with what the submission kept."""
    for found in lifecycle.seeds(entry):
        if found.confirmed and found.similarity is not None:
            yield found


def post_edit(project: Project, names=(), lang: str | None = None) -> PostEdit:
    """Post-editing figures of ``names`` (every article by default)."""
    engines: dict[str, Figures] = {}
    people: dict[str, Figures] = {}
    unconfirmed = 0
    for name in project.resolve_articles(names):
        for code in languages(project, lang):
            if not project.po_path(name, code).is_file():
                continue
            for entry in load_catalog(project, name, code):
                if entry.obsolete or not entry.msgid:
                    continue
                unconfirmed += lifecycle.unconfirmed(entry) is not None
                for found in _submissions(entry):
                    args = (found.similarity, found.edits or 0, han_chars(entry.msgid), len(entry.msgstr))
                    engines.setdefault(found.engine, Figures(found.engine)).add(*args)
                    people.setdefault(found.by, Figures(found.by)).add(*args)
    return PostEdit(
        sorted(engines.values(), key=lambda f: f.name), sorted(people.values(), key=lambda f: f.name), unconfirmed
    )
