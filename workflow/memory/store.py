"""The translation memory: what the desk already translated, offered for
every new segment.

**Where it lives.** The truth is in text files: the project's PO files
(every translated entry of every article) and the files imported with
``bilingual tm import``, kept as they came in ``translations/memory/`` (TMX,
PO, XLIFF, CSV).  ``.bilingual-cache/memory.sqlite`` is an index of them,
kept in step by content hashes (a file's size and time only spare re-reading
an unchanged file) and rebuilt, with a warning, when it is missing, corrupt
or of an older layout.

**Matching.** Sources are normalised (NFC, white space, full-width digits
and letters folded) and reduced to a *skeleton* in which figures, dates and
Latin-script names are placeables.  For a segment:

* 101 — a context match: the same source, and the same previous and next
  segments;
* 100 — the same source;
* 95–99 — the same skeleton: only format codes (``%(name)s``, ``{0}``),
  figures, dates or names differ; the old translation is adapted (``287.54 billion`` → ``301.27 billion``, ``March
  17`` → ``April 2``) and is always offered as fuzzy;
* below — fuzzy: candidates found through an FTS5 trigram index (each
  trigram of the segment fetches at most 150 units, a rare trigram's vote
  outweighing a common one's; those sharing the most trigrams are kept),
  then scored by character similarity (rapidfuzz), since Chinese has no
  word breaks: the similarity of the skeletons, but at most 10 points
  above the similarity of the texts themselves (format codes
  compared as written when both have the same, else as one character each,
  and renamed in the suggestion: ``'{0}' unlocked`` → ``'%(title)s' unlocked``);
* sentence leverage: when no paragraph scores at least 75, each sentence is
  looked up alone, and the joined translations are offered with the scores
  averaged by length.

The project's reviewed units rank before its translated ones, and both
before imported ones; a unit from another role scores one point less.

May import: errors, cache, clock, model, text, segment, numbers, fsio, pofile, lifecycle,
catalog, tmx, xliff, project, parallel.
"""

from __future__ import annotations

import functools
import heapq
import os
import re
import sqlite3
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from workflow.core.errors import InputError
from workflow.core.fsio import file_digest
from workflow.core.model import ALIGNED_ORIGIN
from workflow.core.text import mostly_han
from workflow.lang.numbers import FORMAT_CODE, adapt, skeleton, substitute_codes, without_codes
from workflow.sources.segment import split_english_sentences, split_sentences

SCHEMA = 11  # 9 added the units' note (TMX <note>) and their provenance (10); 11 indexes the units' lengths
#: The lowest score a kit or ``status --memory`` offers (``pretranslate`` fills from 75 by default):
#: measured on real catalogs (benchmarks/memory_bench.py: Django, Wagtail, Sphinx drifts and three
#: held-out ones), below it suggestions cost translators more than they save.
SUGGESTION_FLOOR = 60
RANK = {"reviewed": 0, "translated": 1, "imported": 2, "aligned": 3}  # aligned: model.ALIGNED_ORIGIN
BANDS = ("101", "100", "95-99", "85-94", "75-84", "50-74", "none")
FILE_KINDS = {".tmx": "tmx", ".po": "po", ".xlf": "xliff", ".xliff": "xliff", ".csv": "csv"}
MEMORY_DIR = "memory"  # under the translations folder
#: An import of this many units ends by merging the trigram index (seconds for a million units).
OPTIMIZE_AFTER = 20_000
#: A file this large takes long enough to index that the user is told (measured: 41 s for 1M units, 180 MB).
LONG_INDEX = 20_000_000


_DDL = """
CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, digest TEXT);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY, collection TEXT NOT NULL, lang TEXT NOT NULL, source TEXT,
    norm TEXT NOT NULL, target TEXT NOT NULL, role TEXT, origin TEXT,
    state TEXT NOT NULL, rank INTEGER NOT NULL, who TEXT, date TEXT, prev TEXT, next TEXT,
    nh INTEGER NOT NULL, sh INTEGER NOT NULL, note TEXT, provenance TEXT);
CREATE INDEX IF NOT EXISTS units_nh ON units(nh, lang, rank, id DESC);
CREATE INDEX IF NOT EXISTS units_sh ON units(sh, lang, rank, id DESC);
CREATE INDEX IF NOT EXISTS units_collection ON units(collection);
CREATE INDEX IF NOT EXISTS units_length ON units(lang, length(norm));
CREATE VIRTUAL TABLE IF NOT EXISTS units_fts USING fts5(
    norm, content='units', content_rowid='id', tokenize='trigram', detail='none', columnsize=0);
CREATE TABLE IF NOT EXISTS sents (
    id INTEGER PRIMARY KEY, unit INTEGER NOT NULL, lang TEXT NOT NULL, norm TEXT NOT NULL,
    target TEXT NOT NULL, role TEXT, origin TEXT, state TEXT NOT NULL, rank INTEGER NOT NULL,
    nh INTEGER NOT NULL, sh INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sents_nh ON sents(nh, lang, rank, id DESC);
CREATE INDEX IF NOT EXISTS sents_sh ON sents(sh, lang, rank, id DESC);
CREATE INDEX IF NOT EXISTS sents_unit ON sents(unit);
CREATE VIRTUAL TABLE IF NOT EXISTS sents_fts USING fts5(
    norm, content='sents', content_rowid='id', tokenize='trigram', detail='none', columnsize=0);
"""

_FOLD = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    0xFF05: 0x25,
    0x3000: 0x20,
}
_SPACE = re.compile(r"\s+")


_WIDE = re.compile("[\u3000\uff05\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_UNTIDY = re.compile(r"^\s|\s$|\s\s|[^\S ]")


def normalize(text: str) -> str:
    """NFC, full-width digits, letters and % folded, white space collapsed."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _WIDE.search(text):
        text = text.translate(_FOLD)
    return _SPACE.sub(" ", text).strip() if _UNTIDY.search(text) else text


_PUNCTUATION = str.maketrans(
    {"（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
     "：": ":", "，": ",", "；": ";", "！": "!", "？": "?", "、": ",", "—": "-", "…": "..."}
)
_HAN_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff]) | (?=[\u3000-\u303f\u4e00-\u9fff])")
_DOTS = re.compile(r"\.{3,}")


def punctuation_folded(text: str) -> str:
    """``text`` as a fuzzy score compares it: full-width punctuation as its
    ASCII twin, an ellipsis of any length as three dots, no space beside a
    Han character (``无法找到源码目录 (%s)`` and ``无法找到源码目录（%s）`` differ
    in style only: the translation is the same)."""
    return _DOTS.sub("...", _HAN_SPACE.sub("", text.translate(_PUNCTUATION))).strip()


def key(text: str) -> int:
    """A stable 32-bit hash (CRC-32) of a text: what the indexes hold instead
    of the (long) text itself, so a million units index fast.  Lookups
    compare the text too, so a collision costs one more comparison, no more."""
    return zlib.crc32(text.encode("utf-8"))


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
class Unit:
    """A memory unit to index: a source with its translation and where it came from."""

    source: str
    target: str
    role: str = ""
    origin: str = ""
    state: str = "imported"
    who: str = ""
    date: str = ""
    prev: str | None = None
    next: str | None = None
    note: str = ""  # an imported unit's note (TMX <note>): shown with its match
    #: Where the translation came from (``lifecycle.Seed.label``: human, machine · deepl · m1 …), as TMX
    #: ``x-origin`` carries it; "" when unknown.
    provenance: str = ""


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


@dataclass
class ImportReport:
    file: str
    stored_as: str
    added: int = 0
    duplicate: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason → count


# -- the database ---------------------------------------------------------------------------


class MemoryError_(InputError):
    """The memory's index cannot be used (a file that is not SQLite where the cache should be)."""


def _connect(path: Path | str) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=60, isolation_level=None)
    # Only a cache, rebuilt when damaged: a rollback journal (pages written once, not to a WAL and
    # again at its checkpoint), no fsync, and pages enough for a million units' indexes.
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-131072")
    con.execute("PRAGMA temp_store=MEMORY")
    return con


def _prepare(con: sqlite3.Connection) -> None:
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version not in (0, SCHEMA):
        raise sqlite3.DatabaseError(f"layout {version}")
    if version == 0:  # a new index (written only then: a full disk can still read a good one)
        con.executescript(_DDL)
        con.execute(f"PRAGMA user_version={SCHEMA}")


def discard_index(path: Path) -> None:
    """Remove the index and its journals, whatever stands there (a folder too)."""
    import shutil

    for suffix in ("", "-wal", "-shm", "-journal"):
        target = Path(f"{path}{suffix}")
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)


def open_index(path: Path) -> tuple[sqlite3.Connection, list[str]]:
    """The memory's index at ``path`` and what happened to it: a missing,
    corrupt or outdated index (it is only a cache) is rebuilt, with a
    notice; one that cannot be written there (a read-only or full disk) is
    built in memory for this command, with a notice."""
    notices: list[str] = []
    for attempt in (1, 2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = _connect(path)
            _prepare(con)
            return con, notices
        except (sqlite3.DatabaseError, OSError) as exc:
            if "con" in locals():
                con.close()
            problem = exc
            try:
                if attempt == 1:
                    discard_index(path)
                    notices.append(
                        f"the memory's index {path.name} could not be used ({problem}); rebuilt from "
                        "the translations and translations/memory/"
                    )
                    continue
            except OSError as gone:
                problem = gone
            break
    notices = [
        f"the memory's index {path.name} cannot be written ({getattr(problem, 'strerror', None) or problem}); "
        "this command builds it in memory"
    ]  # one notice: what the command does now
    con = _connect(":memory:")
    _prepare(con)
    return con, notices


def _sentence_pairs(source: str, target: str) -> list[tuple[str, str]]:
    """Sentence pairs of a paragraph, when both sides split into the same number (≥ 2)."""
    if sum(source.count(c) for c in "。！？!?") < 2:
        return []
    zh, en = split_sentences(source), split_english_sentences(target)
    return list(zip(zh, en)) if len(zh) == len(en) >= 2 else []


_BATCH = 20000


def prepared(units, skipped: Counter | None = None):
    """What indexing a unit takes, computed without the database (so it can
    run on another core): (unit row, its sentence rows), ids left out; and
    last, when ``skipped`` is given, ("skipped", the reasons counted)."""
    for unit in units:
        n = normalize(unit.source)
        sk = skeleton(n)
        row = (
            None if unit.source == n else unit.source,
            n,
            unit.target,
            unit.role,
            unit.origin,
            unit.state,
            RANK[unit.state],
            unit.who,
            unit.date,
            unit.prev,
            unit.next,
            key(n),
            key(sk),
            unit.note or None,
            unit.provenance or None,
        )
        sentences = [
            (zh, en, unit.role, unit.origin, unit.state, RANK[unit.state], key(zh), key(skeleton(zh)))
            for zh, en in _sentence_pairs(n, unit.target)
        ]
        yield row, sentences
    if skipped is not None:
        yield "skipped", skipped


def insert_units(
    con: sqlite3.Connection, collection: str, lang: str, units, dedupe: bool = False, ready: bool = False, progress=None
) -> tuple[int, int]:
    """Index ``units`` (or, ``ready``, what ``prepared`` made of them) under
    ``collection``, in the caller's transaction, in batches: a million units
    never sit in memory at once.  (added, duplicates).  With ``dedupe``
    (imports), a unit whose source and translation the memory already has is
    removed again, in one statement.  ``progress(units so far)`` after each batch."""
    first = con.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0] + 1
    first_sentence = con.execute("SELECT coalesce(max(id), 0) FROM sents").fetchone()[0] + 1
    rows: list[tuple] = []
    sentences: list[tuple] = []
    count = [0, 0]  # units, sentences so far

    def flush():
        con.executemany(
            "INSERT INTO units (id, collection, lang, source, norm, target, role, origin, state, "
            "rank, who, date, prev, next, nh, sh, note, provenance) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        con.executemany(
            "INSERT INTO sents (id, unit, lang, norm, target, role, origin, state, rank, nh, sh) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            sentences,
        )
        rows.clear()
        sentences.clear()
        if progress is not None:
            progress(count[0])

    for row, sentence_rows in units if ready else prepared(units):
        if row == "skipped":
            continue
        uid = first + count[0]
        count[0] += 1
        rows.append((uid, collection, lang, *row))
        for sentence in sentence_rows:
            sentences.append((first_sentence + count[1], uid, lang, *sentence))
            count[1] += 1
        if len(rows) >= _BATCH:
            flush()
    flush()
    duplicates = 0
    if dedupe and count[0]:
        duplicates = con.execute(
            "DELETE FROM units WHERE id >= ? AND EXISTS (SELECT 1 FROM units b WHERE b.nh = units.nh AND "
            "b.norm = units.norm AND b.target = units.target AND b.lang = units.lang AND b.id < units.id)",
            (first,),
        ).rowcount
        if duplicates:
            con.execute(
                "DELETE FROM sents WHERE id >= ? AND unit NOT IN (SELECT id FROM units WHERE id >= ?)",
                (first_sentence, first),
            )
    con.execute("INSERT INTO units_fts (rowid, norm) SELECT id, norm FROM units WHERE id >= ?", (first,))
    con.execute("INSERT INTO sents_fts (rowid, norm) SELECT id, norm FROM sents WHERE id >= ?", (first_sentence,))
    if count[0] - duplicates >= OPTIMIZE_AFTER:
        # Batches leave the trigram index in many segments, each read by every lookup: merged into
        # one, a trigram's list is read at once (measured on a million units: fuzzy lookups 25% faster).
        for table in ("units", "sents"):
            con.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
    return count[0] - duplicates, duplicates


def drop_collection(con: sqlite3.Connection, collection: str) -> None:
    """Remove a collection's units (and their entries in the full-text indexes)."""
    con.execute(
        "INSERT INTO sents_fts (sents_fts, rowid, norm) SELECT 'delete', s.id, s.norm FROM sents s "
        "JOIN units u ON s.unit = u.id WHERE u.collection = ?",
        (collection,),
    )
    con.execute("DELETE FROM sents WHERE unit IN (SELECT id FROM units WHERE collection = ?)", (collection,))
    con.execute(
        "INSERT INTO units_fts (units_fts, rowid, norm) SELECT 'delete', id, norm FROM units WHERE collection = ?",
        (collection,),
    )
    con.execute("DELETE FROM units WHERE collection = ?", (collection,))
    con.execute("DELETE FROM collections WHERE name = ?", (collection,))


# -- looking up ---------------------------------------------------------------------------------

#: What a lookup reads, in this order, from units and from sentences.
_COLUMNS = {
    "units": "coalesce(source, norm), norm, norm, target, role, origin, state, rank",
    "sents": "norm, norm, norm, target, role, origin, state, rank",
}  # the third: its skeleton, made on reading


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


def _candidates(con: sqlite3.Connection, table: str, text: str, lang: str, per: int = 150, keep: int = 30) -> list:
    """Units sharing the most trigrams with ``text`` (see ``_voted``): of the
    ``8 × keep`` with the most votes, the ``keep`` most alike by trigram
    overlap (votes against both lengths: a unit that merely contains the text
    loses to one that is the text) are read, with their skeletons.  (Eight,
    not four: a sentence the memory also has inside longer, newer units is
    out-voted by them; on a million distinct units, 81 of 100 best matches
    found instead of 78.)"""
    grams = _trigrams(text)
    voted = _voted(con, table, grams, per, 8 * keep) if grams else []
    ids = [i for i, _, _ in voted]
    if len(ids) > keep:
        marks = ",".join("?" * len(ids))
        sizes = dict(con.execute(f"SELECT id, length(norm) FROM {table} WHERE id IN ({marks})", ids).fetchall())
        alike = {i: -weight / (len(grams) + max(1, sizes.get(i, 3) - 2) - votes) for i, weight, votes in voted}
        ids = sorted(ids, key=alike.__getitem__)[:keep]
    if table == "units" and len(text) <= SHORT:
        ids = list(dict.fromkeys(ids + _short_candidates(con, text, lang, keep)))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = con.execute(
        f"SELECT {_COLUMNS[table]} FROM {table} WHERE id IN ({marks}) AND lang = ?", (*ids, lang)
    ).fetchall()
    return [(r[0], r[1], skeleton(r[1]), *r[3:]) for r in rows]


#: A text this short has too few trigrams to find its neighbours by: the units short enough to be
#: alike (a ratio of 50 needs a length under three times the text's) are compared directly.
SHORT = 6


def _short_candidates(con: sqlite3.Connection, text: str, lang: str, keep: int) -> list[int]:
    """The ``keep`` units most alike to a short ``text`` (rapidfuzz ratio of at
    least 50) among those at least as long and short enough to be alike
    (through the length index; the newest 20,000 at most).  Not shorter: a
    unit that is a part of a short text lacks a word of it (``预览`` for
    ``平板预览``, measured: 10 of 17 harmful suggestions on a Wagtail drift),
    one that holds it has the words (``清除选择`` for ``清除``)."""
    from rapidfuzz import fuzz, process

    rows = con.execute(
        "SELECT id, norm FROM units WHERE lang = ? AND length(norm) BETWEEN ? AND ? ORDER BY id DESC LIMIT 20000",
        (lang, len(text), 3 * len(text)),
    ).fetchall()
    folded = punctuation_folded(text)
    best = process.extract(
        folded, [punctuation_folded(r[1]) for r in rows], scorer=fuzz.ratio, limit=keep, score_cutoff=50
    )
    return [rows[i][0] for _, _, i in best]


def _order(row, score: int) -> tuple:
    return (-score, row[7], -len(row[5] or ""))


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
            f"SELECT {_COLUMNS['units']}, prev, next FROM units WHERE nh = ? AND norm = ? "
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
        return self._similar("units", text, query.role, lang)

    def _similar(self, table: str, text: str, role: str, lang: str) -> Match | None:
        """The best unit of ``table`` whose skeleton is the same (placeables
        adapted) or alike (fuzzy)."""
        from rapidfuzz import fuzz

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
            row = min(rows, key=lambda r: (r[7], (r[4] or "") != role))
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
        best, best_key = None, None
        codes, folded = FORMAT_CODE.findall(text), punctuation_folded(text)
        plain, kept = without_codes(folded), None
        for row in _candidates(self.con, table, text, lang):
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
            score = int(score) - ((row[4] or "") != role)
            score = min(score, 99)
            order = _order(row, score)
            if best_key is None or order < best_key:
                best, best_key = (row, score), order
        if best is None:
            return None
        row, score = best
        renamed = substitute_codes(row[1], row[3], text)
        return Match(score, row[0], renamed or row[3], row[5] or "", row[6], "fuzzy", adapted=renamed is not None)

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
            min(m.state for m in found),
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


# -- what the memory is made of ---------------------------------------------------------------


def po_units(po, article: str) -> list[Unit]:
    """The translated and reviewed entries of a project catalog, each with
    the sources of the segments before and after it (its context)."""
    from workflow.po import lifecycle, pofile
    from workflow.po.catalog import entry_id

    live = [e for e in po if not e.obsolete and not pofile.is_header(e)]
    out = []
    for i, e in enumerate(live):
        state = lifecycle.state(e)
        if state not in (lifecycle.State.TRANSLATED, lifecycle.State.REVIEWED):
            continue
        who, when = lifecycle.last_translation(e)
        seed = lifecycle.seed(e)
        out.append(
            Unit(
                e.msgid,
                pofile.first_msgstr(e),
                e.msgctxt or "",
                f"{article}:{entry_id(e)}",
                state.value,
                who,
                when,
                normalize(live[i - 1].msgid) if i else "",
                normalize(live[i + 1].msgid) if i + 1 < len(live) else "",
                provenance=seed.label if seed is not None else lifecycle.Origin.HUMAN.value,
            )
        )
    return out


def _tmx_units(path: Path, display: str, source_language: str, lang: str, skipped: Counter):
    from workflow.kits import tmx

    for unit in tmx.read(path, display, source_language, lang):
        if unit.problem or not unit.source.strip() or not unit.target.strip():
            skipped[unit.problem or "empty source or translation"] += 1
            continue
        where = unit.props.get("x-article", "") or unit.tuid or path.name
        if (
            unit.props.get("x-origin", "").startswith((ALIGNED_ORIGIN, "aligned"))
            or unit.props.get("x-state") == "aligned"
        ):
            score = unit.props.get("x-align-score", "")
            yield Unit(
                unit.source,
                unit.target,
                unit.props.get("x-role", ""),
                f"{ALIGNED_ORIGIN}{f' {score}' if score else ''} · {where}",
                "aligned",
                unit.who,
                unit.date,
                note=unit.note,
                provenance=f"aligned{f' · {score}' if score else ''}",
            )
            continue
        yield Unit(
            unit.source,
            unit.target,
            unit.props.get("x-role", ""),
            where,
            "imported",
            unit.who,
            unit.date,
            note=unit.note,
            provenance=unit.props.get("x-origin", ""),
        )


def _po_units(path: Path, display: str, lang: str, skipped: Counter):
    from workflow.po import lifecycle, pofile

    po = pofile.load(path, display)
    language = (po.metadata.get("Language") or lang).replace("-", "_")
    if language.split("_")[0] != lang.split("_")[0]:
        skipped[f"a catalog for language {language}, not {lang}"] += len(po)
        return
    for e in po:
        if e.obsolete or pofile.is_header(e):
            continue
        if lifecycle.state(e) not in (lifecycle.State.TRANSLATED, lifecycle.State.REVIEWED):
            skipped[f"{lifecycle.state(e).value} (only translated entries are taken)"] += 1
            continue
        seed = lifecycle.seed(e)
        yield Unit(
            e.msgid,
            pofile.first_msgstr(e),
            e.msgctxt or "",
            path.name,
            "imported",
            provenance=seed.label if seed is not None else "",
        )


def _xliff_units(path: Path, display: str, lang: str, skipped: Counter):
    from workflow.kits import xliff

    document = xliff.read(path.read_bytes(), display)
    if document.target_language and document.target_language.replace("_", "-").split("-")[0] != lang.split("_")[0]:
        skipped[f"a file for language {document.target_language}, not {lang}"] += len(document.units)
        return
    for unit in document.units:
        if unit.problem or unit.state != "translated":
            skipped[unit.problem or f"{unit.state} (only translated units are taken)"] += 1
            continue
        yield Unit(unit.source, unit.target, "", path.name, "imported", provenance=unit.origin)


def _csv_units(path: Path, display: str, skipped: Counter):
    import csv
    import io

    from workflow.core.text import decode

    text = decode(path.read_bytes(), display, InputError)
    head = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=head.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
    if "source" not in columns or "target" not in columns:
        raise InputError("a memory CSV needs the columns source and target", display, 1)
    try:
        for row in reader:
            source, target = row[columns["source"]] or "", row[columns["target"]] or ""
            if not source.strip() or not target.strip():
                skipped["empty source or translation"] += 1
                continue
            yield Unit(source, target, (row.get(columns.get("role", ""), "") or ""), path.name, "imported")
    except csv.Error as exc:
        raise InputError(f"broken CSV: {exc}", display, reader.line_num) from None


def _prepared_file(path: Path, display: str, source_language: str, lang: str):
    """``prepared`` of a file's units, with the skip reasons last (what the child process runs)."""
    skipped: Counter = Counter()
    yield from prepared(file_units(path, display, source_language, lang, skipped), skipped)


def index_file(
    con: sqlite3.Connection,
    collection: str,
    path: Path,
    display: str,
    source_language: str,
    lang: str,
    skipped: Counter,
    progress=None,
) -> tuple[int, int]:
    """Index an imported file: read and prepared on one core, inserted on the other."""
    from workflow.core.parallel import background

    def rows():
        for item in background(_prepared_file, (path, display, source_language, lang), batch=2000):
            if item[0] == "skipped":
                skipped.update(item[1])
            else:
                yield item

    return insert_units(con, collection, lang, rows(), dedupe=True, ready=True, progress=progress)


def file_units(path: Path, display: str, source_language: str, lang: str, skipped: Counter):
    """The units of an imported file, in ``source_language`` → ``lang``; what
    cannot be used is counted in ``skipped`` by reason."""
    kind = FILE_KINDS.get(path.suffix.lower())
    if kind == "tmx":
        units = _tmx_units(path, display, source_language, lang, skipped)
    elif kind == "po":
        units = _po_units(path, display, lang, skipped)
    elif kind == "xliff":
        units = _xliff_units(path, display, lang, skipped)
    elif kind == "csv":
        units = _csv_units(path, display, skipped)
    else:
        raise InputError(f"not a memory format (use {', '.join(FILE_KINDS)})", display)
    return _translations_only(units, lang, skipped)


def untranslated_reason(source: str, target: str, lang: str) -> str | None:
    """Why an imported unit is no translation at all, or None: its target
    is its source (a pseudo-translated or copied memory), or, for a
    language not written in Han characters, mostly Han."""
    if normalize(target) == normalize(source):
        return "the translation is the source text (target = source)"
    if mostly_han(target, lang):
        return f"the translation is mostly Han characters (not {lang})"
    return None


def _translations_only(units, lang: str, skipped: Counter):
    for unit in units:
        reason = untranslated_reason(unit.source, unit.target, lang)
        if reason:
            skipped[reason] += 1
        else:
            yield unit


# -- the project's memory --------------------------------------------------------------------------


def index_path(project) -> Path:
    from workflow.core.project import CACHE_DIR

    return project.root / CACHE_DIR / "memory.sqlite"


def memory_dir(project) -> Path:
    return project.translations_dir / MEMORY_DIR


def collections(project) -> list[tuple[str, Path, str, str]]:
    """(name, file, target language, kind) of everything the memory is made
    of: the project's catalogs, then the imported files, in a fixed order."""
    out = []
    for lang in project.config.target_languages:
        folder = project.translations_dir / lang
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            out.append((f"po:{project.rel(path)}", path, lang, "project"))
    folder = memory_dir(project)
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.is_file() and path.suffix.lower() in FILE_KINDS and not path.name.startswith("."):
            for lang in project.config.target_languages:
                out.append((f"file:{project.rel(path)}#{lang}", path, lang, FILE_KINDS[path.suffix.lower()]))
    return out


def _units_of(project, path: Path, lang: str, kind: str, skipped: Counter):
    from workflow.po import pofile

    display = project.rel(path)
    if kind == "project":
        return po_units(pofile.load(path, display), path.stem)
    return file_units(path, display, project.config.source_language, lang, skipped)


def _transaction(con: sqlite3.Connection, work):
    """Run ``work()`` as one write transaction (others wait; a failure leaves the index as it was)."""
    con.execute("BEGIN IMMEDIATE")
    try:
        result = work()
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return result


def sync(con: sqlite3.Connection, project) -> None:
    """Bring the index in step with the files: a file whose size or time
    changed is read again and re-indexed only if its content hash changed."""
    wanted = collections(project)
    for name, path, lang, kind in wanted:
        stat = path.stat()
        row = con.execute("SELECT size, mtime, digest FROM collections WHERE name = ?", (name,)).fetchone()
        if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns:
            continue
        digest = file_digest(path)
        tick = None
        if stat.st_size >= LONG_INDEX and (not row or row[2] != digest):
            from workflow.core import cache

            cache.warn(
                f"indexing {project.rel(path)} ({stat.st_size / 1e6:.0f} MB) for the translation memory; "
                "about 40 s per million units, once"
            )
            if cache.rebuild_progress is not None:
                tick = functools.partial(cache.rebuild_progress, project.rel(path))

        def work(name=name, path=path, lang=lang, kind=kind, digest=digest, stat=stat, tick=tick):
            now = con.execute("SELECT digest FROM collections WHERE name = ?", (name,)).fetchone()
            if not now or now[0] != digest:  # another process may have done it meanwhile
                drop_collection(con, name)
                if kind == "project":
                    insert_units(con, name, lang, _units_of(project, path, lang, kind, Counter()))
                else:
                    index_file(
                        con, name, path, project.rel(path), project.config.source_language, lang, Counter(), tick
                    )
                    if tick is not None:
                        tick(None)  # done
            con.execute(
                "INSERT OR REPLACE INTO collections VALUES (?,?,?,?)", (name, stat.st_size, stat.st_mtime_ns, digest)
            )

        _transaction(con, work)
    gone = {row[0] for row in con.execute("SELECT name FROM collections")} - {w[0] for w in wanted}
    for name in sorted(gone):
        _transaction(con, lambda name=name: drop_collection(con, name))


def open_memory(project) -> Memory:
    """The project's memory, in step with its files.  An index that is
    damaged (found on opening, while syncing, or in a lookup) is rebuilt
    from the files, once, with a notice; never fatal."""
    path = index_path(project)
    con, notices = open_index(path)
    try:
        sync(con, project)
    except sqlite3.DatabaseError as exc:
        con.close()
        con, notices = _rebuilt(project, path, exc, notices)
    return Memory(con, notices, lambda exc: _rebuilt(project, path, exc, [])[0])


def _rebuilt(project, path: Path, exc: Exception, notices: list[str]) -> tuple[sqlite3.Connection, list[str]]:
    """A fresh index in place of a damaged one (in memory when the disk refuses it)."""
    try:
        discard_index(path)
    except OSError:
        pass
    con, more = open_index(path)
    notices = (
        notices
        + [
            f"the memory's index {path.name} was damaged ({exc}); rebuilt from the translations "
            "and translations/memory/"
        ]
        + [n for n in more if "in memory" in n]
    )
    try:
        sync(con, project)
    except sqlite3.DatabaseError as again:  # the disk refuses the rebuilt one too: in memory
        con.close()
        con = _connect(":memory:")
        _prepare(con)
        notices.append(f"the memory's index {path.name} cannot be written ({again}); this command builds it in memory")
        sync(con, project)
    return con, notices


def _stored_name(folder: Path, path: Path, digest: str) -> tuple[Path, bool]:
    """Where an imported file is kept, and whether that very file is there already."""
    candidate, n = folder / path.name, 1
    while candidate.exists():
        if file_digest(candidate) == digest:
            return candidate, True
        n += 1
        candidate = folder / f"{path.stem}-{n}{path.suffix}"
    return candidate, False


def _keep_copy(path: Path, stored: Path) -> None:
    """Copy an imported file into the memory folder whole or not at all."""
    import shutil

    from workflow.core.fsio import temporary_beside

    tmp = temporary_beside(stored)
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, tmp)
        os.replace(tmp, stored)
    except OSError as exc:
        exc.filename = str(stored)  # not the file read: the one that could not be written
        raise exc from None
    finally:
        tmp.unlink(missing_ok=True)


def _disk_refused(exc: sqlite3.DatabaseError, path: Path) -> OSError | None:
    """The ``OSError`` behind an SQLite failure that is the disk's doing (full, read-only), or None."""
    import errno

    text = str(exc).lower()
    code = errno.ENOSPC if "full" in text else errno.EROFS if "readonly" in text or "read-only" in text else None
    if code is None:
        return None
    return OSError(code, os.strerror(code), str(path))


def import_file(project, path: Path, display: str, langs: list[str], kept: list[Path] | None = None) -> ImportReport:
    """Index ``path`` and keep it in ``translations/memory/`` (all or nothing;
    a file kept is added to ``kept``, for the caller to take back if a later one fails)."""
    if path.suffix.lower() not in FILE_KINDS:
        raise InputError(f"not a memory format (use {', '.join(FILE_KINDS)})", display)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "is a folder, not a file", display)
    digest = file_digest(path)
    stored, already = _stored_name(memory_dir(project), path, digest)
    report = ImportReport(display, project.rel(stored))
    con = open_memory(project).con  # damage found on the way is rebuilt first
    try:
        _transaction(con, lambda: _import_work(project, con, path, display, langs, stored, already, digest, report))
        if not already and kept is not None:
            kept.append(stored)
    except sqlite3.DatabaseError as exc:
        if not already:
            stored.unlink(missing_ok=True)
        refused = _disk_refused(exc, index_path(project))
        if refused is None:
            raise
        raise refused from None
    except BaseException:
        if not already:
            stored.unlink(missing_ok=True)  # the index rolled back: the copy goes too
        raise
    finally:
        con.close()
    return report


def _import_work(
    project, con, path: Path, display: str, langs, stored: Path, already: bool, digest: str, report: ImportReport
) -> None:
    for lang in langs:
        if already:
            report.duplicate += sum(
                1 for _ in file_units(path, display, project.config.source_language, lang, report.skipped)
            )
            continue
        added, duplicates = index_file(
            con,
            f"file:{project.rel(stored)}#{lang}",
            path,
            display,
            project.config.source_language,
            lang,
            report.skipped,
        )
        report.added += added
        report.duplicate += duplicates
    if not already:
        _keep_copy(path, stored)
        stat = stored.stat()
        con.executemany(
            "INSERT OR REPLACE INTO collections VALUES (?,?,?,?)",
            [(f"file:{project.rel(stored)}#{lang}", stat.st_size, stat.st_mtime_ns, digest) for lang in langs],
        )


def _tmx_date(date: str) -> str:
    digits = re.sub(r"\D", "", date)
    return f"{digits[:8]}T000000Z" if len(digits) >= 8 else ""


def export_units(memory: Memory, lang: str):
    """Every unit of ``lang``, in a stable order, shaped for ``tmx.write``."""
    from workflow.kits.tmx import Unit as TmxUnit

    rows = memory.con.execute(
        "SELECT origin, role, state, coalesce(source, norm), target, who, date, id, note, "
        "provenance FROM units WHERE lang = ? "
        "ORDER BY rank, origin, norm, id",
        (lang,),
    )
    for origin, role, state, source, target, who, date, uid, note, provenance in rows:
        article, _, segment = (origin or "").partition(":")
        props = {
            "x-role": role or "",
            "x-article": article,
            "x-segment": segment,
            "x-state": state,
            "x-origin": provenance or "",
        }
        yield TmxUnit(source, target, origin or f"u{uid}", props, who or "", _tmx_date(date or ""), note=note or "")
