"""English spell check: Hunspell's en_US dictionary, read by spylls.

spylls is Hunspell ported to pure Python (it passes Hunspell's own test
suite): the same .aff/.dic files every desk's Hunspell, LibreOffice and
Firefox use (Debian's ``hunspell-en-us``), with no C library to build and
no provider chosen by the machine (pyenchant picks whichever backend the
system has, so two machines could disagree).  Only lower-case words are
looked up: a capitalised word in news copy is nearly always a name, and
names are never flagged; nor are the project's word list and glossary
terms.  Each word is looked up once per process.

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
_NOT_PROSE = re.compile(r"`[^`]*`|\]\([^)]*\)|\S*(?:://|www\.|@)\S*|\S*\d\S*")


def dictionary_path() -> Path | None:
    return _dictionary_path(os.environ.get("BILINGUAL_DICTIONARY", ""))


@functools.lru_cache(maxsize=4)
def _dictionary_path(wanted: str) -> Path | None:
    for base in ((wanted,) if wanted else DICTIONARIES):
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
NEWS_WORDS = frozenset("""lockdown lockdowns netizen netizens hotline hotlines photoshoot photoshoots supercar
supercars graphene informatization courseware headwear whisky whiskies wonton wontons yoghurt pre antihuman
remanufacture remanufactured remanufacturing""".split())


@functools.lru_cache(maxsize=1 << 16)
def known(word: str) -> bool:
    d = _dictionary()
    return d is None or word in NEWS_WORDS or d.lookup(word) or d.lookup(word.replace("’", "'"))


def misspelt(text: str, words: frozenset = frozenset()) -> list[str]:
    """The lower-case words of ``text`` the dictionary does not know and
    ``words`` (lower-case: the project's word list, its glossary) lacks, in order."""
    if not available():
        return []
    prose = _NOT_PROSE.sub(" ", text) if any(c in text for c in "`]:/@.0123456789") else text
    found = [w for w in dict.fromkeys(_WORD.findall(prose)) if len(w) > 2 and w.islower() and w not in _GOOD]
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
