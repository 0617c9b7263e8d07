"""States and counts, checked against gettext's msgfmt --statistics."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.core import text
from workflow.po import lifecycle, pofile, status

from .conftest import DATA, msgfmt_check, po_path


def msgfmt_counts(path):
    text = msgfmt_check(path)
    found = {k: 0 for k in ("translated", "fuzzy", "untranslated")}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", text):
        found[kind] = int(number)
    return found


def test_handmade_catalog_states():
    po = pofile.load(DATA / "handmade.po", "handmade.po")
    states = {e.msgid: lifecycle.state(e) for e in po}
    assert states == {
        "打开": "translated",
        "一个文件": "translated",
        "一个目录": "untranslated",  # msgfmt looks at the first plural form
        "新的来源": "fuzzy",
        "空的模糊条目": "untranslated",  # fuzzy without text counts as untranslated
        "未翻译": "untranslated",
        "审校标记已过期": "translated",  # the review's fingerprint does not match
        "已删除": "obsolete",
        "旧菜单": "obsolete",
    }


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext msgfmt is not installed")
def test_counts_equal_msgfmt_statistics_on_handmade_file():
    c = status.count(pofile.load(DATA / "handmade.po", "x"))
    assert {"translated": c.translated, "fuzzy": c.fuzzy, "untranslated": c.untranslated} == msgfmt_counts(
        DATA / "handmade.po"
    )
    assert c.obsolete == 2 and c.total == 7


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext msgfmt is not installed")
def test_counts_equal_msgfmt_statistics_on_shipped_file(shipped):
    path = po_path(shipped, "changsha-opening-up")
    c = status.count(pofile.load(path, "x"))
    assert {"translated": c.translated, "fuzzy": c.fuzzy, "untranslated": c.untranslated} == msgfmt_counts(path)


def test_review_fingerprint_follows_source_and_translation():
    po = pofile.parse('msgid ""\nmsgstr ""\n\nmsgid "源"\nmsgstr "Source"\n', "x")
    entry = po[0]
    entry.tcomment = lifecycle.review_line(entry, "Reviewer Name", "2026-03-01")
    assert lifecycle.review_of(entry) == ("Reviewer Name", "2026-03-01")
    entry.msgstr = "Changed"
    assert not lifecycle.is_reviewed(entry)
    entry.msgstr = "Source"
    entry.msgid = "新源"
    assert not lifecycle.is_reviewed(entry)


def test_wrapped_comment_lines_are_read_back():
    long_name = "A Reviewer With A Very Long Name <reviewer@newsroom.example.org>"
    po = pofile.parse('msgid ""\nmsgstr ""\n\nmsgid "源"\nmsgstr "Source"\n', "x")
    entry = po[0]
    entry.tcomment = lifecycle.review_line(entry, long_name, "2026-03-01")
    text = pofile.dump(po)
    assert text.count("\n# ") >= 2  # polib wrapped the line
    assert lifecycle.review_of(pofile.parse(text, "x")[0]) == (long_name, "2026-03-01")


def test_source_and_target_sizes():
    assert text.han_chars("长沙，2025年“开放”。") == 5
    assert text.words("Changsha’s trade rose 3.5 percent, a record high.") == 8
    assert text.words("U.S.-based (R&D) — “well-known”; 长沙 x_y ¾ 3,5") == 11


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab3_ .,;:!?()[]/\"“”'’-—\n\t²¾é长\u3000&")), max_size=60)
    | st.text(max_size=60)
)
def test_word_count_is_the_regex_count(sample):
    """The fast count agrees with the plain regex on any text."""
    assert text.words(sample) == len(re.findall(r"[^\W_]+(?:['’.\-][^\W_]+)*", sample))


def test_word_count_of_a_long_text_is_the_regex_count():
    """Counted slice by slice: no word is cut or counted twice at a slice's edge."""
    long = "".join(f"Xi’s U.S.-based well-known café,{' ' * (i % 3 + 1)}3.5 % {'x' * (i % 7)}\n" for i in range(9000))
    assert len(long) > 4 * text._SLICE
    assert text.words(long) == len(re.findall(r"[^\W_]+(?:['’.\-][^\W_]+)*", long))


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=20)
    | st.text(max_size=40)
    | st.text(alphabet=st.sampled_from(list("a长\x85\u2028\u2029\ufffe\uffff\x7f\t\n\r\ud800")), max_size=20)
)
def test_control_test_is_the_regex_test(sample):
    """The fast test for characters XML cannot hold agrees with the regex."""
    assert text.has_control(sample) == bool(text.CONTROL.search(sample))


def test_status_command_table_and_json(run, project):
    run("extract")
    table = run("status").output
    assert "small.po" in table and "0.0%" in table
    data = json.loads(run("status", "--json").output)
    (f,) = data["files"]
    for key in (
        "path",
        "language",
        "total",
        "translated",
        "fuzzy",
        "untranslated",
        "reviewed",
        "obsolete",
        "source_chars",
        "target_words",
        "percent",
    ):
        assert key in f
    assert f["total"] == 9 and f["untranslated"] == 9 and f["language"] == "en"
    assert data["total"]["total"] == 9


def test_status_fail_under_and_list(run, project):
    run("extract")
    result = run("status", "--fail-under", "50", code=1)
    assert "under 50%" in result.stderr
    listed = run("status", "--list", "untranslated").output
    assert listed.count("untranslated") >= 9 and "测试标题" in listed


def test_status_on_any_po_file_path(run, project):
    result = run("status", str(DATA / "handmade.po"), "--json")
    (f,) = json.loads(result.output)["files"]
    assert (f["translated"], f["fuzzy"], f["untranslated"], f["obsolete"]) == (3, 1, 3, 2)


def test_status_counts_reviewed(run_shipped):
    data = json.loads(run_shipped("status", "--json").output)
    assert data["total"]["reviewed"] == data["total"]["total"] == 54
    assert data["total"]["percent"] == 100.0


def test_status_cache_follows_content(run, project):
    run("extract")
    first = json.loads(run("status", "--json").output)["files"][0]
    po = pofile.load(po_path(project), "x")
    po[0].msgstr = "A Headline"
    po_path(project).write_text(pofile.dump(po), encoding="utf-8")
    second = json.loads(run("status", "--json").output)["files"][0]
    assert (first["translated"], second["translated"]) == (0, 1)
    assert json.loads(run("status", "--json").output)["files"][0] == second
