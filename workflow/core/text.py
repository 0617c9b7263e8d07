"""Characters and bytes: what every reader and check shares.

The Han ranges (one definition), Chinese-script and CJK tests, the
characters XML cannot hold, Han-character and English-word counts, and the
one decode helper that names the line of the first bad byte.

May import: errors.
"""

from __future__ import annotations

import re
from itertools import filterfalse

from workflow.core.errors import InputError

#: Han ideographs: CJK Unified (A, basic, B–G) and compatibility ideographs.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RUN = re.compile(f"[{HAN_RANGES}]+")
#: Han plus radicals, kana and bopomofo: what must not be left in an English text.
CJK_SCRIPT = re.compile(f"[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f{HAN_RANGES}]")
#: Characters that XML 1.0 cannot hold: they would corrupt a PO or DOCX file.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufffe\uffff]")
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SEPARATORS = ',;:!?()[]/"“”'  # never inside a word: as good as a space


def mostly_han(text: str, language: str) -> bool:
    """Is ``text`` mostly Han characters (of its letters), for a language
    not written in them?  Chinese left where a translation should be."""
    if language.lower().replace("-", "_").split("_")[0] in ("zh", "ja", "ko"):
        return False
    letters = sum(1 for c in text if c.isalpha())
    return bool(letters) and han_chars(text) * 2 > letters


def han_chars(text: str) -> int:
    """How many Han characters ``text`` holds (counted by runs: a third of the time)."""
    return sum(map(len, HAN_RUN.findall(text)))


def words(text: str) -> int:
    """English words: runs of letters and digits joined by an apostrophe,
    a full stop or a hyphen.  Counted a slice at a time (cut at white
    space, which no word spans), so a book-length text costs no more memory
    than a page."""
    total, pos, end = 0, 0, len(text)
    while pos < end:
        cut = _SPACE.search(text, pos + _SLICE) if end - pos > _SLICE else None
        stop = cut.start() if cut else end
        total += _slice_words(text[pos:stop])
        pos = stop
    return total


_SLICE = 1 << 16
_SPACE = re.compile(r"\s")


def _slice_words(text: str) -> int:
    # A token of letters and digits only is one word (``str.isalnum`` is the
    # regex's own test); only the others go through the regex: half the time.
    for c in _SEPARATORS:
        if c in text:
            text = text.replace(c, " ")
    tokens = text.split()
    odd = list(filterfalse(str.isalnum, tokens))
    return len(tokens) - len(odd) + _WORD.subn("", " ".join(odd))[1]


def is_cjk(ch: str) -> bool:
    """A character set in a Chinese face: ideographs, CJK punctuation and full-width forms."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3134F
        or ch in "“”‘’—…"
    )


_CONTROL_SLICE = 1 << 20
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_WIDE_CONTROLS = tuple(c.encode("utf-8") for c in "\x85\u2028\u2029\ufffe\uffff")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character of ``CONTROL``: the ASCII ones
    deleted from the UTF-8 bytes in C, the rest found by substring search in
    the same bytes (a character's UTF-8 occurs only where it is encoded;
    together a fifth of the time of the regex over a whole catalog)."""
    for start in range(0, len(text), _CONTROL_SLICE):  # a slice at a time: a big file's bytes are not copied whole
        data = text[start : start + _CONTROL_SLICE].encode("utf-8", "surrogatepass")
        if len(data.translate(None, _ASCII_CONTROLS)) != len(data) or any(c in data for c in _WIDE_CONTROLS):
            return True
    return False


def find_control_char(text: str) -> tuple[int, str] | None:
    """(line, character) of the first character XML cannot hold, or None."""
    if not has_control(text):
        return None
    m = CONTROL.search(text)
    if not m:
        return None
    return text.count("\n", 0, m.start()) + 1, m.group()


_COMMON: set[str] = set()


def common_han() -> set[str]:
    """The frequently used characters of simplified and traditional Chinese:
    GB 2312 level 1 (3,755) and Big5 level 1 (5,401), taken from the codecs."""
    if not _COMMON:
        for first, seconds, codec in (
            (range(0xB0, 0xD8), range(0xA1, 0xFF), "gb2312"),
            (range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], "big5"),
        ):
            for b1 in first:
                for b2 in seconds:
                    try:
                        _COMMON.add(bytes((b1, b2)).decode(codec))
                    except UnicodeDecodeError:
                        pass
    return _COMMON


#: Punctuation and signs of Chinese text, counted as plausible beside the common characters.
_CJK_SIGNS = frozenset(
    "，。、“”‘’《》〈〉：；！？（）【】—…·％－～「」『』・℃×①②③④⑤⑥⑦⑧⑨⑩" + "".join(map(chr, range(0xFF01, 0xFF5F)))
)  # and full-width letters and digits
#: Below this many Han characters a text is judged by all its non-ASCII characters, with a lower bar.
LONG_ENOUGH = 20
#: Below this many non-ASCII characters nothing can be told: the text passes.
TOO_SHORT = 4


def plausible_chinese(text: str) -> tuple[float, float]:
    """(share, the share needed): how much of ``text`` looks like real
    Chinese.  With 20 Han characters or more, the share of them that are
    common ones: real Chinese scores above 0.95, the same bytes read in the
    wrong codec (Big5 as GB18030, UTF-8 as GBK) 0.3–0.6; 0.85 is needed.
    A shorter text is judged by all its non-ASCII characters (common Han
    and Chinese punctuation against kana, symbols and rare Han that a wrong
    codec makes); 0.6 is needed (no sentence of 1,900 WMT22 sources
    scored under it, at any length from 4 characters).  Under 4 non-ASCII
    characters: (1.0, 0.0), nothing can be told."""
    han = [c for run in HAN_RUN.findall(text) for c in run]
    common = common_han()
    if len(han) >= LONG_ENOUGH:
        return sum(c in common for c in han) / len(han), 0.85
    chars = [c for c in text if ord(c) > 127 and not c.isspace()]
    if len(chars) < TOO_SHORT:
        return 1.0, 0.0
    return sum(c in common or c in _CJK_SIGNS for c in chars) / len(chars), 0.6


def decode(data: bytes, display: str, error=InputError, encoding: str = "utf-8-sig", hint: str = "") -> str:
    """``data`` as text; a byte the codec cannot read is an ``error`` naming
    the file and the line it is on (``hint`` says what to do about it)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding.replace("-", "").lower().startswith("utf8") else encoding
        raise error(
            f"not {name} (byte 0x{data[exc.start]:02x}){hint}", display, data.count(b"\n", 0, exc.start) + 1
        ) from None


def inline_markdown(pieces, escape=None, breaks: bool = False) -> str:
    """(text, bold, italic, href) runs as Markdown inline markup: ``**bold**``,
    ``*italic*``, ``[text](href)``; neighbouring runs that look alike are
    joined first.  ``escape`` (for text read from a Word source) escapes the
    text's own Markdown characters; ``breaks``: a ``"\\n"`` run is a line
    break that joins nothing and is kept as it is (a kit's cell).  One function
    for the Word source reader and the Word kit reader, so both give a
    segment the same Markdown."""
    merged: list[list] = []
    for text, bold, italic, href in pieces:
        if merged and merged[-1][1:] == [bold, italic, href] and not (breaks and text == "\n"):
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic, href])
    out = []
    for text, bold, italic, href in merged:
        core = escape(text.strip()) if escape else text.strip()
        if not core or (breaks and text == "\n"):
            out.append(text)
            continue
        lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        mark = "***" if bold and italic else "**" if bold else "*" if italic else ""
        core = f"{mark}{core}{mark}"
        out.append(lead + (f"[{core}]({href})" if href else core) + tail)
    return "".join(out)
