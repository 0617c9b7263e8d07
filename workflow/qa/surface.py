"""The checks of a translation's surface (qa-rules R1–R6, R9, R12–R14):
untranslated or copied text, white space, Chinese characters and
punctuation left in the English, unpaired quotes and brackets, the length
ratio, what each role (title, caption, byline, body) requires, the sentence
count and doubled words.  Each is ``check(pair, ctx) -> iterable of
(severity, message)``; checks.py registers them.

May import: text, segment, pairs.
"""

from __future__ import annotations

import re

from workflow.core.text import CJK_SCRIPT, HAN_RANGES, han_chars
from workflow.qa.pairs import ERROR, INFO, WARNING, fold, quote
from workflow.sources.segment import split_english_sentences, split_sentences


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
        yield ERROR, f"leading white space {quote(t[:20])}"
    if t[-1:].isspace() and not s[-1:].isspace():
        yield ERROR, f"trailing white space {quote(t[-20:])}"
    inner = t.strip()
    if "  " in inner:
        i = inner.index("  ")
        yield WARNING, f"double space in {quote(inner[max(0, i - 15) : i + 15])}"
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
            f"Chinese characters left in the English: {''.join(dict.fromkeys(found))[:12]} in {quote(pair.target[max(0, i - 15) : i + 15])}",
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


#: Feet and inches (5'5", 12" pizza): the marks after a digit are not quotes.
_INCHES = re.compile(r"(?<=\d)[\"″](?=[\s,.;:)!?-]|$)|(?<=\d)'(?=\d)")


def unbalanced_brackets(pair, ctx):
    t = _APOSTROPHE.sub("", pair.target) if ("'" in pair.target or "’" in pair.target) else pair.target
    if '"' in t and _INCHES.search(t):
        t = _INCHES.sub("", t)
    problem = _target_unbalanced(t)
    if problem and ("'" in t or '"' in t) and any(c in t for c in "“”‘’") and not _target_unbalanced(_curly(t)):
        # "Quote” : balanced once the straight quotes are read as curly ones; the glyphs are mixed
        yield WARNING, "straight and curly quotes are mixed"
    elif (
        problem
        and (unquoted := not any(c in pair.source for c in "“”「」『』‘’\"'"))
        and _continued_quotation(t, problem)
    ):
        # a quotation running over paragraphs opens each one and closes only the last (news style)
        yield WARNING, f"{problem[1]}: a quotation that goes on in the next paragraph?"
    elif problem and unquoted and _closed_here(t):
        # …the last paragraph closes it: 'support," her grandfather said.'
        yield WARNING, f"{problem[1]}: the end of a quotation from the previous paragraph?"
    elif problem and not _source_unbalanced(pair.source, problem[0]):
        yield ERROR, problem[1]
    src_parens = pair.source.count("（") + pair.source.count("(")
    tgt_parens = pair.target.count("(")
    if src_parens != tgt_parens and not ctx_glossary_explains_parens(pair, ctx):
        yield WARNING, f"the source has {src_parens} bracket pair(s), the translation {tgt_parens}"


def _continued_quotation(t: str, problem: tuple) -> bool:
    """The paragraph opens with a quotation mark that is never closed, and nothing else is
    unpaired (the caller asks too that the source has no quotation marks)."""
    head = t.lstrip()
    if problem[0] != "“" or head[:1] not in ('"', "“"):
        return False
    return _target_unbalanced(head[1:]) is None


def open_at_the_end(target: str) -> bool:
    """The paragraph leaves one quotation open at its end, nothing else unpaired, and no double
    quote opens inside it (its inner quotations are single quotes)."""
    t = _curly(_APOSTROPHE.sub("", target))
    problem = _target_unbalanced(t)
    if problem is None or problem[1] != "'“' is never closed" or _target_unbalanced(t + "”") is not None:
        return False
    depth, start = 0, -1
    for i, ch in enumerate(t):
        if ch == "“":
            depth, start = depth + 1, (i if depth == 0 else start)
        elif ch == "”":
            depth -= 1
    return "“" not in t[start + 1 :]


def opens_with_quote(target: str) -> bool:
    return target.lstrip()[:1] in ('"', "“")


#: How many segments a quotation may run over (a long quotation is six or so paragraphs).
_QUOTATION_RUN = 8


def quotation_runs(targets: list[tuple[str, str]]) -> set:
    """The segments of quotations that run over segments, in news style: one left open at a
    segment's end and reopened at the start of the next (each paragraph opens, the last closes),
    or closed in a later one (after its stop or comma) with no quotation marks in between."""
    runs: set = set()
    opener, since = None, 0
    for i, (sid, target) in enumerate(targets):
        if opener is not None and i - since <= _QUOTATION_RUN:
            if opens_with_quote(target):
                runs.add(opener)
            elif _closed_here(_APOSTROPHE.sub("", target)):
                runs |= {opener, sid}
                opener = None
                continue
            elif not any(c in target for c in '"“”'):
                continue  # the quotation goes on
        opener, since = (sid, i) if open_at_the_end(target) else (None, 0)
    return runs


def _closed_here(t: str) -> bool:
    """The paragraph closes a quotation it never opens, after the quotation's own stop or comma
    (support," she said), and nothing else is unpaired."""
    curly = _curly(t)
    if _target_unbalanced(curly) is None or _target_unbalanced("“" + curly) is not None:
        return False
    depth = 0
    for i, ch in enumerate(curly):
        if ch == "“":
            depth += 1
        elif ch == "”" and depth == 0:
            return curly[i - 1 : i] in (",", ".", "?", "!", "…")  # not judges" decisions (an apostrophe)
        elif ch == "”":
            depth -= 1
    return False


def ctx_glossary_explains_parens(pair, ctx) -> bool:
    extra = sum(t.target.count("(") for _, t in ctx.terms(pair.source))
    inside = sum(t.source.count("（") for _, t in ctx.terms(pair.source))
    src = pair.source.count("（") + pair.source.count("(") - inside
    return src + extra == pair.target.count("(")


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


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def role_rules(pair, ctx):
    s, t = pair.source.strip(), pair.target.strip().strip(_INVISIBLE).strip()
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
                yield WARNING, f"the sentence ends with a comma or a colon: {quote(t[-30:])}"
            else:
                yield ERROR, f"the sentence is not finished: {quote(t[-30:])}"


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
    folded = fold(pair.target)  # typographic punctuation is not part of a word either way
    m = _DOUBLED_ASCII.search(folded) if folded.isascii() else _DOUBLED.search(pair.target)
    if m and not m.group(1).isdigit():
        yield WARNING, f"doubled word {quote(m.group())}"
