"""The history's quick readers give what the plain ones give: the review
lines found by substring search are the regex's, a review seen to vouch
from the comment as written drops nothing the logical lines would, and the
logical lines are the older form's (property tests on generated comments)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.po import history as h
from workflow.po import lifecycle
from workflow.po.entry import Entry

# Pieces of history lines, run together in any order: whole and wrapped
# review lines, marks without their rest, notes, blank and white-space lines.
_PIECES = st.sampled_from(
    [
        "Reviewed: ",
        "Reviewed: Review desk · 2026-12-01 · #abcdef12",
        "Reviewed: A very long reviewer name · 2026-12-01 ·",
        " #0123abcd",
        "Reviewed text: a \\- b · #abcdef12",
        "Reviewed text:",
        "Translated: Desk · 2026-11-28",
        "Translated: Desk ·",
        " 2026-11-28 (post-edited: 90% similar · 3 edits)",
        "Review note: read side by side with the",
        "Chinese",
        "Peng: a word like a field",
        "Accept: numbers — kept (Desk, 2026-12-01)",
        "\n",
        "\n",
        "  \n",
        " ",
        "x",
        "#",
    ]
)
_COMMENTS = st.lists(_PIECES, max_size=16).map("".join)


def _older_logical_lines(tcomment: str | None) -> list[str]:
    """logical_lines as it was written before it read each line's field once."""

    def continues(logical: str, previous: str, line: str) -> bool:
        field = logical.split(":", 1)[0]
        if field == h.REVIEWED_TEXT and h.is_history(logical):
            return not h._ENDINGS[field].search(logical)
        if h._FIELD.match(line) or not h.is_history(logical):
            return False
        ending = h._ENDINGS.get(field)
        if ending is not None:
            return not ending.search(logical)
        return len(previous) + 1 + len(line.split(" ", 1)[0]) > 36

    out: list[str] = []
    previous = ""
    for line in (tcomment or "").split("\n"):
        if out and line and continues(out[-1], previous, line):
            out[-1] = f"{out[-1]} {line}"
        elif line:
            out.append(line)
        previous = line
    return out


@settings(max_examples=400, deadline=None)
@given(_COMMENTS)
def test_review_lines_are_the_regexs(text):
    assert h._review_lines(text) == h.REVIEW.findall(text)


@settings(max_examples=400, deadline=None)
@given(_COMMENTS)
def test_logical_lines_are_the_older_forms(text):
    assert h.logical_lines(text) == _older_logical_lines(text)


@settings(max_examples=400, deadline=None)
@given(_COMMENTS, st.sampled_from(["abcdef12", "0123abcd", "ffffffff"]))
def test_a_review_that_vouches_drops_nothing(text, fp):
    """When the comment as written shows every review vouching for ``fp``,
    filtering the logical lines (what drop_stale_reviews does otherwise) keeps them all."""
    lines = h.logical_lines(text)
    kept = [ln for ln in lines if not (m := h.REVIEW.match(ln)) or m.group("hash") == fp]
    if h.all_vouch_for(text, fp):
        assert kept == lines


def test_drop_stale_reviews_keeps_a_review_of_this_text_and_drops_another():
    entry = Entry(msgid="源", msgstr="Source", msgctxt="body")
    fp = lifecycle.fingerprint(entry)
    entry.tcomment = f"Translated: Desk · 2026-11-28\nReviewed: Review desk · 2026-12-01 · #{fp}"
    assert not lifecycle.drop_stale_reviews(entry)
    entry.msgstr = "Another text"
    assert lifecycle.drop_stale_reviews(entry)
    assert entry.tcomment == "Translated: Desk · 2026-11-28"
    assert h.lines(entry) == ["Translated: Desk · 2026-11-28"]  # the old parse let go, the new one read
