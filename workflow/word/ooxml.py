"""Low-level OOXML, shared by every writer and reader of Word files.

The namespaces; ``el``, the one helper that makes an element (python-docx's
element factory with the namespace lookups cached); the schema order of
paragraph and run properties; what Word shows of a paragraph with every
tracked change accepted (``accepted``, ``visible_text``, ``accepted_paragraphs``),
the single definition both readers use (the Word source reader,
``sources.wordsource``, and the kit's review-table reader, ``word.table``);
and ``open_package``, which opens a Word file from outside safely (a broken
zip, a zip bomb, a part larger than declared or a document type declaration
is refused before python-docx reads it).

May import: xmlsafe.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap as _ALL_NAMESPACES
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser, parse_xml
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

#: The relationship types of the footnotes' and endnotes' parts.
NOTE_PARTS = {"footnotes": RT.FOOTNOTES, "endnotes": RT.ENDNOTES}

_CLARK: dict[str, str] = {}
_NSMAPS: dict[str, dict] = {}


def clark(name: str) -> str:
    """``w:p`` as ``{namespace}p`` (cached)."""
    found = _CLARK.get(name)
    if found is None:
        found = _CLARK[name] = qn(name)
    return found


def el(tag: str, attrs: dict | None = None, *children):
    """``<w:tag w:attr="…">children</w:tag>`` with namespaced names.

    The same element python-docx's ``OxmlElement`` makes, with the
    namespace lookups cached (a long article makes hundreds of thousands)."""
    prefix = tag.partition(":")[0]
    nsmap = _NSMAPS.get(prefix)
    if nsmap is None:
        nsmap = _NSMAPS[prefix] = {prefix: _ALL_NAMESPACES[prefix]}
    element = oxml_parser.makeelement(clark(tag), nsmap=nsmap)
    if attrs:
        for key, value in attrs.items():
            element.set(clark(key), str(value))
    for child in children:
        if child is not None:
            element.append(child)
    return element


# Schema order of the children we use (CT_PPr, CT_RPr).
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:widowControl",
    "w:numPr",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:jc",
    "w:outlineLvl",
)
RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:color",
    "w:spacing",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:lang",
)


def ordered(tag: str, order: tuple[str, ...], parts: dict):
    """An element holding ``parts`` (name → element) in schema ``order``."""
    return el(tag, None, *(parts[name] for name in order if name in parts))


def merge_ppr(p, *elements) -> None:
    """Set paragraph properties over those a paragraph has, in schema order."""
    ppr = p.find(clark("w:pPr"))
    parts = {child.tag: child for child in ppr}
    parts.update({element.tag: element for element in elements})
    p.replace(ppr, el("w:pPr", None, *(parts[clark(name)] for name in PPR_ORDER if clark(name) in parts)))


def parse_part(blob: bytes):
    """A part's XML as python-docx parses it (its elements' classes; entities off)."""
    return parse_xml(blob)


def xml_bytes(element) -> bytes:
    """A part's bytes, with the declaration python-docx writes."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- what Word shows, every tracked change accepted ------------------------------------------

#: Tracked changes: removed when accepted, and kept.
REMOVED = frozenset({f"{W}del", f"{W}moveFrom"})
KEPT = frozenset({f"{W}ins", f"{W}moveTo"})
TRACKED = REMOVED | KEPT
#: Where a comment is anchored.
COMMENT_MARKS = frozenset({f"{W}commentRangeStart", f"{W}commentReference"})
#: Inline containers whose runs Word shows as they are (the hyperlink is passed on).
_CONTAINERS = frozenset(
    f"{W}{name}" for name in ("smartTag", "fldSimple", "customXml", "sdt", "sdtContent", "dir", "bdo")
)
_RUN, _HYPERLINK = f"{W}r", f"{W}hyperlink"
#: Text of the run children that show as text (w:t is its own text, w:sym its character).
_PIECES = {f"{W}tab": " ", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-", f"{W}softHyphen": ""}
_T, _SYM = f"{W}t", f"{W}sym"
_HEX = re.compile("[0-9A-Fa-f]{1,5}")


def accepted(element, hyperlink=None) -> Iterator[tuple]:
    """What Word shows of a paragraph (or any inline content) with every
    tracked change accepted, in order, as ``(node, hyperlink)``: each child
    of each run it shows (``w:t``, ``w:tab``, ``w:drawing``, a note
    reference, …) with the ``w:hyperlink`` around it (or None), and each
    tracked change (``TRACKED``) and comment mark (``COMMENT_MARKS``) met on
    the way, for a caller that counts them.  Inserted and moved-to content
    is walked; deleted and moved-from content is not; hyperlinks, fields
    (their result), smart tags, content controls and custom XML show their
    runs.  Field instructions (``w:instrText``) and deleted text
    (``w:delText``) are run children that are not text (``piece_text``)."""
    for child in element:
        tag = child.tag
        if tag == _RUN:
            for node in child:
                yield node, hyperlink
        elif tag in REMOVED:
            yield child, hyperlink
        elif tag in KEPT:
            yield child, hyperlink
            yield from accepted(child, hyperlink)
        elif tag == _HYPERLINK:
            yield from accepted(child, child if child.get(f"{R}id") else hyperlink)
        elif tag in _CONTAINERS:
            yield from accepted(child, hyperlink)
        elif tag in COMMENT_MARKS:
            yield child, hyperlink


def piece_text(node) -> str | None:
    """The text a run's child shows (a tab a space, a line break ``\\n``, a
    symbol its character), or None for what is not text."""
    tag = node.tag
    if tag == _T:
        return node.text or ""
    if tag in _PIECES:
        return _PIECES[tag]
    if tag == _SYM:
        code = node.get(f"{W}char") or ""
        return chr(int(code, 16)) if _HEX.fullmatch(code) else ""
    return None


def is_plain(node) -> bool:
    """A piece that takes no run formatting (a tab, a line break)."""
    return node.tag in (f"{W}tab", f"{W}br", f"{W}cr")


def visible_text(paragraphs: Iterable) -> str:
    """The text Word shows of paragraphs read as one (see ``accepted_paragraphs``)."""
    out = []
    for p in paragraphs:
        for node, _ in accepted(p):
            text = piece_text(node)
            if text is not None:
                out.append(text)
    return "".join(out)


_MARK_REMOVED = tuple(f"{W}pPr/{W}rPr/{W}{name}" for name in ("del", "moveFrom"))


def mark_removed(p) -> bool:
    """Is the paragraph's mark a tracked deletion (or moved away)?  When the
    change is accepted, the paragraph runs on into the next."""
    return any(p.find(path) is not None for path in _MARK_REMOVED)


def accepted_paragraphs(paragraphs: Iterable) -> Iterator[list]:
    """Paragraphs as Word shows them with every change accepted: each a list
    of the paragraphs it is made of, those whose mark was deleted joined to
    the one after them (whose mark, and so whose style, the joined paragraph keeps)."""
    pending: list = []
    for p in paragraphs:
        pending.append(p)
        if not mark_removed(p):
            yield pending
            pending = []
    if pending:  # a deleted mark on the last paragraph: nothing to run on into
        yield pending


_BLOCK_CONTAINERS = frozenset(f"{W}{name}" for name in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml"))


def block_paragraphs(parent) -> Iterator:
    """The paragraphs of a body or a cell, in order, those of tables and
    content controls in it included; never a text box's (it is inside a run)."""
    for child in parent:
        if child.tag == f"{W}p":
            yield child
        elif child.tag in _BLOCK_CONTAINERS:
            yield from block_paragraphs(child)


# -- opening a Word file from outside -------------------------------------------------------


class WordFileError(ValueError):
    """A Word file that cannot be read (``row``: the review table's row at fault)."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


#: Limits on a Word file from outside, checked before anything is inflated.
MAX_PACKAGE_BYTES = 1024 * 2**20  # every part inflated: photos included
MAX_XML_PART_BYTES = 256 * 2**20
MAX_RATIO = 200  # a part that inflates more than this (and past 1 MiB) is a zip bomb


def open_package(data: bytes):
    """A Word file as python-docx reads it, after checking what the zip
    declares: a broken zip, a zip bomb or a part too large is refused
    (``WordFileError``) before python-docx reads it; each part is inflated
    a megabyte at a time and refused when it grows past the size its
    directory declares, so no part is ever inflated beyond it (total
    declared: at most ``MAX_PACKAGE_BYTES``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WordFileError(f"not a readable Word file ({exc})") from None
    if sum(i.file_size for i in infos) > MAX_PACKAGE_BYTES:
        raise WordFileError(f"inflates to more than {MAX_PACKAGE_BYTES // 2**20} MiB: refused")
    for info in infos:
        _within_limits(info)
        _inflates_as_declared(data, info)
    _no_doctype(data, infos)
    _is_word(data, infos)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a damaged package
        from workflow.core.xmlsafe import syntax_message

        why = syntax_message(exc) if isinstance(exc, etree.XMLSyntaxError) else f"{type(exc).__name__}: {str(exc)[:80]}"
        raise WordFileError(f"not a readable Word file ({why})") from None


def _within_limits(info) -> None:
    """Refuse a part its directory says is a zip bomb or too large."""
    big = info.file_size > 2**20
    if big and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise WordFileError(
            f"part {info.filename} inflates {info.file_size // max(info.compress_size, 1)}-fold: a zip bomb, refused"
        )
    if info.filename.endswith(".xml") and info.file_size > MAX_XML_PART_BYTES:
        raise WordFileError(f"part {info.filename} is larger than {MAX_XML_PART_BYTES // 2**20} MiB: refused")


def _inflates_as_declared(data: bytes, info) -> None:
    """Refuse a part that inflates to more than its directory entry says.
    The standard library trusts the declared size only after inflating a
    whole part at once (a 1.5 MB file whose directory understates a part
    drove a reader to 2 GB), so the part is inflated here a megabyte at a
    time, and stops one byte past what was declared."""
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise WordFileError(f"part {info.filename}: no local header where the directory says")
    name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
    body = memoryview(data)[start + 30 + name_length + extra_length :][: info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        size = len(body)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        size = _inflated_size(body, info)
    else:
        raise WordFileError(f"part {info.filename} is compressed in a way Word never uses: refused")
    if size > info.file_size:
        raise WordFileError(
            f"part {info.filename} inflates beyond the {info.file_size} bytes its zip directory declares: refused"
        )


def _inflated_size(body: memoryview, info) -> int:
    """How far a deflated part inflates, stopping one megabyte past its declared size."""
    inflater, size, position = zlib.decompressobj(-15), 0, 0
    try:
        while size <= info.file_size and not inflater.eof:
            chunk = inflater.unconsumed_tail or body[position : position + (1 << 16)]
            if not inflater.unconsumed_tail:
                position += len(chunk)
            if not len(chunk):
                break
            size += len(inflater.decompress(chunk, 1 << 20))
    except zlib.error as exc:
        raise WordFileError(f"part {info.filename} cannot be read ({exc})") from None
    return size


#: What another program's zip says it is (its ``mimetype`` member), named in the refusal.
_OTHER_PACKAGES = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/epub+zip": "an EPUB book",
}


def _is_word(data: bytes, infos) -> None:
    """A zip that is not a Word package (an .odt renamed .docx, any zip) is
    refused in a plain sentence, naming what it is when it says so."""
    names = {i.filename for i in infos}
    if "[Content_Types].xml" in names and "xl/workbook.xml" not in names and "ppt/presentation.xml" not in names:
        return  # an Office Open XML package; python-docx finds its main part
    kind = "a zip file"
    if "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            declared = package.read("mimetype")[:100].decode("ascii", "replace").strip()
        kind = _OTHER_PACKAGES.get(declared, f"a {declared} file" if declared else kind)
    elif "xl/workbook.xml" in names:
        kind = "an Excel workbook (.xlsx)"
    elif "ppt/presentation.xml" in names:
        kind = "a PowerPoint file (.pptx)"
    raise WordFileError(f"not a Word document: this is {kind}; save it from Word or LibreOffice as Word (.docx)")


def _no_doctype(data: bytes, infos) -> None:
    """Word never writes a document type declaration; one in a part is a way
    to smuggle entities in (a bomb, an external file): refused."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                try:
                    with package.open(info) as fh:
                        head = fh.read(4096)
                except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError) as exc:
                    raise WordFileError(f"part {info.filename} cannot be read ({exc})") from None
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise WordFileError(f"part {info.filename} declares a document type (entities): refused")
