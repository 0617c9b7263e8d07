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
    Rejected: NAME · DATE · NOTE            sent back by a reviewer
    Accept: CHECK — REASON (NAME, DATE)     a QA finding accepted
    Translator note: …  /  Review note: …   notes between the desks
    TM: SCORE% · ORIGIN                     a translation memory match filled it in

``Reviewed text`` is written only when a reviewed target is replaced (a new
submission, a rejection, a suggestion): it is what a reviewer compares the
new text with (``changes.py``, ``review --changed``), and the next review
drops it.  TEXT is escaped so that wrapping cannot change it (``_escape``); the
fingerprint is the old review's, so a reader can verify the text it recovers.

Every change of state or history goes through ``translate``, ``suggest``,
``from_memory``, ``review``, ``reject``, ``accept``, ``set_note`` or
``without_vouchers``.

May import: model, pofile.
"""
from __future__ import annotations

import hashlib
import re
from enum import Enum

from .model import ALL_STATES, LIVE_STATES, State  # noqa: F401  (the states are the model's; re-exported)
from .pofile import first_msgstr


class Note(str, Enum):
    """Free-text notes kept in an entry's history."""

    TRANSLATOR = "Translator note"
    REVIEW = "Review note"


_TRANSLATED, _REVIEWED, _REJECTED, _ACCEPT, _TM = "Translated", "Reviewed", "Rejected", "Accept", "TM"
_REVIEWED_TEXT = "Reviewed text"
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
    return line.startswith((f"{_TRANSLATED}: ", f"{_REVIEWED}: ", f"{_REJECTED}: ", f"{_ACCEPT}: ", f"{_TM}: ",
                            f"{_REVIEWED_TEXT}: ",
                            f"{Note.TRANSLATOR.value}: ", f"{Note.REVIEW.value}: "))


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
        parts.append("sent back: " + lines[rejected[-1]].split(" · ", 2)[-1])
    review = note(entry, Note.REVIEW)
    if review:
        parts.append(review)
    return " / ".join(parts)


def note(entry, kind: Note) -> str:
    """The entry's note of this kind, or ''."""
    prefix = f"{kind.value}: "
    return next((line[len(prefix):] for line in reversed(history(entry)) if line.startswith(prefix)), "")


def is_translated(entry) -> bool:
    """Translated, whether reviewed or not (as msgfmt counts)."""
    return not entry.obsolete and _FUZZY not in entry.flags and bool(first_msgstr(entry))


def last_translation(entry) -> tuple[str, str]:
    """(who, date) of the latest submission in the history, or ('', '')."""
    for line in reversed(history(entry)):
        if line.startswith(f"{_TRANSLATED}: "):
            who, _, rest = line[len(_TRANSLATED) + 2:].partition(" · ")
            return who, rest.split(" ", 1)[0]
    return "", ""


def origin(entry) -> str:
    """Where the current target came from: the latest submission or memory
    match in the history, as the history says it (or '')."""
    for line in reversed(history(entry)):
        if line.startswith((f"{_TRANSLATED}: ", f"{_TM}: ")):
            return line
    return ""


def fingerprint(entry) -> str:
    """What a review vouches for: the context, the source and the translation."""
    plural = entry.msgstr_plural
    target = entry.msgstr + "\x00".join(str(v) for _, v in sorted(plural.items(), key=lambda kv: int(kv[0]))) \
        if plural else entry.msgstr
    data = f"{entry.msgctxt or ''}\x04{entry.msgid}\x00{entry.msgid_plural or ''}\x00{target}"
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:8]


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
    the reader joins the pieces with one space.  So a backslash, a hyphen
    and any whitespace but a lone space between two visible characters are
    escaped (``\\\\``, ``\\-``, ``\\n``, ``\\uXXXX``)."""
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch in "\\-":
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
    if _FUZZY in entry.flags:
        return State.FUZZY
    return State.REVIEWED if review_of(entry) else State.TRANSLATED


def accepted_checks(entry) -> frozenset:
    """Checks a reviewer accepted on this entry."""
    if not entry.tcomment:
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
    marked unsure (the ``#|`` previous source stays); otherwise translated."""
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
    _add(entry, f"{_TRANSLATED}: {who} · {when}")


def suggest(entry, text: str, previous_source: str | None, previous_context: str | None = None,
            origin: str | None = None) -> None:
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
    line = f"{_TM}: {score}% · {origin}"
    if not trusted:
        suggest(entry, text, memory_source, None, origin=line)
        return
    _set_text(entry, text)
    entry.flags = [f for f in entry.flags if f != _FUZZY]
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    _add(entry, line)


def translated_by(who: str, when: str, detail: str = "") -> str:
    """The history line of a submission, for ``suggest``'s ``origin``."""
    return f"{_TRANSLATED}: {who} · {when}" + (f" ({detail})" if detail else "")


def without_vouchers(tcomment: str) -> str:
    """A history without the review and accepted findings: they vouched for
    another source text.  Used when a translation moves to an edited segment."""
    keep = [ln for ln in _logical_lines(tcomment) if not ln.startswith((f"{_REVIEWED}: ", f"{_ACCEPT}: "))]
    return "\n".join(keep)


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
    _add(entry, f"{_REJECTED}: {who} · {when} · {' '.join(note_text.split())}")


def accept(entry, check: str, reason: str, who: str, when: str) -> None:
    _add(entry, f"{_ACCEPT}: {check} — {' '.join(reason.split())} ({who}, {when})", replacing=f"{_ACCEPT}: {check} ")


def set_note(entry, kind: Note, text: str) -> bool:
    """Replace the entry's note of this kind; False when it already says that."""
    text = " ".join(text.split())
    if not text or text == note(entry, kind):
        return False
    _add(entry, f"{kind.value}: {text}", replacing=f"{kind.value}: ")
    return True
