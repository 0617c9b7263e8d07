"""What a translation must carry over from its source unchanged: Markdown
markup, links and URLs, e-mail addresses, alphanumeric codes.

The checks of a professional desk's pre-delivery tools (Xbench's tag,
URL and alphanumeric mismatches): each is ``check(source, target) ->
iterable of (severity, message)``, with no glossary and no context.  Pure.

May import: numbers.
"""

from __future__ import annotations

import re
import unicodedata

from workflow.lang.numbers import CODE

ERROR, WARNING = "error", "warning"

_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPH = re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)")
_URL = re.compile(r"(?<![A-Za-z0-9])(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&*+;=%]*[A-Za-z0-9/#=_~-]")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _strip_code(text: str) -> str:
    return _CODE_SPAN.sub(" ", text) if "`" in text else text


#: A Texinfo or man-page quotation: `-W' (a backquote closed by an apostrophe not inside a word).
_TEXINFO_QUOTE = re.compile(r"`([^`'\n]*)'(?![A-Za-z])")


def _texinfo_quotes(text: str) -> str:
    """``text`` with its `quotes' read as quotation marks when that accounts
    for its backquotes (at most one left over): such text is not Markdown,
    and a backquote there opens no code span."""
    if "`" not in text or "'" not in text:
        return text
    read = _TEXINFO_QUOTE.sub(r"‘\1’", text)
    return read if read.count("`") <= 1 else text


def markup(source: str, target: str):
    """Markdown inline markup: an unbalanced ``**`` or ``*``, a changed or
    lost link, a changed code span are errors; a different number of bold
    or emphasis spans (bold dropped, bold turned into emphasis) a warning.
    Texinfo quotes (`-W') are quotation marks, not code spans."""
    if not any(c in source or c in target for c in "*[`"):
        return
    source, target = _texinfo_quotes(source), _texinfo_quotes(target)
    s, t = _strip_code(source), _strip_code(target)
    if t.count("**") % 2 and not s.count("**") % 2:
        yield ERROR, "an unclosed '**' in the translation"
    else:
        single = _BOLD.sub(r"\1", t).replace("**", "")
        src_single = _BOLD.sub(r"\1", s).replace("**", "")
        if _lone_stars(single) % 2 and not _lone_stars(src_single) % 2:
            yield ERROR, "an unclosed '*' in the translation"
    yield from _links(source, target)
    src_code, tgt_code = _CODE_SPAN.findall(source), _CODE_SPAN.findall(target)
    if sorted(c for _, c in src_code) != sorted(c for _, c in tgt_code):
        yield ERROR, f"code spans differ: {[c for _, c in src_code]} in the source, {[c for _, c in tgt_code]} here"
    spans = {
        "bold": (len(_BOLD.findall(s)), len(_BOLD.findall(t))),
        "emphasis": (len(_EMPH.findall(_BOLD.sub("", s))), len(_EMPH.findall(_BOLD.sub("", t)))),
    }
    for name, (a, b) in spans.items():
        if a != b:
            yield WARNING, f"{a} {name} span(s) in the source, {b} in the translation"


def _lone_stars(text: str) -> int:
    """Asterisks that open or close emphasis (not a bullet or a sign between spaces)."""
    text = text.replace("**", "")
    return text.count("*") - len(re.findall(r"(?:^|\s)\*(?=\s|$)", text))


def _links(source: str, target: str):
    if "](" not in source and "](" not in target:
        return
    src = [url for _, url in _LINK.findall(source)]
    tgt = [url for _, url in _LINK.findall(target)]
    lost, added = [u for u in src if u not in tgt], [u for u in tgt if u not in src]
    for old, new in zip(lost, added):
        yield ERROR, f"the link to {old} is changed to {new} in the translation"
    for old in lost[len(added) :]:
        yield ERROR, f"the link to {old} is lost in the translation"
    for new in added[len(lost) :]:
        yield ERROR, f"the translation links to {new}, which the source does not"


def urls(source: str, target: str):
    """Bare URLs and e-mail addresses of the source, each in the translation;
    one the source lacks is a warning."""
    if not ("@" in source or "@" in target or "www." in source + target or "://" in source + target):
        return
    src_links = {url for _, url in _LINK.findall(source)}
    for kind, pattern in (("URL", _URL), ("e-mail address", _EMAIL)):
        src = [u for u in pattern.findall(source) if u not in src_links]
        tgt = [u for u in pattern.findall(target) if u not in {url for _, url in _LINK.findall(target)}]
        for u in src:
            if u not in target:
                yield ERROR, f"the {kind} {u} is not in the translation"
        for u in tgt:
            if u not in source:
                yield WARNING, f"the {kind} {u} is not in the source"


def _norm(code: str) -> str:
    return re.sub(r"[\s\-_]", "", code).lower()


def codes(source: str, target: str):
    """Alphanumeric codes of the source (LP700-4, CN1, U18, V12, A4) kept in
    the translation, ignoring case, spaces and hyphens (windows11 → Windows 11)."""
    if not CODE.search(source):
        return
    flat, words = _norm(target), set(re.findall(r"[a-z]+|\d+", target.lower()))
    for code in dict.fromkeys(m.group() for m in CODE.finditer(source)):
        if _norm(code) in flat or set(re.findall(r"[a-z]+|\d+", code.lower())) <= words:
            continue  # each part kept apart: IP15周年 → the 15th anniversary of the IP
        yield ERROR, f"the code {code} is not in the translation"


#: A Latin-script name, accented letters included (Scannál, José, Dvořák).
_L = "A-Za-zÀ-ÖØ-öø-ɏ"
_LATIN_NAME = re.compile(rf"(?<![{_L}0-9@./_-])[{_L}][{_L}&'’.+-]*[{_L}+](?![{_L}0-9@_-])")


def _unaccented(text: str) -> str:
    """``text`` without its accents (José → Jose: an English paper may drop them)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def latin_names(source: str, target: str):
    """Latin-script names in a Chinese source (BMW, FoodBev, iPhone) are
    kept in the translation (ignoring case: APP → app); an all-lower-case
    word (order, in) may be translated, and so is not asked for."""
    if source.isascii() or not _LATIN_NAME.search(source):
        return
    low = _unaccented(target.lower().replace("’", "'"))  # O’Brien is O'Brien
    flat = re.sub(r"[\s\-]", "", low)  # SealWu → Seal Wu
    urls = {u for u in _URL.findall(source)} | {e for e in _EMAIL.findall(source)}
    for name in dict.fromkeys(_LATIN_NAME.findall(source)):
        if name.islower() or len(name) < 3 or any(name in u for u in urls) or name.isupper():
            continue  # acronyms are the names check's
        folded = _unaccented(name.lower().replace("’", "'"))
        if not re.search(rf"(?<![a-z]){re.escape(folded)}", low) and folded not in flat:
            yield ERROR, f"the name {name} is not in the translation"


CHECKS = {"markup": markup, "urls": urls, "codes": codes, "latin": latin_names}
