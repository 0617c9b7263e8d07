"""Word files as sources, and photos in every edition.  Word sources are made
with the real writers here: pandoc, LibreOffice, and python-docx with
Chinese style names; hostile files are made by hand."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from workflow.core.errors import SourceError
from workflow.core.model import Role
from workflow.sources.source import read_article as read_markdown
from workflow.sources.wordsource import read_article

from .conftest import ARTICLE, REPO, Run

HAN = re.compile(r"[\u3400-\u9fff]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def photo(path: Path, size=(1200, 800), fmt="JPEG", color=(180, 40, 30)) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, fmt)
    return path


def body_han(path: Path) -> Counter:
    """Han characters of a Word file's body as Word shows it (tracked changes accepted)."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    texts = root.xpath("//w:body//w:t[not(ancestor::w:del) and not(ancestor::w:moveFrom)]", namespaces={"w": W[1:-1]})
    return Counter(HAN.findall("".join(t.text or "" for t in texts)))


def blocks_han(article) -> Counter:
    return Counter(HAN.findall("".join(b.text for b in article.blocks)))


# -- made by pandoc, LibreOffice, python-docx --------------------------------------------------------


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed")
def test_pandoc_docx_of_the_shipped_article_reads_as_the_markdown_does(tmp_path):
    docx_path = tmp_path / "article.docx"
    subprocess.run(["pandoc", str(REPO / "source" / f"{ARTICLE}.md"), "-o", str(docx_path)], check=True)
    word = read_article(docx_path, "source/article.docx")
    markdown = read_markdown(REPO / "source" / f"{ARTICLE}.md", "x.md")
    pairs = list(zip(word.blocks, markdown.blocks))
    assert len(word.blocks) == len(markdown.blocks) == 54
    different = [(m.text[:12], w.role.value, m.role.value) for w, m in pairs if (w.role, w.level) != (m.role, m.level)]
    # only the three captions the Markdown marks with <!-- role: caption --> (pandoc drops the comments)
    assert [d[2] for d in different] == ["caption"] * 3 and all(d[1] == "body" for d in different)
    assert [w.text for w, _ in pairs] == [m.text for _, m in pairs]
    assert body_han(docx_path) <= blocks_han(word)  # no Han character of the body is lost


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed")
def test_pandoc_footnotes_bold_links_and_tables(tmp_path):
    md = tmp_path / "in.md"
    md.write_text(
        "# 长沙开放\n\n长沙**外贸**进出口*总值*创新高[^1]，详见[市商务局](https://example.org/)。\n\n"
        "| 指标 | 数值 |\n|---|---|\n| 外贸 | 2875.4亿元 |\n\n[^1]: 数据来自长沙海关。\n",
        encoding="utf-8",
    )
    docx_path = tmp_path / "in.docx"
    subprocess.run(["pandoc", str(md), "-o", str(docx_path)], check=True)
    article = read_article(docx_path, "source/in.docx")
    texts = [(b.role, b.kind, b.text) for b in article.blocks]
    assert texts[0][:2] == (Role.TITLE, "heading")
    assert texts[1][2] == "长沙**外贸**进出口*总值*创新高，详见[市商务局](https://example.org/)。"
    assert (Role.NOTE, "paragraph", "数据来自长沙海关。") == texts[2]  # after the paragraph citing it
    assert [t[2] for t in texts if t[1] == "table"] == ["指标", "数值", "外贸", "2875.4亿元"]
    assert body_han(docx_path) <= blocks_han(article)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_docx_with_styles_and_a_photo(tmp_path):
    import base64

    data = base64.b64encode(photo(tmp_path / "train.jpg").read_bytes()).decode()  # embedded, not linked
    html = tmp_path / "article.html"
    html.write_text(
        f'<html><head><meta charset="utf-8"></head><body><h1>牢记嘱托 跃马扬鞭</h1>'
        f"<p>长沙晚报全媒体记者 刘捷萍</p><h2>从内陆到前沿</h2>"
        f'<p><img src="data:image/jpeg;base64,{data}" alt="中欧班列" width="600" height="400"></p>'
        "<p>从长沙开往莫斯科的中欧班列。长沙晚报全媒体记者 王志伟 摄</p>"
        "<p>春风又绿湘江岸，星城处处涌动着实干争先的蓬勃朝气。</p></body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(html),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    article = read_article(tmp_path / "out" / "article.docx", "source/article.docx")
    roles = [(b.role, b.text[:6]) for b in article.blocks]
    assert roles[0] == (Role.TITLE, "牢记嘱托 跃")
    assert (Role.BYLINE, "长沙晚报全媒") in roles and (Role.HEADING, "从内陆到前沿") in roles
    assert (Role.CAPTION, "从长沙开往莫") in roles and any(b.image is not None for b in article.blocks)


def chinese_styled(path: Path, photos: int = 1) -> Path:
    """A Word file as a Chinese Word or WPS user writes it: Chinese style names,
    a house style based on 标题 2, a tracked change, a comment, photos."""
    document = docx.Document()
    styles = document.styles
    styles["Title"].name, styles["Heading 1"].name, styles["Caption"].name = "标题", "标题 1", "题注"
    from docx.enum.style import WD_STYLE_TYPE

    house = styles.add_style("本报小标题", WD_STYLE_TYPE.PARAGRAPH)
    house.base_style = styles["Heading 2"]
    styles["Heading 2"].name = "标题 2"
    document.add_paragraph("长沙开放新图景", style="标题")
    document.add_paragraph("长沙晚报全媒体记者 刘捷萍")
    p = document.add_paragraph("春风又绿湘江岸，")
    p.add_run("星城").bold = True
    p.add_run("处处涌动着实干争先的蓬勃朝气。")
    document.add_paragraph("从内陆到前沿", style="标题 1")
    document.add_paragraph("合资协同", style="本报小标题")
    document.add_paragraph("聚力新质生产力 布局全球新版图", style="本报小标题")
    tracked = document.add_paragraph("两年来，长沙")
    ins = etree.SubElement(
        tracked._p, qn("w:ins"), {qn("w:id"): "1", qn("w:author"): "Ed", qn("w:date"): "2026-03-01T00:00:00Z"}
    )
    etree.SubElement(etree.SubElement(ins, qn("w:r")), qn("w:t")).text = "深度融入"
    dele = etree.SubElement(
        tracked._p, qn("w:del"), {qn("w:id"): "2", qn("w:author"): "Ed", qn("w:date"): "2026-03-01T00:00:00Z"}
    )
    etree.SubElement(etree.SubElement(dele, qn("w:r")), qn("w:delText")).text = "删掉的字"
    etree.SubElement(etree.SubElement(tracked._p, qn("w:r")), qn("w:t")).text = "共建“一带一路”。"
    document.add_comment(tracked.runs[0], text="核对一下", author="Ed")
    for i in range(photos):
        image = photo(path.parent / f"p{i}.jpg", (900 + 100 * i, 600), color=(30 * i, 90, 160))
        document.add_picture(str(image))
        document.inline_shapes[-1]._inline.docPr.set("descr", f"第{i + 1}张照片")
        document.add_paragraph(f"第{i + 1}张照片的说明文字。长沙晚报全媒体记者 王志伟 摄", style="题注")
    document.save(path)
    return path


def test_python_docx_with_chinese_style_names_tracked_changes_comments_and_photos(tmp_path):
    path = chinese_styled(tmp_path / "cn.docx")
    article = read_article(path, "source/cn.docx")
    roles = [(b.role, b.level, b.text) for b in article.blocks]
    assert roles[0] == (Role.TITLE, 0, "长沙开放新图景")
    assert roles[1][0] is Role.BYLINE and roles[2][2] == "春风又绿湘江岸，**星城**处处涌动着实干争先的蓬勃朝气。"
    assert (Role.HEADING, 1, "从内陆到前沿") in roles
    assert (Role.KICKER, 2, "合资协同") in roles and (Role.HEADING, 2, "聚力新质生产力 布局全球新版图") in roles
    assert (Role.BODY, 0, "两年来，长沙深度融入共建“一带一路”。") in roles  # insertion kept, deletion gone
    assert (Role.ALT, 0, "第1张照片") in roles and roles[-1][0] is Role.CAPTION
    assert any("tracked change" in n for n in article.notices) and any("1 comment" in n for n in article.notices)
    assert body_han(path) <= blocks_han(article)


def test_a_word_article_with_three_photos_builds_every_edition(tmp_path):
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    chinese_styled(root / "source" / "photos.docx", photos=3)
    run = Run(root)
    result = run("extract")
    assert "tracked change" in result.stderr
    run("build", "--draft")
    for edition in ("zh", "en", "bilingual"):
        document = docx.Document(root / "output" / f"photos.{edition}.draft.docx")
        assert len(document.inline_shapes) == 3, edition
        paragraphs = document.paragraphs
        photos = [i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("w:drawing"))]
        assert all(paragraphs[i + 1].style.name == "Caption" for i in photos), edition
        assert all(
            p.style.name == "Photo" and p.paragraph_format.keep_with_next is not False
            for p in (paragraphs[i] for i in photos)
        )
    if shutil.which("soffice") and shutil.which("pdftotext"):
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path / "pdf"),
                str(root / "output" / "photos.zh.draft.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "pdf" / "photos.zh.draft.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert all(f"第{i}张照片的说明文字" in text.replace(" ", "") for i in (1, 2, 3))  # pdftotext spaces digits


# -- hostile Word files ----------------------------------------------------------------------------------


def _zip_bomb(path: Path) -> None:
    good = chinese_styled(path.parent / "good.docx", photos=0)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                with dst.open(item.filename, "w") as fh:
                    fh.write(data[:-30])
                    for _ in range(300):
                        fh.write(b" " * 2**20)
                    fh.write(data[-30:])
            else:
                dst.writestr(item, data)


def _rewrite(path: Path, member: str, change) -> None:
    good = chinese_styled(path.parent / "good.docx", photos=1)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, change(data) if item.filename == member else data)


HOSTILE = {
    "doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000), "Word 97"),
    "wps": (lambda p: p.write_bytes(b"WPS Office document \x00\x01\x02" * 50), "not a Word"),
    "truncated": (lambda p: p.write_bytes(chinese_styled(p.parent / "t.docx", 0).read_bytes()[:3000]), "readable"),
    "bomb": (_zip_bomb, "zip bomb"),
    "entity": (
        lambda p: _rewrite(
            p,
            "word/document.xml",
            lambda d: d.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1),
        ),
        "document type",
    ),
}


def test_a_linked_picture_still_extracts_and_lint_reports_it(tmp_path):
    """Translators can start before the photo is embedded; the editor hears of it."""
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    _rewrite(root / "source" / "linked.docx", "word/document.xml", lambda d: d.replace(b"r:embed=", b"r:link="))
    run = Run(root)
    run("extract")
    assert (root / "translations" / "en" / "linked.po").is_file()
    result = run("lint", code=1)
    assert "source/linked.docx:" in result.stdout and "a picture linked to" in result.stdout, result.stdout
    assert "not embedded" in run("build", code=1).stderr


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_word_files_are_refused_and_nothing_is_written(tmp_path, kind):
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    make, expected = HOSTILE[kind]
    make(root / "source" / "bad.docx")
    result = Run(root)("extract", code=3)
    assert "source/bad.docx" in result.stderr and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (root / "translations").exists()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_a_real_doc_file_is_refused_with_advice(tmp_path):
    docx_path = chinese_styled(tmp_path / "a.docx", photos=0)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (tmp_path / "a.doc").rename(tmp_path / "renamed.docx")
    with pytest.raises(SourceError, match="save it as an unprotected .docx"):
        read_article(tmp_path / "renamed.docx", "source/renamed.docx")


# -- photos in Markdown ------------------------------------------------------------------------------------

PHOTO_MD = """# 长沙开放新图景

![从长沙开往莫斯科的中欧班列](photos/train.jpg)

从长沙开往莫斯科的中欧班列。长沙晚报全媒体记者 王志伟 摄

春风又绿湘江岸，星城处处涌动着实干争先的蓬勃朝气。

![卢旺达咖啡豆](photos/coffee.png)

近日，卢旺达咖啡首次直抵长沙机场口岸。

长沙晚报全媒体记者 黄启晴 摄
"""


@pytest.fixture
def photo_project(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(REPO / "source", root / "source", ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    photo(root / "source" / "photos" / "train.jpg", (2400, 1600))
    photo(root / "source" / "photos" / "coffee.png", (600, 400), "PNG", (40, 90, 200))
    (root / "source" / "photo.md").write_text(PHOTO_MD, encoding="utf-8")
    return root


def _translate_everything(run, root, english="English text."):
    from workflow.po import pofile

    run("extract")
    po = pofile.load(root / "translations" / "en" / "photo.po", "x")
    for e in po:
        e.msgstr = {"alt": "A photo", "caption": "A caption. Photo by Wang Zhiwei"}.get(e.msgctxt, english)
        if "摄" in e.msgid and e.msgctxt == "caption" and e.msgid.startswith("长沙"):
            e.msgstr = "Photo by Huang Qiqing"
    (root / "translations" / "en" / "photo.po").write_text(pofile.dump(po), encoding="utf-8")


def test_photos_in_every_edition_scaled_with_english_alt_text(photo_project):
    run = Run(photo_project)
    _translate_everything(run, photo_project)
    run("build", "--edition", "all", "--layout", "table", "--draft")
    en = docx.Document(photo_project / "output" / "photo.en.draft.docx")
    shapes = en.inline_shapes
    assert len(shapes) == 2
    assert shapes[0].width == int(docx.shared.Cm(21 - 2 * 3.17))  # 2400 px: the text width
    assert shapes[1].width == 600 * 914400 // 220  # 600 px: its own size at 220 dpi, not upscaled
    assert shapes[0].height * 2400 == shapes[0].width * 1600  # aspect ratio kept
    descr = [d.get("descr") for d in en.element.body.iter(qn("wp:docPr"))]
    assert descr == ["A photo", "A photo"]
    zh = docx.Document(photo_project / "output" / "photo.zh.draft.docx")
    assert [d.get("descr") for d in zh.element.body.iter(qn("wp:docPr"))] == [
        "从长沙开往莫斯科的中欧班列",
        "卢旺达咖啡豆",
    ]
    table = docx.Document(photo_project / "output" / "photo.bilingual.draft.docx").tables[0]
    spanning = [r for r in table.rows if r._tr.findall(".//" + qn("w:drawing"))]
    assert len(spanning) == 2 and all(r._tr.find(".//" + qn("w:gridSpan")).get(qn("w:val")) == "2" for r in spanning)


def test_bilingual_prints_each_photo_once_followed_by_both_captions(photo_project):
    run = Run(photo_project)
    _translate_everything(run, photo_project)
    run("build", "--edition", "bilingual", "--draft")
    paragraphs = docx.Document(photo_project / "output" / "photo.bilingual.draft.docx").paragraphs
    photos = [i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("w:drawing"))]
    assert len(photos) == 2
    first = photos[0]
    assert [p.style.name for p in paragraphs[first + 1 : first + 3]] == ["Caption", "Caption"]
    assert HAN.search(paragraphs[first + 1].text) and not HAN.search(paragraphs[first + 2].text)


def test_two_builds_with_photos_are_byte_identical(photo_project, tmp_path):
    run = Run(photo_project)
    _translate_everything(run, photo_project)
    run("build", "--draft", "--out", tmp_path / "a")
    run("build", "--draft", "--out", tmp_path / "b")
    for edition in ("zh", "en", "bilingual"):
        name = f"photo.{edition}.draft.docx"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    "src,expected", [("../../outside.jpg", "inside the project"), ("photos/leak.jpg", "inside the project")]
)
def test_photos_outside_the_project_are_input_errors(photo_project, tmp_path, src, expected):
    photo(tmp_path / "outside.jpg")
    (photo_project / "source" / "photos" / "leak.jpg").symlink_to(tmp_path / "outside.jpg")
    photo(photo_project / "source" / "photos" / "x.bmp", fmt="BMP")
    (photo_project / "source" / "photo.md").write_text(PHOTO_MD.replace("photos/train.jpg", src), encoding="utf-8")
    result = Run(photo_project)("extract", code=3)
    assert "source/photo.md:3: photo" in result.stderr and expected in result.stderr, result.stderr
    assert not (photo_project / "translations").exists()


@pytest.mark.parametrize(
    "src,expected",
    [
        ("photos/missing.jpg", "cannot read photos/missing.jpg"),
        ("https://example.org/x.jpg", "is a URL"),
        ("photos/x.bmp", "not a JPEG"),
    ],
)
def test_a_photo_not_available_still_extracts_blocks_a_final_and_is_a_frame_in_a_draft(photo_project, src, expected):
    """Translators start before the photo desk delivers: extract works (it
    refused the whole article with exit 3); lint and the publish gate report
    the photo; a draft shows a placeholder frame where it goes; once
    delivered, the build sees it (the cache keys on the photo's file)."""
    photo(photo_project / "source" / "photos" / "x.bmp", fmt="BMP")
    (photo_project / "source" / "photo.md").write_text(PHOTO_MD.replace("photos/train.jpg", src), encoding="utf-8")
    run = Run(photo_project)
    _translate_everything(run, photo_project)
    result = run("lint", code=1)
    assert "source/photo.md:3: photo not available" in result.stdout and expected in result.stdout, result.stdout
    blocked = run("build", code=1).stderr
    assert "source/photo.md:3: lint: photo not available" in blocked and "--accept lint --segment" in blocked
    run("build", "--draft")
    en = docx.Document(photo_project / "output" / "photo.en.draft.docx")
    assert len(en.inline_shapes) == 1  # the coffee photo; the other is a frame
    frame = next(p for p in en.paragraphs if "PHOTO MISSING" in p.text)
    assert expected in frame.text and frame._p.find(f"{W}pPr/{W}pBdr") is not None
    if src == "photos/missing.jpg":  # the photo desk delivers: the next draft has it
        photo(photo_project / "source" / "photos" / "missing.jpg", (1200, 800))
        run("extract")
        assert "photo.en.draft.docx" in run("build", "--draft").stdout
        assert len(docx.Document(photo_project / "output" / "photo.en.draft.docx").inline_shapes) == 2


def test_photo_sizes_the_source_placed_captions_as_wide_and_a_low_resolution_warning(photo_project, tmp_path):
    """Markdown's ``{width=8cm}`` and a Word source's placed size are
    honoured (13.6 cm came out 5.9 cm), never wider than the measure; the
    caption is as wide as its photo; under 200 effective ppi a build warns."""
    md = PHOTO_MD.replace("(photos/train.jpg)", "(photos/train.jpg){width=8cm}").replace(
        "(photos/coffee.png)", "(photos/coffee.png){width=10cm}"
    )
    (photo_project / "source" / "photo.md").write_text(md, encoding="utf-8")
    run = Run(photo_project)
    _translate_everything(run, photo_project)
    result = run("build", "--draft")
    assert "source/photo.md:9: photo prints at 152 ppi (under 200)" in result.stderr, result.stderr
    assert "photo.md:3: photo prints" not in result.stderr  # 2400 px over 8 cm: 762 ppi
    zh = docx.Document(photo_project / "output" / "photo.zh.draft.docx")
    assert [s.width for s in zh.inline_shapes] == [docx.shared.Cm(8), docx.shared.Cm(10)]
    captions = [p for p in zh.paragraphs if p.style.name == "Caption"]
    side = (int(docx.shared.Cm(21 - 2 * 3.17)) - int(docx.shared.Cm(10))) // 2 // 635
    assert captions[-1]._p.find(f"{W}pPr/{W}ind").get(f"{W}left") == str(side)
    # a Word source: the size its author placed the picture at
    document = docx.Document()
    document.add_heading("长沙开放新图景", 1)
    document.add_picture(str(photo(tmp_path / "big.jpg", (3000, 2000))), width=docx.shared.Cm(13.6))
    document.add_paragraph("从长沙开往莫斯科的中欧班列。长沙晚报全媒体记者 王志伟 摄")
    document.add_paragraph("春风又绿湘江岸，星城处处涌动着实干争先的蓬勃朝气。")
    document.save(photo_project / "source" / "placed.docx")
    run("extract", "placed")
    run("build", "placed", "--draft", "--edition", "zh")
    placed = docx.Document(photo_project / "output" / "placed.zh.draft.docx")
    assert [s.width for s in placed.inline_shapes] == [docx.shared.Cm(13.6)]
