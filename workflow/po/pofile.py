"""The PO file format: text in, polib objects out, and back.

The only module that imports polib.  Everything else handles catalogs
(``polib.POFile``) and entries (``polib.POEntry``) through gettext's own
field names and the functions here:

* ``parse``/``load``: PO text → catalog.  A file in the layout that gettext,
  polib, Poedit, Weblate and this tool write is read one entry per regex
  match; anything else goes to polib's parser, after a line check for what
  polib lets through silently (an unterminated string becomes empty).
  Property tests compare both readers with polib.
* ``dump``: catalog → text, byte for byte what polib writes at the same
  width (a property test compares them), much faster.  A catalog read with
  ``keep_layout`` remembers each entry's text: an entry not changed since is
  written back exactly as it was read, so a file wrapped by another tool
  (msgcat at 79 columns, Weblate at 77) is never rewrapped, and new or
  changed entries take the width the file already uses.
* ``read_header``: the metadata without reading the entries.
* ``same_entries``: do a file's text and a catalog hold the same entries,
  however either is wrapped.

Files are read in the charset their header declares (gettext's rule: UTF-8,
ISO-8859-x, GBK, GB18030, Big5 …) and always written in UTF-8.  What
``msgfmt -c`` refuses is refused too, naming the line: a charset the bytes
contradict, a raw control character in a string, the same msgctxt and msgid
twice.

Public polib API only.  May import: errors, text, fsio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polib

from workflow.core.errors import CatalogError
from workflow.core.text import CONTROL, decode, has_control

WRAP = 78  # polib's and Poedit's width; gettext uses 79

POFile = polib.POFile
POEntry = polib.POEntry


def new_file(header: str = "", metadata: dict | None = None) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP)
    po.header = header
    po.metadata = dict(metadata or {})
    return po


def new_entry(**fields) -> polib.POEntry:
    return polib.POEntry(**fields)


def first_msgstr(entry) -> str:
    """The translation: msgstr, or msgstr[0] of a plural entry."""
    plural = entry.msgstr_plural
    if plural:
        return plural.get(0, plural.get("0", "")) or ""
    return entry.msgstr or ""


def is_header(entry) -> bool:
    return not entry.msgid and not entry.msgctxt


# -- layout ------------------------------------------------------------------------


@dataclass
class Layout:
    """How a file was laid out, so that writing it back changes only what changed."""

    width: int = WRAP
    newline: str = "\n"
    #: (msgctxt, msgid, obsolete) → (signature, start, end) of the entry in ``text``
    blocks: dict = field(default_factory=dict)
    text: str = ""  # the file as read (one copy, not one per entry)

    def kept(self, key, sig: int) -> str | None:
        """The entry's text as read, if what it says has not changed."""
        block = self.blocks.get(key)
        if block is None or block[0] != sig:
            return None
        body = self.text[block[1] : block[2]]
        return body if body.endswith("\n") else body + "\n"


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


def _key(entry) -> tuple:
    return entry.msgctxt, entry.msgid, bool(entry.obsolete)


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


# -- reading -------------------------------------------------------------------------


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


def load(path: Path, display: str, keep_layout: bool = False) -> polib.POFile:
    from workflow.core.fsio import read_input

    return parse(decode_po(read_input(path, display, CatalogError), display), display, keep_layout)


def parse(text: str, display: str, keep_layout: bool = False) -> polib.POFile:
    """Parse PO text; any defect becomes a CatalogError naming the line."""
    _check_text(text, display)
    newline = "\r\n" if "\r\n" in text else "\n"
    if newline == "\r\n" and "\r" not in text.replace("\r\n", ""):
        text = text.replace("\r\n", "\n")
    blocks: dict | None = {} if keep_layout else None
    po = None if _unusual_breaks(text) else _parse_blocks(text, blocks)
    if po is None:
        blocks = {} if keep_layout else None
        po = _parse_with_polib(text, display)
    _check_duplicates(po, display)
    _declare_utf8(po)
    if blocks is not None:  # kept exactly when keep_layout
        po.layout = Layout(detect_width(text), newline, blocks, text)
    return po


class Slim:
    """An entry as the life cycle, the checks and the counts read it: no
    references, previous strings or layout, and a few times smaller than a
    polib entry, which matters for a book-length catalog.  Read-only."""

    __slots__ = (
        "msgid",
        "msgstr",
        "msgctxt",
        "msgid_plural",
        "msgstr_plural",
        "flags",
        "tcomment",
        "comment",
        "obsolete",
        "linenum",
    )

    def __init__(
        self, msgid, msgstr, msgctxt, flags, tcomment, comment, obsolete, linenum, msgid_plural="", msgstr_plural=None
    ):
        self.msgid, self.msgstr, self.msgctxt, self.flags = msgid, msgstr, msgctxt, flags
        self.tcomment, self.comment, self.obsolete, self.linenum = tcomment, comment, obsolete, linenum
        self.msgid_plural, self.msgstr_plural = msgid_plural, msgstr_plural or {}

    @classmethod
    def of(cls, e: polib.POEntry) -> Slim:
        return cls(
            e.msgid,
            e.msgstr,
            e.msgctxt,
            e.flags,
            e.tcomment,
            e.comment,
            e.obsolete,
            e.linenum,
            e.msgid_plural,
            e.msgstr_plural,
        )


@dataclass
class SlimCatalog:
    """A catalog read for reading only: its metadata and its entries (``Slim``)."""

    metadata: dict
    entries: list

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def _slim_from(m, first: bool, line: int) -> Slim:
    tc, gc, _, fl, _, _, obsolete, ct, mi, ms = m.groups()
    joint = '"\n#~ "' if obsolete else '"\n"'
    return Slim(
        _field(mi, joint),
        _field(ms, joint),
        _field(ct, joint) if ct is not None else None,
        [c.strip() for f in fl.split("\n")[:-1] for c in f[3:].split(",")] if fl else [],
        "" if first or not tc else _uncomment(tc),
        gc[3:-1].replace("\n#. ", "\n") if gc else "",
        1 if obsolete else 0,
        0 if first else line,
    )


def parse_slim(text: str, display: str) -> SlimCatalog:
    """``parse`` for reading only, the same entries and the same refusals,
    at a fraction of the memory (``Slim`` entries, no catalog object)."""
    _check_text(text, display)
    text = text.replace("\r\n", "\n") if "\r\n" in text and "\r" not in text.replace("\r\n", "") else text
    found = None if _unusual_breaks(text) else _match_entries(text, _slim_from)
    if found is not None and sum(e.msgid == "" and not e.obsolete for e in found[1]) > 1:
        found = None  # several header candidates: polib's choice among them has quirks only polib repeats
    if found is None:
        po = _parse_with_polib(text, display)
        catalog = SlimCatalog(dict(po.metadata), [Slim.of(e) for e in po])
    else:
        entries = found[1]
        header = _header_entry(entries)
        metadata = _metadata(header.msgstr) if header is not None else {}
        catalog = SlimCatalog(metadata, [e for e in entries if e is not header])
    _check_duplicates(catalog, display)
    return catalog


def _header_entry(entries: list):
    """The entry polib takes the metadata from: the one live entry with an empty msgid."""
    return next((e for e in entries if e.msgid == "" and not e.obsolete), None)


def load_slim(path: Path, display: str) -> SlimCatalog:
    from workflow.core.fsio import read_input

    return parse_slim(decode_po(read_input(path, display, CatalogError), display), display)


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
        key = (entry.msgctxt, entry.msgid)
        first = seen.setdefault(key, entry)
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


_UNUSUAL_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines breaks there, polib's reader too


def _unusual_breaks(text: str) -> bool:
    return any(c in text for c in _UNUSUAL_BREAKS)  # one fast substring search each: 6x quicker than a regex


# The fast path: a file laid out the way gettext, polib and this tool write
# PO files (entries separated by a blank line, comments in the canonical
# order, no stray white space) is read one entry at a time with one regular
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
    out = []
    for word in _OC_PREFIX.sub("", lines).split():
        name, sep, number = word.rpartition(":")
        out.append((name, number) if sep and number.isdigit() else (word, ""))
    return out


def _entry_from(m, first: bool, line: int) -> polib.POEntry:
    tc, gc, oc, fl, pc, pm, obsolete, ct, mi, ms = m.groups()
    joint = '"\n#~ "' if obsolete else '"\n"'
    # polib drops empty comment lines until the first non-empty one
    tcomment = _uncomment(tc) if tc else ""
    return polib.POEntry(
        msgid=_field(mi, joint),
        msgstr=_field(ms, joint),
        msgctxt=_field(ct, joint) if ct is not None else None,
        obsolete=1 if obsolete else 0,
        tcomment="" if first else tcomment,
        comment=gc[3:-1].replace("\n#. ", "\n") if gc else "",
        occurrences=_occurrences(oc) if oc else [],
        flags=[c.strip() for f in fl.split("\n")[:-1] for c in f[3:].split(",")] if fl else [],
        previous_msgctxt=_field(pc, '"\n#| "') if pc is not None else None,
        previous_msgid=_field(pm, '"\n#| "') if pm is not None else None,
        linenum=0 if first else line,
    )


def _parse_blocks(text: str, blocks: dict | None = None) -> polib.POFile | None:
    """Entries in canonical layout, or None when any entry is not.
    With ``blocks``, each entry's text is remembered there by key (see ``Layout``)."""
    found = _match_entries(text, _entry_from, blocks)
    if found is None:
        return None
    header, entries = found
    return _finish(polib.POFile(wrapwidth=WRAP), header, entries, blocks)


def _match_entries(text: str, make, blocks: dict | None = None) -> tuple[str, list] | None:
    """(the file's header comment, entries made by ``make(match, first, line)``)
    in canonical layout, or None when any entry is not.  Entries are matched
    in place (no copy of the text is split off), and each must end at a blank
    line or the end of the file."""
    pos = 1 if text.startswith("\ufeff") else 0
    end = len(text)
    match = _ENTRY_BLOCK.match
    entries: list = []  # what ``make`` makes: polib entries or Slim ones
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
        entry = make(m, not entries, start)
        if not entries:  # comments before the first entry are the file's header
            tc = m.group("tc")
            header = _uncomment(tc) if tc else ""
        if blocks is not None:  # the first entry's comments are the file's header, not its own
            blocks[_key(entry)] = (signature(entry), m.start("tc" if entries else "gc"), pos)
        entries.append(entry)
    if not entries:
        return None
    return header, entries


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


def _finish(po, header: str, entries, blocks: dict | None = None) -> polib.POFile:
    """The header text, the entries, and the metadata taken from the header entry, as polib does."""
    po.header = header
    po.extend(entries)
    meta = po.find("")
    if meta:
        po.remove(meta)
        po.metadata_is_fuzzy = meta.flags
        po.metadata.update(_metadata(meta.msgstr))
        if blocks is not None and (None, "", False) in blocks:
            blocks[None] = (header_signature(po), *blocks.pop((None, "", False))[1:])
    return po


def header_signature(po) -> int:
    return hash((tuple(po.metadata.items()), bool(po.metadata_is_fuzzy)))


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


def _parse_with_polib(text: str, display: str) -> polib.POFile:
    check_lines(text, display)
    try:
        return polib.pofile(text, wrapwidth=WRAP)
    except (OSError, ValueError, KeyError, IndexError) as exc:
        m = _LINE.search(str(exc))
        msg = str(exc).split(" (line")[0].replace(" in po file", "").strip() or "malformed PO file"
        if "Syntax error" in msg or not msg:
            msg = "syntax error"
        raise CatalogError(f"malformed PO file: {msg}", display, int(m.group(1)) if m else None) from None


def read_header(path: Path, display: str) -> dict:
    """The header fields of a PO file, reading no further than the header,
    decoded in the charset the header declares (as ``load`` decodes the file)."""
    lines: list[bytes] = []
    seen_msgid = False
    try:
        with path.open("rb") as fh:
            for line in fh:
                if line.startswith(b'msgid ""'):
                    seen_msgid = True
                elif seen_msgid and not line.strip():
                    break
                elif line.startswith((b"msgid ", b"msgctxt ")):
                    break  # no header entry at all
                lines.append(line)
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc}", display) from None
    if not seen_msgid:
        return {}
    return parse(decode_po(b"".join(lines), display), display).metadata


def same_entries(text: str, po: polib.POFile, display: str) -> bool:
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


# -- writing ---------------------------------------------------------------------------


def dump(po: polib.POFile, body: str | None = None, width: int | None = None) -> str:
    """The PO text, byte for byte what polib writes at ``width`` (default:
    the width the file was read with, else 78, as Poedit and polib), computed
    without polib's per-line textwrap where no wrapping can happen: Chinese
    text has no spaces to break at.  Entries of a catalog read with
    ``keep_layout`` that did not change are written exactly as they were read.

    ``body`` is the text of the entries when it is already known (a new
    catalog has exactly its template's entries)."""
    layout = getattr(po, "layout", None)
    if width is None:
        width = layout.width if layout else WRAP
    text = _file_text(po, body, width, layout)
    text = text if text.endswith("\n") else text + "\n"
    return text.replace("\n", "\r\n") if layout and layout.newline == "\r\n" else text


def entries_text(po: polib.POFile, width: int = WRAP, layout: Layout | None = None) -> str:
    live = [_entry_text(e, width, layout) for e in po if not e.obsolete]
    return "\n".join(live + [_entry_text(e, width, layout) for e in po if e.obsolete])


def _file_text(po, body: str | None, width: int, layout: Layout | None) -> str:
    head = []
    for line in po.header.split("\n"):
        if not line:
            head.append("#\n")
        elif line[:1] in (",", ":"):
            head.append(f"#{line}\n")
        else:
            head.append(f"# {line}\n")
    kept = layout.kept(None, header_signature(po)) if layout else None
    if kept is not None:
        header = kept  # unchanged: as it was read (polib would reorder the fields)
    elif layout is not None and None in layout.blocks:
        header = _header_rewritten(po, width, layout)
    else:
        header = _entry_text(po.metadata_as_entry(), width)
    if body is None:
        body = entries_text(po, width, layout)
    return "".join(head) + (header + "\n" + body if body else header)


def _header_fields(block: str) -> tuple[list[str], dict]:
    """A header entry as read: the lines up to ``msgstr ""``, and each
    field's (value, physical lines)."""
    lines = block.splitlines(keepends=True)
    at = next((i for i, ln in enumerate(lines) if ln.startswith("msgstr")), len(lines) - 1)
    fields: dict[str, tuple[str, list[str]]] = {}
    current: list[str] = []
    for line in lines[at + 1 :]:
        current.append(line)
        if line.rstrip("\r\n").endswith('\\n"'):
            text = polib.unescape("".join(ln.strip()[1:-1] for ln in current))
            name, _, value = text.partition(":")
            fields.setdefault(name, (value.strip(), current))
            current = []
    return lines[: at + 1], fields


def _header_rewritten(po, width: int, layout: Layout) -> str:
    """A changed header: its fields in the file's order (polib would sort
    them), an unchanged field as it was read, a changed or new one wrapped
    at the file's width, as gettext wraps it."""
    _, start, end = layout.blocks[None]
    prefix, old = _header_fields(layout.text[start:end])
    if ("#, fuzzy" in "".join(prefix)) != bool(po.metadata_is_fuzzy) or not prefix[-1].startswith('msgstr ""'):
        prefix = (["#, fuzzy\n"] if po.metadata_is_fuzzy else []) + ['msgid ""\n', 'msgstr ""\n']
    out = list(prefix)
    for name, value in po.metadata.items():
        if name in old and old[name][0] == value:
            out += old[name][1]
            continue
        escaped = polib.escape(f"{name}: {value}\n")
        pieces = _wrap(escaped, width - 2) if 0 < width < len(escaped) + 2 else [escaped]
        out += [f'"{piece}"\n' for piece in pieces]
    return "".join(out)


_WRAPPABLE = re.compile(r"[ \-]")
_SPLITLINES = re.compile(f"[\n{_UNUSUAL_BREAKS}]")
_SPECIAL = ("\\", "\n", "\r", "\t", "\v", "\b", "\f", '"')
_ESCAPE_OR_BREAK = re.compile("[" + re.escape("".join(_SPECIAL)) + _UNUSUAL_BREAKS + "]")


def _field_lines(fieldname: str, delflag: str, plural_index: str, value: str, width: int) -> list[str]:
    """The lines of one ``msgid``/``msgstr``/… field, as polib writes them."""
    head = f"{delflag}{fieldname[9:] if fieldname.startswith('previous_') else fieldname}{plural_index}"
    if not _ESCAPE_OR_BREAK.search(value):  # the common case: nothing to escape
        escaped, specials = value, 0
    elif _SPLITLINES.search(value) and len(lines := value.splitlines(True)) > 1:
        # several lines: one string per line, never wrapped (polib's rule)
        return [f'{head} ""'] + [f'{delflag}"{polib.escape(line)}"' for line in lines]
    else:
        escaped = polib.escape(value)
        specials = sum(value.count(c) for c in _SPECIAL) if len(escaped) != len(value) else 0
    flength = len(fieldname) + 3 + len(plural_index)
    if width > 0 and len(value) > width - flength + specials:
        if _WRAPPABLE.search(escaped):
            lines = [polib.escape(polib.unescape(item)) for item in _wrap(escaped, width - 2)]
        else:
            lines = [escaped]
        return [f'{head} ""'] + [f'{delflag}"{line}"' for line in lines]
    return [f'{head} "{escaped}"']


def _wrap(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width, drop_whitespace=False,
    break_long_words=False)``, which polib uses for msgid and msgstr, for an
    escaped PO string (no tabs or line breaks).  The same chunks (textwrap's
    own splitting pattern where a hyphen may break a word, runs of spaces
    elsewhere) filled by the same greedy rule, much faster; a property test
    compares the two."""
    if "--" not in text:
        # A line is the longest prefix that fits and ends between two chunks,
        # or else the first chunk alone (one longer than the width).
        return _line_pattern(width).findall(text)
    lines: list[str] = []
    line: list[str] = []
    length = 0
    for chunk in _wordsep().split(text):  # dashes: textwrap's own chunks, filled below
        if not chunk:
            continue
        if length + len(chunk) <= width:
            line.append(chunk)
            length += len(chunk)
        else:  # the chunk starts a line; one longer than the width stands alone
            if line:
                lines.append("".join(line))
            line, length = [chunk], len(chunk)
    if line:
        lines.append("".join(line))
    return lines


# Where textwrap ends a chunk in text without '--': between a space and a
# non-space, at the end, and after a hyphen inside a word (two letters, or
# letter-hyphen-letter, before it; letter, optional hyphen, letter after).
_LETTER = r"[^\d\W]"
_CHUNK_END = (
    rf"(?:(?<! )(?= )|(?<= )(?! )|$|(?:(?<={_LETTER}{{2}}-)|(?<={_LETTER}-{_LETTER}-))"
    rf"(?={_LETTER}-?{_LETTER}))"
)


@lru_cache(maxsize=8)
def _line_pattern(width: int):
    return re.compile(rf"(?:.{{1,{width}}}{_CHUNK_END}|.+?{_CHUNK_END})", re.S)


def _wordsep():
    import textwrap

    return textwrap.TextWrapper.wordsep_re


def _comment_lines(value: str, prefix: str, width: int) -> list[str]:
    out: list[str] = []
    for comment in value.split("\n"):
        if width > 0 and len(comment) + len(prefix) > width:
            out += _wrapped(comment, prefix, width)
        else:
            out.append(f"{prefix}{comment}")
    return out


@lru_cache(maxsize=4096)
def _wrapped(comment: str, prefix: str, width: int) -> tuple[str, ...]:
    """polib's wrapping of a long comment line; the same glossary hint
    recurs in many entries, and textwrap is slow."""
    import textwrap

    return tuple(textwrap.wrap(comment, width, initial_indent=prefix, subsequent_indent=prefix, break_long_words=False))


def _reference_lines(occurrences, width: int) -> list[str]:
    filestr = " ".join(f"{f}:{n}" if n else f for f, n in occurrences)
    if width > 0 and len(filestr) + 3 > width:
        import textwrap

        return [
            line.replace("*", "-")
            for line in textwrap.wrap(
                filestr.replace("-", "*"), width, initial_indent="#: ", subsequent_indent="#: ", break_long_words=False
            )
        ]
    return ["#: " + filestr]


def _entry_text(e, width: int = WRAP, layout: Layout | None = None) -> str:
    if layout is not None:
        kept = layout.kept(_key(e), signature(e))
        if kept is not None:
            return kept
    ret = []
    obsolete = e.obsolete
    if e.tcomment:
        ret += _comment_lines(e.tcomment, "# ", width)
    if not obsolete and e.comment:
        ret += _comment_lines(e.comment, "#. ", width)
    if not obsolete and e.occurrences:
        ret += _reference_lines(e.occurrences, width)
    if e.flags:
        ret.append("#, " + ", ".join(e.flags))
    prefix = "#~| " if obsolete else "#| "
    for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value = getattr(e, name)
        if value is not None:
            ret += _field_lines(name, prefix, "", value, width)
    delflag = "#~ " if obsolete else ""
    if e.msgctxt is not None:
        ret += _field_lines("msgctxt", delflag, "", e.msgctxt, width)
    ret += _field_lines("msgid", delflag, "", e.msgid, width)
    if e.msgid_plural:
        ret += _field_lines("msgid_plural", delflag, "", e.msgid_plural, width)
    if e.msgstr_plural:
        for index in sorted(e.msgstr_plural):
            ret += _field_lines("msgstr", delflag, f"[{index}]", e.msgstr_plural[index], width)
    else:
        ret += _field_lines("msgstr", delflag, "", e.msgstr, width)
    ret.append("")
    return "\n".join(ret)
