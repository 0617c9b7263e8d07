"""The publish gate: what stops an article's editions from being published,
as structured blockers (``report`` renders them as text or JSON).

A final build of an article is refused while any of these holds:

- ``not ready``: a segment of a catalog is missing, untranslated or fuzzy,
  or not reviewed when the project requires review;
- ``qa``: a QA check found an error in a translation (a missing translation
  is the readiness gate's to report);
- ``lint``: the source has a layout defect ``lint`` reports that no
  reviewer accepted (``review --accept lint``).

A draft build sets the editions anyway and says what it waived.  Pure: the
findings and the catalogs' entries are handed in, no file is read.

May import: errors, model, lifecycle, segment, lint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from workflow.core.errors import GateError
from workflow.core.model import Article
from workflow.po.lifecycle import State, accepted_checks, state, unconfirmed
from workflow.sources import lint
from workflow.sources.segment import block_segment

#: The kinds of blocker, in the order a build reports them for an article.
READINESS, QA, LINT = "not ready", "qa", "lint"
KINDS = (READINESS, QA, LINT)


@dataclass(frozen=True)
class Held:
    """One thing that holds an edition back: a segment, or a line of the source."""

    segment: str  # the segment ID ("" for a source defect outside the catalogs)
    role: str  # the segment's role ("" for a source defect)
    reason: str  # untranslated, fuzzy (…), missing (…), not reviewed; QA CHECK: message; the lint defect
    line: int = 0  # a source defect's line


@dataclass(frozen=True)
class Blocker:
    """What one kind of gate holds back in one article's edition."""

    article: str
    edition: str  # the target language of the catalog (``""``: the source, for lint)
    kind: str  # READINESS, QA or LINT
    where: str  # the file to fix, as the user names it
    entries: tuple[Held, ...] = field(default_factory=tuple)
    translated: float = 0.0  # READINESS: percent of the catalog translated

    @property
    def count(self) -> int:
        return len(self.entries)

    def as_dict(self) -> dict:
        return {**asdict(self), "entries": [asdict(e) for e in self.entries], "count": self.count}

    @classmethod
    def from_dict(cls, data: dict) -> Blocker:
        """The blocker ``as_dict`` gave (a ``KeyError``, ``TypeError`` or ``ValueError`` when it is not one)."""
        if data["kind"] not in KINDS:
            raise ValueError(data["kind"])
        entries = tuple(
            Held(str(e["segment"]), str(e["role"]), str(e["reason"]), int(e["line"])) for e in data["entries"]
        )
        return cls(
            str(data["article"]),
            str(data["edition"]),
            data["kind"],
            str(data["where"]),
            entries,
            float(data["translated"]),
        )


def readiness(article: Article, code: str, where: str, index: dict, require_review: bool, translated: float):
    """The blocker of the ``code`` catalog's segments that are not ready (None when all are):
    missing, untranslated, fuzzy, or not reviewed when review is required."""
    held = []
    seen = set()
    for block in article.translatable_blocks():
        seg = block_segment(block)
        if seg.id in seen:
            continue
        seen.add(seg.id)
        entry = index.get(seg.id)
        if entry is None:
            held.append(Held(seg.id, seg.role.value, "missing (run 'bilingual extract')"))
            continue
        s = state(entry)
        if s in (State.UNTRANSLATED, State.FUZZY):
            draft = unconfirmed(entry) if s is State.FUZZY else None
            why = f" ({draft.origin.value} draft no person has submitted)" if draft is not None else ""
            held.append(Held(seg.id, seg.role.value, f"{s.value}{why}"))
        elif require_review and s is not State.REVIEWED:
            held.append(Held(seg.id, seg.role.value, "not reviewed"))
    return Blocker(article.name, code, READINESS, where, tuple(held), translated) if held else None


def qa_errors(article: Article, code: str, where: str, findings) -> Blocker | None:
    """The blocker of the QA errors in the ``code`` translation (None without any)."""
    held = tuple(
        Held(f.segment, f.role, f"QA {f.check}: {f.message}")
        for f in findings
        if f.severity == "error" and f.check != "untranslated"
    )
    return Blocker(article.name, code, QA, where, held) if held else None


def judged_defects(article: Article, defects: list, indexes: dict) -> list[tuple[lint.Defect, str | None]]:
    """(defect, its segment ID in the catalogs or None), each marked
    accepted when a reviewer accepted it on its segment (``review --accept
    lint``) in every catalog of the article that has the segment.
    ``indexes``: language → entries by ID."""
    by_line = {block.line: block for block in article.blocks}
    out = []
    for defect in defects:
        block = by_line.get(defect.line)
        sid = block_segment(block).id if block is not None else None
        holding = [index[sid] for index in indexes.values() if sid in index]
        accepted = bool(holding) and all(lint.CHECK in accepted_checks(entry) for entry in holding)
        out.append((replace(defect, accepted=accepted), sid if holding else None))
    return out


def source_defects(article: Article, acceptances: Callable[[], dict]) -> Blocker | None:
    """The blocker of the source defects ``lint`` finds that nobody accepted
    (None without any); ``acceptances()``: the catalogs' entries by ID per
    language, asked for only when there is a defect."""
    defects = lint.lint_article(article)
    if not defects:
        return None
    held = tuple(
        Held(sid or "", "", defect.reason, defect.line)
        for defect, sid in judged_defects(article, defects, acceptances())
        if not defect.accepted
    )
    return Blocker(article.name, "", LINT, article.path, held) if held else None


def of_article(
    article: Article, catalogs: dict, findings: dict, require_review: bool, acceptances: Callable[[], dict]
) -> list[Blocker]:
    """Every blocker of one article, in the order a build reports them: per
    target language its readiness and QA errors, then the source's defects.
    ``catalogs``: language → (the catalog as the user names it, entries by
    ID, percent translated); ``findings``: language → its QA findings;
    ``acceptances`` as for ``source_defects``."""
    out: list[Blocker] = []
    for code, (where, index, translated) in catalogs.items():
        out += filter(None, (readiness(article, code, where, index, require_review, translated),))
        out += filter(None, (qa_errors(article, code, where, findings.get(code, ())),))
    defects = source_defects(article, acceptances)
    return out + ([defects] if defects else [])


def blocking(blockers: list[Blocker]) -> int:
    """How many problems the blockers hold (each segment or defect counted once per blocker)."""
    return sum(b.count for b in blockers)


class Refused(GateError):
    """A final build the gate refuses (exit 1): the blockers, and the lines that name them."""

    def __init__(self, blockers: list[Blocker], lines: list[str]):
        super().__init__(
            f"{blocking(blockers)} problem(s) block a non-draft build; fix or accept them, or use --draft", lines
        )
        self.blockers = blockers
