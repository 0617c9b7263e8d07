"""The desk's HTML pieces, property-tested: whatever a segment holds, the
marked text and the diff escape it, add only their own tags, and keep
every character (the diff: the old text without its insertions, the new
without its deletions)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("markupsafe")
from workflow.core.model import EditionBlock, Piece
from workflow.web import render

TEXT = st.text(alphabet=st.sampled_from(list("ab 1.5%<>&\"'/万亿元长沙xX\n")) | st.characters(), max_size=60)
OWN_TAGS = re.compile(r"</?(?:mark|del|ins)(?: class=\"(?:figure|term)\")?>")


def _plain(markup: str) -> str:
    return html.unescape(OWN_TAGS.sub("", markup))


@given(TEXT, st.lists(TEXT, max_size=4), st.booleans())
@settings(max_examples=300, deadline=None)
def test_marked_keeps_the_text_and_adds_only_marks(text, terms, any_case):
    out = str(render.marked(text, terms, any_case))
    assert _plain(out) == text
    assert "<" not in OWN_TAGS.sub("", out)


@given(TEXT, TEXT)
@settings(max_examples=300, deadline=None)
def test_the_diff_holds_both_texts(old, new):
    out = str(render.diff(old, new))
    assert "<" not in OWN_TAGS.sub("", out)
    assert (
        html.unescape(re.sub(r"<ins>.*?</ins>", "", out, flags=re.DOTALL).replace("<del>", "").replace("</del>", ""))
        == old
    )
    assert (
        html.unescape(re.sub(r"<del>.*?</del>", "", out, flags=re.DOTALL).replace("<ins>", "").replace("</ins>", ""))
        == new
    )


def test_figures_and_terms_are_marked_on_both_sides():
    zh = str(render.marked("长沙外贸进出口总值达2875.4亿元", ["长沙"]))
    assert '<mark class="term">长沙</mark>' in zh and '<mark class="figure">2875.4亿</mark>' in zh
    en = str(render.marked("changsha's trade reached 287.54 billion yuan", ["Changsha"], any_case=True))
    assert '<mark class="term">changsha</mark>' in en and '<mark class="figure">287.54 billion</mark>' in en


def test_the_edition_preview_renders_inline_markdown_but_never_raw_html():
    units = [
        EditionBlock("title", 0, "paragraph", [Piece("标题", "zh"), Piece("A *head*", "en")]),
        EditionBlock("body", 0, "paragraph", [Piece("<script>x()</script> **bold**", "en", mark="fuzzy")]),
        EditionBlock("body", 0, "bullet", [Piece("one", "en")]),
        EditionBlock("body", 0, "bullet", [Piece("two", "en")]),
    ]
    out = str(render.edition(units, "md"))
    assert '<h1 class="role-title"><span lang="zh-CN" class="piece">标题</span>' in out
    assert "<em>head</em>" in out and "<strong>bold</strong>" in out and 'data-mark="fuzzy"' in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert re.search(r"<ul><li class=\"role-body\">.*one.*</li><li class=\"role-body\">.*two.*</li></ul>", out)
