"""Sentence pairs of the desk's own paragraphs whose Chinese and English
split into different numbers of sentences (a translator joined two
sentences, or split one): aligned with ``bilingual align``'s aligner, so a
new paragraph made of sentences the desk translated in different
paragraphs is leveraged sentence by sentence (sub-segment leverage).

Only the project's catalogs are aligned (a few hundred paragraphs, about
10 ms each, plus loading the aligner and CC-CEDICT, ~0.7 s CPU, once per
index), never a million imported units; a paragraph aligned once is kept
aligned in the index, so a submit that changes one entry aligns at most
that one.

May import: segment, aligner, lexicon, memory.index.
"""

from __future__ import annotations

import functools
import json
import sqlite3

from workflow.memory.index import MemoryUnit, _sentence_pairs, key, normalize
from workflow.sources.segment import split_english_sentences, split_sentences

#: A bead the aligner is less sure of than this is not kept (a wrong pair would be a harmful suggestion).
MIN_CONFIDENCE = 0.5
_ENDS = "。！？!?"


@functools.lru_cache(maxsize=1)
def _lexicon():
    from workflow.align.lexicon import Lexicon, cedict

    return cedict() or Lexicon()


def aligned_pairs(source: str, target: str) -> list[tuple[str, str]]:
    """(Chinese sentence, its English) for each bead of one Chinese sentence
    the aligner is sure enough of; the English may be several sentences."""
    from workflow.align.aligner import align

    zh, en = split_sentences(source), split_english_sentences(target)
    if len(zh) < 2 or not en:
        return []
    return [
        (zh[bead.zh[0]], " ".join(en[j] for j in bead.en))
        for bead in align(zh, en, _lexicon())
        if len(bead.zh) == 1 and bead.en and (bead.score or 0.0) >= MIN_CONFIDENCE
    ]


def with_sentences(con: sqlite3.Connection, units: list[MemoryUnit]) -> list[MemoryUnit]:
    """``units`` with the sentence pairs of each paragraph whose sides split
    into different numbers of sentences: aligned once, then kept in the
    index's ``alignments`` table (by source and translation, whatever
    catalog they are in), so an unchanged paragraph is never aligned again."""
    for unit in units:
        n = normalize(unit.source)
        if sum(n.count(c) for c in _ENDS) < 2 or _sentence_pairs(n, unit.target):
            continue
        pk = key(f"{n}\0{unit.target}")
        row = con.execute(
            "SELECT pairs FROM alignments WHERE pk = ? AND norm = ? AND target = ?", (pk, n, unit.target)
        ).fetchone()
        if row is not None:
            unit.sentences = [tuple(pair) for pair in json.loads(row[0])]
            continue
        unit.sentences = aligned_pairs(n, unit.target)
        con.execute(
            "INSERT INTO alignments VALUES (?,?,?,?)",
            (pk, n, unit.target, json.dumps(unit.sentences, ensure_ascii=False)),
        )
    return units
