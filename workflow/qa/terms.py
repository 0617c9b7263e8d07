"""The checks of terms and names (qa-rules R10, R11): glossary terms and
their forbidden variants, names in the glossary's order and case, source
acronyms kept, Chinese names in pinyin not split, the English spell check
with the project's words, and the desk's own regex checklist.

May import: text, glossary, romanize, spelling, pairs.
"""

from __future__ import annotations

import functools
import re

from workflow.core.text import HAN_RANGES
from workflow.lang import romanize, spelling
from workflow.lang.glossary import Glossary, Term
from workflow.qa.pairs import ERROR, WARNING, contains, quote


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
        if any(contains(pair.target, alt, headline) for alt in alternatives):
            continue
        if any(alt in ctx.seen_forms for alt in alternatives) and any(
            contains(pair.target, short) for short in _short_forms(term, ctx.glossary)
        ):
            continue  # a short form after the full one appeared earlier
        yield term.severity, f"glossary: {term.source} → {' / '.join(alternatives)} ({term.tag or 'term'})"


def forbidden_terms(pair, ctx):
    for variant, term in ctx.forbidden:
        if variant in pair.target:
            yield ERROR, f"{quote(variant)} is a forbidden variant of {term.target!r}"


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
    yield from _acronyms(pair.source, pair.target)


#: Capitals standing alone: not inside a word or a code (9FBB, A4B), which the codes check compares.
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,}(?![A-Za-z0-9])")
#: An acronym glossed in the source: PGC（专业生产内容）, UGC(用户原创内容).
_GLOSSED = re.compile(rf"\s*[（(]\s*[{HAN_RANGES}]")


_LATIN_BEFORE = re.compile(r"[A-Za-z][^\w]{0,3}$")
_LATIN_AFTER = re.compile(r"[^\w]{0,3}[A-Za-z]")


def _inside_latin(source: str, start: int, end: int) -> bool:
    """Latin words on both sides of ``source[start:end]`` (brackets, stops and spaces between)."""
    return bool(_LATIN_BEFORE.search(source, max(0, start - 4), start) and _LATIN_AFTER.match(source, end))


def _mangled(acronym: str, target: str) -> bool:
    """The translation has the acronym misspelt: a word opening with its first
    two letters (PMP → PMB, LED → LEx) or its letters in another order (UGC → UCG)."""
    if re.search(rf"(?<![A-Za-z]){acronym[:2]}", target):
        return True
    letters = sorted(acronym)
    return any(sorted(word) == letters for word in _ACRONYM.findall(target))


def _named_before(source: str, acronym: str) -> bool:
    """The acronym in brackets after the Chinese name it stands for (美国疾病控制与预防中心（CDC））:
    the translation may give the name in full instead."""
    return bool(re.search(rf"[{HAN_RANGES}]{{3,}}\s*[（(]\s*{acronym}\s*[)）]", source))


def _acronyms(source: str, target: str):
    """Each acronym of the source in the translation (APP → app counts).  It
    may be left out with a warning where the translation may say it in words:
    a two-letter one (MM, IN: slang), one the source glosses in brackets
    (PGC（专业生产内容） → "professional content") or that follows the Chinese
    name it stands for (疾病控制与预防中心（CDC） → "the Centers for Disease
    Control and Prevention"), or one inside a run of
    Latin text the translation may translate (a quoted phrase, a scan's
    garbled words: "(assembly) MERE (linking)"), unless the translation
    has it misspelt (a word opening with its first two letters); one glued to
    another acronym of the source (BCJK beside CJK: a letter run into it by a
    scan) is not asked for."""
    if not _ACRONYM.search(source):
        return
    found = {m.group(): m.end() for m in _ACRONYM.finditer(source)}
    latin = {m.group() for m in _ACRONYM.finditer(source) if _inside_latin(source, m.start(), m.end())}
    low = target.lower()
    for acronym in sorted(found):
        if acronym in target or acronym.lower() in low:
            continue  # APP → app, apps: an acronym a translation writes as a word
        if "." in target and ".".join(acronym) + "." in target:
            continue  # NFL → N.F.L. (the New York Times' style)
        if len(acronym) > 3 and (acronym[1:] in found or acronym[:-1] in found):
            continue  # BCJK beside CJK: a letter glued on
        misspelt = _mangled(acronym, target)
        glossed = _GLOSSED.match(source, found[acronym]) or acronym in latin or _named_before(source, acronym)
        if len(acronym) == 2 or (glossed and not misspelt):
            yield WARNING, f"the acronym {acronym} is not in the translation"
        else:
            yield ERROR, f"the acronym {acronym} is missing"


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
            yield severity, f"{message} ({quote(m.group())})"
