"""The style checks of the second desk read (workflow/qa/stylecheck.py): each
flags the kind it is for and keeps quiet on the right rendering, on this
article's own examples."""

from __future__ import annotations

import pytest

from workflow.lang.glossary import parse_glossary
from workflow.qa.checks import ALL_CHECKS, CHECKS, Context, Pair, run_checks
from workflow.qa.stylecheck import SENTENCE_WORDS, STYLE_CHECKS

from .conftest import po_path


def _found(name, source, target, role="body", ctx=None):
    return list(STYLE_CHECKS[name](Pair("x", role, source, target), ctx or Context()))


def test_the_style_checks_are_registered_and_accepted_by_name():
    for name in STYLE_CHECKS:
        assert CHECKS[name] is STYLE_CHECKS[name] and name in ALL_CHECKS


# -- first ------------------------------------------------------------------------------------


def test_a_first_the_source_does_not_claim_is_flagged():
    found = _found(
        "first", "长沙电动汽车年出口势头强劲。", "Changsha’s electric vehicle exports grew strongly for the first time."
    )
    assert found and found[0][0] == "warning" and "for the first time" in found[0][1]


@pytest.mark.parametrize(
    "source, target",
    [
        ("年出口额首破百亿元大关", "Annual exports topped 10 billion yuan for the first time."),
        ("在全国率先开展工程机械再制造体系改革", "It became the first in China to reform the system."),
        (
            "全国首个自贸区、港共建园区",
            "the country’s first park jointly built by a pilot free trade zone and a free trade port",
        ),
        ("获得第一名", "It came first."),
    ],
)
def test_a_first_the_source_claims_passes(source, target):
    assert _found("first", source, target) == []


def test_a_first_with_only_an_ordinal_of_another_number_is_flagged():
    assert _found("first", "第四届中非经贸博览会", "the first day of the 4th China-Africa Economic and Trade Expo")


def test_first_aid_and_first_hand_are_not_claims():
    assert _found("first", "急救证", "a certificate of first aid") == []
    assert _found("first", "实地考察", "he learned first-hand how it works") == []


# -- once ---------------------------------------------------------------------------------------


def test_once_with_no_past_marker_is_flagged():
    source = "从制度创新的先锋派，到开放跃升的实力派，长沙以独具特色的开放气质，书写着精彩纷呈的开放篇章。"
    found = _found(
        "once", source, "Once a pioneer of institutional innovation, it has become a powerhouse of opening-up."
    )
    assert found and "Once a" in found[0][1]
    assert _found("once", source, "Changsha, once a pioneer, is a powerhouse.")
    assert _found("once", source, "Changsha was once a pioneer.")
    assert _found("once", source, "It grew. Once a pioneer of institutional innovation, it leads.")
    assert _found("once", source, "Changsha, formerly a pioneer, leads.")


def test_once_passes_with_a_past_marker_or_as_a_conjunction():
    assert _found("once", "长沙曾是内陆城市。", "Changsha was once an inland city.") == []
    assert _found("once", "原为工业区", "formerly an industrial zone") == []
    assert _found("once", "售出不退不换", "goods cannot be returned once sold") == []
    assert (
        _found("once", "从先锋派到实力派", "From a pioneer of institutional innovation to a powerhouse of opening-up")
        == []
    )


# -- repeated-opening ---------------------------------------------------------------------------


def test_a_stutter_across_sentences_is_flagged():
    target = (
        "“BASF Shanshan will continue to increase R&D investment,” said Peng Wenjie. "
        "Peng said the company would align itself closely with Changsha’s goal."
    )
    found = _found("repeated-opening", "彭文杰表示", target)
    assert found and "'Peng'" in found[0][1] and "ends on" in found[0][1]
    same = "Peng said the plant grew. Peng said it would grow. It did."
    names = Context(glossary=parse_glossary("source,target,note\n彭文杰,Peng Wenjie,Name\n"))
    assert _found("repeated-opening", "彭文杰表示", same, ctx=names)


def test_an_attribution_once_passes():
    target = (
        "“BASF Shanshan will continue to increase R&D investment,” Peng said. "
        "The company would align itself closely with Changsha’s goal, he added."
    )
    assert _found("repeated-opening", "彭文杰表示", target) == []
    # a repeated ordinary opening word is not a name
    assert _found("repeated-opening", "请退款", "Please refund me. Please cancel the order.") == []


def test_a_glossary_name_counts_as_a_name():
    ctx = Context(glossary=parse_glossary("source,target,note\n长沙,Changsha,Name\n"))
    target = "Changsha grew. Changsha exported more."
    assert _found("repeated-opening", "长沙", target, ctx=ctx)
    assert _found("repeated-opening", "长沙", target) == []  # no glossary, and never inside a sentence


# -- sentence-length ----------------------------------------------------------------------------


def test_a_sentence_over_the_limit_is_flagged_in_running_text_only():
    long = " ".join(["word"] * (SENTENCE_WORDS + 1)) + "."
    found = _found("sentence-length", "长句。", long)
    assert found and f"{SENTENCE_WORDS + 1} words" in found[0][1]
    assert _found("sentence-length", "长句。", long, role="caption")
    assert _found("sentence-length", "长句。", long, role="title") == []  # heads have their own limits (roles)


def test_a_sentence_at_the_limit_passes():
    exact = " ".join(["Word"] + ["word"] * (SENTENCE_WORDS - 1)) + ". " + " ".join(["Word"] * SENTENCE_WORDS) + "."
    assert _found("sentence-length", "长句。", exact) == []


def test_the_checks_run_with_the_others_and_can_be_accepted(run, project):
    run("extract", "small")
    from workflow.po import pofile
    from workflow.po.catalog import index_by_id

    sid = next(i for i, e in index_by_id(pofile.load(po_path(project), "x")).items() if "2875.4" in e.msgid)
    run(
        "submit",
        "small",
        "--segment",
        sid,
        "--text",
        "Once a small market, Changsha’s foreign trade reached 287.54 billion yuan, up 3.5 percent.",
        "--translator",
        "T",
    )
    out = run("check", "small", "--only", "once", ok=False).output
    assert f"{sid}" in out and "warning once: 'Once a'" in " ".join(out.split())
    run("review", "small", "--segment", sid, "--accept", "once", "--note", "the source says so", "--reviewer", "R")
    assert run("check", "small", "--only", "once").output.strip().endswith("0 error(s), 0 warning(s), 0 info")
    pairs = [Pair("a", "body", "长沙外贸", "Once a small market, Changsha grew.")]
    assert [f.check for f in run_checks(pairs, parse_glossary("source,target\n"))] == ["once"]


def test_the_sentence_limit_is_the_style_guide_s():
    from .conftest import REPO

    guide = " ".join((REPO / "docs" / "style-guide.md").read_text(encoding="utf-8").split())
    assert f"**A sentence of running text (body, caption) is at most {SENTENCE_WORDS} words**" in guide
