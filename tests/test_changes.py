"""What changed since the last review: the Reviewed text field kept by the
life cycle, the word diff, the git fallback and ``review --changed``."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.commands import changes
from workflow.po import lifecycle, pofile
from workflow.po.catalog import index_by_id

from .conftest import po_path


def _entry(text="Old text."):
    return pofile.new_entry(msgctxt="body", msgid="正文。", msgstr=text)


def _reparse(entry):
    """The entry written to a PO file (wrapped at 78 columns) and read back."""
    po = pofile.new_file()
    po.append(entry)
    return list(pofile.parse(pofile.dump(po), "t.po"))[0]


def test_a_replaced_reviewed_text_is_kept_and_the_next_review_drops_it():
    e = _entry()
    lifecycle.review(e, "Rev", "2026-01-01")
    fp = lifecycle.fingerprint(e)
    lifecycle.translate(e, "New text.", "Tr", "2026-01-02")
    assert not lifecycle.is_reviewed(e)
    assert lifecycle.reviewed_text(e) == ("Old text.", fp)
    lifecycle.translate(e, "Newer text.", "Tr", "2026-01-03")  # still the last review's text
    assert lifecycle.reviewed_text(e) == ("Old text.", fp)
    lifecycle.review(e, "Rev", "2026-01-04")
    assert lifecycle.reviewed_text(e) is None and lifecycle.is_reviewed(e)


def test_an_unreviewed_entry_keeps_no_reviewed_text():
    e = _entry()
    lifecycle.translate(e, "New text.", "Tr", "2026-01-02")
    assert lifecycle.reviewed_text(e) is None
    lifecycle.review(e, "Rev", "2026-01-03")
    lifecycle.translate(e, "New text.", "Tr", "2026-01-04")  # submitted again: the review's text is kept
    assert lifecycle.reviewed_text(e)[0] == "New text."


def test_a_rejection_keeps_the_reviewed_text():
    e = _entry()
    lifecycle.review(e, "Rev", "2026-01-01")
    lifecycle.reject(e, "Rev", "2026-01-02", "say it plainly")
    lifecycle.translate(e, "Plain.", "Tr", "2026-01-03")
    assert lifecycle.reviewed_text(e)[0] == "Old text."


def test_the_kept_text_survives_wrapping_lines_that_look_like_fields_and_escapes():
    old = (
        "A long sentence that wraps at the file's width so that the next line starts with a word "
        "Peng: said so, and a backslash \\ and a line break\nhere · #0123abcd inside, the low-altitude "
        "economy and intelligent-humanoid-robot makers, two  spaces  here."
    )
    e = _entry(old)
    lifecycle.review(e, "Rev", "2026-01-01")
    lifecycle.translate(e, "Short.", "Tr", "2026-01-02")
    back = _reparse(e)
    assert "\n" in back.tcomment  # wrapped
    assert lifecycle.reviewed_text(back) == (old, lifecycle.reviewed_text(e)[1])
    assert lifecycle.free_text(back) == ""  # no piece of the text read as a translator's comment
    assert lifecycle.last_translation(back) == ("Tr", "2026-01-02")


_PIECES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30),
    st.sampled_from([" ", "  ", "-", "\\", "\n", "\t", "low-altitude", " · #0123abcd", "Peng: "]),
)
_TEXTS = st.lists(_PIECES, min_size=1, max_size=20).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_any_reviewed_text_reads_back_as_written_after_wrapping(text):
    e = _entry(text)
    lifecycle.review(e, "Rev", "2026-01-01")
    fp = lifecycle.fingerprint(e)
    lifecycle.translate(e, text + "!", "Tr", "2026-01-02")
    assert lifecycle.reviewed_text(_reparse(e)) == (text, fp)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_the_word_diff_spells_both_texts(old, new):
    diff = changes.word_diff(old, new)
    assert "".join(t for op, t in diff if op != "+") == old
    assert "".join(t for op, t in diff if op != "-") == new
    assert all(a[0] != b[0] for a, b in zip(diff, diff[1:]))  # runs are merged


def test_the_word_diff_is_by_word():
    diff = changes.word_diff(
        "Once a pioneer of innovation, it has become a powerhouse", "From a pioneer of innovation to a powerhouse"
    )
    assert changes.plain_diff(diff) == (
        "[-Once-]{+From+} a pioneer of innovation[-,-] [-it has become-]{+to+} a powerhouse"
    )


def _git(root, *args):
    subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(root),
            "PATH": "/usr/bin:/bin",
        },
    )


def _reviewed_project(run, project):
    run("extract", "small")
    po = pofile.load(po_path(project), "x")
    ids = list(index_by_id(po))
    for sid in ids[:3]:
        run("submit", "small", "--segment", sid, "--text", f"Reviewed text of {sid}.", "--translator", "T")
    run("review", "small", "--segment", ids[0], "--segment", ids[1], "--reviewer", "R")
    return ids


def test_review_changed_lists_a_changed_segment_with_its_diff(run, project):
    ids = _reviewed_project(run, project)
    assert "0 segment(s) changed" in run("review", "small", "--changed").output
    run("submit", "small", "--segment", ids[0], "--text", f"Changed text of {ids[0]}.", "--translator", "T", "--force")
    out = run("review", "small", "--changed").output
    assert f"{ids[0]}  title  (last reviewed text from history)" in out
    assert f"[-Reviewed-]{{+Changed+}} text of {ids[0]}." in out
    assert ids[1] not in out  # reviewed, unchanged
    assert "1 segment(s) changed" in out
    assert ids[2] in out.splitlines()[-1]  # translated, never reviewed: listed as such


def _committed(project):
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "reviewed")


def _forget_reviewed_text(path):
    """As a review made before the Reviewed text field: only the fingerprint is kept."""
    text = path.read_text(encoding="utf-8")
    start = text.index("# Reviewed text: ")
    path.write_text(text[:start] + text[text.index("\n", text.index(" · #", start)) + 1 :], encoding="utf-8")


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_review_changed_reads_older_reviews_from_git(run, project):
    ids = _reviewed_project(run, project)
    _committed(project)
    run("submit", "small", "--segment", ids[1], "--text", "Another text.", "--translator", "T", "--force")
    _forget_reviewed_text(po_path(project))
    out = run("review", "small", "--changed").output
    assert "(last reviewed text from git " in out and ", R 2026-03-21)" in out
    assert f"[-Reviewed-]{{+Another+}} text[- of {ids[1]}-]." in out


def test_review_changed_changes_nothing_and_takes_no_review_options(run, project):
    _reviewed_project(run, project)
    before = po_path(project).read_bytes()
    run("review", "small", "--changed")
    assert po_path(project).read_bytes() == before
    result = run("review", "small", "--changed", "--all-translated", code=2)
    assert "--changed only lists" in result.output + (result.stderr or "")


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_a_committed_version_that_does_not_parse_is_passed_over(run, project):
    ids = _reviewed_project(run, project)
    _committed(project)
    path = po_path(project)
    good = path.read_text(encoding="utf-8")
    path.write_text('msgid "unterminated\n', encoding="utf-8")
    _git(project, "commit", "-q", "-am", "broken")
    path.write_text(good, encoding="utf-8")
    run("submit", "small", "--segment", ids[0], "--text", "Changed.", "--translator", "T", "--force")
    _forget_reviewed_text(path)
    result = run("review", "small", "--changed")
    assert "Traceback" not in result.output and "(last reviewed text from git " in result.output
    assert f"[-Reviewed text of {ids[0]}-]{{+Changed+}}." in result.output
