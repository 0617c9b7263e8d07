"""Quality checks for a Chinese source and an English target (qa-rules
R1–R14): the registry of every check and the run over an article.

Each check is a small function ``check(pair, ctx) -> iterable of (severity,
message)``, named after the problem it finds, in its concern's module:
surface.py (copy, leftovers, white space, brackets, length, roles),
figures.py and explained.py (numbers), dates.py, terms.py (glossary, names,
spelling, the desk's checklist), parity.py (markup, URLs, codes),
stylecheck.py; the document-wide ones in doccheck.py.  ``CHECKS`` gathers
them by name; ``run_checks`` runs them, reusing a segment's findings when
nothing they depend on changed.  Pure: no files, no polib.

May import: pairs, consistency, surface, figures, dates, terms, doccheck, parity, stylecheck, glossary, numbers.
"""

from __future__ import annotations

import dataclasses
import hashlib

from workflow.lang.glossary import Glossary
from workflow.lang.numbers import target_numbers
from workflow.qa import parity
from workflow.qa.consistency import PROJECT_CHECKS
from workflow.qa.dates import dates
from workflow.qa.doccheck import consistent_terms, percent_style, spelling_mix
from workflow.qa.figures import numbers
from workflow.qa.pairs import ERROR, INFO, SEVERITY_RANK, WARNING, Context, Finding, Pair, contains, forbidden_variants
from workflow.qa.stylecheck import STYLE_CHECKS
from workflow.qa.surface import (
    WORD_LIMITS,
    chinese_characters,
    chinese_punctuation,
    copied_source,
    doubled_words,
    length_ratio,
    quotation_runs,
    role_rules,
    sentence_count,
    unbalanced_brackets,
    untranslated,
    whitespace,
)
from workflow.qa.terms import forbidden_terms, glossary_terms, name_case, name_split, spell, user_checklist

#: Names other modules and tests import from here.
__all__ = [
    "ALL_CHECKS",
    "CHECKS",
    "DOC_CHECKS",
    "ERROR",
    "INFO",
    "PROJECT_CHECKS",
    "SEVERITY_RANK",
    "WARNING",
    "WORD_LIMITS",
    "Context",
    "Finding",
    "Pair",
    "doubled_words",
    "forbidden_variants",
    "run_checks",
    "target_numbers",
]


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


CHECKS.update({name: _parity(check) for name, check in parity.CHECKS.items()})
CHECKS.update({"spell": spell, "checklist": user_checklist, "name-split": name_split})


DOC_CHECKS = {"consistency": consistent_terms, "percent-style": percent_style, "spelling": spelling_mix}
ALL_CHECKS = tuple(CHECKS) + tuple(DOC_CHECKS) + PROJECT_CHECKS


def _pair_key(pair: Pair, only, seen: set) -> str:
    """Everything a segment's own findings depend on: its text, translation,
    role, state and accepted checks, the checks asked for, and which of its
    terms' forms earlier segments used.  (The glossary is the caller's part
    of the key.)"""
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


def _continued_quotations(translated: list[Pair], findings: list[Finding]) -> list[Finding]:
    """A quotation that runs over segments in news style (surface.quotation_runs): its
    unbalanced marks are a warning, not an error."""
    runs = quotation_runs([(p.id, p.target) for p in translated])
    return [
        dataclasses.replace(f, severity=WARNING, message=f"{f.message}: a quotation over paragraphs?")
        if f.check == "brackets" and f.severity == ERROR and f.segment in runs
        else f
        for f in findings
    ]


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
                ctx.seen_forms.update(alt for alt in term.alternatives if contains(pair.target, alt))
    translated = [p for p in pairs if p.target.strip()]
    if any(f.check == "brackets" and f.severity == ERROR for f in findings):
        findings = _continued_quotations(translated, findings)
    for name, check in DOC_CHECKS.items():
        if only and name not in only:
            continue
        for sid, severity, message in check(translated, ctx):
            if name in roles[sid].accepted:
                continue
            findings.append(Finding(article, language, sid, roles[sid].role, name, severity, message))
    return findings
