"""Numbers, dates and names in Chinese and English text: what the checks
compare and the translation memory treats as placeables.

The Chinese side reads figures with their magnitudes (万 = 10⁴, 亿 = 10⁸,
万亿 = 10¹²), percentages and percentage points, dates, and the Chinese
numerals that count (两年, 二期, 第四届, 七成); the English side reads digits
with or without thousands commas and scale words, number words, ordinals,
Roman phase numbers and month dates.  (placeables.py lets the memory offer
last month's paragraph with this month's figures.)

May import: nothing from the package.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_MULT = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,  # 5千万 = 50 million
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
}
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12, "k": 10**3}
#: Scale words a translation may read with, beyond those it writes itself: £1.7m, £6bn (British
#: papers), 14 lakh, 2 crore (Indian English).
_SCALE_READ = {**_SCALE, "m": 10**6, "bn": 10**9, "lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7}
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twice": 2,
    "thrice": 3,
    "double": 2,
    "twofold": 2,
    "threefold": 3,
    "fourfold": 4,
    "fivefold": 5,
    "tenfold": 10,
    "hundredfold": 100,
    "centenary": 100,
    "centennial": 100,
    "bicentenary": 200,
    "bicentennial": 200,
    "dozen": 12,
    "once": 1,
    "decade": 10,
}
_ROMAN = {"II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

#: 2024年3月18日, 3月18号; formal and scanned text may space the parts (2 月10日, 2023 年 2 月 10 日).
_SRC_DATE = re.compile(r"(?:(\d{4})[ \t]?年[ \t]?)?(\d{1,2})[ \t]?月[ \t]?(\d{1,2})[ \t]?[日号]")
#: 1100多万, 30余万: the hedge between the figure and its magnitude (group 2).
_SRC_NUM = re.compile(
    r"(?<![\d.])(?<!\d,)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:(?:余|多)(?=万|亿))?"
    r"(万亿|亿|千万|百万|万|千(?![米克瓦卡帕伏赫焦]))?(%|％|个百分点|百分点)?"
)
#: A figure in English: 1,234,567, 2,06,737 (Indian grouping) or 1234, a decimal part, a scale word.
_TGT_NUM = re.compile(
    r"(?<![\w.])(\d{1,2}(?:,\d{2})+,\d{3}(?!\d)|\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*-?\s*(thousand|million|billion|trillion|lakhs?|crores?|(?-i:K|k|bn|m)\b))?",
    re.I,
)
_TGT_DATE = re.compile(
    r"\b("
    + "|".join(_MONTHS)
    + r")\s+(\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:,\s*(\d{4}))?|(?<![:\d])\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
    + "|".join(_MONTHS)
    + r")(?:,?\s+(\d{4}))?"
)
#: Full-width digits and signs as ASCII, one character for one (spans are kept).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％：", "0123456789.%:")


_FULLWIDTH_ANY = re.compile("[０-９．％：]")


def ascii_digits(text: str) -> str:
    """２０日 → 20日: full-width digits read as digits (positions kept)."""
    return text.translate(_FULLWIDTH) if not text.isascii() and _FULLWIDTH_ANY.search(text) else text


_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _cn_value(numeral: str) -> int:
    """十四 → 14, 二十 → 20, 十 → 10, 五 → 5."""
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)
    return _CN_DIGIT[numeral]


#: Chinese numerals that count (qa-rules R7e), as (pattern, how to read it, a
#: character every match holds: a text without it is not scanned).
_CN_NUMBERS = [
    (re.compile(r"(十[一二三四五六七八九]?|[一二三四五六七八九])五(?=[”\"」]|期间|规划|开局|时期)"), "plan", "五"),
    (re.compile(r"第([一二三四五六七八九十]{1,3})(?=[届座个次批期项名])"), "ordinal", "第"),
    (
        re.compile(
            r"(?<![\d一二三四五六七八九十两百千万亿第])([二两三四五六七八九十]{1,3})(?=年|个月|期|大领域|难|座|届|家|项|个国|国|高|新|天|次|倍)"
        ),
        "count",
        "",
    ),
    (
        re.compile(r"(?<![\d一二三四五六七八九十])([一二三四五六七八九])成(?!为|立|功|果|本|交|效|员|长|熟|型)"),
        "tenths",
        "成",
    ),
    (re.compile(r"(?<![\d.])(百|千)亿"), "hundreds", "亿"),
]


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


#: Labels that carry digits (CCTV-2, LP700-4, U18, COVID-19, MP3, 4G5): not amounts; the
#: alphanumeric-code check compares them.
CODE = re.compile(
    r"(?<![A-Za-z0-9])(?!(?:RMB|USD|HKD|CNY|EUR|GBP|JPY|US|HK|NT|MOP)\$?\d)"
    r"(?:[A-Za-z]+[-_]?\d+(?:[-./]\d+)*[A-Za-z]*|\d+[A-Za-z]+\d+[A-Za-z0-9]*)"
)
_SRC_MONTH = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:(?:至|到|-|—|~|～|、)\s*(\d{1,2})\s*)?月(?:份)?(?!\d)")
#: 80年代 (the 1980s), 95后 (born after 1995): two digits of a year.
_SRC_DECADE = re.compile(r"(?<![\d.])(\d0)\s*年代|(?<![\d.])(\d{2})\s*后(?=的|[，。、\s”’」\"女男生青]|$)")
_SRC_MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})月(\d{1,2})(?![\d日号])")
_SRC_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*[日号](?!元)")
_SRC_CLOCK = re.compile(
    r"(?<![\d.])(\d{1,2}):(\d{2})(?!\d)|(?<![\d.])(\d{1,2})\s*(?:点|时)(?![间代期候装尚刻])"
    r"|(?<=[午上晚])\s*(\d{1,2})\.([0-5]\d)(?![\d.])"  # 下午 5.30 (British style in Chinese text)
)
_SRC_DOTTED = re.compile(r"(?<![\d.])(\d{4})\.(\d{1,2})\.(\d{1,2})(?![\d.])")
#: 2万4801 = 24,801; 75万7千 = 757,000, 3万5百 = 30,500 (the unit of the part after 万).
_SRC_WAN = re.compile(r"(?<![\d.])(\d+)万(\d{1,4})(千|百)?(?![\d.%％])")
_WAN_PART = {"千": 1000, "百": 100, None: 1}
#: 4亿5千万 = 450 million, 3亿2000万 = 320 million, 1亿零500万: a figure of 亿 and one of 万 after it.
_SRC_YI = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)亿零?(\d{1,4})(千万|百万|万)(?![\d.%％])")
_LATIN_DIGIT = re.compile(r"[A-Za-z][-_]?\d|\d[A-Za-z]")
_HEDGES_ZH = ("超过", "突破", "近", "超", "逾", "约", "破")


def _blank(text: str, m: re.Match) -> str:
    return text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]


def _source_dates(text: str, out: list) -> str:
    """Dates, months alone (3月份, 3至6月), days alone (11日), clock times
    and labels: read into ``out`` and blanked out of the text returned."""
    for m in list(_SRC_DATE.finditer(text)) if "日" in text or "号" in text else ():
        year, month, day = m.groups()
        if year:
            out.append((Decimal(year), "year", m.group(), ""))
        out.append((Decimal(month), "month", m.group(), ""))
        out.append((Decimal(day), "day", m.group(), ""))
        text = _blank(text, m)
    for m in list(_SRC_DOTTED.finditer(text)) if "." in text else ():
        out += [
            (Decimal(m.group(1)), "plain", m.group(), ""),
            (Decimal(m.group(2)), "month-only", m.group(), ""),
            (Decimal(m.group(3)), "day-only", m.group(), ""),
        ]
        text = _blank(text, m)
    for m in list(CODE.finditer(text)) if _LATIN_DIGIT.search(text) else ():
        text = _blank(text, m)
    for m in list(_SRC_MONTH_DAY.finditer(text)) if "月" in text else ():  # 7月17和7月22日
        if 1 <= int(m.group(1)) <= 12:
            out += [
                (Decimal(m.group(1)), "month-only", m.group(), ""),
                (Decimal(m.group(2)), "day-only", m.group(), ""),
            ]
            text = _blank(text, m)
    for pattern, kind, needed in (
        (_SRC_DECADE, "decade", "代后"),
        (_SRC_MONTH, "month-only", "月"),
        (_SRC_DAY, "day-only", "日号"),
        (_SRC_CLOCK, "hour", ":点时午晚"),
    ):
        for m in list(pattern.finditer(text)) if any(c in text for c in needed) else ():
            groups = [g for g in m.groups() if g]
            if kind == "month-only" and not all(1 <= int(g) <= 12 for g in groups):
                continue
            if kind == "hour":
                groups = [groups[0]] + [g for g in groups[1:] if int(g)]  # 9:30 → 9 and 30; 16:00 → 16
                out.append((Decimal(groups[0]), "hour", m.group(), ""))
                out += [(Decimal(g), "plain", m.group(), "") for g in groups[1:]]
            else:
                out += [(Decimal(g), kind, m.group(), "") for g in groups]
            text = _blank(text, m)
    for m in list(_SRC_YI.finditer(text)) if "亿" in text else ():  # 4亿5千万 = 450 million
        value = Decimal(m.group(1)) * 10**8 + Decimal(m.group(2)) * _MULT[m.group(3)]
        out.append((value.normalize(), "plain", m.group(), ""))
        text = _blank(text, m)
    for m in list(_SRC_WAN.finditer(text)) if "万" in text else ():  # 2万4801 = 24,801
        value = Decimal(m.group(1)) * 10**4 + Decimal(m.group(2)) * _WAN_PART[m.group(3)]
        out.append((value, "plain", m.group(), ""))
        text = _blank(text, m)
    return text


_RANGE_SCALE = re.compile(r"\s*(?:-|—|–|~|～|至|到)\s*\d+(?:\.\d+)?\s*(万亿|亿|千万|百万|万)")


def _hedge(masked: str, m: re.Match) -> str:
    before = masked[max(0, m.start() - 2) : m.start()]
    after = masked[m.end() : m.end() + 2]
    for h in _HEDGES_ZH:
        if before.endswith(h):
            # 签约 (sign), 节约 (save), 预约 (book) are not "about"
            if h == "约" and len(before) == 2 and before[0] in "签节预公条合协制相契邀违履":
                continue
            return h
    if "余" in m.group() or "多" in m.group() or after.startswith(("余", "多", "左右")) or after[1:2] == "余":
        return "余"
    return ""


def source_numbers(text: str):
    """(value, kind, span text, hedge) for every number in Chinese text.
    kind: plain, percent, points, year, month, day (of a full date),
    month-only (3月份), day-only (11日), hour (16:00, 4点), decade (80年代, 95后),
    cn (a Chinese numeral)."""
    out: list = []
    masked = _source_dates(ascii_digits(text), out)
    for m in _SRC_NUM.finditer(masked):
        number, mult, unit = m.groups()
        if not mult and not unit and (shared := _RANGE_SCALE.match(masked, m.end())):
            mult = shared.group(1)  # 300-800万: the scale of the range's end is the start's too
        value = Decimal(number.replace(",", "")) * _MULT.get(mult or "", 1)
        kind = "percent" if unit in ("%", "％") else "points" if unit else "plain"
        out.append((value.normalize(), kind, m.group(), _hedge(masked, m)))
    out += _chinese_numerals(masked)
    return out


def _chinese_numerals(masked: str) -> list:
    out = []
    for pattern, how, needed in _CN_NUMBERS:
        for m in pattern.finditer(masked) if needed in masked else ():
            numeral = m.group(1)
            if how == "hundreds":
                value = Decimal(10) ** (10 if numeral == "百" else 11)
                hedge = "超" if masked[max(0, m.start() - 1) : m.start()] in ("破", "超") else ""
                out.append((value, "cn", m.group(), hedge))
                continue
            try:
                value = Decimal(_cn_value(numeral))
            except KeyError:
                continue
            if how == "tenths":
                value *= 10
            out.append((value, "cn", m.group(), ""))
    return out


_NOT_TENTHS = tuple("为立功果本交效员长熟型")
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}


def _parse_cn(run: str) -> int:
    """三百万 → 3000000, 一百二十 → 120, 二十四 → 24, 十 → 10, 万 → 10000."""
    total = section = number = 0
    for ch in run:
        if ch in _CN_UNITS:
            section += (number or 1) * _CN_UNITS[ch]
            number = 0
        elif ch in _CN_BIG:
            total = (total + section + number or 1) * _CN_BIG[ch]
            section = number = 0
        else:
            number = _CN_DIGIT.get(ch, 0)
    return total + section + number


def chinese_numeral_values(text: str) -> set:
    """Every value a run of Chinese numerals may stand for in a translation:
    the whole numeral (三百万 → 3,000,000; 第一百二十 → 120), and each digit
    alone or with the units after it (七八十 → 70 and 80; 五六百 → 500, 600;
    三四五六年级 → 3, 4, 5, 6).  Figures the English may write as digits."""
    out = set()
    for m in _CN_RUN.finditer(text) if any(c in text for c in "一二两三四五六七八九十百千万亿") else ():
        run = m.group()
        if text[m.end() : m.end() + 1] == "成" and text[m.end() + 1 : m.end() + 2] not in _NOT_TENTHS:
            out.add(Decimal(_parse_cn(run) * 10))  # 七成 is 70 percent, never 7
            continue
        out.add(Decimal(_parse_cn(run)))
        out.update(Decimal(_parse_cn(run[:n])) for n in range(1, min(len(run), 8)))  # 十四五 → 14
        digits = [ch for ch in run if ch in _CN_DIGIT and ch != "十"]
        tail = run[len(run.rstrip("十百千万亿")) :]
        scale = 1
        for ch in tail:
            scale *= _CN_UNITS.get(ch) or _CN_BIG.get(ch, 1)
        for ch in digits:
            out.add(Decimal(_CN_DIGIT[ch]))
            out.add(Decimal(_CN_DIGIT[ch] * scale))
        for ch in run:
            if ch in _CN_UNITS or ch in _CN_BIG:
                out.add(Decimal(_CN_UNITS.get(ch) or _CN_BIG[ch]))
        out |= _neighbours(run)
    out.discard(Decimal(0))
    return out


def _neighbours(run: str) -> set:
    """An approximation by two neighbouring digits inside a larger numeral
    (一万六七千 → 16,000 and 17,000; 三千五六百 → 3,500 and 3,600): the
    numeral read with each of the two digits alone."""
    out = set()
    for i in range(len(run) - 1):
        a, b = run[i], run[i + 1]
        if a in _CN_DIGIT and b in _CN_DIGIT and "十" not in (a, b) and i + 2 < len(run):
            out.add(Decimal(_parse_cn(run[: i + 1] + run[i + 2 :])))
            out.add(Decimal(_parse_cn(run[:i] + run[i + 1 :])))
    return out


def target_numbers(text: str):
    """(values, digit tokens) in English text: each number with and without
    its scale word, number words, ordinals and Roman phase numbers."""
    values: set[Decimal] = set()
    tokens = []
    if "RMB" in text or "HKD" in text or "USD" in text:  # RMB280 million: the currency apart (positions kept)
        text = _CURRENCY.sub(lambda m: " " * len(m.group()), text)
    for m in _TGT_NUM.finditer(text) if _DIGIT.search(text) else ():  # most segments hold few digits, many none
        whole, frac, scale = m.groups()
        raw = _dec(whole + (frac or ""))
        if raw is None:
            continue
        values.add(raw.normalize())
        if scale:
            values.add((raw * _SCALE_READ[scale.lower()]).normalize())
        tokens.append(
            (raw.normalize(), (raw * _SCALE_READ[scale.lower()]).normalize() if scale else raw.normalize(), m.group())
        )
    low = text.lower()
    if len(low) == len(text):  # lower-casing kept every position: one case-sensitive pass finds them all
        found = ((m.group(), m) for m in _NUMBER_WORD_LOW.finditer(low))
    else:
        found = (
            (word, m) for word in _WORDS.keys() & set(_LETTERS.findall(low)) for m in _NUMBER_WORDS[word].finditer(text)
        )
    for word, m in found:  # number words, each with the scale word after it
        raw = Decimal(_WORDS[word])
        values.add(raw)
        scale = _SCALE_AFTER.match(text, m.end())
        if scale:
            values.add(raw * _SCALE[scale.group(1).lower()])
    if "ty" in low:
        for m in _COMPOUND.finditer(low):  # thirty-two, Thirty two
            values.add(Decimal(_WORDS[m.group(1)] + _WORDS[m.group(2)]))
    if "hase" in text:
        for m in _PHASE.finditer(text):
            values.add(Decimal(_ROMAN[m.group(1)]))
    if "illion" in low or "thousand" in low:
        values |= {Decimal(_SCALE[m.group(1)]) for m in _A_SCALE.finditer(low)}  # per million, a billion
        values |= {_PARTS_OF[m.group(1)] * _SCALE[m.group(2)] for m in _PART_OF_A.finditer(low)}  # half a million
    if "and a half" in low:
        values |= {_half_more(m.group(1)) for m in _AND_A_HALF.finditer(low)}  # three and a half
    return values, tokens


_DIGIT = re.compile(r"\d")
_CURRENCY = re.compile(r"(?:RMB|HKD|USD)(?=\d)")
_LETTERS = re.compile(r"[a-z]+")  # a prefilter: each word found is then matched as a whole word
#: Any number word in lower-cased text; the lookahead on first letters lets most positions fail at once.
_NUMBER_WORD_LOW = re.compile(
    r"\b(?=["
    + "".join(sorted({w[0] for w in _WORDS}))
    + r"])(?:"
    + "|".join(sorted(_WORDS, key=len, reverse=True))
    + r")\b"
)
#: Each number word as a whole word, any case.
_NUMBER_WORDS = {word: re.compile(rf"(?<!\w){word}(?!\w)", re.I) for word in _WORDS}
_COMPOUND = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]"
    r"(one|two|three|four|five|six|seven|eight|nine)\b"
)
_SCALE_AFTER = re.compile(r"[\s-]+(thousand|million|billion|trillion)\b", re.I)
_PHASE = re.compile(r"\b(?:Phase|phase)\s+(II|III|IV|V|VI|VII|VIII|IX|X)\b")
#: A part of a scale word: "a quarter of a million", "half a million", "three quarters of a billion".
_PARTS_OF = {"a quarter": Decimal("0.25"), "half": Decimal("0.5"), "three quarters": Decimal("0.75")}
_PART_OF_A = re.compile(r"\b(a quarter|half|three quarters)(?: of)? a (thousand|million|billion|trillion)\b")
_AND_A_HALF = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty) and a half\b")


def _half_more(whole: str) -> Decimal:
    return (Decimal(whole) if whole.isdigit() else Decimal(_WORDS[whole])) + Decimal("0.5")


#: A scale word standing for one of itself: "per million departures", "a billion people", "the million".
_A_SCALE = re.compile(r"\b(?:a|per|the)\s+(thousand|million|billion|trillion)\b")
#: All-capital month names (JANUARY 14th, in a heading or a dateline): read as the month.
_CAPS_RUN = re.compile(r"[A-Z]{3}")
_MONTHS_CAPS = re.compile(r"\b(?:" + "|".join(m.upper() for m in _MONTHS) + r")\b")


def cased_months(text: str) -> str:
    """``text`` with month names in capitals written as names (same length, same positions)."""
    return _MONTHS_CAPS.sub(lambda m: m.group().title(), text) if _CAPS_RUN.search(text) else text


def _has_month(text: str) -> bool:
    return any(month in text for month in _MONTHS)


def _target_date_values(text: str) -> set:
    out = set()
    for m in _TGT_DATE.finditer(text):
        for g in m.groups():
            if g and g.isdigit():
                out.add(Decimal(g))
    return out


def _fmt(v: Decimal) -> str:
    if v >= 10**9 and v % 10**7 == 0:
        return f"{_plain(v / 10**9)} billion"
    if v >= 10**6 and v % 10**4 == 0:
        return f"{_plain(v / 10**6)} million"
    return f"{v:,f}".rstrip("0").rstrip(".") if "." in f"{v:f}" else f"{v:,f}"


def _plain(v: Decimal) -> str:
    s = f"{v.normalize():f}"
    return s
