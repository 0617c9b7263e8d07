"""What third-party clients do to kits and catalogs, run for real: nothing a
translator or reviewer did is lost or undone silently (issue 22's cases).

gettext (msgattrib, msgcat, pomerge's kin), Translate Toolkit (po2xliff,
pot2po, pomerge), LibreOffice (a Word kit saved by Writer), OmegaT (a
pseudo-translated memory)."""

from __future__ import annotations

import os
import shutil
import subprocess

import docx
import polib
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.po import catalog, lifecycle, pofile

from .conftest import po_path

HEADING = "第一部分"
TITLE = "测试标题 一"


def need(*tools):
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")


def load(root):
    return pofile.load(po_path(root), "x")


def entry(root, source):
    return next(e for e in load(root) if e.msgid == source)


def translate_all(run, project, reviewed=False):
    run("extract")
    for e in load(project):
        run("submit", "small", "--segment", catalog.entry_id(e), "--text", f"EN {catalog.entry_id(e)}")
    if reviewed:
        run("review", "small", "--all-translated", "--reviewer", "Rita")


# -- fuzzy marks set by a client ---------------------------------------------------------------


def test_msgattrib_set_fuzzy_on_unedited_entries_is_kept(run, project, tmp_path):
    need("msgattrib")
    translate_all(run, project)
    kit = tmp_path / "small.en.po"
    run("export", "small", "--format", "po", "--out", kit)
    marked = tmp_path / "marked.po"
    subprocess.run(["msgattrib", "--set-fuzzy", "-o", str(marked), str(kit)], check=True)
    result = run("submit", marked)
    assert "0 added, 9 changed" in result.output
    assert "marked fuzzy in the kit (text unchanged)" in result.output
    assert all(lifecycle.state(e) == "fuzzy" and e.msgstr.startswith("EN ") for e in load(project))


def test_a_client_fuzzy_mark_does_not_reopen_a_reviewed_entry_without_force(run, project, tmp_path):
    need("msgattrib")
    translate_all(run, project, reviewed=True)
    kit = tmp_path / "small.en.po"
    run("export", "small", "--format", "po", "--out", kit)
    subprocess.run(["msgattrib", "--set-fuzzy", "-o", str(kit), str(kit)], check=True)
    result = run("submit", kit)
    assert "9 rejected" in result.output and "reviewed, and the kit marks it fuzzy; use --force" in result.output
    assert all(lifecycle.state(e) == "reviewed" for e in load(project))
    run("submit", kit, "--force")
    assert all(lifecycle.state(e) == "fuzzy" for e in load(project))


def test_needs_editing_on_an_unedited_xliff_unit_is_kept_fuzzy(run, project, tmp_path):
    """Weblate's "Needs editing" (and Translate Toolkit's markfuzzy) on a unit whose text is unchanged."""
    from translate.storage import xliff as ttxliff

    translate_all(run, project)
    kit = tmp_path / "small.en.xlf"
    run("export", "small", "--format", "xliff", "--out", kit)
    store = ttxliff.xlifffile.parsefile(str(kit))
    unit = next(u for u in store.getunits() if u.source == HEADING)
    unit.markfuzzy(True)
    unit.xmlelement.find("{*}target").set("state", "needs-review-translation")
    kit.write_bytes(bytes(store))
    result = run("submit", kit)
    assert "1 changed" in result.output and "marked fuzzy in the kit" in result.output
    assert lifecycle.state(entry(project, HEADING)) == "fuzzy"


# -- a PO kit's memory suggestion ------------------------------------------------------------------


def kit_with_a_suggestion(run, tmp_path, fmt: str, out):
    """Extract, give the memory a translation of the heading, export a kit offering it; the kit's PO file."""
    run("extract")
    memory = tmp_path / "old.csv"
    memory.write_text(f"source,target\n{HEADING},Part One from memory\n", encoding="utf-8")
    run("tm", "import", memory)
    run("export", "small", "--format", fmt, "--out", out)
    po = out / "source" / "small.en.po" if fmt == "omegat" else out
    assert "Part One from memory" in po.read_text(encoding="utf-8")
    return po


def test_an_unedited_memory_suggestion_in_a_po_kit_is_skipped(run, project, tmp_path):
    need("msgcat")
    kit = kit_with_a_suggestion(run, tmp_path, "po", tmp_path / "small.en.po")
    subprocess.run(["msgcat", "--width=60", "-o", str(kit), str(kit)], check=True)  # a client's rewrap
    result = run("submit", kit)
    assert "0 added, 0 changed" in result.output
    assert "1 memory suggestion(s) still fuzzy and not edited: not taken" in result.output
    assert not entry(project, HEADING).msgstr
    # the translator confirms it (Poedit: "Needs work" off): then it is theirs
    po = polib.pofile(str(kit))
    po.find(HEADING).flags.remove("fuzzy")
    po.save(str(kit))
    assert "1 added" in run("submit", kit).output
    assert lifecycle.state(entry(project, HEADING)) == "translated"


# -- memory hygiene ----------------------------------------------------------------------------


def test_a_pseudo_translated_memory_made_by_omegat_is_skipped_on_import(run, project, tmp_path):
    need("omegat", "java")
    run("extract")
    folder = tmp_path / "pseudo.omegat"
    run("export", "small", "--format", "omegat", "--out", folder)
    home = tmp_path / "home"
    home.mkdir()
    pseudo = tmp_path / "pseudo.tmx"
    env = {**os.environ, "HOME": str(home), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    subprocess.run(
        [
            "omegat",
            str(folder),
            "--mode=console-createpseudotranslatetmx",
            f"--pseudotranslatetmx={pseudo}",
            "--pseudotranslatetype=equal",
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=600,
    )
    assert pseudo.read_text(encoding="utf-8").count("<tu>") == 9
    result = run("tm", "import", pseudo)
    assert "0 added" in result.output and "skipped 9: the translation is the source text" in result.output
    run("pretranslate", "small")
    assert not any(e.msgstr for e in load(project))


def test_mostly_han_targets_are_skipped_on_import(run, project, tmp_path):
    run("extract")
    memory = tmp_path / "mixed.csv"
    memory.write_text(f"source,target\n{HEADING},第一部分的翻译 Part\n{TITLE},Test title one\n", encoding="utf-8")
    result = run("tm", "import", memory)
    assert "1 added" in result.output and "skipped 1: the translation is mostly Han characters" in result.output


# -- po2xliff ----------------------------------------------------------------------------------------


def test_a_po2xliff_file_is_matched_by_its_ids_and_source_text(run, project, tmp_path):
    need("po2xliff")
    run("extract")
    kit = tmp_path / "small.en.po"
    run("export", "small", "--format", "po", "--out", kit)
    xlf = tmp_path / "made.xlf"
    subprocess.run(["po2xliff", str(kit), str(xlf)], check=True, capture_output=True)
    from translate.storage import xliff as ttxliff

    store = ttxliff.xlifffile.parsefile(str(xlf))
    for unit in store.getunits():
        if unit.source == HEADING:
            unit.target = "Part One"
    xlf.write_bytes(bytes(store))
    result = run("submit", xlf)
    assert "1 added" in result.output and "made by po2xliff" in result.output
    assert entry(project, HEADING).msgstr == "Part One"
    # one whose notes are gone is matched by source text alone
    text = xlf.read_text(encoding="utf-8").replace("ID: ", "id gone ")
    xlf.write_text(text.replace(">Part One<", ">Part 1<"), encoding="utf-8")
    assert "1 changed" in run("submit", xlf).output
    # one for no article of the project is refused with the command that fixes it
    other = tmp_path / "other.po"
    other.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "别的"\nmsgstr "x"\n',
        encoding="utf-8",
    )
    subprocess.run(["po2xliff", str(other), str(tmp_path / "other.xlf")], check=True, capture_output=True)
    refused = run("submit", tmp_path / "other.xlf", code=3)
    assert "xliff2po" in refused.stderr and "Traceback" not in refused.stderr


# -- catalogs rewritten by other tools -------------------------------------------------------------


def _header_keys(path):
    return [
        ln.split(":", 1)[0]
        for ln in path.read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
        if ln.startswith('"') and ":" in ln
    ]


def test_pot2po_header_order_is_kept_by_our_next_write(run, project, tmp_path):
    need("pot2po")
    translate_all(run, project)
    path = po_path(project)
    made = tmp_path / "pot2po.po"
    subprocess.run(
        ["pot2po", "-t", str(path), str(project / "translations" / "templates" / "small.pot"), str(made)],
        check=True,
        capture_output=True,
    )
    shutil.copy(made, path)
    before = _header_keys(path)
    assert before.index('"POT-Creation-Date') > before.index('"Language')  # not polib's order
    run("submit", "small", "--segment", catalog.entry_id(entry(project, HEADING)), "--text", "Part One")
    assert _header_keys(path) == before


def test_a_header_wrapped_by_msgcat_keeps_its_width(run, project, tmp_path):
    need("msgcat")
    translate_all(run, project)
    path = po_path(project)
    subprocess.run(["msgcat", "--width=60", "-o", str(path), str(path)], check=True)
    run(
        "submit",
        "small",
        "--segment",
        catalog.entry_id(entry(project, HEADING)),
        "--text",
        "Part One",
        "--translator",
        "A Translator With A Long Name <translator@newsroom.example.org>",
    )
    ours = path.read_text(encoding="utf-8")
    again = tmp_path / "again.po"
    subprocess.run(["msgcat", "--width=60", "-o", str(again), str(path)], check=True)
    header = ours.split("\n\n", 1)[0]
    assert header == again.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert max(len(ln) for ln in header.splitlines() if ln.startswith('"')) <= 60


def test_a_stale_reviewed_line_after_pomerge_is_dropped_on_extract(run, project, tmp_path):
    need("pomerge")
    translate_all(run, project, reviewed=True)
    path = po_path(project)
    edited = tmp_path / "edited.po"
    po = polib.pofile(str(path))
    po.find(HEADING).msgstr = "Part One, edited elsewhere"
    po.save(str(edited))
    subprocess.run(["pomerge", "-t", str(path), "-i", str(edited), "-o", str(path)], check=True, capture_output=True)
    heading = entry(project, HEADING)
    assert heading.msgstr == "Part One, edited elsewhere" and "Reviewed: " in heading.tcomment
    assert lifecycle.state(heading) == "translated"  # the review vouched for another text
    run("extract")
    heading = entry(project, HEADING)
    assert "Reviewed: " not in heading.tcomment and lifecycle.state(heading) == "translated"
    assert all("Reviewed: " in e.tcomment for e in load(project) if e.msgid != HEADING)


# -- Word kits ---------------------------------------------------------------------------------------


def _format_cell(kit):
    """Bold, italic and a link typed in the English cell of the heading's row, as Word stores them."""
    document = docx.Document(kit)
    row = next(r for r in document.tables[0].rows if r.cells[1].text == HEADING)
    paragraph = row.cells[2].paragraphs[0]
    paragraph.text = ""
    paragraph.add_run("Part ")
    paragraph.add_run("One").bold = True
    paragraph.add_run(", ")
    paragraph.add_run("again").italic = True
    paragraph.add_run(", see ")
    rid = document.part.relate_to("https://example.org/report", RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run_el = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "the report"
    run_el.append(text)
    link.append(run_el)
    paragraph._p.append(link)
    document.save(kit)


@pytest.mark.parametrize("saved_by", ["python-docx", "libreoffice"])
def test_word_formatting_in_a_kit_cell_becomes_markdown(run, project, tmp_path, saved_by):
    run("extract")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    _format_cell(kit)
    if saved_by == "libreoffice":
        need("soffice")
        out = tmp_path / "lo"
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                "--headless",
                "--norestore",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(out),
                str(kit),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.copy(out / kit.name, kit)
    result = run("submit", kit)
    assert "1 English cell(s) with Word bold, italic or links, read as Markdown" in result.output
    assert entry(project, HEADING).msgstr == "Part **One**, *again*, see [the report](https://example.org/report)"


def test_an_odt_named_docx_gets_a_plain_sentence(run, project, tmp_path):
    need("soffice")
    run("extract")
    text = tmp_path / "kit.txt"
    text.write_text("hello\n", encoding="utf-8")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(text),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    fake = tmp_path / "small.en.docx"
    shutil.move(tmp_path / "kit.odt", fake)
    result = run("submit", fake, code=3)
    assert "not a Word document: this is an OpenDocument text (.odt)" in result.stderr
    assert "KeyError" not in result.stderr and "Traceback" not in result.stderr
    (project / "source" / "other.docx").write_bytes(fake.read_bytes())
    assert "not a Word document" in run("extract", code=3).stderr


_VALUE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=90).map(str.strip)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    values=st.lists(_VALUE, min_size=3, max_size=3),
    width=st.sampled_from([0, 40, 60, 79]),
    changed=st.sets(st.integers(0, 2)),
    added=st.booleans(),
)
def test_a_changed_header_reads_back_as_written_in_the_files_order(values, width, changed, added):
    """Property: a header rewritten after a change keeps the file's field order, keeps unchanged
    fields' lines, and reads back (by polib, as gettext would) with exactly the new values."""
    names = ["Project-Id-Version", "X-Zeta", "Language"]  # not polib's order
    fields = "".join(f'"{polib.escape(f"{n}: {v}")}\\n"\n' for n, v in zip(names, values))
    text = f'msgid ""\nmsgstr ""\n{fields}\nmsgid "一"\nmsgstr "one"\n'
    read = pofile.parse(text, "x.po")
    assert list(read.metadata) == names
    new = {n: (f"{v} changed" if i in changed else v) for i, (n, v) in enumerate(zip(names, values))}
    read.metadata.update(new)
    if added:
        read.metadata["Last-Translator"] = "Someone With A Long Name <someone@newsroom.example.org>"
        new["Last-Translator"] = read.metadata["Last-Translator"]
    out = pofile.dump(read, width=width)  # as if the file were wrapped at that width
    back = polib.pofile(out)
    assert list(back.metadata.items()) == [(k, v.strip()) for k, v in new.items()]
    assert back.find("一").msgstr == "one"
    kept = [f'"{polib.escape(f"{n}: {v}")}\\n"' for i, (n, v) in enumerate(zip(names, values)) if i not in changed]
    header = out.split("\n\n")[0].splitlines()
    assert all(line in header for line in kept)  # unchanged fields as they were read
    if width:  # changed and new ones wrapped at the file's width (a run without spaces cannot break)
        assert all(len(ln) <= width or " " not in ln.strip('"') for ln in header if ln[:1] == '"' and ln not in kept)
