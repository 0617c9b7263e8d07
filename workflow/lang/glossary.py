"""The project glossary: ``source,target,note`` CSV or a TBX termbase (the
note's first word sets how severe a miss is) and the longest-match-first
term scan.

May import: errors, fsio, text, xmlsafe.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from workflow.core.errors import InputError
from workflow.core.fsio import read_input
from workflow.core.text import decode, find_control_char

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
    def source_digits(self) -> list[str]:
        """Digit runs in the source term (世界500强 → ['500'])."""
        return re.findall(r"\d+", self.source)

    @cached_property
    def target_figures(self) -> list[str]:
        """Figures in the target and note: numbers a translation may carry for this term."""
        return re.findall(r"\d+(?:\.\d+)?", self.target + " " + self.note)

    @cached_property
    def alternatives(self) -> list[str]:
        return [alt.strip() for alt in self.target.split(" / ") if alt.strip()]


def _trie_pattern(words) -> str:
    """One regex for many literal terms, shaped as a trie: at each character
    at most one branch can go on, and an optional (greedy) tail makes the
    longest term at a position win.  Far less backtracking than an
    alternation of every term."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        kids = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not kids:
            return ""
        alt = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
        return f"(?:{alt})?" if "" in node else alt

    return build(trie)


class Glossary:
    def __init__(self, terms: list[Term]):
        self.terms = terms
        # The longest term at the leftmost position wins, so 巴斯夫杉杉电池材料有限公司
        # beats 巴斯夫杉杉 and 巴斯夫.
        self._by_source: dict[str, Term] = {}
        for term in terms:
            self._by_source.setdefault(term.source, term)
        self._pattern = re.compile(_trie_pattern(self._by_source)) if self._by_source else None

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
    rows: dict[str, int] = {}  # source → the line of its row
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
        _check_row(row, path, line, rows)
        terms.append(Term(row[0].strip(), row[1].strip(), row[2].strip() if len(row) > 2 else "", line))
    return Glossary(terms)


def _check_row(row: list[str], path: str, line: int, rows: dict[str, int]) -> None:
    """A row the glossary can use: no control character (it could not be
    written into a kit), and a source not given before (a second row would
    be ignored, so one of the two targets would silently lose)."""
    for cell in row[:3]:
        bad = find_control_char(cell)
        if bad:
            raise InputError(f"control character U+{ord(bad[1]):04X} in {cell.strip()[:20]!r}; remove it", path, line)
    source = row[0].strip()
    if source in rows:
        raise InputError(
            f"{source} is already in the glossary at line {rows[source]}; keep one row, with the "
            "alternatives in its target separated by ' / '",
            path,
            line,
        )
    rows[source] = line


def load_glossary(path: Path, display: str, source_language: str = "zh", target_language: str = "en") -> Glossary:
    """The glossary at ``path``: TBX when the name ends in ``.tbx``, else CSV.
    A missing file is an empty glossary."""
    if not path.is_file():
        return Glossary([])
    data = read_input(path, display)
    if path.suffix.lower() == ".tbx":
        return parse_tbx(data, display, source_language, target_language)
    return parse_glossary(decode(data, display), display)


# -- TBX ---------------------------------------------------------------------------
#
# TBX is what termbases (MultiTerm, memoQ, Weblate, OmegaT) export.  Both
# TBX 2 (martif: termEntry / langSet / tig|ntig / term) and TBX 3 (tbx:
# conceptEntry / langSec / termSec / term) are read with lxml, matching
# elements by local name so any namespace works.  Each concept gives one
# term per source-language term; the first target-language term is the
# preferred form and later ones become " / " alternatives, as in the CSV.
# The note is the first <note> (or definition) found on the concept, its
# language sections or its terms.

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _primary(code: str | None) -> str:
    return (code or "").replace("_", "-").split("-")[0].lower()


def parse_tbx(
    data: bytes, path: str = "glossary.tbx", source_language: str = "zh", target_language: str = "en"
) -> Glossary:
    from lxml import etree

    from workflow.core.xmlsafe import parse_xml

    root = parse_xml(data, path, InputError, "TBX")
    if etree.QName(root).localname not in ("martif", "tbx"):
        raise InputError("not a TBX file (the root element is neither <martif> nor <tbx>)", path, root.sourceline)
    src, tgt = _primary(source_language), _primary(target_language)
    terms: list[Term] = []
    for concept in root.iter("{*}termEntry", "{*}conceptEntry"):
        sources, targets = [], []
        for section in concept.iter("{*}langSet", "{*}langSec"):
            lang = _primary(section.get(_XML_LANG) or section.get("lang"))
            words = [" ".join("".join(t.itertext()).split()) for t in section.iter("{*}term")]
            words = [w for w in words if w]
            if lang == src:
                sources += words
            elif lang == tgt:
                targets += words
        if not sources or not targets:
            continue  # a concept without this language pair
        note = ""
        for el in concept.iter("{*}note", "{*}descrip"):
            if etree.QName(el).localname == "descrip" and el.get("type") not in ("definition", "context"):
                continue
            note = " ".join("".join(el.itertext()).split())
            if note:
                break
        for source in sources:
            terms.append(Term(source, " / ".join(targets), note, concept.sourceline or 0))
    return Glossary(terms)
