"""Quality checks for a Chinese source and an English target (qa-rules R1–R14).

Each check is a small function ``check(pair, ctx) -> iterable of (severity,
message)``, named after the problem it finds and gathered in ``CHECKS``.
Document-wide checks take all pairs: ``doc_check(pairs, ctx)``.  Pure: no
files, no polib.

May import: text, segment, glossary, numbers, parity, spelling, stylecheck, romanize.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from workflow.core.text import CJK_SCRIPT, HAN_RANGES, han_chars
from workflow.lang import romanize, spelling
from workflow.lang.glossary import Glossary, Term
from workflow.lang.numbers import (
    _MONTHS,
    _SRC_DATE,
    _TGT_DATE,
    _TGT_NUM,
    CODE,
    _fmt,
    _has_month,
    _plain,
    _target_date_values,
    ascii_digits,
    chinese_numeral_values,
    source_numbers,
    target_numbers,
)
from workflow.qa import parity
from workflow.qa.stylecheck import STYLE_CHECKS
from workflow.sources.segment import split_english_sentences, split_sentences

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, slots=True)
class Pair:
    id: str
    role: str
    source: str
    target: str
    state: str = "translated"
    accepted: frozenset = frozenset()  # check names a reviewer accepted on this segment


@dataclass(frozen=True, slots=True)
class Finding:
    article: str
    language: str
    segment: str
    role: str
    check: str
    severity: str
    message: str

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass
class Context:
    glossary: Glossary = field(default_factory=lambda: Glossary([]))
    #: Glossary target forms that earlier segments used (a short form is
    #: accepted after its full form has appeared).
    seen_forms: set = field(default_factory=set)
    #: Lower-case words the spell check accepts: the project's word list and the glossary's terms.
    words: frozenset = frozenset()
    #: The desk's own rules from the configuration: (pattern, message, severity, source pattern).
    checklist: tuple = ()
    _found: dict = field(default_factory=dict)
    _forbidden: list | None = None

    def terms(self, text: str):
        """Glossary hits in ``text``, computed once per text."""
        hits = self._found.get(text)
        if hits is None:
            hits = self._found[text] = self.glossary.find(text)
        return hits

    @property
    def forbidden(self) -> list:
        if self._forbidden is None:
            self._forbidden = [
                (v, t)
                for t in self.glossary.terms
                for v in forbidden_variants(t)
                if not any(v in alt for alt in t.alternatives)
            ]
        return self._forbidden


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


# -- R1 R2 R3: empty, copied, whitespace -------------------------------------------


def untranslated(pair, ctx):
    if pair.source.strip() and pair.target == "":
        yield ERROR, "no translation"
    elif pair.source.strip() and not pair.target.strip():
        yield ERROR, "the translation is blank (only white space)"


def copied_source(pair, ctx):
    src_han = han_chars(pair.source)
    if not src_han or not pair.target.strip():
        return
    if pair.target.strip() == pair.source.strip():
        yield ERROR, "the source is copied unchanged"
        return
    tgt_han = han_chars(pair.target)
    if tgt_han >= 0.5 * src_han:
        yield ERROR, f"{tgt_han} of the source's {src_han} Chinese characters are copied into the translation"


def whitespace(pair, ctx):
    t, s = pair.target, pair.source
    if not t.strip():
        return
    if t[:1].isspace() and not s[:1].isspace():
        yield ERROR, f"leading white space {_quote(t[:20])}"
    if t[-1:].isspace() and not s[-1:].isspace():
        yield ERROR, f"trailing white space {_quote(t[-20:])}"
    inner = t.strip()
    if "  " in inner:
        i = inner.index("  ")
        yield WARNING, f"double space in {_quote(inner[max(0, i - 15) : i + 15])}"
    for ch, name in (
        ("\t", "tab"),
        ("\n", "line break"),
        ("\u3000", "ideographic space U+3000"),
        ("\u00a0", "no-break space U+00A0"),
    ):
        if ch in inner and ch not in s:
            yield WARNING, f"{name} in the translation"


# -- R4 R5 R6: leftovers and balance ---------------------------------------------------

_CJK_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uffef\ufe10-\ufe1f\ufe30-\ufe4f]")


def chinese_characters(pair, ctx):
    first = CJK_SCRIPT.search(pair.target)
    if first:
        found = CJK_SCRIPT.findall(pair.target)
        i = first.start()
        yield (
            ERROR,
            f"Chinese characters left in the English: {''.join(dict.fromkeys(found))[:12]} in {_quote(pair.target[max(0, i - 15) : i + 15])}",
        )


def chinese_punctuation(pair, ctx):
    t = pair.target
    found = [c for c in _CJK_PUNCT.findall(t) if c != "\u3000"]
    if found:
        yield ERROR, f"Chinese punctuation left in the English: {' '.join(dict.fromkeys(found))}"
    if "——" in t:
        yield WARNING, "Chinese double dash '——': use one '—', a colon or a comma"
    if "……" in t:
        yield WARNING, "Chinese ellipsis '……': use '…' or rephrase"


_APOSTROPHE = re.compile(r"(?<=[A-Za-z0-9])[’'](?=[A-Za-z])|(?<=s)[’'](?=\s|$|[,.;:!?])")
#: A straight quote that opens (at the start, after a space or a bracket) and one that closes.
_STRAIGHT_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–-]))([\"'])(?=\S)")


_BRACKET = re.compile(r"[()\[\]“”‘’]")


#: Each kind of pair: its opening and closing marks in the Chinese, and in the English.
_KIND_OF = {"“": "“", "”": "“", '"': "“", "‘": "‘", "’": "‘", "(": "(", ")": "(", "[": "[", "]": "["}


_ZH_MARKS = str.maketrans("（）「」『』【】", "()“”“”[]")


def _source_unbalanced(source: str, kind: str) -> bool:
    """A quotation or bracket the source opens and leaves open (or closes
    without opening): it spans segments, and so may the translation's."""
    problem = _target_unbalanced(source.translate(_ZH_MARKS))
    return problem is not None and problem[0] == kind


def _target_unbalanced(t: str):
    """(kind, message) of the first unbalanced mark in the English, or None."""
    pairs = {")": "(", "]": "[", "”": "“", "’": "‘"}
    stack: list[str] = []
    for ch in _BRACKET.findall(t):  # only the brackets, not every character
        if ch in "([“‘":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack[-1] != pairs[ch]:
                return _KIND_OF[ch], f"unbalanced {ch!r} in the translation"
            stack.pop()
    if stack:
        return _KIND_OF[stack[-1]], f"{stack[-1]!r} is never closed"
    if t.count('"') % 2:
        return "“", "an odd number of straight double quotes"
    return None


def _curly(text: str) -> str:
    """Straight quotes as the curly ones their place implies (apostrophes already gone)."""
    text = _STRAIGHT_OPEN.sub(lambda m: "“" if m.group(1) == '"' else "‘", text)
    return text.replace('"', "”").replace("'", "’")


def unbalanced_brackets(pair, ctx):
    t = _APOSTROPHE.sub("", pair.target) if ("'" in pair.target or "’" in pair.target) else pair.target
    problem = _target_unbalanced(t)
    if problem and ("'" in t or '"' in t) and any(c in t for c in "“”‘’") and not _target_unbalanced(_curly(t)):
        # "Quote” : balanced once the straight quotes are read as curly ones; the glyphs are mixed
        yield WARNING, "straight and curly quotes are mixed"
    elif problem and not _source_unbalanced(pair.source, problem[0]):
        yield ERROR, problem[1]
    src_parens = pair.source.count("（") + pair.source.count("(")
    tgt_parens = pair.target.count("(")
    if src_parens != tgt_parens and not ctx_glossary_explains_parens(pair, ctx):
        yield WARNING, f"the source has {src_parens} bracket pair(s), the translation {tgt_parens}"


def ctx_glossary_explains_parens(pair, ctx) -> bool:
    extra = sum(t.target.count("(") for _, t in ctx.terms(pair.source))
    inside = sum(t.source.count("（") for _, t in ctx.terms(pair.source))
    src = pair.source.count("（") + pair.source.count("(") - inside
    return src + extra == pair.target.count("(")


# -- R7 numbers ----------------------------------------------------------------------------

_HEDGES_EN = re.compile(
    r"\b(nearly|almost|more than|over|above|exceed\w*|top\w*|about|around|approximately|some|close to|surpass\w*|"
    r"pass\w*|broke|upwards of|in excess of|beyond|at least|plus)\b",
)  # matched against lower-cased text: a case-insensitive alternation costs three times as much


_CLOCK_EN = re.compile(r"(?<![\d.:])(\d{1,2}):\s?(\d{2})(?![\d:])")
_YEARLIKE = re.compile(r"(?:1[89]|20)\d\d(?:s|'s)?$")


def _target_figures(target: str):
    """The translation's values and digit tokens, with month dates, clock
    times (9:30 a.m.: values 9, 21 and 30; the token 9) and labels
    (COVID-19, CCTV-2) read apart."""
    has_month = _has_month(target)
    dates = _target_date_values(target) if has_month else set()
    masked = _TGT_DATE.sub(lambda m: " " * len(m.group()), target) if has_month else target
    masked = CODE.sub(lambda m: " " * len(m.group()), masked) if _CODE_HINT.search(masked) else masked
    clock = set()
    if ":" in masked:
        for m in _CLOCK_EN.finditer(masked):
            hour, minute = int(m.group(1)), int(m.group(2))
            clock |= {Decimal(hour), Decimal(minute), Decimal((hour + 12) % 24), Decimal(hour % 12 or 12)}
        masked = _CLOCK_EN.sub(lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), masked)
    values, tokens = target_numbers(masked)
    return values | dates | clock, tokens, dates


def _source_found(pair, ctx, values: set, target: str):
    """Each figure of the source the translation lacks: (severity, message)."""
    for v, kind, span, _ in pair_numbers(pair, ctx):
        if kind in ("month", "day", "year"):
            continue  # the date check handles them
        if kind == "cn":
            if v not in values and (v / 10) not in values:  # 七成 → 70 percent
                yield WARNING, f"the Chinese numeral in {_quote(span)} ({v:,}) is not in the translation"
            continue
        if v not in values:
            ranged = kind == "day-only" and re.search(rf"[日号]\s*(?:至|到|[-—–~])\s*{re.escape(span)}", pair.source)
            if kind == "day-only" and not ranged and not _explained(pair.source, span, v, kind, values, target):
                if not _RELATIVE_DAY.search(target):  # a dateline carries it, or "the next day", "on Wednesday"
                    yield WARNING, f"the day {_quote(span)} is not in the translation"
            elif not _explained(pair.source, span, v, kind, values, target):
                yield ERROR, f"{_quote(span)} = {_fmt(v)} is not in the translation{_magnitude_hint(span, v)}"
            continue
        figure = rf"(?<![\d.]){re.escape(_plain(v))}{'0*' if '.' in _plain(v) else ''}"
        if kind == "percent" and not re.search(figure + _PERCENT_AFTER, target):
            yield ERROR, f"{_quote(span)} should read {_plain(v)} percent"
        if kind == "points" and not re.search(figure + r"\s+(?:percentage\s+)?points?\b", target):
            yield ERROR, f"{_quote(span)} is percentage points, not percent"


_RELATIVE_DAY = re.compile(
    r"(?i)\b(?:(?:the\s+)?(?:next|following|same|previous)\s+day|today|yesterday|tomorrow|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)
#: What follows a percentage: its sign or word, or a range ending in one (80-90%, 15 to 30 percent).
_PERCENT_AFTER = r"(?:\s*(?:[-–—~]|to)\s*[\d.]+)?\s*(?:%|percent|per cent)"


def _explained(source: str, span: str, v, kind: str, values: set, target: str) -> bool:
    """Whether a figure of the source the translation does not write as
    such is there in another form a professional may choose."""
    if kind == "month-only" and _MONTHS[int(v) - 1] in target:
        return True
    if kind == "hour" and (values & {v - 12, v + 12} or _NOON.get(int(v), _NEVER).search(target)):
        return True
    if v == 24 and re.search(r"24\s*小时", source) and _ROUND_THE_CLOCK_EN.search(target):
        return True
    if v in (0, 24) and re.search(r"0\s*[—–~-]\s*24\s*时", source):
        return True  # 0—24时: the whole day
    if v * 10 in values and any(
        source[i : i + 1] == "成" and source[i + 1 : i + 2] not in _NOT_TENTHS for i in _ends(source, span)
    ):
        return True  # 6成 → 60 percent
    if v == 1 and any(source[i : i + 1] == "倍" for i in _ends(source, span)) and re.search(r"(?i)\bdoubl", target):
        return True  # 增长1倍 → doubled
    if kind == "decade" and values & {v + 1900, v + 2000}:
        return True
    if _month_day(v) and _month_day(v) in _target_month_days(target):
        return True  # 418 (a shopping festival, 4.18) → April 18
    if v in (180, 360) and any(_FULL_TURN.match(source, i) for i in _ends(source, span)):
        return True  # 来个180度的大转变 → totally change: a figure of speech
    if re.search(rf"(?<![\d.]){_plain(v)}\s*世纪", source) and any((v - 1) * 100 <= x < v * 100 for x in values):
        return True
    if re.search(rf"(?<![\d.,]){re.escape(_plain(v))}(?!\d|,\d)", target):
        return True  # in the translation inside a label (Peaceful Rescue-2021)
    if kind == "percent" and v == 100 and re.search(r"(?i)\b(?:all|every|entire(?:ly)?|fully|whole)\b", target):
        return True
    if any(_near(x, c) for c in _converted(source, span, v) for x in values):
        return True  # 10斤 → 5 kg, 6000亩 → 400 hectares
    return _rendered_in_words(source, span, v, values, target)


#: Chinese units and what a translation may convert them to (factors): 斤 → kg, 亩 → hectares,
#: square meters or acres, 里 → km; metric units → imperial.
_CONVERSIONS = {
    "斤": (0.5,),
    "亩": (1 / 15, 666.67, 0.1647),
    "里": (0.5,),
    "公里": (0.6214,),
    "千米": (0.6214,),
    "米": (3.281,),
    "公斤": (2.205,),
    "千克": (2.205,),
    "吨": (1.102,),
    "公顷": (2.471, 15),
    "平方公里": (0.3861, 100, 247.1),
    "平方米": (10.76,),
}
_UNIT_AFTER = re.compile(r"\s*(" + "|".join(sorted(_CONVERSIONS, key=len, reverse=True)) + ")")
#: A conversion a translation may add in brackets, by the unit it converts to (the factors from
#: the unit of the figure before it): 10 km (6.2 miles), 400 hectares (988 acres), 6000 mu (400 hectares).
_BRACKET_UNITS = [
    (re.compile(r"\s*(?:miles?|mi)\b"), (0.6214,)),
    (re.compile(r"\s*(?:feet|ft|foot)\b"), (3.281,)),
    (re.compile(r"\s*acres?\b"), (2.471, 0.1647)),
    (re.compile(r"\s*(?:pounds|lbs?)\b"), (2.205,)),
    (re.compile(r"\s*(?:square miles|sq mi)\b"), (0.3861,)),
    (re.compile(r"\s*(?:hectares?|ha)\b"), (1 / 15, 0.4047)),
    (re.compile(r"\s*(?:kilometers?|kilometres?|km)\b"), (1.609, 0.5)),
    (re.compile(r"\s*(?:meters?|metres?|m)\b"), (0.3048,)),
    (re.compile(r"\s*(?:kilograms?|kg)\b"), (0.4536, 0.5)),
]


#: 180度的大转变, 360度无死角: a full turn or a whole view, which English may say without the figure.
_FULL_TURN = re.compile(r"\s*度的?大?(?:转变|转弯|大转弯|转身|逆转|反转|掉头|调头|变化|无死角|全方位)")
#: 上下册, 上中下卷: the parts of a work, which English may number (Volumes 1 & 2).
_PARTS = re.compile(r"上(中)?下[两二三]?(?:册|集|卷|篇|部|编|阕)")


def _month_day(v) -> tuple[int, int] | None:
    """418 → (4, 18), 1111 → (11, 11): a figure that reads as a month and a day (a festival's date)."""
    n = int(v) if v == v.to_integral_value() and 101 <= v <= 1231 else 0
    return (n // 100, n % 100) if n and 1 <= n // 100 <= 12 and 1 <= n % 100 <= 31 else None


def _target_month_days(target: str) -> set:
    """(month, day) of each month date in the English (April 18, 18 April)."""
    out = set()
    for m in _TGT_DATE.finditer(target) if _has_month(target) else ():
        out.add((_MONTHS.index(m.group(1) or m.group(5)) + 1, int(m.group(2) or m.group(4))))
    return out


def _near(x, y) -> bool:
    return y > 0 and abs(float(x) - y) <= 0.03 * y + 0.5 * (y >= 10)


def _converted(source: str, span: str, v) -> list[float]:
    for i in _ends(source, span):
        m = _UNIT_AFTER.match(source, i)
        if m:
            return [float(v) * f for f in _CONVERSIONS[m.group(1)]]
    return []


def _bracket_conversion(target: str, text: str, raw, allowed: set) -> bool:
    """A figure in brackets that converts a figure of the source: (6.2 miles)."""
    i = target.find(text)
    if i < 0 or "(" not in target[max(0, i - 3) : i + 1]:
        return False
    for unit, factors in _BRACKET_UNITS:
        if unit.match(target, i + len(text)):
            return any(_near(raw, float(a) * f) for a in allowed if a > 0 for f in factors)
    return False


def _rendered_in_words(source: str, span: str, v, values: set, target: str) -> bool:
    """耶鲁等3所 → Yale and two others (the count less the one named); 1个 → a, each, per."""
    if v - 1 in values and any(source[i - len(span) - 1 : i - len(span)] == "等" for i in _ends(source, span)):
        return True
    if v != 1 or not any(source[i : i + 1] in _CLASSIFIERS and source[i : i + 1] for i in _ends(source, span)):
        return False
    return bool(re.search(r"\b(?:a|an|each|per|single|every|once)\b", target, re.I))


#: 12时 → noon, 0时 and 24时 → midnight.
_NOON = {
    12: re.compile(r"(?i)\b(?:noon|midday)\b"),
    0: re.compile(r"(?i)\bmidnight\b"),
    24: re.compile(r"(?i)\bmidnight\b"),
}
_NEVER = re.compile(r"(?!)")


def _ends(source: str, span: str):
    """Where each whole occurrence of the figure ``span`` ends in the source (1 not inside 120)."""
    i = source.find(span)
    while i >= 0:
        before = source[i - 1 : i] if i else ""
        if not (before.isdigit() or before in ".," and i > 1 and source[i - 2].isdigit()):
            yield i + len(span)
        i = source.find(span, i + 1)


_NOT_TENTHS = frozenset("为立功果本交效员长熟型")


#: Measure words after 1 that English renders as "a", "each", "per" (1个年度 → each year, 1次 → once).
_CLASSIFIERS = frozenset("个名位家次项种台件所座条张份亩斤吨米")


def pair_numbers(pair, ctx) -> list:
    """The source's figures (remembered on the context for the segment)."""
    key = ("numbers", pair.source)
    if key not in ctx._found:
        ctx._found[key] = source_numbers(_mask_glossary_numbers(pair.source, ctx))
    return ctx._found[key]


def numbers(pair, ctx):
    found = pair_numbers(pair, ctx)
    if not found and not _TGT_NUM.search(pair.target):
        return
    values, tokens, dates = _target_figures(pair.target)
    missing = list(_source_found(pair, ctx, values, pair.target))
    yield from missing
    allowed = {v for v, *_ in found} | _glossary_numbers(pair.source, ctx)
    allowed |= {v + d for v, kind, *_ in found if kind == "hour" for d in (-12, 12)}
    allowed |= chinese_numeral_values(pair.source) | _code_digits(pair.source)
    if "半" in pair.source:
        allowed.add(Decimal("0.5"))  # 半米 → 0.5 meters
    if "成" in pair.source:  # 6成 → 60 percent
        allowed |= {
            v * 10 for v, _, span, _ in found if any(pair.source[i : i + 1] == "成" for i in _ends(pair.source, span))
        }
    if _ROUND_THE_CLOCK_ZH.search(pair.source):
        allowed |= {Decimal(24), Decimal(7)}  # 全天候, 24小时 → 24-hour, 24/7
    allowed |= {Decimal((c - 1) * 100) + d for c in _centuries(pair.source) for d in allowed if d < 100}
    allowed |= {d + y for d in _decades(pair.source, found) for y in (1900, 2000)}
    if "上" in pair.source and "下" in pair.source and (parts := _PARTS.search(pair.source)):
        allowed |= {Decimal(1), Decimal(2), Decimal(3)} if parts.group(1) else {Decimal(1), Decimal(2)}
    if dates:  # 418 → April 18: the day of a month-and-day figure
        allowed |= {
            Decimal(d)
            for v, kind, *_ in found
            if kind == "plain" and (md := _month_day(v)) and md in _target_month_days(pair.target)
            for d in md
        }
    for day in sorted(_target_days(pair.target) - allowed) if dates else ():
        # a day of a month the source does not have: a swapped or a wrong day (July 52), or one added
        yield (ERROR if missing else WARNING), f"the day {day} of a date is not in the source"
    allowed |= dates
    converted = [c for v, kind, span, _ in found for c in _converted(pair.source, span, v)]
    for raw, scaled, text in tokens:
        if raw in allowed or scaled in allowed or any(_near(raw, c) for c in converted):
            continue
        if _bracket_conversion(pair.target, text, raw, allowed):
            continue
        # An invented figure is the worst mistake a news translation can make.  Forms derived from
        # the source pass above: ordinals from 第, Phase II from 二期 (a value), a year the source has,
        # 三百万 → 3 million, 七八十 → 70 or 80.  A year or an ordinal a translator adds for the
        # reader (the Beijing 2022 Winter Olympics, the 19th Central Committee) is a warning, unless
        # a figure of the source is missing too: then it took that figure's place.
        if not missing and (_YEARLIKE.match(text) or _ORDINAL.match(pair.target, pair.target.find(text) + len(text))):
            yield WARNING, f"{_quote(text)} is not in the source: a year or an ordinal the translation adds (check it)"
        else:
            yield ERROR, f"the figure {_quote(text)} is not in the source: an invented figure"
    hedged = sum(1 for *_, hedge in found if hedge)
    if hedged and len(_HEDGES_EN.findall(pair.target.lower())) < hedged:
        spans = ", ".join(_quote(span) for _, _, span, hedge in found if hedge)
        yield WARNING, f"a hedge (nearly / more than / over / exceeded) may be missing for {spans}"


_ROUND_THE_CLOCK_ZH = re.compile(r"全天候|24\s*小时|昼夜")
_ROUND_THE_CLOCK_EN = re.compile(r"(?i)\b(?:a)?round[- ]the[- ]clock\b|\b24/7\b|\ball day\b|\bday and night\b")


def _target_days(target: str) -> set:
    """The days of the month dates in the English (July 25, 25 July)."""
    return {Decimal(m.group(2) or m.group(4)) for m in _TGT_DATE.finditer(target)}


def _code_digits(source: str) -> set:
    """The digits of the source's labels: windows11 may be written Windows 11."""
    return (
        {Decimal(d) for code in CODE.findall(source) for d in re.findall(r"\d+", code)}
        if _CODE_HINT.search(source)
        else set()
    )


def _centuries(source: str) -> set:
    """20世纪 → 20: its decades (六七十年代) may be written 1960s and 1970s."""
    return {int(c) for c in re.findall(r"(\d{1,2})\s*世纪", source)} if "世纪" in source else set()


def _decades(source: str, found: list) -> set:
    """80年代, 八十年代, 95后: the two digits of a year the translation writes in full (the 1980s)."""
    out = {v for v, kind, *_ in found if kind == "decade"}
    if "年代" in source:
        out |= {
            d
            for run in re.findall(r"([一二三四五六七八九十]+)年代", source)
            for d in chinese_numeral_values(run)
            if d < 100
        }
    return {Decimal(d) for d in out}


_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b")
_CODE_HINT = re.compile(r"[A-Za-z][-_]?\d|\d[A-Za-z]+\d")


def _mask_glossary_numbers(text: str, ctx) -> str:
    """Digits inside a glossary name (世界500强, 6系…8系/9系) are labels, not
    amounts; mask those whose digits the glossary target does not keep."""
    for start, term in ctx.terms(text):
        digits = term.source_digits
        if digits and not all(d in term.target for d in digits):
            text = text[:start] + " " * len(term.source) + text[start + len(term.source) :]
    return text


def _glossary_numbers(text: str, ctx) -> set:
    out: set[Decimal] = set()
    for _, term in ctx.terms(text):
        out.update(Decimal(n).normalize() for n in term.target_figures)
    return out


def _magnitude_hint(span: str, v: Decimal) -> str:
    if "亿" in span or "万" in span:
        return f" (亿 = 10⁸, 万 = 10⁴: expect {_fmt(v)})"
    return ""


# -- R8 dates ------------------------------------------------------------------------------


def dates(pair, ctx):
    t = pair.target
    source = ascii_digits(pair.source)
    years_in_source = set(_YEAR.findall(source)) if "年" in source else set()
    for m in _SRC_DATE.finditer(source):
        year, month, day = m.groups()
        name = _MONTHS[int(month) - 1] if 1 <= int(month) <= 12 else None
        if name is None:
            continue
        yield from _one_date(m.group(), name, int(day), year, t, years_in_source)
    for m in _YEAR_END.finditer(source) if "年底" in source else ():
        if f"end of {m.group(1)}" not in t:
            yield WARNING, f"{_quote(m.group())} should read 'the end of {m.group(1)}'"
    if _NUMERIC_DATE.search(t):
        yield WARNING, "numeric date format in running text; write the month as a word"


def _one_date(span: str, name: str, day: int, year: str | None, t: str, years_in_source: set):
    """A source date against the translation: a wrong or missing date is an
    error; an ordinal (July 25th) and a year the translation adds are
    warnings (house style; a professional may make the year explicit)."""
    th = "(?:st|nd|rd|th)?"
    month = rf"(?:{name}|{name[:3]}\.?|{name[:4]}\.)" if len(name) > 5 else name  # Aug. 3, Sept. 3 (AP style)
    if year:
        ok = re.search(rf"\b{month}\s+{day}{th},\s*{year}\b", t) or re.search(
            rf"\b{day}{th}\s+(?:of\s+)?{month},?\s+{year}\b", t
        )
        if not ok:
            yield ERROR, f"{_quote(span)} should read {name} {day}, {year}"
            return
    else:
        ok = (
            re.search(rf"\b{month}\s+{day}{th}\b(?!\d)", t)
            or re.search(rf"\b{day}{th}\s+(?:of\s+)?{month}\b", t)
            or re.search(
                rf"\b{month}\s+\d{{1,2}}{th}(?:\s*(?:,|and|to|[-–—])\s*\d{{1,2}}{th})*\s*(?:,|and|to|[-–—])\s*{day}{th}\b",
                t,
            )
        )
        if not ok:
            yield ERROR, f"{_quote(span)} should read {name} {day}"
            return
        invented = re.search(rf"\b{name}\s+{day}{th},\s*(\d{{4}})\b", t)
        if invented and invented.group(1) not in years_in_source:
            yield WARNING, f"the year {invented.group(1)} is not in the source {_quote(span)}: check it"
    if re.search(rf"\b{name}\s+{day}(?:st|nd|rd|th)\b|\b{day}(?:st|nd|rd|th)\s+(?:of\s+)?{name}\b", t):
        yield WARNING, f"write {name} {day}, not an ordinal date (house style)"


_YEAR = re.compile(r"(\d{4})年")
_YEAR_END = re.compile(r"(\d{4})年底")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b")


# -- R9 length ------------------------------------------------------------------------------


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")  # what ``ch.isascii() and ch.isalnum()`` accepts


def length_ratio(pair, ctx):
    s, t = pair.source.strip(), pair.target.strip()
    if not s or not t:
        return
    # Latin letters and digits in the source (names, codes, an English original in brackets)
    # become about as many in the English, not four times as many.
    size = len(s) - 0.75 * len(_ASCII_ALNUM.findall(s))
    if size < 15:
        if len(t) > 12 * len(s) + 20:
            yield WARNING, f"the translation is very long for a {len(s)}-character source ({len(t)} characters)"
        return
    r = len(t) / size
    if r < 1.2 or r > 10:
        yield (
            ERROR,
            f"length ratio {r:.1f} English characters per Chinese character (expected about 4): text missing or added?",
        )
    elif r < 2.0 or r > 7.0:
        yield WARNING, f"length ratio {r:.1f} English characters per Chinese character (expected 2–7)"


# -- R10 R11 glossary and names ------------------------------------------------------------

_FORBIDDEN = re.compile(
    r"(?:\b[Nn]ever|\bnot|\bavoid(?: the variant)?|\bdo not mix with)\s+((?:'[^']+'(?:\s*(?:or|,)\s*)?)+)"
)


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Typographic quotes and dashes as ASCII (one character for one, so
    positions are kept).  Remembered: a target is folded once for all the
    glossary terms of its segment, not once per term."""
    return (
        text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'").replace("–", "-").replace("—", "-")
    )


def forbidden_variants(term: Term) -> list[str]:
    out = []
    for m in _FORBIDDEN.finditer(term.note):
        out.extend(re.findall(r"'([^']+)'", m.group(1)))
    return out


def _contains(target: str, form: str, any_case: bool = False) -> bool:
    t, f = _fold(target), _fold(form)
    if any_case:  # headlines are in title case
        return f.lower() in t.lower()
    return f in t or (f[:1].swapcase() + f[1:]) in t


def _short_forms(term: Term, glossary: Glossary) -> list[str]:
    forms = []
    for other in glossary.terms:
        if other is not term and other.source in term.source and other.severity is not None:
            forms.extend(other.alternatives)
    return forms


def glossary_terms(pair, ctx):
    headline = pair.role in ("title", "heading", "kicker", "deck", "subtitle")
    for _, term in ctx.terms(pair.source):
        if term.severity is None:
            continue
        alternatives = term.alternatives
        if any(_contains(pair.target, alt, headline) for alt in alternatives):
            continue
        if any(alt in ctx.seen_forms for alt in alternatives) and any(
            _contains(pair.target, short) for short in _short_forms(term, ctx.glossary)
        ):
            continue  # a short form after the full one appeared earlier
        yield term.severity, f"glossary: {term.source} → {' / '.join(alternatives)} ({term.tag or 'term'})"


def forbidden_terms(pair, ctx):
    for variant, term in ctx.forbidden:
        if variant in pair.target:
            yield ERROR, f"{_quote(variant)} is a forbidden variant of {term.target!r}"


def name_case(pair, ctx):
    for _, term in ctx.terms(pair.source):
        if term.tag != "name":
            continue
        name = term.alternatives[0]
        parts = name.split()
        if len(parts) == 2:
            surname, given = parts
            if re.search(rf"\b{given}\s+{surname}\b", pair.target):
                yield ERROR, f"name order reversed: write {name!r} (surname first)"
            lowered = re.search(re.escape(name), pair.target, re.I)
            if lowered and lowered.group() != name and lowered.group() != name.upper():
                yield ERROR, f"name case: {lowered.group()!r} should be {name!r}"
            elif lowered and lowered.group() == name.upper():
                yield WARNING, f"all-caps name {lowered.group()!r}"
    for acronym in sorted(set(_ACRONYM.findall(pair.source))):
        if acronym in pair.target:
            continue
        if acronym.lower() in pair.target.lower():
            continue  # APP → app, apps: an acronym a translation writes as a word
        if len(acronym) == 2:  # MM, IN: slang a translation renders in words
            yield WARNING, f"the acronym {acronym} is not in the translation"
        else:
            yield ERROR, f"the acronym {acronym} is missing"


_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")


# -- R12 roles --------------------------------------------------------------------------------

_CREDIT_PHOTO = re.compile(rf"(?:记者\s*)?([{HAN_RANGES}·]{{2,6}})\s*摄$")
_END_ZH = re.compile(r"[。！？!?][”’」』）)]*$")
_END_EN = re.compile(r"[.!?…](?:\s*[\"”’'“)\]])*$|[.!?][\"”’')\]]*\s*\([^)]*\)$")
_END_QUOTE_COMMA = re.compile(r",\s*[\"”’'“]$|:$")


#: Words at most, from the house style (docs/style-guide.md, "Heads, decks, captions").
WORD_LIMITS = {"title": 10, "heading": 8, "kicker": 6}
#: A credit a caption may carry: "Photo by …", "Photographer: …", "Photo: …", "(Credit: …)".
_CREDIT_EN = re.compile(r"(?i)\bphoto(?:graph)?s?\s+by\b|\bphotographer\b|\bphotos?\s*:|\bcredit\b")
_RECENTLY = re.compile(r"(?i)(?:recently|in recent days|lately)\b")


def role_rules(pair, ctx):
    s, t = pair.source.strip(), pair.target.strip()
    if not t:
        return
    if pair.role in ("title", "heading", "kicker"):
        if t.endswith(".") and not t.endswith("..."):
            yield ERROR, f"a {pair.role} takes no final period"
        if "\n" in t:
            yield ERROR, f"a {pair.role} is one line"
        if len(t.split()) > WORD_LIMITS[pair.role]:
            yield WARNING, f"a {len(t.split())}-word {pair.role}: at most {WORD_LIMITS[pair.role]} (house style)"
    elif pair.role in ("deck", "subtitle"):
        if t.endswith("."):
            yield WARNING, f"a {pair.role} takes no final period"
        if t.startswith("——"):
            yield WARNING, "drop the Chinese '——' leader or use '—'"
    elif pair.role == "caption":
        if _RECENTLY.match(t):
            yield WARNING, "a caption says what the photo shows, now: drop 'Recently' (近日)"
        if s.endswith("资料图片") and "file photo" not in t.lower():
            yield ERROR, "the caption lost its credit: 资料图片 → 'File photo'"
        m = _CREDIT_PHOTO.search(s)
        if m and not _CREDIT_EN.search(t):
            yield ERROR, f"the caption lost its credit: {m.group()} → 'Photo by …'"
    elif pair.role == "byline":
        if not re.match(r"^By\s", t):
            yield WARNING, "a byline reads 'By Name, Publication'"
        if t.endswith("."):
            yield WARNING, "a byline takes no final period"
    elif pair.role == "body":
        if s.endswith(("：", ":")):
            if not t.endswith(":"):
                yield WARNING, "the source introduces a list (：); the translation should end with ':'"
        elif _END_ZH.search(s) and not _END_EN.search(t):
            if _END_QUOTE_COMMA.search(t):  # "…soon," (the attribution follows?) or "Consider this example:"
                yield WARNING, f"the sentence ends with a comma or a colon: {_quote(t[-30:])}"
            else:
                yield ERROR, f"the sentence is not finished: {_quote(t[-30:])}"


# -- R13 R14 -------------------------------------------------------------------------------------


def sentence_count(pair, ctx):
    if pair.role != "body":
        return
    zh, en = len(split_sentences(pair.source)), len(split_english_sentences(pair.target))
    if abs(zh - en) > 1:
        yield INFO, f"{zh} Chinese sentence(s), {en} English"


_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.I)
_DOUBLED_ASCII = re.compile(_DOUBLED.pattern, re.I | re.A)  # the same on ASCII text, in two thirds of the time


def doubled_words(pair, ctx):
    folded = _fold(pair.target)  # typographic punctuation is not part of a word either way
    m = _DOUBLED_ASCII.search(folded) if folded.isascii() else _DOUBLED.search(pair.target)
    if m and not m.group(1).isdigit():
        yield WARNING, f"doubled word {_quote(m.group())}"


CHECKS = {
    "untranslated": untranslated,
    "copied": copied_source,
    "whitespace": whitespace,
    "chinese-characters": chinese_characters,
    "chinese-punctuation": chinese_punctuation,
    "brackets": unbalanced_brackets,
    "numbers": numbers,
    "dates": dates,
    "length": length_ratio,
    "glossary": glossary_terms,
    "forbidden": forbidden_terms,
    "names": name_case,
    "roles": role_rules,
    "sentences": sentence_count,
    "doubled-words": doubled_words,
}
CHECKS.update(STYLE_CHECKS)  # first, once, repeated-opening, sentence-length (stylecheck.py)


# -- Xbench-level families: markup, links, codes; spelling; the desk's checklist ----------------------


def _parity(check):
    def run(pair, ctx):
        return check(pair.source, pair.target)

    run.__doc__ = check.__doc__
    return run


def spell(pair, ctx):
    """English words the dictionary, the project's word list and the glossary do not know."""
    found = spelling.misspelt(pair.target, _known_words(ctx.words, ctx.glossary))
    if found:
        yield WARNING, f"spelling: {', '.join(repr(w) for w in found[:5])} (not in the dictionary or the word list)"


@functools.lru_cache(maxsize=8)
def _known_words(words: frozenset, glossary: Glossary) -> frozenset:
    """The project's word list and the glossary's words (one union a run, not one a segment)."""
    return words | _glossary_words(glossary)


@functools.lru_cache(maxsize=8)
def _glossary_words(glossary: Glossary) -> frozenset:
    return spelling.read_word_list("\n".join(alt for t in glossary.terms for alt in t.alternatives))


def name_split(pair, ctx):
    """A Chinese name in pinyin with its given name split into syllables
    ("Shang Hai Chun" for 商海春) or a syllable glued on ("Shang Hai Chunzuo")."""
    names = romanize.source_names(pair.source)
    for _, term in ctx.terms(pair.source):  # a glossary name counts wherever it stands
        if term.tag == "name" and 2 <= len(term.source) <= 4:
            names += [n for n in romanize.source_names(f"，{term.source}说") if n[0] == term.source and n not in names]
    for message in romanize.split_names(pair.source, pair.target, names) if names else ():
        yield WARNING, message


def user_checklist(pair, ctx):
    """The desk's own rules (``[[checklist]]`` in the configuration)."""
    for pattern, message, severity, source in ctx.checklist:
        if source and not re.search(source, pair.source):
            continue
        m = re.search(pattern, pair.target)
        if m:
            yield severity, f"{message} ({_quote(m.group())})"


CHECKS.update({name: _parity(check) for name, check in parity.CHECKS.items()})
CHECKS.update({"spell": spell, "checklist": user_checklist, "name-split": name_split})


# -- document-wide checks -------------------------------------------------------------------------


def consistent_terms(pairs: list[Pair], ctx: Context) -> Iterator[tuple[str, str, str]]:
    """The same source term gets the same rendering in every segment."""
    used: dict[str, dict[str, str]] = {}
    for pair in pairs:
        for _, term in ctx.terms(pair.source):
            alts = term.alternatives
            if len(alts) < 2:
                continue
            for alt in alts:
                if _contains(pair.target, alt):
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


DOC_CHECKS = {"consistency": consistent_terms, "percent-style": percent_style, "spelling": spelling_mix}
#: Checks across every article of a project (run by qa; see consistency.py).
PROJECT_CHECKS = ("project-consistency",)
ALL_CHECKS = tuple(CHECKS) + tuple(DOC_CHECKS) + PROJECT_CHECKS


def _pair_key(pair: Pair, only, seen: set) -> str:
    """Everything a segment's own findings depend on: its text, translation,
    role, state and accepted checks, the checks asked for, and which of its
    terms' forms earlier segments used.  (The glossary is the caller's part
    of the key.)"""
    import hashlib

    parts = (
        pair.role,
        pair.source,
        pair.target,
        pair.state,
        *sorted(pair.accepted),
        "\x1e",
        *sorted(only or ()),
        "\x1e",
        *sorted(seen),
    )
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).hexdigest()


def _pair_findings(pair: Pair, ctx: Context, only) -> list[list[str]]:
    """[check, severity, message] for one segment's own checks."""
    rows: list[list[str]] = []
    for name, check in CHECKS.items():
        if only and name not in only:
            continue
        if pair.state == "untranslated" and name != "untranslated":
            continue
        if name in pair.accepted:
            continue
        try:
            rows.extend([name, severity, message] for severity, message in check(pair, ctx))
        except (ValueError, ArithmeticError, IndexError, KeyError) as exc:  # a check must never stop the run
            rows.append([name, WARNING, f"check failed: {exc}"])
    return rows


def run_checks(
    pairs: list[Pair],
    glossary: Glossary,
    article: str = "",
    language: str = "en",
    only: set[str] | None = None,
    reuse: dict | None = None,
    keep: dict | None = None,
    words: frozenset = frozenset(),
    checklist: tuple = (),
) -> list[Finding]:
    """Every finding for ``pairs``, in segment order; accepted ones dropped.

    A segment's own findings are looked up in ``reuse`` by a key of what
    they depend on (see ``_pair_key``) before being computed, and stored in
    ``keep``: editing one segment re-checks one segment.  The checks across
    the document always run (they are cheap and see every segment)."""
    ctx = Context(glossary=glossary, words=words, checklist=checklist)
    roles = {p.id: p for p in pairs}
    findings: list[Finding] = []
    for pair in pairs:
        terms = ctx.terms(pair.source)
        rows = None
        if keep is not None:
            seen = {alt for _, term in terms for alt in term.alternatives} & ctx.seen_forms
            key = _pair_key(pair, only, seen)
            rows = (reuse or {}).get(key)
        if rows is None:
            rows = _pair_findings(pair, ctx, only)
        if keep is not None:
            keep[key] = rows
        findings.extend(Finding(article, language, pair.id, pair.role, *row) for row in rows)
        if pair.target:
            for _, term in terms:
                ctx.seen_forms.update(alt for alt in term.alternatives if _contains(pair.target, alt))
    translated = [p for p in pairs if p.target.strip()]
    for name, check in DOC_CHECKS.items():
        if only and name not in only:
            continue
        for sid, severity, message in check(translated, ctx):
            if name in roles[sid].accepted:
                continue
            findings.append(Finding(article, language, sid, roles[sid].role, name, severity, message))
    return findings
