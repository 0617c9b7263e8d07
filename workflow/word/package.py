"""The Word package an edition or a kit is written into.

Every document starts from a template of our own, derived from python-docx's
default document in memory once a process (``maketemplate``; checked by
openxml-audit in the tests): the styles the editions use and no other,
explicit fonts instead of theme fonts, no second copy of the styles, no
bibliography store, no thumbnail.  For each kind of edition it is styled
once per process (``template``): the looks, the page, the footer's page
number, a draft's header and the running head; its parts that are the same
in every document are compressed once.  A document then writes its body
(streamed, see ``word.body``), its relationships and content types (built
as elements over the template's), its properties, and its photos streamed
in (``write_package``).

May import: model, zipwrite, ooxml, maketemplate, styles, typography, and the package version.
"""

from __future__ import annotations

import contextlib
import functools
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, RGBColor
from lxml import etree

from workflow import __version__
from workflow.core.model import EditionSpec, ImageRef
from workflow.core.zipwrite import Deflated
from workflow.core.zipwrite import Writer as ZipWriter
from workflow.word import maketemplate, styles, typography
from workflow.word.ooxml import clark, el, merge_ppr, xml_bytes

NOTE_MARK = "BILINGUAL-DRAFT-NOTE"  # the draft header's text in a template, replaced per document
LEFT_MARK, RIGHT_MARK = "BILINGUAL-HEAD-LEFT", "BILINGUAL-HEAD-RIGHT"  # the running head's, likewise
#: The styles every document keeps besides those the looks name.
_PER_DOCUMENT = {
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "[Content_Types].xml",
    "docProps/core.xml",
    "docProps/app.xml",
}
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


@dataclass
class Template:
    """An empty, styled package, built once per process and edition kind:
    every part but the body's content, its relationships and the document
    properties, which each document writes."""

    #: The parts in package order; those the same in every document compressed.
    members: list[tuple[str, bytes, Deflated | None]]
    document: bytes  # document.xml with an empty body (its section properties only)
    style_ids: dict[str, str]
    next_rid: int  # the first relationship ID free for a document's links and photos
    header: str | None  # the header part, holding NOTE_MARK (a draft) and the running head's marks


_TEMPLATES: dict[tuple, Template] = {}


def template_bytes() -> bytes:
    """The template every document starts from (``maketemplate``: derived, not shipped)."""
    return maketemplate.make()


def template(
    edition: str,
    draft: bool,
    landscape: bool = False,
    language: str = "zh-CN",
    furniture: bool = False,
    look: str = "reader",
) -> Template:
    """The package of an edition kind (made on first use in a process)."""
    key = (edition, draft, landscape, language, furniture, look)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = _make_template(*key)
    return _TEMPLATES[key]


def _make_template(edition: str, draft: bool, landscape: bool, language: str, furniture: bool, look: str) -> Template:
    document = docx.Document(io.BytesIO(template_bytes()))
    styles.setup_styles(document, edition, language, look)
    styles.hyphenation(document.settings.element, edition)
    _page_setup(document, draft, landscape, furniture)
    if look == "newspaper":
        _columns(document.sections[0]._sectPr, edition)
    style_ids = {style.name: style.style_id for style in document.styles}
    rids = [int(rid[3:]) for rid in document.part.rels if rid[3:].isdigit()]
    raw = io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(raw) as package:
        members = [(info.filename, package.read(info.filename)) for info in package.infolist()]
    members = [(name, styles.font_table() if name == "word/fontTable.xml" else data) for name, data in members]
    header = next((name for name, data in members if NOTE_MARK.encode() in data or LEFT_MARK.encode() in data), None)
    packed = [
        (name, data, None if name in _PER_DOCUMENT or name == header else Deflated.of(data)) for name, data in members
    ]
    return Template(packed, dict(members)["word/document.xml"], style_ids, max(rids, default=0) + 1, header)


# -- the page -----------------------------------------------------------------------------


def _page_setup(document, draft: bool, landscape: bool = False, furniture: bool = False) -> None:
    """A4 (landscape for review tables), margins, page numbers in the footer,
    for drafts a red header and with ``furniture`` a running head (paper,
    date and section at the left, the article's short title at the right,
    over a rule), whose texts each document fills in."""
    section = document.sections[0]
    width, height, side = typography.LANDSCAPE_CM if landscape else typography.PAGE_CM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = Cm(side)
    section.top_margin = section.bottom_margin = Cm(typography.TOP_BOTTOM_CM)
    footer = section.footer.paragraphs[0]  # already styled "Footer": one w:pPr, centred through it
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(el("w:fldSimple", {"w:instr": " PAGE "}, el("w:r", None, el("w:t"))))
    footer._p.find(clark("w:fldSimple")).find(clark("w:r")).find(clark("w:t")).text = "1"
    merge_ppr(footer._p, el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0}))  # Normal's indent: not here
    if draft:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(NOTE_MARK)
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0, 0)
    if furniture:
        _running_head(
            section.header, draft, int(section.page_width - section.left_margin - section.right_margin) // 635
        )


def _running_head(header, draft: bool, width: int) -> None:
    """One line over a hairline: the left and right texts (marks a document
    replaces), the right one on a right tab at the edge of the measure."""
    p = header.add_paragraph() if draft else header.paragraphs[0]
    p._p.get_or_add_pPr()
    rule = {"w:val": "single", "w:sz": 4, "w:space": 1, "w:color": "000000"}
    tabs = [el("w:tab", {"w:val": "clear", "w:pos": pos}) for pos in (4680, 9360)]  # the Header style's own
    merge_ppr(
        p._p,
        el("w:pBdr", None, el("w:bottom", rule)),
        el("w:tabs", None, *tabs, el("w:tab", {"w:val": "right", "w:pos": width})),
        el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0}),
    )
    p._p.append(el("w:r", None, el("w:rPr", None, el("w:sz", {"w:val": 18})), el("w:t")))
    p._p[-1][-1].text = LEFT_MARK
    p._p.append(el("w:r", None, el("w:rPr", None, el("w:sz", {"w:val": 18})), el("w:tab"), el("w:t")))
    p._p[-1][-1].text = RIGHT_MARK


def _columns(sect, edition: str) -> None:
    """The body section in the newspaper look's columns, starting on the
    same page as the head's section above it."""
    count, chars = typography.NEWSPAPER_COLUMNS[edition]
    width = int(chars * typography.NEWSPAPER_ZH_SIZE * 20)
    space = (typography.TEXT_WIDTH_TWIPS - count * width) // (count - 1)
    cols = el(
        "w:cols",
        {"w:num": count, "w:space": space, "w:equalWidth": 0},
        *(el("w:col", {"w:w": width, **({"w:space": space} if i < count - 1 else {})}) for i in range(count)),
    )
    old = sect.find(clark("w:cols"))
    sect.replace(old, cols)
    sect.insert(list(sect).index(sect.find(clark("w:pgSz"))), el("w:type", {"w:val": "continuous"}))


# -- the parts each document writes ---------------------------------------------------------

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC, _DCTERMS = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _core_properties(spec: EditionSpec) -> bytes:
    """``docProps/core.xml``: title, language, the reporter as creator (the
    publisher without a byline), the section as subject, and the edition's
    fixed date in every date field."""
    root = etree.Element(
        f"{{{_CP}}}coreProperties",
        nsmap={"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "dcmitype": "http://purl.org/dc/dcmitype/", "xsi": _XSI},
    )
    when = spec.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    values = [
        (_DC, "title", spec.title),
        (_DC, "creator", spec.author or spec.creator),
        *([(_DC, "subject", spec.subject)] if spec.subject else []),
        (_CP, "lastModifiedBy", spec.creator),
        (_CP, "revision", "1"),
        (_CP, "lastPrinted", when),
        (_DCTERMS, "created", when),
        (_DCTERMS, "modified", when),
        (_DC, "language", spec.language),
    ]
    for ns, name, value in values:
        element = etree.SubElement(root, f"{{{ns}}}{name}")
        element.text = value
        if ns == _DCTERMS:
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    return xml_bytes(root)


def _app_properties(counts: dict[str, int], version: str) -> bytes:
    """``docProps/app.xml``: this tool and the document's real counts."""
    major, minor = (version.split(".") + ["0"])[:2]
    root = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED})
    values = {
        "Application": "bilingual",
        "DocSecurity": 0,
        **counts,
        "ScaleCrop": "false",
        "LinksUpToDate": "false",
        "SharedDoc": "false",
        "HyperlinksChanged": "false",
        "AppVersion": f"{int(major):02d}.{int(minor):04d}",
    }
    for name, value in values.items():
        etree.SubElement(root, f"{{{_EXTENDED}}}{name}").text = str(value)
    return xml_bytes(root)


def _relationships(template_rels: bytes, rels: list[tuple[str, str, str, bool]]) -> bytes:
    """The document part's relationships: the template's, then the document's links and photos."""
    root = etree.fromstring(template_rels)
    for rid, kind, target, external in rels:
        rel = etree.SubElement(root, f"{{{_RELS}}}Relationship", {"Id": rid, "Type": kind, "Target": target})
        if external:
            rel.set("TargetMode", "External")
    return xml_bytes(root)


def _content_types(template_types: bytes, media: dict[str, ImageRef]) -> bytes:
    """The package's content types: the template's, and a default for each kind of photo the document holds."""
    root = etree.fromstring(template_types)
    known = {d.get("Extension") for d in root.iter(f"{{{_TYPES}}}Default")}
    extra = {image.extension: image.content_type for image in media.values() if image.extension not in known}
    for extension, kind in sorted(extra.items()):
        etree.SubElement(root, f"{{{_TYPES}}}Default", {"Extension": extension, "ContentType": kind})
    return xml_bytes(root)


def _member_bytes(writer, name: str, data: bytes) -> bytes | Deflated:
    """What a document writes for the template's part ``name``."""
    if name == "word/document.xml":
        return writer.document.finish()
    if name == "word/_rels/document.xml.rels":
        return _relationships(data, writer.rels)
    if name == "[Content_Types].xml":
        return _content_types(data, writer.media)
    if name == "docProps/core.xml":
        return _core_properties(writer.spec)
    if name == "docProps/app.xml":
        return _app_properties(writer.counts, __version__)
    if name == writer.template.header:
        left, right = writer.spec.furniture or ("", "")
        for mark, text in ((NOTE_MARK, writer.spec.draft_note or ""), (LEFT_MARK, left), (RIGHT_MARK, right)):
            data = data.replace(mark.encode(), escape(text).encode("utf-8"))
        return data
    return data


def _stream_photo(image: ImageRef, write) -> None:
    """Copy a photo's bytes to ``write``, a megabyte at a time, from its file
    or from the part of the Word source holding it."""
    with contextlib.ExitStack() as stack:
        if image.part:
            fh = stack.enter_context(stack.enter_context(zipfile.ZipFile(image.path)).open(image.part))
        else:
            fh = stack.enter_context(open(image.path, "rb"))
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            write(chunk)


def write_package(writer, target) -> None:
    """The zip of a document ``writer`` (a ``word.body.Writer``) made, written
    once to ``target``: the template's parts (those the same in every
    document compressed once per process) with this document's, fixed entry
    dates and attributes (two builds are byte-identical), and the photos
    streamed in (stored: JPEG and PNG do not compress)."""
    package = ZipWriter(target)
    for name, data, packed in writer.template.members:
        package.add(name, packed or _member_bytes(writer, name, data))
    for name, image in sorted(writer.media.items()):
        package.add_stored(name, functools.partial(_stream_photo, image))
    package.close()


def package_bytes(writer) -> bytes:
    """The zip ``write_package`` writes, as bytes."""
    target = io.BytesIO()
    write_package(writer, target)
    return target.getvalue()
