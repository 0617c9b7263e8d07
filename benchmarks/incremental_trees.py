#!/usr/bin/env python3
"""Time code trees against each other on the newsroom's incremental round, one command at a time.

The round is ``newsroom.incremental``'s: one article of the N-article
newsroom edited, then ``extract``, ``check`` and ``build --draft --out
out/inc`` of the whole project.  Each tree (a directory holding a
``workflow`` package: a worktree, or a ``git archive`` of an older commit)
gets its own copy of the corpus, so each keeps the caches its own code
wrote.  Every round runs each tree in turn (A B, B A, ...); after its timed
commands the article is restored and the three run again, untimed, so the
next round starts from the same state.  Reports the median wall time of
each command and of the three added, per tree.

    git -C . worktree add /tmp/old6eb 6ebfd5e
    benchmarks/incremental_trees.py /tmp/work 1000 /tmp/old6eb . --rounds 5

The corpus is built in WORK/split/cN once (``newsroom.corpus``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import newsroom  # noqa: E402
from trees import run  # noqa: E402  (benchmarks/run, loaded as a module once)

COMMANDS = (("extract", ["extract"]), ("check", ["check"]), ("build --draft", ["build", "--draft", "--out", "out/inc"]))


def _wall(tree: Path, folder: Path, cmd: list[str]) -> float:
    """Whole-process wall seconds of one command with ``tree``'s code (exit 1, a gate, counts)."""
    return run.timed(run.BILINGUAL + cmd, folder, dict(os.environ, PYTHONPATH=str(tree)), codes=(0, 1))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("articles", type=int)
    parser.add_argument("trees", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(args.trees[-1].resolve()))  # the corpus is extracted with the last tree
    corpus = newsroom.corpus(args.work, args.articles, run.BILINGUAL, run.fill_po)
    folders = []
    for i, tree in enumerate(args.trees):
        folder = args.work / f"tree{i}" / corpus.name
        if not folder.is_dir():
            shutil.copytree(corpus, folder, ignore=shutil.ignore_patterns(".bilingual-cache"))
        folders.append(folder)
        for _, cmd in COMMANDS:  # warm: each tree's own caches
            _wall(tree.resolve(), folder, cmd)
    walls: dict = {i: {name: [] for name, _ in COMMANDS} for i in range(len(args.trees))}
    for r in range(args.rounds):
        order = list(range(len(args.trees)))
        for i in order if r % 2 == 0 else order[::-1]:
            tree, folder = args.trees[i].resolve(), folders[i]
            article = sorted((folder / "source").glob("*.md"))[args.articles // 2]
            text = article.read_text(encoding="utf-8")
            article.write_text(text.replace("蓬勃朝气", "蓬勃活力", 1), encoding="utf-8")
            for name, cmd in COMMANDS:
                walls[i][name].append(_wall(tree, folder, cmd))
            article.write_text(text, encoding="utf-8")
            for _, cmd in COMMANDS:
                _wall(tree, folder, cmd)
    for i, tree in enumerate(args.trees):
        totals = [sum(round_) for round_ in zip(*walls[i].values())]
        parts = ", ".join(f"{name} {statistics.median(w):.2f} s" for name, w in walls[i].items())
        print(f"{tree}: {parts}; the three {statistics.median(totals):.2f} s ({min(totals):.2f}–{max(totals):.2f})")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
