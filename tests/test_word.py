"""The Word editions, reopened with python-docx and converted by LibreOffice."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from workflow.po import catalog, pofile
from workflow.sources.source import parse_article

from .conftest import ARTICLE, po_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The three editions of the shipped article, built once."""
    import shutil as sh

    from .conftest import REPO, Run

    root = tmp_path_factory.mktemp("built")
    sh.copy(REPO / "pyproject.toml", root)
    sh.copytree(REPO / "source", root / "source")
    sh.copytree(REPO / "translations", root / "translations")
    with pytest.MonkeyPatch.context() as env:  # a module fixture: the setting must not outlive it
        env.setenv("SOURCE_DATE_EPOCH", "1774051200")
        Run(root)("build")
    return root


def edition(root, name):
    return root / "output" / f"{ARTICLE}.{name}.docx"


def resolve(document, paragraph, run, attr):
    """Effective rFonts/lang attribute of a run, resolved the way Word does:
    docDefaults → paragraph style chain → run properties; returns (value, level)."""
    styles = document.styles.element
    found = (None, None)
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    tag, name = attr

    def look(rpr, level):
        nonlocal found
        if rpr is None:
            return
        el = rpr.find(f"{W}{tag}")
        if el is not None:
            theme = el.get(f"{W}{name}Theme") or (el.get(f"{W}cstheme") if name == "cs" else None)
            if theme:
                found = ("THEME:" + theme, level)
            elif el.get(f"{W}{name}") is not None:
                found = (el.get(f"{W}{name}"), level)

    look(defaults, "docDefaults")
    chain = []
    style = paragraph.style
    while style is not None:
        chain.append(style)
        style = style.base_style
    for style in reversed(chain):
        look(style.element.find(f"{W}rPr"), f"style {style.name}")
    look(run._r.find(f"{W}rPr"), "run")
    return found


def chinese_runs(document):
    for p in document.paragraphs:
        for r in p.runs:
            if HAN.search(r.text):
                yield p, r
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for r in p.runs:
                        if HAN.search(r.text):
                            yield p, r


@pytest.mark.parametrize("name", ["zh", "en", "bilingual"])
def test_every_chinese_run_resolves_to_an_explicit_chinese_font_and_zh_cn(built, name):
    document = docx.Document(edition(built, name))
    runs = list(chinese_runs(document))
    assert runs or name == "en"
    for p, r in runs:
        font, level = resolve(document, p, r, ("rFonts", "eastAsia"))
        assert font in ("SimSun", "SimHei", "KaiTi", "Microsoft YaHei"), (font, level, r.text[:10])
        lang, _ = resolve(document, p, r, ("lang", "eastAsia"))
        assert lang == "zh-CN"


@pytest.mark.parametrize("name", ["zh", "en", "bilingual"])
def test_latin_text_is_serif_and_in_the_editions_language(built, name):
    """The document's language is the edition's (LibreOffice takes the PDF's
    /Lang from it); in the bilingual edition every English run says en-US."""
    document = docx.Document(edition(built, name))
    p = next(p for p in document.paragraphs if p.runs)
    assert resolve(document, p, p.runs[0], ("rFonts", "ascii"))[0] == "Times New Roman"
    assert resolve(document, p, p.runs[0], ("lang", "val"))[0] == ("en-US" if name == "en" else "zh-CN")
    english = [(p, r) for p in document.paragraphs for r in p.runs if r.text.strip() and not HAN.search(r.text)]
    assert english or name == "zh"
    for p, r in english if name != "zh" else []:
        assert resolve(document, p, r, ("lang", "val"))[0] == "en-US", r.text[:20]
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    assert theme_lang.get(qn("w:eastAsia")) == "zh-CN"
    # no theme font anywhere in the styles
    xml = document.styles.element.xml
    assert "Theme=" not in xml and "w:cstheme" not in xml


CREDIT = "长沙晚报全媒体记者 黄启晴 摄"  # the shipped article's one credit on a line of its own


def printed(blocks, text=lambda b: b.text):
    """Blocks as the editions print them: a credit line joins the caption
    above it after a line break."""
    out = []
    for block in blocks:
        if block.text == CREDIT:
            assert out[-1][0].role.value == "caption"
            out[-1] = (out[-1][0], f"{out[-1][1]}\n{text(block)}")
        else:
            out.append((block, text(block)))
    return out


def test_chinese_edition_equals_the_source_block_for_block(built):
    document = docx.Document(edition(built, "zh"))
    article = parse_article((built / "source" / f"{ARTICLE}.md").read_text(encoding="utf-8"))
    assert [p.text for p in document.paragraphs] == [t for _, t in printed(article.blocks)]
    assert len(document.paragraphs) == len(article.blocks) - 1


def test_styles_by_role(built):
    document = docx.Document(edition(built, "zh"))
    article = parse_article((built / "source" / f"{ARTICLE}.md").read_text(encoding="utf-8"))
    expected = {
        "title": "Title",
        "subtitle": "Subtitle",
        "byline": "Byline",
        "deck": "Heading Deck",
        "caption": "Caption",
        "body": "Normal",
        "kicker": "Kicker",
    }
    for p, (block, _) in zip(document.paragraphs, printed(article.blocks)):
        want = f"Heading {block.level}" if block.role.value == "heading" else expected[block.role.value]
        assert p.style.name == want, block.text
    h1, title = document.styles["Heading 1"].element, document.styles["Title"].element
    assert title.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "0"  # the PDF tags the title H1
    assert h1.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "1"  # and the heads under it H2, H3
    assert document.styles["Caption"].style_id == "Caption"


def test_chinese_typography(built):
    document = docx.Document(edition(built, "zh"))
    normal = document.styles["Normal"].element.find(f"{W}pPr")
    ind = normal.find(f"{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200" and ind.get(f"{W}firstLine") == "480"
    assert normal.find(f"{W}jc").get(f"{W}val") == "both"
    spacing = normal.find(f"{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("420", "exact")  # 12 pt on 21 pt
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading Deck", "Byline", "Caption"):
        ind = document.styles[name].element.find(f"{W}pPr/{W}ind")
        assert ind.get(f"{W}firstLineChars") == "0" and ind.get(f"{W}firstLine") == "0", name
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert "PAGE" in section.footer._element.xml


def test_no_empty_paragraphs_and_no_fake_headings(built):
    for name in ("zh", "en", "bilingual"):
        document = docx.Document(edition(built, name))
        assert all(p.text.strip() for p in document.paragraphs), name
        for p in document.paragraphs:
            if p.style.name == "Normal":
                assert not any(r.bold for r in p.runs)


def test_english_edition_has_every_translation_in_order(built):
    document = docx.Document(edition(built, "en"))
    po = pofile.load(po_path(built, ARTICLE), "x")
    article = parse_article((built / "source" / f"{ARTICLE}.md").read_text(encoding="utf-8"))
    index = catalog.index_by_id(po)
    from workflow.sources.segment import block_segment

    expected = [t for _, t in printed(article.blocks, lambda b: index[block_segment(b).id].msgstr)]
    assert [p.text for p in document.paragraphs] == expected
    assert not any(HAN.search(p.text) for p in document.paragraphs)
    assert document.paragraphs[3].text.startswith("By ")
    caption = document.styles["Caption"].element.find(f"{W}rPr/{W}i")
    assert caption.get(f"{W}val") == "1"


def test_bilingual_alternates_and_pairs_roles(built):
    document = docx.Document(edition(built, "bilingual"))
    paragraphs = document.paragraphs
    assert len(paragraphs) == 2 * (54 - 1)  # 54 segments, a credit inside its caption
    for zh, en in zip(paragraphs[::2], paragraphs[1::2]):
        assert HAN.search(zh.text) and not HAN.search(en.text)
        assert zh.style.name.replace("Chinese", "") == en.style.name.replace("English", "")
    assert (
        document.core_properties.title
        == "牢记嘱托 跃马扬鞭 / Keeping Xi’s Instructions in Mind, Changsha Gallops Ahead"
    )


def test_bilingual_table_layout(run_shipped, shipped):
    run_shipped("build", "--edition", "bilingual", "--layout", "table")
    document = docx.Document(edition(shipped, "bilingual"))
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["中文", "English"]
    assert len(table.rows) == 1 + 51  # title and subtitle stay above the table; a credit inside its caption
    for row in table.rows[1:]:
        zh, en = row.cells
        assert HAN.search(zh.text) and not HAN.search(en.text)
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    whole = [row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in table.rows[1:]]
    assert any(whole) and not all(whole)  # short rows never break (no widows), long ones may (no deep holes)
    heads = [row for row in table.rows[1:] if row.cells[0].paragraphs[0].style.name.startswith("Heading")]
    assert heads and all(
        row.cells[0].paragraphs[0]._p.find(f"{W}pPr/{W}keepNext").get(f"{W}val") is None for row in heads
    )  # a head's row is kept with the row after it


def test_metadata_and_reproducible_zip(built, tmp_path):
    data = edition(built, "en").read_bytes()
    document = docx.Document(edition(built, "en"))
    cp = document.core_properties
    assert cp.title == "Keeping Xi’s Instructions in Mind, Changsha Gallops Ahead"
    assert cp.language == "en-US" and cp.comments == ""
    assert cp.author == "Liu Jieping" and cp.last_modified_by == "Changsha Evening News"  # the reporter; the publisher
    with zipfile.ZipFile(edition(built, "en")) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # The same project built again elsewhere (another folder, another time of day) gives the same bytes.
    import shutil as sh

    from .conftest import Run

    elsewhere = tmp_path / "elsewhere"
    for part in ("source", "translations"):
        sh.copytree(built / part, elsewhere / part)
    sh.copy(built / "pyproject.toml", elsewhere)
    Run(elsewhere)("build", "--edition", "en")
    assert data == edition(elsewhere, "en").read_bytes()


def test_two_builds_are_byte_identical(run_shipped, shipped, tmp_path):
    run_shipped("build", "--out", tmp_path / "a")
    run_shipped("build", "--out", tmp_path / "b")
    for name in ("zh", "en", "bilingual"):
        assert (tmp_path / "a" / f"{ARTICLE}.{name}.docx").read_bytes() == (
            tmp_path / "b" / f"{ARTICLE}.{name}.docx"
        ).read_bytes()


def test_gate_refuses_unfinished_translation_and_draft_marks_it(run, project):
    run("extract")
    result = run("build", code=1)
    assert "untranslated" in result.stderr and "10 problem(s) block" in result.stderr
    assert "source/small.md:16: lint: caption without a photo" in result.stderr
    assert not (project / "output" / "small.en.docx").exists()
    run("build", "--draft")
    assert not (project / "output" / "small.en.docx").exists()  # a draft has its own name
    document = docx.Document(project / "output" / "small.en.draft.docx")
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    highlighted = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted and all(HAN.search(r.text) for r in highlighted)


def test_fuzzy_translation_is_marked_in_draft(run, project):
    run("extract")
    po = pofile.load(po_path(project), "x")
    for e in po:
        e.msgstr = "Translated text."
    po[0].flags.append("fuzzy")
    po_path(project).write_text(pofile.dump(po), encoding="utf-8")
    run("build", "--edition", "en", code=1)
    run("build", "--edition", "en", "--draft")
    document = docx.Document(project / "output" / "small.en.draft.docx")
    assert document.paragraphs[0].text.startswith("[fuzzy] ")


def test_control_character_in_a_translation_is_a_clear_error(run, project):
    run("extract")
    po = pofile.load(po_path(project), "x")
    for e in po:
        e.msgstr = "Fine text."
    po[2].msgstr = "Bad\x0btext."  # written escaped (\v): the PO file is fine, the text is not
    po_path(project).write_text(pofile.dump(po), encoding="utf-8")
    assert "\\v" in po_path(project).read_text(encoding="utf-8")
    result = run("build", "--edition", "en", "--draft", code=3)
    assert f"segment {catalog.entry_id(po[2])}" in result.stderr and "U+000B" in result.stderr


def test_more_target_languages_give_more_editions(run, project):
    (project / "pyproject.toml").write_text('[tool.bilingual]\ntarget_languages = ["en", "fr"]\n', encoding="utf-8")
    run("extract")
    assert po_path(project, lang="fr").is_file()
    run("build", "--edition", "fr", "--draft")
    assert (project / "output" / "small.fr.draft.docx").is_file()
    assert docx.Document(project / "output" / "small.fr.draft.docx").core_properties.language == "fr"


def test_markdown_inline_markup_survives_into_the_edition(run, project):
    (project / "source" / "inline.md").write_text(
        "# 题\n\n包含**加粗**、*强调*和[链接](https://example.org)。\n", encoding="utf-8"
    )
    run("build", "inline", "--edition", "zh")
    document = docx.Document(project / "output" / "inline.zh.docx")
    p = document.paragraphs[1]
    assert p.text == "包含加粗、强调和链接。"
    assert [r.text for r in p.runs if r.bold] == ["加粗"]
    assert [r.text for r in p.runs if r.italic] == ["强调"]
    assert "https://example.org" in [rel.target_ref for rel in document.part.rels.values() if rel.is_external]


def test_require_review_gate(run_shipped, shipped):
    """With require_review, a translated but unreviewed segment blocks a
    non-draft build; the shipped translation is reviewed, so it passes."""
    config = shipped / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[tool.bilingual]", "[tool.bilingual]\nrequire_review = true"),
        encoding="utf-8",
    )
    run_shipped("build", "--edition", "en")
    po = pofile.load(po_path(shipped, ARTICLE), "x")
    po[5].msgstr += " Edited after review."
    po_path(shipped, ARTICLE).write_text(pofile.dump(po), encoding="utf-8")
    result = run_shipped("build", "--edition", "en", code=1)
    assert f"{catalog.entry_id(po[5])}" in result.stderr and "not reviewed" in result.stderr


def test_no_progress_bar_when_not_a_terminal(run, project):
    result = run("build", "--edition", "zh", "--draft")  # its caption has no photo: a final is refused
    assert "building" not in result.stderr and "building" not in result.output and "\nwrote " in "\n" + result.output
