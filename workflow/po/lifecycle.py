"""A segment's life cycle: its states, its history, and the only functions
that change either.

A PO entry is untranslated → fuzzy → translated → reviewed, or obsolete once
its source is gone.  The state is read from gettext's own fields (msgstr, the
``fuzzy`` flag, ``#~``), so it agrees with ``msgfmt --statistics`` on any PO
file, plus one line of history: a review holds only while the fingerprint
of context, source and translation it carries still matches the entry, so
a changed source or translation voids it without anyone removing it.

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
drops it.  TEXT is escaped so that wrapping cannot change it (``_escape``); the
fingerprint is the old review's, so a reader can verify the text it recovers.

Every change of state or history goes through ``translate``, ``suggest``,
``from_memory``, ``review``, ``reject``, ``accept``, ``set_note``,
``without_vouchers`` or ``drop_stale_reviews``.

May import: model, pofile, and rapidfuzz (the post-edit distance).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import Enum

from workflow.core.model import ALIGNED_ORIGIN, ALL_STATES, LIVE_STATES, Origin, State  # noqa: F401  (the states are the model's; re-exported)
from workflow.po.pofile import first_msgstr


class Note(str, Enum):
    """Free-text notes kept in an entry's history."""

    TRANSLATOR = "Translator note"
    REVIEW = "Review note"


_TRANSLATED, _REVIEWED, _REJECTED, _ACCEPT, _TM = "Translated", "Reviewed", "Rejected", "Accept", "TM"
_REVIEWED_TEXT = "Reviewed text"
_ORIGIN = "Origin"
_FIELD = re.compile(r"^[A-Z][A-Za-z ]{0,24}: ")
_REVIEWED_MARK = f"{_REVIEWED}: "
_REVIEW = re.compile(rf"^{_REVIEWED}: (?P<who>.*?) · (?P<when>\S+) · #(?P<hash>[0-9a-f]{{8}})\s*$", re.M)
_ACCEPTED = re.compile(rf"^{_ACCEPT}: (?P<check>[a-z\-]+)\b", re.M)
_FUZZY = "fuzzy"


# -- reading ----------------------------------------------------------------------------


def history(entry) -> list[str]:
    """The logical lines of an entry's translator comment."""
    return _logical_lines(entry.tcomment)


def _logical_lines(tcomment: str | None) -> list[str]:
    """PO writers (polib, this tool) wrap long comment lines at the file's
    width; a wrapped history line is joined back together, while a
    translator's own comment lines stay as they are."""
    out: list[str] = []
    previous = ""
    for line in (tcomment or "").split("\n"):
        if out and line and _continues(out[-1], previous, line):
            out[-1] = f"{out[-1]} {line}"
        elif line:
            out.append(line)
        previous = line
    return out


#: How each structured history line ends; until it does, the next line continues it.
_ENDINGS = {
    _REVIEWED: re.compile(r" · #[0-9a-f]{8}\s*$"),
    _REVIEWED_TEXT: re.compile(r" · #[0-9a-f]{8}\s*$"),
    _TRANSLATED: re.compile(r" · \d{4}-\d\d-\d\d(?: \([^()]*\))?$"),
    _ACCEPT: re.compile(r"\([^()]*, \d{4}-\d\d-\d\d\)$"),
}


def _continues(logical: str, previous: str, line: str) -> bool:
    """Is ``line`` the wrapped rest of the history line ``logical``?"""
    field = logical.split(":", 1)[0]
    if field == _REVIEWED_TEXT and _is_history(logical):
        # the text may wrap before a word that looks like a field ("Peng: ")
        return not _ENDINGS[field].search(logical)
    if _FIELD.match(line) or not _is_history(logical):
        return False
    ending = _ENDINGS.get(field)
    if ending is not None:
        return not ending.search(logical)
    # a free-text field (a note): wrapped when the line before was full
    return len(previous) + 1 + len(line.split(" ", 1)[0]) > 36


def _is_history(line: str) -> bool:
    if line == f"{_REVIEWED_TEXT}:":  # wrapped before a long first word
        return True
    return line.startswith(
        (
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
    )


def free_text(entry) -> str:
    """Translator comments that are not history lines (what Poedit and
    Weblate users write), as one line."""
    return " ".join(line for line in history(entry) if not _is_history(line))


def reviewer_note(entry) -> str:
    """What the reviewer last told the translator: the note of a rejection
    not answered by a new translation yet, and the latest review note."""
    lines = history(entry)
    rejected = [i for i, ln in enumerate(lines) if ln.startswith(f"{_REJECTED}: ")]
    translated = [i for i, ln in enumerate(lines) if ln.startswith(f"{_TRANSLATED}: ")]
    parts = []
    if rejected and (not translated or rejected[-1] > translated[-1]):
        m = _REJECTION.match(lines[rejected[-1]])
        parts.append("sent back: " + (m.group("note") if m else lines[rejected[-1]].split(" · ", 2)[-1]))
    review = note(entry, Note.REVIEW)
    if review:
        parts.append(review)
    return " / ".join(parts)


def note(entry, kind: Note) -> str:
    """The entry's note of this kind, or ''."""
    prefix = f"{kind.value}: "
    return next((line[len(prefix) :] for line in reversed(history(entry)) if line.startswith(prefix)), "")


def is_translated(entry) -> bool:
    """Translated, whether reviewed or not (as msgfmt counts, except that
    machine or pseudo text no person has confirmed is never translated)."""
    return not entry.obsolete and _FUZZY not in entry.flags and bool(first_msgstr(entry)) and not _awaits_person(entry)


def last_translation(entry) -> tuple[str, str]:
    """(who, date) of the latest submission in the history, or ('', '')."""
    for line in reversed(history(entry)):
        if line.startswith(f"{_TRANSLATED}: "):
            who, _, rest = line[len(_TRANSLATED) + 2 :].partition(" · ")
            return who, rest.split(" ", 1)[0]
    return "", ""


def origin(entry) -> str:
    """Where the current target came from: the latest submission, or the
    draft's ``Origin:`` line (an older file's ``TM:``), as the history says it (or '')."""
    for line in reversed(history(entry)):
        if line.startswith((f"{_TRANSLATED}: ", f"{_ORIGIN}: ", f"{_TM}: ")):
            return line
    return ""


def fingerprint(entry, text: str | None = None) -> str:
    """What a review vouches for: the context, the source and the
    translation (or ``text`` put in its place, as ``translate`` would)."""
    plural = entry.msgstr_plural
    if plural:
        values = [str(v) for _, v in sorted(plural.items(), key=lambda kv: int(kv[0]))]
        if text is not None:
            values[0] = text
        target = (entry.msgstr if text is None else text) + "\x00".join(values)
    else:
        target = entry.msgstr if text is None else text
    data = f"{entry.msgctxt or ''}\x04{entry.msgid}\x00{entry.msgid_plural or ''}\x00{target}"
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:8]


_REJECTION = re.compile(rf"^{_REJECTED}: (?P<who>.*?) · (?P<when>\S+) · (?P<note>.*?)(?: · #(?P<hash>[0-9a-f]{{8}}))?$")


def rejection_of(entry, text: str) -> tuple[str, str, str] | None:
    """(reviewer, date, note) of a rejection of exactly ``text`` as this
    entry's translation (of this source and context), or None.  A
    rejection line without a fingerprint (written before it was kept)
    cannot tell which text it rejected and matches none."""
    if not entry.tcomment or f"{_REJECTED}: " not in entry.tcomment:
        return None
    fp = fingerprint(entry, text)
    for line in reversed(history(entry)):
        m = _REJECTION.match(line)
        if m and m.group("hash") == fp:
            return m.group("who"), m.group("when"), m.group("note")
    return None


def review_of(entry) -> tuple[str, str] | None:
    """(reviewer, date) of a review that still holds, or None."""
    if not entry.tcomment or _REVIEWED_MARK not in entry.tcomment or not is_translated(entry):
        return None
    fp = None
    # A review line is short: the comment as written is searched first, its
    # logical lines (a long reviewer name wrapped) only when that finds none.
    found = list(_REVIEW.finditer(entry.tcomment)) or _REVIEW.finditer("\n".join(history(entry)))
    for m in found:
        if fp is None:
            fp = fingerprint(entry)
        if m.group("hash") == fp:
            return m.group("who"), m.group("when")
    return None


_REVIEWED_TEXT_LINE = re.compile(rf"^{_REVIEWED_TEXT}: (?P<text>.*) · #(?P<hash>[0-9a-f]{{8}})\s*$", re.S)


def reviewed_text(entry) -> tuple[str, str] | None:
    """(target, fingerprint) of the text the entry's last review vouched for,
    as kept in its history when a new text replaced it; None when the
    history keeps none (never replaced since, or reviewed before the field
    existed: ``changes`` then asks the PO file's git history)."""
    for line in reversed(history(entry)):
        if line.startswith(f"{_REVIEWED_TEXT}: "):
            m = _REVIEWED_TEXT_LINE.match(line)
            if m:
                return _unescape(m.group("text")), m.group("hash")
    return None


def _escape(text: str) -> str:
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


def _unescape(text: str) -> str:
    def one(m):
        code = m.group(1)
        return "\n" if code == "n" else chr(int(code[1:], 16)) if len(code) == 5 else code

    return _ESCAPED.sub(one, text)


def _keep_reviewed_text(entry) -> None:
    """Before a review is voided: keep the text it vouched for."""
    if review_of(entry) is None:
        return  # not reviewed now: an older Reviewed text line (if any) stays the last review's
    line = f"{_REVIEWED_TEXT}: {_escape(first_msgstr(entry))} · #{fingerprint(entry)}"
    _add(entry, line, replacing=f"{_REVIEWED_TEXT}: ")


def is_reviewed(entry) -> bool:
    return review_of(entry) is not None


def state(entry) -> State:
    """The entry's state.  A fuzzy flag on an empty translation counts as untranslated (as msgfmt counts)."""
    if entry.obsolete:
        return State.OBSOLETE
    if not first_msgstr(entry):
        return State.UNTRANSLATED
    if _FUZZY in entry.flags or _awaits_person(entry):
        return State.FUZZY
    return State.REVIEWED if review_of(entry) else State.TRANSLATED


# -- provenance ---------------------------------------------------------------------------


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


def seeds(entry) -> list[Seed]:
    """Every draft in the entry's history, oldest first, each with the
    submission that confirmed it (if one did)."""
    text = entry.tcomment or ""
    if _ORIGIN_MARK not in text and _TM_MARK not in text:
        return []
    out: list[Seed] = []
    for line in history(entry):
        if line.startswith((_ORIGIN_MARK, _TM_MARK)):
            found = _parse_origin(line)
            if found is not None:
                out.append(found)
        elif line.startswith(f"{_TRANSLATED}: ") and out and not out[-1].confirmed:
            out[-1] = _submission(out[-1], line)
    return out


def seed(entry) -> Seed | None:
    """The entry's latest draft provenance, or None (a person's own work)."""
    found = seeds(entry)
    return found[-1] if found else None


def unconfirmed(entry) -> Seed | None:
    """The draft no person has submitted yet, or None."""
    found = seed(entry)
    return found if found is not None and not found.confirmed and first_msgstr(entry) else None


def _awaits_person(entry) -> bool:
    text = entry.tcomment
    if not text or _ORIGIN_MARK not in text:
        return False
    found = unconfirmed(entry)
    return found is not None and found.origin.needs_person


def post_edit(seed_text: str, text: str) -> str:
    """The detail of a submission of a seed: kept unedited, or how far it moved."""
    if seed_text == text:
        return _UNEDITED[1:-1]
    from rapidfuzz.distance import Levenshtein

    edits = Levenshtein.distance(seed_text, text)
    similarity = int(100 * (1 - edits / max(len(seed_text), len(text))))
    return f"post-edited: {similarity}% similar · {edits} edit{'s' if edits != 1 else ''}"


def accepted_checks(entry) -> frozenset:
    """Checks a reviewer accepted on this entry."""
    if not entry.tcomment or f"{_ACCEPT}: " not in entry.tcomment:  # each match starts a line with it
        return frozenset()
    return frozenset(m.group("check") for m in _ACCEPTED.finditer("\n".join(history(entry))))


def review_line(entry, who: str, when: str) -> str:
    return f"{_REVIEWED}: {who} · {when} · #{fingerprint(entry)}"


# -- changing -----------------------------------------------------------------------------


def _set_history(entry, lines) -> None:
    entry.tcomment = "\n".join(lines)


def _add(entry, line: str, replacing: str | None = None) -> None:
    lines = history(entry)
    if replacing:
        lines = [ln for ln in lines if not ln.startswith(replacing)]
    _set_history(entry, lines + [line])


def _set_text(entry, text: str) -> None:
    entry.msgstr = text
    if entry.msgstr_plural:
        entry.msgstr_plural = {**entry.msgstr_plural, 0: text}


def translate(entry, text: str, who: str, when: str, fuzzy: bool = False) -> None:
    """A translator's text.  ``fuzzy``: kept as a suggestion the translator
    marked unsure (the ``#|`` previous source stays); otherwise translated.
    A submission of a draft (machine, memory, aligned) says how much of it
    was kept."""
    draft = unconfirmed(entry)
    detail = post_edit(first_msgstr(entry), text) if draft is not None else ""
    _keep_reviewed_text(entry)
    _set_text(entry, text)
    if fuzzy:
        if _FUZZY not in entry.flags:
            entry.flags.append(_FUZZY)
    else:
        entry.flags = [f for f in entry.flags if f != _FUZZY]
        entry.previous_msgid = None
        entry.previous_msgctxt = None
    _set_history(entry, [ln for ln in history(entry) if not ln.startswith(f"{_REVIEWED}: ")])
    _add(entry, translated_by(who, when, detail))


def suggest(
    entry, text: str, previous_source: str | None, previous_context: str | None = None, origin: str | None = None
) -> None:
    """A translation made for another source text (an edited paragraph, an
    older kit, the memory): fuzzy, with that source in ``#|`` so the
    translator sees what changed.  ``origin`` is a history line to add."""
    _keep_reviewed_text(entry)
    _set_text(entry, text)
    if _FUZZY not in entry.flags:
        entry.flags.append(_FUZZY)
    entry.previous_msgid = previous_source
    entry.previous_msgctxt = previous_context
    if origin:
        _add(entry, origin)


def from_memory(entry, text: str, score: int, origin: str, trusted: bool, memory_source: str) -> None:
    """A translation memory's match for an untranslated entry.  ``trusted``
    (an exact or context match of the desk's own translated or reviewed
    work) makes it translated, never reviewed; anything else is a fuzzy
    suggestion with the memory's source in ``#|``.  Either way the history
    says where it came from."""
    kind = Origin.MEMORY_EXACT if trusted or score >= 100 else Origin.MEMORY_FUZZY
    line = origin_line(kind, origin, score)
    if not trusted:
        suggest(entry, text, memory_source, None, origin=line)
        return
    _set_text(entry, text)
    entry.flags = [f for f in entry.flags if f != _FUZZY]
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    _add(entry, line)


def from_engine(entry, text: str, origin: Origin, detail: str = "", fuzzy: bool = True) -> None:
    """A draft from a machine engine, an alignment or a pseudo-translation
    for an untranslated entry, with its origin in the history: fuzzy until a
    person submits it.  ``fuzzy=False`` (an alignment the desk trusts) makes
    it translated but still a draft in the counts; machine and pseudo text
    stays fuzzy whatever is asked."""
    suggest(entry, text, None, None, origin=origin_line(origin, detail))
    if not fuzzy and not origin.needs_person:
        entry.flags = [f for f in entry.flags if f != _FUZZY]


def translated_by(who: str, when: str, detail: str = "") -> str:
    """The history line of a submission, for ``suggest``'s ``origin``."""
    return f"{_TRANSLATED}: {who} · {when}" + (f" ({detail})" if detail else "")


def without_vouchers(tcomment: str) -> str:
    """A history without the review and accepted findings: they vouched for
    another source text.  Used when a translation moves to an edited segment."""
    keep = [ln for ln in _logical_lines(tcomment) if not ln.startswith((f"{_REVIEWED}: ", f"{_ACCEPT}: "))]
    return "\n".join(keep)


def drop_stale_reviews(entry) -> bool:
    """Remove ``Reviewed:`` lines that vouch for another text than the
    entry's (a translation changed by another tool: pomerge, msgmerge, an
    editor).  True when one was removed; the history is untouched otherwise."""
    if not entry.tcomment or _REVIEWED_MARK not in entry.tcomment:
        return False
    lines = history(entry)
    fp = fingerprint(entry)
    keep = [ln for ln in lines if not (m := _REVIEW.match(ln)) or m.group("hash") == fp]
    if len(keep) == len(lines):
        return False
    _set_history(entry, keep)
    return True


def review(entry, who: str, when: str, note_text: str | None = None) -> None:
    if note_text:
        _add(entry, f"{Note.REVIEW.value}: {' '.join(note_text.split())}")
    _set_history(entry, [ln for ln in history(entry) if not ln.startswith(f"{_REVIEWED_TEXT}: ")])
    _add(entry, review_line(entry, who, when), replacing=f"{_REVIEWED}: ")


def reject(entry, who: str, when: str, note_text: str) -> None:
    """Send back to the translator: fuzzy, the review gone (the text it
    vouched for kept), the note kept."""
    _keep_reviewed_text(entry)
    if _FUZZY not in entry.flags:
        entry.flags.append(_FUZZY)
    _set_history(entry, [ln for ln in history(entry) if not ln.startswith(f"{_REVIEWED}: ")])
    _add(entry, f"{_REJECTED}: {who} · {when} · {' '.join(note_text.split())} · #{fingerprint(entry)}")


def accept(entry, check: str, reason: str, who: str, when: str) -> None:
    _add(entry, f"{_ACCEPT}: {check} — {' '.join(reason.split())} ({who}, {when})", replacing=f"{_ACCEPT}: {check} ")


def set_note(entry, kind: Note, text: str) -> bool:
    """Replace the entry's note of this kind; False when it already says that."""
    text = " ".join(text.split())
    if not text or text == note(entry, kind):
        return False
    _add(entry, f"{kind.value}: {text}", replacing=f"{kind.value}: ")
    return True


def aligned_suggestion(entry) -> bool:
    """A fuzzy entry whose unconfirmed draft is an aligned pair (``Origin:
    aligned · …``, from ``align --into po``, or a memory match whose unit was
    aligned): a reviewer may confirm it."""
    if _FUZZY not in entry.flags:
        return False
    draft = unconfirmed(entry)
    return draft is not None and (draft.origin is Origin.ALIGNED or draft.detail.startswith(ALIGNED_ORIGIN))


def confirm_aligned(entry, who: str, when: str, note_text: str | None = None) -> None:
    """A reviewer confirms an aligned pair: the published translation becomes reviewed work."""
    entry.flags = [f for f in entry.flags if f != _FUZZY]
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    review(entry, who, when, note_text)
