"""The history of a segment, as kept in its PO entry: the format of its
lines, read once per entry and kept with it.

The history is kept in the translator comment, one ``Field: value`` line
each, because translator comments survive msgmerge, polib, Translate
Toolkit, Poedit and Weblate.  The fields, spelled here only:

    Translated: NAME · DATE                 every accepted submission
    Reviewed: NAME · DATE · #FINGERPRINT    the reviewed state
    Reviewed text: TEXT · #FINGERPRINT      the target a review vouched for,
                                            kept when a new text replaces it
    Rejected: NAME · DATE · NOTE · #FINGERPRINT
                                            sent back by a reviewer; the fingerprint
                                            is the rejected translation's, so the same
                                            text is known when it comes back
    Accept: CHECK — REASON (NAME, DATE)     a QA finding accepted
    Translator note: …  /  Review note: …   notes between the desks
    Origin: KIND · DETAIL                   a draft not written by a person: see below
    TM: SCORE% · ORIGIN                     (older files) a memory match: read as an Origin line

**Provenance.**  A target a person did not write carries an ``Origin:``
line, the one place its provenance is kept (the kinds are ``model.Origin``):

    Origin: memory-exact · 100% · SOURCE    the memory's exact or context match (SOURCE: its unit)
    Origin: memory-fuzzy · 87% · SOURCE     a fuzzy or adapted memory match
    Origin: aligned · SOURCE                aligned from a published translation
    Origin: machine · ENGINE · MODEL        a machine translation engine
    Origin: pseudo                          a pseudo-translation

The latest ``Origin:`` line is the entry's seed until a ``Translated:`` line
follows it: a person submitted the segment, and the submission's line says
how much of the seed was kept, ``(confirmed unedited)`` or ``(post-edited:
87% similar · 12 edits)`` (a character edit distance).  Machine and pseudo
text is fuzzy until then, whatever the PO flags say, so a final build
refuses it like any fuzzy text.

``Reviewed text`` is written only when a reviewed target is replaced (a new
submission, a rejection, a suggestion): it is what a reviewer compares the
new text with (``changes.py``, ``review --changed``), and the next review
drops it.  TEXT is escaped so that wrapping cannot change it (``escape``); the
fingerprint is the old review's, so a reader can verify the text it recovers.

An entry's history is parsed the first time it is asked for and kept in
the entry (``Entry.memo``) until its translator comment changes: the
logical lines, the drafts they record, and the reviews.  Only
``po.lifecycle`` changes a history, with the lines this module makes.

May import: model, and rapidfuzz (the post-edit distance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from workflow.core.model import Origin


class Note(str, Enum):
    """Free-text notes kept in an entry's history."""

    TRANSLATOR = "Translator note"
    REVIEW = "Review note"


TRANSLATED, REVIEWED, REJECTED, ACCEPT, TM = "Translated", "Reviewed", "Rejected", "Accept", "TM"
REVIEWED_TEXT = "Reviewed text"
ORIGIN = "Origin"
_TRANSLATED, _REVIEWED, _REJECTED, _ACCEPT, _TM = TRANSLATED, REVIEWED, REJECTED, ACCEPT, TM
_REVIEWED_TEXT, _ORIGIN = REVIEWED_TEXT, ORIGIN
#: The start of each kind of line: what a change replaces, or looks for.
TRANSLATED_MARK, REVIEWED_MARK, REJECTED_MARK = f"{TRANSLATED}: ", f"{REVIEWED}: ", f"{REJECTED}: "
ACCEPT_MARK, REVIEWED_TEXT_MARK = f"{ACCEPT}: ", f"{REVIEWED_TEXT}: "
_FIELD = re.compile(r"^[A-Z][A-Za-z ]{0,24}: ")
REVIEW = re.compile(rf"^{REVIEWED}: (?P<who>.*?) · (?P<when>\S+) · #(?P<hash>[0-9a-f]{{8}})\s*$", re.M)
_ACCEPTED = re.compile(rf"^{ACCEPT}: (?P<check>[a-z\-]+)\b", re.M)
REJECTION = re.compile(rf"^{REJECTED}: (?P<who>.*?) · (?P<when>\S+) · (?P<note>.*?)(?: · #(?P<hash>[0-9a-f]{{8}}))?$")
_REVIEWED_TEXT_LINE = re.compile(rf"^{REVIEWED_TEXT}: (?P<text>.*) · #(?P<hash>[0-9a-f]{{8}})\s*$", re.S)


# -- the lines, parsed once ---------------------------------------------------------


class _Memo:
    """What an entry's translator comment says, parsed as first asked."""

    __slots__ = ("source", "lines", "seeds", "reviews", "fp_key", "fp")

    def __init__(self, source: str):
        self.source = source
        self.lines: list[str] | None = None
        self.seeds: list | None = None
        self.reviews: list | None = None
        self.fp_key: tuple | None = None
        self.fp = ""


def memo(entry) -> _Memo:
    """The entry's parsed history, parsed again only when its comment changed."""
    text = entry.tcomment
    try:
        found = entry.memo
    except AttributeError:  # another library's entry (polib's, in a test or a tool): parsed, not kept
        return _Memo(text)
    if found is None or found.source is not text:
        found = entry.memo = _Memo(text)
    return found


def forget(entry) -> None:
    """The entry's translator comment was replaced: its parsed history goes
    (kept, it would hold the old comment and its lines alive, a second copy
    of every history at book scale)."""
    if getattr(entry, "memo", None) is not None:
        entry.memo = None


def lines(entry) -> list[str]:
    """The logical lines of an entry's translator comment (do not change the list)."""
    found = memo(entry)
    if found.lines is None:
        found.lines = logical_lines(found.source)
    return found.lines


def seeds(entry) -> list:
    """Every draft in the entry's history, oldest first, each with the
    submission that confirmed it (if one did).  Do not change the list."""
    text = entry.tcomment
    if not text or (_ORIGIN_MARK not in text and _TM_MARK not in text):
        return _NO_SEEDS  # most entries: a person's own work, nothing to parse or keep
    found = memo(entry)
    if found.seeds is None:
        found.seeds = _seeds(text, lines(entry))
    return found.seeds


_NO_SEEDS: list = []


def reviews(entry) -> list[tuple[str, str, str]]:
    """(reviewer, date, fingerprint) of every review line, oldest first."""
    found = memo(entry)
    if found.reviews is None:
        text = found.source or ""
        if REVIEWED_MARK not in text:
            found.reviews = []
        else:
            # A review line is short: the comment as written is searched first, its
            # logical lines (a long reviewer name wrapped) only when that finds none.
            found.reviews = _review_lines(text) or REVIEW.findall("\n".join(lines(entry)))
    return found.reviews


def all_vouch_for(text: str, fp: str) -> bool:
    """Does every review line of the comment ``text`` vouch for ``fp``?  Read
    from the comment as written, without its logical lines: each line that
    starts a review must be a whole review line (a wrapped one is never
    counted as vouching, so the caller reads the logical lines then)."""
    found = _review_lines(text)
    starts = text.startswith(REVIEWED_MARK) + text.count("\n" + REVIEWED_MARK)
    return len(found) == starts and all(mark == fp for _, _, mark in found)


def _review_lines(text: str) -> list[tuple[str, str, str]]:
    """``REVIEW.findall(text)``, the regex tried only where a line starts
    with the mark (found by substring search: a fifth of the time on a long history)."""
    out: list[tuple[str, str, str]] = []
    at = 0 if text.startswith(REVIEWED_MARK) else _next_line(text, REVIEWED_MARK, 0)
    while at >= 0:
        m = REVIEW.match(text, at)
        if m:
            out.append((m.group("who"), m.group("when"), m.group("hash")))
        at = _next_line(text, REVIEWED_MARK, at)
    return out


def _next_line(text: str, mark: str, start: int) -> int:
    """Where the next line after ``start`` that begins with ``mark`` begins, or -1."""
    found = text.find("\n" + mark, start)
    return found + 1 if found >= 0 else -1


def accepted(entry) -> frozenset:
    """Checks a reviewer accepted on this entry."""
    text = entry.tcomment
    if not text or ACCEPT_MARK not in text:  # each match starts a line with it
        return frozenset()
    return frozenset(m.group("check") for m in _ACCEPTED.finditer("\n".join(lines(entry))))


def reviewed_text(entry) -> tuple[str, str] | None:
    """(target, fingerprint) of the text the entry's last review vouched for,
    as kept in its history when a new text replaced it; None when the
    history keeps none (never replaced since, or reviewed before the field
    existed: ``changes`` then asks the PO file's git history)."""
    for line in reversed(lines(entry)):
        if line.startswith(REVIEWED_TEXT_MARK):
            m = _REVIEWED_TEXT_LINE.match(line)
            if m:
                return unescape(m.group("text")), m.group("hash")
    return None


def logical_lines(tcomment: str | None) -> list[str]:
    """PO writers (polib, this tool) wrap long comment lines at the file's
    width; a wrapped history line is joined back together, while a
    translator's own comment lines stay as they are."""
    out: list[str] = []
    previous = ""
    field, history = "", False  # the last logical line's: joining lines changes neither
    for line in (tcomment or "").split("\n"):
        if out and line and history and _continues(out[-1], field, previous, line):
            out[-1] = f"{out[-1]} {line}"
        elif line:
            out.append(line)
            field, history = line.partition(":")[0], is_history(line)
        previous = line
    return out


#: How each structured history line ends; until it does, the next line continues it.
_ENDINGS = {
    _REVIEWED: re.compile(r" · #[0-9a-f]{8}\s*$"),
    _REVIEWED_TEXT: re.compile(r" · #[0-9a-f]{8}\s*$"),
    _TRANSLATED: re.compile(r" · \d{4}-\d\d-\d\d(?: \([^()]*\))?$"),
    _ACCEPT: re.compile(r"\([^()]*, \d{4}-\d\d-\d\d\)$"),
}


def _continues(logical: str, field: str, previous: str, line: str) -> bool:
    """Is ``line`` the wrapped rest of the history line ``logical`` (whose field is ``field``)?"""
    if field == _REVIEWED_TEXT:
        # the text may wrap before a word that looks like a field ("Peng: ")
        return not _ENDINGS[field].search(logical)
    if _FIELD.match(line):
        return False
    ending = _ENDINGS.get(field)
    if ending is not None:
        return not ending.search(logical)
    # a free-text field (a note): wrapped when the line before was full
    return len(previous) + 1 + len(line.split(" ", 1)[0]) > 36


def is_history(line: str) -> bool:
    if line == _REVIEWED_TEXT_BARE:  # wrapped before a long first word
        return True
    return line.startswith(_HISTORY_MARKS)


#: How each kind of history line starts (made once: this is asked of every line of every history).
_HISTORY_MARKS = (
    f"{_TRANSLATED}: ",
    f"{_REVIEWED}: ",
    f"{_REJECTED}: ",
    f"{_ACCEPT}: ",
    f"{_TM}: ",
    f"{_REVIEWED_TEXT}: ",
    f"{_ORIGIN}: ",
    f"{Note.TRANSLATOR.value}: ",
    f"{Note.REVIEW.value}: ",
)
_REVIEWED_TEXT_BARE = f"{_REVIEWED_TEXT}:"


def escape(text: str) -> str:
    """The text as one history line that survives wrapping: a PO writer may
    break a comment line at any space or after a hyphen inside a word, and
    the reader joins the pieces with one space.  So a backslash, a hyphen,
    a ``#`` (a piece ending in `` · #`` and eight hex digits would end the
    field early) and any whitespace but a lone space between two visible
    characters are escaped (``\\\\``, ``\\-``, ``\\#``, ``\\n``, ``\\uXXXX``)."""
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch in "\\-#":
            out.append("\\" + ch)
        elif ch == " " and 0 < i < last and not text[i - 1].isspace() and not text[i + 1].isspace():
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch.isspace():
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


_ESCAPED = re.compile(r"\\(u[0-9a-f]{4}|.)", re.S)


def unescape(text: str) -> str:
    def one(m):
        code = m.group(1)
        return "\n" if code == "n" else chr(int(code[1:], 16)) if len(code) == 5 else code

    return _ESCAPED.sub(one, text)


# -- provenance ---------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    """A draft's provenance, read from one ``Origin:`` (or older ``TM:``)
    line and the submission that followed it, if any."""

    origin: Origin
    detail: str = ""  # ENGINE · MODEL for machine text; the memory's or alignment's source
    score: int | None = None  # a memory match's score
    confirmed: bool = False  # a person submitted the segment since
    by: str = ""  # who submitted it
    similarity: int | None = None  # percent of the seed kept (100: confirmed unedited)
    edits: int | None = None  # character edits from the seed to the submission

    @property
    def engine(self) -> str:
        """The engine (machine text), else the origin's kind: what post-edit figures are grouped by."""
        if self.origin is Origin.MACHINE and self.detail:
            return self.detail.replace(" · ", "/")
        return self.origin.value

    @property
    def label(self) -> str:
        """One line for kits and reports: ``machine · deepl · deepl-v2``."""
        score = f"{self.score}%" if self.score is not None else ""
        return " · ".join(p for p in (self.origin.value, score, self.detail) if p)


_ORIGIN_MARK, _TM_MARK = f"{_ORIGIN}: ", f"{_TM}: "
_TM_LINE = re.compile(r"^(?P<score>\d{1,3})%(?: · (?P<rest>.*))?$")
_EDITED = re.compile(r"\(post-edited: (?P<sim>\d{1,3})% similar · (?P<edits>\d+) edits?\)$")
_UNEDITED = "(confirmed unedited)"
_ORIGINS = {o.value: o for o in Origin}


def origin_line(origin: Origin, detail: str = "", score: int | None = None) -> str:
    """The history line that records a draft's origin."""
    return f"{_ORIGIN_MARK}{Seed(origin, ' '.join(detail.split()), score).label}"


def _parse_origin(line: str) -> Seed | None:
    if line.startswith(_TM_MARK):  # the older memory line
        m = _TM_LINE.match(line[len(_TM_MARK) :])
        if not m:
            return None
        score = int(m.group("score"))
        return Seed(Origin.MEMORY_EXACT if score >= 100 else Origin.MEMORY_FUZZY, m.group("rest") or "", score)
    kind, _, rest = line[len(_ORIGIN_MARK) :].partition(" · ")
    origin = _ORIGINS.get(kind.strip())
    if origin is None:
        return None
    m = _TM_LINE.match(rest) if origin.is_memory else None
    if m:
        return Seed(origin, m.group("rest") or "", int(m.group("score")))
    return Seed(origin, rest)


def _submission(seed: Seed, line: str) -> Seed:
    """The seed as the submission line ``line`` left it."""
    who = line[len(_TRANSLATED) + 2 :].split(" · ", 1)[0]
    if line.endswith(_UNEDITED):
        return Seed(seed.origin, seed.detail, seed.score, True, who, 100, 0)
    m = _EDITED.search(line)
    sim, edits = (int(m.group("sim")), int(m.group("edits"))) if m else (None, None)
    return Seed(seed.origin, seed.detail, seed.score, True, who, sim, edits)


def _seeds(text: str, lines: list[str]) -> list[Seed]:
    if _ORIGIN_MARK not in text and _TM_MARK not in text:
        return []
    out: list[Seed] = []
    for line in lines:
        if line.startswith((_ORIGIN_MARK, _TM_MARK)):
            found = _parse_origin(line)
            if found is not None:
                out.append(found)
        elif line.startswith(f"{_TRANSLATED}: ") and out and not out[-1].confirmed:
            out[-1] = _submission(out[-1], line)
    return out


# -- the lines, made ---------------------------------------------------------------


def translated_by(who: str, when: str, detail: str = "") -> str:
    """The history line of a submission."""
    return f"{TRANSLATED_MARK}{who} · {when}" + (f" ({detail})" if detail else "")


def review_line_of(fp: str, who: str, when: str) -> str:
    return f"{REVIEWED_MARK}{who} · {when} · #{fp}"


def rejected_line(fp: str, who: str, when: str, note_text: str) -> str:
    return f"{REJECTED_MARK}{who} · {when} · {' '.join(note_text.split())} · #{fp}"


def reviewed_text_line(text: str, fp: str) -> str:
    return f"{REVIEWED_TEXT_MARK}{escape(text)} · #{fp}"


def accept_line(check: str, reason: str, who: str, when: str) -> str:
    return f"{ACCEPT_MARK}{check} — {' '.join(reason.split())} ({who}, {when})"


def accept_mark(check: str) -> str:
    return f"{ACCEPT_MARK}{check} "


def note_line(kind: Note, text: str) -> str:
    return f"{kind.value}: {text}"


def post_edit(seed_text: str, text: str) -> str:
    """The detail of a submission of a seed: kept unedited, or how far it moved."""
    if seed_text == text:
        return _UNEDITED[1:-1]
    from rapidfuzz.distance import Levenshtein

    edits = Levenshtein.distance(seed_text, text)
    similarity = int(100 * (1 - edits / max(len(seed_text), len(text))))
    return f"post-edited: {similarity}% similar · {edits} edit{'s' if edits != 1 else ''}"
