"""The PO catalog layer: the only module that uses polib.

Pure functions build and merge ``POFile`` objects; ``parse_po``/``dump_po``
turn them into text and back.  The merge follows ``msgmerge --previous``.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import polib

from . import status
from .errors import CatalogError
from .model import Article, Segment
from .segment import segment_id

WRAP = 78
_ID_LINE = re.compile(r"^ID: (\S+)$", re.M)


def now_stamp(now: datetime | None = None) -> str:
    """A PO date; honours SOURCE_DATE_EPOCH so builds can be reproduced."""
    return (now or current_time()).strftime("%Y-%m-%d %H:%M+0000")


def current_time() -> datetime:
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)


# -- entries -------------------------------------------------------------------

def entry_id(entry) -> str:
    """The segment ID of an entry: from its ``#. ID:`` comment, or computed
    from context and source for PO files from elsewhere."""
    m = _ID_LINE.search(entry.comment or "")
    return m.group(1) if m else segment_id(entry.msgctxt or "", entry.msgid)


def entry_role(entry) -> str:
    return entry.msgctxt or ""


def index_by_id(po) -> dict:
    return {entry_id(e): e for e in po if not e.obsolete}


# -- building ------------------------------------------------------------------

def _header(article: Article, config, language: str | None, revision: str) -> dict:
    from babel import Locale
    from babel.messages.plurals import get_plural

    meta = {
        "Project-Id-Version": f"{config.project_name} {article.name}".strip(),
        "Report-Msgid-Bugs-To": config.bugs_address,
    }
    if language:
        locale = Locale.parse(language)
        plural = get_plural(locale)
        meta.update(
            {
                "PO-Revision-Date": revision,
                "Last-Translator": "",
                "Language-Team": locale.english_name,
                "Language": language,
            }
        )
    meta.update(
        {
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        }
    )
    if language:
        meta["Plural-Forms"] = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    meta["X-Source-Language"] = config.source_language
    return meta


_KIND_NOTE = {"bullet": "In a bulleted list", "ordered": "In a numbered list", "quote": "In a block quote",
              "table": "A table cell"}
_MARKUP = re.compile(r"\*\S|`|\[[^\]]*\]\(|<[a-z]")


def _comment(seg: Segment) -> str:
    lines = [f"ID: {seg.id}"]
    if seg.level:
        lines.append(f"Heading level {seg.level}")
    if seg.kind in _KIND_NOTE:
        lines.append(_KIND_NOTE[seg.kind])
    if _MARKUP.search(seg.text):
        lines.append("Keep the Markdown markup (*emphasis*, **bold**, `code`, [links](…))")
    for source, target in seg.glossary:
        lines.append(f"Glossary: {source} = {target}")
    return "\n".join(lines)


def make_template(article: Article, segs: list[Segment], config) -> polib.POFile:
    """The POT for an article: one entry per segment, in article order."""
    pot = polib.POFile(wrapwidth=WRAP)
    pot.header = _header_comment(article, None)
    pot.metadata = _header(article, config, None, "")
    for seg in segs:
        pot.append(
            polib.POEntry(
                msgctxt=seg.context,
                msgid=seg.text,
                msgstr="",
                comment=_comment(seg),
                occurrences=[(article.path, "")],
            )
        )
    return pot


def new_catalog(template: polib.POFile, article: Article, config, language: str, revision: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP)
    po.header = _header_comment(article, language)
    po.metadata = _header(article, config, language, revision)
    return po


def _header_comment(article: Article, language: str | None) -> str:
    what = f"{language} translation" if language else "Translation template"
    return (
        f"{what} of {article.path}.\n"
        "Each entry is one segment; its context is the role (title, heading, caption, ...)\n"
        "and its ID is in the '#.' comment. Edit here, in Poedit or Weblate, or use\n"
        "'bilingual export' and 'bilingual submit'."
    )


def _without_reviews(tcomment: str) -> str:
    """Reviews and accepted findings vouched for the old source: drop them."""
    keep = [ln for ln in status.comment_lines(tcomment) if not ln.startswith(("Reviewed: ", "Accept: "))]
    return "\n".join(keep)


def merge(template: polib.POFile, old: polib.POFile, threshold: float = 0.6) -> polib.POFile:
    """Bring ``old`` up to date with ``template``, as ``msgmerge --previous``:

    * an unchanged segment keeps its translation, flags and comments;
    * a changed one takes the closest old translation, marked fuzzy, with the
      old source in ``#|`` lines (its review no longer holds);
    * a removed translated segment becomes obsolete (``#~``);
    * a new segment is untranslated.
    """
    po = polib.POFile(wrapwidth=WRAP)
    po.header = old.header
    po.metadata = dict(old.metadata)
    po.metadata_is_fuzzy = old.metadata_is_fuzzy
    current = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    obsolete = {(e.msgctxt, e.msgid): e for e in old if e.obsolete}
    used: set = set()
    pending: list[polib.POEntry] = []
    for t in template:
        key = (t.msgctxt, t.msgid)
        entry = polib.POEntry(
            msgctxt=t.msgctxt, msgid=t.msgid, msgstr="", comment=t.comment, occurrences=list(t.occurrences)
        )
        found = current.get(key) or obsolete.get(key)
        if found is not None:
            used.add(key)
            entry.msgstr = found.msgstr
            entry.msgstr_plural = dict(found.msgstr_plural)
            entry.msgid_plural = found.msgid_plural
            entry.flags = list(found.flags)
            entry.tcomment = found.tcomment
            entry.previous_msgid = found.previous_msgid
            entry.previous_msgctxt = found.previous_msgctxt
        else:
            pending.append(entry)
        po.append(entry)
    if pending:
        pool = [e for k, e in list(current.items()) + list(obsolete.items()) if k not in used and status.first_msgstr(e)]
        for entry, match in zip(pending, _closest(pending, pool, threshold)):
            if match is None:
                continue
            used.add((match.msgctxt, match.msgid))
            entry.msgstr = match.msgstr
            entry.flags = ["fuzzy"]
            entry.previous_msgid = match.msgid
            entry.previous_msgctxt = match.msgctxt if match.msgctxt != entry.msgctxt else None
            entry.tcomment = _without_reviews(match.tcomment)
    for key, e in list(current.items()) + list(obsolete.items()):
        if key in used or not status.first_msgstr(e):
            continue
        gone = polib.POEntry(
            msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, tcomment=e.tcomment, flags=list(e.flags), obsolete=True
        )
        gone.msgstr_plural = dict(e.msgstr_plural)
        gone.msgid_plural = e.msgid_plural
        po.append(gone)
    return po


def _closest(entries, pool, threshold):
    """For each entry, the pool entry whose source is most alike (or None)."""
    if not pool:
        return [None] * len(entries)
    from rapidfuzz import fuzz, process

    choices = [p.msgid for p in pool]
    out = []
    for entry in entries:
        best = process.extractOne(entry.msgid, choices, scorer=fuzz.ratio, score_cutoff=threshold * 100)
        out.append(pool[best[2]] if best else None)
    return out


# -- text ------------------------------------------------------------------------

_LINE = re.compile(r"\(line (\d+)\)")


_PO_LINE = re.compile(
    r'^(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*")\s*$'
)


def validate_po_text(text: str, display: str) -> None:
    """polib accepts some broken files silently (an unterminated string
    becomes empty); check every line's shape first so the user hears of it."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped and not _PO_LINE.match(stripped):
            raise CatalogError(f"malformed PO file: cannot read {stripped[:30]!r}", display, number)


# -- a faster reader -------------------------------------------------------------
#
# polib's parser dispatches every line through a method table; on a 26 MB
# catalog that is most of a status or re-extract.  This is the same state
# machine (same transitions, same handling of comments, continuations,
# obsolete entries and the header) inlined; property tests compare it with
# polib.  Anything it does not expect makes it give up, and polib parses
# the file instead (and reports the error).

_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms", "msgid_plural": "mp"}
_PREVIOUS = {"msgid_plural": "pp", "msgid": "pm", "msgctxt": "pc"}
_ALL = ("st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi")
_ALLOWED = {
    "gc": set(_ALL), "oc": set(_ALL), "fl": set(_ALL), "pc": set(_ALL), "pm": set(_ALL), "pp": set(_ALL),
    "ct": {"st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"},
    "mi": {"st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx"},
    "mp": {"tc", "gc", "pc", "pm", "pp", "mi"},
    "ms": {"mi", "mp", "tc"},
    "mx": {"mi", "mx", "mp", "tc"},
    "mc": {"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"},
}
_UNESCAPED_QUOTE = re.compile(r'([^\\]|^)"')
_UNUSUAL_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines breaks there, polib's reader too

_CONT_FIELD = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr", "pp": "previous_msgid_plural",
               "pm": "previous_msgid", "pc": "previous_msgctxt"}


def _unusual_breaks(text: str) -> bool:
    return any(c in text for c in _UNUSUAL_BREAKS)  # one fast substring search each: 6x quicker than a regex


class _GiveUp(Exception):
    pass


def _fast_parse(text: str) -> polib.POFile | None:
    if _unusual_breaks(text):
        return None
    try:
        return _parse_blocks(text) or _fast_parse_lines(text.split("\n"))
    except (_GiveUp, IndexError, ValueError, KeyError):
        return None


# The fastest path: a file laid out the way gettext, polib and this tool write
# PO files (entries separated by one blank line, comments in the canonical
# order, no stray whitespace) is read one entry at a time with one regular
# expression, and the per-line work is done by str methods in C.  Any entry
# not in that shape sends the whole file to the line reader above, so the
# result never differs from it (property tests compare both with polib).

_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # a quoted string, the loop unrolled
_ENTRY_BLOCK = re.compile(
    r"(?P<tc>(?:#(?: [^\n]*\S)?\n)*)"
    r"(?P<gc>(?:#\. [^\n]*\S\n)*)"
    r"(?P<oc>(?:#: [^\n]*\S\n)*)"
    r"(?P<fl>(?:#, [^\n]*\S\n)*)"
    r"(?:#\| msgctxt (?P<pc>" + _STR + r")\n)?"
    r"(?:#\| msgid (?P<pm>" + _STR + r")\n)?"
    r"(?P<o>(?:#~ )?)"
    r"(?:msgctxt (?P<ct>" + _STR + r"(?:\n" + _STR + r")*)\n(?P=o))?"
    r"msgid (?P<mi>" + _STR + r"(?:\n" + _STR + r")*)\n(?P=o)"
    r"msgstr (?P<ms>" + _STR + r"(?:\n" + _STR + r")*)\n?"
)
_TC_PREFIX = re.compile(r"^# ?", re.M)
_OC_PREFIX = re.compile(r"^#: ", re.M)


def _field(group: str) -> str:
    # A line ends with its closing quote and the next starts with its opening
    # one, and no string holds a raw line break: '"\n"' occurs only between lines.
    value = group[1:-1].replace('"\n"', "") if "\n" in group else group[1:-1]
    return polib.unescape(value) if "\\" in value else value


def _parse_blocks(text: str) -> polib.POFile | None:
    """Entries in canonical layout, or None when any entry is not.

    Entries are matched in place (no copy of the text is split off), and
    each must end at a blank line or the end of the file."""
    pos = 1 if text.startswith("\ufeff") else 0
    end = len(text)
    match = _ENTRY_BLOCK.match
    new = polib.POEntry.__new__
    entries = []
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
        tc, gc, oc, fl, pc, pm, obsolete, ct, mi, ms = m.groups()
        if obsolete and ("\n" in mi or "\n" in ms or (ct and "\n" in ct)):
            return None  # wrapped obsolete fields: the line reader decides
        entry = new(polib.POEntry)
        # polib drops empty comment lines until the first non-empty one
        tcomment = _TC_PREFIX.sub("", tc[:-1]).lstrip("\n") if tc else ""
        if not entries:  # comments before the first entry are the file's header
            header, tcomment = tcomment, ""
        entry.__dict__.update(
            msgid=_field(mi), msgstr=_field(ms), msgid_plural="", msgstr_plural={},
            msgctxt=_field(ct) if ct is not None else None, obsolete=1 if obsolete else 0,
            encoding=polib.default_encoding, tcomment=tcomment,
            comment=gc[3:-1].replace("\n#. ", "\n") if gc else "",
            occurrences=[(f, n) if sep and n.isdigit() else (o, "")
                         for o in _OC_PREFIX.sub("", oc).split() for f, sep, n in (o.rpartition(":"),)] if oc else [],
            flags=[c.strip() for f in fl.split("\n")[:-1] for c in f[3:].split(",")] if fl else [],
            previous_msgctxt=_field(pc) if pc is not None else None,
            previous_msgid=_field(pm) if pm is not None else None,
            previous_msgid_plural=None, linenum=start if entries else 0,
        )
        entries.append(entry)
    if not entries:
        return None
    return _finish(polib.POFile(wrapwidth=WRAP), header, entries)


def _unescape(value: str) -> str:
    return polib.unescape(value) if "\\" in value else value


def _fast_parse_lines(lines) -> polib.POFile:
    unescape = _unescape
    po = polib.POFile(wrapwidth=WRAP)
    entries = []
    header = ""
    entry = polib.POEntry(linenum=0)
    state = "st"
    index = 0
    tokens = []
    obsolete = 0
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        line = line.strip()
        if not line:
            continue
        if line[0] == '"' and state != "st":  # a continuation line, the commonest kind
            if len(line) < 2 or line[-1] != '"' or ('"' in line[1:-1] and _UNESCAPED_QUOTE.search(line[1:-1])):
                raise _GiveUp
            tokens = (line,)
            value = unescape(line[1:-1])
            if state == "mx":
                entry.msgstr_plural[index] += value
            else:
                name = _CONT_FIELD.get(state)
                if name is None or state not in _ALLOWED["mc"]:
                    raise _GiveUp
                setattr(entry, name, getattr(entry, name) + value)
            continue
        tokens = line.split(None, 2)
        first = tokens[0]
        if first == "#~|":
            continue
        if first == "#~" and len(tokens) > 1:
            line = line[3:].strip()
            tokens = tokens[1:]
            first = tokens[0]
            obsolete = 1
        else:
            obsolete = 0
        if first in _KEYWORDS and len(tokens) > 1:
            token = line[len(first):].lstrip()
            if len(token) < 2 or token[0] != '"' or token[-1] != '"' or (
                    '"' in token[1:-1] and _UNESCAPED_QUOTE.search(token[1:-1])):
                raise _GiveUp  # unterminated or broken: polib and the line check report it
            symbol = _KEYWORDS[first]
        elif first == "#:":
            if len(tokens) <= 1:
                continue
            symbol, token = "oc", line
        elif line[:1] == '"':
            raise _GiveUp  # a continuation before any keyword
        elif line[:7] == "msgstr[":
            if not (line[7:8].isdigit() and line[8:10] == '] ' and line.endswith('"') and line[10:11] == '"'):
                raise _GiveUp
            symbol, token = "mx", line
        elif first == "#,":
            if len(tokens) <= 1:
                continue
            symbol, token = "fl", line
        elif first == "#" or first.startswith("##"):
            symbol, token = "tc", (line + " " if line == "#" else line)
        elif first == "#.":
            if len(tokens) <= 1:
                continue
            symbol, token = "gc", line
        elif first == "#|":
            if len(tokens) <= 2 or tokens[1].startswith('"') or tokens[1] not in _PREVIOUS:
                raise _GiveUp  # continuation or odd previous lines: let polib decide
            rest = line[2:].lstrip()
            symbol, token = _PREVIOUS[tokens[1]], rest[len(tokens[1]):].lstrip()
        else:
            raise _GiveUp
        # the transition table
        if symbol == "tc" and state in ("st", "he"):
            header = header + "\n" + token[2:] if header != "" else token[2:]
            state = "he"
            continue
        if symbol != "tc" and state not in _ALLOWED[symbol]:
            raise _GiveUp
        if symbol == "tc" and state not in ("gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mp", "mx", "mi"):
            raise _GiveUp
        if symbol in ("tc", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "mi") and state in ("ms", "mx"):
            entries.append(entry)
            entry = polib.POEntry(linenum=number)
        if symbol == "mc":
            value = unescape(token[1:-1])
            if state == "mx":
                entry.msgstr_plural[index] += value
            else:
                name = _CONT_FIELD[state]
                setattr(entry, name, getattr(entry, name) + value)
            continue
        if symbol == "tc":
            tcomment = token.lstrip("#")
            if tcomment.startswith(" "):
                tcomment = tcomment[1:]
            entry.tcomment = entry.tcomment + "\n" + tcomment if entry.tcomment != "" else tcomment
        elif symbol == "gc":
            entry.comment = entry.comment + "\n" + token[3:] if entry.comment != "" else token[3:]
        elif symbol == "oc":
            for occurrence in token[3:].split():
                fil, sep, num = occurrence.rpartition(":")
                if sep and num.isdigit():
                    entry.occurrences.append((fil, num))
                else:
                    entry.occurrences.append((occurrence, ""))
        elif symbol == "fl":
            entry.flags += [c.strip() for c in token[3:].split(",")]
        elif symbol == "ct":
            entry.msgctxt = unescape(token[1:-1])
        elif symbol == "mi":
            entry.obsolete = obsolete
            entry.msgid = unescape(token[1:-1])
        elif symbol == "mp":
            entry.msgid_plural = unescape(token[1:-1])
        elif symbol == "ms":
            entry.msgstr = unescape(token[1:-1])
        elif symbol == "mx":
            index = int(token[7])
            entry.msgstr_plural[index] = unescape(token[token.find('"') + 1:-1])
        elif symbol == "pc":
            entry.previous_msgctxt = unescape(token[1:-1])
        elif symbol == "pm":
            entry.previous_msgid = unescape(token[1:-1])
        elif symbol == "pp":
            entry.previous_msgid_plural = unescape(token[1:-1])
        state = symbol
    if entry and tokens and not tokens[0].startswith("#"):
        entries.append(entry)
    return _finish(po, header, entries)


def _finish(po, header: str, entries) -> polib.POFile:
    """The header text, the entries, and the metadata taken from the header entry, as polib does."""
    po.header = header
    po.extend(entries)
    meta = po.find("")
    if meta:
        po.remove(meta)
        po.metadata_is_fuzzy = meta.flags
        key = None
        for msg in meta.msgstr.splitlines():
            try:
                key, val = msg.split(":", 1)
                po.metadata[key] = val.strip()
            except (ValueError, KeyError):
                if key is not None:
                    po.metadata[key] += "\n" + msg.strip()
    return po


def parse_po(text: str, display: str) -> polib.POFile:
    """Parse PO text; any defect becomes a CatalogError naming the line."""
    if "\x00" in text:
        raise CatalogError("not a PO file (binary data)", display)
    fast = _fast_parse(text)  # it gives up on any line it does not expect
    if fast is not None:
        return fast
    validate_po_text(text, display)
    try:
        po = polib.pofile(text, wrapwidth=WRAP)
    except (OSError, ValueError, KeyError, IndexError) as exc:
        m = _LINE.search(str(exc))
        msg = str(exc).split(" (line")[0].replace(" in po file", "").strip() or "malformed PO file"
        if "Syntax error" in msg or not msg:
            msg = "syntax error"
        raise CatalogError(f"malformed PO file: {msg}", display, int(m.group(1)) if m else None) from None
    return po


def load_po(path: Path, display: str) -> polib.POFile:
    from .fsio import read_input

    return parse_po(decode_po(read_input(path, display, CatalogError), display), display)


def decode_po(data: bytes, display: str) -> str:
    """A PO file's bytes as text (UTF-8, with or without BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError("not UTF-8", display, data.count(b"\n", 0, exc.start) + 1) from None


def read_metadata(path: Path, display: str) -> dict:
    """The header fields of a PO file, reading no further than the header."""
    lines = []
    try:
        with path.open(encoding="utf-8-sig") as fh:
            seen_msgid = False
            for line in fh:
                if line.startswith('msgid ""'):
                    seen_msgid = True
                elif seen_msgid and not line.strip():
                    break
                elif line.startswith(("msgid ", "msgctxt ")):
                    break  # no header entry at all
                lines.append(line)
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read: {exc}", display) from None
    return parse_po("".join(lines), display).metadata if seen_msgid else {}


def dump_po(po: polib.POFile, body: str | None = None) -> str:
    """The PO text, byte for byte what polib writes (wrapped at 78 columns,
    as Poedit and msgmerge do), computed without polib's per-line textwrap
    where no wrapping can happen: Chinese text has no spaces to break at.

    ``body`` is the text of the entries when it is already known (a new
    catalog has exactly its template's entries)."""
    text = _file_text(po, body)
    return text if text.endswith("\n") else text + "\n"


def entries_text(po: polib.POFile) -> str:
    return "\n".join([_entry_text(e) for e in po if not e.obsolete] + [_entry_text(e) for e in po if e.obsolete])


_WRAPPABLE = re.compile(r"[ \-]")
_SPLITLINES = re.compile(f"[\n{_UNUSUAL_BREAKS}]")
_SPECIAL = ("\\", "\n", "\r", "\t", "\v", "\b", "\f", '"')
_ESCAPE_OR_BREAK = re.compile("[" + re.escape("".join(_SPECIAL)) + _UNUSUAL_BREAKS + "]")


def _str_field(fieldname, delflag, plural_index, field, wrapwidth=WRAP):
    if not _ESCAPE_OR_BREAK.search(field):  # the common case: nothing to escape
        escaped, specials = field, 0
    elif _SPLITLINES.search(field):
        return polib._BaseEntry._str_field(None, fieldname, delflag, plural_index, field, wrapwidth)
    else:
        escaped = polib.escape(field)
        specials = sum(field.count(c) for c in _SPECIAL) if len(escaped) != len(field) else 0
    flength = len(fieldname) + 3 + len(plural_index)
    if fieldname.startswith("previous_"):
        fieldname = fieldname[9:]
    head = f"{delflag}{fieldname}{plural_index}"
    if wrapwidth > 0 and len(field) > wrapwidth - flength + specials:
        if _WRAPPABLE.search(escaped):
            parts = _wrap(escaped, wrapwidth - 2)
            lines = [polib.escape(polib.unescape(item)) for item in parts]
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
    chunks = _wordsep().split(text)  # dashes: textwrap's own chunks, filled below
    lines: list[str] = []
    line: list[str] = []
    length = 0
    for chunk in chunks:
        if not chunk:
            continue
        n = len(chunk)
        if length + n <= width:
            line.append(chunk)
            length += n
        else:  # the chunk starts a line; one longer than the width stands alone
            if line:
                lines.append("".join(line))
            line, length = [chunk], n
    if line:
        lines.append("".join(line))
    return lines


# Where textwrap ends a chunk in text without '--': between a space and a
# non-space, at the end, and after a hyphen inside a word (two letters, or
# letter-hyphen-letter, before it; letter, optional hyphen, letter after).
_LETTER = r"[^\d\W]"
_CHUNK_END = (rf"(?:(?<! )(?= )|(?<= )(?! )|$|(?:(?<={_LETTER}{{2}}-)|(?<={_LETTER}-{_LETTER}-))"
              rf"(?={_LETTER}-?{_LETTER}))")


@lru_cache(maxsize=8)
def _line_pattern(width: int):
    return re.compile(rf"(?:.{{1,{width}}}{_CHUNK_END}|.+?{_CHUNK_END})", re.S)


def _wordsep():
    import textwrap

    return textwrap.TextWrapper.wordsep_re


def _comment_lines(value, prefix, wrapwidth=WRAP):
    out = []
    for comment in value.split("\n"):
        if wrapwidth > 0 and len(comment) + len(prefix) > wrapwidth:
            out += _wrapped(comment, prefix, wrapwidth)
        else:
            out.append(f"{prefix}{comment}")
    return out


@lru_cache(maxsize=4096)
def _wrapped(comment: str, prefix: str, wrapwidth: int) -> tuple[str, ...]:
    """polib's wrapping of a long comment line; the same glossary hint
    recurs in many entries, and textwrap is slow."""
    import textwrap

    return tuple(textwrap.wrap(comment, wrapwidth, initial_indent=prefix, subsequent_indent=prefix,
                               break_long_words=False))


def _entry_text(e, wrapwidth=WRAP) -> str:
    ret = []
    obsolete = e.obsolete
    if e.tcomment:
        ret += _comment_lines(e.tcomment, "# ", wrapwidth)
    if not obsolete and e.comment:
        ret += _comment_lines(e.comment, "#. ", wrapwidth)
    if not obsolete and e.occurrences:
        filestr = " ".join(f"{f}:{n}" if n else f for f, n in e.occurrences)
        if wrapwidth > 0 and len(filestr) + 3 > wrapwidth:
            import textwrap

            ret += [line.replace("*", "-") for line in textwrap.wrap(
                filestr.replace("-", "*"), wrapwidth, initial_indent="#: ", subsequent_indent="#: ",
                break_long_words=False)]
        else:
            ret.append("#: " + filestr)
    if e.flags:
        ret.append("#, " + ", ".join(e.flags))
    prefix = "#~| " if obsolete else "#| "
    for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value = getattr(e, name)
        if value is not None:
            ret += _str_field(name, prefix, "", value, wrapwidth)
    delflag = "#~ " if obsolete else ""
    if e.msgctxt is not None:
        ret += _str_field("msgctxt", delflag, "", e.msgctxt, wrapwidth)
    ret += _str_field("msgid", delflag, "", e.msgid, wrapwidth)
    if e.msgid_plural:
        ret += _str_field("msgid_plural", delflag, "", e.msgid_plural, wrapwidth)
    if e.msgstr_plural:
        for index in sorted(e.msgstr_plural):
            ret += _str_field("msgstr", delflag, f"[{index}]", e.msgstr_plural[index], wrapwidth)
    else:
        ret += _str_field("msgstr", delflag, "", e.msgstr, wrapwidth)
    ret.append("")
    return "\n".join(ret)


def _file_text(po, body: str | None = None) -> str:
    head = []
    for line in po.header.split("\n"):
        if not line:
            head.append("#\n")
        elif line[:1] in (",", ":"):
            head.append(f"#{line}\n")
        else:
            head.append(f"# {line}\n")
    header = _entry_text(po.metadata_as_entry(), WRAP)
    if body is None:
        body = entries_text(po)
    return "".join(head) + (header + "\n" + body if body else header)


# -- PO kits ---------------------------------------------------------------------------

def kit_po(po: polib.POFile, entries, article: str) -> str:
    """A PO file with only ``entries``, for Poedit or Weblate."""
    kit = polib.POFile(wrapwidth=WRAP)
    kit.header = po.header
    kit.metadata = dict(po.metadata)
    kit.metadata["X-Bilingual-Article"] = article
    for e in entries:
        copy = polib.POEntry(
            msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, comment=e.comment, tcomment=e.tcomment,
            occurrences=list(e.occurrences), flags=list(e.flags), previous_msgid=e.previous_msgid,
            previous_msgctxt=e.previous_msgctxt,
        )
        kit.append(copy)
    return dump_po(kit)


def read_kit_po(text: str, display: str):
    """(article, language, rows) of a PO kit or any PO file for an article."""
    from .kits import KitRow

    po = parse_po(text, display)
    rows = []
    for number, e in enumerate(po, start=1):
        if e.obsolete or (not e.msgid and not e.msgctxt):
            continue
        rows.append(
            KitRow(
                id=entry_id(e), source=e.msgid, target=status.first_msgstr(e), role=e.msgctxt or "",
                state=status.state(e), fuzzy="fuzzy" in e.flags and bool(status.first_msgstr(e)),
                where=getattr(e, "linenum", None),
            )
        )
    return po.metadata.get("X-Bilingual-Article"), po.metadata.get("Language") or None, rows


def set_metadata(po: polib.POFile, **fields) -> None:
    for key, value in fields.items():
        po.metadata[key.replace("_", "-")] = value


def add_comment_line(entry, line: str, replace_prefix: str | None = None) -> None:
    lines = status.comment_lines(entry.tcomment)
    if replace_prefix:
        lines = [ln for ln in lines if not ln.startswith(replace_prefix)]
    lines.append(line)
    entry.tcomment = "\n".join(lines)


def remove_comment_lines(entry, prefix: str) -> None:
    entry.tcomment = "\n".join(ln for ln in status.comment_lines(entry.tcomment) if not ln.startswith(prefix))


def comment_value(entry, prefix: str) -> str:
    for line in status.comment_lines(entry.tcomment):
        if line.startswith(prefix):
            return line[len(prefix):]
    return ""
