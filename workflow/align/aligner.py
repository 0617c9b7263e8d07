"""Align two lists of sentences: the scorer's features, the first pass
for anchors and the second pass around them; each bead with its
confidence (0–1).  Pure computation: no files, no project.

May import: errors, lexicon, score, beads.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from workflow.align.beads import (
    FIRST_PASS,
    NARROW,
    SECOND_PASS,
    WIDE_CAP,
    Bead,
    anchors,
    band,
    diagonal,
    solve,
    through,
)
from workflow.align.lexicon import Lexicon
from workflow.align.score import Scorer, Weights, features

EDGE = 2  # a path this close to the band's edge may have been cut off by it


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


def literal(weights: Weights, path: list[Bead], sure: list[float]) -> Weights:
    """The weights for the second pass: a sentence without a partner costs less where
    the first pass's 1–1 beads have strong evidence (a literal translation)."""
    ones = [c for bead, c in zip(path, sure) if len(bead.zh) == 1 and len(bead.en) == 1]
    if not ones or not weights.literal_skip:
        return weights
    above = max(0.0, float(np.median(ones)) - weights.literal_from)
    return replace(weights, skip=weights.skip + weights.literal_skip * above)


def first_half_width(n: int, m: int) -> int:
    return int(min(WIDE_CAP, max(20, 2 * math.sqrt(max(n, m)) + abs(n - m) // 2)))


def _at_edge(path: list[Bead], lo: np.ndarray, width: int) -> bool:
    """Does the path run along the band's edge (where the true path may lie outside it)?"""
    i, j = _ends(path)
    k = j - lo[i]
    inner = (i > 0) & (i < len(lo) - 1)
    return bool(np.any(inner & ((k < EDGE) | (k > width - 1 - EDGE))))


def first_pass(scorer: Scorer, n: int, m: int, beads, rounds: int = 4) -> list[Bead]:
    """The wide pass: around the diagonal the lengths predict, and again around its own
    path while that path runs along the band's edge (a text whose sentences drift far
    from the diagonal, like a Bible with 6,301 verses against 5,000)."""
    centre = diagonal(scorer.zh.length, scorer.en.length)
    half = first_half_width(n, m)
    for _ in range(rounds):
        lo, width = band(centre, m, half)
        scorer.prepare(lo, width, 2)
        path = solve(n, m, lo, width, lambda *x: scorer.bead(*x)[0], beads)
        if not _at_edge(path, lo, width):
            break
        centre = through(*_ends(path), n, m)
    return path


def _ends(path: list[Bead]) -> tuple[np.ndarray, np.ndarray]:
    i = np.cumsum([len(b.zh) for b in path])
    j = np.cumsum([len(b.en) for b in path])
    return np.concatenate([[0], i]), np.concatenate([[0], j])


def align(
    zh: list[str],
    en: list[str],
    lexicon: Lexicon,
    weights: Weights | None = None,
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
    passes: int = 2,
) -> list[Bead]:
    """The beads of ``zh`` and ``en`` (lists of sentences), in order, each
    sentence in exactly one bead, with their confidences as scores."""
    n, m = len(zh), len(en)
    if not n or not m:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    a, b = features(zh, en, lexicon)
    weights = weights or Weights()
    if passes > 1:  # the wide pass finds anchors: length, lexicon and anchors do (the same F1, less work)
        scorer = Scorer(a, b, replace(weights, embedding=0.0))
        path = first_pass(scorer, n, m, FIRST_PASS)
        sure = confidences(scorer, path)
        floor = float(np.quantile([s for s in sure if s > 0] or [0.0], 0.3))
        lo, width = band(through(*anchors(path, sure, floor), n, m), m, NARROW)
        weights = literal(weights, path, sure)
    if vectors is not None:
        a.vectors, b.vectors = vectors
    scorer = Scorer(a, b, weights)
    if passes <= 1:
        path = first_pass(scorer, n, m, SECOND_PASS)
    else:
        scorer.prepare(lo, width, 4)
        path = solve(n, m, lo, width, lambda *x: scorer.bead(*x)[0], SECOND_PASS)
    return [Bead(bead.zh, bead.en, round(sure, 3)) for bead, sure in zip(path, confidences(scorer, path))]
