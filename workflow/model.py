"""The document model: an article is a list of blocks, each with a role.

Pure data, no I/O, nothing imported from the rest of the package.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Role(str, Enum):
    TITLE = "title"
    SUBTITLE = "subtitle"
    BYLINE = "byline"
    HEADING = "heading"
    DECK = "deck"
    CAPTION = "caption"
    BODY = "body"

    def __str__(self) -> str:  # what a user reads
        return self.value


@dataclass(frozen=True)
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

    @property
    def translatable(self) -> bool:
        return self.kind != "code" and bool(self.text.strip())


@dataclass(frozen=True)
class Article:
    name: str  # the file name without extension: "changsha-opening-up"
    path: str  # path relative to the project root, with forward slashes
    format: str  # "md" or "txt"
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        for block in self.blocks:
            if block.role is Role.TITLE:
                return block.text
        return self.name

    def translatable_blocks(self):
        return [b for b in self.blocks if b.translatable]


@dataclass(frozen=True)
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
