"""Looking a segment up in the memory: what the desk already translated,
offered for it, with the score CAT tools report.

* 101 — a context match: the same source, and the same previous and next
  segments;
* 100 — the same source;
* 95–99 — the same skeleton: only format codes (``%(name)s``, ``{0}``),
  figures, dates or names differ; the old translation is adapted
  (``287.54 billion`` → ``301.27 billion``, ``March 17`` → ``April 2``) and
  is always offered as fuzzy;
* below — fuzzy: candidates found through the FTS5 trigram index (each
  trigram of the segment fetches at most 150 units, a rare trigram's vote
  outweighing a common one's; those sharing the most trigrams are kept; a
  short text that finds nothing good looks again, deeper; a string too
  short for trigrams is compared with the units that can hold it), then
  scored by character similarity (rapidfuzz), since Chinese has no word
  breaks: the similarity of the skeletons, punctuation folded, but at most
  10 points above the similarity of the texts themselves (format codes
  compared as written when both have the same, else as one character each);
  the suggestion gets the new source's codes (``'{0}' unlocked`` →
  ``'%(title)s' unlocked``) and figures, dates and names when they pair up;
* sentence leverage: when no paragraph scores at least 75, each sentence is
  looked up alone, and the joined translations are offered with the scores
  averaged by length.

The project's reviewed units rank before its translated ones, and both
before imported ones; a unit from another role scores one point less; among
equal scores and ranks, a unit with the segment's neighbours wins.

May import: placeables, segment, memory.index.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from workflow.lang.placeables import FORMAT_CODE, adapt, skeleton, substitute_codes, without_codes
from workflow.memory.index import RANK, MemoryError_, key, normalize, punctuation_folded
from workflow.sources.segment import split_sentences

#: measured on real catalogs (benchmarks/memory_bench.py: Django, Wagtail, Sphinx drifts and three
#: held-out ones), below it suggestions cost translators more than they save.
SUGGESTION_FLOOR = 60


BANDS = ("101", "100", "95-99", "85-94", "75-84", "50-74", "none")


def band(score: int | None) -> str:
    """The CAT-tool band of a score: 101, 100, 95-99, 85-94, 75-84, 50-74, none."""
    if score is None or score < 50:
        return "none"
    if score >= 100:
        return str(score)
    for low, name in ((95, "95-99"), (85, "85-94"), (75, "75-84")):
        if score >= low:
            return name
    return "50-74"


@dataclass
class Match:
    score: int
    source: str
    target: str
    origin: str
    state: str
    kind: str  # context, exact, placeables, fuzzy, sentences
    adapted: bool = False
    note: str = ""  # the unit's note, when asked for (``Memory.note_of``)

    @property
    def trusted(self) -> bool:
        """May it become a translation (not just a suggestion)?  Only an
        exact or context match from the desk's own translated or reviewed units."""
        return self.score >= 100 and self.state in ("reviewed", "translated") and not self.adapted


@dataclass
class Query:
    text: str
    role: str = ""
    prev: str | None = None
    next: str | None = None


#: What a lookup reads, in this order, from units and from sentences.
_COLUMNS = {
    "units": "coalesce(source, norm), norm, norm, target, role, origin, state, rank, prev, next",
    "sents": "norm, norm, norm, target, role, origin, state, rank, NULL, NULL",
}  # the third: its skeleton, made on reading; the last two: the neighbours' sources (none for sentences)


def _trigrams(text: str) -> list[str]:
    return list(dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2) if '"' not in text[i : i + 3]))


def _voted(con: sqlite3.Connection, table: str, grams: list[str], per: int, top: int) -> list[tuple[int, float, int]]:
    """``(id, weight, votes)`` of the ``top`` units with the most weighted votes,
    best first (ties: the unit met first, trigram by trigram, newest first).

    Each trigram fetches at most ``per`` units (newest first) from the FTS5
    index and votes for each; a trigram that fills its quota is common (its
    list was cut, oldest units dropped, so its votes would favour whatever is
    newest) and votes 0.05, a rare one 1: the rare trigrams decide.  (One
    statement per trigram: measured, faster than one compound statement with
    the counting done by SQLite.)"""
    votes: Counter = Counter()
    weighted: dict[int, float] = {}
    query = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ? ORDER BY rowid DESC LIMIT {per}"
    for gram in grams:
        found = [row[0] for row in con.execute(query, (f'"{gram}"',))]
        votes.update(found)
        weight = 1.0 if len(found) < per else 0.05
        for i in found:
            weighted[i] = weighted.get(i, 0.0) + weight
    # the most weighted first, ties in the order first met (as Counter.most_common orders them)
    return [(i, weight, votes[i]) for i, weight in heapq.nlargest(top, weighted.items(), key=itemgetter(1))]


#: Each trigram fetches ``PER`` units.  When that finds nothing scoring ``DEEPEN``, a text of fewer
#: than ``BUDGET // PER`` trigrams looks again, each trigram fetching ``BUDGET`` / its trigrams: the
#: newest 150 units of a common trigram miss an older short sentence that newer, longer units
#: contain (measured on a million distinct units: benchmarks/memory_distinct.py, docs/memory.md).
PER = 150
BUDGET = 18000
DEEPEN = 85


def _candidates(con: sqlite3.Connection, table: str, text: str, lang: str, per: int = 0, keep: int = 30) -> list:
    """Units sharing the most trigrams with ``text`` (see ``_voted``): of the
    ``8 × keep`` with the most votes, the ``keep`` most alike by trigram
    overlap (votes against both lengths: a unit that merely contains the text
    loses to one that is the text) are read, with their skeletons.  (Eight,
    not four: a sentence the memory also has inside longer, newer units is
    out-voted by them; on a million distinct units, 81 of 100 best matches
    found instead of 78.)"""
    grams = _trigrams(text)
    per = per or PER
    voted = _voted(con, table, grams, per, 8 * keep) if grams else []
    ids = [i for i, _, _ in voted]
    if len(ids) > keep:
        marks = ",".join("?" * len(ids))
        sizes = dict(con.execute(f"SELECT id, length(norm) FROM {table} WHERE id IN ({marks})", ids).fetchall())
        alike = {i: -weight / (len(grams) + max(1, sizes.get(i, 3) - 2) - votes) for i, weight, votes in voted}
        ids = sorted(ids, key=alike.__getitem__)[:keep]
    if table == "units" and len(text) <= SHORT and per == PER:  # once: the deeper pass reads only trigrams
        ids = list(dict.fromkeys(ids + _short_candidates(con, text, lang, keep)))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = con.execute(
        f"SELECT {_COLUMNS[table]} FROM {table} WHERE id IN ({marks}) AND +lang = ?",
        (*ids, lang),  # by rowid
    ).fetchall()
    return [(r[0], r[1], skeleton(r[1]), *r[3:]) for r in rows]


#: A text this short has too few trigrams to find its neighbours by: the units short enough to be
#: alike (a ratio of 50 needs a length under three times the text's) are compared directly.
SHORT = 6


def _short_candidates(con: sqlite3.Connection, text: str, lang: str, keep: int) -> list[int]:
    """The ``keep`` units most alike to a short ``text`` (rapidfuzz ratio of at
    least 50) among those at least as long and short enough to be alike
    (through the length index, the shortest first: the likeliest to be
    alike; 5,000 at most).  Not shorter: a
    unit that is a part of a short text lacks a word of it (``预览`` for
    ``平板预览``, measured: 10 of 17 harmful suggestions on a Wagtail drift),
    one that holds it has the words (``清除选择`` for ``清除``)."""
    from rapidfuzz import fuzz, process

    rows = con.execute(
        "SELECT id, norm FROM units WHERE lang = ? AND length(norm) BETWEEN ? AND ? ORDER BY length(norm), id LIMIT 5000",
        (lang, len(text), 3 * len(text)),
    ).fetchall()
    rows.sort(key=lambda r: -r[0])  # equally alike: the newest first, as everywhere
    folded = punctuation_folded(text)
    best = process.extract(
        folded, [punctuation_folded(r[1]) for r in rows], scorer=fuzz.ratio, limit=keep, score_cutoff=50
    )
    return [rows[i][0] for _, _, i in best]


def _neighbours(row, near: tuple[str, str] | None) -> int:
    """How many of a unit's neighbours (previous, next) are the segment's (``near``, normalised)."""
    if not near:
        return 0
    return (bool(near[0]) and (row[8] or "") == near[0]) + (bool(near[1]) and (row[9] or "") == near[1])


def _order(row, score: int, near: tuple[str, str] | None = None) -> tuple:
    """Best first: the score, then the unit's rank (reviewed, translated, imported), then context
    (a unit with the segment's neighbours: the same story's paragraph, updated)."""
    return (-score, row[7], -_neighbours(row, near), -len(row[5] or ""))


def _fuzzy_best(rows, text: str, role: str, near) -> tuple | None:
    """(row, score) of the best of ``rows`` by fuzzy score (see ``_order``), or None."""
    from rapidfuzz import fuzz

    best, best_key = None, None
    codes, folded = FORMAT_CODE.findall(text), punctuation_folded(text)
    plain, kept = without_codes(folded), None
    for row in rows:
        # Placeables may differ at little cost, but never lift a score more than 10 points
        # above the texts' own similarity.  Format codes: the same ones are compared as
        # written (their letters are in the translation too); different ones as one
        # character each (a code's spelling is not meaning: '{0}' and '%(title)s').
        # Punctuation is compared folded (（ and (, “ and ", a space beside a Han character).
        other = punctuation_folded(row[1])
        if FORMAT_CODE.findall(row[1]) == codes:
            kept = kept or skeleton(folded, codes=False)
            score = min(fuzz.ratio(kept, skeleton(other, codes=False)), fuzz.ratio(folded, other) + 10)
        else:
            score = min(fuzz.ratio(skeleton(folded), skeleton(other)), fuzz.ratio(plain, without_codes(other)) + 10)
        score = min(int(score) - ((row[4] or "") != role), 99)
        # equal scores: the unit of the nearest length first (the least to delete or add), as written
        order = (*_order(row, score, near)[:3], abs(len(other) - len(folded)))
        if best_key is None or order < best_key:
            best, best_key = (row, score), order
    return best


def _substituted(old_source: str, old_target: str, text: str) -> tuple[str, tuple[str, int] | None]:
    """A fuzzy match's translation with the new source's format codes, and
    its figures, dates and names when they pair up with the old source's
    (placeable substitution: ``2875.4亿元`` → ``287.54 billion`` becomes
    ``3012.7亿元`` → ``301.27 billion`` in a sentence otherwise edited too):
    (translation, (adapted, placeables missed) or None when nothing changed)."""
    renamed = substitute_codes(old_source, old_target, text)
    target = renamed or old_target
    placed = adapt(old_source, target, text) if skeleton(old_source) != old_source or skeleton(text) != text else None
    if placed is not None and (placed[0] != target or placed[1]):
        return placed[0], placed
    return target, ((target, 0) if renamed is not None else None)


class Memory:
    """An open memory index; ``lookup`` answers one segment."""

    def __init__(self, con: sqlite3.Connection, notices: list[str] | None = None, rebuild=None):
        self.con = con
        self.notices = notices or []
        self._rebuild = rebuild  # damaged under a lookup: a fresh index, once

    def close(self) -> None:
        self.con.close()

    def size(self, lang: str | None = None) -> int:
        sql = "SELECT count(*) FROM units" + (" WHERE lang = ?" if lang else "")
        return self.con.execute(sql, (lang,) if lang else ()).fetchone()[0]

    def note_of(self, match: Match, lang: str) -> str:
        """The note of the unit a paragraph match came from ('' for none, and for sentence matches)."""
        if match.kind == "sentences":
            return ""
        norm = normalize(match.source)
        row = self.con.execute(
            "SELECT note FROM units WHERE nh = ? AND norm = ? AND lang = ? AND note IS NOT NULL "
            "ORDER BY rank, id DESC LIMIT 1",
            (key(norm), norm, lang),
        ).fetchone()
        return row[0] if row else ""

    def lookup(self, query: Query, lang: str, min_score: int = 50) -> Match | None:
        try:
            return self._lookup(query, lang, min_score)
        except sqlite3.DatabaseError as exc:
            if self._rebuild is None:
                raise MemoryError_(f"the memory's index failed ({exc})", "memory.sqlite") from None
            self.con.close()
            self.con, self._rebuild = self._rebuild(exc), None
            self.notices.append(
                f"the memory's index memory.sqlite was damaged ({exc}); rebuilt from the "
                "translations and translations/memory/"
            )
            return self._lookup(query, lang, min_score)

    def _lookup(self, query: Query, lang: str, min_score: int) -> Match | None:
        text = normalize(query.text)
        found = self._paragraph(text, query, lang)
        if (found is None or found.score < 75) and sum(text.count(c) for c in "。！？!?") >= 2:
            joined = self._sentences(text, query.role, lang)
            if joined is not None and (found is None or joined.score > found.score):
                found = joined
        return found if found is not None and found.score >= min_score else None

    def _paragraph(self, text: str, query: Query, lang: str) -> Match | None:
        rows = self.con.execute(
            f"SELECT {_COLUMNS['units']} FROM units WHERE nh = ? AND norm = ? "
            "AND lang = ? ORDER BY rank, id DESC LIMIT 200",
            (key(text), text, lang),
        ).fetchall()
        if rows:
            prev, nxt = normalize(query.prev or ""), normalize(query.next or "")
            context = [r for r in rows if (r[8] or "") == prev and (r[9] or "") == nxt and query.prev is not None]
            row = min(context or rows, key=lambda r: (r[7], (r[4] or "") != query.role))
            return Match(
                101 if context else 100, row[0], row[3], row[5] or "", row[6], "context" if context else "exact"
            )
        near = (normalize(query.prev or ""), normalize(query.next or ""))
        return self._similar("units", text, query.role, lang, near)

    def _similar(self, table: str, text: str, role: str, lang: str, near=None) -> Match | None:
        """The best unit of ``table`` whose skeleton is the same (placeables
        adapted) or alike (fuzzy); ties go to the unit with the segment's
        neighbours ``near`` (previous, next)."""

        skel = skeleton(text)
        # a daily report's skeleton may have a thousand units: the best-ranked, newest few will do
        rows = [
            r
            for r in self.con.execute(
                f"SELECT {_COLUMNS[table]} FROM {table} WHERE sh = ? AND lang = ? ORDER BY rank, id DESC LIMIT 50",
                (key(skel), lang),
            )
            if skeleton(r[1]) == skel
        ]
        if rows:
            row = min(rows, key=lambda r: (r[7], (r[4] or "") != role, -_neighbours(r, near)))
            adapted = adapt(row[1], row[3], text)
            if adapted is not None:
                target, missed = adapted
                return Match(
                    max(95, 99 - 2 * missed) - ((row[4] or "") != role),
                    row[0],
                    target,
                    row[5] or "",
                    row[6],
                    "placeables",
                    adapted=True,
                )
        best = _fuzzy_best(_candidates(self.con, table, text, lang), text, role, near)
        deeper = max(PER, BUDGET // max(1, len(text) - 2))
        if (best is None or best[1] < DEEPEN) and deeper > PER:  # a short text: read deeper, once
            again = _fuzzy_best(_candidates(self.con, table, text, lang, per=deeper), text, role, near)
            if again is not None and (best is None or again[1] > best[1]):
                best = again
        if best is None:
            return None
        row, score = best
        target, adapted = _substituted(row[1], row[3], text)
        if adapted and adapted[1]:
            score -= 2 * adapted[1]  # a differing figure or name the old translation does not show
        return Match(score, row[0], target, row[5] or "", row[6], "fuzzy", adapted=bool(adapted))

    def _sentences(self, text: str, role: str, lang: str) -> Match | None:
        """Sentence leverage: each sentence matched alone, the translations
        joined; every sentence must find a match of at least 50."""
        parts = split_sentences(text)
        found = []
        for sentence in parts:
            exact = self.con.execute(
                "SELECT target, state FROM sents WHERE nh = ? AND norm = ? AND lang = ? ORDER BY rank LIMIT 1",
                (key(sentence), sentence, lang),
            ).fetchone()
            match = Match(100, sentence, exact[0], "", exact[1], "exact") if exact else None
            if match is None:
                match = self._best_of(sentence, role, lang)
            if match is None or match.score < 50:
                return None
            found.append(match)
        weights = [max(1, len(s)) for s in parts]
        score = sum(m.score * w for m, w in zip(found, weights)) // sum(weights)
        return Match(
            min(score, 99),
            "".join(m.source for m in found),
            " ".join(m.target for m in found),
            "; ".join(dict.fromkeys(m.origin for m in found if m.origin)),
            max((m.state for m in found), key=RANK.__getitem__),  # the weakest of its sentences
            "sentences",
            adapted=any(m.adapted for m in found),
        )

    def _best_of(self, sentence: str, role: str, lang: str) -> Match | None:
        candidates = [
            m
            for m in (
                self._similar("sents", sentence, role, lang),
                self._paragraph(sentence, Query(sentence, role), lang),
            )
            if m is not None
        ]
        return max(candidates, key=lambda m: m.score, default=None)
