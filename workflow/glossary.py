"""The project glossary: ``source,target,note`` CSV (the note's first word
sets how severe a miss is) and the longest-match-first term scan."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import InputError

#: The note's first word → severity of a missing term (qa-rules §0.1).
SEVERITY = {"official": "error", "name": "error", "convention": "warning", "standard": "warning", "unit": None}


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    note: str = ""
    line: int = 0

    @cached_property
    def tag(self) -> str:
        word = self.note.split(":", 1)[0].split()[0] if self.note.strip() else ""
        return word.strip(" .:(").lower()

    @cached_property
    def severity(self) -> str | None:
        """error, warning, or None for unit rows (those feed the number check)."""
        return SEVERITY.get(self.tag, "warning")

    @cached_property
    def alternatives(self) -> list[str]:
        return [alt.strip() for alt in self.target.split(" / ") if alt.strip()]


class Glossary:
    def __init__(self, terms: list[Term]):
        self.terms = terms
        # Longest first, so 巴斯夫杉杉电池材料有限公司 wins over 巴斯夫杉杉 and 巴斯夫:
        # a regex alternation tries its branches in order at the leftmost match.
        self._by_source = {}
        for term in terms:
            self._by_source.setdefault(term.source, term)
        ordered = sorted(self._by_source, key=lambda s: (-len(s), s))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str) -> list[tuple[int, Term]]:
        """Non-overlapping occurrences, longest match first, left to right."""
        if self._pattern is None:
            return []
        return [(m.start(), self._by_source[m.group()]) for m in self._pattern.finditer(text)]

    def hints(self, text: str) -> list[Term]:
        seen, out = set(), []
        for _, term in self.find(text):
            if term.source not in seen:
                seen.add(term.source)
                out.append(term)
        return out


def parse_glossary(text: str, path: str = "glossary.csv") -> Glossary:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    terms: list[Term] = []
    header = None
    for row in reader:
        line = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [c.strip().lower() for c in row]
            if header[:2] != ["source", "target"]:
                raise InputError("the first row must be the header source,target,note", path, line)
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError("a glossary row needs a source and a target", path, line)
        terms.append(Term(row[0].strip(), row[1].strip(), row[2].strip() if len(row) > 2 else "", line))
    return Glossary(terms)


def load_glossary(path: Path, display: str) -> Glossary:
    if not path.is_file():
        return Glossary([])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("glossary is not UTF-8", display) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", display) from None
    return parse_glossary(text, display)
