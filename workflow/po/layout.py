"""How a PO file was laid out when it was read, so that writing it back
changes only what changed.

A catalog read from canonical text (``po.reader``'s fast path) keeps one
``Layout``: the text as read (one copy, not one per entry), its line ends,
and where each entry began.  Nothing else is computed at read: what an
entry said when read is re-read from its block when the catalog is written
(``kept``), so a command that only reads pays nothing for it.  An entry
that still says what its block says is written back as the block, so a file
wrapped by another tool (msgcat at 79 columns, Weblate at 77) is never
rewrapped; new or changed entries take the width the file already uses
(``width``, found on first use).

May import: entry.
"""

from __future__ import annotations

import re

from workflow.po.entry import key, signature

WRAP = 78  # polib's and Poedit's width; gettext uses 79

_CONTINUATION = re.compile(r'^(?:#~ |#\| )?"(.*) "\n(?=(?:#~ |#\| )?")', re.M)
_LONG_KEYWORD = re.compile(r'^(?:#~ )?msg(?:id|str|ctxt) "[^\n]{80,}"$', re.M)


def detect_width(text: str, default: int = WRAP) -> int:
    """The width a PO file is wrapped at: the longest line broken at a space
    (ignoring the few far longer ones that hold an unbreakable run of Chinese),
    0 for a file that never wraps, else ``default``."""
    lengths = sorted((len(m.group(0)) - 1 for m in _CONTINUATION.finditer(text)), reverse=True)
    lengths = [n for n in lengths if n <= 120]
    if not lengths:
        return 0 if _LONG_KEYWORD.search(text) else default
    # the widest few lines of a wrapped file sit within a few columns of its width
    top = lengths[: max(3, len(lengths) // 50)]
    return top[-1] if top[0] - top[-1] > 4 else top[0]


class Layout:
    """A file's text as read and where its entries and header are in it.

    ``reread(text, start, first)`` is the reader's: the entry whose block
    begins at ``start`` as it was read, and its block's (start, end)."""

    __slots__ = ("text", "newline", "entries", "first", "header", "reread", "_width", "_starts")

    def __init__(self, text: str, newline: str, entries: list, first: int, header, reread):
        self.text = text
        self.newline = newline
        self.entries = entries  # the entries as read (the same objects), for their keys and starts
        self.first = first  # where the first entry starts: its comments are the file's header
        self.header = header  # (signature, start, end) of the header entry as read, or None
        self.reread = reread
        self._width: int | None = None
        self._starts: dict | None = None

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
        if self._starts is None:
            self._starts = {key(e): e.start for e in self.entries if e.start >= 0}
        start = self._starts.get(key(entry))
        if start is None:
            return None
        as_read, begin, end = self.reread(self.text, start, start == self.first)
        if key(as_read) != key(entry) or signature(as_read) != signature(entry):
            return None
        return self._block(begin, end)

    def header_kept(self, sig: int) -> str | None:
        """The header entry's text as read, if its fields have not changed."""
        if self.header is None or self.header[0] != sig:
            return None
        return self._block(*self.header[1:])
