"""PO text in, a ``Catalog`` of ``Entry`` objects out: the one read path.

Every PO file the package reads (a catalog, a template, a kit, a header
only) comes through ``decode`` (the charset its header declares) and
``parse``.  A file in the layout that gettext, polib, Poedit, Weblate and
this tool write is read one entry per regular-expression match, building
entries directly; anything else goes to polib's parser (``po.fallback``),
whose entries are converted.  Property tests compare both with polib.

Files are read in the charset their header declares (gettext's rule: UTF-8,
ISO-8859-x, GBK, GB18030, Big5 …).  What ``msgfmt -c`` refuses is refused
too, naming the line: a charset the bytes contradict, a raw control
character in a string, the same msgctxt and msgid twice.

May import: errors, text, entry, layout, fallback, and polib (its unescape).
"""

from __future__ import annotations

import re

import polib

from workflow.core.errors import CatalogError
from workflow.core.text import CONTROL, decode, has_control
from workflow.po import fallback
from workflow.po.entry import Catalog, Entry, header_signature, signature
from workflow.po.layout import Layout, fields

# -- charset -------------------------------------------------------------------------

_CHARSET = re.compile(rb"Content-Type:[^\n\"]*charset=([A-Za-z0-9_.:\-]+)", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset the header declares, as written, or None."""
    m = _CHARSET.search(data, 0, 8192)
    return m.group(1).decode("ascii") if m else None


def decode_po(data: bytes, display: str) -> str:
    """A PO file's bytes as text, in the charset its header declares (UTF-8
    when it declares none).  A declaration the bytes contradict is refused:
    the template placeholder ``CHARSET`` on non-ASCII text, or a legacy
    charset on text that is plainly UTF-8."""
    declared = declared_charset(data)
    name = (declared or "UTF-8").lower().replace("_", "-")
    if name in ("utf-8", "utf8"):
        return decode(data, display, CatalogError)
    if not data.isascii():
        if name == "charset":
            raise CatalogError("the header's charset is the template placeholder CHARSET; set it to UTF-8", display)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise CatalogError(f"the header declares charset {declared}, but the file is UTF-8", display)
    try:
        return decode(data, display, CatalogError, "ascii" if name == "charset" else name)
    except LookupError:
        raise CatalogError(
            f"the header declares charset {declared!r}, which is not a known encoding", display
        ) from None


# -- the read path -------------------------------------------------------------------


def parse(text: str, display: str, keep_layout: bool = True) -> Catalog:
    """Parse PO text; any defect becomes a CatalogError naming the line.
    ``keep_layout=False``: a catalog that is only read, never written (its
    counts), keeps neither the text nor what its entries said (``Layout``)."""
    _check_text(text, display)
    newline = "\r\n" if "\r\n" in text else "\n"
    if newline == "\r\n" and "\r" not in text.replace("\r\n", ""):
        text = text.replace("\r\n", "\n")
    # Of the breaks str.splitlines and polib know (UNUSUAL_BREAKS), _check_text refused all but a lone CR.
    po = None if "\r" in text else _parse_blocks(text, newline, keep_layout)
    if po is None:  # no entry is kept as read, but written back the file keeps its width and line ends
        po = fallback.parse(text, display)
        po._layout = Layout(text, newline, [], -1, None) if keep_layout else None
    _check_duplicates(po, display)
    _declare_utf8(po)
    return po


def same_entries(text: str, po: Catalog, display: str) -> bool:
    """Does ``text`` hold what ``po`` holds, however either is wrapped?"""
    try:
        theirs = parse(text, display)
    except CatalogError:
        return False
    if (theirs.header, theirs.metadata, bool(theirs.metadata_is_fuzzy)) != (
        po.header,
        po.metadata,
        bool(po.metadata_is_fuzzy),
    ):
        return False
    return len(theirs) == len(po) and all(signature(a) == signature(b) for a, b in zip(theirs, po))


def _check_text(text: str, display: str) -> None:
    if "\x00" in text:
        raise CatalogError("not a PO file (binary data)", display)
    bad = CONTROL.search(text) if has_control(text) else None
    if bad:
        raise CatalogError(
            f"control character U+{ord(bad.group()):04X} in the file (write it as an escape, or remove it)",
            display,
            text.count("\n", 0, bad.start()) + 1,
        )


def _check_duplicates(po, display: str) -> None:
    """msgfmt's rule: one entry per msgctxt and msgid (obsolete ones aside)."""
    seen: dict = {}
    for entry in po:
        if entry.obsolete:
            continue
        first = seen.setdefault((entry.msgctxt, entry.msgid), entry)
        if first is not entry:
            where = f"msgctxt {entry.msgctxt!r} " if entry.msgctxt is not None else ""
            raise CatalogError(
                f"duplicate entry: {where}msgid {entry.msgid[:30]!r} at lines {first.linenum} and {entry.linenum}",
                display,
                entry.linenum,
            )


def _declare_utf8(po) -> None:
    """The text is decoded now; written back, it is UTF-8, and says so."""
    kind = po.metadata.get("Content-Type")
    if kind is not None and "charset=utf-8" not in kind.lower():
        po.metadata["Content-Type"] = re.sub(r"charset=\S+", "charset=UTF-8", kind) if "charset=" in kind else kind


UNUSUAL_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines breaks there, polib's reader too


def _unusual_breaks(text: str) -> bool:
    """Any break polib's reader splits at besides LF (``parse`` asks only for CR: it refused the rest already)."""
    return any(c in text for c in UNUSUAL_BREAKS)  # one fast substring search each: 6x quicker than a regex


# -- the fast path -------------------------------------------------------------------
# A file laid out the way gettext, polib and this tool write PO files
# (entries separated by a blank line, comments in the canonical order, no
# stray white space) is read one entry at a time with one regular
# expression, and the per-line work is done by str methods in C.  Any entry
# not in that shape (plural forms, odd comments) sends the whole file to
# polib, so the result never differs from polib's (property tests check it).

_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # a quoted string, the loop unrolled
_ENTRY_BLOCK = re.compile(
    r"(?P<tc>(?:#(?: [^\n]*\S)?\n)*)"  # translator comments
    r"(?P<gc>(?:#\. [^\n]*\S\n)*)"  # extracted comments
    r"(?P<oc>(?:#: [^\n]*\S\n)*)"  # references
    r"(?P<fl>(?:#, [^\n]*\S\n)*)"  # flags
    r"(?:#\| msgctxt (?P<pc>" + _STR + r"(?:\n#\| " + _STR + r")*)\n)?"  # previous context
    r"(?:#\| msgid (?P<pm>" + _STR + r"(?:\n#\| " + _STR + r")*)\n)?"  # previous source
    r"(?P<o>(?:#~ )?)"  # obsolete
    r"(?:msgctxt (?P<ct>" + _STR + r"(?:\n(?P=o)" + _STR + r")*)\n(?P=o))?"
    r"msgid (?P<mi>" + _STR + r"(?:\n(?P=o)" + _STR + r")*)\n(?P=o)"
    r"msgstr (?P<ms>" + _STR + r"(?:\n(?P=o)" + _STR + r")*)\n?"
)


def _uncomment(tc: str) -> str:
    """Translator comment lines (each ``#`` alone or ``# text``) without
    their markers, empty lines before the first text dropped as polib does.
    str.replace in C: twice as quick as a multi-line regex."""
    body = ("\n" + tc[:-1] + "\n").replace("\n#\n", "\n\n").replace("\n#\n", "\n\n").replace("\n# ", "\n")
    return body[1:-1].lstrip("\n")


_OC_PREFIX = re.compile(r"^#: ", re.M)


def _field(group: str, joint: str = '"\n"') -> str:
    # A line ends with its closing quote and the next starts with its opening
    # one, and no string holds a raw line break: the joint occurs only between lines.
    value = group[1:-1].replace(joint, "") if "\n" in group else group[1:-1]
    return polib.unescape(value) if "\\" in value else value


def _occurrences(lines: str) -> list:
    """The references of ``#:`` lines; the (file, line) pairs of the same
    lines are one tuple shared by every entry (most entries of an article
    name the same file), each entry with its own list."""
    found = _SEEN_OCCURRENCES.get(lines)
    if found is None:
        out = []
        for word in _OC_PREFIX.sub("", lines).split():
            name, sep, number = word.rpartition(":")
            out.append((name, number) if sep and number.isdigit() else (word, ""))
        found = tuple(out)
        if len(_SEEN_OCCURRENCES) > 4096:
            _SEEN_OCCURRENCES.clear()
        _SEEN_OCCURRENCES[lines] = found
    return list(found)


_SEEN_OCCURRENCES: dict[str, tuple] = {}


def _entry_from(m, first: bool, line: int) -> Entry:
    tc, gc, oc, fl, pc, pm, obsolete, ct, mi, ms = m.groups()
    joint = '"\n#~ "' if obsolete else '"\n"'
    return Entry(
        _field(mi, joint),
        _field(ms, joint),
        _field(ct, joint) if ct is not None else None,
        [c.strip() for f in fl.split("\n")[:-1] for c in f[3:].split(",")] if fl else [],
        "" if first or not tc else _uncomment(tc),  # polib drops empty comment lines before the first text
        gc[3:-1].replace("\n#. ", "\n") if gc else "",
        _occurrences(oc) if oc else [],
        _field(pc, '"\n#| "') if pc is not None else None,
        _field(pm, '"\n#| "') if pm is not None else None,
        1 if obsolete else 0,
        0 if first else line,
    )


def _reread(text: str, start: int, first: bool) -> tuple[Entry, int, int]:
    """The entry whose match begins at ``start``, as it was read, and its
    block (the first entry's comments are the file's header, not its own)."""
    m = _ENTRY_BLOCK.match(text, start)
    assert m is not None  # it matched there when the file was read
    return _entry_from(m, first, 0), m.start("gc") if first else start, m.end()


def _parse_blocks(text: str, newline: str = "\n", keep_layout: bool = True) -> Catalog | None:
    """Entries in canonical layout, or None when any entry is not; the
    catalog remembers the text it was read from (``Layout``)."""
    found = _match_entries(text, keep_layout)
    if found is None:
        return None
    header, entries, blocks = found
    po = Catalog(header, None, entries)
    meta = _header_entry(entries)
    block = None
    if meta is not None:
        # polib removes the first entry equal to it (POEntry.__eq__), which is itself unless one repeats it
        head = [e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete]
        at = next(i for i, e in enumerate(entries) if _polib_equal(e, meta))
        del entries[at]
        if keep_layout:
            del blocks[at]
        po.metadata_is_fuzzy = bool(meta.flags)
        po.metadata.update(_metadata(meta.msgstr))
        if head:  # the header entry's block, for writing a changed header in the file's order
            _, begin, end = _reread(text, head[-1].start, head[-1].start == entries_start(text))
            block = (header_signature(po), begin, end)
    po._layout = Layout(text, newline, blocks, entries_start(text), block) if keep_layout else None
    return po


def _header_entry(entries: list) -> Entry | None:
    """The entry polib takes the metadata from (``POFile.find("")``): the one
    live entry with an empty msgid; of several, the last without a context, else the first."""
    found = [e for e in entries if e.msgid == "" and not e.obsolete]
    if len(found) > 1:
        return next((e for e in reversed(found) if not e.msgctxt), found[0])
    return found[0] if found else None


def _polib_equal(a: Entry, b: Entry) -> bool:
    """``a == b`` for polib's entries (``POEntry.__cmp__``): no context is context ``"0"``."""
    return (
        a.obsolete == b.obsolete
        and sorted(a.occurrences) == sorted(b.occurrences)
        and (a.msgctxt or "0") == (b.msgctxt or "0")
        and (a.msgid_plural or "0") == (b.msgid_plural or "0")
        and list(a.msgstr_plural.values()) == list(b.msgstr_plural.values())
        and a.msgid == b.msgid
        and a.msgstr == b.msgstr
    )


def entries_start(text: str) -> int:
    """Where the first entry's match begins: after a byte-order mark and blank lines."""
    pos = 1 if text.startswith("\ufeff") else 0
    while pos < len(text) and text[pos] == "\n":
        pos += 1
    return pos


def _match_entries(text: str, keep_layout: bool = True) -> tuple[str, list, list] | None:
    """(the file's header comment, its entries, their blocks: where each
    begins and ends and what it said, for ``Layout``) in canonical layout,
    or None when any entry is not.  Entries are matched in place (no copy of
    the text is split off), and each must end at a blank line or the end of the file."""
    pos = 1 if text.startswith("\ufeff") else 0
    end = len(text)
    match = _ENTRY_BLOCK.match
    entries: list = []
    blocks: list = []
    header = ""
    line = 1
    while True:
        gap = pos
        while pos < end and text[pos] == "\n":
            pos += 1
        line += pos - gap
        if pos >= end:
            break
        if entries and pos - gap < 1 + (text[gap - 1] != "\n"):
            return None  # no blank line between two entries
        m = match(text, pos)
        if m is None:
            return None
        start, pos = line, m.end()
        line += text.count("\n", m.start(), pos)
        entry = _entry_from(m, not entries, start)
        entry.start = m.start()
        if not entries:  # comments before the first entry are the file's header, not the entry's block
            tc = m.group("tc")
            header = _uncomment(tc) if tc else ""
            if keep_layout:
                blocks.append((m.start("gc"), pos, fields(entry)))
        elif keep_layout:
            blocks.append((entry.start, pos, fields(entry)))
        entries.append(entry)
    if not entries:
        return None
    return header, entries, blocks


def _metadata(msgstr: str) -> dict:
    """The header entry's fields, read as polib reads them."""
    metadata: dict = {}
    key = None
    for msg in msgstr.splitlines():
        try:
            key, val = msg.split(":", 1)
            metadata[key] = val.strip()
        except (ValueError, KeyError):
            if key is not None:
                metadata[key] += "\n" + msg.strip()
    return metadata
