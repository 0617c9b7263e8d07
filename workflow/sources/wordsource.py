"""Word files as sources: a ``.docx`` article read into blocks with roles.

The body in order — paragraphs, tables (each cell a segment), paragraphs of
text boxes the body anchors (after their anchor), photos (``w:drawing`` with
an embedded picture; its description is the alt text), footnotes and
endnotes (segments of role ``note`` after the paragraph citing them).
Headers, footers, comments and tables of contents are not article text.
The text is what Word shows with every tracked change accepted, read by
``word.ooxml.accepted`` as the kit reader reads it (a deleted paragraph mark
joins the paragraph to the next, a tab is a space); fields keep their visible
result, content controls, smart tags and bookmarks their text; soft hyphens
go, non-breaking spaces become spaces.  Bold, italic and links
become the Markdown inline markup the editions set.

**Roles.** From the paragraph style first, matched on the style's name, its
``basedOn`` chain and its outline level, never on the localised style ID:
Title/标题 → title, Subtitle/副标题 → subtitle, Heading n/标题 n → heading of
level n, Caption/题注 → caption, Author → byline.  A file without a Title
style whose first paragraph is its only ``Heading 1`` (pandoc's and many
CMSs' convention) is read one level up: that paragraph is the title and
Heading n a heading of level n − 1.  Paragraphs in Normal get the plain-text
rules (first short line, credits, ——), and direct formatting counts: a
centred bold paragraph much larger than the body is a title or heading, a
short all-bold line without end punctuation a heading.

A paragraph's number stands for its line in messages (``x.docx:12``).

May import: errors, model, text, fsio, images, source, word.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from workflow.core.errors import SourceError
from workflow.core.fsio import read_bytes
from workflow.core.model import Article, ImageRef, Role
from workflow.core.text import find_control_char, inline_markdown
from workflow.sources.images import describe
from workflow.sources.source import RawBlock, assign_roles, join_lines
from workflow.word.ooxml import (
    COMMENT_MARKS,
    NOTE_PARTS,
    TRACKED,
    accepted,
    accepted_paragraphs,
    is_plain,
    mark_removed,
    parse_part,
    piece_text,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_V = "{urn:schemas-microsoft-com:vml}"

#: Style names (lower case) and what they mean: (role, heading level, block kind).
_STYLE_ROLES = {
    "title": (Role.TITLE, 0),
    "标题": (Role.TITLE, 0),
    "subtitle": (Role.SUBTITLE, 0),
    "副标题": (Role.SUBTITLE, 0),
    "caption": (Role.CAPTION, 0),
    "题注": (Role.CAPTION, 0),
    "image caption": (Role.CAPTION, 0),
    "table caption": (Role.CAPTION, 0),
    "author": (Role.BYLINE, 0),
    **{f"heading {n}": (Role.HEADING, n) for n in range(1, 10)},
    **{f"标题 {n}": (Role.HEADING, n) for n in range(1, 10)},
}
_QUOTES = {"quote", "intense quote", "引用", "明显引用", "block text"}
_SKIPPED = re.compile(r"^(?:toc \d|目录 \d|toc heading|header|footer|页眉|页脚)$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_BLOCKS = {f"{_W}tbl", f"{_W}sdt", f"{_W}customXml"}
_CLOSED_END = "。！？!?…：:；;.”’」』）)"


# -- styles ----------------------------------------------------------------------------------


class _Styles:
    """Paragraph styles by ID: name, parent and outline level, resolved through ``basedOn``."""

    def __init__(self, document):
        self.styles = {}
        for style in document.styles.element.iter(f"{_W}style"):
            name = style.find(f"{_W}name")
            based = style.find(f"{_W}basedOn")
            outline = style.find(f"{_W}pPr/{_W}outlineLvl")
            self.styles[style.get(f"{_W}styleId")] = (
                (name.get(f"{_W}val") if name is not None else "").lower(),
                based.get(f"{_W}val") if based is not None else None,
                int(outline.get(f"{_W}val"))
                if outline is not None and (outline.get(f"{_W}val") or "").isdigit()
                else None,
            )

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield self.styles[style_id]
            style_id = self.styles[style_id][1]

    def meaning(self, style_id: str | None) -> tuple | None:
        """(role, level) or ("quote"/"skip", 0) or None, from the first style
        in the chain whose name or outline level says something."""
        for name, _, outline in self.chain(style_id):
            if name in _STYLE_ROLES:
                return _STYLE_ROLES[name]
            if name in _QUOTES:
                return ("quote", 0)
            if _SKIPPED.match(name):
                return ("skip", 0)
            if outline is not None and outline < 9:
                return (Role.HEADING, outline + 1)
        return None


# -- inline text ---------------------------------------------------------------------------------


@dataclass
class _Found:
    """What one paragraph holds besides its text."""

    images: list = field(default_factory=list)  # (alt, ImageRef)
    notes: list = field(default_factory=list)  # (kind, id)
    boxes: list = field(default_factory=list)  # text-box paragraphs
    bold: list = field(default_factory=list)  # per visible run: bold?


class _Reader:
    """Reads one Word source; counts what it accepted and ignored."""

    def __init__(self, path: Path, display: str, document):
        self.path, self.display, self.document = path, display, document
        self.shift = False  # the first paragraph, the only Heading 1, is the title
        self.styles = _Styles(document)
        self.part = document.part
        self.tracked = 0
        self.comments: set = set()
        self.number = 0  # paragraph number: the "line" of messages
        self.notes = {"footnote": self._notes("footnotes"), "endnote": self._notes("endnotes")}
        self.body_size = self._body_size()

    def _notes(self, kind: str) -> dict:
        for rel in self.part.rels.values():
            if rel.reltype == NOTE_PARTS[kind] and not rel.is_external:
                root = parse_part(rel.target_part.blob)
                return {
                    n.get(f"{_W}id"): n
                    for n in root.iter(f"{_W}{kind[:-1]}")
                    if n.get(f"{_W}type") not in ("separator", "continuationSeparator", "continuationNotice")
                }
        return {}

    def _body_size(self) -> int:
        sizes = Counter(
            int(sz.get(f"{_W}val"))
            for sz in self.document.element.body.iter(f"{_W}sz")
            if (sz.get(f"{_W}val") or "").isdigit()
        )
        return sizes.most_common(1)[0][0] if sizes else 21

    # runs
    def runs(self, element, found: _Found):
        """(text, bold, italic, href) of what Word shows, tracked changes
        accepted (``ooxml.accepted``: the same reading as the kit reader's)."""
        run = bold = italic = None
        for node, link in accepted(element):
            tag = node.tag
            if tag in TRACKED:
                self.tracked += 1
                continue
            if tag in COMMENT_MARKS:
                self.comments.add(node.get(f"{_W}id"))
                continue
            if node.getparent() is not run:
                run = node.getparent()
                props = run.find(f"{_W}rPr")
                bold = props is not None and _on(props.find(f"{_W}b"))
                italic = props is not None and _on(props.find(f"{_W}i"))
            text = piece_text(node)
            href = self._link(link) if link is not None else None
            if text is not None:
                if tag == f"{_W}t":
                    found.bold.append(bold)
                    text = text.replace("\u00a0", " ")
                yield (text, False, False, href) if is_plain(node) else (text, bold, italic, href)
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                found.notes.append(("footnote" if "foot" in tag else "endnote", node.get(f"{_W}id")))
            elif tag in (f"{_W}drawing", f"{_W}pict", f"{_MC}AlternateContent", f"{_W}object"):
                self._graphic(node, found)

    def _link(self, hyperlink) -> str | None:
        rid = hyperlink.get(f"{_R}id")
        if rid and rid in self.part.rels and self.part.rels[rid].is_external:
            return self.part.rels[rid].target_ref
        return None

    # photos and text boxes
    def _graphic(self, element, found: _Found) -> None:
        for fallback in element.iter(f"{_MC}Fallback"):  # the same content again, for older readers
            fallback.getparent().remove(fallback)
        for box in element.iter(f"{_W}txbxContent"):
            found.boxes += [p for p in box if p.tag == f"{_W}p"]
        for blip in element.iter(f"{_A}blip", f"{_V}imagedata"):
            found.images.append(self._image(element, blip))

    def _image(self, element, blip):
        where = f"{self.display}:{self.number}"
        doc_pr = next(element.iter(f"{_WP}docPr"), None)
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        rid = blip.get(f"{_R}embed") or blip.get(f"{_R}id")
        rel = self.part.rels.get(rid) if rid else None
        if rel is None or rel.is_external:  # the article still reads; lint and the publish gate report it
            link = self.part.rels.get(blip.get(f"{_R}link") or rid or "")
            target = link.target_ref if link is not None else "nothing"
            return " ".join(alt.split()), ImageRef(
                target, missing=f"a picture linked to {target}, not embedded: insert it into the document"
            )
        target = rel.target_part
        try:
            image = describe(
                io.BytesIO(target.blob),
                f"{where}: picture {target.partname}",
                str(self.path.resolve()),
                target.partname.lstrip("/"),
            )
        except SourceError as exc:  # an EMF, TIFF …: printed only once someone supplies a JPEG, PNG or GIF
            image = ImageRef(
                str(self.path.resolve()),
                target.partname.lstrip("/"),
                missing=f"picture {target.partname}: {exc.message}",
            )
        extent = next(element.iter(f"{_WP}extent"), None)  # the size the author placed it at
        placed = extent.get("cx", "") if extent is not None else ""
        if placed.isdigit():
            image = replace(image, placed=int(placed))
        return " ".join(alt.split()), image


def _escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _on(flag) -> bool:
    """A boolean run property (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    return flag is not None and flag.get(f"{_W}val", "true") not in ("0", "false", "off")


# -- blocks ----------------------------------------------------------------------------------------


class _Walker(_Reader):
    """The body walked in order, each paragraph given its kind and the role its style states."""

    def paragraph_text(self, paragraphs: list) -> tuple[str, _Found]:
        """The text of paragraphs Word shows as one (a deleted paragraph mark
        joins a paragraph to the next: ``ooxml.accepted_paragraphs``)."""
        found = _Found()
        pieces = (piece for p in paragraphs for piece in self.runs(p, found))
        text = join_lines(inline_markdown(pieces, _escape_markdown).split("\n"))
        text = unicodedata.normalize("NFC", text)
        bad = find_control_char(text)
        if bad:
            raise SourceError(f"control character U+{ord(bad[1]):04X} cannot be published", self.display, self.number)
        return text, found

    def blocks(self, parent) -> list[RawBlock]:
        out: list[RawBlock] = []
        joined: list = []  # paragraphs whose mark was deleted: they run on into the next
        for child in parent:
            tag = child.tag
            if tag == f"{_W}p" and mark_removed(child):
                joined.append(child)
                continue
            if tag == f"{_W}p":
                out += self.paragraph(child, joined)
                joined = []
                continue
            if joined and tag in _BLOCKS:  # nothing to run on into: the last stands as it is
                out += self.paragraph(joined[-1], joined[:-1])
                joined = []
            if tag == f"{_W}tbl":
                out += self.table(child)
            elif tag == f"{_W}sdt":
                gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
                if gallery is None or "Contents" not in (gallery.get(f"{_W}val") or ""):  # not a table of contents
                    out += self.blocks(
                        child.find(f"{_W}sdtContent") if child.find(f"{_W}sdtContent") is not None else child
                    )
            elif tag == f"{_W}customXml":
                out += self.blocks(child)
        if joined:
            out += self.paragraph(joined[-1], joined[:-1])
        return out

    def paragraph(self, p, joined: list | tuple = ()) -> list[RawBlock]:
        """The blocks of paragraph ``p`` (with the ``joined`` paragraphs before
        it, whose marks were deleted; ``p``'s mark, and so its style, survives)."""
        self.number += 1 + len(joined)
        line = self.number
        meaning = self.meaning(p)
        if meaning == ("skip", 0):
            return []
        text, found = self.paragraph_text([*joined, p])
        out = [self.raw(p, text, line, meaning, found)] if text.strip() else []
        out += [RawBlock("image", alt, line, line, src=image) for alt, image in found.images]
        for box in found.boxes:
            out += self.paragraph(box)
        for kind, nid in found.notes:
            note = self.notes[kind].get(nid)
            if note is not None:
                texts = [self.paragraph_text(group)[0] for group in accepted_paragraphs(note.iter(f"{_W}p"))]
                text = " ".join(t for t in texts if t.strip())
                if text:
                    out.append(RawBlock("paragraph", text, line, line, explicit=(Role.NOTE, 0)))
        return out

    def meaning(self, p):
        style = p.find(f"{_W}pPr/{_W}pStyle")
        meaning = self.styles.meaning(style.get(f"{_W}val") if style is not None else None)
        outline = p.find(f"{_W}pPr/{_W}outlineLvl")
        if meaning is None and outline is not None and (outline.get(f"{_W}val") or "").isdigit():
            level = int(outline.get(f"{_W}val"))
            meaning = (Role.HEADING, level + 1) if level < 9 else None
        if self.shift and meaning and meaning[0] is Role.HEADING:
            meaning = (Role.TITLE, 0) if meaning[1] == 1 else (Role.HEADING, meaning[1] - 1)
        return meaning

    def raw(self, p, text: str, line: int, meaning, found: _Found) -> RawBlock:
        if meaning == ("quote", 0):
            return RawBlock("quote", text, line, line)
        if meaning is not None:
            role, level = meaning
            if role is Role.TITLE:
                return RawBlock("heading", text, line, line, level=1, explicit=(Role.TITLE, 0))
            if role is Role.HEADING:  # a head of this level, as a Markdown one is: structure may make it a kicker
                return RawBlock("heading", text, line, line, level=level + 1)
            return RawBlock("paragraph", text, line, line, explicit=meaning)
        if p.find(f"{_W}pPr/{_W}numPr") is not None:
            level = p.find(f"{_W}pPr/{_W}numPr/{_W}ilvl")
            depth = (
                int(level.get(f"{_W}val", "0")) + 1 if level is not None and level.get(f"{_W}val", "").isdigit() else 1
            )
            return RawBlock("bullet", text, line, line, depth=min(depth, 9))
        return self.direct(p, text, line, found)

    def direct(self, p, text: str, line: int, found: _Found) -> RawBlock:
        """What direct formatting says of a paragraph in Normal: a centred bold
        paragraph much larger than the body is a title or a head; a short
        all-bold line without end punctuation is a head."""
        bold = bool(found.bold) and all(found.bold)
        jc = p.find(f"{_W}pPr/{_W}jc")
        centred = jc is not None and jc.get(f"{_W}val") == "center"
        sizes = [int(v) for v in (sz.get(f"{_W}val") for sz in p.iter(f"{_W}sz")) if v and v.isdigit()]
        large = bool(sizes) and max(sizes) >= 1.3 * self.body_size
        plain = text.replace("*", "").strip()
        if bold and centred and large:
            return RawBlock("heading", text.replace("**", ""), line, line, level=1)
        if bold and len(plain) <= 30 and plain[-1:] not in _CLOSED_END:
            return RawBlock("heading", text.replace("**", ""), line, line, level=3)
        return RawBlock("paragraph", text, line, line)

    def table(self, table) -> list[RawBlock]:
        out = []
        for row_number, tr in enumerate(table.iter(f"{_W}tr")):
            column = 0
            for tc in tr.iter(f"{_W}tc"):
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if merge is not None and merge.get(f"{_W}val") != "restart":
                    column += 1
                    continue  # the continuation of a cell merged down
                self.number += 1
                found, texts = _Found(), []
                for group in accepted_paragraphs(tc.iter(f"{_W}p")):
                    text, more = self.paragraph_text(group)
                    texts.append(text)
                    found.images += more.images
                text = " ".join(t for t in texts if t.strip())
                if text:
                    out.append(RawBlock("table", text, self.number, self.number, cell=(row_number, column)))
                out += [RawBlock("image", alt, self.number, self.number, src=image) for alt, image in found.images]
                column += 1
        return out


def _title_shift(walker: _Walker, body) -> bool:
    """pandoc's and many CMSs' convention: no Title style, and the first
    paragraph is the document's only Heading 1: it is the title."""
    meanings = []
    for p in body.iter(f"{_W}p"):
        if "".join(t.text or "" for t in p.iter(f"{_W}t")).strip():
            style = p.find(f"{_W}pPr/{_W}pStyle")
            meanings.append(walker.styles.meaning(style.get(f"{_W}val") if style is not None else None))
    if any(m and m[0] is Role.TITLE for m in meanings):
        return False
    return bool(meanings) and meanings[0] == (Role.HEADING, 1) and meanings.count((Role.HEADING, 1)) == 1


def read_article(path: Path, rel: str, root: Path | None = None) -> Article:
    """The article in the Word file ``path`` (``rel`` is how it is named)."""
    from workflow.word.ooxml import WordFileError, open_package

    try:
        data = read_bytes(path)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", rel) from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(
            "a Word 97–2003 (.doc) or password-protected file: open it in Word, WPS or LibreOffice "
            "and save it as an unprotected .docx",
            rel,
        )
    if not data.startswith(b"PK"):
        raise SourceError("not a Word (.docx) file (a .wps or .doc renamed? save it as .docx)", rel)
    try:
        document = open_package(data)
    except WordFileError as exc:
        raise SourceError(str(exc), rel) from None
    del data
    walker = _Walker(path, rel, document)
    walker.shift = _title_shift(walker, document.element.body)
    blocks = assign_roles(walker.blocks(document.element.body))
    notices = []
    if walker.tracked:
        notices.append(f"{rel}: {walker.tracked} tracked change(s) read as accepted")
    if walker.comments:
        notices.append(f"{rel}: {len(walker.comments)} comment(s) ignored (not article text)")
    article = Article(name=path.stem, path=rel, format="docx", blocks=tuple(blocks), notices=tuple(notices))
    if not article.translatable_blocks():
        raise SourceError("no text to translate: the document is empty", rel)
    return article
