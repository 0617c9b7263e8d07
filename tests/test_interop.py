"""Where the tool meets real clients and real mistakes: one test per row of
the hardening table (Word with Track Changes, CAT-tool XLIFF, Poedit,
rewrapping tools, spreadsheets, and the ordinary mistakes of a desk).
Each asserts what users get now; each failed on the earlier behaviour."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys

import docx
import polib
import pytest
from docx.oxml.ns import qn
from lxml import etree

from workflow.po import catalog, lifecycle, pofile

from .conftest import REPO, one_line_error, po_path

KIT_TEXT = {
    "测试标题 一": "Test Title One",
    "第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。": "First paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 3.5 percent.",
}


def load(root):
    return pofile.load(po_path(root), "x")


def entry(root, msgid):
    return next(e for e in load(root) if e.msgid == msgid)


def snapshot(root):
    """Every file of the project, with its bytes (to prove nothing changed)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".bilingual-cache" not in p.parts and p.name != ".bilingual.lock"
    }


# -- Word kits: Track Changes and comments ---------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _tracked_run(kind: str, text: str, rid: int):
    """<w:ins>/<w:del> holding one run, as Word writes it with Track Changes on."""
    change = etree.SubElement(
        etree.Element("x"),
        qn(f"w:{kind}"),
        {qn("w:id"): str(rid), qn("w:author"): "Editor", qn("w:date"): "2026-03-21T10:00:00Z"},
    )
    run = etree.SubElement(change, qn("w:r"))
    t = etree.SubElement(run, qn("w:delText" if kind == "del" else "w:t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return change


def test_word_kit_with_track_changes_reads_as_accepted(run, project, tmp_path):
    run("extract")
    run("submit", "small", "--segment", catalog.entry_id(entry(project, "测试标题 一")), "--text", "Test Titel One")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    document = docx.Document(kit)
    rows = {row.cells[1].text: row for row in document.tables[0].rows[1:]}
    # a new translation typed with Track Changes on: the whole text is an insertion
    cell = rows["第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"].cells[2]._tc
    cell.find(qn("w:p")).append(
        _tracked_run("ins", KIT_TEXT["第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"], 1)
    )
    # a tracked edit of an existing translation: "Titel" deleted, "Title" inserted
    p = rows["测试标题 一"].cells[2]._tc.find(qn("w:p"))
    for r in p.findall(qn("w:r")):
        p.remove(r)
    for element in (
        etree.Element(qn("w:r")),
        _tracked_run("del", "Titel", 2),
        _tracked_run("ins", "Title", 3),
        etree.Element(qn("w:r")),
    ):
        p.append(element)
    p[-4].append(etree.Element(qn("w:t")))
    p[-4][-1].text, p[-1].text = "Test ", None
    p[-1].append(etree.Element(qn("w:t")))
    p[-1][-1].text = " One"
    p[-1][-1].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    # a Word comment on the byline row becomes the translator's note
    byline = rows["长沙晚报全媒体记者 张三"].cells[2].paragraphs[0]
    byline_run = byline.add_run("By Zhang San, Changsha Evening News")
    document.add_comment(byline_run, text="Is the paper's name right here?", author="Translator")
    document.save(kit)
    result = run("submit", kit)
    assert "2 cell(s) with tracked changes" in result.output and "1 Word comment(s)" in result.output
    assert entry(project, "测试标题 一").msgstr == "Test Title One"
    assert entry(project, "第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。").msgstr.startswith(
        "First paragraph."
    )
    assert (
        lifecycle.note(entry(project, "长沙晚报全媒体记者 张三"), lifecycle.Note.TRANSLATOR)
        == "Is the paper's name right here?"
    )


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_word_kit_saved_by_libreoffice_or_through_doc_still_reads(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    document = docx.Document(kit)
    for row in document.tables[0].rows[1:]:
        row.cells[2].paragraphs[0].text = "EN " + row.cells[0].text
    document.save(kit)
    profile = tmp_path / "profile"
    soffice = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]

    def convert(path, to, folder):
        (tmp_path / folder).mkdir(exist_ok=True)
        subprocess.run(
            soffice + ["--convert-to", to, "--outdir", str(tmp_path / folder), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return tmp_path / folder / f"{path.stem}.{to.split(':')[0]}"

    # Opened in Writer and saved as .doc, then back to .docx.  (LibreOffice 7.4's direct headless
    # .docx → .doc conversion drops tables, even python-docx's plain add_table(); through its
    # document model, as the GUI's Save As goes, the table survives.)
    back = convert(convert(convert(kit, "odt", "odt"), "doc", "doc"), "docx:MS Word 2007 XML", "back")
    resaved = convert(kit, "docx:MS Word 2007 XML", "resaved")  # opened and saved by LibreOffice
    for path in (back, resaved):
        shutil.copy(path, tmp_path / "small.en.docx")
        result = run("submit", tmp_path / "small.en.docx", "--dry-run")
        assert "9 added" in result.output, result.output
    run("submit", tmp_path / "small.en.docx")
    assert all(e.msgstr.startswith("EN ") for e in load(project))


# -- XLIFF from CAT tools -------------------------------------------------------------------------


def _xliff(project, units: str, version="1.2") -> bytes:
    ns = f"urn:oasis:names:tc:xliff:document:{version}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{ns}" version="{version}">\n'
        f'<file original="source/small.md" source-language="zh-CN" target-language="en" datatype="plaintext">'
        f"<body>\n{units}\n</body></file></xliff>\n"
    ).encode()


def _unit(project, msgid, target, attrs="", target_attrs="", extra=""):
    sid = catalog.entry_id(entry(project, msgid))
    return (
        f'<trans-unit id="{sid}" {attrs}><source>{msgid}</source><target {target_attrs}>{target}</target>'
        f"{extra}</trans-unit>"
    )


@pytest.mark.parametrize("state", ["translated", "final", "signed-off", ""])
def test_xliff_translated_states_without_approved_are_translated(run, project, tmp_path, state):
    run("extract")
    attr = f'state="{state}"' if state else ""
    kit = tmp_path / "cat.xlf"
    kit.write_bytes(_xliff(project, _unit(project, "测试标题 一", "Test Title One", target_attrs=attr)))
    run("submit", kit)
    assert lifecycle.state(entry(project, "测试标题 一")) == "translated"


@pytest.mark.parametrize(
    "state",
    [
        "needs-translation",
        "needs-review-translation",
        "needs-adaptation",
        "new",
        "needs-l10n",
        "needs-review-l10n",
        "needs-review-adaptation",
    ],
)
def test_xliff_needs_states_are_fuzzy(run, project, tmp_path, state):
    run("extract")
    kit = tmp_path / "cat.xlf"
    kit.write_bytes(_xliff(project, _unit(project, "测试标题 一", "Test Title One", target_attrs=f'state="{state}"')))
    run("submit", kit)
    assert lifecycle.state(entry(project, "测试标题 一")) == "fuzzy"


def test_xliff_approval_is_a_review_only_with_a_named_reviewer(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "cat.xlf"
    kit.write_bytes(
        _xliff(project, _unit(project, "测试标题 一", "Test Title One", 'approved="yes"', 'state="signed-off"'))
    )
    result = run("submit", kit)
    assert "not recorded as reviews" in result.output
    assert lifecycle.state(entry(project, "测试标题 一")) == "translated"
    result = run("submit", kit, "--reviewer", "Bo Chen")
    assert "recorded as reviewed" in result.output
    assert lifecycle.review_of(entry(project, "测试标题 一"))[0] == "Bo Chen"


def test_our_xliff_marks_only_reviewed_units_approved_and_translate_toolkit_reads_it(run, project, tmp_path):
    run("extract")
    first, second = [e for e in load(project)][:2]
    run("submit", "small", "--segment", catalog.entry_id(first), "--text", "Test Title One")
    run("submit", "small", "--segment", catalog.entry_id(second), "--text", "Subtitle: a test article")
    run("review", "small", "--segment", catalog.entry_id(first), "--reviewer", "R")
    kit = tmp_path / "small.en.xlf"
    run("export", "small", "--format", "xliff", "--out", kit)
    root = etree.fromstring(kit.read_bytes())
    approved = {u.get("id"): u.get("approved") for u in root.iter("{*}trans-unit")}
    assert approved[catalog.entry_id(first)] == "yes"
    assert approved[catalog.entry_id(second)] is None
    assert all(a is None for sid, a in approved.items() if sid != catalog.entry_id(first))
    from translate.storage import xliff as tt

    store = tt.xlifffile.parsestring(kit.read_bytes())
    units = {u.xmlelement.get("id"): u for u in store.getunits()}
    assert units[catalog.entry_id(first)].isapproved() and not units[catalog.entry_id(second)].isapproved()


def test_xliff_inline_codes_become_markup_or_are_refused_and_notes_are_kept(run, project, tmp_path):
    run("extract")
    ok = _unit(
        project,
        "测试标题 一",
        '<bpt id="1">&lt;b&gt;</bpt>Test<ept id="1">&lt;/b&gt;</ept> Title <g id="2" ctype="italic">One</g>',
        extra="<note>Check the title case.</note>",
    )
    bad = _unit(project, "——副题：测试文章", 'A <x id="3" ctype="x-something"/> subtitle')
    kit = tmp_path / "cat.xlf"
    kit.write_bytes(_xliff(project, ok + "\n" + bad))
    result = run("submit", kit)
    title = entry(project, "测试标题 一")
    assert title.msgstr == "**Test** Title *One*" and "<" not in title.msgstr
    assert lifecycle.note(title, lifecycle.Note.TRANSLATOR) == "Check the title case."
    assert "rejected" in result.output and catalog.entry_id(entry(project, "——副题：测试文章")) in result.output
    assert "<x>" in result.output and entry(project, "——副题：测试文章").msgstr == ""


@pytest.mark.parametrize("version", ["1.1", "2.0"])
def test_xliff_1_1_and_2_0_are_read(run, project, tmp_path, version):
    run("extract")
    sid = catalog.entry_id(entry(project, "测试标题 一"))
    if version == "1.1":
        data = _xliff(
            project, _unit(project, "测试标题 一", "Test Title One", target_attrs='state="translated"'), "1.1"
        )
    else:
        data = (
            '<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" '
            'srcLang="zh-CN" trgLang="en"><file id="f1" original="source/small.md">'
            f'<unit id="{sid}"><notes><note>From 2.0</note></notes><segment state="translated">'
            '<source>测试标题 一</source><target><pc id="1" type="fmt" subType="xlf:b">Test</pc> Title One'
            "</target></segment></unit></file></xliff>"
        ).encode()
    kit = tmp_path / "cat.xlf"
    kit.write_bytes(data)
    run("submit", kit)
    title = entry(project, "测试标题 一")
    assert lifecycle.state(title) == "translated"
    assert title.msgstr == ("Test Title One" if version == "1.1" else "**Test** Title One")


def test_xliff_of_an_unknown_version_is_refused_by_name(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "cat.xlf"
    kit.write_bytes(b'<xliff version="3.1"><file/></xliff>')
    assert "version 3.1 is not supported" in one_line_error(run("submit", kit, ok=False))


# -- PO kits from Poedit ------------------------------------------------------------------------------


def test_po_kit_translator_comments_become_notes(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.po"
    run("export", "small", "--format", "po", "--out", kit)
    po = polib.pofile(str(kit))
    po[0].msgstr = "Test Title One"
    po[0].tcomment = "Please check: is 一 part of the title?"  # what Poedit writes
    po.save(str(kit))
    result = run("submit", kit)
    assert "1 translator note(s)" in result.output
    assert (
        lifecycle.note(entry(project, "测试标题 一"), lifecycle.Note.TRANSLATOR)
        == "Please check: is 一 part of the title?"
    )


def test_reviewer_notes_reach_every_kit_format(run, project, tmp_path):
    run("extract")
    sid = catalog.entry_id(entry(project, "测试标题 一"))
    run("submit", "small", "--segment", sid, "--text", "Test Title 1")
    run("review", "small", "--reject", "--segment", sid, "--note", "Write the numeral as a word: One")
    for fmt, ext in (("csv", "csv"), ("xliff", "xlf"), ("docx", "docx"), ("po", "po")):
        kit = tmp_path / f"small.en.{ext}"
        run("export", "small", "--format", fmt, "--out", kit)
        if fmt == "docx":
            text = "\n".join(c.text for row in docx.Document(kit).tables[0].rows for c in row.cells)
        else:
            text = kit.read_bytes().decode("utf-8")
        assert "Write the numeral as a word: One" in text, fmt
        if fmt == "xliff":
            assert 'from="reviewer"' in text
    # sent back round: the reviewer's line is not taken as the translator's note
    kit = tmp_path / "small.en.csv"
    run("submit", kit)
    assert lifecycle.note(entry(project, "测试标题 一"), lifecycle.Note.TRANSLATOR) == ""


# -- rewrapping is not a change -------------------------------------------------------------------


def _translate_all(root):
    po = load(root)
    for e in po:
        e.msgstr = (
            f"An English rendering of segment {catalog.entry_id(e)}, long enough to be wrapped by "
            f"every PO writer at its own width, with words such as high-quality and co-operation."
        )
    po_path(root).write_text(pofile.dump(po), encoding="utf-8")


def _rewrap(path, tool, tmp_path):
    if tool == "msgcat":
        subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
    elif tool == "polib-79":
        po = polib.pofile(str(path), wrapwidth=79)
        po.save(str(path))
    elif tool == "translate-toolkit":  # what Weblate writes
        from translate.storage import pypo

        path.write_bytes(bytes(pypo.pofile.parsefile(str(path))))
    elif tool == "no-wrap":
        subprocess.run(["msgcat", "--no-wrap", "-o", str(path), str(path)], check=True)


@pytest.mark.parametrize("tool", ["msgcat", "polib-79", "translate-toolkit", "no-wrap"])
def test_a_rewrapped_po_is_up_to_date_and_not_rewritten(run, project, tmp_path, tool):
    if tool in ("msgcat", "no-wrap") and not shutil.which("msgcat"):
        pytest.skip("gettext is not installed")
    run("extract")
    _translate_all(project)
    run("extract")
    path = po_path(project)
    _rewrap(path, tool, tmp_path)
    rewrapped = path.read_bytes()
    if tool != "translate-toolkit":  # Translate Toolkit 3.x (Weblate) writes polib's layout; the others differ
        assert rewrapped != pofile.dump(load(project), width=78, as_read=False).encode("utf-8")
    mtime = path.stat().st_mtime_ns
    run("extract", "--check")
    run("extract")
    assert path.read_bytes() == rewrapped and path.stat().st_mtime_ns == mtime
    # a real change: only the edited entry's lines change; the rest keep the tool's layout
    source = project / "source" / "small.md"
    source.write_text(source.read_text(encoding="utf-8").replace("第二段正文", "第二段正文内容"), encoding="utf-8")
    run("extract", "--check", code=1)
    run("extract")
    import difflib

    diff = [
        ln
        for ln in difflib.unified_diff(rewrapped.decode().splitlines(), path.read_text().splitlines(), n=0)
        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    ]
    assert 0 < len(diff) <= 12, diff


def test_po_width_setting_for_new_files(run, project):
    with open(project / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write("po_width = 0\n")
    run("extract")
    text = po_path(project).read_text(encoding="utf-8")
    assert '"第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"' in text.replace("msgid ", "")


# -- spreadsheets --------------------------------------------------------------------------------------


def test_csv_with_semicolons_or_tabs_is_read(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.csv"
    run("export", "small", "--format", "csv", "--out", kit)
    rows = list(csv.reader(io.StringIO(kit.read_text(encoding="utf-8-sig"))))
    for delimiter, name in ((";", "semicolon"), ("\t", "tab")):
        rows[1][4] = f"Test Title One ({name})"
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter).writerows(rows)
        (tmp_path / f"small.en.{name}.csv").write_text(buf.getvalue(), encoding="utf-8-sig")
        run("submit", tmp_path / f"small.en.{name}.csv")
        assert entry(project, "测试标题 一").msgstr == f"Test Title One ({name})"


def test_csv_with_a_wrong_header_names_the_delimiter_it_found(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.csv"
    kit.write_text("key;text;translation\nabc;长沙;Changsha\n", encoding="utf-8")
    message = one_line_error(run("submit", kit, ok=False))
    assert "lacks the column(s) id, source, target" in message and "';'" in message


# -- the project's own files are never overwritten by accident -------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "translations/en/small.po",
        "translations/templates/small.pot",
        "source/small.md",
        "translations/glossary.csv",
        "pyproject.toml",
        "source/new-kit.po",
    ],
)
def test_export_never_overwrites_the_projects_own_files(run, project, target):
    run("extract")
    (project / "translations" / "glossary.csv").write_text(
        "source,target,note\n长沙,Changsha,Official.\n", encoding="utf-8"
    )
    before = snapshot(project)
    result = run("export", "small", "--out", project / target, code=2)
    assert "refusing to write there" in result.stderr
    assert snapshot(project) == before


def test_build_out_into_the_translations_is_refused(run, project):
    run("extract")
    result = run("build", "--draft", "--out", project / "translations", code=2)
    assert "refusing" in result.stderr


def test_drafts_never_replace_final_editions(run_shipped, shipped):
    run_shipped("build", "--edition", "en")
    final = (shipped / "output" / "changsha-opening-up.en.docx").read_bytes()
    run_shipped("build", "--edition", "en", "--draft")
    assert (shipped / "output" / "changsha-opening-up.en.docx").read_bytes() == final
    assert (shipped / "output" / "changsha-opening-up.en.draft.docx").is_file()


# -- the lock ----------------------------------------------------------------------------------------


def test_a_lock_that_cannot_be_taken_is_an_environment_error(run, project):
    run("extract")
    (project / ".bilingual.lock").unlink()
    (project / ".bilingual.lock").mkdir()
    assert "project lock" in one_line_error(run("extract", ok=False), code=74)


def _bilingual(root, *args, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "workflow", "--root", str(root), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        **kw,
    )


def _hold_lock(root):
    """Another process holding the project lock, as a long submit would."""
    code = (
        "import sys, time; from pathlib import Path; from workflow.core.fsio import project_lock\n"
        "with project_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(root)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_waiting_for_the_lock_says_who_holds_it_and_ctrl_c_leaves_everything(run, project):
    import signal
    import time

    run("extract")
    before = snapshot(project)
    holder = _hold_lock(project)
    try:
        waiter = _bilingual(
            project, "submit", "small", "--segment", catalog.entry_id(load(project)[0]), "--text", "Test Title One"
        )
        time.sleep(2.5)
        waiter.send_signal(signal.SIGINT)
        out, err = waiter.communicate(timeout=20)
    finally:
        holder.kill()
        holder.wait()
    assert f"waiting for the project lock held by PID {holder.pid}" in err
    assert waiter.returncode == 130 and err.strip().splitlines()[-1] == "bilingual: interrupted"
    assert "Traceback" not in err and snapshot(project) == before


# -- the source folder -------------------------------------------------------------------------------


def test_stray_files_in_the_source_folder_are_skipped_with_one_notice(run, project):
    source = project / "source"
    for name in (".notes.md", "small.md~", "._small.md", "small.md.bak", "photo.jpg", "my article.md"):
        (source / name).write_bytes(b"\x00\x01 not an article")
    result = run("extract")
    assert "small: 9 segments" in result.output
    notice = [ln for ln in result.stderr.splitlines() if "skipped" in ln]
    assert len(notice) == 1 and "6 file(s)" in notice[0] and ".notes.md" in notice[0]
    run("status")
    assert "not an article" in run("extract", "source/my article.md", code=3).stderr


def test_a_link_in_the_source_folder_that_leads_outside_is_refused(run, project, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密\n\n外部文件的内容。\n", encoding="utf-8")
    (project / "source" / "leak.md").symlink_to(secret)
    result = run("extract", "leak", ok=False)
    assert "leak.md" in one_line_error(result) and "outside the project" in result.stderr
    assert not (project / "translations" / "en" / "leak.po").exists()
    assert not any("机密" in p.read_text(encoding="utf-8") for p in (project / "translations").rglob("*.po*"))


def test_an_empty_source_is_an_error_and_an_empty_po_is_0_percent(run, project, tmp_path):
    (project / "source" / "empty.md").write_text("\n\n", encoding="utf-8")
    assert "empty" in one_line_error(run("extract", "empty", ok=False))
    bare = tmp_path / "bare.po"
    bare.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    result = run("status", bare, "--json")
    assert '"percent": 0.0' in result.output


# -- encodings --------------------------------------------------------------------------------------

GB_ARTICLE = "# 长沙开放\n\n长沙外贸进出口总值达2875.4亿元，同比增长3.5%。对非贸易年均增速68%。\n"


def test_an_encoding_named_once_is_remembered_by_every_command(run, project, tmp_path):
    (project / "source" / "gb.md").write_bytes(GB_ARTICLE.encode("gb18030"))
    run("extract", "gb", code=3)  # not UTF-8: the error says how to name the encoding
    run("extract", "gb", "--encoding", "gb18030")
    assert "X-Source-Encoding: gb18030" in (project / "translations/templates/gb.pot").read_text(encoding="utf-8")
    run("extract", "gb", "--check")
    run("lint", "gb")
    sid = catalog.entry_id(next(e for e in pofile.load(project / "translations/en/gb.po", "x") if e.msgctxt == "title"))
    run("submit", "gb", "--segment", sid, "--text", "Changsha Opens Up")
    run("review", "gb", "--segment", sid, "--reviewer", "R")
    run("export", "gb", "--out", tmp_path / "gb.en.csv")
    run("check", "gb", code=1)  # runs (the body is untranslated: an error, not a decoding failure)
    run("build", "gb", "--draft")


def test_big5_read_as_gb18030_is_refused_not_written_as_mojibake(run, project):
    traditional = (
        "# 長沙開放\n\n長沙晚報全媒體記者報導，湖南自由貿易試驗區長沙片區在全國率先開展工程機械再製造體系改革。\n"
    )
    (project / "source" / "big5.md").write_bytes(traditional.encode("big5"))
    before = snapshot(project)
    message = one_line_error(run("extract", "big5", "--encoding", "gb18030", ok=False))
    assert "big5.md" in message and "another encoding" in message
    assert snapshot(project) == before
    run("extract", "big5", "--encoding", "big5")


def test_an_unknown_encoding_is_a_usage_error(run, project):
    assert run("extract", "--encoding", "nosuchcodec", code=2).stderr.count("nosuchcodec") == 1


# -- PO files as other tools write them ---------------------------------------------------------------


def test_duplicate_entries_are_an_input_error_with_both_lines(run, project):
    run("extract")
    path = po_path(project)
    text = path.read_text(encoding="utf-8")
    block = text.split("\n\n")[1]
    path.write_text(text + "\n" + block.replace('msgstr ""', 'msgstr "Second copy"') + "\n", encoding="utf-8")
    before = snapshot(project)
    for command in ("status", "extract"):
        message = one_line_error(run(command, ok=False))
        assert "duplicate entry" in message and "at lines" in message
    assert snapshot(project) == before


def test_a_declared_legacy_charset_is_read_and_a_false_one_refused(run, project, tmp_path):
    latin = tmp_path / "latin.po"
    latin.write_bytes(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-15\\n"\n\n'
        'msgid "Caf\u00e9"\nmsgstr "Caf\u00e9 \u20ac"\n'.encode("iso-8859-15")
    )
    assert '"translated": 1' in run("status", latin, "--json").output
    for charset in ("GBK", "CHARSET"):
        bad = tmp_path / f"{charset}.po"
        bad.write_text(
            f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n\n'
            'msgid "长沙"\nmsgstr "Changsha"\n',
            encoding="utf-8",
        )
        assert charset in one_line_error(run("status", bad, ok=False))


def test_a_raw_control_character_in_a_po_is_named_at_its_line(run, project, tmp_path):
    garbage = tmp_path / "garbage.po"
    garbage.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b\x0bc"\n',
        encoding="utf-8",
    )
    message = one_line_error(run("status", garbage, ok=False))
    assert message.startswith(f"bilingual: {garbage}:6:") and "U+000B" in message


# -- configuration and identities ----------------------------------------------------------------------


def test_a_configured_glossary_that_does_not_exist_is_an_input_error(run, project):
    with open(project / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write('glossary = "translations/glosary.csv"\n')
    assert "glosary.csv" in one_line_error(run("extract", ok=False))


def test_the_reviewer_is_never_taken_from_the_translators_variable(run, project, monkeypatch):
    run("extract")
    sid = catalog.entry_id(load(project)[0])
    monkeypatch.setenv("BILINGUAL_TRANSLATOR", "Ann Translator")
    run("submit", "small", "--segment", sid, "--text", "Test Title One")
    run("review", "small", "--segment", sid)
    who = lifecycle.review_of(load(project)[0])[0]
    assert who == "unknown reviewer"
    monkeypatch.setenv("BILINGUAL_REVIEWER", "Bo Reviewer")
    run("review", "small", "--reject", "--segment", sid, "--note", "again")
    run("submit", "small", "--segment", sid, "--text", "Test Title 1")
    run("review", "small", "--segment", sid)
    assert lifecycle.review_of(load(project)[0])[0] == "Bo Reviewer"


# -- help ---------------------------------------------------------------------------------------------


def test_help_lists_values_exit_codes_and_whole_summaries(run):
    top = run("--help").output
    assert "Exit codes" in top and "130" in top and "..." not in top.split("Commands:")[1]
    assert "--segment/--text" in " ".join(top.split())
    assert "untranslated, fuzzy, translated, reviewed" in " ".join(run("export", "--help").output.split())
    assert "numbers" in run("check", "--help").output
    assert "bilingual, all" in " ".join(run("build", "--help").output.split())
