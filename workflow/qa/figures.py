"""The numbers check (qa-rules R7): every figure of the source is in the
translation, and every figure of the translation comes from the source.
The source's figures are read by ``numbers.source_numbers``, the English
ones by ``numbers.target_numbers`` with dates, clock times and labels read
apart; what a professional may legitimately write instead of a figure
(conversions, words, fractions, a date for 418) is explained.py's.

May import: numbers, pairs, explained.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from workflow.lang.numbers import (
    _TGT_DATE,
    _TGT_NUM,
    _WORDS,
    CODE,
    _fmt,
    _has_month,
    _plain,
    _target_date_values,
    cased_months,
    chinese_numeral_values,
    source_numbers,
    target_numbers,
)
from workflow.qa.explained import (
    PARTS,
    PERCENT_AFTER,
    RELATIVE_DAY,
    ROUND_THE_CLOCK_ZH,
    as_percent,
    bracket_conversion,
    centuries,
    conversions,
    explained_otherwise,
    figure_ends,
    fraction_mismatch,
    full_decades,
    list_parts,
    month_day,
    month_day_parts,
    near,
    period_equivalents,
    rounds,
    short_decades,
    source_fractions,
    target_month_days,
)
from workflow.qa.pairs import ERROR, WARNING, quote

_HEDGES_EN = re.compile(
    r"\b(nearly|almost|more than|over|above|exceed\w*|top\w*|about|around|approximately|some|close to|surpass\w*|"
    r"pass\w*|broke|upwards of|in excess of|beyond|at least|plus)\b",
)  # matched against lower-cased text: a case-insensitive alternation costs three times as much


_CLOCK_EN = re.compile(r"(?<![\d.:])(\d{1,2}):\s?(\d{2})(?![\d:])")
_YEARLIKE = re.compile(r"(?:1[89]|20)\d\d(?:s|'s)?$")


#: A clock time written with a dot, as British papers do: 5.30pm, 1.30 p.m.
_CLOCK_DOT = re.compile(r"(?<![\d.])(\d{1,2})\.([0-5]\d)\s*(?:[ap]\.?m\b\.?)", re.I)
#: 2 000, 12 500 000: thousands grouped with spaces (SI style).
_SPACED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,])")
_SPACED_HINT = re.compile(r"\d[ \u00a0\u2009\u202f]\d\d\d")


#: A Roman numeral standing alone, two letters at least (XV, XIV, VIII; not a lone I or V).
_ROMAN = re.compile(r"(?<![\w.])(?=[XVI]{2,}\b)X{0,3}(?:IX|IV|V?I{0,3})(?![\w.])")
_ROMAN_VALUE = {"X": 10, "V": 5, "I": 1}


def _roman(numeral: str) -> Decimal:
    total = 0
    for i, ch in enumerate(numeral):
        value = _ROMAN_VALUE[ch]
        total += -value if i + 1 < len(numeral) and _ROMAN_VALUE[numeral[i + 1]] > value else value
    return Decimal(total)


def _spaced(m: re.Match, source_values: frozenset) -> str:
    """A space-grouped figure as a comma-grouped one, when it is a figure of the source (2 000 → 2,000)."""
    joined = re.sub(r"\D", "", m.group())
    return re.sub(r"\D", ",", m.group()) if Decimal(joined) in source_values else m.group()


def _target_figures(target: str, source_values: frozenset = frozenset(), source: str = ""):
    """The translation's values and digit tokens, with month dates, clock
    times (9:30 a.m.: values 9, 21 and 30; the token 9) and labels
    (COVID-19, CCTV-2) read apart.  What only a source with a time (点, 时)
    or a year (年) explains is read only then (0430; 1981-87)."""
    has_month = _has_month(target)
    dates = _target_date_values(target) if has_month else set()
    masked = _TGT_DATE.sub(lambda m: " " * len(m.group()), target) if has_month else target
    if _CODE_HINT.search(masked):
        masked = CODE.sub(lambda m: _masked_code(m, masked), masked)  # N585 million, R2bn: the currency apart
    timed = "点" in source or "时" in source
    clock, times = _hhmm(masked, source_values) if timed else (set(), [])
    for m in times:  # 0430 hours: the hour stays a figure, the minutes go
        hour = m.group(1) or m.group(2)
        masked = masked[: m.start()] + hour + " " * (m.end() - m.start() - len(hour)) + masked[m.end() :]
    if ":" in masked:
        for m in _CLOCK_EN.finditer(masked):
            hour, minute = int(m.group(1)), int(m.group(2))
            clock |= {Decimal(hour), Decimal(minute), Decimal((hour + 12) % 24), Decimal(hour % 12 or 12)}
        masked = _CLOCK_EN.sub(lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), masked)
    if "." in masked and _CLOCK_DOT.search(masked):
        for m in _CLOCK_DOT.finditer(masked):  # 5.30pm, 1.30 p.m. (British)
            hour, minute = int(m.group(1)), int(m.group(2))
            clock |= {Decimal(hour), Decimal(minute), Decimal((hour + 12) % 24)}
        masked = _CLOCK_DOT.sub(lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), masked)
    if source_values and _SPACED_HINT.search(masked):
        masked = _SPACED.sub(lambda m: _spaced(m, source_values), masked)
    values, tokens = target_numbers(masked)
    if "年" in source and ("-" in masked or "–" in masked):
        values, tokens = _year_ranges(masked, values, tokens)
    if "illion" in masked or "thousand" in masked:
        values, tokens = _ranges(masked, values, tokens)
    if "X" in masked or "V" in masked:
        values = values | {_roman(m.group()) for m in _ROMAN.finditer(masked)}  # the starting XV
    return values | dates | clock, tokens, dates


#: A currency written as letters before a figure with a scale word: N585 million (naira), R2bn, Rs500 crore.
_MONEY = re.compile(r"([A-Z][A-Za-z]{0,2})(\d[\d.,]*)(bn|m)?")
_SCALE_NEXT = re.compile(r"\s?(?:thousand|million|billion|trillion|m|bn|crores?|lakhs?)\b")


def _masked_code(m: re.Match, text: str) -> str:
    """A label blanked out (COVID-19), but a currency's figure kept (N585 million → '    585 million')."""
    money = _MONEY.fullmatch(m.group())
    if money and (money.group(3) or _SCALE_NEXT.match(text, m.end())):
        return " " * len(money.group(1)) + m.group()[len(money.group(1)) :]
    return " " * len(m.group())


#: A 24-hour clock time written as four digits (military and shipping style: 0430, 0500 hours):
#: a leading zero, or hours / hrs / GMT / UTC / sharp after it.
_HHMM = re.compile(r"(?<![\d.,:])(?:0(\d)|([01]\d|2[0-3]))([0-5]\d)(?=\s*(hours|hrs|h\b|GMT|UTC|Zulu|sharp)|\b)")
_YEAR_RANGE = re.compile(r"(?<![\d.,])((?:1[89]|20)\d)(\d)\s*[-–]\s*(\d\d)(?!\d|[.,]\d|%)")


def _hhmm(text: str, source_values: frozenset) -> tuple[set, list]:
    """The hours and minutes of four-digit clock times (0430 → 4, 30 and 16), and their matches;
    not a figure the source writes so too (0200 GMT in both)."""
    out: set = set()
    times = []
    for m in _HHMM.finditer(text) if "0" in text else ():
        if (m.group(1) is None and not m.group(4)) or Decimal(m.group()[:4]) in source_values:
            continue  # 1500 alone is a figure; 1500 hours is a time
        hour, minute = int(m.group(1) or m.group(2)), int(m.group(3))
        out |= {Decimal(hour), Decimal(minute), Decimal((hour + 12) % 24)}
        times.append(m)
    return out, times


def _year_ranges(text: str, values: set, tokens: list) -> tuple[set, list]:
    """1981-87: the second year written with its last two digits."""
    for m in _YEAR_RANGE.finditer(text):
        first = int(m.group(1) + m.group(2))
        second = int(m.group(1)[:2] + m.group(3))
        if not first < second < first + 100:
            continue
        year = Decimal(second)
        values = values | {year}
        tokens = [
            (raw, year, t) if t == m.group(3) and raw == int(m.group(3)) else (raw, scaled, t)
            for raw, scaled, t in tokens
        ]
    return values, tokens


#: 4 to 6 million, 4-6 million, between 4 and 6 million: the scale word belongs to both figures.
_RANGE = re.compile(
    r"(?<![\w.,])(\d+(?:\.\d+)?)\s*(?:-|–|—|~|to|or|and)\s*\d+(?:\.\d+)?\s*-?\s*(thousand|million|billion|trillion)\b",
    re.I,
)
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def _ranges(text: str, values: set, tokens: list) -> tuple[set, list]:
    """The first figure of a range read with the scale word of the second."""
    for m in _RANGE.finditer(text):
        first = Decimal(m.group(1)).normalize()
        scaled = (first * _SCALES[m.group(2).lower()]).normalize()
        values = values | {scaled}
        for i, (raw, was, token) in enumerate(tokens):
            if token == m.group(1) and raw == was == first:
                tokens = tokens[:i] + [(raw, scaled, token)] + tokens[i + 1 :]
                break
    return values, tokens


def _source_found(pair, ctx, values: set, target: str, tokens: list):
    """Each figure of the source the translation lacks: (severity, message)."""
    for v, kind, span, _ in pair_numbers(pair, ctx):
        if kind in ("month", "day", "year"):
            continue  # the date check handles them
        if kind == "cn":
            if v not in values and (v / 10) not in values:  # 七成 → 70 percent
                yield WARNING, f"the Chinese numeral in {quote(span)} ({v:,}) is not in the translation"
            continue
        if v not in values:
            ranged = kind == "day-only" and re.search(rf"[日号]\s*(?:至|到|[-—–~])\s*{re.escape(span)}", pair.source)
            if (
                kind == "day-only"
                and not ranged
                and not explained_otherwise(pair.source, span, v, kind, values, target)
            ):
                if not RELATIVE_DAY.search(target):  # a dateline carries it, or "the next day", "on Wednesday"
                    yield WARNING, f"the day {quote(span)} is not in the translation"
            elif not explained_otherwise(pair.source, span, v, kind, values, target) and not any(
                rounds(v, token) for token in tokens
            ):
                yield ERROR, f"{quote(span)} = {_fmt(v)} is not in the translation{_magnitude_hint(span, v)}"
            continue
        figure = rf"(?<![\d.]){re.escape(_plain(v))}{'0*' if '.' in _plain(v) else ''}"
        if kind == "percent" and not re.search(figure + PERCENT_AFTER, target) and not _percent_in_words(v, target):
            yield ERROR, f"{quote(span)} should read {_plain(v)} percent"
        if kind == "points" and not re.search(figure + r"\s+(?:percentage\s+)?points?\b", target):
            yield ERROR, f"{quote(span)} is percentage points, not percent"


def _percent_in_words(v: Decimal, target: str) -> bool:
    """2% → "two percent", 58% → "Fifty-eight percent", 5%到10% → "five to ten per cent": a
    percentage in words, alone or first of a range or a list."""
    return any(v in {n for n, _ in _word_percents(m)} for m in _WORD_PERCENT.finditer(target))


_NUMBER_WORD = "|".join(
    sorted((w for w in _WORDS if not w.endswith(("st", "nd", "rd", "th", "ce", "ble", "fold"))), key=len, reverse=True)
)
_WORD_NUMBER = rf"(?:{_NUMBER_WORD})(?:[\s-](?:{_NUMBER_WORD}))?"
_WORD_PERCENT = re.compile(
    rf"(?i)\b({_WORD_NUMBER})((?:\s*(?:,|to|or|and|-|–)\s*(?:{_WORD_NUMBER}))*)(?:\s+|-)(?:percent|per cent)\b"
)


def _word_value(phrase: str) -> Decimal | None:
    parts = re.split(r"[\s-]+", phrase.lower())
    if not all(p in _WORDS for p in parts):
        return None
    return Decimal(sum(_WORDS[p] for p in parts))  # fifty-eight = 50 + 8


def _word_percents(m: re.Match):
    """Each percentage a match says in words (the first, and those of its range or list)."""
    for phrase in [m.group(1), *re.split(r"\s*(?:,|\bto\b|\bor\b|\band\b|-|–)\s*", m.group(2))]:
        value = _word_value(phrase.strip()) if phrase.strip() else None
        if value is not None:
            yield value, phrase


def pair_numbers(pair, ctx) -> list:
    """The source's figures (remembered on the context for the segment)."""
    key = ("numbers", pair.source)
    if key not in ctx._found:
        ctx._found[key] = source_numbers(_mask_glossary_numbers(pair.source, ctx))
    return ctx._found[key]


def numbers(pair, ctx):
    found = pair_numbers(pair, ctx)
    if not found and not _TGT_NUM.search(pair.target) and "半" not in pair.source and "分之" not in pair.source:
        return
    target = cased_months(pair.target) if "月" in pair.source else pair.target
    if target is not pair.target:
        pair = dataclasses.replace(pair, target=target)  # JANUARY 14th is January 14th
    values, tokens, dates = _target_figures(target, frozenset(v for v, *_ in found), pair.source)
    missing = list(_source_found(pair, ctx, values, pair.target, tokens))
    yield from missing
    wrong = fraction_mismatch(pair.source, pair.target, values)
    if wrong:
        yield ERROR, wrong
    allowed = _allowed(pair, ctx, found, values, dates)
    for day in sorted(_target_days(pair.target) - allowed) if dates else ():
        # a day of a month the source does not have: a swapped or a wrong day (July 52), or one added
        yield (ERROR if missing else WARNING), f"the day {day} of a date is not in the source"
    allowed |= dates
    yield from _invented(pair, found, tokens, allowed, missing)
    if ("m" in pair.target or "M" in pair.target) and any(word in pair.source for word in _HALF_DAY_WORDS):
        yield from _wrong_half_of_the_day(pair.source, pair.target)
    hedged = sum(1 for *_, hedge in found if hedge)
    if hedged and len(_HEDGES_EN.findall(pair.target.lower())) < hedged:
        spans = ", ".join(quote(span) for _, _, span, hedge in found if hedge)
        yield WARNING, f"a hedge (nearly / more than / over / exceeded) may be missing for {spans}"


#: The part of the day a clock time belongs to (上午10点 is a.m.), and the hours each may have.
_HALF_DAY = {
    "上午": ("a.m.", range(1, 12)),
    "早上": ("a.m.", range(1, 12)),
    "早晨": ("a.m.", range(1, 12)),
    "清晨": ("a.m.", range(1, 12)),
    "凌晨": ("a.m.", range(1, 12)),
    "下午": ("p.m.", range(1, 12)),
    "傍晚": ("p.m.", range(4, 12)),
    "晚上": ("p.m.", range(6, 12)),  # 晚上1点 may be one in the morning
}
_HALF_DAY_WORDS = tuple(_HALF_DAY)
_HALF_DAY_ZH = re.compile(r"(" + "|".join(_HALF_DAY) + r")\s*(\d{1,2})\s*(?:[点时:：])\s*(\d{1,2})?")


def _wrong_half_of_the_day(source: str, target: str):
    """上午10点26分 → "10:26 p.m.": the English puts the time in the other half of the day."""
    for m in _HALF_DAY_ZH.finditer(source):
        half, hours = _HALF_DAY[m.group(1)]
        hour = int(m.group(2))
        if hour not in hours:
            continue
        minute = rf":{int(m.group(3)):02d}" if m.group(3) else r"(?::00)?"
        this, other = (r"a\.?\s?m\b", r"p\.?\s?m\b") if half == "a.m." else (r"p\.?\s?m\b", r"a\.?\s?m\b")
        said = rf"(?<![\d:.]){hour}{minute}\s*"
        if re.search(said + other, target, re.I) and not re.search(said + this, target, re.I):
            yield ERROR, f"{quote(m.group())} is {half}: the translation puts it in the other half of the day"


def _allowed(pair, ctx, found: list, values: set, dates: set) -> set:
    """Every value an English figure may have: the source's figures and the
    forms derived from them (a clock hour on the 12-hour dial, 七八十 → 70 or 80,
    6成 → 60, 一半 → 50 percent, a month → 30 days, a century's years …)."""
    source = pair.source
    allowed = {v for v, *_ in found} | _glossary_numbers(source, ctx)
    allowed |= {v + d for v, kind, *_ in found if kind == "hour" for d in (-12, 12)}
    allowed |= chinese_numeral_values(source) | _code_digits(source) | list_parts(found, values)
    if "半" in source:
        allowed.add(Decimal("0.5"))  # 半米 → 0.5 meters
        if "点半" in source or "时半" in source:
            allowed.add(Decimal(30))  # 5点半 → 5.30pm
    if "双" in source:
        allowed.add(Decimal(2))  # 双向 → 2-way
    if "atch" in pair.target and _CATCH_22.search(pair.target):
        allowed.add(Decimal(22))  # an idiom: a Catch-22
    if "年代" in source:
        allowed |= short_decades(source)  # 6、70年代 → the '60s and '70s
        allowed |= {d % 100 for d in full_decades(source, pair.target)}  # 2000年代 → the 00s
    if "/" in pair.target:
        allowed |= month_day_parts(found, pair.target)  # 911 → 9/11
    if "decade" in pair.target:
        allowed |= {v / 10 for v, *_ in found if v % 10 == 0 and v <= 200}  # 60年 → six decades
    for fraction in source_fractions(source) if "半" in source or "分之" in source else ():
        allowed |= as_percent(fraction)  # 一半 → 50%, 三分之一 → 33.3%
    if "月" in source or "周" in source or "年" in source or "天" in source or "星期" in source or "小时" in source:
        allowed |= period_equivalents(source)
    if "成" in source:  # 6成 → 60 percent
        allowed |= {
            v * 10 for v, _, span, _ in found if any(source[i : i + 1] == "成" for i in figure_ends(source, span))
        }
    if ROUND_THE_CLOCK_ZH.search(source):
        allowed |= {Decimal(24), Decimal(7)}  # 全天候, 24小时 → 24-hour, 24/7
    allowed |= {Decimal((c - 1) * 100) + d for c in centuries(source) for d in allowed if d < 100}
    allowed |= {d + y for d in _decades(source, found) for y in (1900, 2000)}
    if "上" in source and "下" in source and (parts := PARTS.search(source)):
        allowed |= {Decimal(1), Decimal(2), Decimal(3)} if parts.group(1) else {Decimal(1), Decimal(2)}
    if dates:  # 418 → April 18: the day of a month-and-day figure
        allowed |= {
            Decimal(d)
            for v, kind, *_ in found
            if kind == "plain" and (md := month_day(v)) and md in target_month_days(pair.target)
            for d in md
        }
    return allowed


def _invented(pair, found: list, tokens: list, allowed: set, missing: list):
    """Each figure of the English that no figure of the source accounts for."""
    converted = [c for v, kind, span, _ in found for c in conversions(pair.source, span, v)]
    for raw, scaled, text in tokens:
        if raw in allowed or scaled in allowed or any(near(raw, c) for c in converted):
            continue
        if scaled != raw and any(rounds(v, (raw, scaled, text)) for v in allowed if v >= 10**5):
            continue  # 1993.03万 → 19.93 million
        if bracket_conversion(pair.target, text, raw, allowed):
            continue
        # An invented figure is the worst mistake a news translation can make.  Forms derived from
        # the source pass above: ordinals from 第, Phase II from 二期 (a value), a year the source has,
        # 三百万 → 3 million, 七八十 → 70 or 80.  A year or an ordinal a translator adds for the
        # reader (the Beijing 2022 Winter Olympics, the 19th Central Committee) is a warning, unless
        # a figure of the source is missing too: then it took that figure's place.
        if not missing and (_YEARLIKE.match(text) or _ORDINAL.match(pair.target, pair.target.find(text) + len(text))):
            yield WARNING, f"{quote(text)} is not in the source: a year or an ordinal the translation adds (check it)"
        else:
            yield ERROR, f"the figure {quote(text)} is not in the source: an invented figure"


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
_CATCH_22 = re.compile(r"\b[Cc]atch[- ]22\b")
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
