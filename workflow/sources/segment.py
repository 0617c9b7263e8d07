"""Segmentation: article blocks → translation units with stable IDs, and the
Chinese sentence splitter of qa-rules §3.3.

May import: model.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from workflow.core.model import Article, Block, Role, Segment

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
ID_LENGTH = 8
ID_PATTERN = re.compile(rf"^[{_ALPHABET}]{{{ID_LENGTH}}}$")
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]  # 10 bits → two digits


@lru_cache(maxsize=1 << 17)
def segment_id(role: Role | str, text: str) -> str:
    """A short ID derived from the role and text alone, so it survives
    inserting, deleting and moving other paragraphs, and equal text in the
    same role is one unit.  40 bits: no collision expected below ~10⁶ units.
    """
    number = int.from_bytes(hashlib.sha1(f"{role}\x04{text}".encode()).digest()[:5], "big")
    # 40 bits = 8 base32 digits, most significant first, two digits per table lookup
    return _PAIRS[number >> 30] + _PAIRS[(number >> 20) & 1023] + _PAIRS[(number >> 10) & 1023] + _PAIRS[number & 1023]


def block_segment(block: Block) -> Segment:
    return Segment(
        id=segment_id(block.role, block.text), role=block.role, text=block.text, level=block.level, kind=block.kind
    )


def segments(article: Article, hints=None) -> list[Segment]:
    """The article's translation units in order, each listed once.
    ``hints(text)`` gives a unit's glossary hints, as (source, target) pairs."""
    seen: set[str] = set()
    out: list[Segment] = []
    for block in article.blocks:
        if not block.translatable:
            continue
        sid = segment_id(block.role, block.text)
        if sid not in seen:
            seen.add(sid)
            out.append(
                Segment(sid, block.role, block.text, block.level, hints(block.text) if hints else (), block.kind)
            )
    return out


# -- Chinese sentences (qa-rules §3.3) -----------------------------------------

#: A Chinese sentence: the shortest text up to 。！？ (a run of them) or to a
#: …… that no ，。；：、！？ follows, each with the closing quotes after it.
_ZH_SENTENCE = re.compile(r"(?s).*?(?:[。！？!?]+[”’」』）)]*|……[”’」』）)]*+(?![，。；：、！？]))")


def split_sentences(text: str) -> list[str]:
    """Split Chinese text after 。！？ (closers kept with the sentence) and after
    …… when a new clause follows; never at ；：， or a decimal point.  One
    regex pass (a property test compares it with the character loop it
    replaced, which the memory's indexing found too slow)."""
    out: list[str] = []
    end = 0
    for m in _ZH_SENTENCE.finditer(text):
        piece = m.group().strip()
        if piece:
            out.append(piece)
        end = m.end()
    tail = text[end:].strip()
    if tail:
        out.append(tail)
    return out


#: A sentence break: white space after . ! or ? and up to two closing quotes or brackets (which stay
#: with the sentence they close), before what can start a sentence.
_EN_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)])|(?<=[.!?][\"'”’)][\"'”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREV = re.compile(r"\b(?:Co|Ltd|Inc|Mr|Mrs|Ms|Dr|St|No|U\.S|vs|e\.g|i\.e)\.$")


def split_english_sentences(text: str) -> list[str]:
    """The sentences of English text.  Three checks ask for each segment's in turn: the last few
    are remembered (a handful only, so a corpus of repeated articles gains nothing from it)."""
    return list(_english_sentences(text))


@lru_cache(maxsize=8)
def _english_sentences(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    for piece in _EN_SENTENCE.split(text.strip()):
        if parts and _ABBREV.search(parts[-1]):
            parts[-1] += " " + piece
        elif piece:
            parts.append(piece)
    return tuple(parts)
