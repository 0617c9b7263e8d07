"""HTML pieces the templates use: text with its figures and glossary terms
marked, a word diff, and the edition preview.  Everything from a segment is
escaped here (markupsafe) before any tag is added around it.

May import: model, changes.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from workflow.commands.changes import word_diff
from workflow.core.model import EditionBlock

#: Figures as a reviewer compares them: digits with their separators and a
#: magnitude or percent sign after them, in either language.
_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)*(?:\s?(?:%|％|万亿|亿|万|千|percent|trillion|billion|million|thousand))?", re.IGNORECASE
)


def _spans(text: str, terms, any_case: bool) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) of figures and terms in ``text``."""
    found = [(m.start(), m.end(), "figure") for m in _FIGURE.finditer(text)]
    folded = text.lower() if any_case else text
    for term in sorted({t for t in terms if t and len(t) > 1}, key=len, reverse=True):
        needle = term.lower() if any_case else term
        start = folded.find(needle)
        while start >= 0:
            found.append((start, start + len(needle), "term"))
            start = folded.find(needle, start + len(needle))
    out, end = [], -1
    for start, stop, kind in sorted(found, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start >= end:
            out.append((start, stop, kind))
            end = stop
    return out


def marked(text: str, terms=(), any_case: bool = False) -> Markup:
    """``text`` escaped, its figures and ``terms`` in ``<mark>``."""
    parts, at = [], 0
    for start, stop, kind in _spans(text, terms, any_case):
        parts.append(escape(text[at:start]))
        parts.append(Markup('<mark class="%s">%s</mark>') % (kind, text[start:stop]))
        at = stop
    parts.append(escape(text[at:]))
    return Markup("").join(parts)


def target_terms(terms) -> list[str]:
    """The English sides of glossary hints (alternatives split on ' / ')."""
    return [alt.strip() for _, target in terms for alt in target.split(" / ")]


def diff(old: str, new: str) -> Markup:
    """``changes.word_diff`` of ``old`` into ``new`` as HTML: ``<del>`` and ``<ins>``."""
    tags = {"-": Markup("<del>%s</del>"), "+": Markup("<ins>%s</ins>")}
    return Markup("").join(tags[op] % text if op in tags else escape(text) for op, text in word_diff(old, new))


# -- the edition preview ------------------------------------------------------------------------

_TAGS = {
    "title": "h1",
    "subtitle": "p",
    "kicker": "p",
    "byline": "p",
    "heading": "h2",
    "deck": "p",
    "caption": "figcaption",
    "body": "p",
    "note": "aside",
    "alt": "p",
}


def _inline(text: str, markup: str) -> Markup:
    """A piece's text: its inline Markdown rendered, raw HTML never passed through."""
    if markup != "md":
        return Markup("<br>").join(escape(line) for line in text.split("\n"))
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    return Markup(md.renderInline(text))


def _piece(piece, markup: str) -> Markup:
    lang = "zh-CN" if piece.lang == "zh" else piece.lang
    mark = Markup(' data-mark="%s"') % piece.mark if piece.mark else Markup("")
    return Markup('<span lang="%s" class="piece"%s>%s</span>') % (lang, mark, _inline(piece.text, markup))


def _unit(unit: EditionBlock, markup: str) -> Markup:
    tag = _TAGS.get(unit.role, "p")
    if unit.role == "heading" and unit.level > 1:
        tag = "h3"
    body = Markup("").join(_piece(p, markup) for p in unit.pieces)
    if unit.image is not None:
        return Markup('<figure class="photo"><div class="photo-box">photo %s×%s</div>%s</figure>') % (
            unit.image.width,
            unit.image.height,
            body,
        )
    if unit.kind in ("bullet", "ordered"):
        tag = "li"
    elif unit.kind == "quote":
        return Markup('<blockquote class="role-%s">%s</blockquote>') % (unit.role, body)
    return Markup('<%s class="role-%s">%s</%s>') % (Markup(tag), unit.role, body, Markup(tag))


def _table(rows: list[EditionBlock], markup: str) -> Markup:
    by_row: dict[int, list[EditionBlock]] = {}
    for unit in rows:
        if unit.cell is not None:  # a table's units all carry their (row, column)
            by_row.setdefault(unit.cell[0], []).append(unit)
    out = []
    for r, cells in sorted(by_row.items()):
        tag = Markup("th") if r == 0 else Markup("td")
        out.append(
            Markup("<tr>%s</tr>")
            % Markup("").join(
                Markup("<%s>%s</%s>") % (tag, Markup("").join(_piece(p, markup) for p in c.pieces), tag) for c in cells
            )
        )
    return Markup('<table class="edition-table">%s</table>') % Markup("").join(out)


def edition(units: list[EditionBlock], markup: str) -> Markup:
    """The units of an edition as HTML: roles as classes, tables and lists grouped."""
    out, i = [], 0
    while i < len(units):
        unit = units[i]
        if unit.cell is not None or unit.kind in ("bullet", "ordered"):
            j = i
            while (
                j < len(units)
                and (units[j].cell is not None) == (unit.cell is not None)
                and (unit.cell is not None or units[j].kind == unit.kind)
            ):
                j += 1
            group = units[i:j]
            if unit.cell is not None:
                out.append(_table(group, markup))
            else:
                tag = Markup("ul") if unit.kind == "bullet" else Markup("ol")
                out.append(Markup("<%s>%s</%s>") % (tag, Markup("").join(_unit(u, markup) for u in group), tag))
            i = j
            continue
        out.append(_unit(unit, markup))
        i += 1
    return Markup("\n").join(out)
