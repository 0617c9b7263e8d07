"""The translation memory: TMX in and out (with Translate Toolkit on the other
side), matching (context, exact, placeables, fuzzy, sentences), pretranslate,
analyze, kits with suggestions, incremental sync, concurrency, hostile files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from workflow.memory import index as memory_index
from workflow.memory import sentences as memory_sentences
from workflow.memory import store as memory
from workflow.po import catalog, lifecycle, pofile

from .conftest import ARTICLE, REPO, Run, po_path

FOLLOW_UP = """# 长沙外贸再创新高

长沙晚报全媒体记者 刘捷萍

2026年，长沙外贸进出口总值达3012.7亿元，同比增长4.8%，总量占全省53.1%，创历史新高；对非进出口突破303亿元，规模稳居中西部首位；201个世界500强布局长沙，为城市发展注入新动能……这份亮眼的成绩单，是长沙锚定“打造内陆地区改革开放高地”目标，两年来深耕开放、合作共赢的生动实践。

不靠边、不临海，长沙正以开放之姿，走向世界舞台中央。

科技创新是高质量发展的关键，绿色低碳则是新能源产业的鲜明底色。两年来，这家深耕锂离子电池正极材料的中德合资标杆，在新能源材料领域接连实现突破。

一段全新的文字，记者在现场看到了很多新的变化，没有任何以前的翻译可以参考。
"""


@pytest.fixture
def follow(shipped):
    """The shipped publication (translated and reviewed) plus a follow-up article that reuses it."""
    (shipped / "source" / "follow-up.md").write_text(FOLLOW_UP, encoding="utf-8")
    run = Run(shipped)
    run("extract", "follow-up")
    return run


def entries(root, article="follow-up"):
    return [e for e in pofile.load(po_path(root, article), "x") if not e.obsolete]


def by_source(root, start, article="follow-up"):
    return next(e for e in entries(root, article) if e.msgid.startswith(start))


# -- matching and pretranslate ---------------------------------------------------------------------------


def test_pretranslate_fills_exact_adapts_figures_leverages_sentences_and_leaves_new_text(follow, shipped):
    result = follow("pretranslate", "follow-up")
    assert "2 translated" in result.output and "2 fuzzy" in result.output and "2 without a match" in result.output
    byline = by_source(shipped, "长沙晚报全媒体记者")
    assert lifecycle.state(byline) == "translated" and byline.msgstr == "By Liu Jieping, Changsha Evening News"
    assert "Origin: memory-exact · 100% · changsha-opening-up:" in byline.tcomment
    assert lifecycle.seed(byline).origin is lifecycle.Origin.MEMORY_EXACT and lifecycle.unconfirmed(byline)
    figures = by_source(shipped, "2026年")
    assert lifecycle.state(figures) == "fuzzy" and "Origin: memory-fuzzy · 99%" in figures.tcomment
    assert "In 2026" in figures.msgstr and "301.27 billion yuan" in figures.msgstr and "4.8 percent" in figures.msgstr
    assert figures.previous_msgid.startswith("2025年，长沙外贸进出口总值达2875.4亿元")
    mixed = by_source(shipped, "科技创新")
    assert lifecycle.state(mixed) == "fuzzy" and mixed.msgstr.startswith("Innovation in science and technology")
    assert "Over the past two years" in mixed.msgstr
    assert by_source(shipped, "一段全新的文字").msgstr == ""
    assert not any(lifecycle.is_reviewed(e) for e in entries(shipped))  # never reviewed by the memory


def test_a_paragraph_of_sentences_from_two_paragraphs_whose_sides_split_unevenly_is_leveraged(follow, shipped):
    """Sub-segment leverage: the first sentence comes from a paragraph whose English has another number
    of sentences (the translator joined or split them): the aligner pairs them when the memory is indexed."""
    first, second = (
        "做强自贸区、中非经贸深度合作先行区核心平台，用好国家级展会载体。",
        "开放大潮涌星城，通江达海谱新篇。",
    )
    shipped_po = {e.msgid: e.msgstr for e in entries(shipped, ARTICLE)}
    zh, en = next((zh, en) for zh, en in shipped_po.items() if first in zh)
    assert zh != first and not memory_index._sentence_pairs(memory.normalize(zh), en)  # the sides split unevenly
    assert (first, "It will strengthen its core platforms") in [
        (a, b[:37]) for a, b in memory_sentences.aligned_pairs(memory.normalize(zh), en)
    ]
    assert next(zh for zh in shipped_po if second in zh) != second  # the other, a sentence of a paragraph too
    (shipped / "source" / "combined.md").write_text(f"# 组合\n\n{first}{second}\n", encoding="utf-8")
    follow("extract", "combined")
    follow("pretranslate", "combined")
    combined = by_source(shipped, first, "combined")
    assert lifecycle.state(combined) == "fuzzy" and "Origin: memory-fuzzy · 9" in combined.tcomment
    assert combined.msgstr.startswith("It will strengthen its core platforms")
    assert combined.msgstr.endswith("linked by river to the sea, is writing a new chapter.")


def test_pretranslate_never_touches_translated_fuzzy_or_reviewed_entries(follow, shipped):
    follow(
        "submit",
        "follow-up",
        "--segment",
        catalog.entry_id(by_source(shipped, "不靠边")),
        "--text",
        "Our own rendering.",
    )
    follow("pretranslate", "follow-up")
    assert by_source(shipped, "不靠边").msgstr == "Our own rendering."
    before = po_path(shipped, "follow-up").read_bytes()
    assert "0 translated, 0 fuzzy" in follow("pretranslate", "follow-up").output  # nothing untranslated is matched
    assert po_path(shipped, "follow-up").read_bytes() == before


def test_min_score_and_dry_run(follow, shipped):
    before = po_path(shipped, "follow-up").read_bytes()
    assert "dry run" in follow("pretranslate", "follow-up", "--dry-run").output
    assert po_path(shipped, "follow-up").read_bytes() == before
    assert "2 translated, 0 fuzzy" in follow("pretranslate", "follow-up", "--min-score", "100").output
    follow("pretranslate", "--min-score", "30", code=2)


def test_a_context_match_is_101_and_an_imported_exact_match_stays_fuzzy(tmp_path):
    con, _ = memory.open_index(tmp_path / "m.sqlite")
    memory.insert_units(
        con,
        "po:a",
        "en",
        [
            memory.MemoryUnit("上一段。", "Before.", "body", "a:1", "translated"),
            memory.MemoryUnit(
                "同一段文字。", "The same text.", "body", "a:2", "reviewed", prev="上一段。", next="下一段。"
            ),
            memory.MemoryUnit("导入的文字。", "Imported text.", "body", "x.tmx", "imported"),
        ],
    )
    tm = memory.Memory(con)
    context = tm.lookup(memory.Query("同一段文字。", "body", "上一段。", "下一段。"), "en")
    assert (context.score, context.kind, context.trusted) == (101, "context", True)
    assert tm.lookup(memory.Query("同一段文字。", "body", "别的。", "下一段。"), "en").score == 100
    imported = tm.lookup(memory.Query("导入的文字。", "body"), "en")
    assert imported.score == 100 and not imported.trusted  # pretranslate offers it as fuzzy
    caption = tm.lookup(memory.Query("同一段文字。", "caption"), "en")
    assert caption.score == 100  # exact is exact; a different role only breaks ties
    assert tm.lookup(memory.Query("完全无关的一句话，和记忆里任何内容都不相同。", "body"), "en") is None


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("长沙外贸进出口总值达2875.4亿元。", "长沙外贸进出口总值达3012.7亿元。", "301.27 billion yuan"),
        ("年产能达10万吨。", "年产能达12万吨。", "120,000 tonnes"),
        ("实际使用外资67.41亿美元。", "实际使用外资5.2亿美元。", "520 million US dollars"),
        ("3月17日，挖掘机焕然新生。", "4月2日，挖掘机焕然新生。", "April 2"),
    ],
)
def test_placeables_are_adapted_with_chinese_magnitudes(tmp_path, old, new, expected):
    english = {
        "长沙外贸进出口总值达2875.4亿元。": "Changsha's foreign trade reached 287.54 billion yuan.",
        "年产能达10万吨。": "Annual capacity reached 100,000 tonnes.",
        "实际使用外资67.41亿美元。": "Actual use of foreign capital was 6.741 billion US dollars.",
        "3月17日，挖掘机焕然新生。": "On March 17, the excavator was restored.",
    }[old]
    con, _ = memory.open_index(tmp_path / "m.sqlite")
    memory.insert_units(con, "po:a", "en", [memory.MemoryUnit(old, english, "body", "a:1", "reviewed")])
    match = memory.Memory(con).lookup(memory.Query(new, "body"), "en")
    assert match.kind == "placeables" and 95 <= match.score <= 99 and not match.trusted
    assert expected in match.target


def test_fuzzy_scores_fall_in_the_cat_bands(tmp_path):
    con, _ = memory.open_index(tmp_path / "m.sqlite")
    base = "湖南自贸区长沙片区在全国率先开展工程机械再制造体系改革，靶向破解三难。"
    memory.insert_units(
        con, "po:a", "en", [memory.MemoryUnit(base, "The Changsha Area pioneered a reform.", "body", "a:1", "reviewed")]
    )
    tm = memory.Memory(con)
    near = tm.lookup(memory.Query(base.replace("靶向", "精准"), "body"), "en")
    far = tm.lookup(memory.Query("湖南自贸区长沙片区开展了一些改革，效果明显，企业普遍欢迎。", "body"), "en")
    assert near.kind == "fuzzy" and memory.band(near.score) in ("85-94", "95-99")
    assert far is None or far.score < near.score
    assert [memory.band(s) for s in (101, 100, 99, 95, 90, 80, 60, 40, None)] == [
        "101",
        "100",
        "95-99",
        "95-99",
        "85-94",
        "75-84",
        "50-74",
        "none",
        "none",
    ]


# -- analyze -------------------------------------------------------------------------------------------------


def test_analyze_reports_bands_repetitions_and_work_to_translate(follow, shipped):
    (shipped / "source" / "follow-up-2.md").write_text(
        "# 另一篇\n\n不靠边、不临海，长沙正以开放之姿，走向世界舞台中央。\n", encoding="utf-8"
    )
    result = json.loads(follow("analyze", "follow-up", "follow-up-2", "--json").output)
    first, second = result["articles"]
    assert first["article"] == "follow-up" and set(first["bands"]) == set(memory.BANDS)
    assert first["bands"]["100"]["segments"] == 2 and first["bands"]["95-99"]["segments"] == 2
    assert first["bands"]["none"]["segments"] == 2
    assert second["repetitions"]["segments"] == 1  # the same paragraph earlier in the batch
    assert result["total"]["total"]["segments"] == 8
    assert result["total"]["to_translate"]["segments"] == 5
    assert "follow-up" in follow("analyze").output  # the text table


def test_status_shows_memory_matches_of_the_remaining_work(follow):
    out = follow("status", "follow-up", "--memory").output
    assert "memory: 4 of 6 remaining segment(s)" in out
    data = json.loads(follow("status", "follow-up", "--memory", "--json").output)
    assert data["memory"]["translations/en/follow-up.po"]["100"] == 2


def test_aligned_matches_are_shown_apart_in_status_and_analyze(follow, shipped, tmp_path):
    from workflow.kits import tmx

    line = FOLLOW_UP.splitlines()[-1]  # a paragraph the desk's own memory has nothing for
    tmx.write(
        tmp_path / "aligned.tmx",
        [
            tmx.TranslationUnit(
                line, "A new paragraph, aligned.", "a1", {"x-state": "aligned", "x-origin": "aligned · 0.91"}
            )
        ],
        "zh_CN",
        "en",
        "test",
    )
    follow("tm", "import", tmp_path / "aligned.tmx")
    out = follow("status", "follow-up", "--memory").output
    assert "memory: 5 of 6 remaining segment(s)" in out and "; 1 from aligned, unreviewed units)" in out
    data = json.loads(follow("status", "follow-up", "--memory", "--json").output)
    assert data["memory"]["translations/en/follow-up.po"]["aligned"] == 1
    analysis = json.loads(follow("analyze", "follow-up", "--json").output)["articles"][0]
    assert analysis["aligned"]["segments"] == 1 and analysis["bands"]["100"]["segments"] == 3
    table = follow("analyze", "follow-up").output
    assert "aligned" in table.splitlines()[0] and "aligned, unreviewed" in table


# -- kits carry suggestions ------------------------------------------------------------------------------------


def test_kits_carry_memory_suggestions(follow, shipped, tmp_path):
    for fmt, ext in (("xliff", "xlf"), ("po", "po"), ("csv", "csv"), ("docx", "docx")):
        follow("export", "follow-up", "--format", fmt, "--out", tmp_path / f"follow-up.en.{ext}")
    root = etree.parse(str(tmp_path / "follow-up.en.xlf")).getroot()
    alts = list(root.iter("{*}alt-trans"))
    assert len(alts) == 4 and {a.get("match-quality") for a in alts} == {"100", "99"}
    kit = pofile.load(tmp_path / "follow-up.en.po", "kit")
    fuzzy = [e for e in kit if "fuzzy" in e.flags]
    assert len(fuzzy) == 4 and all(e.previous_msgid for e in fuzzy)
    assert "301.27 billion" in (tmp_path / "follow-up.en.csv").read_text(encoding="utf-8-sig")
    table = docx.Document(tmp_path / "follow-up.en.docx").tables[0]
    assert table.rows[0].cells[5].text == "memory" and any("99% ·" in r.cells[5].text for r in table.rows)
    # the suggestions are never taken back as translations by submit
    follow("submit", tmp_path / "follow-up.en.csv")
    assert by_source(shipped, "2026年").msgstr == ""


# -- TMX in and out ---------------------------------------------------------------------------------------------


def test_tm_export_is_tmx_that_translate_toolkit_reads_and_imports_back(follow, shipped, tmp_path):
    out = tmp_path / "desk.tmx"
    assert "54 unit(s)" in follow("tm", "export", "--out", out).output
    root = etree.parse(str(out)).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4" and header.get("srclang") == "zh-CN" and header.get("segtype") == "paragraph"
    assert {header.get(a) for a in ("creationtool", "o-tmf", "adminlang", "datatype")} == {
        "bilingual",
        "en",
        "plaintext",
    }
    tu = root.find("body/tu")
    assert tu.get("tuid").startswith(ARTICLE) and tu.get("creationid") and tu.get("changedate")
    assert {p.get("type") for p in tu.findall("prop")} >= {"x-role", "x-article", "x-state"}
    from translate.storage import tmx

    store = tmx.tmxfile.parsefile(str(out))
    units = store.getunits()
    assert len(units) == 54 and any(
        u.source == "长沙晚报全媒体记者 刘捷萍" and u.target == "By Liu Jieping, Changsha Evening News" for u in units
    )
    fresh = tmp_path / "fresh"
    (fresh / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", fresh / "pyproject.toml")
    (fresh / "source" / "follow-up.md").write_text(FOLLOW_UP, encoding="utf-8")
    run = Run(fresh)
    run("extract")
    report = run("tm", "import", out).output
    assert "54 added, 0 duplicate(s), 0 skipped" in report and (fresh / "translations/memory/desk.tmx").is_file()
    assert "1 duplicate" not in run("tm", "import", out).output.replace("54 duplicate", "")
    run("pretranslate")
    byline = by_source(fresh, "长沙晚报全媒体记者")
    assert lifecycle.state(byline) == "fuzzy"  # imported units are offered, never taken as translations


@pytest.mark.skipif(not shutil.which("po2tmx"), reason="Translate Toolkit's po2tmx is not installed")
def test_a_tmx_written_by_po2tmx_is_imported(tmp_path, shipped):
    tmx_file = tmp_path / "po2tmx.tmx"
    subprocess.run(
        ["po2tmx", "--source-language=zh-CN", "-l", "en", "-i", str(po_path(shipped, ARTICLE)), "-o", str(tmx_file)],
        check=True,
        capture_output=True,
    )
    fresh = tmp_path / "fresh"
    (fresh / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", fresh / "pyproject.toml")
    (fresh / "source" / "a.md").write_text("# 牢记嘱托 跃马扬鞭\n", encoding="utf-8")
    run = Run(fresh)
    run("extract")
    assert "54 added" in run("tm", "import", tmx_file).output
    run("pretranslate")
    assert by_source(fresh, "牢记嘱托", "a").msgstr == "Keeping Xi’s Instructions in Mind, Changsha Gallops Ahead"


@pytest.mark.parametrize(
    "srclang,zh", [("zh-CN", "zh-CN"), ("en", "zh_CN"), ("ZH-CN", "ZH-CN"), ("zh", "zh-Hans"), ("*all*", "zh")]
)
def test_tmx_language_codes_in_any_direction(project, tmp_path, srclang, zh):
    tmx_file = tmp_path / "x.tmx"
    tmx_file.write_text(
        f'<?xml version="1.0"?><tmx version="1.4"><header srclang="{srclang}" creationtool="t" '
        'creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="t"/>'
        f'<body><tu><tuv xml:lang="en-US"><seg>Test Title One</seg></tuv><tuv xml:lang="{zh}">'
        '<seg>测试标题 一</seg></tuv></tu><tu><tuv xml:lang="fr"><seg>Un</seg></tuv>'
        f'<tuv xml:lang="{zh}"><seg>一</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    run = Run(project)
    run("extract")
    out = run("tm", "import", tmx_file).output
    assert "1 added" in out and "skipped 1: no <tuv> in en" in out
    run("pretranslate")
    assert by_source(project, "测试标题", "small").msgstr == "Test Title One"


def test_po_xliff_and_csv_files_are_imported_too(project, tmp_path, shipped):
    run = Run(project)
    run("extract")
    shutil.copy(po_path(shipped, ARTICLE), tmp_path / "old.po")
    (tmp_path / "terms.csv").write_text(
        "source;target;role\n测试标题 一;Test Title One;title\n第一部分;;heading\n", encoding="utf-8"
    )
    out = run("tm", "import", tmp_path / "old.po", tmp_path / "terms.csv").output
    assert "old.po: 54 added" in out and "terms.csv: 1 added" in out and "skipped 1: empty" in out
    kit = tmp_path / "small.en.xlf"
    run("export", "small", "--format", "xliff", "--out", kit)
    out = run("tm", "import", kit).output
    assert "0 added" in out and "skipped 9: untranslated" in out


# -- keeping in step, concurrency, hostile files ---------------------------------------------------------------


def test_the_memory_follows_the_translations_by_content(follow, shipped):
    follow("analyze", "follow-up")
    index = shipped / ".bilingual-cache" / "memory.sqlite"
    con = sqlite3.connect(str(index))
    ids = con.execute("SELECT min(id), max(id) FROM units").fetchone()
    con.close()
    path = po_path(shipped, ARTICLE)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # touched, not changed
    follow("analyze", "follow-up")
    con = sqlite3.connect(str(index))
    assert con.execute("SELECT min(id), max(id) FROM units").fetchone() == ids  # not re-indexed
    con.close()
    sid = catalog.entry_id(by_source(shipped, "一段全新的文字"))
    follow("submit", "follow-up", "--segment", sid, "--text", "A brand-new paragraph.")
    (shipped / "source" / "third.md").write_text("# 第三篇\n\n" + FOLLOW_UP.splitlines()[-1] + "\n", encoding="utf-8")
    follow("extract", "third")
    follow("pretranslate", "third")
    assert by_source(shipped, "一段全新的文字", "third").msgstr == "A brand-new paragraph."


def test_a_corrupt_or_foreign_index_is_rebuilt_with_a_warning(follow, shipped):
    follow("analyze", "follow-up")
    index = shipped / ".bilingual-cache" / "memory.sqlite"
    for suffix in ("-wal", "-shm"):
        (shipped / ".bilingual-cache" / f"memory.sqlite{suffix}").unlink(missing_ok=True)
    index.write_bytes(b"this is not a database" * 100)
    result = follow("pretranslate", "follow-up")
    assert "rebuilt" in result.stderr and "2 translated" in result.output


@pytest.mark.parametrize(
    "content,expected",
    [
        (
            b'<?xml version="1.0"?><tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>x</seg></tu></body>',
            "not well-formed TMX",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><tmx version="1.4"><body/>'
            b"</tmx>",
            "entity declarations",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tmx><body><tu>'
            b'<tuv xml:lang="zh"><seg>&x;</seg></tuv></tu></body></tmx>',
            "entity declarations",
        ),
        (b"<html><body/></html>", "not a TMX file"),
        (b"\x00\x01 not xml", "not well-formed TMX"),
    ],
)
def test_hostile_memory_files_are_refused_and_nothing_is_written(project, tmp_path, content, expected):
    run = Run(project)
    run("extract")
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(content)
    result = run("tm", "import", bad, code=3)
    assert expected in result.stderr and "Traceback" not in result.stderr and "bad.tmx" in result.stderr
    assert not (project / "translations" / "memory").exists()
    assert "passwd" not in result.stderr and "root:" not in result.stderr


def _bilingual(root, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "workflow", "--root", str(root), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_two_pretranslates_and_an_import_at_once_lose_nothing(follow, shipped, tmp_path):
    (shipped / "source" / "third.md").write_text(FOLLOW_UP.replace("长沙外贸再创新高", "第三篇"), encoding="utf-8")
    follow("extract", "third")
    tmx_file = tmp_path / "extra.tmx"
    tmx_file.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="zh-CN"/><body><tu>'
        '<tuv xml:lang="zh-CN"><seg>一段全新的文字，记者在现场看到了很多新的变化，没有任何以前的翻译可以参考。</seg></tuv>'
        '<tuv xml:lang="en"><seg>A new paragraph from the archive.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    procs = [
        _bilingual(shipped, "pretranslate", "follow-up"),
        _bilingual(shipped, "pretranslate", "third"),
        _bilingual(shipped, "tm", "import", tmx_file),
    ]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(code == 0 for *_, code in results), results
    for article in ("follow-up", "third"):
        assert by_source(shipped, "长沙晚报全媒体记者", article).msgstr == "By Liu Jieping, Changsha Evening News"
        assert by_source(shipped, "2026年", article).msgstr  # filled exactly once, whichever ran first
    con = sqlite3.connect(str(shipped / ".bilingual-cache" / "memory.sqlite"))
    assert (
        con.execute("SELECT count(*) FROM units WHERE target = 'A new paragraph from the archive.'").fetchone()[0] == 1
    )
    con.close()


# -- format codes as placeables (measured on the Wagtail drift: benchmarks/memory_bench.py) --------------


def _memory_of(tmp_path, pairs):
    con, _ = memory.open_index(tmp_path / "codes.sqlite")
    memory.insert_units(
        con, "po:a", "en", [memory.MemoryUnit(zh, en, "", f"a:{i}", "translated") for i, (zh, en) in enumerate(pairs)]
    )
    return memory.Memory(con)


def test_strings_that_differ_only_by_format_codes_are_placeable_matches_with_the_codes_renamed(tmp_path):
    tm = _memory_of(
        tmp_path,
        [
            ("页面 '{0}'已解锁。", "Page '{0}' unlocked."),
            ("确认将此页面移到'%(title)s'？", "Move this page to '%(title)s'?"),
        ],
    )
    match = tm.lookup(memory.Query("页面 '%(page_title)s'已解锁。"), "en")
    assert match.kind == "placeables" and 95 <= match.score <= 99 and not match.trusted
    assert match.target == "Page '%(page_title)s' unlocked."
    # a string that only shares a code's letters is no match worth offering
    assert tm.lookup(memory.Query("页面'%(page_title)s'已创建"), "en", memory.SUGGESTION_FLOOR) is None


def test_a_fuzzy_match_gets_the_new_strings_codes_when_they_pair_up(tmp_path):
    tm = _memory_of(tmp_path, [("日志动作“{}”未被注册", "Log action '{}' is not registered")])
    match = tm.lookup(memory.Query("日志动作“%(action_name)s”未被注册。"), "en")
    assert match.target == "Log action '%(action_name)s' is not registered" and match.adapted


@given(st.lists(st.from_regex(r"%\([a-z_]{1,8}\)s|\{[0-9]\}|%s|%d", fullmatch=True), min_size=1, max_size=4))
def test_renamed_codes_are_the_new_sources_in_order(codes):
    from workflow.lang.placeables import FORMAT_CODE, substitute_codes

    old = [f"{{{i}}}" for i in range(len(codes))]
    source_old = "，".join(f"项目{c}" for c in old)
    target_old = " and ".join(f"item {c}" for c in old)
    renamed = substitute_codes(source_old, target_old, "，".join(f"项目{c}" for c in codes))
    if codes == old:
        assert renamed is None  # nothing to rename
    else:
        assert FORMAT_CODE.findall(renamed) == codes and renamed.startswith("item ")


def _many_units(tmp_path, name, monkeypatch, optimize_after):
    """Units whose sources share many trigrams, indexed in several imports."""
    monkeypatch.setattr(memory_index, "OPTIMIZE_AFTER", optimize_after)
    con, _ = memory.open_index(tmp_path / name)
    words = ["长沙", "外贸", "进出口", "总值", "同比", "增长", "新能源", "材料", "改革", "开放"]
    for batch in range(4):
        memory.insert_units(
            con,
            f"po:{batch}",
            "en",
            [
                memory.MemoryUnit(
                    "".join(words[(i * 7 + j * 3 + batch) % len(words)] for j in range(6)) + f"第{i}条",
                    f"unit {batch}-{i}",
                    "body",
                    f"{batch}:{i}",
                    "translated",
                )
                for i in range(60)
            ],
        )
    con.commit()
    return memory.Memory(con)


def test_merging_the_trigram_index_changes_no_lookup(tmp_path, monkeypatch):
    merged = _many_units(tmp_path, "merged.sqlite", monkeypatch, 1)
    segmented = _many_units(tmp_path, "segments.sqlite", monkeypatch, 10**9)
    assert (
        merged.con.execute("SELECT count(*) FROM units_fts_data").fetchone()[0]
        < segmented.con.execute("SELECT count(*) FROM units_fts_data").fetchone()[0]
    )
    sources = [r[0] for r in merged.con.execute("SELECT norm FROM units ORDER BY id LIMIT 20")]
    queries = [source[:3] + "新" + source[4:] for source in sources]  # a character changed
    found = [
        [(m.score, m.source, m.target) for m in (tm.lookup(memory.Query(q, "body"), "en") for q in queries)]
        for tm in (merged, segmented)
    ]
    assert found[0] == found[1] and all(score >= 75 for score, _, _ in found[0])


def test_a_paragraph_of_hundreds_of_trigrams_is_found_fuzzily(tmp_path):
    long = "".join(f"长沙片区第{i}项改革措施落地见效，企业办事时间缩短{i}成。" for i in range(20))
    assert len(long) > 500
    con, _ = memory.open_index(tmp_path / "long.sqlite")
    memory.insert_units(
        con,
        "po:a",
        "en",
        [
            memory.MemoryUnit(long, "Twenty reforms.", "body", "a:1", "translated"),
            memory.MemoryUnit(long[:200], "Some reforms.", "body", "a:2", "translated"),
        ],
    )
    found = memory.Memory(con).lookup(memory.Query(long.replace("企业", "公司", 3), "body"), "en")
    assert found is not None and found.target == "Twenty reforms." and found.score >= 90


# -- short strings, punctuation styles, the index's layout (benchmarks/memory_bench.py) ----------------------


def test_a_short_string_finds_the_longer_unit_that_holds_it_not_a_part_of_itself(tmp_path):
    tm = _memory_of(tmp_path, [("清除选择", "Clear choice"), ("预览", "Preview"), ("过滤器", "Filter")])
    clear = tm.lookup(memory.Query("清除"), "en", memory.SUGGESTION_FLOOR)  # two characters: no trigram at all
    assert clear is not None and clear.target == "Clear choice" and clear.kind == "fuzzy"
    assert tm.lookup(memory.Query("过滤"), "en", memory.SUGGESTION_FLOOR).target == "Filter"
    # a unit that is only a part of the new string lacks a word of it: not offered
    assert tm.lookup(memory.Query("平板预览"), "en", memory.SUGGESTION_FLOOR) is None


def test_punctuation_styles_are_compared_folded(tmp_path):
    tm = _memory_of(tmp_path, [("无法找到源码目录 (%s)", "Cannot find source directory (%s)")])
    folded = tm.lookup(memory.Query("无法找到源码目录（%s）"), "en")
    assert folded.kind == "fuzzy" and folded.score == 99 and folded.target == "Cannot find source directory (%s)"
    assert memory.punctuation_folded("正在写入输出……") == memory.punctuation_folded("正在写入输出... ")


def test_an_index_of_an_older_layout_is_rebuilt(follow, shipped):
    follow("analyze", "follow-up")
    index = shipped / ".bilingual-cache" / "memory.sqlite"
    con = sqlite3.connect(index)
    con.execute("DROP INDEX units_length")
    con.execute(f"PRAGMA user_version={memory.SCHEMA - 1}")
    con.commit()
    con.close()
    result = follow("pretranslate", "follow-up")
    assert "rebuilt" in result.stderr and f"layout {memory.SCHEMA - 1}" in result.stderr
    assert "2 translated" in result.output
    con = sqlite3.connect(index)
    assert con.execute("PRAGMA user_version").fetchone()[0] == memory.SCHEMA
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'units_length'").fetchone()[0] == 1


# -- incremental sync is a fresh rebuild (the order files were indexed in does not matter) ------------------

_SOURCES = ["长沙外贸再创新高。", "对非进出口突破303亿元。", "不靠边、不临海。", "绿色低碳是底色。"]


def _index_rows(con) -> list[tuple]:
    units = con.execute(
        "SELECT collection, lang, coalesce(source, norm), target, role, origin, state, prev, next, provenance "
        "FROM units ORDER BY 1, 3, 4, 6"
    ).fetchall()
    sentences = con.execute(
        "SELECT u.collection, s.norm, s.target FROM sents s JOIN units u ON u.id = s.unit ORDER BY 1, 2, 3"
    ).fetchall()
    return units + sentences


def _write_state(root, project_targets, imported, tick):
    import polib

    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for i, (zh, en) in enumerate(zip(_SOURCES, project_targets)):
        po.append(polib.POEntry(msgid=zh, msgstr=en, msgctxt="body", comment=f"id: s{i}"))
    folder = root / "translations" / "en"
    folder.mkdir(parents=True, exist_ok=True)
    po.save(str(folder / "a.po"))
    memory_folder = root / "translations" / "memory"
    memory_folder.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"{_SOURCES[i]},{en}\n" for i, en in imported)
    (memory_folder / "desk.csv").write_text("source,target\n" + rows, encoding="utf-8")
    for path in (folder / "a.po", memory_folder / "desk.csv"):
        os.utime(path, ns=(tick, tick))  # a new time each step: sync never skips a changed file


_TARGET = st.sampled_from(["", "Trade.", "Africa.", "Green."])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(_TARGET, min_size=4, max_size=4),
            st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["Trade.", "Africa.", "Inland."])), max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_an_index_kept_in_step_is_the_index_built_afresh(steps):
    import tempfile

    from workflow.core.project import Project

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[tool.bilingual]\ntarget_languages = ["en"]\n', encoding="utf-8")
        for n, (targets, imported) in enumerate(steps):
            _write_state(root, targets, imported, 10**18 + n * 10**9)
            kept = memory.open_memory(Project.open(root))
            rows = _index_rows(kept.con)
            lookups = [kept.lookup(memory.Query(zh, "body"), "en") for zh in _SOURCES]
            kept.close()
            fresh_con, _ = memory.open_index(root / "fresh.sqlite")
            memory.sync(fresh_con, Project.open(root))
            fresh = memory.Memory(fresh_con)
            assert rows == _index_rows(fresh_con)
            assert [m and (m.score, m.target) for m in lookups] == [
                m and (m.score, m.target) for m in (fresh.lookup(memory.Query(zh, "body"), "en") for zh in _SOURCES)
            ]
            fresh.close()
            memory.discard_index(root / "fresh.sqlite")


def test_context_breaks_a_tie_between_equal_fuzzy_matches(tmp_path):
    con, _ = memory.open_index(tmp_path / "m.sqlite")
    old = "长沙片区今年新增企业三千二百家。"
    memory.insert_units(
        con,
        "po:a",
        "en",
        [
            memory.MemoryUnit(
                old, "Elsewhere: 3,200 new companies.", "body", "b:1", "translated", prev="别的段落。", next="另一段。"
            ),
            memory.MemoryUnit(
                old, "In the Area: 3,200 new companies.", "body", "a:2", "translated", prev="上一段。", next="下一段。"
            ),
            memory.MemoryUnit(old, "Newest: 3,200 new companies.", "body", "c:1", "translated", prev="", next=""),
        ],
    )
    tm = memory.Memory(con)
    new = old.replace("今年", "本年")
    assert tm.lookup(memory.Query(new, "body", "上一段。", "下一段。"), "en").target.startswith("In the Area")
    assert tm.lookup(memory.Query(new, "body", "别的段落。", ""), "en").target.startswith("Elsewhere")
    assert tm.lookup(memory.Query(new, "body"), "en").score == 93  # no context: one of the three, as good


def test_a_fuzzy_match_gets_the_new_sources_figures(tmp_path):
    tm = _memory_of(
        tmp_path,
        [
            (
                "长沙外贸进出口总值达2875.4亿元，同比增长3.5%，创历史新高。",
                "Foreign trade reached a record 287.54 billion yuan, up 3.5 percent.",
            )
        ],
    )
    match = tm.lookup(memory.Query("长沙外贸进出口总额达3012.7亿元，同比增长4.8%，再创新高。"), "en")
    assert match.kind == "fuzzy" and match.adapted and not match.trusted
    assert match.target == "Foreign trade reached a record 301.27 billion yuan, up 4.8 percent."
