#!/usr/bin/env python3
"""Time code trees against each other on the book-length article, alternating.

Each tree is a directory holding a ``workflow`` package (a ``git archive``
of an older commit, or a worktree).  Every round runs each tree once per
step, in turn (A B C, A B C, ...), so a load that comes and goes falls on
all of them; medians of whole-process wall time and peak resident memory,
measured as ``benchmarks/run`` measures them (``run.timed``).  The steps are
the re-extract after a 1 % edit and a cold ``status``, each prepared as
``run`` prepares it (the translated catalog copied in, the cache removed).

    mkdir -p /tmp/old && git archive 6ebfd5e workflow | tar -x -C /tmp/old
    benchmarks/trees.py /tmp/work 1000 /tmp/old . --rounds 3

The corpus is built in WORK/cN once (``make_corpus``, ``run.fill_po``).
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_corpus  # noqa: E402

_loader = importlib.machinery.SourceFileLoader("bench_run", str(HERE / "run"))
_spec = importlib.util.spec_from_loader("bench_run", _loader)
assert _spec is not None
run = importlib.util.module_from_spec(_spec)
_loader.exec_module(run)


def corpus(work: Path, n: int, tree: Path) -> Path:
    """WORK/cN with filled.po (not timed)."""
    folder = make_corpus.build(work, n, split=False)
    if not (folder / "filled.po").is_file():
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run(run.BILINGUAL + ["extract"], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
        run.fill_po(folder / "translations" / "en" / "article.po", folder / "filled.po")
    return folder


def prepared(folder: Path, source: str) -> None:
    (folder / "source" / "article.md").write_bytes((folder / source).read_bytes())
    shutil.copy(folder / "filled.po", folder / "translations" / "en" / "article.po")
    shutil.rmtree(folder / ".bilingual-cache", ignore_errors=True)
    os.sync()


STEPS = {"re-extract, 1 % edited": ("src.edited.md", ["extract"]), "status (first)": ("src.md", ["status"])}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("size", type=int)
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    trees = [t.resolve() for t in args.trees]
    folder = corpus(args.work, args.size, trees[-1])
    figures: dict = {}
    for step, (source, cmd) in STEPS.items():
        for _ in range(args.rounds):
            for tree in trees:
                prepared(folder, source)
                env = {**os.environ, "PYTHONPATH": str(tree)}
                figures.setdefault((step, tree), []).append(run.timed(run.BILINGUAL + cmd, folder, env))
    for (step, tree), rounds in figures.items():
        walls, peaks = [w for w, _ in rounds], [p for _, p in rounds]
        print(
            f"{step:24} {tree}: {statistics.median(walls):.2f} s ({min(walls):.2f}–{max(walls):.2f}), "
            f"{statistics.median(peaks):.0f} MiB"
        )


if __name__ == "__main__":
    main()
