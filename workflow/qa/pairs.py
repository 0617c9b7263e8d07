"""What every zh→en check takes and gives: a segment pair (source,
translation, role, state), a finding, and the run's context (the glossary,
the forms earlier segments used, the word list, the desk's checklist); with
the few text helpers the checks share (a short quotation of the text, quotes
and dashes folded to ASCII, a glossary form looked for in a translation).

May import: glossary.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from workflow.lang.glossary import Glossary, Term

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


def quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


_FORBIDDEN = re.compile(
    r"(?:\b[Nn]ever|\bnot|\bavoid(?: the variant)?|\bdo not mix with)\s+((?:'[^']+'(?:\s*(?:or|,)\s*)?)+)"
)


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
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


def contains(target: str, form: str, any_case: bool = False) -> bool:
    t, f = fold(target), fold(form)
    if any_case:  # headlines are in title case
        return f.lower() in t.lower()
    return f in t or (f[:1].swapcase() + f[1:]) in t
