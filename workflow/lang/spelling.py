"""English spell check: Hunspell's en_US dictionary, read by spylls.

spylls is Hunspell ported to pure Python (it passes Hunspell's own test
suite): the same .aff/.dic files every desk's Hunspell, LibreOffice and
Firefox use (Debian's ``hunspell-en-us``), with no C library to build and
no provider chosen by the machine (pyenchant picks whichever backend the
system has, so two machines could disagree).  Only lower-case words are
looked up: a capitalised word in news copy is nearly always a name, and
names are never flagged; nor are the project's word list and glossary
terms.  Each word is looked up once per process, first in a quick reading
of the same files (stems, flags, one prefix and one suffix); spylls, slow
to load, is asked only about a word that reading does not accept.

May import: nothing from the package.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

#: Where the dictionary is looked for (``BILINGUAL_DICTIONARY`` names another: a path without .aff/.dic).
DICTIONARIES = ("/usr/share/hunspell/en_US", "/usr/share/myspell/en_US", "/usr/share/myspell/dicts/en_US")
_WORD = re.compile(r"(?<![A-Za-z0-9'’_\-])[A-Za-z]+(?:['’][A-Za-z]+)*(?![A-Za-z0-9_])")
#: What is not prose: URLs, e-mail addresses, code spans, link targets, words glued to digits.
_NOT_PROSE = re.compile(r"`[^`]*`|\]\([^)]*\)|\S*(?:://|www\.|@)\S*|[^\s\d]*+\d\S*+")
#: The same where the text has no ://, www. or @ (the third branch cannot match): each position
#: costs no scan to the end of its word.  ``[^\s\d]*+\d\S*+`` matches just where ``\S*\d\S*`` does.
_NOT_PROSE_PLAIN = re.compile(r"`[^`]*`|\]\([^)]*\)|[^\s\d]*+\d\S*+")
_DIGIT = re.compile(r"\d")


def _prose(text: str) -> str:
    """``text`` with what is not prose blanked; most sentences have none of it, and skip the pass."""
    if "://" in text or "www." in text or "@" in text:
        return _NOT_PROSE.sub(" ", text)
    if "`" in text or "](" in text or _DIGIT.search(text):
        return _NOT_PROSE_PLAIN.sub(" ", text)
    return text


def dictionary_path() -> Path | None:
    return _dictionary_path(os.environ.get("BILINGUAL_DICTIONARY", ""))


@functools.lru_cache(maxsize=4)
def _dictionary_path(wanted: str) -> Path | None:
    for base in (wanted,) if wanted else DICTIONARIES:
        if Path(base + ".aff").is_file() and Path(base + ".dic").is_file():
            return Path(base)
    return None


@functools.lru_cache(maxsize=1)
def _dictionary():
    path = dictionary_path()
    if path is None:
        return None
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(str(path))


def available() -> bool:
    """Whether a dictionary is installed (without it the check finds nothing)."""
    return dictionary_path() is not None


#: Words of the news and industry the en_US dictionary lacks (2020.12), found on the WMT22
#: references and the shipped article.
NEWS_WORDS = frozenset(
    """lockdown lockdowns netizen netizens hotline hotlines photoshoot photoshoots supercar
supercars graphene informatization courseware headwear whisky whiskies wonton wontons yoghurt pre antihuman
remanufacture remanufactured remanufacturing""".split()
)


@functools.lru_cache(maxsize=1 << 16)
def known(word: str) -> bool:
    """Whether Hunspell accepts ``word``.  Most words are settled by the
    quick reading of the dictionary below; only the rest wait for spylls
    (seconds to load), which alone may say no."""
    word = word.replace("’", "'")
    if word in NEWS_WORDS or _quick_known(word):
        return True
    d = _dictionary()
    return d is None or bool(d.lookup(word))


@functools.lru_cache(maxsize=1)
def _quick() -> tuple[dict[str, str], list[tuple], list[tuple]]:
    """The dictionary's stems with their flags, and its single-level prefix
    and suffix rules (flag, cross product, strip, add, condition), read
    directly from the .dic and .aff files in about a tenth of a second."""
    base = dictionary_path()
    if base is None:
        return {}, [], []
    stems: dict = {}
    lines = Path(str(base) + ".dic").read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    for line in lines:
        stem, _, flags = line.split("\t", 1)[0].strip().partition("/")
        stems[stem] = flags
    prefixes: list[tuple] = []  # (flag, strip, add, condition, cross product)
    suffixes: list[tuple] = []
    cross: set[tuple[str, str]] = set()
    for line in Path(str(base) + ".aff").read_text(encoding="utf-8", errors="replace").splitlines():
        part = line.split()
        if len(part) == 4 and part[0] in ("PFX", "SFX") and part[2] == "Y":
            cross.add((part[0], part[1]))  # the header: this flag's rules combine with the other kind's
        elif len(part) >= 5 and part[0] in ("PFX", "SFX"):
            kind, flag, strip, add, cond = part[:5]
            rule = (
                flag,
                "" if strip == "0" else strip,
                "" if add == "0" else add.split("/")[0],
                re.compile(("^" + cond) if kind == "PFX" else (cond + "$")) if cond != "." else None,
                (kind, flag) in cross,
            )
            (prefixes if kind == "PFX" else suffixes).append(rule)
    return stems, prefixes, suffixes


def _stem_has(stems: dict, stem: str, flag: str | None) -> bool:
    flags = stems.get(stem)
    return flags is not None and "c" not in flags and (flag is None or flag in flags)


def _quick_known(word: str) -> bool:
    """Accepted by a stem, a stem and one suffix, a stem and one prefix, or
    a prefix and a suffix that both allow it.  Never a false yes: anything
    else is left to spylls."""
    stems, prefixes, suffixes = _quick()
    if _stem_has(stems, word, None):
        return True
    bases = [(word, None)]
    for flag, strip, add, cond, cross in prefixes:
        if add and word.startswith(add):
            rest = strip + word[len(add) :]
            if cond is None or cond.search(rest):
                if _stem_has(stems, rest, flag):
                    return True
                if cross:
                    bases.append((rest, flag))
    for rest, pflag in bases:
        for flag, strip, add, cond, cross in suffixes:
            if not rest.endswith(add) or (pflag is not None and not cross):
                continue
            stem = (rest[: len(rest) - len(add)] if add else rest) + strip
            if (
                (cond is None or cond.search(stem))
                and _stem_has(stems, stem, flag)
                and (pflag is None or pflag in stems[stem])
            ):
                return True
    return False


def misspelt(text: str, words: frozenset = frozenset()) -> list[str]:
    """The lower-case words of ``text`` the dictionary does not know and
    ``words`` (lower-case: the project's word list, its glossary) lacks, in order."""
    if not available():
        return []
    listed = _WORD.findall(_prose(text))
    if not set(listed) - _GOOD:  # most sentences: every word already known (one set difference, in C)
        return []
    found = [w for w in dict.fromkeys(listed) if len(w) > 2 and w.islower() and w not in _GOOD]
    out = []
    for word in found:
        if word in words or word.replace("’", "'") in words:
            continue
        if known(word):
            _GOOD.add(word)
        else:
            out.append(word)
    return out


#: Words found correct in this process (a set test is cheaper than the cached lookup's call).
_GOOD: set = set()


def read_word_list(text: str) -> frozenset:
    """One word or term a line (``#`` starts a comment): lower-cased, and each word of a term."""
    out = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.add(line)
            out.update(_WORD.findall(line))
    return frozenset(out)
