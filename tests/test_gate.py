"""The publish gate (``commands.gate``): a refused build carries structured
blockers, and the lines the command line prints are the report's rendering
of them."""

from __future__ import annotations

import json

import pytest

from workflow.commands import build as publish
from workflow.commands import gate, report
from workflow.core.project import Project

BODY = "dw6nwnhc"  # 第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。
TITLE = "snn8b8re"


@pytest.fixture
def half_done(run):
    """The small project: the title translated, the body translated with wrong figures, the rest not."""
    run("extract")
    run("submit", "small", "--segment", TITLE, "--text", "Test title one")
    run("submit", "small", "--segment", BODY, "--text", "The first paragraph. Exports reached 1 billion yuan, up 9%.")
    return run


def test_a_refused_build_names_each_kind_of_blocker(half_done, project):
    with pytest.raises(gate.Refused) as refused:
        publish.build(Project.open(project))
    blockers = refused.value.blockers
    assert [(b.article, b.edition, b.kind, b.where) for b in blockers] == [
        ("small", "en", gate.READINESS, "translations/en/small.po"),
        ("small", "en", gate.QA, "translations/en/small.po"),
        ("small", "", gate.LINT, "source/small.md"),
    ]
    ready, qa, lint = blockers
    assert TITLE not in {h.segment for h in ready.entries} and BODY not in {h.segment for h in ready.entries}
    assert {h.reason for h in ready.entries} == {"untranslated"} and ready.count == 7
    assert round(ready.translated) == 22
    assert {h.segment for h in qa.entries} == {BODY} and all(h.reason.startswith("QA numbers: ") for h in qa.entries)
    assert lint.count == 1 and lint.entries[0].line == 16 and "caption without a photo" in lint.entries[0].reason
    assert refused.value.details == report.blocker_lines(blockers)
    assert (
        str(refused.value)
        == f"{gate.blocking(blockers)} problem(s) block a non-draft build; fix or accept them, or use --draft"
    )


def test_the_command_line_prints_the_rendered_blockers_and_exits_1(half_done, project):
    with pytest.raises(gate.Refused) as refused:
        publish.build(Project.open(project))
    for attempt in ("cold", "remembered"):  # the second build answers from its memo: the same lines
        result = half_done("build", code=1)
        lines = [line.strip() for line in result.stderr.splitlines()]
        assert lines[:-1] == refused.value.details, attempt
        assert lines[-1] == f"bilingual: {refused.value}"
    lint = refused.value.blockers[-1].entries[0]
    assert lint.segment  # the caption is a segment of the catalog: the line says how to accept the defect
    assert refused.value.details[-1].startswith("source/small.md:16: lint: caption without a photo")
    assert refused.value.details[-1].endswith(
        f"(accept: bilingual review small --accept lint --segment {lint.segment} --note WHY)"
    )


def test_blockers_as_json_round_trip(half_done, project):
    with pytest.raises(gate.Refused) as refused:
        publish.build(Project.open(project))
    data = json.loads(report.blockers_json(refused.value.blockers))
    assert data["problems"] == sum(b["count"] for b in data["blockers"]) == len(refused.value.details)
    assert [gate.Blocker.from_dict(b) for b in data["blockers"]] == refused.value.blockers
    assert data["blockers"][1]["entries"][0]["segment"] == BODY


def test_a_draft_build_says_what_it_waived(half_done):
    result = half_done("build", "--draft")
    lines = result.stderr.splitlines()
    assert lines[0] == "small [en]: 7 segment(s) not ready, 22% translated"
    assert lines[1] == "small: 1 source defect(s) from lint not accepted, printed as received"
    assert lines[2:] and all(
        line.startswith(f"QA error (ignored in draft): translations/en/small.po: {BODY}  body      QA numbers: ")
        for line in lines[2:]
    )


def test_a_damaged_remembered_gate_is_worked_out_again(half_done, project):
    from workflow.core import cache

    half_done("build", code=1)
    memo = cache.load(project, "build")
    for entry in memo.values():
        entry["gate"] = [{"kind": "nonsense"}]
    cache.save(project, "build", memo)
    result = half_done("build", code=1)
    assert "QA numbers" in result.stderr and "untranslated" in result.stderr
