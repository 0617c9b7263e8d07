"""Align two lists of sentences: the scorer's features, the first pass
for anchors and the second pass around them; each bead with its
confidence (0–1).  Pure computation: no files, no project.

May import: errors, alignlex, alignscore, aligndp.
"""
from __future__ import annotations

import math

import numpy as np

from .aligndp import FIRST_PASS, NARROW, SECOND_PASS, WIDE_CAP, Bead, anchors, band, diagonal, solve, through
from .alignlex import Lexicon
from .alignscore import Scorer, Weights, features


def confidences(scorer: Scorer, path: list[Bead]) -> list[float]:
    """Each bead's evidence (0–1); a sentence left without a partner scores 0."""
    out = [0.0] * len(path)
    by_kind: dict[tuple[int, int], list[int]] = {}
    for index, bead in enumerate(path):
        if bead.zh and bead.en:
            by_kind.setdefault((len(bead.zh), len(bead.en)), []).append(index)
    for (a, b), indexes in by_kind.items():
        i = np.array([path[x].zh[-1] + 1 for x in indexes])
        j = np.array([path[x].en[-1] + 1 for x in indexes])
        _, sure = scorer.bead(a, b, i, j)
        for x, value in zip(indexes, sure):
            out[x] = float(value)
    return out


def first_half_width(n: int, m: int) -> int:
    return int(min(WIDE_CAP, max(20, 2 * math.sqrt(max(n, m)) + abs(n - m) // 2)))


def align(zh: list[str], en: list[str], lexicon: Lexicon, weights: Weights | None = None,
          vectors: tuple[np.ndarray, np.ndarray] | None = None, passes: int = 2) -> list[Bead]:
    """The beads of ``zh`` and ``en`` (lists of sentences), in order, each
    sentence in exactly one bead, with their confidences as scores."""
    n, m = len(zh), len(en)
    if not n or not m:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    a, b = features(zh, en, lexicon)
    if vectors is not None:
        a.vectors, b.vectors = vectors
    scorer = Scorer(a, b, weights or Weights())
    lo, width = band(diagonal(a.length, b.length), m, first_half_width(n, m))
    scorer.prepare(lo, width, 2)
    path = solve(n, m, lo, width, lambda *x: scorer.bead(*x)[0], FIRST_PASS if passes > 1 else SECOND_PASS)
    if passes > 1:
        sure = confidences(scorer, path)
        floor = float(np.quantile([s for s in sure if s > 0] or [0.0], 0.3))
        lo, width = band(through(*anchors(path, sure, floor), n, m), m, NARROW)
        scorer.prepare(lo, width, 4)
        path = solve(n, m, lo, width, lambda *x: scorer.bead(*x)[0], SECOND_PASS)
    return [Bead(bead.zh, bead.en, round(sure, 3)) for bead, sure in zip(path, confidences(scorer, path))]
