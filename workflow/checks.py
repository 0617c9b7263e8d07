"""Quality checks for a Chinese source and an English target (qa-rules R1–R14).

Each check is a small function ``check(pair, ctx) -> iterable of (severity,
message)``, named after the problem it finds and gathered in ``CHECKS``.
Document-wide checks take all pairs: ``doc_check(pairs, ctx)``.  Pure: no
files, no polib.

May import: text, segment, glossary, numbers, stylecheck.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .glossary import Glossary, Term
from .numbers import (_MONTHS, _SRC_DATE, _TGT_DATE, _TGT_NUM, _fmt, _has_month, _plain, _target_date_values,
                      source_numbers, target_numbers)
from .segment import split_english_sentences, split_sentences
from .stylecheck import STYLE_CHECKS
from .text import CJK_SCRIPT, HAN_RANGES, han_chars

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
            self._forbidden = [(v, t) for t in self.glossary.terms for v in forbidden_variants(t)
                               if not any(v in alt for alt in t.alternatives)]
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
        yield WARNING, f"double space in {_quote(inner[max(0, i - 15): i + 15])}"
    for ch, name in (("\t", "tab"), ("\n", "line break"), ("\u3000", "ideographic space U+3000"), ("\u00a0", "no-break space U+00A0")):
        if ch in inner and ch not in s:
            yield WARNING, f"{name} in the translation"


# -- R4 R5 R6: leftovers and balance ---------------------------------------------------

_CJK_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uffef\ufe10-\ufe1f\ufe30-\ufe4f]")


def chinese_characters(pair, ctx):
    found = CJK_SCRIPT.findall(pair.target)
    if found:
        i = CJK_SCRIPT.search(pair.target).start()
        yield ERROR, f"Chinese characters left in the English: {''.join(dict.fromkeys(found))[:12]} in {_quote(pair.target[max(0, i - 15): i + 15])}"


def chinese_punctuation(pair, ctx):
    t = pair.target
    found = [c for c in _CJK_PUNCT.findall(t) if c != "\u3000"]
    if found:
        yield ERROR, f"Chinese punctuation left in the English: {' '.join(dict.fromkeys(found))}"
    if "——" in t:
        yield WARNING, "Chinese double dash '——': use one '—', a colon or a comma"
    if "……" in t:
        yield WARNING, "Chinese ellipsis '……': use '…' or rephrase"


_APOSTROPHE = re.compile(r"(?<=[A-Za-z])[’'](?=[A-Za-z])|(?<=s)[’'](?=\s|$|[,.;:!?])")


_BRACKET = re.compile(r"[()\[\]“”‘’]")


def unbalanced_brackets(pair, ctx):
    t = _APOSTROPHE.sub("", pair.target) if ("'" in pair.target or "’" in pair.target) else pair.target
    pairs = {")": "(", "]": "[", "”": "“", "’": "‘"}
    stack: list[str] = []
    for ch in _BRACKET.findall(t):  # only the brackets, not every character
        if ch in "([“‘":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack[-1] != pairs[ch]:
                yield ERROR, f"unbalanced {ch!r} in the translation"
                return
            stack.pop()
    if stack:
        yield ERROR, f"{stack[-1]!r} is never closed"
    if t.count('"') % 2:
        yield ERROR, "an odd number of straight double quotes"
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


def numbers(pair, ctx):
    src = _mask_glossary_numbers(pair.source, ctx)
    found = source_numbers(src)
    if not found and not _TGT_NUM.search(pair.target):
        return
    has_month = _has_month(pair.target)
    target = _TGT_DATE.sub(lambda m: " " * len(m.group()), pair.target) if has_month else pair.target
    values, tokens = target_numbers(target)
    dates = _target_date_values(pair.target) if has_month else set()
    allowed = {v for v, *_ in found} | dates
    for v, kind, span, _ in found:
        if kind in ("month", "day", "year"):
            continue  # the date check handles them
        if kind == "cn":
            if v not in values and (v / 10) not in values:  # 七成 → 70 percent
                yield WARNING, f"the Chinese numeral in {_quote(span)} ({v:,}) is not in the translation"
            continue
        if v not in values:
            hint = _magnitude_hint(span, v)
            yield ERROR, f"{_quote(span)} = {_fmt(v)} is not in the translation{hint}"
            continue
        if kind == "percent" and not re.search(rf"(?<![\d.]){re.escape(_plain(v))}\s*(%|percent|per cent)", target):
            yield ERROR, f"{_quote(span)} should read {_plain(v)} percent"
        if kind == "points" and not re.search(rf"(?<![\d.]){re.escape(_plain(v))}\s+percentage points?", target):
            yield ERROR, f"{_quote(span)} is percentage points, not percent"
    extra_ok = allowed | _glossary_numbers(pair.source, ctx)
    for raw, scaled, text in tokens:
        if raw in extra_ok or scaled in extra_ok or raw in dates:
            continue
        # An invented figure is the worst mistake a news translation can make.  Forms derived from
        # the source pass above: ordinals from 第, Phase II from 二期 (a value), a year the source has.
        yield ERROR, f"the figure {_quote(text)} is not in the source: an invented figure"
    hedged = sum(1 for *_, hedge in found if hedge)
    if hedged and len(_HEDGES_EN.findall(pair.target.lower())) < hedged:
        spans = ", ".join(_quote(span) for _, _, span, hedge in found if hedge)
        yield WARNING, f"a hedge (nearly / more than / over / exceeded) may be missing for {spans}"


def _mask_glossary_numbers(text: str, ctx) -> str:
    """Digits inside a glossary name (世界500强, 6系…8系/9系) are labels, not
    amounts; mask those whose digits the glossary target does not keep."""
    for start, term in ctx.terms(text):
        digits = term.source_digits
        if digits and not all(d in term.target for d in digits):
            text = text[:start] + " " * len(term.source) + text[start + len(term.source):]
    return text


def _glossary_numbers(text: str, ctx) -> set:
    out = set()
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
    years_in_source = set(_YEAR.findall(pair.source)) if "年" in pair.source else set()
    for m in _SRC_DATE.finditer(pair.source):
        year, month, day = m.groups()
        name = _MONTHS[int(month) - 1] if 1 <= int(month) <= 12 else None
        if name is None:
            continue
        day_i = int(day)
        if year:
            ok = re.search(rf"\b{name}\s+{day_i}(?:st|nd|rd|th)?,\s*{year}\b", t) or re.search(
                rf"\b{day_i}\s+{name}\s+{year}\b", t
            )
            if not ok:
                yield ERROR, f"{_quote(m.group())} should read {name} {day_i}, {year}"
        else:
            ok = re.search(rf"\b{name}\s+{day_i}\b(?!\d)", t) or re.search(rf"\b{day_i}\s+{name}\b", t)
            if not ok:
                yield ERROR, f"{_quote(m.group())} should read {name} {day_i}"
            else:
                invented = re.search(rf"\b{name}\s+{day_i},\s*(\d{{4}})\b", t)
                if invented and invented.group(1) not in years_in_source:
                    yield ERROR, f"the year {invented.group(1)} is not in the source {_quote(m.group())}"
    for m in _YEAR_END.finditer(pair.source) if "年底" in pair.source else ():
        if f"end of {m.group(1)}" not in t:
            yield WARNING, f"{_quote(m.group())} should read 'the end of {m.group(1)}'"
    if _NUMERIC_DATE.search(t):
        yield WARNING, "numeric date format in running text; write the month as a word"


_YEAR = re.compile(r"(\d{4})年")
_YEAR_END = re.compile(r"(\d{4})年底")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b")


# -- R9 length ------------------------------------------------------------------------------


def length_ratio(pair, ctx):
    s, t = pair.source.strip(), pair.target.strip()
    if not s or not t:
        return
    if len(s) < 15:
        if len(t) > 12 * len(s) + 20:
            yield WARNING, f"the translation is very long for a {len(s)}-character source ({len(t)} characters)"
        return
    r = len(t) / len(s)
    if r < 1.2 or r > 10:
        yield ERROR, f"length ratio {r:.1f} English characters per Chinese character (expected about 4): text missing or added?"
    elif r < 2.0 or r > 7.0:
        yield WARNING, f"length ratio {r:.1f} English characters per Chinese character (expected 2–7)"


# -- R10 R11 glossary and names ------------------------------------------------------------

_FORBIDDEN = re.compile(r"(?:\b[Nn]ever|\bnot|\bavoid(?: the variant)?|\bdo not mix with)\s+((?:'[^']+'(?:\s*(?:or|,)\s*)?)+)")


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Typographic quotes and dashes as ASCII (one character for one, so
    positions are kept).  Remembered: a target is folded once for all the
    glossary terms of its segment, not once per term."""
    return (text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
            .replace("–", "-").replace("—", "-"))


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
    for acronym in set(re.findall(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])", pair.source)):
        if acronym not in pair.target:
            yield ERROR, f"the acronym {acronym} is missing"


# -- R12 roles --------------------------------------------------------------------------------

_CREDIT_PHOTO = re.compile(rf"(?:记者\s*)?([{HAN_RANGES}·]{{2,6}})\s*摄$")
_END_ZH = re.compile(r"[。！？!?][”’」』）)]*$")
_END_EN = re.compile(r"[.!?…][\"”’')\]]*$|[.!?][\"”’')\]]*\s*\([^)]*\)$")


#: Words at most, from the house style (docs/style-guide.md, "Heads, decks, captions").
WORD_LIMITS = {"title": 10, "heading": 8, "kicker": 6}
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
        if m and "photo by" not in t.lower():
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
        elif _END_ZH.search(s):
            if not _END_EN.search(t):
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


# -- document-wide checks -------------------------------------------------------------------------


def consistent_terms(pairs, ctx):
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


def percent_style(pairs, ctx):
    sign = [p.id for p in pairs if re.search(r"\d\s*%", p.target)]
    word = [p.id for p in pairs if re.search(r"\d\s+(percent|per cent)\b", p.target)]
    if sign and word:
        yield sign[0], WARNING, f"'%' ({len(sign)} segment(s)) and 'percent' ({len(word)}) are mixed"


# American and British spellings of the same words (the house style is American).
_US_UK = [("center", "centre"), ("color", "colour"), ("favor", "favour"), ("honor", "honour"), ("labor", "labour"),
          ("neighbor", "neighbour"), ("harbor", "harbour"), ("behavior", "behaviour"), ("program", "programme"),
          ("catalog", "catalogue"), ("liter", "litre"), ("fiber", "fibre"), ("theater", "theatre"),
          ("defense", "defence"), ("analyze", "analyse"), ("gray", "grey"), ("jewelry", "jewellery"),
          ("aluminum", "aluminium"), ("traveled", "travelled"), ("canceled", "cancelled"), ("modeling", "modelling"),
          ("labeled", "labelled"), ("fueled", "fuelled"), ("enrollment", "enrolment"), ("tons", "tonnes"),
          ("kilometer", "kilometre"), ("skeptical", "sceptical"), ("mold", "mould")]
_IZE_STEMS = ("organ", "real", "recogn", "modern", "special", "local", "prior", "optim", "util", "mobil",
              "industrial", "global", "standard", "maxim", "minim", "character", "categor", "emphas", "summar",
              "author", "capital", "central", "normal", "visual", "final", "legal", "stabil", "subsid", "harmon",
              "revolution", "digit", "urban", "privat", "commercial", "internationa", "moderni", "energ", "revital")
_IZE_ENDINGS = ("e", "es", "ed", "ing", "ation", "ations", "er", "ers")
#: Every American and British form this check knows, lower-case → "us" or "uk": looked up as a
#: set intersection with a segment's words (a regex alternation over them cost 65 µs a segment).
_SPELLING_FORMS = {
    **{us + end: "us" for us, _ in _US_UK for end in ("", "s", "ed", "ing", "d")},
    **{uk + end: "uk" for _, uk in _US_UK for end in ("", "s", "ed", "ing", "d")},
    **{f"{stem}i{z}{end}": kind for stem in _IZE_STEMS for z, kind in (("z", "us"), ("s", "uk")) for end in _IZE_ENDINGS},
}
_LOWER_WORD = re.compile(r"[a-z]+")


def spelling_mix(pairs, ctx):
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
        yield sid, WARNING, (f"US and UK spellings mixed: {word!r} here, {example!r} in {where} "
                             "(the house style is American: docs/style-guide.md)")


DOC_CHECKS = {"consistency": consistent_terms, "percent-style": percent_style, "spelling": spelling_mix}
ALL_CHECKS = tuple(CHECKS) + tuple(DOC_CHECKS)


def _pair_key(pair: Pair, only, seen: set) -> str:
    """Everything a segment's own findings depend on: its text, translation,
    role, state and accepted checks, the checks asked for, and which of its
    terms' forms earlier segments used.  (The glossary is the caller's part
    of the key.)"""
    import hashlib

    parts = (pair.role, pair.source, pair.target, pair.state, *sorted(pair.accepted), "\x1e", *sorted(only or ()),
             "\x1e", *sorted(seen))
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).hexdigest()


def _pair_findings(pair: Pair, ctx: Context, only) -> list[list[str]]:
    """[check, severity, message] for one segment's own checks."""
    rows = []
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


def run_checks(pairs: list[Pair], glossary: Glossary, article: str = "", language: str = "en",
               only: set[str] | None = None, reuse: dict | None = None, keep: dict | None = None) -> list[Finding]:
    """Every finding for ``pairs``, in segment order; accepted ones dropped.

    A segment's own findings are looked up in ``reuse`` by a key of what
    they depend on (see ``_pair_key``) before being computed, and stored in
    ``keep``: editing one segment re-checks one segment.  The checks across
    the document always run (they are cheap and see every segment)."""
    ctx = Context(glossary=glossary)
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
