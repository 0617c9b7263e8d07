"""The checks across one article's segments: one glossary term rendered
two ways, ``%`` and ``percent`` mixed, American and British spellings
mixed.  Each is ``doc_check(pairs, ctx) -> iterable of (segment id,
severity, message)``; checks.py registers them.

May import: pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from workflow.qa.pairs import ERROR, WARNING, Context, Pair, contains


def consistent_terms(pairs: list[Pair], ctx: Context) -> Iterator[tuple[str, str, str]]:
    """The same source term gets the same rendering in every segment."""
    used: dict[str, dict[str, str]] = {}
    for pair in pairs:
        for _, term in ctx.terms(pair.source):
            alts = term.alternatives
            if len(alts) < 2:
                continue
            for alt in alts:
                if contains(pair.target, alt):
                    used.setdefault(term.source, {}).setdefault(alt, pair.id)
                    break
    for source, forms in used.items():
        if len(forms) > 1:
            where = ", ".join(f"{form!r} in {sid}" for form, sid in forms.items())
            last = list(forms.values())[-1]
            yield last, ERROR, f"{source} is rendered two ways: {where}"


def percent_style(pairs: list[Pair], ctx: Context) -> Iterator[tuple[str, str, str]]:
    sign = [p.id for p in pairs if re.search(r"\d\s*%", p.target)]
    word = [p.id for p in pairs if re.search(r"\d\s+(percent|per cent)\b", p.target)]
    if sign and word:
        yield sign[0], WARNING, f"'%' ({len(sign)} segment(s)) and 'percent' ({len(word)}) are mixed"


# American and British spellings of the same words (the house style is American).
_US_UK = [
    ("center", "centre"),
    ("color", "colour"),
    ("favor", "favour"),
    ("honor", "honour"),
    ("labor", "labour"),
    ("neighbor", "neighbour"),
    ("harbor", "harbour"),
    ("behavior", "behaviour"),
    ("program", "programme"),
    ("catalog", "catalogue"),
    ("liter", "litre"),
    ("fiber", "fibre"),
    ("theater", "theatre"),
    ("defense", "defence"),
    ("analyze", "analyse"),
    ("gray", "grey"),
    ("jewelry", "jewellery"),
    ("aluminum", "aluminium"),
    ("traveled", "travelled"),
    ("canceled", "cancelled"),
    ("modeling", "modelling"),
    ("labeled", "labelled"),
    ("fueled", "fuelled"),
    ("enrollment", "enrolment"),
    ("tons", "tonnes"),
    ("kilometer", "kilometre"),
    ("skeptical", "sceptical"),
    ("mold", "mould"),
]
_IZE_STEMS = (
    "organ",
    "real",
    "recogn",
    "modern",
    "special",
    "local",
    "prior",
    "optim",
    "util",
    "mobil",
    "industrial",
    "global",
    "standard",
    "maxim",
    "minim",
    "character",
    "categor",
    "emphas",
    "summar",
    "author",
    "capital",
    "central",
    "normal",
    "visual",
    "final",
    "legal",
    "stabil",
    "subsid",
    "harmon",
    "revolution",
    "digit",
    "urban",
    "privat",
    "commercial",
    "internationa",
    "moderni",
    "energ",
    "revital",
)
_IZE_ENDINGS = ("e", "es", "ed", "ing", "ation", "ations", "er", "ers")
#: Every American and British form this check knows, lower-case → "us" or "uk": looked up as a
#: set intersection with a segment's words (a regex alternation over them cost 65 µs a segment).
_SPELLING_FORMS = {
    **{us + end: "us" for us, _ in _US_UK for end in ("", "s", "ed", "ing", "d")},
    **{uk + end: "uk" for _, uk in _US_UK for end in ("", "s", "ed", "ing", "d")},
    **{
        f"{stem}i{z}{end}": kind
        for stem in _IZE_STEMS
        for z, kind in (("z", "us"), ("s", "uk"))
        for end in _IZE_ENDINGS
    },
}
_LOWER_WORD = re.compile(r"[a-z]+")


def spelling_mix(pairs: list[Pair], ctx: Context) -> Iterator[tuple[str, str, str]]:
    """American and British spellings in one article: the first of the
    minority kind is named, with an example of the other."""
    seen: dict[str, tuple[str, str]] = {}  # "us"/"uk" → (word, segment) of its first use
    counts = {"us": 0, "uk": 0}
    for pair in pairs:
        low = pair.target.lower()
        for word in sorted(_SPELLING_FORMS.keys() & set(_LOWER_WORD.findall(low)), key=low.index):
            kind = _SPELLING_FORMS[word]
            counts[kind] += 1
            seen.setdefault(kind, (word, pair.id))
    if counts["us"] and counts["uk"]:
        minority = "uk" if counts["uk"] <= counts["us"] else "us"
        other = "us" if minority == "uk" else "uk"
        (word, sid), (example, where) = seen[minority], seen[other]
        yield (
            sid,
            WARNING,
            (
                f"US and UK spellings mixed: {word!r} here, {example!r} in {where} "
                "(the house style is American: docs/style-guide.md)"
            ),
        )
