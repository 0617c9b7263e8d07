"""polib's PO reader, for files not in canonical layout, and the
conversion of its objects to and from ``Entry``.

``po.reader`` sends here what its fast path does not read (plural forms,
unusual comments, unusual line breaks); the result is converted to a
``Catalog``, so no polib object leaves the PO I/O modules.  ``to_polib``
is for the property tests, which take polib as the oracle.

May import: errors, entry, layout, and polib.
"""

from __future__ import annotations

import re

import polib

from workflow.core.errors import CatalogError
from workflow.po.entry import Catalog, Entry
from workflow.po.layout import WRAP

_PO_LINE = re.compile(
    r'^(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*")\s*$'
)
_LINE = re.compile(r"\(line (\d+)\)")


def check_lines(text: str, display: str) -> None:
    """polib accepts some broken files silently (an unterminated string
    becomes empty); check every line's shape first so the user hears of it."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped and not _PO_LINE.match(stripped):
            raise CatalogError(f"malformed PO file: cannot read {stripped[:30]!r}", display, number)


def parse(text: str, display: str) -> Catalog:
    """polib's reading of ``text``, as a ``Catalog``."""
    check_lines(text, display)
    try:
        po = polib.pofile(text, wrapwidth=WRAP)
    except (OSError, ValueError, KeyError, IndexError) as exc:
        m = _LINE.search(str(exc))
        msg = str(exc).split(" (line")[0].replace(" in po file", "").strip() or "malformed PO file"
        if "Syntax error" in msg or not msg:
            msg = "syntax error"
        raise CatalogError(f"malformed PO file: {msg}", display, int(m.group(1)) if m else None) from None
    return from_polib(po)


def from_polib(po) -> Catalog:
    catalog = Catalog(po.header, po.metadata, [from_polib_entry(e) for e in po])
    catalog.metadata_is_fuzzy = po.metadata_is_fuzzy
    return catalog


def from_polib_entry(e) -> Entry:
    return Entry(
        e.msgid,
        e.msgstr,
        e.msgctxt,
        e.flags,
        e.tcomment,
        e.comment,
        e.occurrences,
        e.previous_msgctxt,
        e.previous_msgid,
        e.obsolete,
        e.linenum,
        e.msgid_plural,
        e.msgstr_plural,
        e.previous_msgid_plural,
    )


def to_polib(catalog: Catalog, wrapwidth: int = WRAP):
    """The catalog as a ``polib.POFile`` (what the property tests compare with)."""
    po = polib.POFile(wrapwidth=wrapwidth)
    po.header = catalog.header
    po.metadata = dict(catalog.metadata)
    po.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    for e in catalog:
        entry = polib.POEntry(
            msgid=e.msgid,
            msgstr=e.msgstr,
            msgctxt=e.msgctxt,
            flags=list(e.flags),
            tcomment=e.tcomment,
            comment=e.comment,
            occurrences=list(e.occurrences),
            previous_msgctxt=e.previous_msgctxt,
            previous_msgid=e.previous_msgid,
            previous_msgid_plural=e.previous_msgid_plural,
            obsolete=e.obsolete,
            linenum=e.linenum,
        )
        entry.msgid_plural, entry.msgstr_plural = e.msgid_plural, dict(e.msgstr_plural)
        po.append(entry)
    return po
