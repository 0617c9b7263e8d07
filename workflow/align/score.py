"""How likely a Chinese and an English sentence group are translations of
each other: the aligner's scorer.

Each sentence is read once into features: its length, the English stems
its Chinese words may be translated by (CC-CEDICT, glossary, memory), its
content stems (English side), and its *anchors*, which are exact evidence:
figures and dates normalised across the languages (``1.2万`` = ``12,000``,
``2023年3月5日`` = ``March 5, 2023``, with ``numbers``), Latin-script names
and codes, and names in pinyin (``陈清扬`` = ``Chen Qingyang``).  What two
sentences share is counted for every cell of the band the dynamic programme
searches (sparse products a block of rows at a time, so the cost grows with
the band, not with the square of the length), and a bead of several
sentences adds the counts of its cells: a bead's score is computed from
sums, for every bead type over the whole band at once.

A bead's score: its size times the evidence (the lexical Dice of the
words translated, the anchors shared, and the cosine of the sentence
embeddings when they are given), plus the log-probability of its length
ratio (Gale–Church), minus a prior for merges.

May import: lexicon, numbers, text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.special import log_ndtr

from workflow.align.lexicon import ZH_STOP, Lexicon, en_stems
from workflow.lang.numbers import source_numbers, target_numbers

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&\-]*[A-Za-z0-9]|[A-Z]")
_CAPITAL = re.compile(r"\b[A-Z][a-z]+(?:-[a-z]+)?\b")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"\s+")


@dataclass
class Weights:
    """The scorer's weights (tuned on MAC-Dev, checked on the Bible and on news)."""

    lexical: float = 1.0
    anchors: float = 0.6
    embedding: float = 0.0
    embedding_floor: float = 0.2  # a cosine below this is no evidence at all
    length: float = 0.05  # weight of the Gale–Church log-probability
    variance: float = 3.0  # Gale–Church s² for characters, scaled by the ratio
    merge: float = 0.55  # the prior cost of each sentence a bead holds beyond 1–1
    many: float = 0.3  # and of each beyond one on both sides (2–2, 2–3: rare in translation)
    skip: float = -0.8  # the score of a 0–1 or 1–0 bead
    # ... less this much for each unit by which the first pass's median 1–1 evidence exceeds
    # literal_from: in a literal translation, a merged sentence that brings no evidence is more
    # likely one the translation left out (news: a median of 0.4–0.85; the novels of MAC: 0.1–0.4)
    literal_skip: float = 1.5
    literal_from: float = 0.4
    weak: float = 1.0  # the cost of each merged member's shortfall of evidence with the other side
    weak_floor: float = 0.8  # a merged member falls short below this share of its bead's evidence
    weak_length: float = 40.0  # a member shorter than this (Chinese characters or their English length) counts less


@dataclass
class Side:
    """The features of one side's sentences, as arrays and sparse matrices."""

    length: np.ndarray  # characters, spaces left out
    words: np.ndarray  # content words with a dictionary translation (zh) / content stems (en)
    anchors: np.ndarray
    terms: sparse.csr_matrix  # sentence × stem (zh: the union of its words' translations; en: stem counts)
    marks: sparse.csr_matrix  # sentence × anchor
    occurrences: sparse.csr_matrix | None = None  # zh: word occurrence × stem
    starts: np.ndarray | None = None  # zh: first occurrence row of each sentence
    vectors: np.ndarray | None = None  # sentence embeddings (L2-normalised), when given


@dataclass
class _Vocab:
    index: dict = field(default_factory=dict)

    def id(self, item: str) -> int:
        return self.index.setdefault(item, len(self.index))


def _number_marks(values) -> set[str]:
    return {f"#{v.normalize():f}" for v in values}


def zh_anchors(text: str, lexicon: Lexicon, wanted) -> set[str]:
    """Figures (as values), Latin-script words and the pinyin of 2- and
    3-character runs (the shapes a Chinese name takes) that are in ``wanted``
    (the English side's anchors: a pinyin run no English name spells is no anchor)."""
    marks = _number_marks(v for v, kind, _, _ in source_numbers(text) if kind != "cn")
    marks.update("@" + w.lower() for w in _LATIN.findall(text))
    pinyin = lexicon.pinyin
    syllables = [pinyin.get(ch, "") for ch in text]
    for i in range(len(text) - 1):
        if syllables[i] and syllables[i + 1] and text[i] not in ZH_STOP:
            pair = "@" + syllables[i] + syllables[i + 1]
            if pair in wanted:
                marks.add(pair)
            if i + 2 < len(text) and syllables[i + 2] and pair + syllables[i + 2] in wanted:
                marks.add(pair + syllables[i + 2])
    return marks


def en_anchors(text: str) -> set[str]:
    """Figures (as values), Latin-script words kept as they are spelled
    (codes, acronyms), and capitalised words alone and in pairs."""
    values, _ = target_numbers(text)
    marks = _number_marks(v for v in values if v > 10 or any(ch.isdigit() for ch in text))
    caps = _CAPITAL.findall(text)
    marks.update("@" + w.lower().replace("-", "") for w in caps)
    marks.update("@" + (a + b).lower().replace("-", "") for a, b in zip(caps, caps[1:]))
    marks.update("@" + w.lower() for w in _LATIN.findall(text) if not w.istitle() or len(w) <= 3)
    return marks


def _length(text: str) -> int:
    return len(_SPACE.sub("", text))


def zh_side(sentences: list[str], lexicon: Lexicon, stems: _Vocab, marks: _Vocab) -> Side:
    occ_rows, occ_cols, starts, words = [], [], [], []
    term_rows, mark_rows = [], []
    term_cols: list[int] = []  # the stems of a sentence's words
    mark_cols: list[int] = []
    occurrence = 0
    known: dict[str, list[int]] = {}  # a word's stem ids, looked up once
    for i, text in enumerate(sentences):
        starts.append(occurrence)
        count, union = 0, set()
        for word in lexicon.words(text):
            ids = known.get(word)
            if ids is None:
                ids = known[word] = [] if word in ZH_STOP else [stems.id(s) for s in sorted(lexicon.stems(word))]
            if ids:
                occ_rows.extend([occurrence] * len(ids))
                occ_cols.extend(ids)
                union.update(ids)
                occurrence += 1
                count += 1
        words.append(count)
        term_rows.extend([i] * len(union))
        term_cols.extend(union)
        found = zh_anchors(text, lexicon, marks.index)
        mark_rows.extend([i] * len(found))
        mark_cols.extend(marks.id(m) for m in found)
    return Side(
        np.array([_length(s) for s in sentences], dtype=np.float64),
        np.array(words, dtype=np.float64),
        np.zeros(len(sentences)),
        _matrix(term_rows, term_cols, len(sentences)),
        _matrix(mark_rows, mark_cols, len(sentences)),
        _matrix(occ_rows, occ_cols, occurrence),
        np.array(starts + [occurrence], dtype=np.int64),
    )


def en_side(sentences: list[str], stems: _Vocab, marks: _Vocab) -> Side:
    term_rows, mark_rows, words = [], [], []
    term_cols: list[int] = []  # stem ids, with their counts in term_vals
    term_vals: list[int] = []
    mark_cols: list[int] = []
    for j, text in enumerate(sentences):
        counted: dict[int, int] = {}
        for s in en_stems(text):
            sid = stems.id(s)
            counted[sid] = counted.get(sid, 0) + 1
        words.append(sum(counted.values()))
        term_rows.extend([j] * len(counted))
        term_cols.extend(counted)
        term_vals.extend(counted.values())
        found = en_anchors(text)
        mark_rows.extend([j] * len(found))
        mark_cols.extend(marks.id(m) for m in found)
    return Side(
        np.array([_length(s) for s in sentences], dtype=np.float64),
        np.array(words, dtype=np.float64),
        np.zeros(len(sentences)),
        _matrix(term_rows, term_cols, len(sentences), term_vals),
        _matrix(mark_rows, mark_cols, len(sentences)),
    )


def _matrix(rows, cols, height: int, values=None) -> sparse.csr_matrix:
    data = np.ones(len(rows), dtype=np.float32) if values is None else np.array(values, dtype=np.float32)
    return sparse.csr_matrix(
        (data, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))), shape=(height, 1 << 22)
    )


def _zh_parts(side: Side) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The Chinese side's word occurrences and each sentence's first occurrence row."""
    if side.occurrences is None or side.starts is None:
        raise ValueError("not a Chinese side (made by zh_side)")
    return side.occurrences, side.starts


def features(zh: list[str], en: list[str], lexicon: Lexicon) -> tuple[Side, Side]:
    """Both sides' features over one vocabulary of stems and one of anchors."""
    stems, marks = _Vocab(), _Vocab()
    b = en_side(en, stems, marks)
    a = zh_side(zh, lexicon, stems, marks)
    for matrix in (a.terms, _zh_parts(a)[0], b.terms):  # as wide as the vocabulary, not the room made for it
        matrix.resize((matrix.shape[0], max(1, len(stems.index))))
    for matrix in (a.marks, b.marks):
        matrix.resize((matrix.shape[0], max(1, len(marks.index))))
    a.anchors = np.asarray((a.marks > 0).sum(axis=1)).ravel().astype(np.float64)
    # an anchor counts on a side only when the other side has it somewhere: a name the
    # translation leaves out, or a pinyin pair that is no name, is no evidence against a pair
    shared = np.zeros(a.marks.shape[1], dtype=bool)
    shared[np.intersect1d(a.marks.indices, b.marks.indices)] = True
    for side in (a, b):
        side.marks = _keep_columns(side.marks, shared)
        side.anchors = np.asarray((side.marks > 0).sum(axis=1)).ravel().astype(np.float64)
    return a, b


def _keep_columns(matrix: sparse.csr_matrix, keep: np.ndarray) -> sparse.csr_matrix:
    coo = matrix.tocoo()
    mask = keep[coo.col]
    return sparse.csr_matrix((coo.data[mask], (coo.row[mask], coo.col[mask])), shape=matrix.shape)


# -- what each cell of the band shares ------------------------------------------------------------

_BLOCK = 64
_FIELDS = ("zh_hits", "en_hits", "anchors", "cosine")


def pair_band(a: Side, b: Side, lo: np.ndarray, width: int) -> dict[str, np.ndarray]:
    """For Chinese sentence ``i`` and English sentence ``lo[i] + k`` (k <
    ``width``): its words translated in the English one (``zh_hits``), the
    English words translated from it (``en_hits``), the anchors they share
    and the cosine of their embeddings.  Cells off the text are 0."""
    n, m = len(a.length), len(b.length)
    occurrences, starts = _zh_parts(a)
    out = {name: np.zeros((n, width), dtype=np.float32) for name in _FIELDS}
    present = (b.terms > 0).astype(np.float32)
    translated = (a.terms > 0).astype(np.float32)
    for r0 in range(0, n, _BLOCK):
        r1 = min(n, r0 + _BLOCK)
        e0, e1 = max(0, int(lo[r0:r1].min())), min(m, int(lo[r0:r1].max()) + width)
        if e1 <= e0:
            continue
        s0, s1 = starts[r0], starts[r1]
        hit = (occurrences[s0:s1] @ present[e0:e1].T).toarray() > 0
        running = np.vstack([np.zeros((1, e1 - e0)), np.cumsum(hit, axis=0)])
        blocks = {
            "zh_hits": running[starts[r0 + 1 : r1 + 1] - s0] - running[starts[r0:r1] - s0],
            "en_hits": (translated[r0:r1] @ b.terms[e0:e1].T).toarray(),
            "anchors": (a.marks[r0:r1] @ b.marks[e0:e1].T).toarray(),
        }
        if a.vectors is not None and b.vectors is not None:
            blocks["cosine"] = a.vectors[r0:r1] @ b.vectors[e0:e1].T
        columns = lo[r0:r1, None] + np.arange(width)[None, :]
        inside = (columns >= e0) & (columns < e1)
        index = np.clip(columns - e0, 0, e1 - e0 - 1)
        for name, block in blocks.items():
            out[name][r0:r1] = np.where(inside, np.take_along_axis(block, index, axis=1), 0)
    return out


def _gather(bands: dict, names, lo: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> dict:
    """Each of the ``bands`` named at Chinese sentences ``rows`` and English sentences ``cols``
    (0 off the band); the positions are worked out once for all of them."""
    index = cols - lo[rows]
    width = bands[names[0]].shape[1]
    inside = (index >= 0) & (index < width) & (rows >= 0)
    flat = (np.clip(rows, 0, None) * width + np.clip(index, 0, width - 1)).ravel()
    return {name: np.where(inside, bands[name].ravel()[flat].reshape(inside.shape), 0.0) for name in names}


def _cumulative(values: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(values)])


@dataclass
class Scorer:
    """Bead scores over a band, from both sides' features."""

    zh: Side
    en: Side
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self):
        self.ratio = max(0.05, float(self.en.length.sum()) / max(1.0, float(self.zh.length.sum())))
        self.cum = {
            side: {name: _cumulative(getattr(getattr(self, side), name)) for name in ("length", "words", "anchors")}
            for side in ("zh", "en")
        }
        self._norms = {}

    def prepare(self, lo: np.ndarray, width: int, longest: int) -> None:
        """Count what the cells of the band share (rows ``lo`` of the
        Chinese sentences, widened for beads of up to ``longest`` sentences a side)."""
        n = len(self.zh.length)
        rows = np.arange(n)
        ahead = np.stack([lo[np.minimum(rows + t, n)] for t in range(longest + 1)])
        self.pair_lo = ahead.min(axis=0) - longest
        self.pair_width = int((ahead.max(axis=0) - self.pair_lo).max()) + width + 1
        self.band = {}  # the last band's memory is free before the new one is counted
        self.band = pair_band(self.zh, self.en, self.pair_lo, self.pair_width)

    def bead(self, a: int, b: int, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(score, evidence in 0..1) of the beads of ``a`` Chinese and ``b``
        English sentences ending before Chinese ``i`` and English ``j``
        (arrays of one shape; the caller keeps them on the text)."""
        w = self.weights
        if a == 0 or b == 0:
            return np.full(j.shape, w.skip), np.zeros(j.shape)
        fields = _FIELDS if self.zh.vectors is not None else _FIELDS[:3]
        cells = {
            (t, u): _gather(self.band, fields, self.pair_lo, i - t, j - u)
            for t in range(1, a + 1)
            for u in range(1, b + 1)
        }
        total = {name: sum(cell[name] for cell in cells.values()) for name in fields}
        zh, en = self.cum["zh"], self.cum["en"]
        nz, ne = zh["words"][i] - zh["words"][i - a], en["words"][j] - en["words"][j - b]
        lexical = (np.minimum(total["zh_hits"], nz) + np.minimum(total["en_hits"], ne)) / (nz + ne + 1.0)
        az, ae = zh["anchors"][i] - zh["anchors"][i - a], en["anchors"][j] - en["anchors"][j - b]
        anchors = np.where(az + ae > 0, np.minimum(1.0, 2 * total["anchors"] / np.maximum(az + ae, 1)), 0.0)
        evidence = w.lexical * lexical + w.anchors * anchors
        if w.embedding and self.zh.vectors is not None:
            cosine = total["cosine"] / np.sqrt(self._norm("zh", a)[i] * self._norm("en", b)[j])
            evidence = evidence + w.embedding * self._scaled(cosine)
        lz, le = zh["length"][i] - zh["length"][i - a], en["length"][j] - en["length"][j - b]
        delta = (le - self.ratio * lz) / np.sqrt(np.maximum(lz, 1.0) * self.ratio * w.variance)
        length = math.log(2) + log_ndtr(-np.abs(delta))
        size = (a + b) / 2
        score = size * evidence + w.length * length - w.merge * (a + b - 2) - w.many * (min(a, b) - 1)
        if w.weak and a + b > 2:
            score = score - w.weak * self._weak(a, b, i, j, cells, evidence)
        scale = w.lexical * 0.6 + w.anchors * 0.5 + w.embedding * 0.8
        return score, np.clip(evidence / max(scale, 1e-9), 0, 1) * np.exp(np.maximum(length, -3) / 6)

    def _scaled(self, cosine: np.ndarray) -> np.ndarray:
        floor = self.weights.embedding_floor
        return np.clip((cosine - floor) / (1 - floor), 0, 1)

    def _weak(self, a: int, b: int, i: np.ndarray, j: np.ndarray, cells, evidence: np.ndarray) -> np.ndarray:
        """How far the merged members of a bead fall short of the evidence a
        member should have with the other side's group: a sentence the
        translation left out, merged into its neighbour's bead, has none."""
        w = self.weights
        shortfall = np.zeros(j.shape)
        for side, size, other, other_size, hits in (("zh", a, "en", b, "zh_hits"), ("en", b, "zh", a, "en_hits")):
            if size < 2:
                continue
            end = i if side == "zh" else j
            other_end = j if side == "zh" else i
            for t in range(1, size + 1):
                row = [cells[(t, u) if side == "zh" else (u, t)] for u in range(1, other_size + 1)]
                words = self.cum[side]["words"][end - t + 1] - self.cum[side]["words"][end - t]
                marks = self.cum[side]["anchors"][end - t + 1] - self.cum[side]["anchors"][end - t]
                found = sum(cell[hits] for cell in row)
                shared = sum(cell["anchors"] for cell in row)
                member = w.lexical * np.minimum(found, words) / (words + 1.0)
                member = member + w.anchors * np.where(marks > 0, np.minimum(1.0, shared / np.maximum(marks, 1)), 0.0)
                if w.embedding and self.zh.vectors is not None:
                    dot = sum(cell["cosine"] for cell in row)
                    member = member + w.embedding * self._scaled(
                        dot / np.sqrt(self._norm(other, other_size)[other_end])
                    )
                length = self.cum[side]["length"][end - t + 1] - self.cum[side]["length"][end - t]
                if side == "en":
                    length = length / self.ratio
                shortfall += np.maximum(0.0, w.weak_floor * evidence - member) * np.minimum(1.0, length / w.weak_length)
        return shortfall

    def _norm(self, side: str, size: int) -> np.ndarray:
        """|sum of the embeddings of ``size`` sentences ending before each index|², from the dot
        products of neighbours (|u + v|² = |u|² + |v|² + 2 u·v), so no sum of vectors is made."""
        key = (side, size)
        if key not in self._norms:
            vectors = getattr(self, side).vectors
            count = len(vectors)
            norms = np.full(count + 1, 1.0)
            if size <= count:
                ends = np.arange(size, count + 1)
                total = np.zeros(len(ends))
                for d in range(size):  # the pairs (k, k + d) inside the group, each counted twice if d > 0
                    dots = np.einsum("ij,ij->i", vectors[: count - d], vectors[d:]).astype(np.float64)
                    cum = _cumulative(dots)
                    total += (1 if d == 0 else 2) * (cum[ends - d] - cum[ends - size])
                norms[size:] = np.maximum(total, 1e-6)
            self._norms[key] = norms
        return self._norms[key]
