"""What a professional may write instead of a figure of the source, which
the numbers check (figures.py) must not call missing or invented: a unit
converted (10斤 → 5 kg, 6000亩 → 400 hectares), a month's name, a clock
time on the 12-hour dial, noon, 6成 → 60 percent, 增长1倍 → doubled, a
decade written in full, a festival's number as its date (418 → April 18),
a figure of speech (180度的大转变), a count rendered in words.

May import: numbers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from workflow.lang.numbers import _MONTHS, _TGT_DATE, _has_month, _plain

ROUND_THE_CLOCK_ZH = re.compile(r"全天候|24\s*小时|昼夜")
ROUND_THE_CLOCK_EN = re.compile(r"(?i)\b(?:a)?round[- ]the[- ]clock\b|\b24/7\b|\ball day\b|\bday and night\b")


RELATIVE_DAY = re.compile(
    r"(?i)\b(?:(?:the\s+)?(?:next|following|same|previous)\s+day|today|yesterday|tomorrow|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)
#: What follows a percentage: its sign or word, or a range ending in one (80-90%, 15 to 30 percent).
PERCENT_AFTER = r"(?:\s*(?:[-–—~,]|to|or|and)\s*[\d.]+)*\s*(?:%|percent|per cent)"  # 60 or 65 percent


#: A month abbreviated in AP style: Jan., Feb., Aug., Sept., Oct., Nov., Dec. (March to July in full).
_MONTH_ABBREVIATIONS = {1: "Jan.", 2: "Feb.", 8: "Aug.", 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}


def _abbreviated_month(month: int, target: str) -> bool:
    short = _MONTH_ABBREVIATIONS.get(month)
    return short is not None and re.search(rf"\b{re.escape(short)}(?!\w)", target) is not None


def explained_otherwise(source: str, span: str, v, kind: str, values: set, target: str) -> bool:
    """Whether a figure of the source the translation does not write as
    such is there in another form a professional may choose."""
    if kind == "month-only" and (_MONTHS[int(v) - 1] in target or _abbreviated_month(int(v), target)):
        return True
    if kind == "hour" and (values & {v - 12, v + 12} or _NOON.get(int(v), _NEVER).search(target)):
        return True
    if v == 24 and re.search(r"24\s*小时", source) and ROUND_THE_CLOCK_EN.search(target):
        return True
    if v in (0, 24) and re.search(r"0\s*[—–~-]\s*24\s*时", source):
        return True  # 0—24时: the whole day
    if v * 10 in values and any(
        source[i : i + 1] == "成" and source[i + 1 : i + 2] not in _NOT_TENTHS for i in figure_ends(source, span)
    ):
        return True  # 6成 → 60 percent
    if (
        v == 1
        and any(source[i : i + 1] == "倍" for i in figure_ends(source, span))
        and re.search(r"(?i)\bdoubl", target)
    ):
        return True  # 增长1倍 → doubled
    if v in full_decades(source, target):
        return True  # 2000年代 → the 00s
    if kind == "plain" and 1990 <= v <= 2100 and v % 10 == 0 and _DECADE_END.search(target):
        return True  # 到2030年 → "by the end of the decade"
    if kind == "decade" and values & {v + 1900, v + 2000, *(v + (c - 1) * 100 for c in centuries(source))}:
        return True  # 80年代 → the 1980s; 19世纪80年代 → the 1880s
    if month_day(v) and month_day(v) in target_month_days(target):
        return True  # 418 (a shopping festival, 4.18) → April 18
    if v in (180, 360) and any(_FULL_TURN.match(source, i) for i in figure_ends(source, span)):
        return True  # 来个180度的大转变 → totally change: a figure of speech
    if re.search(rf"(?<![\d.]){_plain(v)}\s*世纪", source) and any((v - 1) * 100 <= x < v * 100 for x in values):
        return True
    if re.search(rf"(?<![\d.,]){re.escape(_plain(v))}(?!\d|,\d)", target):
        return True  # in the translation inside a label (Peaceful Rescue-2021)
    if kind == "percent" and v == 100 and re.search(r"(?i)\b(?:all|every|entire(?:ly)?|fully|whole)\b", target):
        return True
    if any(near(x, c) for c in conversions(source, span, v) for x in values):
        return True  # 10斤 → 5 kg, 6000亩 → 400 hectares
    return (
        _rendered_in_words(source, span, v, values, target)
        or _in_larger_units(source, span, v, values, target)
        or _said_otherwise(source, span, v, kind, values, target)
    )


_DECADE_WORDS = {
    w + "ties": n for w, n in (("twen", 20), ("thir", 30), ("for", 40), ("fif", 50), ("six", 60), ("seven", 70))
} | {"eighties": 80, "nineties": 90}
_DECADE_WORD = re.compile(r"(?i)\b(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b")
#: 6、70年代: the 1960s and 1970s, the first decade written with its tens digit alone.
_SHORT_DECADE = re.compile(r"\s*[、,，]\s*\d0\s*年代")
_QUARTER_PAST = re.compile(r"(?i)\b(?:a\s+)?quarter\s+(?:past|to|after)\b|\bhalf\s+past\b")


def _said_otherwise(source: str, span: str, v, kind: str, values: set, target: str) -> bool:
    """90年代 → the nineties; 6、70年代 → the '60s and '70s; 911 → 9/11; 8点15分 → a quarter past eight."""
    if kind == "decade" and (m := _DECADE_WORD.search(target)) and _DECADE_WORDS[m.group(1).lower()] == v:
        return True
    ends = list(figure_ends(source, span))
    if v < 10 and v * 10 in values and any(_SHORT_DECADE.match(source, i) for i in ends):
        return True
    if (md := month_day(v)) and f"{md[0]}/{md[1]}" in target:
        return True  # 911事件 → 9/11
    return v in (15, 30, 45) and "分" in source and bool(_QUARTER_PAST.search(target))


def centuries(source: str) -> set:
    """20世纪 → 20: its decades (六七十年代) may be written 1960s and 1970s."""
    return {int(c) for c in re.findall(r"(\d{1,2})\s*世纪", source)} if "世纪" in source else set()


def short_decades(source: str) -> set:
    """6、70年代 → 60: the decade the source writes with its tens digit alone."""
    return {Decimal(int(m.group(1)) * 10) for m in re.finditer(r"(?<!\d)(\d)(?=\s*[、,，]\s*\d0\s*年代)", source)}


_DECADE_END = re.compile(r"\b(?:end|close|turn) of (?:the|this) decade\b")
#: 1980年代, 2000年代: a decade written with its four digits.
_FULL_DECADE_ZH = re.compile(r"(?<![\d.])((?:1\d|20)\d0)\s*年代")


def full_decades(source: str, target: str) -> set:
    """The four-digit decades of the source the English writes with two digits (2000年代 → the 00s, '80s)."""
    if "年代" not in source:
        return set()
    return {
        Decimal(m.group(1))
        for m in _FULL_DECADE_ZH.finditer(source)
        if re.search(rf"(?<![\d.])['’]?{m.group(1)[2:]}s\b", target)
    }


def month_day_parts(found: list, target: str) -> set:
    """The month and day of a month-and-day figure the English writes as a date (911 → 9/11)."""
    return {
        Decimal(d)
        for v, kind, *_ in found
        if kind == "plain" and (md := month_day(v)) and f"{md[0]}/{md[1]}" in target
        for d in md
    }


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
#: The unit after a figure, or after a range the figure opens (2-4 公顷 → 5-10 acres).
_UNIT_AFTER = re.compile(
    r"(?:\s*[-–—~～至到]\s*[\d.]+)?\s*(" + "|".join(sorted(_CONVERSIONS, key=len, reverse=True)) + ")"
)
_CELSIUS = re.compile(r"(?:\s*[-–—~～至到]\s*[\d.]+)?\s*(?:摄氏度|℃|°C|度)")
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
PARTS = re.compile(r"上(中)?下[两二三]?(?:册|集|卷|篇|部|编|阕)")


def month_day(v) -> tuple[int, int] | None:
    """418 → (4, 18), 1111 → (11, 11): a figure that reads as a month and a day (a festival's date)."""
    n = int(v) if v == v.to_integral_value() and 101 <= v <= 1231 else 0
    return (n // 100, n % 100) if n and 1 <= n // 100 <= 12 and 1 <= n % 100 <= 31 else None


def target_month_days(target: str) -> set:
    """(month, day) of each month date in the English (April 18, 18 April)."""
    out = set()
    for m in _TGT_DATE.finditer(target) if _has_month(target) else ():
        out.add((_MONTHS.index(m.group(1) or m.group(5)) + 1, int(m.group(2) or m.group(4))))
    return out


def near(x, y) -> bool:
    return y > 0 and abs(float(x) - y) <= 0.03 * y + 0.5 * (y >= 10)


def conversions(source: str, span: str, v) -> list[float]:
    """What the figure ``span`` may be converted to, by the unit after it (32.2摄氏度 → 90 °F)."""
    for i in figure_ends(source, span):
        m = _UNIT_AFTER.match(source, i)
        if m:
            return [float(v) * f for f in _CONVERSIONS[m.group(1)]]
        if "度" in source[i : i + 12] or "℃" in source[i : i + 12]:
            if _CELSIUS.match(source, i):
                return [float(v) * 1.8 + 32]
    return []


def bracket_conversion(target: str, text: str, raw, allowed: set) -> bool:
    """A figure in brackets that converts a figure of the source: (6.2 miles)."""
    i = target.find(text)
    if i < 0 or "(" not in target[max(0, i - 3) : i + 1]:
        return False
    for unit, factors in _BRACKET_UNITS:
        if unit.match(target, i + len(text)):
            return any(near(raw, float(a) * f) for a in allowed if a > 0 for f in factors)
    return False


def _rendered_in_words(source: str, span: str, v, values: set, target: str) -> bool:
    """耶鲁等3所 → Yale and two others (the count less the one named); 1个 → a, each, per."""
    if v - 1 in values and any(source[i - len(span) - 1 : i - len(span)] == "等" for i in figure_ends(source, span)):
        return True
    if v != 1 or not any(source[i : i + 1] in _CLASSIFIERS and source[i : i + 1] for i in figure_ends(source, span)):
        return False
    return bool(re.search(r"\b(?:a|an|each|per|single|every|once)\b", target, re.I))


#: 12时 → noon, 0时 and 24时 → midnight.
_NOON = {
    12: re.compile(r"(?i)\b(?:noon|midday|midnight)\b"),
    0: re.compile(r"(?i)\bmidnight\b"),
    24: re.compile(r"(?i)\bmidnight\b"),
}
_NEVER = re.compile(r"(?!)")


def figure_ends(source: str, span: str):
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


_YEARS_AFTER = re.compile(r"\s*(?:多|余)?\s*(?:个)?年")
_DECADES_EN = re.compile(r"\bdecades?\b")
_CENTURY_EN = re.compile(r"\bcentur(?:y|ies)\b")


def _in_larger_units(source: str, span: str, v, values: set, target: str) -> bool:
    """20多年 → "over two decades", 100年 → "a century"; 249,289,299 (a
    list of figures the source runs together with commas) → 249, 289 and 299."""
    if "," in span and all(Decimal(g) in values for g in span.split(",") if g):
        return True
    if v % 10 or not any(_YEARS_AFTER.match(source, i) for i in figure_ends(source, span)):
        return False
    if v % 100 == 0 and _CENTURY_EN.search(target) and (v == 100 or v / 100 in values):
        return True
    return bool(_DECADES_EN.search(target)) and (v == 10 or v / 10 in values)


def list_parts(found: list, values: set) -> set:
    """The parts of each comma-grouped figure of the source the translation
    does not write whole (249,289,299 may be three prices)."""
    return {Decimal(g) for v, kind, span, _ in found if "," in span and v not in values for g in span.split(",") if g}


# -- fractions and periods ---------------------------------------------------------------------------

#: 一半, 半数, 过半, 近半, 大半, 减半: a half; 三分之一, 3分之2: a fraction (Y/X).
_HALF_ZH = re.compile(r"一半|半数|过半|近半|大半|减半|对半|多半|半壁")
_FRACTION_ZH = re.compile(r"([一二两三四五六七八九十百\d]+)\s*分之\s*([一二两三四五六七八九十\d]+)")
#: A fraction in words (half, a third, two-thirds, three quarters) or digits (1/3).
_FRACTION_EN = re.compile(
    r"\b(?:(a|one|two|three|four)[\s-]+(third|thirds|quarter|quarters|fifth|fifths)|(half|halved|halve))\b"
    r"|(?<![\d/])([1-9])/([2-9])(?![\d/])",
    re.I,
)
_CN_SMALL = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "百": 100,
}
_EN_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_EN_PART = {"third": 3, "quarter": 4, "fifth": 5}


def _small(text: str) -> int:
    return int(text) if text.isdigit() else _CN_SMALL.get(text, 0) if len(text) == 1 else 0


def source_fractions(source: str) -> set:
    """The fractions the source states: 一半 → 1/2, 三分之一 → 1/3."""
    out = {Fraction(1, 2)} if "半" in source and _HALF_ZH.search(source) else set()
    for m in _FRACTION_ZH.finditer(source) if "分之" in source else ():
        whole, part = _small(m.group(1)), _small(m.group(2))
        if whole and 0 < part < whole:
            out.add(Fraction(part, whole))
    return out


def target_fractions(target: str) -> set:
    """The fractions the translation writes in words or as 1/3."""
    out = set()
    for m in _FRACTION_EN.finditer(target):
        if m.group(3):
            out.add(Fraction(1, 2))
        elif m.group(4):
            out.add(Fraction(int(m.group(4)), int(m.group(5))))
        else:
            out.add(Fraction(_EN_COUNT[m.group(1).lower()], _EN_PART[m.group(2).lower().rstrip("s")]))
    return out


def as_percent(fraction: Fraction) -> set:
    """1/2 → 50; 1/3 → 33, 33.3, 33.33: how a translation may write the fraction as a percentage."""
    exact = Decimal(fraction.numerator * 100) / Decimal(fraction.denominator)
    return {exact.quantize(Decimal(q)).normalize() for q in ("1", "0.1", "0.01")}


def fraction_mismatch(source: str, target: str, values: set) -> str | None:
    """What is wrong when a fraction of the source is rendered as another one
    (一半 → "a third"); a fraction the translation leaves implicit is not asked for."""
    wanted = source_fractions(source) if "半" in source or "分之" in source else set()
    if not wanted:
        return None
    written = target_fractions(target)
    if any(f in written or as_percent(f) & values for f in wanted) or not written - wanted:
        return None
    said = ", ".join(f"{f.numerator}/{f.denominator}" for f in sorted(wanted))
    got = ", ".join(f"{f.numerator}/{f.denominator}" for f in sorted(written - wanted))
    return f"the source says {said}, the translation {got}"


#: 一个月, 3个月, 两周, 半年: a period a translation may give in another unit (a month → 30 days).
_PERIOD = re.compile(r"(\d{1,2}|[一二两三四五六七八九十半])\s*(?:个)?(月|周|星期|年|天|小时)")
_PERIOD_UNITS = {
    "月": (30, 31, 4),
    "周": (7,),
    "星期": (7,),
    "年": (12, 365, 52),
    "天": (24,),
    "小时": (60,),
}


def period_equivalents(source: str) -> set:
    """一个月 → 30, 31 (days) and 4 (weeks); 两周 → 14 days; 半年 → 6 months."""
    out: set[Decimal] = set()
    for m in _PERIOD.finditer(source):
        count = Decimal("0.5") if m.group(1) == "半" else Decimal(_small(m.group(1)) or 0)
        if m.group(2) == "月" and source[m.end(2) : m.end(2) + 1] in "份底初中":
            continue  # 3月份, 1月底: a month of the year, not a period
        out.update(count * factor for factor in _PERIOD_UNITS[m.group(2)])
    out.discard(Decimal(0))
    return {v.normalize() for v in out if v == v.to_integral_value()}


def rounds(v, token: tuple) -> bool:
    """An English figure with a scale word that is ``v`` rounded to the digits
    it writes, three at least (1993.03万 = 19,930,300 → "19.93 million")."""
    raw, scaled, text = token
    digits = raw.as_tuple()
    if scaled == raw or len(digits.digits) < 3 or not v:
        return False
    unit = (scaled / raw) * Decimal(10) ** min(0, digits.exponent)
    return abs(scaled - v) * 2 <= unit
