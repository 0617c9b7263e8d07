"""Placeables: the figures, dates, Latin names and format codes of a segment
that the translation memory may change in a suggestion.  ``skeleton`` is a
text with each placeable replaced by its marker (what the memory indexes);
``adapt`` turns last month's translation of a paragraph into this month's by
putting the new source's figures and dates in the old target's places, in
the old target's style (1.2 million, 1,200,000); ``substitute_codes`` does
the same for format codes.

May import: numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from workflow.lang.numbers import _MONTHS, _MULT, _SCALE, _SCALE_READ, _SRC_DATE, _SRC_NUM, _TGT_NUM, _dec


@dataclass(frozen=True)
class Placeable:
    start: int
    end: int
    kind: str  # "number", "date" or "latin"
    text: str


#: What stands for a placeable in a skeleton (private-use characters: never in real text).
MARKERS = {"number": "\ue000", "date": "\ue001", "latin": "\ue002", "code": "\ue003"}
_LATIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9&'.\-]*[A-Za-z0-9])?")
#: A printf or format code of a software string (%(name)s, %s, %d, {0}, {name}): a placeable
#: whose spelling is not meaning, so '页面 '{0}'已解锁' and '页面 '%(page_title)s'已解锁' are one skeleton.
FORMAT_CODE = re.compile(r"%\(\w+\)[sdifr]|(?<![\d%])%[sdr](?![a-z])|\{\w*\}")
#: Codes are found first, dates next, figures in what is left, names last.
_PASSES = (("code", FORMAT_CODE), ("date", _SRC_DATE), ("number", _SRC_NUM), ("latin", _LATIN))


def without_codes(text: str) -> str:
    """``text`` with each format code one marker: what a similarity of two
    texts whose codes differ should compare (the spelling of a code is not meaning)."""
    return FORMAT_CODE.sub(MARKERS["code"], text) if "%" in text or "{" in text else text


def _masker(marker: str) -> Callable[[re.Match[str]], str]:
    """A replacement for ``re.sub``: the match blanked out with ``marker``, its length kept."""
    return lambda m: marker * len(m.group())


def _verbatim(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for ``re.sub`` that is ``text`` as written (no backslash escapes)."""
    return lambda m: text


def placeables(text: str) -> list[Placeable]:
    """Format codes (%(name)s, {0}), dates (2025年3月17日, 3月17日), figures
    (2875.4亿元's 2875.4亿, 3.5%, 27个百分点, 2025) and Latin-script names
    (BASF, LED), in order."""
    found = []
    for kind, pattern in _PASSES:
        found += [Placeable(m.start(), m.end(), kind, m.group()) for m in pattern.finditer(text)]
        # what a pass found is blanked out, its length kept, for the next pass
        text = pattern.sub(_masker(MARKERS[kind]), text)
    return sorted(found, key=lambda p: p.start)


def skeleton(text: str, codes: bool = True) -> str:
    """``text`` with each placeable replaced by its kind's marker: two
    paragraphs that differ only by codes, figures, dates or names have one
    skeleton (the same passes as ``placeables``, in C).  ``codes=False``
    keeps format codes as they are written, for comparing two texts with the
    same codes, where a code's letters are shared text of the translation too."""
    for kind, pattern in _PASSES if codes else _PASSES[1:]:
        text = pattern.sub(MARKERS[kind], text)
    return text


def _number_value(text: str) -> tuple[Decimal, str] | None:
    m = _SRC_NUM.fullmatch(text.strip())
    if not m:
        return None
    number, mult, unit = m.groups()
    return Decimal(number) * _MULT.get(mult or "", 1), unit or ""


def _digits(value: Decimal, commas: bool) -> str:
    text = f"{value.normalize():,f}" if commas else f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _render_like(token: re.Match, value: Decimal) -> str:
    """``value`` written the way ``token`` (a number in the English) was:
    with its scale word (287.54 billion), or as digits with or without commas."""
    whole, _, scale = token.groups()
    commas = "," in whole
    if not scale:
        return _digits(value, commas)
    words = sorted(_SCALE.items(), key=lambda kv: kv[1], reverse=True)
    word, size = next(((w, n) for w, n in words if value >= n and n >= 10**6), (None, 1))
    if word is None:
        return _digits(value, True)
    spacing = token.group()[len(whole) + len(token.group(2) or "") :].split(scale)[0] or " "
    return _digits(value / size, commas) + spacing + (word if scale.islower() else word.capitalize())


def _adapt_number(target: str, old: str, new: str) -> str | None:
    a, b = _number_value(old), _number_value(new)
    if a is None or b is None or a[1] != b[1]:
        return None
    for token in _TGT_NUM.finditer(target):
        raw = _dec(token.group(1) + (token.group(2) or ""))
        scaled = raw * _SCALE_READ[token.group(3).lower()] if raw is not None and token.group(3) else raw
        if raw is not None and a[0] in (raw, scaled):
            if scaled == a[0] and token.group(3):  # 287.54 billion: the new figure in the same style
                text = _render_like(token, b[0])
            else:  # the digits alone (3.5 percent, 2,200 vehicles)
                text = _digits(b[0], "," in token.group(1))
            return target[: token.start()] + text + target[token.end() :]
    return None


def _adapt_date(target: str, old: str, new: str) -> str | None:
    a, b = _SRC_DATE.fullmatch(old), _SRC_DATE.fullmatch(new)
    if not a or not b:
        return None
    (ay, am, ad), (by, bm, bd) = a.groups(), b.groups()
    if not (1 <= int(am) <= 12 and 1 <= int(bm) <= 12):
        return None
    old_month, new_month = _MONTHS[int(am) - 1], _MONTHS[int(bm) - 1]
    for pattern, repl in (
        (rf"\b{old_month}\s+{int(ad)}\b", f"{new_month} {int(bd)}"),
        (rf"\b{int(ad)}\s+{old_month}\b", f"{int(bd)} {new_month}"),
    ):
        m = re.search(pattern, target)
        if m:
            target = target[: m.start()] + repl + target[m.end() :]
            if ay and by and ay != by:
                target = re.sub(rf"\b{ay}\b", by, target, count=1)
            return target
    return None


def adapt(old_source: str, old_target: str, new_source: str) -> tuple[str, int] | None:
    """``old_target`` with the figures, dates and names in which
    ``new_source`` differs from ``old_source`` changed to the new ones, with
    the magnitudes the checks know (2875.4亿元 → 287.54 billion yuan).
    (text, how many differing placeables could not be found in the
    translation), or None when the two sources' placeables do not pair up."""
    olds, news = placeables(old_source), placeables(new_source)
    if [p.kind for p in olds] != [p.kind for p in news]:
        return None
    target, missed = old_target, 0
    for a, b in zip(olds, news):
        if a.text == b.text:
            continue
        if a.kind == "number":
            changed = _adapt_number(target, a.text, b.text)
        elif a.kind == "date":
            changed = _adapt_date(target, a.text, b.text)
        else:
            changed = re.sub(rf"(?<![\w]){re.escape(a.text)}(?![\w])", _verbatim(b.text), target, count=1)
            changed = None if changed == target else changed
        if changed is None:
            missed += 1
        else:
            target = changed
    return target, missed


def substitute_codes(old_source: str, old_target: str, new_source: str) -> str | None:
    """A fuzzy match's translation with its format codes renamed to the new
    source's (``'{0}' unlocked`` → ``'%(page_title)s' unlocked``), when both
    sources have as many codes and each old one is in the translation; else
    None (the translation is offered as it is)."""
    olds, news = FORMAT_CODE.findall(old_source), FORMAT_CODE.findall(new_source)
    if not olds or len(olds) != len(news) or olds == news:
        return None
    mapping: dict[str, str] = {}
    for a, b in zip(olds, news):
        if mapping.setdefault(a, b) != b:
            return None  # one old code stands for two new ones: no telling which is which
    if any(a not in old_target for a in mapping):
        return None
    return FORMAT_CODE.sub(lambda m: mapping.get(m.group(), m.group()), old_target)
