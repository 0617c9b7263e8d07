"""A ``Catalog`` out as PO text: byte for byte what polib writes.

``dump`` computes polib's output at the same width (a property test
compares them) without polib's per-line textwrap where no wrapping can
happen (Chinese text has no spaces to break at), much faster.  A catalog
read from a file writes each entry not changed since exactly as it was read
(``po.layout``), so a file wrapped by another tool is never rewrapped, and
new or changed entries take the width the file already uses.  Always UTF-8.

May import: entry, layout, reader, and polib (its escaping and sorting).
"""

from __future__ import annotations

import re
from functools import lru_cache

import polib

from workflow.po.entry import Catalog, Entry, header_signature
from workflow.po.layout import WRAP, Layout
from workflow.po.reader import UNUSUAL_BREAKS


def width_of(po: Catalog) -> int:
    """The width ``po`` is written at: the file's own, else 78."""
    return po._layout.width if po._layout is not None else WRAP


def dump(po: Catalog, body: str | None = None, width: int | None = None, as_read: bool = True) -> str:
    """The PO text, byte for byte what polib writes at ``width`` (default:
    the width the file was read with, else 78, as Poedit and polib), computed
    without polib's per-line textwrap where no wrapping can happen: Chinese
    text has no spaces to break at.  Entries of a catalog read from a file
    that did not change since are written exactly as they were read.

    ``body`` is the text of the entries when it is already known (a new
    catalog has exactly its template's entries).  ``as_read=False``: every
    entry written afresh, as polib would write the catalog."""
    layout = po._layout if as_read else None
    if width is None:
        width = width_of(po) if as_read else WRAP
    head = _head_text(po, width, layout)
    if body is None:
        body = entries_text(po, width, layout)
    text = head + "\n" + body if body else head
    text = text if text.endswith("\n") else text + "\n"
    return text.replace("\n", "\r\n") if layout and layout.newline == "\r\n" else text


def dump_bytes(po: Catalog, body: bytes | None = None, width: int | None = None) -> bytes:
    """``dump(po, ...)`` encoded as UTF-8, ``body`` (``entries_bytes``) as bytes.
    Without one, each entry is encoded as it is made and joined once after
    the header: at book scale the text as one string, and its copies, were
    most of a write's memory."""
    layout = po._layout
    if width is None:
        width = width_of(po)
    head = _head_text(po, width, layout).encode("utf-8")
    if body is None:
        data = b"\n".join([head, *(text.encode("utf-8") for text in _entry_texts(po, width, layout))])
    else:
        data = b"".join((head, b"\n", body)) if body else head
    data = data if data.endswith(b"\n") else data + b"\n"
    return data.replace(b"\n", b"\r\n") if layout and layout.newline == "\r\n" else data


def head_bytes(po: Catalog) -> bytes:
    """The bytes ``dump_bytes(po)`` begins with: the header comment and the header entry."""
    layout = po._layout
    head = _head_text(po, width_of(po), layout).encode("utf-8")
    return head.replace(b"\n", b"\r\n") if layout and layout.newline == "\r\n" else head


def entries_text(po: Catalog, width: int = WRAP, layout: Layout | None = None) -> str:
    return "\n".join(_entry_texts(po, width, layout))


def entries_bytes(po: Catalog, width: int = WRAP, layout: Layout | None = None) -> bytes:
    """``entries_text`` as UTF-8, each entry encoded as it is made (no text of the whole file)."""
    return b"\n".join([text.encode("utf-8") for text in _entry_texts(po, width, layout)])


def _entry_texts(po: Catalog, width: int, layout: Layout | None):
    """Each entry's text, the live ones first (``layout.rewritten`` counts those not kept)."""
    if layout is not None:
        layout.rewritten = 0
    for obsolete in (False, True):
        for e in po:
            if bool(e.obsolete) is obsolete:
                yield _entry_text(e, width, layout)


def _head_text(po, width: int, layout: Layout | None) -> str:
    """The file's header comment and header entry."""
    head = []
    for line in po.header.split("\n"):
        if not line:
            head.append("#\n")
        elif line[:1] in (",", ":"):
            head.append(f"#{line}\n")
        else:
            head.append(f"# {line}\n")
    kept = layout.header_kept(header_signature(po)) if layout else None
    if kept is not None:
        header = kept  # unchanged: as it was read (polib would reorder the fields)
    elif layout is not None and layout.header is not None:
        header = _header_rewritten(po, width, layout)
    else:
        header = _entry_text(metadata_entry(po), width)
    return "".join(head) + header


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
    _, start, end = layout.header
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
_SPLITLINES = re.compile(f"[\n{UNUSUAL_BREAKS}]")
_SPECIAL = ("\\", "\n", "\r", "\t", "\v", "\b", "\f", '"')
_ESCAPE_OR_BREAK = re.compile("[" + re.escape("".join(_SPECIAL)) + UNUSUAL_BREAKS + "]")


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
            lines = _wrap(escaped, width - 2)
            if "\\" in escaped:  # without a backslash, unescaping and escaping a line change nothing
                lines = [polib.escape(polib.unescape(item)) for item in lines]
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
        kept = layout.kept(e)
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


_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


def metadata_entry(po: Catalog) -> Entry:
    """The header entry polib writes for a new file: the known fields in
    gettext's order, the rest in natural order (``POFile.metadata_as_entry``)."""
    rest = dict(po.metadata)
    ordered = [(name, rest.pop(name)) for name in _ORDER if name in rest]
    ordered += [(name, rest[name]) for name in polib.natural_sort(rest.keys())]
    flags = ["fuzzy"] if po.metadata_is_fuzzy else []
    return Entry(msgstr="".join(f"{name}: {value}\n" for name, value in ordered), flags=flags)
