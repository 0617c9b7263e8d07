"""The document model: articles in, editions out.

An article is a list of blocks, each with a role; a segment is one
translation unit; an edition spec is what the Word layer sets.  Pure data,
no I/O.

May import: nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

#: The origin of a unit the aligner made from a published pair of editions (``bilingual
#: align``): never human or reviewed work until a reviewer confirms it.  The memory keeps
#: such units in the state ``aligned`` (memory.RANK), below everything else.
ALIGNED_ORIGIN = "aligned, unreviewed"

#: Source file extensions and the reader each takes.
SOURCE_FORMATS = {".md": "md", ".markdown": "md", ".txt": "txt", ".docx": "docx"}


class Role(str, Enum):
    TITLE = "title"
    SUBTITLE = "subtitle"
    BYLINE = "byline"
    KICKER = "kicker"  # 肩题: a short line set small above the head it leads into
    HEADING = "heading"
    DECK = "deck"
    CAPTION = "caption"
    BODY = "body"
    NOTE = "note"  # a footnote or endnote of a Word source
    ALT = "alt"  # a photo's alternative text, for screen readers

    def __str__(self) -> str:  # what a user reads
        return self.value


class State(str, Enum):
    """Where a segment is in its life cycle (``lifecycle`` reads and changes it)."""

    UNTRANSLATED = "untranslated"
    FUZZY = "fuzzy"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"
    OBSOLETE = "obsolete"

    def __str__(self) -> str:
        return self.value


class Origin(str, Enum):
    """Where a target came from (``lifecycle`` records it in the entry's
    history as an ``Origin:`` line; kits carry it out and back)."""

    HUMAN = "human"  # a person wrote it
    MEMORY_EXACT = "memory-exact"  # the translation memory, a 100 or 101 match
    MEMORY_FUZZY = "memory-fuzzy"  # the translation memory, a fuzzy match (below 100, or adapted)
    ALIGNED = "aligned"  # aligned from a published translation of the article
    MACHINE = "machine"  # a machine translation engine
    PSEUDO = "pseudo"  # pseudo-translation (for testing layouts); never publishable

    def __str__(self) -> str:
        return self.value

    @property
    def seeded(self) -> bool:
        """A draft a person has to confirm or edit (every origin but human)."""
        return self is not Origin.HUMAN

    @property
    def is_memory(self) -> bool:
        return self in (Origin.MEMORY_EXACT, Origin.MEMORY_FUZZY)

    @property
    def needs_person(self) -> bool:
        """Is the text fuzzy until a person submits or confirms it, whatever
        its flags say?  Machine and pseudo text: never translated on its own."""
        return self in (Origin.MACHINE, Origin.PSEUDO)


#: Each origin in XLIFF 1.2 (``<target state-qualifier>``; ``x-`` values are XLIFF's own extension
#: mechanism) and in TMX (``<prop type="x-origin">``, the value as is).
XLIFF_QUALIFIERS = {
    Origin.MEMORY_EXACT: "exact-match",
    Origin.MEMORY_FUZZY: "fuzzy-match",
    Origin.MACHINE: "leveraged-mt",
    Origin.ALIGNED: "x-aligned",
    Origin.PSEUDO: "x-pseudo",
}


#: The states a live (not obsolete) segment can be in, in life-cycle order.
LIVE_STATES = (State.UNTRANSLATED, State.FUZZY, State.TRANSLATED, State.REVIEWED)
ALL_STATES = LIVE_STATES + (State.OBSOLETE,)


@dataclass(frozen=True)
class ImageRef:
    """A photo: where its bytes are (a file, or a part inside a Word source),
    what they are, and its size in pixels.  The bytes themselves are never
    held: they are streamed into each edition."""

    path: str  # the file, or the Word source holding the part
    part: str = ""  # the zip member inside a Word source ("" for a file)
    content_type: str = "image/jpeg"
    width: int = 0  # pixels
    height: int = 0
    digest: str = ""  # SHA-1 of the bytes: stable part names, identical rebuilds
    #: Why the photo cannot be printed ("" when it can): no such file, a URL, linked not embedded,
    #: not a JPEG, PNG or GIF.  The article still reads; ``lint`` reports it and a final build refuses it.
    missing: str = ""
    #: The width the source placed it at (EMU: a Word source's extent, or Markdown's ``{width=8cm}``); 0: none.
    placed: int = 0

    @property
    def available(self) -> bool:
        return not self.missing and self.width > 0

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif"}.get(self.content_type, "bin")


#: Block kinds set verbatim and never translated: code, and raw HTML other than a page break.
VERBATIM = ("code", "html")


@dataclass(frozen=True, slots=True)
class Block:
    role: Role
    text: str
    line: int  # 1-based line of the block's first line in the source file
    level: int = 0  # heading level: 1 for ``##``, 2 for ``###`` ...
    #: How the block sits in the Markdown structure, so editions keep its
    #: shape: paragraph, heading, bullet, ordered, quote, table, or code
    #: (never translated).
    kind: str = "paragraph"
    #: Table cells: (row, column), row 0 is the header row.
    cell: tuple[int, int] | None = None
    #: Line where the block's text ends (for lint reports).
    end_line: int = 0
    #: A photo (kind "image"); the block's text is its alternative text.
    image: ImageRef | None = None
    #: A list item's nesting: 1 at the top level, 2 inside it …; 0 for anything not in a list.
    depth: int = 0

    @property
    def translatable(self) -> bool:
        return self.kind not in VERBATIM and bool(self.text.strip())

    @property
    def verbatim(self) -> bool:
        """Set as it stands in every edition, never translated (code, raw HTML)."""
        return self.kind in VERBATIM

    @property
    def shown(self) -> bool:
        """Does an edition show it (text, a photo even without alt text, a page break)?"""
        return bool(self.text.strip()) or self.image is not None or self.kind == "pagebreak"


@dataclass(frozen=True)
class Article:
    name: str  # the file name without extension: "changsha-opening-up"
    path: str  # path relative to the project root, with forward slashes
    format: str  # "md" or "txt"
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    encoding: str = "utf-8"  # what the source file was read as
    #: What reading it found worth saying (tracked changes accepted, comments ignored).
    notices: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        for block in self.blocks:
            if block.role is Role.TITLE:
                return block.text
        return self.name

    def translatable_blocks(self):
        return [b for b in self.blocks if b.translatable]


@dataclass(frozen=True, slots=True)
class Segment:
    """One translation unit: what goes into one PO entry."""

    id: str
    role: Role
    text: str
    level: int = 0
    #: Glossary hints for translators: (source term, target) pairs.
    glossary: tuple[tuple[str, str], ...] = ()
    #: Where the text sits when that is not a plain paragraph ("list item").
    kind: str = "paragraph"

    @property
    def context(self) -> str:
        """The PO ``msgctxt``: the role, which translators see in Poedit and
        Weblate, and which keeps equal text in different roles apart."""
        return self.role.value


# -- editions ---------------------------------------------------------------------


@dataclass(slots=True)
class Piece:
    """One paragraph's worth of text in one language."""

    text: str
    lang: str  # "zh" or "en"
    mark: str | None = None  # None, or how a draft marks it: "untranslated" or "fuzzy"


@dataclass(slots=True)
class EditionBlock:
    """One source block with what the edition shows for it."""

    role: str
    level: int
    kind: str
    pieces: list[Piece]
    cell: tuple[int, int] | None = None
    image: ImageRef | None = None
    depth: int = 0  # a list item's nesting (1: top level)


@dataclass
class EditionSpec:
    """Everything the Word layer needs to set one edition."""

    edition: str  # "zh", "en", "bilingual"
    title: str
    language: str  # dc:language, e.g. zh-CN
    creator: str
    date: datetime
    markup: str = "md"  # "md": inline Markdown in the text; "txt": plain
    layout: str = "alternating"
    draft_note: str | None = None
    headers: tuple[str, str] = ("中文", "English")
    units: list[EditionBlock] = field(default_factory=list)
    #: The language of the pieces that are not Chinese (the translation's), e.g. en-US.
    other_language: str = "en-US"
    #: The running head: (left: paper · date · section, right: the article's short title); None: none.
    furniture: tuple[str, str] | None = None
    author: str = ""  # the reporter (PDF Author); empty: the creator
    subject: str = ""  # the section (PDF Subject)
    look: str = "reader"  # "reader": A4, one column; "newspaper": the body in columns under a spanning head
