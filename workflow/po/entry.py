"""A translation entry and a catalog of them: the package's own types.

``Entry`` is one segment of a PO file (gettext's field names, so a PO
reader's eyes find their way: ``msgctxt`` is the segment's role, ``msgid``
its source, ``msgstr`` (``msgstr_plural``) its target, then flags,
comments, references, the ``#|`` previous strings, ``obsolete`` and the
line it was read from).  It is slotted: a book-length catalog holds a few
hundred thousand of them.  Its history (the translator comment's logical
lines, the drafts and reviews they record) is parsed once, the first time
the life cycle asks, and kept with the entry until the comment changes
(``po.history``).

``Catalog`` is the file: its header comment, metadata, entries and a
private layout handle through which the writer puts every entry not
changed since reading back exactly as it was read (``po.layout``).

Reading and writing are ``po.pofile``'s; states and history
``po.lifecycle``'s: the fields are public for reading, and only those two
change them.

May import: segment.
"""

from __future__ import annotations

import re
from typing import Any

#: The entry's fields that say what it is (the writer's, the reader's and the signature's order).
FIELDS = (
    "msgctxt",
    "msgid",
    "msgid_plural",
    "msgstr",
    "msgstr_plural",
    "flags",
    "comment",
    "tcomment",
    "occurrences",
    "previous_msgctxt",
    "previous_msgid",
    "previous_msgid_plural",
    "obsolete",
)

_ID_LINE = re.compile(r"^ID: (\S+)$", re.M)


class Entry:
    """One translation entry (see the module's docstring)."""

    __slots__ = (*FIELDS, "linenum", "start", "memo")

    def __init__(
        self,
        msgid: str = "",
        msgstr: str = "",
        msgctxt: str | None = None,
        flags: list | None = None,
        tcomment: str = "",
        comment: str = "",
        occurrences: list | None = None,
        previous_msgctxt: str | None = None,
        previous_msgid: str | None = None,
        obsolete: int = 0,
        linenum: int = 0,
        msgid_plural: str = "",
        msgstr_plural: dict | None = None,
        previous_msgid_plural: str | None = None,
        start: int = -1,
    ):
        self.msgid, self.msgstr, self.msgctxt = msgid, msgstr, msgctxt
        self.flags = [] if flags is None else flags
        self.tcomment, self.comment = tcomment, comment
        self.occurrences = [] if occurrences is None else occurrences
        self.previous_msgctxt, self.previous_msgid, self.previous_msgid_plural = (
            previous_msgctxt,
            previous_msgid,
            previous_msgid_plural,
        )
        self.obsolete, self.linenum = obsolete, linenum
        self.msgid_plural = msgid_plural
        self.msgstr_plural = {} if msgstr_plural is None else msgstr_plural
        self.start = start  # where the reader found it in the file's text (-1: not read from one)
        self.memo = None  # the parsed history, po.history's cache

    @property
    def role(self) -> str:
        """The segment's role (its context): title, head, body, caption, ..."""
        return self.msgctxt or ""

    @property
    def source(self) -> str:
        return self.msgid

    @property
    def target(self) -> str:
        """The translation: msgstr, or msgstr[0] of a plural entry."""
        return first_msgstr(self)

    @property
    def id(self) -> str:
        """The segment ID: from the ``#. ID:`` comment, or computed from
        context and source for a PO file from elsewhere."""
        return entry_id(self)

    def __repr__(self) -> str:
        return f"Entry(msgctxt={self.msgctxt!r}, msgid={self.msgid[:30]!r}, line {self.linenum})"


class Catalog:
    """A PO file: header comment, metadata (in the file's order), entries."""

    __slots__ = ("header", "metadata", "metadata_is_fuzzy", "entries", "_layout")

    def __init__(self, header: str = "", metadata: dict | None = None, entries: list | None = None):
        self.header = header
        self.metadata = dict(metadata or {})
        self.metadata_is_fuzzy = False
        self.entries: list[Entry] = [] if entries is None else entries
        self._layout: Any = None  # a po.layout.Layout: how the file was read

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):
        return self.entries[index]

    def append(self, entry: Entry) -> None:
        self.entries.append(entry)

    def extend(self, entries) -> None:
        self.entries.extend(entries)

    def find(self, msgid: str, msgctxt: str | None | bool = False) -> Entry | None:
        """The live entry with this source (and this context, unless ``msgctxt`` is False), as polib finds it."""
        return next(
            (
                e
                for e in self.entries
                if e.msgid == msgid and not e.obsolete and (msgctxt is False or e.msgctxt == msgctxt)
            ),
            None,
        )

    def adopt_layout(self, other: Catalog) -> None:
        """Write this catalog laid out as ``other`` was read (see ``po.layout``)."""
        self._layout = other._layout


def entry_id(entry) -> str:
    """The segment ID of an entry: from its ``#. ID:`` comment, or computed
    from context and source for PO files from elsewhere."""
    m = _ID_LINE.search(entry.comment or "")
    if m:
        return m.group(1)
    from workflow.sources.segment import segment_id

    return segment_id(entry.msgctxt or "", entry.msgid)


def first_msgstr(entry) -> str:
    """The translation: msgstr, or msgstr[0] of a plural entry."""
    plural = entry.msgstr_plural
    if plural:
        return plural.get(0, plural.get("0", "")) or ""
    return entry.msgstr or ""


def is_header(entry) -> bool:
    return not entry.msgid and not entry.msgctxt


def key(entry) -> tuple:
    """Which entry of a file this is: context, source, and live or obsolete."""
    return entry.msgctxt, entry.msgid, bool(entry.obsolete)


def signature(entry) -> int:
    """What an entry says, not how it is wrapped: equal for the same entry
    written at any width (comment lines joined as wrapping would split them)."""
    return hash(
        (
            entry.msgctxt,
            entry.msgid,
            entry.msgid_plural,
            entry.msgstr,
            tuple(sorted((str(k), v) for k, v in entry.msgstr_plural.items())),
            tuple(entry.flags),
            " ".join(entry.comment.split()),
            " ".join(entry.tcomment.split()),
            tuple(entry.occurrences),
            entry.previous_msgctxt,
            entry.previous_msgid,
            entry.previous_msgid_plural,
            bool(entry.obsolete),
        )
    )


def header_signature(po) -> int:
    return hash((tuple(po.metadata.items()), bool(po.metadata_is_fuzzy)))
