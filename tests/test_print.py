"""Print-ready editions: valid for Word (openxml-audit), fonts declared, no
template leftovers, newspaper roles and spacing read back from the files,
the lint gate, and PDF through LibreOffice."""

from __future__ import annotations

import calendar
import itertools
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from workflow.po import pofile

from . import ooxmlaudit, pdflines
from .conftest import ARTICLE, REPO, Run, po_path
from .test_wordsource import PHOTO_MD, photo

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HAN = re.compile(r"[\u3400-\u9fff]")
EDITIONS = ("zh", "en", "bilingual")


def _copy_shipped(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "translations", root / "translations")
    return root


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Every kind of edition of the shipped article, built once: final
    (alternating), bilingual table, draft, and one article with photos."""
    root = _copy_shipped(tmp_path_factory.mktemp("print") / "shipped")
    with pytest.MonkeyPatch.context() as env:  # the editions' date is the catalogs', whatever ran before
        env.delenv("SOURCE_DATE_EPOCH", raising=False)
        _build_editions(root)
    return root


def _build_editions(root: Path) -> None:
    run = Run(root)
    run("build", "--out", root / "final")
    run("build", "--edition", "bilingual", "--layout", "table", "--out", root / "table")
    run("build", "--draft", "--out", root / "draft")
    photo(root / "source" / "photos" / "train.jpg", (2400, 1600))
    photo(root / "source" / "photos" / "coffee.png", (600, 400), "PNG", (40, 90, 200))
    (root / "source" / "photo.md").write_text(PHOTO_MD, encoding="utf-8")
    run("extract", "photo")
    run("build", "photo", "--draft", "--out", root / "photos")
    run("build", "photo", "--draft", "--layout", "table", "--edition", "bilingual", "--out", root / "photos-table")


def final(root: Path, name: str) -> Path:
    return root / "final" / f"{ARTICLE}.{name}.docx"


def part(path: Path, member: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(member))


def every_docx(root: Path) -> list[Path]:
    return sorted(
        p for folder in ("final", "table", "draft", "photos", "photos-table") for p in (root / folder).glob("*.docx")
    )


# -- valid OOXML, fonts, no template leftovers ----------------------------------------------------


def test_openxml_audit_finds_nothing_in_any_edition(editions):
    files = every_docx(editions)
    assert len(files) == 3 + 1 + 3 + 3 + 1
    for path, schema in itertools.product(files, ooxmlaudit.SCHEMAS):
        ooxmlaudit.assert_clean(path, schema)


def test_font_table_declares_the_chinese_faces_and_no_japanese_ones(editions):
    for name in EDITIONS:
        fonts = {f.get(f"{W}name"): f for f in part(final(editions, name), "word/fontTable.xml")}
        for face, alt in (("SimSun", "宋体"), ("SimHei", "黑体"), ("KaiTi", "楷体"), ("Microsoft YaHei", "微软雅黑")):
            font = fonts[face]
            assert font.find(f"{W}altName").get(f"{W}val") == alt
            assert font.find(f"{W}charset").get(f"{W}val") == "86"  # GB2312
            assert font.find(f"{W}family") is not None and font.find(f"{W}pitch") is not None
        assert "Times New Roman" in fonts and "Courier New" in fonts
        assert not any(n.startswith("ＭＳ") or "Mincho" in n or "Gothic" in n for n in fonts), sorted(fonts)


def test_app_properties_name_this_tool_with_real_counts(editions):
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    source = (editions / "source" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    for name in EDITIONS:
        app = {el.tag.replace(ns, ""): el.text for el in part(final(editions, name), "docProps/app.xml")}
        assert app["Application"] == "bilingual" and re.fullmatch(r"\d\d\.\d{4}", app["AppVersion"])
        document = docx.Document(final(editions, name))
        text = "".join(p.text for p in document.paragraphs)
        assert int(app["Paragraphs"]) == sum(bool(p.text.strip()) for p in document.paragraphs)
        assert int(app["Characters"]) == len(re.sub(r"\s", "", text))
        assert int(app["CharactersWithSpaces"]) == len(text.replace("\n", ""))
        words = int(app["Words"])
        if name == "en":
            assert words == len(text.replace("\n", " ").split()) or abs(words - len(text.split())) < 60
        else:  # every Chinese character is a word, as Word counts
            assert words >= len(HAN.findall(source)) * 0.95
        assert "Microsoft" not in str(app) and "Normal.dotm" not in str(app)


def test_no_template_leftovers_in_the_package(editions):
    for path in every_docx(editions):
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            rels = z.read("_rels/.rels").decode() + z.read("word/_rels/document.xml.rels").decode()
            types = z.read("[Content_Types].xml").decode()
        assert not {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"} & names, path.name
        assert not any(n.startswith("customXml/") for n in names), path.name
        assert "thumbnail" not in rels and "stylesWithEffects" not in rels and "customXml" not in rels
        assert "stylesWithEffects" not in types and "thumbnail" not in types.lower()
        settings = part(path, "word/settings.xml")
        assert settings.find(f"{W}savePreviewPicture") is None


def test_footer_and_draft_header_have_one_paragraph_property_set(editions):
    for path in [final(editions, "en"), editions / "draft" / f"{ARTICLE}.en.draft.docx"]:
        for member in ["word/footer1.xml", "word/header1.xml"]:
            paragraphs = list(part(path, member).iter(f"{W}p"))
            for p in paragraphs:
                assert len(p.findall(f"{W}pPr")) == 1, (path.name, member)
            if member == "word/footer1.xml" or "draft" in path.name:  # the folio; the draft note
                assert paragraphs[0].find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"


def test_every_page_carries_the_running_head_from_the_configuration(editions):
    """Page furniture: paper · date · section at the left, the article's
    short title at the right, over a rule; the folio below.  Defaults: the
    publisher's name, the edition's date, no section."""
    texts = {
        name: "".join(t.text or "" for t in part(final(editions, name), "word/header1.xml").iter(f"{W}t"))
        for name in EDITIONS
    }
    revised = re.search(
        r"PO-Revision-Date: (\d{4})-(\d\d)-(\d\d)",
        (editions / "translations" / "en" / f"{ARTICLE}.po").read_text(encoding="utf-8"),
    )
    year, month, day = (int(g) for g in revised.groups())  # the edition's date is the translation's last revision
    assert texts["zh"] == f"Changsha Evening News · {year}年{month}月{day}日牢记嘱托 跃马扬鞭", texts
    assert texts["en"] == (
        f"Changsha Evening News · {calendar.month_name[month]} {day}, {year}Keeping Xi’s Instructions in Mind"
    ), texts
    head = part(final(editions, "zh"), "word/header1.xml").find(f"{W}p")
    assert head.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None and head.find(f"{W}r/{W}tab") is not None


# -- newspaper roles ---------------------------------------------------------------------------------


def _style_ppr(document, name):
    return document.styles[name].element.find(f"{W}pPr")


def _style_rpr(document, name):
    return document.styles[name].element.find(f"{W}rPr")


def _half_points(rpr) -> int:
    return int(rpr.find(f"{W}sz").get(f"{W}val"))


def test_kicker_style_is_small_light_tight_and_not_an_outline_level(editions):
    for name in ("zh", "en"):
        document = docx.Document(final(editions, name))
        kicker, head = _style_ppr(document, "Kicker"), _style_ppr(document, "Heading 2")
        assert _half_points(_style_rpr(document, "Kicker")) < _half_points(_style_rpr(document, "Heading 2"))
        bold = _style_rpr(document, "Kicker").find(f"{W}b")
        assert bold is None or bold.get(f"{W}val") in ("0", "false")  # not bold
        assert _style_rpr(document, "Heading 2").find(f"{W}b").get(f"{W}val") in ("1", "true")
        assert kicker.find(f"{W}outlineLvl") is None and head.find(f"{W}outlineLvl") is not None
        assert kicker.find(f"{W}spacing").get(f"{W}after") == "0" and kicker.find(f"{W}keepNext") is not None
        paragraphs = document.paragraphs
        kickers = [i for i, p in enumerate(paragraphs) if p.style.name == "Kicker"]
        assert len(kickers) == 4, name  # the shipped article's four 肩题
        for i in kickers:  # the head under it is set tight to it
            assert paragraphs[i + 1].style.name == "Heading 2"
            assert paragraphs[i + 1]._p.find(f"{W}pPr/{W}spacing").get(f"{W}before") == "0"


def test_no_two_consecutive_paragraphs_share_a_heading_style(editions):
    for name in ("zh", "en"):
        styles = [p.style.name for p in docx.Document(final(editions, name)).paragraphs]
        for a, b in itertools.pairwise(styles):
            assert not (a == b and a.startswith("Heading")), (name, a)


def test_every_head_kicker_and_deck_keeps_with_next(editions):
    document = docx.Document(final(editions, "zh"))
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading Deck", "Kicker", "Photo"):
        assert _style_ppr(document, name).find(f"{W}keepNext") is not None, name


def test_the_photo_credit_is_inside_its_caption_paragraph(editions):
    credit = {"zh": "长沙晚报全媒体记者 黄启晴 摄", "en": "Photo by Huang Qiqing"}
    for name in EDITIONS:
        paragraphs = docx.Document(final(editions, name)).paragraphs
        lines = [credit[k] for k in ("zh", "en") if name in (k, "bilingual")]
        for line in lines:
            (holder,) = [p for p in paragraphs if line in p.text]
            assert holder.style.name == "Caption", name
            caption, _, after = holder.text.partition("\n")
            assert after.startswith(line) and len(caption) > 10, (name, holder.text)  # the caption, a break, the credit
        assert not any(p.text.strip().startswith(tuple(lines)) for p in paragraphs), name  # no credit on its own


# -- typography ----------------------------------------------------------------------------------------


def test_chinese_body_is_set_on_exact_leading_off_the_grid_with_widow_control(editions):
    document = docx.Document(final(editions, "zh"))
    normal = _style_ppr(document, "Normal")
    spacing = normal.find(f"{W}spacing")
    size = _half_points(_style_rpr(document, "Normal")) / 2
    leading = int(spacing.get(f"{W}line")) / 20
    assert spacing.get(f"{W}lineRule") == "exact" and size == 12 and 20 <= leading <= 22
    assert normal.find(f"{W}snapToGrid").get(f"{W}val") == "0"
    assert normal.find(f"{W}widowControl") is not None
    ind = normal.find(f"{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200" and normal.find(f"{W}jc").get(f"{W}val") == "both"


def test_english_text_may_hyphenate_and_chinese_does_not(editions):
    for name, hyphenates in (("zh", False), ("en", True), ("bilingual", True)):
        settings = part(final(editions, name), "word/settings.xml")
        assert (settings.find(f"{W}autoHyphenation") is not None) == hyphenates, name
    document = docx.Document(final(editions, "en"))
    assert _style_ppr(document, "Normal").find(f"{W}widowControl") is not None


def test_alternating_pairs_are_tight_and_pairs_far_apart(editions):
    document = docx.Document(final(editions, "bilingual"))
    zh, en = _style_ppr(document, "Body Chinese"), _style_ppr(document, "Body English")

    def twips(ppr, side):
        return int(ppr.find(f"{W}spacing").get(f"{W}{side}", "0"))

    inside = twips(zh, "after") + twips(en, "before")
    between = twips(en, "after") + twips(zh, "before")
    assert between >= 240 and between >= 3 * inside, (inside, between)
    # a short Chinese paragraph is kept with its English; a long pair may break between the two (no holes)
    kept = [p._p.find(f"{W}pPr/{W}keepNext") is not None for p in document.paragraphs if p.style.name == "Body Chinese"]
    assert any(kept) and not all(kept)
    en_subtitle = next(p for p in document.paragraphs if p.text.startswith("A special report"))
    assert all(r.italic for r in en_subtitle.runs)
    # every other pair (heads, captions, bylines) is tight by direct formatting
    paragraphs = document.paragraphs
    for first, second in zip(paragraphs[::2], paragraphs[1::2]):
        if first.style.name == "Body Chinese":
            continue
        assert first._p.find(f"{W}pPr/{W}keepNext") is not None, first.text
        assert first._p.find(f"{W}pPr/{W}spacing").get(f"{W}after") == "0"
        assert second._p.find(f"{W}pPr/{W}spacing").get(f"{W}before") == "0"


def test_bilingual_table_fits_the_text_width_with_light_rules(editions):
    path = editions / "table" / f"{ARTICLE}.bilingual.docx"
    document = docx.Document(path)
    section = document.sections[0]
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    (table,) = document.tables
    tbl = table._tbl
    grid = [int(c.get(f"{W}w")) for c in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert abs(sum(grid) - text_width) <= 1 and int(tbl.tblPr.find(f"{W}tblW").get(f"{W}w")) == sum(grid)
    assert tbl.tblPr.find(f"{W}tblW").get(f"{W}type") == "dxa"
    borders = {b.tag.replace(W, ""): b.get(f"{W}val") for b in tbl.tblPr.find(f"{W}tblBorders")}
    assert borders["insideH"] == "single" and borders["top"] == "single"
    assert borders["insideV"] == borders["left"] == borders["right"] == "nil"
    header = table.rows[0]
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    for cell in header.cells:
        ppr = cell.paragraphs[0]._p.find(f"{W}pPr")
        assert ppr.find(f"{W}jc").get(f"{W}val") == "center"
        assert ppr.find(f"{W}ind").get(f"{W}firstLineChars") == "0" == ppr.find(f"{W}ind").get(f"{W}firstLine")
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                spacing = p._p.find(f"{W}pPr/{W}spacing")
                assert spacing.get(f"{W}before") == "0" and spacing.get(f"{W}after") == "0", p.text[:20]


# -- the lint gate ------------------------------------------------------------------------------------

TRUNCATED = """# 长沙开放新图景

长沙晚报全媒体记者 刘捷萍

春风又绿湘江岸，星城处处涌动着实干争先的蓬勃朝气。

近日，长沙片区推出务实扶持举措，进一步助力片区提升

开放大潮涌星城，通江达海谱新篇。
"""


def _translated(root: Path) -> Run:
    run = Run(root)
    run("extract")
    english = {
        "长沙开放新图景": "Changsha's New Picture of Opening-Up",
        "长沙晚报全媒体记者 刘捷萍": "By Liu Jieping, Changsha Evening News",
        "春风又绿湘江岸，星城处处涌动着实干争先的蓬勃朝气。": "Spring has turned the banks of the Xiangjiang green, and the Star City is alive with drive.",
        "近日，长沙片区推出务实扶持举措，进一步助力片区提升": "The Changsha Area recently introduced practical support measures to help the area develop further.",
        "开放大潮涌星城，通江达海谱新篇。": "The tide of opening-up surges through the Star City, reaching rivers and seas.",
    }
    po = pofile.load(po_path(root, "cut"), "x")
    for entry in po:
        entry.msgstr = english[entry.msgid]
    po_path(root, "cut").write_text(pofile.dump(po), encoding="utf-8")
    return run


def test_a_lint_defect_blocks_a_final_build_until_accepted(project):
    (project / "source" / "small.md").unlink()
    (project / "source" / "cut.md").write_text(TRUNCATED, encoding="utf-8")
    run = _translated(project)
    assert "1 suspected defect(s)\n" in run("lint", code=1).output + "\n"
    result = run("build", code=1)
    assert "source/cut.md:7: lint: ends without end punctuation" in result.stderr
    assert "--accept lint --segment" in result.stderr
    assert not (project / "output").exists()
    draft = run("build", "--draft")
    assert "1 source defect(s) from lint not accepted" in draft.stderr
    assert {p.name for p in (project / "output").iterdir()} == {f"cut.{e}.draft.docx" for e in EDITIONS}
    sid = re.search(r"--segment (\w+)", result.stderr).group(1)
    run("review", "cut", "--accept", "lint", "--segment", sid, code=2)  # a reason is required
    run("review", "cut", "--accept", "lint", "--segment", sid, "--note", "cut in the copy as received")
    assert "Accept: lint — cut in the copy as received" in po_path(project, "cut").read_text(encoding="utf-8")
    assert "(accepted in review)" in run("lint").output  # the gate lint and build share: met
    run("build")
    names = {p.name for p in (project / "output").iterdir()}
    assert {f"cut.{e}.docx" for e in EDITIONS} | {
        f"cut.{e}.draft.docx" for e in EDITIONS
    } == names  # drafts beside finals


CAPTIONED = """# 长沙开放新图景

从长沙开往莫斯科的中欧班列。长沙晚报全媒体记者 王志伟 摄

春风又绿湘江岸，星城处处涌动着实干争先的蓬勃朝气。

近日，卢旺达咖啡首次直抵长沙机场口岸。

长沙晚报全媒体记者 黄启晴 摄
"""


def test_a_caption_without_its_photo_blocks_a_final_build_until_accepted(project):
    """Seven captions of the shipped article printed under no photo, one under
    the subtitle, and nothing said so: now lint reports each caption (a credit
    line on its own joins the caption above it), a final build refuses, a
    draft shows a frame where the photo goes, and an editor's decision lets the
    caption print alone."""
    (project / "source" / "small.md").unlink()
    (project / "source" / "cap.md").write_text(CAPTIONED, encoding="utf-8")
    run = Run(project)
    run("extract")
    po = pofile.load(po_path(project, "cap"), "x")
    for entry in po:
        entry.msgstr = {
            "title": "Changsha's New Picture of Opening-Up",
            "body": "Spring has come to the Xiangjiang.",
        }.get(
            entry.msgctxt,
            "Photo by Huang Qiqing"
            if entry.msgid.endswith("黄启晴 摄")
            else "Rwandan coffee arrived at Changsha airport's port for the first time."
            if "咖啡" in entry.msgid
            else "A China-Europe freight train leaves Changsha for Moscow. Photo by Wang Zhiwei",
        )
    po_path(project, "cap").write_text(pofile.dump(po), encoding="utf-8")
    result = run("lint", code=1)
    assert result.stdout.count("caption without a photo") == 2 and "2 suspected defect(s)" in result.stdout
    assert "source/cap.md:3:" in result.stdout and "source/cap.md:7:" in result.stdout
    blocked = run("build", code=1).stderr
    assert blocked.count("lint: caption without a photo") == 2, blocked
    run("build", "--draft")
    draft = docx.Document(project / "output" / "cap.zh.draft.docx")
    frames = [p for p in draft.paragraphs if "PHOTO MISSING" in p.text]
    assert len(frames) == 2 and all(p._p.find(f"{W}pPr/{W}pBdr") is not None for p in frames)
    for sid in re.findall(r"--segment (\w+)", blocked):
        run(
            "review",
            "cap",
            "--accept",
            "lint",
            "--segment",
            sid,
            "--note",
            "the photo desk places the photos at make-up",
        )
    assert "2 suspected defect(s), 2 accepted in review" in run("lint").stdout
    run("build")
    final_zh = docx.Document(project / "output" / "cap.zh.docx")
    assert not any("PHOTO MISSING" in p.text for p in final_zh.paragraphs)
    assert sum(p.style.name == "Caption" for p in final_zh.paragraphs) == 2  # the credit inside its caption


def test_the_shipped_article_carries_its_lint_decision(run_shipped, shipped):
    """The editor's decision on the truncated paragraph: accepted, with the
    reason, and the English closes its sentence."""
    assert (
        "7 suspected defect(s), 7 accepted in review" in run_shipped("lint").stdout
    )  # and six captions without photos
    entries = po_path(shipped, ARTICLE).read_text(encoding="utf-8").split("\n\n")
    (block,) = [e for e in entries if "ID: 64e8sptc" in e]
    assert "# Accept: lint" in block and "as received" in block
    captions = [e for e in entries if '\nmsgctxt "caption"' in e and "# Accept: lint" in e]
    assert len(captions) == 6  # printed without their photos: the editor's decision, with its reason
    msgstr = (
        pofile.load(po_path(shipped, ARTICLE), "x")
        .find(
            "近日，湖南自贸区长沙片区高水平开放高质量发展若干政策，聚焦十大领域推出务实扶持举措，单项最高奖励2000万元，进一步助力片区提升",
            msgctxt="body",
        )
        .msgstr
    )
    assert msgstr.endswith(".")


# -- PDF ---------------------------------------------------------------------------------------------------


def test_pdf_without_libreoffice_is_a_usage_error_and_writes_nothing(run_shipped, shipped, monkeypatch):
    monkeypatch.setenv("BILINGUAL_SOFFICE", "no-such-soffice-here")
    result = run_shipped("build", "--pdf", code=2)
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("bilingual:")]
    assert "LibreOffice" in line and "apt install libreoffice-writer" in line
    assert not (shipped / "output").exists()


def test_a_failing_libreoffice_leaves_no_file_behind(run_shipped, shipped, monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'simulated crash' >&2\nexit 81\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("BILINGUAL_SOFFICE", str(fake))
    result = run_shipped("build", "--pdf", code=69)
    assert "LibreOffice failed (exit 81): simulated crash" in result.stderr
    assert not (shipped / "output").exists() or not any((shipped / "output").iterdir())


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not _soffice(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_beside_each_edition_keeps_the_chinese_embeds_fonts_and_is_reproducible(run_shipped, shipped, tmp_path):
    os.environ.pop("BILINGUAL_SOFFICE", None)
    run_shipped("build", "--pdf")
    out = shipped / "output"
    for name in EDITIONS:
        pdf = out / f"{ARTICLE}.{name}.pdf"
        document = docx.Document(out / f"{ARTICLE}.{name}.docx")
        han_docx = sum(len(HAN.findall(p.text)) for p in document.paragraphs)
        text = "".join(line.text for line in pdflines.pdf_lines(pdf))  # the body, not the running heads
        assert len(HAN.findall(text)) == han_docx, name  # every Chinese character
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Title:           {document.core_properties.title}" in info
        assert b"/Lang(" + document.core_properties.language.encode() + b")" in pdf.read_bytes()
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[
            2:
        ]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded
        if name != "en":
            assert any("CJK" in line for line in fonts)
    first = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    result = run_shipped("build", "--pdf")
    assert "6 edition(s) unchanged" in result.stdout
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == first


# -- what the PDFs print: every mark, the line rules, the document's language ------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Every PDF edition of the shipped article (alternating and table), built once."""
    if not (_soffice() and shutil.which("pdftotext")):
        pytest.skip("LibreOffice and poppler-utils are needed")
    os.environ.pop("BILINGUAL_SOFFICE", None)
    root = _copy_shipped(tmp_path_factory.mktemp("pdf") / "shipped")
    run = Run(root)
    run("build", "--pdf", "--out", root / "final")
    run("build", "--edition", "bilingual", "--layout", "table", "--pdf", "--out", root / "table")
    return root


PDF_EDITIONS = [("final", "zh"), ("final", "en"), ("final", "bilingual"), ("table", "bilingual")]


def _compared(root: Path, folder: str, name: str):
    docx_path = root / folder / f"{ARTICLE}.{name}.docx"
    return pdflines.compare(
        docx_path, docx_path.with_suffix(".pdf"), pdflines.table_split(docx_path) if folder == "table" else None
    )


@pytest.mark.parametrize("folder,name", PDF_EDITIONS)
def test_the_pdf_prints_every_character_of_its_edition(pdfs, folder, name):
    """Punctuation included: LibreOffice hung a comma past the margin and
    never drew it (four ， and one 、 of the shipped article were lost)."""
    result = _compared(pdfs, folder, name)
    assert result.missing == [] and result.extra == [], (result.missing[:5], result.extra[:5])
    printed = sum(len(line.text) for line in result.lines if line.start >= 0)
    assert printed >= sum(len(s.text) for s in result.streams.values()) > 1000


@pytest.mark.parametrize("folder,name", PDF_EDITIONS)
def test_no_printed_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(pdfs, folder, name):
    """避头尾 on the page: ，。、…… never begin a line, “（《 never end one."""
    result = _compared(pdfs, folder, name)
    assert pdflines.broken_rules(result) == []


@pytest.mark.parametrize("folder,name", PDF_EDITIONS)
def test_no_stub_page(pdfs, folder, name):
    """No page holds only a table's repeated header row and a line or two."""
    assert pdflines.stub_pages(_compared(pdfs, folder, name)) == []


@pytest.mark.parametrize("folder,name", PDF_EDITIONS)
def test_the_document_language_is_the_editions(pdfs, folder, name):
    """The catalog's /Lang (what a screen reader starts in), not only a span's:
    zh-CN for Chinese and for the bilingual edition (Chinese leads every pair,
    the English spans say en-US), en-US for English."""
    data = (pdfs / folder / f"{ARTICLE}.{name}.pdf").read_bytes()
    catalog = re.search(rb"<<\s*/Type\s*/Catalog(.*?)>>\s*endobj", data, re.S).group(1)
    want = b"en-US" if name == "en" else b"zh-CN"
    assert re.search(rb"/Lang\s*\(([^)]*)\)", catalog).group(1) == want
    if name == "bilingual":
        assert b"/Lang(en-US)" in data  # the English paragraphs


def test_word_files_declare_compression_kinsoku_and_no_hanging_punctuation(editions):
    """What Word reads: compress punctuation (标点挤压), the 避头尾 lists for
    zh-CN, kinsoku on and hanging punctuation off for every paragraph."""
    from workflow.word import typography

    for path in every_docx(editions):
        settings = part(path, "word/settings.xml")
        assert settings.find(f"{W}characterSpacingControl").get(f"{W}val") == "compressPunctuation"
        before, after = settings.find(f"{W}noLineBreaksBefore"), settings.find(f"{W}noLineBreaksAfter")
        assert before.get(f"{W}lang") == after.get(f"{W}lang") == "zh-CN"
        assert "…" in before.get(f"{W}val") and "—" in before.get(f"{W}val") and "“" in after.get(f"{W}val")
        assert before.get(f"{W}val") == typography.NO_LINE_START
        default = part(path, "word/styles.xml").find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
        assert default.find(f"{W}overflowPunct").get(f"{W}val") == "0"
        assert default.find(f"{W}kinsoku").get(f"{W}val") == "1"


#: The deepest white space allowed at a page's foot: three lines of Chinese body text (21 pt exact leading).
DEEPEST_HOLE = 3 * 21


@pytest.mark.parametrize("folder,name", PDF_EDITIONS)
def test_no_widow_or_orphan_and_no_page_hole_over_three_lines(pdfs, folder, name):
    """LibreOffice keeps no widow control inside a table row it splits (the
    table layout had five one-line widows, a head split 增活/力 across two
    pages): short rows never split.  A kicker, head and first lines kept
    together left holes of up to 110 pt when they moved to the next page:
    such a page is spread (feather.py).  Measured on the page, from the last
    printed line's foot to the body frame's foot; figures in docs/editions.md."""
    result = _compared(pdfs, folder, name)
    assert pdflines.widows_and_orphans(result) == []
    deep = {page: round(hole) for page, hole in pdflines.holes(result).items() if hole > DEEPEST_HOLE}
    assert deep == {}


def test_spreading_a_page_moves_no_line_to_another_page(pdfs, tmp_path, monkeypatch):
    """The spread PDF breaks its pages where LibreOffice first broke them
    (same characters on each page); only the white space moved.  Without
    spreading, the zh edition has a hole deeper than three lines."""
    from workflow.editions import feather

    root = _copy_shipped(tmp_path / "shipped")
    monkeypatch.setattr(feather, "DEEPEST", 10_000)  # nothing is spread
    Run(root)("build", "--edition", "zh", "--pdf", "--out", root / "plain")
    plain, spread = root / "plain" / f"{ARTICLE}.zh.pdf", pdfs / "final" / f"{ARTICLE}.zh.pdf"
    frame = (pdflines.TOP, pdflines.TOP)  # the body, without the running head and folio
    assert feather.breaks(plain, *frame) == feather.breaks(spread, *frame)
    unspread = pdflines.compare(plain.with_suffix(".docx"), plain)
    assert max(pdflines.holes(unspread).values()) > DEEPEST_HOLE
    assert max(pdflines.holes(_compared(pdfs, "final", "zh")).values()) <= DEEPEST_HOLE
    # the Word edition is the copy as written: the spread is only in what LibreOffice converted
    words = [
        zipfile.ZipFile(folder / f"{ARTICLE}.zh.docx").read("word/document.xml")
        for folder in (root / "plain", pdfs / "final")
    ]
    assert words[0] == words[1]


def test_pdf_metadata_names_the_reporter_and_the_section_and_tags_the_title_a_heading(pdfs, tmp_path):
    """Author: the reporter of the byline (not the publisher); Subject: the
    configured section; the title is the structure tree's H1, heads below it."""
    for name, author in (("zh", "刘捷萍"), ("en", "Liu Jieping"), ("bilingual", "刘捷萍")):
        pdf = pdfs / "final" / f"{ARTICLE}.{name}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Author:          {author}\n" in info, info
        tags = re.findall(rb"/S/(H\d)", pdf.read_bytes())
        assert tags.count(b"H1") == (2 if name == "bilingual" else 1) and b"H2" in tags
    root = _copy_shipped(tmp_path / "sectioned")
    with (root / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write('section = "要闻"\npaper_name_zh = "长沙晚报"\n')
    Run(root)("build", "--edition", "zh", "--pdf")
    info = subprocess.run(
        ["pdfinfo", str(root / "output" / f"{ARTICLE}.zh.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Subject:         要闻\n" in info
    head = "".join(t.text or "" for t in part(root / "output" / f"{ARTICLE}.zh.docx", "word/header1.xml").iter(f"{W}t"))
    assert head.startswith("长沙晚报 · ") and "要闻" in head


@pytest.mark.parametrize("folder,name", PDF_EDITIONS)
def test_no_head_leaves_one_or_two_characters_alone_on_a_line(pdfs, folder, name):
    """The table layout broke four Chinese heads 新版/图, 增活/力, 立潮/头,
    开新/局: a head too long for its measure breaks at the space between its
    two phrases (or in the middle)."""
    assert pdflines.lonely_head_lines(_compared(pdfs, folder, name)) == []


@pytest.mark.skipif(not _soffice(), reason="LibreOffice (soffice) is not installed")
def test_a_kai_fallback_is_reported_and_the_font_set_is_part_of_the_build_key(run_shipped, shipped, monkeypatch):
    """Without the Kai font the subtitle, byline and captions were set in
    Song without a word; installing it afterwards left the build "up to date"."""
    from workflow.editions import pdf

    os.environ.pop("BILINGUAL_SOFFICE", None)
    installed = pdf._installed_families()
    if "AR PL UKai CN" not in installed:
        pytest.skip("fonts-arphic-ukai is not installed")
    monkeypatch.setattr(pdf, "_installed_families", lambda: installed - {"AR PL UKai CN"})
    first = run_shipped("build", "--edition", "zh", "--pdf")
    assert "KaiTi (subtitle, byline, captions) is set in Noto Serif CJK SC" in first.stderr
    assert "apt install fonts-arphic-ukai" in first.stderr
    fonts = subprocess.run(
        ["pdffonts", str(shipped / "output" / f"{ARTICLE}.zh.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "UKai" not in fonts
    monkeypatch.setattr(pdf, "_installed_families", lambda: installed)  # the desk installs the font
    second = run_shipped("build", "--edition", "zh", "--pdf")
    assert "KaiTi" not in second.stderr
    assert f"wrote output/{ARTICLE}.zh.pdf" in second.stdout  # the Word file is the same bytes; the PDF is new
    fonts = subprocess.run(
        ["pdffonts", str(shipped / "output" / f"{ARTICLE}.zh.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "UKai" in fonts


def test_bold_heads_are_set_in_a_face_with_a_true_bold(editions):
    """SimHei has one weight: Word fakes its bold.  Bold heads name Microsoft
    YaHei (a true bold); unbolded kickers and decks stay in SimHei."""
    document = docx.Document(final(editions, "zh"))
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        rpr = _style_rpr(document, name)
        assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "Microsoft YaHei"
        assert rpr.find(f"{W}b").get(f"{W}val") in ("1", "true")
    for name in ("Kicker", "Heading Deck"):
        rpr = _style_rpr(document, name)
        assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") == "SimHei" and rpr.find(f"{W}b").get(f"{W}val") in (
            "0",
            "false",
        )


@pytest.mark.skipif(
    not (_soffice() and shutil.which("pandoc") and shutil.which("pdftotext")),
    reason="LibreOffice, pandoc and poppler-utils are needed",
)
def test_a_pandoc_word_article_with_a_figure_a_nested_list_and_a_table_prints_whole(tmp_path):
    """A Word article the project never saw, written by pandoc: its figure's
    own caption under the photo and the caption after it are not "without a
    photo"; its zh and en draft PDFs print every character by the same rules."""
    root = tmp_path / "proj"
    photo(root / "photos" / "a.jpg", (1800, 1200))
    (root / "source").mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    subprocess.run(
        ["pandoc", str(REPO / "tests" / "data" / "pandoc" / "article.md"), "-o", str(root / "source" / "pd.docx")],
        cwd=root,
        check=True,
        timeout=120,
    )
    run = Run(root)
    run("extract")
    assert "no layout defects found" in run("lint").stdout.lower()
    run("build", "--draft", "--pdf")
    for name in ("zh", "en"):
        docx_path = root / "output" / f"pd.{name}.draft.docx"
        result = pdflines.compare(docx_path, docx_path.with_suffix(".pdf"))
        assert result.missing == [] and result.extra == [], (name, result.missing, result.extra)
        assert pdflines.broken_rules(result) == [] and pdflines.widows_and_orphans(result) == []
        assert all(hole <= DEEPEST_HOLE for hole in pdflines.holes(result).values()), (name, pdflines.holes(result))
    zh = docx.Document(root / "output" / "pd.zh.draft.docx")
    assert len(zh.inline_shapes) == 1
    assert abs(zh.inline_shapes[0].width - docx.shared.Cm(12)) <= 1  # the size pandoc placed it at (EMU rounding)
    # the three-level list keeps its levels (it was flattened to one), in every edition
    for name in ("zh", "en", "bilingual"):
        items = [
            p
            for p in docx.Document(root / "output" / f"pd.{name}.draft.docx").paragraphs
            if p.style.name == "List Bullet"
        ]
        lefts = [
            (p._p.find(f"{W}pPr/{W}ind").get(f"{W}left") if p._p.find(f"{W}pPr/{W}ind") is not None else None)
            for p in items
        ]
        step = 2 if name == "bilingual" else 1
        assert lefts[::step] == [None, "1440", "2160", None], (name, lefts)


# -- the newspaper look: the body in columns under a spanning head -------------------------------------


@pytest.fixture(scope="module")
def newspaper(tmp_path_factory):
    """The shipped article's editions in the newspaper look, chosen by the
    configuration key (``look = "newspaper"``), with their PDFs."""
    if not (_soffice() and shutil.which("pdftotext")):
        pytest.skip("LibreOffice and poppler-utils are needed")
    root = _copy_shipped(tmp_path_factory.mktemp("newspaper") / "shipped")
    config = root / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[tool.bilingual]\n", '[tool.bilingual]\nlook = "newspaper"\n'),
        encoding="utf-8",
    )
    Run(root)("build", "--pdf", "--out", root / "news")
    return root / "news"


#: Columns and the Chinese characters (10.5 pt) a column holds, per edition.
NEWSPAPER = {"zh": (3, 12), "en": (2, 19), "bilingual": (2, 19)}


@pytest.mark.parametrize("name", EDITIONS)
def test_the_newspaper_look_sets_the_body_in_columns_of_whole_characters_under_a_spanning_head(newspaper, name):
    """python-docx reads the sections: the head (title, deck) in one column,
    then a continuous section in columns a whole number of 10.5 pt characters
    wide; Chinese body 10.5 pt, English justified with a first-line indent
    and no paragraph space."""
    path = newspaper / f"{ARTICLE}.{name}.docx"
    document = docx.Document(path)
    count, chars = NEWSPAPER[name]
    assert len(document.sections) == 2
    head, body = (section._sectPr for section in document.sections)
    assert head.find(f"{W}cols").get(f"{W}num") in (None, "1")
    cols = body.find(f"{W}cols")
    assert body.find(f"{W}type").get(f"{W}val") == "continuous" and int(cols.get(f"{W}num")) == count
    widths = [int(col.get(f"{W}w")) for col in cols.findall(f"{W}col")]
    assert widths == [chars * 210] * count  # 210 twips: one character of 10.5 pt
    spans = [i for i, p in enumerate(document.paragraphs) if p._p.find(f"{W}pPr/{W}sectPr") is not None]
    assert len(spans) == 1 and spans[0] >= 1
    assert document.paragraphs[0].style.name == "Title"  # the title is in the spanning section
    normal = _style_ppr(document, "Normal")
    if name == "zh":
        assert _half_points(_style_rpr(document, "Normal")) == 21
    if name == "en":
        assert normal.find(f"{W}jc").get(f"{W}val") == "both"
        assert int(normal.find(f"{W}ind").get(f"{W}firstLine")) > 0
        assert normal.find(f"{W}spacing").get(f"{W}after") == "0"
        assert part(path, "word/settings.xml").find(f"{W}autoHyphenation") is not None


@pytest.mark.parametrize("name", EDITIONS)
def test_the_newspaper_pdf_prints_every_character_in_its_columns_by_the_line_rules(newspaper, name):
    """Read column by column (the head across them first): every character of
    the edition, no closing mark at a line start (避头尾), and the body's lines
    stand in as many columns as the Word file declares."""
    path = newspaper / f"{ARTICLE}.{name}.docx"
    boundaries = pdflines.column_boundaries(path)
    assert len(boundaries) == NEWSPAPER[name][0] - 1
    result = pdflines.compare(path, path.with_suffix(".pdf"), columns=boundaries)
    assert result.missing == [] and result.extra == [], (result.missing[:5], result.extra[:5])
    assert pdflines.broken_rules(result) == []
    assert pdflines.widows_and_orphans(result) == [] and pdflines.stub_pages(result) == []
    assert all(hole <= DEEPEST_HOLE for hole in pdflines.holes(result).values()), pdflines.holes(result)
    first_page = [line for line in result.lines if line.page == 1]
    in_columns = {pdflines._column_of(line, boundaries) for line in first_page} - {(0,)}
    assert len(in_columns) == NEWSPAPER[name][0]
    if name == "en":  # about 40 characters a line (the PDF's words are joined without their spaces)
        letters = sorted(len(ln.text) for ln in result.lines if ln.page > 1)
        assert 32 <= letters[len(letters) // 2] <= 45, letters[len(letters) // 2]


def test_the_newspaper_editions_are_clean_in_openxml_audit(newspaper):
    for name, schema in itertools.product(EDITIONS, ooxmlaudit.SCHEMAS):
        ooxmlaudit.assert_clean(newspaper / f"{ARTICLE}.{name}.docx", schema)


def test_build_look_reader_overrides_the_configuration(newspaper, tmp_path):
    """``--look reader`` sets the A4 reader edition (one column) even when the
    configuration says newspaper; an unknown look in the configuration is bad input (exit 3)."""
    root = newspaper.parent
    Run(root)("build", "--edition", "zh", "--look", "reader", "--out", tmp_path / "reader")
    document = docx.Document(tmp_path / "reader" / f"{ARTICLE}.zh.docx")
    assert len(document.sections) == 1 and document.sections[0]._sectPr.find(f"{W}cols").get(f"{W}num") in (None, "1")
    config = root / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('look = "newspaper"', 'look = "tabloid"'), encoding="utf-8"
    )
    try:
        result = Run(root)("status", ok=False)
        assert result.exit_code == 3 and "look must be one of reader, newspaper" in result.stderr
    finally:
        config.write_text(
            config.read_text(encoding="utf-8").replace('look = "tabloid"', 'look = "newspaper"'), encoding="utf-8"
        )


@pytest.mark.skipif(not (_soffice() and shutil.which("pandoc")), reason="LibreOffice and pandoc are needed")
@pytest.mark.parametrize("writer", ["pandoc", "libreoffice"])
def test_a_word_outline_reads_heads_as_heads_and_list_levels_as_lists(tmp_path, writer):
    """A five-level outline under three levels of heads, written by pandoc, and
    the same article saved again by LibreOffice: the Heading 1–3 styles become
    the title and heads (never list items), the five list levels stay a list
    with five depths, in every edition."""
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root)
    written = tmp_path / "pd.docx"
    subprocess.run(
        ["pandoc", str(REPO / "tests" / "data" / "outline" / "article.md"), "-o", str(written)], check=True, timeout=120
    )
    if writer == "libreoffice":  # Word → ODF → Word, as LibreOffice writes it
        for target, source in (("odt", written), ("docx:MS Word 2007 XML", tmp_path / "lo" / "pd.odt")):
            subprocess.run(
                [
                    _soffice(),
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(tmp_path / "lo"),
                    str(source),
                ],
                check=True,
                timeout=300,
                capture_output=True,
            )
        written = tmp_path / "lo" / "pd.docx"
        assert b"LibreOffice" in zipfile.ZipFile(written).read("docProps/app.xml")
    shutil.copy(written, root / "source" / "outline.docx")
    run = Run(root)
    run("extract")
    catalog = pofile.load(root / "translations" / "templates" / "outline.pot", "outline.pot")
    roles = [entry.msgctxt for entry in catalog]
    assert roles[:4] == ["title", "heading", "heading", "heading"] and roles[4:9] == ["body"] * 5, roles
    run("build", "--draft")
    for name in ("zh", "en", "bilingual"):
        document = docx.Document(root / "output" / f"outline.{name}.draft.docx")
        styles = [p.style.name for p in document.paragraphs]
        step = 2 if name == "bilingual" else 1
        assert styles[::step][:4] == ["Title", "Heading 1", "Heading 2", "Heading 3"], (name, styles)
        items = [p for p in document.paragraphs if p.style.name == "List Bullet"][::step]
        lefts = [p._p.find(f"{W}pPr/{W}ind") for p in items]
        assert [None if ind is None else ind.get(f"{W}left") for ind in lefts] == [None, "1440", "2160", "2880", "3600"]


def test_a_pdf_poppler_cannot_read_is_left_unspread(editions, tmp_path):
    """What LibreOffice wrote is not a PDF pdftotext reads: no plan, no error."""
    from workflow.editions import feather

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really\n")
    document = zipfile.ZipFile(final(editions, "zh")).read("word/document.xml")
    assert feather.plan(document, broken) == {} and feather.plan(document, tmp_path / "absent.pdf") == {}
