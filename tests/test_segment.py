"""Segment IDs and the Chinese sentence splitter (qa-rules §3)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.core.model import Role
from workflow.sources.segment import ID_PATTERN, segment_id, segments, split_english_sentences, split_sentences
from workflow.sources.source import parse_article


def test_ids_are_short_stable_and_depend_on_role_and_text_only():
    a = segment_id(Role.BODY, "长沙开放。")
    assert ID_PATTERN.match(a)
    assert a == segment_id("body", "长沙开放。")
    assert a != segment_id(Role.CAPTION, "长沙开放。")
    assert a != segment_id(Role.BODY, "长沙开放！")


def test_ids_survive_inserting_deleting_and_moving_other_paragraphs():
    base = "# 题\n\n甲段。\n\n乙段。\n\n丙段。\n"
    ids = {s.text: s.id for s in segments(parse_article(base))}
    changed = "# 题\n\n丙段。\n\n新插入的段落。\n\n甲段。\n"
    for seg in segments(parse_article(changed)):
        if seg.text in ids:
            assert ids[seg.text] == seg.id


def test_decimal_points_never_split():
    assert split_sentences("外贸达2875.4亿元，增长3.5%。") == ["外贸达2875.4亿元，增长3.5%。"]


def test_closing_quote_stays_with_its_sentence():
    text = "“中国开放的大门会越开越大。”总书记的殷殷嘱托令人振奋。"
    assert split_sentences(text) == ["“中国开放的大门会越开越大。”", "总书记的殷殷嘱托令人振奋。"]


def test_no_break_at_semicolon_colon_or_comma():
    lead = "中欧班列鸣笛启程，满载“湖南制造”畅达欧亚；长沙电动汽车年出口势头强劲；靶向破解“三难”："
    assert split_sentences(lead) == [lead]


def test_ellipsis_before_a_new_clause_is_a_soft_break():
    text = "全球资本纷至沓来，持续加码长沙……长沙奏响开局奋进的激昂乐章。"
    assert split_sentences(text) == ["全球资本纷至沓来，持续加码长沙……", "长沙奏响开局奋进的激昂乐章。"]
    assert split_sentences("等等……，然后继续。") == ["等等……，然后继续。"]


def test_runs_of_terminators_stay_together():
    assert split_sentences("真的吗？！是的。") == ["真的吗？！", "是的。"]


def test_english_sentences_respect_abbreviations():
    text = "BASF Shanshan Battery Materials Co., Ltd. is in Changsha. It grew 3.5 percent."
    assert split_english_sentences(text) == [
        "BASF Shanshan Battery Materials Co., Ltd. is in Changsha.",
        "It grew 3.5 percent.",
    ]


def _split_by_loop(text: str) -> list[str]:
    """The character loop ``split_sentences`` replaced: the reference."""
    out, buf, i, n = [], "", 0, len(text)
    while i < n:
        ch = text[i]
        buf += ch
        i += 1
        end = False
        if ch in "。！？!?":
            while i < n and text[i] in "。！？!?":
                buf += text[i]
                i += 1
            end = True
        elif ch == "…" and i < n and text[i] == "…":
            buf += text[i]
            i += 1
            end = "soft"
        if end:
            while i < n and text[i] in "”’」』）)":
                buf += text[i]
                i += 1
            if end == "soft" and i < n and text[i] in "，。；：、！？":
                continue
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


@given(
    st.lists(
        st.sampled_from(list("长沙开放。！？!?…，；：、”’」』）) \n2.5") + ["……", "……。", "。”", "……，"]), max_size=40
    ).map("".join)
)
@settings(max_examples=2000, deadline=None)
def test_the_sentence_regex_splits_as_the_loop_did(text):
    assert split_sentences(text) == _split_by_loop(text)


def test_the_sentence_regex_on_the_shipped_article():
    from .conftest import REPO

    for block in (REPO / "source" / "changsha-opening-up.md").read_text(encoding="utf-8").split("\n\n"):
        assert split_sentences(block) == _split_by_loop(block)
