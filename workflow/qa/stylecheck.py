"""Style checks for the kinds of error a copy edit brings in that a rule can
see (docs/style-guide.md, "What the second read catches"): a "first" or a
"once" the Chinese does not have, two sentences in a row opening on the
same name, and a sentence longer than the house limit.

Each is a ``check(pair, ctx)`` like those in checks.py, which registers them;
all are warnings, since each has a reading in which the English is right
(their false alarms on professional zh→en news are measured in
``benchmarks/stylecheck_wmt.py`` and docs/style-checks.md).

May import: segment.
"""

from __future__ import annotations

import re

from workflow.sources.segment import split_english_sentences

WARNING = "warning"

#: The house limit on a sentence of running text (docs/style-guide.md).
SENTENCE_WORDS = 40

#: Source words that license an English "first" (先 covers 率先, 首先 and 先说 "first say").
_FIRST_ZH = re.compile(r"首|第一|第1|先|头一|头号|最早|最初|起初|当初|初次|初期|一是|其一|一等|上半年|一季度|开创|打头")
_FIRST_EN = re.compile(r"\b(?:for the first time|first(?![- ](?:aid|hand)\b)|firsts)\b", re.I)
#: Source words that put something in the past (曾 "once", 原 "formerly" …) or license
#: the conjunction "once" (一旦) and "once" = one time (一次).
_PAST_ZH = re.compile(r"曾|原|过去|昔日|以前|从前|往日|当年|一度|前身|早年|此前|之前|一旦|一次|只要")
#: "once" in the sense "formerly": after a form of be/have ("was once"), as an
#: apposition ("Once a pioneer, …", "…, once a pioneer"), in a compound
#: ("once-thriving"); "formerly" always.  Not the conjunction ("once it opens").
_ONCE_EN = re.compile(
    r"\b(?:formerly|(?:was|were|is|are|been|had|has|have|who|which)\s+once|once-\w+"
    r"|(?:^|[.!?][\"”’)]*\s+|[,;(—–]\s*)once\s+(?:a|an|the|one|home|part)\b)",
    re.I | re.M,
)

#: Capitalized words that open sentences without naming anyone.
_STARTERS = frozenset(
    """
a an the this that these those it its he she they we i you his her their our my your there here
in on at for from to of by with without within into over under after before since during until
and but or so yet also meanwhile however moreover besides still thus then now today last next
as if when while where what why how who which whether because although though unless
according some many most more all each every one two three four five six seven eight nine ten
such other another both either neither no not only just even mr mrs ms dr
""".split()
)
_OPENING = re.compile(r"^[\"“‘'(\[]*((?:[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'-]*|of|and|de|van|von))*)")
_LAST_WORDS = re.compile(r"([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})[\"”’')\]]*[.!?]*[\"”’')\]]*\s*$")
_WORD = re.compile(r"[A-Za-z0-9][\w’'-]*")
_RUNNING_TEXT = ("body", "caption")
_PUNCT = ' ,;(—–.!?"”’)'


def first_claim(pair, ctx):
    """An English "first" / "for the first time" with nothing in the source
    that says first (首, 首次, 第一, 首个, 率先 …): a claim the copy edit added."""
    m = _FIRST_EN.search(pair.target)
    if m and not _FIRST_ZH.search(pair.source):
        yield (
            WARNING,
            (
                f"{m.group()!r} with no 首/首次/第一/率先 in the source: "
                "a first the Chinese does not claim? (style guide: no added firsts)"
            ),
        )


def past_marker(pair, ctx):
    """An English "once" / "formerly" with no past marker in the source
    (曾, 原, 过去, 昔日, 以前 …): it puts in the past what may still hold."""
    m = _ONCE_EN.search(pair.target)
    if m and not _PAST_ZH.search(pair.source):
        yield (
            WARNING,
            (
                f"{m.group().strip(_PUNCT)!r} with no past marker (曾/原/过去/昔日/以前) in the source: "
                "does the Chinese put it in the past? (style guide: 从…到… is not 'once')"
            ),
        )


def _opening_name(sentence: str) -> str:
    """The capitalized words a sentence opens with ('Peng', 'BASF Shanshan'), or ''."""
    m = _OPENING.match(sentence)
    if not m:
        return ""
    words = m.group(1).split()
    while words and words[-1] in ("of", "and", "de", "van", "von"):
        words.pop()
    if not words or words[0].lower().strip(".") in _STARTERS:
        return ""
    return " ".join(w.rstrip(".") for w in words)


_NAMES_OF: list = [None, frozenset()]  # [the glossary, its names]: the last one asked about


def _glossary_names(glossary) -> frozenset:
    """Capitalized words of the glossary's targets (Peng, Changsha, BASF …).
    The memo holds the glossary itself, not its id(), which a new glossary
    may reuse once the old one is gone."""
    if _NAMES_OF[0] is not glossary:
        _NAMES_OF[:] = [glossary, frozenset(w for t in glossary.terms for w in t.target.split() if w[:1].isupper())]
    return _NAMES_OF[1]


def _is_name(name: str, sentences: list[str], ctx) -> bool:
    """A proper name, not a capitalized sentence opening ('Please', 'Article'):
    capitalized inside a sentence somewhere in the segment, or a glossary name."""
    first = name.split()[0]
    if first in _glossary_names(ctx.glossary):
        return True
    inside = re.compile(rf"\S\s+{re.escape(first)}\b")
    return any(inside.search(s) for s in sentences)


def repeated_opening(pair, ctx):
    """Two sentences in a row opening on the same name ("Peng said … Peng
    said"), or a sentence ending on the name the next one opens with
    ("…, said Peng. Peng said …"): a stutter."""
    sentences = split_english_sentences(pair.target)
    names = [_opening_name(s) for s in sentences]
    for i in range(1, len(sentences)):
        name, before = names[i], sentences[i - 1]
        if not name:
            continue
        tail = _LAST_WORDS.search(before)
        ends_on = tail is not None and f" {name} " in f" {tail.group(1)} "  # said Peng Wenjie. Peng said
        if (ends_on or names[i - 1] == name) and _is_name(name, sentences, ctx):
            how = "ends on" if ends_on else "opens on"
            yield (
                WARNING,
                (
                    f"stutter: a sentence {how} {name!r} and the next opens on it: "
                    f"{before[-30:]!r} / {sentences[i][:30]!r} (style guide: attribute once)"
                ),
            )
            return


def sentence_length(pair, ctx):
    """A sentence of running text over the house limit (SENTENCE_WORDS)."""
    if pair.role not in _RUNNING_TEXT:
        return
    for sentence in split_english_sentences(pair.target):
        words = len(_WORD.findall(sentence))
        if words > SENTENCE_WORDS:
            yield (
                WARNING,
                (f"a sentence of {words} words (style guide: at most {SENTENCE_WORDS}): split it: {sentence[:40]!r}…"),
            )
            return


STYLE_CHECKS = {
    "first": first_claim,
    "once": past_marker,
    "repeated-opening": repeated_opening,
    "sentence-length": sentence_length,
}
