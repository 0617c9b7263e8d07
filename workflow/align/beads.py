"""Sentence alignment as a dynamic programme over beads, and the bead
notation of the alignment literature.

A *bead* pairs ``a`` consecutive Chinese sentences with ``b`` consecutive
English ones: 0–1 and 1–0 (a sentence left without a partner), 1–1, 1–2,
2–1, 2–2 and the longer merges 1–3, 3–1, 1–4, 4–1, 2–3, 3–2.  The best
path maximises the sum of the scorer's bead scores.

The search is confined to a band around a centre line: Chinese sentence
``i`` may only meet English sentences ``lo[i] … lo[i] + width − 1``.  The
first pass runs a wide band around the diagonal that the texts' lengths
predict with the cheap beads (0–1, 1–0, 1–1, 1–2, 2–1); its confident 1–1
beads become *anchors*, and the second pass runs a narrow band around the
line through them with every bead.  Both cost rows × width, so time grows
linearly with the length of the texts.  Each row is computed with numpy at
once; a run of 0–1 beads is a running maximum.

Notation: ``[0]:[0,1]`` — the Chinese sentence indices (0-based), a colon,
the English ones, ``[]`` for an empty side; optionally a tab and the score.

May import: errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from workflow.core.errors import InputError

FIRST_PASS = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1))
SECOND_PASS = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1), (2, 3), (3, 2))
NARROW = 10  # the second pass: English sentences either side of the anchors' line
_CHUNK = 512  # rows of bead scores computed at once
WIDE_CAP = 100  # the first pass: never wider than this either side (memory: rows × width)


@dataclass(frozen=True)
class Bead:
    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float | None = None


# -- the notation --------------------------------------------------------------------------------

_SIDE = r"\[\s*((?:\d+\s*(?:,\s*\d+\s*)*)?)\]"
_LINE = re.compile(rf"^\s*{_SIDE}\s*:\s*{_SIDE}\s*(?:\t\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*)?$")


def format_bead(bead: Bead, with_score: bool = True) -> str:
    text = f"[{','.join(map(str, bead.zh))}]:[{','.join(map(str, bead.en))}]"
    if with_score and bead.score is not None:
        text += f"\t{bead.score:.3f}"
    return text


def parse_beads(text: str, display: str = "beads") -> list[Bead]:
    """Beads in the notation, one a line (blank lines skipped); a line that is
    not a bead is an input error naming the line."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        if not m:
            raise InputError(f"not a bead (want e.g. [0]:[0,1]): {line.strip()[:60]!r}", display, number)
        zh, en = (tuple(int(x) for x in side.split(",")) if side.strip() else () for side in m.group(1, 2))
        if not zh and not en:
            raise InputError("a bead with both sides empty", display, number)
        out.append(Bead(zh, en, float(m.group(3)) if m.group(3) else None))
    return out


# -- the programme -----------------------------------------------------------------------------


def diagonal(zh_length: np.ndarray, en_length: np.ndarray) -> np.ndarray:
    """For each Chinese boundary 0…n, the English boundary at the same share of the text's length."""
    share_zh = np.concatenate([[0.0], np.cumsum(zh_length)]) / max(1.0, float(zh_length.sum()))
    share_en = np.concatenate([[0.0], np.cumsum(en_length)]) / max(1.0, float(en_length.sum()))
    return np.interp(share_zh, share_en, np.arange(len(en_length) + 1))


def band(centre: np.ndarray, m: int, half: int) -> tuple[np.ndarray, int]:
    """(lo, width): the band of ``half`` English sentences either side of ``centre``,
    pinned so that it holds (0, 0) and (n, m)."""
    centre = np.asarray(centre, dtype=np.float64).copy()
    centre[0], centre[-1] = 0, m
    lo = np.round(centre).astype(np.int64) - half
    # Consecutive rows must overlap, or no path joins them (one Chinese sentence against
    # many English ones: the centre jumps further than the band is wide); the centre is
    # non-decreasing, so a width of the largest jump plus one always leaves a path.
    jump = int(np.diff(lo).max()) + 1 if len(lo) > 1 else 0
    return lo, max(2 * half + 1, jump)


def _shifted(row: np.ndarray, shift: int) -> np.ndarray:
    """``row[k + shift]`` for every k (−inf off the row)."""
    out = np.full_like(row, -np.inf)
    width = len(row)
    if shift >= 0:
        if shift < width:
            out[: width - shift] = row[shift:]
    elif -shift < width:
        out[-shift:] = row[: width + shift]
    return out


def solve(n: int, m: int, lo: np.ndarray, width: int, score, beads=SECOND_PASS) -> list[Bead]:
    """The best path of ``beads`` from (0, 0) to (n, m) in the band; ``score(a,
    b, i, j)`` gives the scores of the beads ending before Chinese ``i`` and English ``j``."""
    rows, cols = np.arange(n + 1)[:, None], lo[:, None] + np.arange(width)[None, :]
    scores = {}
    for a, b in beads:
        if a and b and a <= n and b <= m:
            scores[(a, b)] = table = np.empty(cols.shape, dtype=np.float32)
            for r0 in range(0, n + 1, _CHUNK):  # a chunk of rows at a time: the scorer's temporaries stay small
                r, c = rows[r0 : r0 + _CHUNK], cols[r0 : r0 + _CHUNK]
                values = score(a, b, np.broadcast_to(np.maximum(r, a), c.shape), np.clip(c, b, m))
                table[r0 : r0 + _CHUNK] = np.where((r >= a) & (c >= b) & (c <= m), values, -np.inf)
    skip_en = score(0, 1, np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.int64))[0] if (0, 1) in beads else None
    skip_zh = score(1, 0, np.ones(1, dtype=np.int64), np.zeros(1, dtype=np.int64))[0] if (1, 0) in beads else None
    kinds = [bead for bead in beads if bead != (0, 1) and (bead in scores or not bead[1])]
    total = np.full((n + 1, width), -np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    inside = (cols >= 0) & (cols <= m)
    for i in range(n + 1):
        best, arg = _row(i, lo, total, scores, kinds, skip_zh, inside[i], width)
        if i == 0:
            best[lo[0] + np.arange(width) == 0] = 0.0
        if skip_en is not None:
            best, arg = _skips(best, arg, skip_en, len(beads))
        total[i], back[i] = np.where(inside[i], best, -np.inf), arg
    return _trace(n, m, lo, back, kinds)


def _row(i, lo, total, scores, kinds, skip_zh, inside, width):
    best, arg = np.full(width, -np.inf), np.full(width, -1, dtype=np.int8)
    for t, (a, b) in enumerate(kinds):
        if i < a:
            continue
        previous = _shifted(total[i - a], int(lo[i] - lo[i - a] - b))
        candidate = previous + (scores[(a, b)][i] if b else skip_zh)
        better = candidate > best
        best[better], arg[better] = candidate[better], t
    return best, arg


def _skips(best: np.ndarray, arg: np.ndarray, skip: float, marker: int):
    """Add runs of 0–1 beads: best[k] = max over k' ≤ k of best[k'] + skip·(k − k')."""
    k = np.arange(len(best))
    value = best - skip * k
    running = np.maximum.accumulate(value)
    source = np.maximum.accumulate(np.where(value >= running, k, 0))
    moved = source < k
    arg = np.where(moved, marker, arg).astype(np.int8)
    return running + skip * k, arg


def _trace(n: int, m: int, lo: np.ndarray, back: np.ndarray, kinds) -> list[Bead]:
    out = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - lo[i]
        t = int(back[i, k]) if 0 <= k < back.shape[1] else -1
        if t < 0:
            raise ArithmeticError("no path through the band")
        a, b = (0, 1) if t >= len(kinds) else kinds[t]
        out.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return out[::-1]


def anchors(path: list[Bead], confidence: list[float], floor: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The ends of the path's confident 1–1 beads: (Chinese, English) boundaries."""
    points_i, points_j = [0], [0]
    for bead, sure in zip(path, confidence):
        if len(bead.zh) == 1 and len(bead.en) == 1 and sure >= floor:
            points_i.append(bead.zh[0] + 1)
            points_j.append(bead.en[0] + 1)
    return np.array(points_i), np.array(points_j)


def through(points_i: np.ndarray, points_j: np.ndarray, n: int, m: int) -> np.ndarray:
    """The centre line through the anchors, for boundaries 0…n."""
    xs = np.concatenate([points_i, [n]])
    ys = np.concatenate([points_j, [m]])
    return np.interp(np.arange(n + 1), xs, ys)


# -- the standard evaluation (Vecalign's score.py, as Bertalign reports it) ---------------------


def _counts(gold: list[Bead], test: list[Bead]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` against ``gold``."""
    gold_set = {(g.zh, g.en) for g in gold if g.zh or g.en}
    partners: dict[int, set] = {}
    for zh, en in gold_set:
        for x in zh:
            partners.setdefault(x, set()).update(en)
    counts = [0, 0, 0, 0]
    for zh, en in {(t.zh, t.en) for t in test if t.zh or t.en}:
        if (zh, en) in gold_set:
            counts[0] += 1
            counts[2] += 1
            continue
        counts[1] += 1
        reached = set().union(*(partners.get(x, set()) for x in zh)) if zh else set()
        counts[2 if reached & set(en) else 3] += 1
    strict_hits, strict_misses, lax_hits, lax_misses = counts
    return strict_hits, strict_misses, lax_hits, lax_misses


def evaluate(pairs) -> dict[str, float]:
    """Strict and lax precision, recall and F1 over (gold, test) bead lists:
    precision counts every test bead, recall every gold bead that is not a 0–1 or 1–0."""
    p = np.zeros(4)
    r = np.zeros(4)
    for gold, test in pairs:
        p += _counts(gold, test)
        r += _counts([t for t in test if t.zh and t.en], [g for g in gold if g.zh and g.en])

    def ratio(x, y):
        return x / (x + y) if x + y else 0.0

    def f1(x, y):
        return 2 * x * y / (x + y) if x + y else 0.0

    result = {
        "precision_strict": ratio(p[0], p[1]),
        "precision_lax": ratio(p[2], p[3]),
        "recall_strict": ratio(r[0], r[1]),
        "recall_lax": ratio(r[2], r[3]),
    }
    result["f1_strict"] = f1(result["precision_strict"], result["recall_strict"])
    result["f1_lax"] = f1(result["precision_lax"], result["recall_lax"])
    return result
