"""How a PO file was laid out when it was read, so that writing it back
changes only what changed.

A catalog read from canonical text (``po.reader``'s fast path) keeps one
``Layout``: the text as read (one copy, not one per entry), its line ends,
and for each entry where its block is and what it said (``fields``: the
same string objects the entry was given, no copies).  An entry that still
says what its block says is written back as the block (``kept``), so a
file wrapped by another tool (msgcat at 79 columns, Weblate at 77) is never
rewrapped; new or changed entries take the width the file already uses
(``width``, found on first use).  Comparing fields is what makes writing a
book-length catalog cheap: re-reading every block from the text at write
time, as an earlier version did, cost as much as reading the file again.

May import: entry.
"""

from __future__ import annotations

import re

from workflow.po.entry import key

WRAP = 78  # polib's and Poedit's width; gettext uses 79

_CONTINUATION = re.compile(r'^(?:#~ |#\| )?"(.*) "\n(?=(?:#~ |#\| )?")', re.M)
_LONG_KEYWORD = re.compile(r'^(?:#~ )?msg(?:id|str|ctxt) "[^\n]{80,}"$', re.M)


def detect_width(text: str, default: int = WRAP) -> int:
    """The width a PO file is wrapped at: the longest line broken at a space
    (ignoring the few far longer ones that hold an unbreakable run of Chinese),
    0 for a file that never wraps, else ``default``."""
    lengths = sorted((n for n in continued_lines(text) if n <= 120), reverse=True)
    if not lengths:
        return 0 if _LONG_KEYWORD.search(text) else default
    # the widest few lines of a wrapped file sit within a few columns of its width
    top = lengths[: max(3, len(lengths) // 50)]
    return top[-1] if top[0] - top[-1] > 4 else top[0]


def fields(entry) -> tuple:
    """What an entry says, in the order ``kept`` compares: its key
    (context, source, obsolete) first, then every field ``signature`` covers."""
    plural = entry.msgstr_plural
    return (
        entry.msgctxt,
        entry.msgid,
        bool(entry.obsolete),
        entry.msgstr,
        tuple(entry.flags),
        entry.comment,
        entry.tcomment,
        tuple(entry.occurrences),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.msgid_plural,
        tuple(sorted((str(k), v) for k, v in plural.items())) if plural else (),
        entry.previous_msgid_plural,
    )


def _same(now: tuple, said: tuple) -> bool:
    """Do two ``fields`` say the same, the comments' white space as wrapping
    leaves it (``signature``'s rule)?  The comments are split only when all else agrees."""
    if now == said:
        return True
    return (
        now[:5] == said[:5]
        and now[7:] == said[7:]
        and (now[5] == said[5] or now[5].split() == said[5].split())
        and (now[6] == said[6] or now[6].split() == said[6].split())
    )


_OPENINGS = ('"', '#~ "', '#| "')


def continued_lines(text: str) -> list[int]:
    """The lengths of the lines that ``_CONTINUATION`` matches (a string
    line ending in a space, the next line a string too), found by substring
    search for their ends: a third of the regex's time on a book-length file."""
    out = []
    end = text.find(' "\n')
    while end >= 0:
        start = text.rfind("\n", 0, end) + 1
        after = end + 3
        for opening in _OPENINGS:
            # the line opens with it, and its closing quote is another one
            if text.startswith(opening, start) and end - start >= len(opening):
                if text.startswith(_OPENINGS, after):
                    out.append(end + 2 - start)
                break
        end = text.find(' "\n', after)
    return out


class Layout:
    """A file's text as read, and its entries' blocks in it.

    ``blocks`` holds (begin, end, fields) of each entry as read, the header
    entry's aside (``header``: its signature, begin and end).  ``first`` is
    where the first entry starts, -1 for a file read by polib's parser (no
    block is kept).  ``rewritten`` counts the live entries of the last write
    that the file holds otherwise or not at all: when it is not 0, the file's
    entries differ from the catalog's however either is wrapped."""

    __slots__ = ("text", "newline", "blocks", "first", "header", "rewritten", "_width", "_index")

    def __init__(self, text: str, newline: str, blocks: list, first: int, header):
        self.text = text
        self.newline = newline
        self.blocks = blocks
        self.first = first
        self.header = header  # (signature, start, end) of the header entry as read, or None
        self.rewritten = 0
        self._width: int | None = None
        self._index: dict | None = None

    @property
    def width(self) -> int:
        if self._width is None:
            self._width = detect_width(self.text)
        return self._width

    def _block(self, start: int, end: int) -> str:
        body = self.text[start:end]
        return body if body.endswith("\n") else body + "\n"

    def kept(self, entry) -> str | None:
        """The entry's text as read, if what it says has not changed."""
        if self._index is None:
            self._index = {said[:3]: (begin, end, said) for begin, end, said in self.blocks}
        found = self._index.get(key(entry))
        if found is not None and _same(fields(entry), found[2]):
            return self._block(found[0], found[1])
        if self.first >= 0 and not entry.obsolete:
            self.rewritten += 1
        return None

    def header_kept(self, sig: int) -> str | None:
        """The header entry's text as read, if its fields have not changed."""
        if self.header is None or self.header[0] != sig:
            return None
        return self._block(*self.header[1:])
