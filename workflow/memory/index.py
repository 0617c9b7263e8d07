"""The memory's index: ``.bilingual-cache/memory.sqlite``, SQLite with
FTS5 trigram indexes of the units and of their sentences, rebuilt (it is
only a cache) when missing, corrupt or of an older layout.  How a source is
normalised, how units are indexed in batches and removed by collection.

May import: errors, model, text, placeables, segment.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from workflow.core.errors import InputError
from workflow.lang.placeables import skeleton
from workflow.sources.segment import split_english_sentences, split_sentences

SCHEMA = 11  # 9 added the units' note (TMX <note>) and their provenance (10); 11 indexes the units' lengths and keeps sentence alignments


RANK = {"reviewed": 0, "translated": 1, "imported": 2, "aligned": 3}  # aligned: model.ALIGNED_ORIGIN


OPTIMIZE_AFTER = 20_000


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
CREATE TABLE IF NOT EXISTS alignments (pk INTEGER NOT NULL, norm TEXT NOT NULL, target TEXT NOT NULL, pairs TEXT);
CREATE INDEX IF NOT EXISTS alignments_pk ON alignments(pk);
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
    {
        "（": "(",
        "）": ")",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "：": ":",
        "，": ",",
        "；": ";",
        "！": "!",
        "？": "?",
        "、": ",",
        "—": "-",
        "…": "...",
    }
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


@dataclass
class MemoryUnit:
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
    #: The paragraph's sentence pairs when known otherwise (aligned: ``memory.sentences``); None: the
    #: pairs are the sentences of both sides when they split into the same number.
    sentences: list[tuple[str, str]] | None = None


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
            for zh, en in (unit.sentences if unit.sentences is not None else _sentence_pairs(n, unit.target))
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
    (imports), a unit whose source and translation the memory already has (in
    another collection, or earlier in this one) is counted as a duplicate; it stays in the index (shadowed: lookups and the
    export take the first by rank, collection and position), so that the index
    is the same whatever order its files were indexed in: a project entry
    blanked later leaves the imported twin as a fresh rebuild has it.
    ``progress(units so far)`` after each batch."""
    first = con.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0] + 1
    first_sentence = con.execute("SELECT coalesce(max(id), 0) FROM sents").fetchone()[0] + 1
    count = _insert_rows(con, collection, lang, units if ready else prepared(units), first, first_sentence, progress)
    duplicates = 0
    if dedupe and count:
        duplicates = con.execute(
            "SELECT count(*) FROM units WHERE id >= ? AND EXISTS (SELECT 1 FROM units b WHERE b.nh = units.nh "
            "AND b.norm = units.norm AND b.target = units.target AND b.lang = units.lang "
            "AND (b.collection != units.collection OR b.id < units.id))",
            (first,),
        ).fetchone()[0]
    con.execute("INSERT INTO units_fts (rowid, norm) SELECT id, norm FROM units WHERE id >= ?", (first,))
    con.execute("INSERT INTO sents_fts (rowid, norm) SELECT id, norm FROM sents WHERE id >= ?", (first_sentence,))
    if count >= OPTIMIZE_AFTER:
        # Batches leave the trigram index in many segments, each read by every lookup: merged into
        # one, a trigram's list is read at once (measured on a million units: fuzzy lookups 25% faster).
        for table in ("units", "sents"):
            con.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('optimize')")
    return count - duplicates, duplicates


#: A unit another one of the same language, source and translation comes before (by rank, then
#: collection, then position: an order that does not depend on when each file was indexed).
SHADOWED = (
    "EXISTS (SELECT 1 FROM units b WHERE b.nh = {u}.nh AND b.norm = {u}.norm AND b.target = {u}.target "
    "AND b.lang = {u}.lang AND (b.rank, b.collection, b.id) < ({u}.rank, {u}.collection, {u}.id))"
)


def _insert_rows(con, collection: str, lang: str, ready, first: int, first_sentence: int, progress) -> int:
    """Insert what ``prepared`` made, ids from ``first`` (sentences from
    ``first_sentence``), ``_BATCH`` units at a time; how many units."""
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

    for row, sentence_rows in ready:
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
    return count[0]


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
