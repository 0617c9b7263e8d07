"""OmegaT in the loop: the project kit ``export --format omegat`` writes is
loaded and compiled by OmegaT 3.6 itself (console mode), and what OmegaT
writes (target files, ``project_save.tmx``) comes back through ``submit``."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest

from workflow.po import catalog, lifecycle, pofile

from .conftest import po_path
from .test_cat_clients import kit_with_a_suggestion

needs_omegat = pytest.mark.skipif(
    not shutil.which("omegat") or not shutil.which("java"), reason="OmegaT (Debian package omegat) is not installed"
)

PARAGRAPH = "第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"  # two sentences: one segment
HEADING = "第一部分"


def omegat(folder, tmp_path) -> str:
    """Run OmegaT's console translation on a project folder; its statistics."""
    home = tmp_path / "omegat-home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    proc = subprocess.run(
        ["omegat", str(folder), "--mode=console-translate"], capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return (folder / "omegat" / "project_stats.txt").read_text(encoding="utf-8")


def total_segments(stats: str) -> int:
    line = next(ln for ln in stats.splitlines() if ln.startswith("Total:"))
    return int(line.split("\t")[1])


def project_save(units, alternatives=()) -> str:
    """``omegat/project_save.tmx`` as OmegaT 3.6 writes it: (source, translation, note) units, and
    alternative translations (file, prev, next, source, translation)."""
    alts = "".join(
        f'    <tu>\n      <prop type="file">{name}</prop>\n      <prop type="prev">{prev}</prop>\n'
        f'      <prop type="next">{nxt}</prop>\n      <tuv lang="zh-CN">\n        <seg>{source}</seg>\n      </tuv>\n'
        f'      <tuv lang="en">\n        <seg>{target}</seg>\n      </tuv>\n    </tu>\n'
        for name, prev, nxt, source, target in alternatives
    )
    tus = "".join(
        "    <tu>\n"
        + (f"      <note>{note}</note>\n" if note else "")
        + f'      <tuv lang="zh-CN">\n        <seg>{source}</seg>\n      </tuv>\n'
        + f'      <tuv lang="en" changeid="alice" changedate="20260321T101500Z" creationid="alice" '
        f'creationdate="20260321T101500Z">\n        <seg>{target}</seg>\n      </tuv>\n    </tu>\n'
        for source, target, note in units
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n<tmx version="1.1">\n'
        '  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" '
        'creationtoolversion="3.6.0_10_unknown" segtype="paragraph" srclang="zh-CN"/>\n  <body>\n'
        f"<!-- Default translations -->\n{tus}<!-- Alternative translations -->\n{alts}  </body>\n</tmx>\n"
    )


def entry(root, source):
    return next(e for e in pofile.load(po_path(root), "x") if e.msgid == source)


@needs_omegat
def test_export_writes_a_project_omegat_loads_whole_paragraphs(run, project, tmp_path):
    run("extract")
    run("submit", "small", "--segment", catalog.entry_id(entry(project, "测试标题 一")), "--text", "Test Title One")
    folder = tmp_path / "small.omegat"
    assert "omegat" in run("export", "small", "--format", "omegat", "--out", folder).output
    settings = (folder / "omegat.project").read_text(encoding="utf-8")
    assert "<sentence_seg>false</sentence_seg>" in settings
    assert "<source_lang>zh-CN</source_lang>" in settings and "<target_lang>en</target_lang>" in settings
    assert (folder / "source" / "small.en.po").is_file() and (folder / "tm" / "memory.en.tmx").is_file()
    # the desk's memory, with the one translation, in tm/ (a reference, never tm/auto)
    assert "Test Title One" in (folder / "tm" / "memory.en.tmx").read_text(encoding="utf-8")
    assert not (folder / "tm" / "auto").exists()
    # the translator's work in OmegaT's project memory: a two-sentence paragraph and a note
    (folder / "omegat" / "project_save.tmx").write_text(
        project_save(
            [
                (
                    PARAGRAPH,
                    "First paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 3.5%.",
                    "check 亿",
                ),
                (HEADING, "Part One", ""),
            ]
        ),
        encoding="utf-8",
    )
    stats = omegat(folder, tmp_path)
    assert total_segments(stats) == 9  # every entry one segment, the PO header skipped (omegat/filters.xml)
    target = (folder / "target" / "small.en.po").read_text(encoding="utf-8")
    assert 'msgstr "First paragraph. Changsha' in target and 'msgstr "Test Title One"' in target
    result = run("submit", folder)
    assert "2 added, 0 changed" in result.output, result.output
    paragraph = entry(project, PARAGRAPH)
    assert lifecycle.state(paragraph) == "translated" and paragraph.msgstr.startswith("First paragraph.")
    assert lifecycle.note(paragraph, lifecycle.Note.TRANSLATOR) == "check 亿"
    assert entry(project, "测试标题 一").msgstr == "Test Title One"
    assert not entry(project, "小节导语").msgstr  # untranslated in OmegaT: still untranslated, never erased
    again = run("submit", folder)
    assert "0 added, 0 changed" in again.output
    # the same project as a zip (with its folder inside), as a translator mails it
    archive = tmp_path / "back.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, "small.omegat/" + path.relative_to(folder).as_posix())
    assert "0 added, 0 changed" in run("submit", archive).output
    # re-export refreshes the kit and keeps the translator's project memory
    run("export", "small", "--format", "omegat", "--out", folder)
    assert "check 亿" in (folder / "omegat" / "project_save.tmx").read_text(encoding="utf-8")


@needs_omegat
def test_a_rejected_text_filled_by_omegat_from_an_old_memory_is_refused(run, project, tmp_path):
    run("extract")
    sid = catalog.entry_id(entry(project, HEADING))
    run("submit", "small", "--segment", sid, "--text", "Part 1 OLD")
    run("review", "small", "--segment", sid, "--reject", "--note", "Spell it out: Part One", "--reviewer", "Rita")
    folder = tmp_path / "small.omegat"
    run("export", "small", "--format", "omegat", "--out", folder)
    # an older desk memory in OmegaT's tm/auto: OmegaT fills the segment with the rejected text
    (folder / "tm" / "auto").mkdir()
    (folder / "tm" / "auto" / "old.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" creationtoolversion="1" '
        'datatype="plaintext" segtype="paragraph" adminlang="en" srclang="zh-CN" o-tmf="x"/><body>'
        f'<tu><tuv xml:lang="zh-CN"><seg>{HEADING}</seg></tuv><tuv xml:lang="en"><seg>Part 1 OLD</seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    omegat(folder, tmp_path)
    assert 'msgstr "Part 1 OLD"' in (folder / "target" / "small.en.po").read_text(encoding="utf-8")
    result = run("submit", folder)
    assert "1 rejected" in result.output
    assert "rejected by Rita on 2026-03-21 (Spell it out: Part One); use --force" in result.output
    assert lifecycle.state(entry(project, HEADING)) == "fuzzy"
    assert "1 changed" in run("submit", folder, "--force").output
    assert lifecycle.state(entry(project, HEADING)) == "translated"


@needs_omegat
def test_an_unconfirmed_fuzzy_suggestion_comes_back_empty(run, project, tmp_path):
    """A PO kit's memory suggestion (fuzzy) is dropped by OmegaT's PO filter
    unless the translator confirms it: never stored as the translator's."""
    folder = tmp_path / "small.omegat"
    kit_with_a_suggestion(run, tmp_path, "omegat", folder)
    omegat(folder, tmp_path)
    result = run("submit", folder)
    assert "0 added, 0 changed" in result.output
    assert not entry(project, HEADING).msgstr


@needs_omegat
def test_our_xliff_kit_in_omegat_shows_targets_not_sources(run, project, tmp_path):
    """Why the docs send OmegaT users to --format omegat: OmegaT 3.6's
    XLIFF filter translates <target>, so untranslated units never show."""
    run("extract")
    run("submit", "small", "--segment", catalog.entry_id(entry(project, HEADING)), "--text", "Part One")
    omegat_kit = tmp_path / "kit.omegat"
    run("export", "small", "--format", "omegat", "--out", omegat_kit)
    shutil.rmtree(omegat_kit / "source")
    (omegat_kit / "source").mkdir()
    run("export", "small", "--format", "xliff", "--out", omegat_kit / "source" / "small.en.xlf")
    stats = omegat(omegat_kit, tmp_path)
    assert total_segments(stats) == 1  # only the one unit with a <target>, of nine
    docs = os.path.dirname(__file__) + "/../docs/kits.md"
    assert "--format omegat" in open(docs, encoding="utf-8").read()


@needs_omegat
def test_an_xliff_kit_prefilled_with_the_source_for_omegat_stores_no_chinese(run, project, tmp_path):
    """The workaround the docs advise against: targets pre-filled with the source so that OmegaT
    shows them.  What OmegaT writes back holds the untouched Chinese: refused row by row, never
    stored as a (fuzzy) translation."""
    from translate.storage import xliff as ttxliff

    run("extract")
    folder = tmp_path / "kit.omegat"
    run("export", "small", "--format", "omegat", "--out", folder)
    shutil.rmtree(folder / "source")
    (folder / "source").mkdir()
    kit = folder / "source" / "small.en.xlf"
    run("export", "small", "--format", "xliff", "--out", kit)
    store = ttxliff.xlifffile.parsefile(str(kit))
    for unit in store.getunits():
        unit.target = unit.source
    kit.write_bytes(bytes(store))
    (folder / "omegat" / "project_save.tmx").write_text(project_save([(HEADING, "Part One", "")]), encoding="utf-8")
    assert total_segments(omegat(folder, tmp_path)) == 9
    result = run("submit", folder / "target" / "small.en.xlf")
    assert "1 added, 0 changed, 0 unchanged, 0 stale, 8 rejected" in result.output
    assert "the translation is the Chinese source text, left untranslated" in result.output
    assert [e.msgstr for e in pofile.load(po_path(project), "x") if e.msgstr] == ["Part One"]


def test_not_a_project(run, project, tmp_path):
    run("extract")
    (tmp_path / "empty").mkdir()
    result = run("submit", tmp_path / "empty", code=3)
    assert "no omegat.project" in result.stderr
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 broken")
    assert "not a zip file" in run("submit", tmp_path / "bad.zip", code=3).stderr


@needs_omegat
def test_notes_of_an_omegat_project_memory_are_kept_in_the_memory_and_shown_with_the_match(run, project, tmp_path):
    run("extract")
    folder = tmp_path / "small.omegat"
    run("export", "small", "--format", "omegat", "--out", folder)
    (folder / "omegat" / "project_save.tmx").write_text(
        project_save([(HEADING, "Part One", "client: spell out")]), encoding="utf-8"
    )
    omegat(folder, tmp_path)  # OmegaT loads and saves its project memory
    saved = folder / "omegat" / "project_save.tmx"
    assert "client: spell out" in saved.read_text(encoding="utf-8")
    assert "1 added" in run("tm", "import", saved).output
    kit = tmp_path / "small.en.csv"
    run("export", "small", "--format", "csv", "--out", kit)
    assert "100% · Part One · note: client: spell out" in kit.read_text(encoding="utf-8-sig")
    run("export", "small", "--format", "po", "--out", tmp_path / "small.en.po")
    assert "#. Translation memory note: client: spell out" in (tmp_path / "small.en.po").read_text(encoding="utf-8")
    out = tmp_path / "memory.tmx"
    run("tm", "export", "--out", out)
    assert "<note>client: spell out</note>" in out.read_text(encoding="utf-8")


def test_an_alternative_translation_wins_where_omegat_keys_it(run, project, tmp_path):
    """Read back without OmegaT: the project memory's alternative (file, previous and next
    segment) is taken for that segment, the default translation elsewhere."""
    run("extract")
    folder = tmp_path / "small.omegat"
    run("export", "small", "--format", "omegat", "--out", folder)
    (folder / "omegat" / "project_save.tmx").write_text(
        project_save([(HEADING, "Part One", "")], [("small.en.po", PARAGRAPH, "小节导语", HEADING, "Part One, here")]),
        encoding="utf-8",
    )
    assert "1 added" in run("submit", folder).output
    assert entry(project, HEADING).msgstr == "Part One, here"


@needs_omegat
def test_the_shipped_article_goes_through_omegat_and_back_unchanged(run_shipped, shipped, tmp_path):
    """54 reviewed segments: OmegaT counts 54, none left, and the folder submitted back changes no byte."""
    folder = tmp_path / "shipped.omegat"
    run_shipped("export", "changsha-opening-up", "--format", "omegat", "--out", folder)
    glossary = (folder / "glossary" / "glossary.txt").read_text(encoding="utf-8")
    assert "习近平\tXi Jinping\t" in glossary
    stats = omegat(folder, tmp_path)
    remaining = next(ln for ln in stats.splitlines() if ln.startswith("Remaining:"))
    assert total_segments(stats) == 54 and int(remaining.split("\t")[1]) == 0
    po = shipped / "translations" / "en" / "changsha-opening-up.po"
    before = po.read_bytes()
    result = run_shipped("submit", folder)
    assert "0 added, 0 changed, 54 unchanged, 0 stale, 0 rejected" in result.output
    assert po.read_bytes() == before
