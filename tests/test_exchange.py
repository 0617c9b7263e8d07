"""The translator loop: export → fill → submit → review, in every format."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import zipfile

import docx
import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow.kits import kit as kits
from workflow.kits import xliff
from workflow.po import catalog, lifecycle, pofile, status

from .conftest import REPO, Run, msgfmt_check, po_path


def load(root):
    return pofile.load(po_path(root), "x")


def english_for(source: str) -> str:
    return f"EN[{source}]"


def fill_kit(path, fmt, translate=english_for):
    """Fill a kit the way the tool a translator uses would save it."""
    if fmt == "po":
        po = polib.pofile(str(path))
        for e in po:
            e.msgstr = translate(e.msgid)
        po.save(str(path))
    elif fmt == "csv":
        rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                r["target"] = translate(r["source"])
                w.writerow(r)
    elif fmt == "xliff":
        store = xliff._classes().parsefile(str(path))
        for unit in store.getunits():
            unit.target = translate(unit.source)
        path.write_bytes(bytes(store))
    elif fmt == "docx":
        document = docx.Document(path)
        table = document.tables[0]
        for row in table.rows[1:]:
            source = row.cells[1].text
            cell = row.cells[2]
            cell.paragraphs[0].text = translate(source)
        document.save(path)


def translated(run, tmp_path, translate=english_for):
    """Extract, export a CSV kit, fill it and submit it; returns the kit."""
    run("extract")
    kit = tmp_path / "small.en.csv"
    run("export", "small", "--format", "csv", "--out", kit)
    fill_kit(kit, "csv", translate)
    run("submit", kit)
    return kit


@pytest.mark.parametrize("fmt", ["po", "xliff", "csv", "docx"])
def test_round_trip_in_every_format(run, project, fmt, tmp_path):
    run("extract")
    kit = tmp_path / f"small.en.{kits.EXTENSIONS[fmt].lstrip('.')}"
    run("export", "small", "--format", fmt, "--out", kit)
    fill_kit(kit, fmt)
    result = run("submit", kit, "--translator", "Ann Translator <ann@example.org>")
    assert "9 added, 0 changed, 0 unchanged, 0 stale, 0 rejected" in result.output
    po = load(project)
    assert all(lifecycle.state(e) == "translated" and e.msgstr == english_for(e.msgid) for e in po)
    assert po.metadata["Last-Translator"] == "Ann Translator <ann@example.org>"
    assert all("Translated: Ann Translator <ann@example.org> · 2026-03-21" in e.tcomment for e in po)
    msgfmt_check(po_path(project))
    again = run("submit", kit)
    assert "0 added, 0 changed, 9 unchanged" in again.output


def test_export_po_kit_shows_roles_ids_and_glossary(run_shipped, shipped, tmp_path):
    out = tmp_path / "kit.po"
    run_shipped("export", "changsha-opening-up", "--format", "po", "--out", out, "--state", "reviewed")
    text = out.read_text(encoding="utf-8")
    assert 'msgctxt "caption"' in text and "#. ID: sfbenpa8" in text and "#. Glossary: 中欧班列 = China-Europe" in text
    msgfmt_check(out)


def test_csv_kit_opens_in_excel_as_utf8_with_a_header(run, project, tmp_path):
    run("extract")
    out = tmp_path / "k.csv"
    run("export", "small", "--format", "csv", "--out", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + b"id,role,state,source,target,comment,glossary,memory,origin\r\n")


def test_xliff_kit_is_version_1_2(run, project, tmp_path):
    run("extract")
    out = tmp_path / "k.xlf"
    run("export", "small", "--format", "xliff", "--out", out)
    from lxml import etree

    root = etree.fromstring(out.read_bytes())
    assert root.get("version") == "1.2" and root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff"
    units = root.findall(".//{urn:oasis:names:tc:xliff:document:1.2}trans-unit")
    assert len(units) == 9 and all(len(u.get("id")) == 8 for u in units)


def test_docx_kit_has_the_review_table(run, project, tmp_path):
    run("extract")
    out = tmp_path / "k.docx"
    run("export", "small", "--format", "docx", "--out", out)
    table = docx.Document(out).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["ID", "中文", "English", "status", "comment"]
    assert len(table.rows) == 10


def test_single_segment_submit_and_empty_never_erases(run, project):
    run("extract")
    sid = catalog.entry_id(load(project)[0])
    run("submit", "small", "--segment", sid, "--text", "Test Headline")
    assert load(project)[0].msgstr == "Test Headline"
    csv_kit = project / "k.csv"
    run("export", "small", "--format", "csv", "--out", csv_kit)
    result = run("submit", csv_kit)  # every target but one is empty
    assert "0 added, 0 changed, 9 unchanged" in result.output
    assert load(project)[0].msgstr == "Test Headline"


def test_stale_submission_after_a_source_edit_is_never_translated(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.csv"
    run("export", "small", "--format", "csv", "--out", kit)
    fill_kit(kit, "csv")
    src = project / "source" / "small.md"
    src.write_text(
        src.read_text(encoding="utf-8").replace(
            "第二段正文，讲述巴斯夫杉杉的故事。", "第二段正文，讲述巴斯夫杉杉的新故事。"
        ),
        encoding="utf-8",
    )
    run("extract")
    result = run("submit", kit)
    assert "1 stale" in result.output and "8 added" in result.output
    entry = next(e for e in load(project) if e.msgid == "第二段正文，讲述巴斯夫杉杉的新故事。")
    assert lifecycle.state(entry) == "fuzzy"
    assert entry.previous_msgid == "第二段正文，讲述巴斯夫杉杉的故事。"
    assert entry.msgstr == english_for("第二段正文，讲述巴斯夫杉杉的故事。")


def test_reviewed_translation_is_protected_and_force_replaces_it(run, project, tmp_path):
    kit = translated(run, tmp_path)
    run("review", "small", "--all-translated", "--reviewer", "Rita Reviewer")
    assert all(lifecycle.is_reviewed(e) for e in load(project))
    fill_kit(kit, "csv", lambda s: f"NEW[{s}]")
    result = run("submit", kit)
    assert "9 rejected" in result.output and "--force" in result.output
    assert all(lifecycle.is_reviewed(e) for e in load(project))
    dry = run("submit", kit, "--force", "--dry-run")
    assert "dry run, nothing written: 0 added, 9 changed" in dry.output
    assert all(lifecycle.is_reviewed(e) for e in load(project))
    run("submit", kit, "--force")
    assert all(lifecycle.state(e) == "translated" and e.msgstr.startswith("NEW[") for e in load(project))


def test_review_reject_and_accept_notes(run, project, tmp_path):
    translated(run, tmp_path)
    sid = catalog.entry_id(load(project)[4])
    run("review", "small", "--segment", sid, "--reject", "--note", "Check the magnitude of 亿.", "--reviewer", "Rita")
    entry = catalog.index_by_id(load(project))[sid]
    assert lifecycle.state(entry) == "fuzzy"
    rejected_text = entry.msgstr
    assert (
        f"Rejected: Rita · 2026-03-21 · Check the magnitude of 亿. · #{lifecycle.fingerprint(entry)}" in entry.tcomment
    )
    assert lifecycle.reviewer_note(entry) == "sent back: Check the magnitude of 亿."
    # the rejected text sent again (a translator clearing the fuzzy mark, an old memory) is refused, with the reason
    again = run("submit", "small", "--segment", sid, "--text", rejected_text)
    assert (
        "1 rejected" in again.output and "rejected by Rita on 2026-03-21 (Check the magnitude of 亿.)" in again.output
    )
    assert lifecycle.state(catalog.index_by_id(load(project))[sid]) == "fuzzy"
    assert "1 changed" in run("submit", "small", "--segment", sid, "--text", rejected_text, "--force").output
    assert lifecycle.state(catalog.index_by_id(load(project))[sid]) == "translated"
    run("review", "small", "--segment", sid, "--reject", "--note", "Check the magnitude of 亿.", "--reviewer", "Rita")
    run("review", "small", "--segment", sid, "--accept", "numbers", "--note", "Rewritten on purpose.")
    assert lifecycle.accepted_checks(catalog.index_by_id(load(project))[sid]) == {"numbers"}
    assert run("review", "small", "--segment", sid, "--reject", code=2).exit_code == 2
    assert run("review", "small", "--segment", "zzzzzzzz", code=3).exit_code == 3


def test_review_lapses_when_the_source_changes(run, project, tmp_path):
    translated(run, tmp_path)
    run("review", "small", "--all-translated")
    src = project / "source" / "small.md"
    src.write_text(src.read_text(encoding="utf-8").replace("小节导语", "小节导语改"), encoding="utf-8")
    run("extract")
    counts = status.count(load(project))
    assert counts.reviewed == 8 and counts.fuzzy == 1


def _reviewed_project(run, project, tmp_path):
    translated(run, tmp_path)
    run(
        "review", "small", "--all-translated", "--reviewer", "A Reviewer With A Long Name <review@newsroom.example.org>"
    )
    assert status.count(load(project)).reviewed == 9


@pytest.mark.skipif(not shutil.which("msgmerge"), reason="gettext msgmerge is not installed")
def test_reviewed_state_survives_msgmerge(run, project, tmp_path):
    _reviewed_project(run, project, tmp_path)
    pot = project / "translations" / "templates" / "small.pot"
    subprocess.run(["msgmerge", "--previous", "-q", "-U", "--backup=off", str(po_path(project)), str(pot)], check=True)
    assert status.count(load(project)).reviewed == 9


def test_reviewed_state_survives_polib(run, project, tmp_path):
    _reviewed_project(run, project, tmp_path)
    po = polib.pofile(str(po_path(project)), wrapwidth=40)
    po.save(str(po_path(project)))
    assert status.count(load(project)).reviewed == 9


def test_reviewed_state_survives_translate_toolkit(run, project, tmp_path):
    _reviewed_project(run, project, tmp_path)
    from translate.storage import po as ttpo

    store = ttpo.pofile.parsefile(str(po_path(project)))
    po_path(project).write_bytes(bytes(store))
    assert status.count(load(project)).reviewed == 9


def test_weblate_style_po_submission(run, project, tmp_path):
    """A whole PO file back from Weblate (any PO for the article) is accepted."""
    run("extract")
    returned = tmp_path / "small.po"
    shutil.copy(po_path(project), returned)
    fill_kit(returned, "po")
    assert "9 added" in run("submit", returned).output


# -- malformed kits ----------------------------------------------------------------


def _assert_refused(run, project, kit, *needles):
    before = po_path(project).read_bytes()
    result = run("submit", kit, code=3)
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("bilingual:")][0]
    for n in needles:
        assert n in line, line
    assert "Traceback" not in result.stderr
    assert po_path(project).read_bytes() == before


def test_broken_csv_names_the_row(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.csv"
    run("export", "small", "--format", "csv", "--out", kit)
    text = kit.read_text(encoding="utf-8-sig").splitlines()
    text[3] = text[3] + ',"extra'
    kit.write_text("\n".join(text), encoding="utf-8")
    _assert_refused(run, project, kit, str(kit), "CSV")


def test_csv_with_missing_columns(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "k.csv"
    kit.write_text("id,source\nabc,文字\n", encoding="utf-8")
    _assert_refused(run, project, kit, f"{kit}:1", "target")


def test_docx_with_rearranged_columns(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    document = docx.Document(kit)
    row = document.tables[0].rows[0]
    a, b = row.cells[1].paragraphs[0], row.cells[2].paragraphs[0]
    a.text, b.text = "English", "中文"
    document.save(kit)
    _assert_refused(run, project, kit, str(kit), "expected ID | 中文 | English")


def test_truncated_docx_zip(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    kit.write_bytes(kit.read_bytes()[: kit.stat().st_size // 2])
    _assert_refused(run, project, kit, str(kit), "not a readable Word file")


def test_xliff_with_a_different_source_is_stale_or_rejected(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.xlf"
    run("export", "small", "--format", "xliff", "--out", kit)
    fill_kit(kit, "xliff")
    text = kit.read_text(encoding="utf-8").replace("第一段正文。", "完全不同的来源文字，与文章无关！")
    kit.write_text(text, encoding="utf-8")
    result = run("submit", kit)
    assert "1 rejected" in result.output or "1 stale" in result.output
    changed = [e for e in load(project) if e.msgid.startswith("第一段正文")][0]
    assert lifecycle.state(changed) != "translated"


def test_broken_xliff(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "small.en.xlf"
    kit.write_text("<xliff version='1.2'><file><body><trans-unit", encoding="utf-8")
    _assert_refused(run, project, kit, str(kit), "XLIFF")


# -- safety ------------------------------------------------------------------------------

SUBMITTER = """
import sys
from workflow.cli import cli
sys.argv = ["bilingual", "--root", sys.argv[1], "submit", "small", "--segment", sys.argv[2], "--text", sys.argv[3]]
cli()
"""


def test_concurrent_submits_lose_nothing(run, project, tmp_path):
    run("extract")
    ids = [catalog.entry_id(e) for e in load(project)]
    script = tmp_path / "submit.py"
    script.write_text(SUBMITTER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(project), sid, f"Text {i}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i, sid in enumerate(ids)
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()
    po = catalog.index_by_id(load(project))
    assert [po[sid].msgstr for sid in ids] == [f"Text {i}" for i in range(len(ids))]


WRITER = """
import os, sys, time
from pathlib import Path
from workflow.core import fsio
big = ("x" * 1_000_000 + "\\n") * 200
real = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(30)
    real(fd)
os.fsync = slow_fsync
fsio.atomic_write(Path(sys.argv[1]), big)
"""


def test_killed_writer_leaves_the_old_file_intact(run, project, tmp_path):
    run("extract")
    target = po_path(project)
    before = target.read_bytes()
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(target)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "writing"  # mid-write: data written, not yet renamed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == before
    pofile.load(target, "x")
    leftovers = list(target.parent.glob(f".{target.name}.*.tmp"))
    assert len(leftovers) == 1  # the killed writer's temporary file
    run("extract", "--check")  # a check writes nothing, not even this clean-up
    assert leftovers[0].exists()
    keep = target.parent / ".notes.tmp"  # not a name atomic_write makes: left alone
    keep.write_text("mine", encoding="utf-8")
    run("review", "small", "--all-translated")  # the next writer, holding the lock, removes it
    assert not leftovers[0].exists() and keep.exists()
    assert target.read_bytes() == before


# -- property: kits round trip ------------------------------------------------------------

_TARGET = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s.strip())


@pytest.mark.parametrize("fmt", ["po", "xliff", "csv", "docx"])
@given(targets=st.lists(_TARGET, min_size=9, max_size=9))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_kit_round_trip_is_lossless(tmp_path_factory, fmt, targets):
    """Whatever a translator types comes back exactly, in every format."""
    from .conftest import PYPROJECT, SMALL

    root = tmp_path_factory.mktemp("prop")
    (root / "source").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "source" / "small.md").write_text(SMALL, encoding="utf-8")
    run = Run(root)
    run("extract")
    kit = root / f"small.en.{kits.EXTENSIONS[fmt].lstrip('.')}"
    run("export", "small", "--format", fmt, "--out", kit)
    mapping = dict(zip([e.msgid for e in load(root)], targets))
    fill_kit(kit, fmt, lambda s: mapping[s])
    run("submit", kit)
    assert {e.msgid: e.msgstr for e in load(root)} == mapping


@pytest.mark.parametrize(
    "change",
    [
        ('source-language="zh-CN"', 'source-language="ja-JP"'),
        ('original="source/small.md"', 'original="source/other.md"'),
    ],
)
def test_xliff_made_from_another_source_is_refused_whole(run, project, tmp_path, change):
    run("extract")
    kit = tmp_path / "small.en.xlf"
    run("export", "small", "--format", "xliff", "--out", kit)
    fill_kit(kit, "xliff")
    text = kit.read_text(encoding="utf-8")
    assert change[0] in text
    kit.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    _assert_refused(run, project, kit, f"{kit}:3", "the kit")


def test_docx_kit_whose_document_properties_are_not_core_properties(run, project, tmp_path):
    """A kit whose docProps/core.xml holds some other element (a tool rewrote it, a fuzzer found it):
    Word opens such a file, so submit reads the table as it would without the properties."""
    run("extract")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(kit) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = b'<?xml version="1.0" encoding="UTF-8"?><properties xmlns="urn:example"/>'
            dst.writestr(item, data)
    result = run("submit", damaged, ok=False)
    assert result.exit_code == 0, (result.output, result.stderr)  # the table is read, as Word would
