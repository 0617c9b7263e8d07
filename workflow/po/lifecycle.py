"""A segment's life cycle: its states, and the only functions that change
an entry's target, flags or history.

A PO entry is untranslated → fuzzy → translated → reviewed, or obsolete once
its source is gone.  The state is read from gettext's own fields (msgstr, the
``fuzzy`` flag, ``#~``), so it agrees with ``msgfmt --statistics`` on any PO
file, plus one line of history: a review holds only while the fingerprint
of context, source and translation it carries still matches the entry, so
a changed source or translation voids it without anyone removing it.  The
history's format is ``po.history``'s (parsed once per entry, kept with it).

Every change of state or history goes through ``translate``, ``suggest``,
``from_memory``, ``from_engine``, ``review``, ``reject``, ``accept``,
``set_note``, ``confirm_aligned``, ``drop_stale_reviews``, and for whole
entries ``carry`` (a merge keeps a translation), ``moved`` (a translation
moves to an edited segment), ``retired`` (an obsolete copy), ``kit_copy``
and ``kit_suggestion`` (a kit's copy, with a memory suggestion).  A test checks that no
other module assigns an entry's fields.

May import: model, entry, history.
"""

from __future__ import annotations

import hashlib

from workflow.core.model import ALIGNED_ORIGIN, ALL_STATES, LIVE_STATES, Origin, State  # noqa: F401  (the states are the model's; re-exported)
from workflow.po import history as h
from workflow.po.entry import Entry, first_msgstr
from workflow.po.history import Note, Seed, origin_line, post_edit, translated_by  # noqa: F401  (re-exported)

_FUZZY = "fuzzy"


# -- reading ----------------------------------------------------------------------------


def history(entry) -> list[str]:
    """The logical lines of an entry's translator comment."""
    return list(h.lines(entry))


def free_text(entry) -> str:
    """Translator comments that are not history lines (what Poedit and
    Weblate users write), as one line."""
    return " ".join(line for line in h.lines(entry) if not h.is_history(line))


def reviewer_note(entry) -> str:
    """What the reviewer last told the translator: the note of a rejection
    not answered by a new translation yet, and the latest review note."""
    lines = h.lines(entry)
    rejected = [i for i, ln in enumerate(lines) if ln.startswith(h.REJECTED_MARK)]
    translated = [i for i, ln in enumerate(lines) if ln.startswith(h.TRANSLATED_MARK)]
    parts = []
    if rejected and (not translated or rejected[-1] > translated[-1]):
        m = h.REJECTION.match(lines[rejected[-1]])
        parts.append("sent back: " + (m.group("note") if m else lines[rejected[-1]].split(" · ", 2)[-1]))
    review_note = note(entry, Note.REVIEW)
    if review_note:
        parts.append(review_note)
    return " / ".join(parts)


def note(entry, kind: Note) -> str:
    """The entry's note of this kind, or ''."""
    prefix = f"{kind.value}: "
    return next((line[len(prefix) :] for line in reversed(h.lines(entry)) if line.startswith(prefix)), "")


def is_translated(entry) -> bool:
    """Translated, whether reviewed or not (as msgfmt counts, except that
    machine or pseudo text no person has confirmed is never translated)."""
    return not entry.obsolete and _FUZZY not in entry.flags and bool(first_msgstr(entry)) and not _awaits_person(entry)


def last_translation(entry) -> tuple[str, str]:
    """(who, date) of the latest submission in the history, or ('', '')."""
    for line in reversed(h.lines(entry)):
        if line.startswith(h.TRANSLATED_MARK):
            who, _, rest = line[len(h.TRANSLATED_MARK) :].partition(" · ")
            return who, rest.split(" ", 1)[0]
    return "", ""


def origin(entry) -> str:
    """Where the current target came from: the latest submission, or the
    draft's ``Origin:`` line (an older file's ``TM:``), as the history says it (or '')."""
    marks = (h.TRANSLATED_MARK, f"{h.ORIGIN}: ", f"{h.TM}: ")
    return next((line for line in reversed(h.lines(entry)) if line.startswith(marks)), "")


def fingerprint(entry, text: str | None = None) -> str:
    """What a review vouches for: the context, the source and the
    translation (or ``text`` put in its place, as ``translate`` would).
    The entry's own is computed once while those fields stay as they are."""
    plural = entry.msgstr_plural
    if text is None:
        memo = h.memo(entry)
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, tuple(plural.items()) if plural else ())
        if memo.fp_key != key:
            memo.fp_key, memo.fp = key, _fingerprint(entry, None)
        return memo.fp
    return _fingerprint(entry, text)


def _fingerprint(entry, text: str | None) -> str:
    plural = entry.msgstr_plural
    if plural:
        values = [str(v) for _, v in sorted(plural.items(), key=lambda kv: int(kv[0]))]
        if text is not None:
            values[0] = text
        target = (entry.msgstr if text is None else text) + "\x00".join(values)
    else:
        target = entry.msgstr if text is None else text
    return _hash(entry.msgctxt, entry.msgid, entry.msgid_plural, target)


def _hash(msgctxt: str | None, msgid: str, msgid_plural: str | None, target: str) -> str:
    data = f"{msgctxt or ''}\x04{msgid}\x00{msgid_plural or ''}\x00{target}"
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:8]


def fingerprint_as(entry, msgstr: str, msgid: str | None = None, msgctxt: str | None = None) -> str:
    """The fingerprint the entry would have with ``msgstr`` as its msgstr
    (plural forms as they are), and another source and context if given:
    what ``changes`` checks a recovered text against."""
    plural = entry.msgstr_plural
    values = [str(v) for _, v in sorted(plural.items(), key=lambda kv: int(kv[0]))] if plural else []
    target = msgstr + "\x00".join(values) if plural else msgstr
    return _hash(
        entry.msgctxt if msgid is None else msgctxt, entry.msgid if msgid is None else msgid, entry.msgid_plural, target
    )


def rejection_of(entry, text: str) -> tuple[str, str, str] | None:
    """(reviewer, date, note) of a rejection of exactly ``text`` as this
    entry's translation (of this source and context), or None.  A
    rejection line without a fingerprint (written before it was kept)
    cannot tell which text it rejected and matches none."""
    if not entry.tcomment or h.REJECTED_MARK not in entry.tcomment:
        return None
    fp = fingerprint(entry, text)
    for line in reversed(h.lines(entry)):
        m = h.REJECTION.match(line)
        if m and m.group("hash") == fp:
            return m.group("who"), m.group("when"), m.group("note")
    return None


def review_of(entry) -> tuple[str, str] | None:
    """(reviewer, date) of a review that still holds, or None."""
    if not entry.tcomment or h.REVIEWED_MARK not in entry.tcomment or not is_translated(entry):
        return None
    found = h.reviews(entry)
    if not found:
        return None
    fp = fingerprint(entry)
    return next(((who, when) for who, when, mark in found if mark == fp), None)


reviewed_text = h.reviewed_text
accepted_checks = h.accepted


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


def seeds(entry) -> list[Seed]:
    """Every draft in the entry's history, oldest first, each with the
    submission that confirmed it (if one did)."""
    return list(h.seeds(entry))


def seed(entry) -> Seed | None:
    """The entry's latest draft provenance, or None (a person's own work)."""
    found = h.seeds(entry)
    return found[-1] if found else None


def unconfirmed(entry) -> Seed | None:
    """The draft no person has submitted yet, or None."""
    found = seed(entry)
    return found if found is not None and not found.confirmed and first_msgstr(entry) else None


def _awaits_person(entry) -> bool:
    text = entry.tcomment
    if not text or f"{h.ORIGIN}: " not in text:
        return False
    found = unconfirmed(entry)
    return found is not None and found.origin.needs_person


def review_line(entry, who: str, when: str) -> str:
    return h.review_line_of(fingerprint(entry), who, when)


def aligned_suggestion(entry) -> bool:
    """A fuzzy entry whose unconfirmed draft is an aligned pair (``Origin:
    aligned · …``, from ``align --into po``, or a memory match whose unit was
    aligned): a reviewer may confirm it."""
    if _FUZZY not in entry.flags:
        return False
    draft = unconfirmed(entry)
    return draft is not None and (draft.origin is Origin.ALIGNED or draft.detail.startswith(ALIGNED_ORIGIN))


def without_vouchers(tcomment: str) -> str:
    """A history without the review and accepted findings: they vouched for
    another source text.  Used when a translation moves to an edited segment."""
    keep = [ln for ln in h.logical_lines(tcomment) if not ln.startswith((h.REVIEWED_MARK, h.ACCEPT_MARK))]
    return "\n".join(keep)


# -- changing -----------------------------------------------------------------------------


def _set_history(entry, lines) -> None:
    entry.tcomment = "\n".join(lines)
    h.forget(entry)


def _add(entry, line: str, replacing: str | None = None) -> None:
    lines = h.lines(entry)
    if replacing:
        lines = [ln for ln in lines if not ln.startswith(replacing)]
    _set_history(entry, lines + [line])


def _without(entry, prefix: str) -> None:
    _set_history(entry, [ln for ln in h.lines(entry) if not ln.startswith(prefix)])


def _set_text(entry, text: str) -> None:
    entry.msgstr = text
    if entry.msgstr_plural:
        entry.msgstr_plural = {**entry.msgstr_plural, 0: text}


def _set_fuzzy(entry, fuzzy: bool) -> None:
    if not fuzzy:
        entry.flags = [f for f in entry.flags if f != _FUZZY]
    elif _FUZZY not in entry.flags:
        entry.flags.append(_FUZZY)


def _set_previous(entry, source: str | None, context: str | None) -> None:
    entry.previous_msgid = source
    entry.previous_msgctxt = context


def _keep_reviewed_text(entry) -> None:
    """Before a review is voided: keep the text it vouched for."""
    if review_of(entry) is None:
        return  # not reviewed now: an older Reviewed text line (if any) stays the last review's
    _add(entry, h.reviewed_text_line(first_msgstr(entry), fingerprint(entry)), replacing=h.REVIEWED_TEXT_MARK)


def translate(entry, text: str, who: str, when: str, fuzzy: bool = False) -> None:
    """A translator's text.  ``fuzzy``: kept as a suggestion the translator
    marked unsure (the ``#|`` previous source stays); otherwise translated.
    A submission of a draft (machine, memory, aligned) says how much of it
    was kept."""
    draft = unconfirmed(entry)
    detail = post_edit(first_msgstr(entry), text) if draft is not None else ""
    _keep_reviewed_text(entry)
    _set_text(entry, text)
    _set_fuzzy(entry, fuzzy)
    if not fuzzy:
        _set_previous(entry, None, None)
    _without(entry, h.REVIEWED_MARK)
    _add(entry, translated_by(who, when, detail))


def suggest(
    entry, text: str, previous_source: str | None, previous_context: str | None = None, origin: str | None = None
) -> None:
    """A translation made for another source text (an edited paragraph, an
    older kit, the memory): fuzzy, with that source in ``#|`` so the
    translator sees what changed.  ``origin`` is a history line to add."""
    _keep_reviewed_text(entry)
    _set_text(entry, text)
    _set_fuzzy(entry, True)
    _set_previous(entry, previous_source, previous_context)
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
    _set_fuzzy(entry, False)
    _set_previous(entry, None, None)
    _add(entry, line)


def from_engine(entry, text: str, origin: Origin, detail: str = "", fuzzy: bool = True) -> None:
    """A draft from a machine engine, an alignment or a pseudo-translation
    for an untranslated entry, with its origin in the history: fuzzy until a
    person submits it.  ``fuzzy=False`` (an alignment the desk trusts) makes
    it translated but still a draft in the counts; machine and pseudo text
    stays fuzzy whatever is asked."""
    suggest(entry, text, None, None, origin=origin_line(origin, detail))
    if not fuzzy and not origin.needs_person:
        _set_fuzzy(entry, False)


def drop_stale_reviews(entry) -> bool:
    """Remove ``Reviewed:`` lines that vouch for another text than the
    entry's (a translation changed by another tool: pomerge, msgmerge, an
    editor).  True when one was removed; the history is untouched otherwise."""
    if not entry.tcomment or h.REVIEWED_MARK not in entry.tcomment:
        return False
    fp = fingerprint(entry)
    if h.all_vouch_for(entry.tcomment, fp):  # most entries: nothing to drop, no lines to parse
        return False
    lines = h.lines(entry)
    keep = [ln for ln in lines if not (m := h.REVIEW.match(ln)) or m.group("hash") == fp]
    if len(keep) == len(lines):
        return False
    _set_history(entry, keep)
    return True


def review(entry, who: str, when: str, note_text: str | None = None) -> None:
    if note_text:
        _add(entry, h.note_line(Note.REVIEW, " ".join(note_text.split())))
    _without(entry, h.REVIEWED_TEXT_MARK)
    _add(entry, review_line(entry, who, when), replacing=h.REVIEWED_MARK)


def reject(entry, who: str, when: str, note_text: str) -> None:
    """Send back to the translator: fuzzy, the review gone (the text it
    vouched for kept), the note kept."""
    _keep_reviewed_text(entry)
    _set_fuzzy(entry, True)
    _without(entry, h.REVIEWED_MARK)
    _add(entry, h.rejected_line(fingerprint(entry), who, when, note_text))


def accept(entry, check: str, reason: str, who: str, when: str) -> None:
    _add(entry, h.accept_line(check, reason, who, when), replacing=h.accept_mark(check))


def set_note(entry, kind: Note, text: str) -> bool:
    """Replace the entry's note of this kind; False when it already says that."""
    text = " ".join(text.split())
    if not text or text == note(entry, kind):
        return False
    _add(entry, h.note_line(kind, text), replacing=f"{kind.value}: ")
    return True


def confirm_aligned(entry, who: str, when: str, note_text: str | None = None) -> None:
    """A reviewer confirms an aligned pair: the published translation becomes reviewed work."""
    _set_fuzzy(entry, False)
    _set_previous(entry, None, None)
    review(entry, who, when, note_text)


# -- whole entries ------------------------------------------------------------------------


def carry(entry, found) -> None:
    """A merge keeps a segment's translation: ``found``'s target, flags,
    history and previous strings move to ``entry`` (the template's), and a
    review of another text (the translation edited elsewhere) goes."""
    entry.msgstr = found.msgstr
    entry.msgstr_plural = dict(found.msgstr_plural)
    entry.msgid_plural = found.msgid_plural
    entry.flags = list(found.flags)
    entry.tcomment = found.tcomment
    _set_previous(entry, found.previous_msgid, found.previous_msgctxt)
    drop_stale_reviews(entry)


def moved(entry, found) -> None:
    """A translation moves to an edited segment: fuzzy, ``found``'s source
    in ``#|``, its history kept without what vouched for the old source."""
    entry.tcomment = without_vouchers(found.tcomment)
    context = found.msgctxt if found.msgctxt != entry.msgctxt else None
    suggest(entry, found.msgstr, found.msgid, context)


def retired(e) -> Entry:
    """The obsolete (``#~``) copy of a translated segment the source no longer has."""
    gone = Entry(msgid=e.msgid, msgstr=e.msgstr, msgctxt=e.msgctxt, flags=list(e.flags), tcomment=e.tcomment)
    gone.obsolete = True
    gone.msgstr_plural = dict(e.msgstr_plural)
    gone.msgid_plural = e.msgid_plural
    return gone


def kit_copy(e, flags: list) -> Entry:
    """A kit's copy of an entry, with the kit's own ``flags``."""
    return Entry(
        msgctxt=e.msgctxt,
        msgid=e.msgid,
        msgstr=e.msgstr,
        comment=e.comment,
        tcomment=e.tcomment,
        occurrences=list(e.occurrences),
        flags=flags,
        previous_msgid=e.previous_msgid,
        previous_msgctxt=e.previous_msgctxt,
    )


def kit_suggestion(copy, text: str, source: str) -> None:
    """A memory suggestion in a kit's copy of an untranslated entry: fuzzy,
    with the memory's source in ``#|`` (the kit only, never the catalog)."""
    copy.msgstr, copy.flags, copy.previous_msgid = text, [*copy.flags, _FUZZY], source
