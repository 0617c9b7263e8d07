"""The dates check (qa-rules R8): each date of the source in the
translation, in the house style (March 18, 2024; no ordinal), with no year
the source lacks; 2025年底 → the end of 2025; no numeric dates.

May import: numbers, pairs.
"""

from __future__ import annotations

import re

from workflow.lang.numbers import _MONTHS, _SRC_DATE, ascii_digits, cased_months
from workflow.qa.pairs import ERROR, WARNING, quote


def dates(pair, ctx):
    t = pair.target
    if "月" not in pair.source and "年底" not in pair.source:  # no date to read: only the numeric-date rule
        if _DATE_HINT.search(t) and _NUMERIC_DATE.search(t):
            yield WARNING, "numeric date format in running text; write the month as a word"
        return
    t = cased_months(t)  # JANUARY 14 (a heading, a dateline) is January 14
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
            yield WARNING, f"{quote(m.group())} should read 'the end of {m.group(1)}'"
    if _DATE_HINT.search(t) and _NUMERIC_DATE.search(t):
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
        if not ok and re.search(rf"\b{month}\s+{day}{th}\s+{year}\b", t):
            yield WARNING, f"write {name} {day}, {year} (a comma before the year)"
        elif not ok:
            yield ERROR, f"{quote(span)} should read {name} {day}, {year}"
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
            yield ERROR, f"{quote(span)} should read {name} {day}"
            return
        invented = re.search(rf"\b{name}\s+{day}{th},\s*(\d{{4}})\b", t)
        if invented and invented.group(1) not in years_in_source:
            yield WARNING, f"the year {invented.group(1)} is not in the source {quote(span)}: check it"
    if re.search(rf"\b{name}\s+{day}(?:st|nd|rd|th)\b|\b{day}(?:st|nd|rd|th)\s+(?:of\s+)?{name}\b", t):
        yield WARNING, f"write {name} {day}, not an ordinal date (house style)"


_YEAR = re.compile(r"(\d{4})年")
_YEAR_END = re.compile(r"(\d{4})年底")
#: What every numeric date holds (a cheap scan before the full pattern's).
_DATE_HINT = re.compile(r"\d[/.-]\d")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b")


# -- R9 length ------------------------------------------------------------------------------
