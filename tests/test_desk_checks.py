"""The checks of a professional desk's pre-delivery tools (Xbench level):
markup parity, links, URLs, e-mail addresses, codes, Latin-script names,
spelling, the desk's own checklist.  Each: a failing and a passing case."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from workflow.lang import numbers, spelling
from workflow.lang.glossary import Glossary, Term
from workflow.qa import parity
from workflow.qa.checks import Pair, run_checks

from .conftest import PYPROJECT, po_path
from .conftest import REPO as _REPO
from .test_cli import one_line_error


def found(source, target, only, **kw):
    return [
        (f.severity, f.message)
        for f in run_checks([Pair("s1", "body", source, target)], Glossary([]), "a", "en", {only}, **kw)
    ]


SRC_MD = "**注意**：请见[通知](https://news.example.cn/a/1)。"
GOOD_MD = "**Note**: see the [notice](https://news.example.cn/a/1)."


@pytest.mark.parametrize(
    "target, severity, words",
    [
        ("**Note: see the [notice](https://news.example.cn/a/1).", "error", "unclosed '**'"),  # an unclosed **
        ("Note: see the [notice](https://news.example.cn/a/1).", "warning", "bold"),  # bold dropped
        ("*Note*: see the [notice](https://news.example.cn/a/1).", "warning", "emphasis"),  # bold turned into emphasis
        ("**Note**: see the [notice](https://news.example.cn/a/2).", "error", "changed to"),  # a changed URL
        ("**Note**: see the notice.", "error", "lost"),  # a lost link
    ],
)
def test_markup_defects(target, severity, words):
    fs = found(SRC_MD, target, "markup")
    assert any(s == severity and words in m for s, m in fs), fs


def test_markup_kept_passes():
    assert found(SRC_MD, GOOD_MD, "markup") == []
    assert found("*强调*的文字，3 * 4 = 12。", "*Emphasised* text, 3 * 4 = 12.", "markup") == []
    assert found("代码`x = 1`不变。", "The code `x = 1` is unchanged.", "markup") == []
    assert found("代码`x = 1`不变。", "The code `x = 2` is unchanged.", "markup")[0][0] == "error"


def test_urls_and_e_mail_addresses_are_kept():
    src = "详情见www.xinhuanet.com，或致信news@xinhua.org。"
    assert found(src, "See www.xinhuanet.com or write to news@xinhua.org.", "urls") == []
    assert [s for s, _ in found(src, "See www.xinhuanet.com or write to news@xinhua.com.", "urls")] == [
        "error",
        "warning",
    ]
    assert found(src, "See www.xinhua.com or write to news@xinhua.org.", "urls")[0][0] == "error"


@pytest.mark.parametrize(
    "source, right, wrong",
    [
        ("Aventador LP700-4亮相。", "The Aventador LP700-4 was unveiled.", "The Aventador LP700-3 was unveiled."),
        ("年龄段为U6至U18。", "Ages range from U6 to U18.", "Ages range from U6 to U16."),
        ("已经安装了windows11。", "Windows 11 has been installed.", "Windows 10 has been installed."),
    ],
)
def test_codes_are_kept(source, right, wrong):
    assert found(source, right, "codes") == []
    assert found(source, wrong, "codes")[0][0] == "error"


def test_latin_names_are_kept():
    assert found("元气森林与FoodBev Media合作。", "Genki Forest works with FoodBev Media.", "latin") == []
    assert found("下载苏宁易购App。", "Download the Suning app.", "latin") == []  # case is free
    assert found("我 order 了", "I placed an order", "latin") == []  # a lower-case word may be translated
    assert found("元气森林与FoodBev Media合作。", "Genki Forest works with FoodVev Media.", "latin")[0][0] == "error"


needs_dictionary = pytest.mark.skipif(
    not spelling.available(), reason="no en_US Hunspell dictionary (apt hunspell-en-us)"
)


@needs_dictionary
def test_a_misspelt_common_word_is_found_and_names_are_not():
    fs = found("我们昨天收到了货。", "We recieved the goods yesterday from Zhangting Village.", "spell")
    assert [s for s, _ in fs] == ["warning"] and "recieved" in fs[0][1] and "Zhangting" not in fs[0][1]
    assert found("我们昨天收到了货。", "We received the goods yesterday.", "spell") == []


@needs_dictionary
def test_the_word_list_and_the_glossary_are_never_flagged():
    target = "The excavators were remanufactured at the gymnocypris hatchery."
    assert found("挖掘机再制造。", target, "spell")  # two words the dictionary lacks
    assert found("挖掘机再制造。", target, "spell", words=spelling.read_word_list("remanufactured\ngymnocypris")) == []
    glossary = Glossary([Term("再制造", "remanufactured", "standard"), Term("裸鲤", "gymnocypris", "name")])
    fs = run_checks([Pair("s1", "body", "挖掘机再制造。", target)], glossary, "a", "en", {"spell"})
    assert fs == []


def test_the_desk_checklist():
    rules = (("\\bin order to\\b", "write 'to'", "warning", ""), ("\\bRMB\\b", "write yuan", "error", "元"))
    assert found("为了降低成本。", "It did so in order to cut costs.", "checklist", checklist=rules) == [
        ("warning", "write 'to' ('in order to')")
    ]
    assert found("为了降低成本。", "It did so to cut costs.", "checklist", checklist=rules) == []
    assert found("收入100元。", "It earned RMB 100.", "checklist", checklist=rules)[0][0] == "error"
    assert (
        found("人民币汇率。", "The RMB exchange rate.", "checklist", checklist=rules) == []
    )  # the rule's source does not match


# -- through the CLI: the configuration, the word list, the report, lint, project-wide consistency ----


def _translate(po, english):
    """Fill every entry of ``po`` with ``english(source)`` (polib: the reference PO library)."""
    import polib

    cat = polib.pofile(str(po))
    for entry in cat:
        entry.msgstr = english(entry.msgid)
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    cat.save(str(po))


def test_a_bad_checklist_is_an_input_error(run, project):
    (project / "pyproject.toml").write_text(
        PYPROJECT + '[[tool.bilingual.checklist]]\npattern = "(unclosed"\nmessage = "x"\n', encoding="utf-8"
    )
    one_line_error(
        run("check", code=3), "pyproject.toml", "checklist rule 1: pattern is not a valid regular expression"
    )
    (project / "pyproject.toml").write_text(
        PYPROJECT + '[[tool.bilingual.checklist]]\npattern = "x"\nmessage = "x"\nseverity = "fatal"\n', encoding="utf-8"
    )
    one_line_error(run("check", code=3), "severity must be one of error, warning, info")


def test_the_checklist_and_the_report_through_the_cli(run, project, tmp_path):
    (project / "pyproject.toml").write_text(
        PYPROJECT + '[[tool.bilingual.checklist]]\npattern = "\\\\bRMB\\\\b"\n'
        'message = "write yuan"\nseverity = "error"\n',
        encoding="utf-8",
    )
    run("extract")
    _translate(
        po_path(project),
        lambda src: (
            "The figure is RMB 2,875.4 billion <b>&</b>."
            if "2875.4" in src
            else f"English for {len(src)} characters of text here."
        ),
    )
    result = run("check", "--report", tmp_path / "qa.html", code=1)
    assert "checklist: write yuan ('RMB')" in result.output
    page = (tmp_path / "qa.html").read_bytes()
    doc = lxml_html.fromstring(page)
    rows = [[td.text_content() for td in tr.findall("td")] for tr in doc.iter("tr") if tr.findall("td")]
    mine = [r for r in rows if len(r) == 7 and r[3] == "checklist"]
    assert mine and mine[0][2] == "error" and "2875.4亿元" in mine[0][5] and "<b>&</b>" in mine[0][6]
    assert b"&lt;b&gt;&amp;&lt;/b&gt;" in page  # the translation is text, not markup
    run("check", "--report", tmp_path / "again.html", code=1)
    assert (tmp_path / "again.html").read_bytes() == page  # the same findings, the same bytes
    # the report is never written over the project's own files
    refused = run("check", "--report", project / "pyproject.toml", code=2)
    assert "refusing to write there" in refused.output + refused.stderr
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    one_line_error(
        run("check", "--report", tmp_path / "a-file" / "qa.html", code=3), "a-file", "cannot write the report"
    )


def test_the_report_opens_in_a_browser(run, project, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip("chromium is not installed")
    run("extract")
    _translate(po_path(project), lambda src: "Teh figure.")
    run("check", "--report", tmp_path / "qa.html", code=1)
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", (tmp_path / "qa.html").as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert "<h1>QA report: Test</h1>" in dom and "error(s)" in dom and "测试标题" in dom


def test_the_word_list_is_read_and_named_in_errors(run, project):
    if not spelling.available():
        pytest.skip("no en_US Hunspell dictionary")
    run("extract")
    _translate(po_path(project), lambda src: "The gymnocypris swim.")
    assert "spell: spelling: 'gymnocypris'" in run("check", code=1).output
    (project / "translations" / "wordlist.txt").write_text("gymnocypris  # a genus of carp\n", encoding="utf-8")
    assert "spell" not in run("check", code=1).output
    (project / "pyproject.toml").write_text(PYPROJECT + 'word_list = "words/missing.txt"\n', encoding="utf-8")
    one_line_error(run("check", code=3), "words/missing.txt", "does not exist")


def test_project_wide_consistency_both_ways(run, project):
    (project / "source" / "second.md").write_text(
        "# 第二篇\n\n第二段正文，讲述巴斯夫杉杉的故事。\n\n另一段完全不同的正文内容。\n", encoding="utf-8"
    )
    run("extract")
    story = "The second paragraph tells the story of BASF Shanshan."
    _translate(
        po_path(project), lambda src: story if "巴斯夫杉杉的故事" in src else f"English text number {len(src)} here."
    )
    _translate(
        po_path(project, "second"),
        lambda src: (
            "The second paragraph tells BASF Shanshan's story."
            if "巴斯夫杉杉的故事" in src
            else story
            if "完全不同" in src
            else "The second one."
        ),
    )
    out = run("check", "--only", "project-consistency", code=0).output
    # articles in project order: second.md is the first use, small.md disagrees with it
    assert "small:" in out and "the same source is translated differently in second:" in out
    assert "the same translation is given to another source in second:" in out
    assert "0 error(s), 2 warning(s)" in out
    # both agree: nothing to report
    _translate(
        po_path(project, "second"),
        lambda src: story if "巴斯夫杉杉的故事" in src else f"Another text, {len(src)} long.",
    )
    assert "0 error(s), 0 warning(s)" in run("check", "--only", "project-consistency").output


def test_lint_takes_bold_label_lines_for_what_they_are(run, project):
    (project / "source" / "labels.md").write_text(
        "# 题\n\n**注意**：请带好证件\n\n**第一章 总则**\n\n**提示：** 早点到\n\n第一句话说到一半，\n\n被排版切断了。\n",
        encoding="utf-8",
    )
    out = run("lint", "labels", code=1).output
    assert "1 suspected defect(s)" in out and "labels.md:9: ends with '，'" in out


# -- parsers: property tests ---------------------------------------------------------------------------


_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """n (1 ≤ n < 10⁸) written the standard way: 12 → 十二, 305 → 三百零五, 20000 → 二万."""

    def below_10000(k: int, lead: bool) -> str:
        out, zero = "", False
        for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d = k // size % 10
            if d:
                if zero and out:
                    out += "零"
                out += ("" if (d == 1 and unit == "十" and not out and lead) else _DIGITS[d]) + unit
                zero = False
            elif out:
                zero = True
        return out

    high, low = divmod(n, 10000)
    if not high:
        return below_10000(low, True)
    text = below_10000(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10000(low, False)
    return text


@given(st.integers(min_value=1, max_value=99_999_999))
@settings(max_examples=300, deadline=None)
def test_chinese_numerals_read_back(n):
    text = _chinese(n)
    assert numbers._parse_cn(text) == n, text
    assert n in numbers.chinese_numeral_values(f"共{text}人")


@given(
    st.text(alphabet=st.sampled_from(list("*_[]()`<>!# \nab中文。，“”https://x.y@z.cn12")), max_size=80),
    st.text(alphabet=st.sampled_from(list("*_[]()`<>!# \nab。“”'https://x.y@z.cn12")), max_size=80),
)
@settings(max_examples=300, deadline=None)
def test_the_parity_checks_never_fail_on_any_text(source, target):
    for check in parity.CHECKS.values():
        for severity, message in check(source, target):
            assert severity in ("error", "warning") and message
    assert found(source, target, "spell") is not None
    assert parity.markup(source, source) is not None and not [
        m for m in parity.markup(source, source) if m[0] == "error"
    ]


def test_a_false_positive_of_a_new_rule_stays_accepted(run, project):
    if not spelling.available():
        pytest.skip("no en_US Hunspell dictionary")
    run("extract")
    _translate(po_path(project), lambda src: f"The gymnocypris swim, {len(src)} of them.")
    out = run("check", "--json", code=1).output
    import json

    spelt = [f for f in json.loads(out)["findings"] if f["check"] == "spell"]
    assert spelt
    sid = spelt[0]["segment"]
    run("review", "small", "--segment", sid, "--accept", "spell", "--note", "a genus of carp, spelt right")
    for _ in range(2):  # and on the next run, from the memo
        again = [f for f in json.loads(run("check", "--json", code=1).output)["findings"] if f["check"] == "spell"]
        assert sid not in {f["segment"] for f in again} and len(again) == len(spelt) - 1


@needs_dictionary
def test_the_quick_reading_of_the_dictionary_agrees_with_spylls():
    """The .dic/.aff reading that spares loading spylls for known words never says yes where
    Hunspell (spylls) says no, nor no where it says yes, on the shipped English and hard cases."""
    import re

    from workflow.po.pofile import load

    text = " ".join(e.msgstr for e in load(REPO_PO, "po") if e.msgstr)
    words = sorted({w for w in re.findall(r"[a-z]+(?:'[a-z]+)?", text.replace("’", "'")) if len(w) > 2})
    words += [
        "recieved",
        "teh",
        "reopened",
        "unhappiness",
        "disconnected",
        "colour",
        "organisation",
        "hospitalised",
        "happyness",
        "writed",
        "runned",
        "children",
        "geese",
        "goodest",
        "reconsidering",
        "disapproves",
    ]
    d = spelling._dictionary()
    assert [w for w in words if spelling._quick_known(w) != bool(d.lookup(w))] == []


REPO_PO = _REPO / "translations" / "en" / "changsha-opening-up.po"
