"""What Word shows with every tracked change accepted, read the same way by
both Word readers: the source reader (an article in a .docx) and the kit
reader (a review table returned by a translator).

One table of cases, each a paragraph (or two) of WordprocessingML as Word
writes it, and the text Word shows after Review → Accept All Changes.  Each
case is put into a real Word article and into a real review-table cell (the
中文 and the English column), and read back through each reader's public
entry point; all three must give the expected text.  The one difference
the readers keep on purpose: a source paragraph's line breaks are joined
as wrapped lines are (a segment is one line), while a kit's cell keeps
them (docs/word-editions.md)."""

from __future__ import annotations

import io
from datetime import UTC

import docx
import pytest
from docx.oxml.parser import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.sources.source import join_lines
from workflow.sources.wordsource import read_article
from workflow.word import ooxml
from workflow.word.table import read_review_table, render_review_table

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
W = ooxml.W
BY = 'w:author="Ed" w:date="2026-03-01T00:00:00Z"'


def _r(text: str, tag: str = "w:t") -> str:
    return f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r>'


def _p(*content: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(content)}</w:p>"


#: (case, paragraphs of WordprocessingML, the paragraphs Word shows with every change accepted)
CASES = [
    ("insertion", _p(_r("长沙"), f'<w:ins w:id="1" {BY}>{_r("开放")}</w:ins>', _r("新图景")), ["长沙开放新图景"]),
    ("deletion", _p(_r("长沙"), f'<w:del w:id="1" {BY}>{_r("旧", "w:delText")}</w:del>', _r("开放")), ["长沙开放"]),
    (
        "move: moved-from text goes, moved-to text stays",
        _p(
            f'<w:moveFromRangeStart w:id="1" w:name="m1" {BY}/>',
            f'<w:moveFrom w:id="2" {BY}>{_r("开放")}</w:moveFrom>',
            '<w:moveFromRangeEnd w:id="1"/>',
            _r("长沙"),
            f'<w:moveToRangeStart w:id="3" w:name="m1" {BY}/>',
            f'<w:moveTo w:id="4" {BY}>{_r("开放")}</w:moveTo>',
            '<w:moveToRangeEnd w:id="3"/>',
        ),
        ["长沙开放"],
    ),
    ("tab: a space", _p("<w:r><w:t>Changsha</w:t><w:tab/><w:t>opens up</w:t></w:r>"), ["Changsha opens up"]),
    ("line break", _p("<w:r><w:t>Changsha</w:t><w:br/><w:t>opens up</w:t></w:r>"), ["Changsha\nopens up"]),
    ("carriage return", _p("<w:r><w:t>Changsha</w:t><w:cr/><w:t>opens up</w:t></w:r>"), ["Changsha\nopens up"]),
    (
        "deleted paragraph mark: the paragraph runs on into the next",
        _p(_r("长沙"), ppr=f'<w:rPr><w:del w:id="1" {BY}/></w:rPr>') + _p(_r("开放")),
        ["长沙开放"],
    ),
    (
        "paragraph mark moved away: the same",
        _p(_r("长沙"), ppr=f'<w:rPr><w:moveFrom w:id="1" {BY}/></w:rPr>') + _p(_r("开放")),
        ["长沙开放"],
    ),
    (
        "inserted paragraph mark: two paragraphs",
        _p(_r("长沙开放"), ppr=f'<w:rPr><w:ins w:id="1" {BY}/></w:rPr>') + _p(_r("新图景")),
        ["长沙开放", "新图景"],
    ),
    (
        "a whole deleted paragraph, mark and text",
        _p(
            f'<w:del w:id="1" {BY}>{_r("删掉的一段", "w:delText")}</w:del>',
            ppr=f'<w:rPr><w:del w:id="2" {BY}/></w:rPr>',
        )
        + _p(_r("长沙开放")),
        ["长沙开放"],
    ),
    (
        "deleted text inside a hyperlink",
        _p(
            '<w:hyperlink w:anchor="top">',
            _r("Changsha "),
            f'<w:del w:id="1" {BY}>{_r("old ", "w:delText")}</w:del>',
            f'<w:ins w:id="2" {BY}>{_r("opens up")}</w:ins>',
            "</w:hyperlink>",
        ),
        ["Changsha opens up"],
    ),
    (
        "simple field: its result",
        _p(_r("见第"), '<w:fldSimple w:instr=" PAGE ">', _r("3"), "</w:fldSimple>", _r("页")),
        ["见第3页"],
    ),
    (
        "complex field: its result, not its instruction",
        _p(
            _r("见第"),
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            _r(" PAGE ", "w:instrText"),
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            _r("3"),
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
            _r("页"),
        ),
        ["见第3页"],
    ),
    (
        "deleted field instruction",
        _p(_r("长沙"), f'<w:del w:id="1" {BY}>{_r(" PAGE ", "w:delInstrText")}</w:del>', _r("开放")),
        ["长沙开放"],
    ),
    (
        "deleted text outside a deletion is still not text",
        _p(_r("长沙"), _r("旧", "w:delText"), _r("开放")),
        ["长沙开放"],
    ),
    (
        "inserted, then deleted by another reviewer",
        _p(
            _r("长沙"), f'<w:ins w:id="1" {BY}><w:del w:id="2" {BY}>{_r("旧", "w:delText")}</w:del></w:ins>', _r("开放")
        ),
        ["长沙开放"],
    ),
    (
        "nested containers: an insertion in a hyperlink in a smart tag",
        _p(
            '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">',
            '<w:hyperlink w:anchor="top">',
            f'<w:ins w:id="1" {BY}>{_r("长沙")}</w:ins>',
            "</w:hyperlink></w:smartTag>",
            _r("开放"),
        ),
        ["长沙开放"],
    ),
    ("smart tag", _p('<w:smartTag w:element="City">', _r("长沙"), "</w:smartTag>", _r("开放")), ["长沙开放"]),
    (
        "content control",
        _p("<w:sdt><w:sdtPr/><w:sdtContent>", _r("长沙"), "</w:sdtContent></w:sdt>", _r("开放")),
        ["长沙开放"],
    ),
    ("custom XML", _p('<w:customXml w:element="place">', _r("长沙"), "</w:customXml>", _r("开放")), ["长沙开放"]),
    ("no-break hyphen", _p("<w:r><w:t>COVID</w:t><w:noBreakHyphen/><w:t>19</w:t></w:r>"), ["COVID-19"]),
    ("soft hyphen: not shown", _p("<w:r><w:t>Chang</w:t><w:softHyphen/><w:t>sha</w:t></w:r>"), ["Changsha"]),
    ("symbol: its character", _p('<w:r><w:t>A</w:t><w:sym w:font="Arial" w:char="2022"/><w:t>B</w:t></w:r>'), ["A•B"]),
    (
        "comments, bookmarks, proofing marks and rendered page breaks: no text",
        _p(
            '<w:bookmarkStart w:id="0" w:name="b"/><w:commentRangeStart w:id="0"/>',
            '<w:proofErr w:type="spellStart"/>',
            _r("长沙"),
            '<w:proofErr w:type="spellEnd"/><w:commentRangeEnd w:id="0"/><w:bookmarkEnd w:id="0"/>',
            "<w:r><w:lastRenderedPageBreak/><w:t>开放</w:t></w:r>",
            '<w:r><w:commentReference w:id="0"/></w:r>',
        ),
        ["长沙开放"],
    ),
    (
        "a formatting change: the text stays",
        _p(
            f'<w:r><w:rPr><w:rPrChange w:id="1" {BY}><w:rPr/></w:rPrChange></w:rPr><w:t>长沙开放</w:t></w:r>',
            ppr=f'<w:pPrChange w:id="2" {BY}><w:pPr/></w:pPrChange>',
        ),
        ["长沙开放"],
    ),
]


def _elements(xml: str) -> list:
    return list(parse_xml(f"<w:body {NS}>{xml}</w:body>"))


def _source_paragraphs(tmp_path, xml: str) -> list[str]:
    document = docx.Document()
    body = document.element.body
    for element in _elements(xml):
        body.sectPr.addprevious(element)
    path = tmp_path / "case.docx"
    document.save(path)
    return [block.text for block in read_article(path, "source/case.docx").blocks]


def _kit_cells(xml: str) -> tuple[str, str]:
    from datetime import datetime

    kit = render_review_table("case", [("id1", "甲", "A", "translated", "")], datetime(2026, 3, 1, tzinfo=UTC), "t")
    document = docx.Document(io.BytesIO(kit))
    row = document.tables[0].rows[1]
    for column in (1, 2):
        tc = row.cells[column]._tc
        for p in tc.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
            tc.remove(p)
        for element in _elements(xml):
            tc.append(element)
    out = io.BytesIO()
    document.save(out)
    (read,) = read_review_table(out.getvalue()).rows
    return read["中文"], read["English"]


@pytest.mark.parametrize("case, xml, expected", CASES, ids=[c[0] for c in CASES])
def test_both_word_readers_read_the_text_word_shows_with_changes_accepted(tmp_path, case, xml, expected):
    zh, en = _kit_cells(xml)
    source = _source_paragraphs(tmp_path, xml)
    assert zh == en == "\n".join(expected), case
    assert source == [join_lines(paragraph.split("\n")) for paragraph in expected], case


def test_a_source_paragraph_joined_by_a_deleted_mark_keeps_the_later_paragraph_s_style(tmp_path):
    """The joined paragraph keeps the mark that survives, and its style: here a heading."""
    document = docx.Document()
    document.add_paragraph("长沙开放新图景", style="Title")
    first = document.add_paragraph("从内陆")
    ppr = first._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:rPr {NS}><w:del w:id="1" {BY}/></w:rPr>'))
    document.add_paragraph("到前沿", style="Heading 1")
    document.add_paragraph("春风又绿湘江岸，星城处处涌动着实干争先的蓬勃朝气。")
    path = tmp_path / "joined.docx"
    document.save(path)
    article = read_article(path, "source/joined.docx")
    texts = [(block.text, block.role.value) for block in article.blocks]
    assert ("从内陆到前沿", "heading") in texts, texts
    assert [b.line for b in article.blocks] == [1, 3, 4]  # lines stay the file's paragraph numbers


# -- any nesting: the walk agrees with XPath over the whole tree ------------------------------------

_TEXT = st.text(alphabet="长沙开放ab ", min_size=1, max_size=4)
_RUN_CHILD = st.one_of(
    _TEXT.map(lambda t: f'<w:t xml:space="preserve">{t}</w:t>'),
    _TEXT.map(lambda t: f"<w:delText>{t}</w:delText>"),
    st.sampled_from(["<w:tab/>", "<w:br/>", "<w:noBreakHyphen/>", '<w:fldChar w:fldCharType="begin"/>']),
)
_RUN = st.lists(_RUN_CHILD, min_size=1, max_size=3).map(lambda children: f"<w:r>{''.join(children)}</w:r>")
_WRAPPERS = [
    f'<w:ins w:id="1" {BY}>{{}}</w:ins>',
    f'<w:del w:id="1" {BY}>{{}}</w:del>',
    f'<w:moveFrom w:id="1" {BY}>{{}}</w:moveFrom>',
    f'<w:moveTo w:id="1" {BY}>{{}}</w:moveTo>',
    '<w:hyperlink w:anchor="a">{}</w:hyperlink>',
    '<w:smartTag w:element="x">{}</w:smartTag>',
    "<w:sdt><w:sdtContent>{}</w:sdtContent></w:sdt>",
    '<w:fldSimple w:instr=" PAGE ">{}</w:fldSimple>',
    '<w:customXml w:element="x">{}</w:customXml>',
]
_CONTENT = st.recursive(
    _RUN,
    lambda inner: st.tuples(st.sampled_from(_WRAPPERS), st.lists(inner, min_size=1, max_size=3)).map(
        lambda pair: pair[0].format("".join(pair[1]))
    ),
    max_leaves=12,
)
_ORACLE = "(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:br | .//w:r/w:noBreakHyphen)[not(ancestor::w:del) and not(ancestor::w:moveFrom)]"


@settings(max_examples=300, deadline=None)
@given(st.lists(_CONTENT, min_size=1, max_size=4))
def test_the_walk_shows_what_xpath_finds_outside_deletions_in_any_nesting(content):
    (p,) = _elements(_p(*content))
    pieces = {f"{W}tab": " ", f"{W}br": "\n", f"{W}noBreakHyphen": "-"}
    expected = "".join(n.text or "" if n.tag == f"{W}t" else pieces[n.tag] for n in p.xpath(_ORACLE))
    assert ooxml.visible_text([p]) == expected
    tracked = sum(1 for node, _ in ooxml.accepted(p) if node.tag in ooxml.TRACKED)
    visible_changes = p.xpath("count(.//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo)")
    assert tracked <= visible_changes  # changes inside a deletion are not walked into
