#!/usr/bin/env python3
"""CPU cost of the zh→en checks per segment (``run_checks``), on the shipped
article repeated N times and on WMT lines, for comparing two versions of
the code run alternately.

The checks alone are timed (``time.process_time`` around ``run_checks``):
no PO reading, no cache, no worker processes.  Each copy of the shipped
article (its 54 segments, its glossary and word list) is one article, checked
with a fresh context, as ``bilingual check`` checks one article; the WMT
lines are cut into articles of 50 segments.  The process's own caches
(folded text, dictionary look-ups) stay warm across copies, as they do in a
run over a project.

    PYTHONPATH=. benchmarks/qa_speed.py --copies 300 --wmt /work/.mirror/wmt-conference+wmt22-news-systems/repo
    PYTHONPATH=/tmp/old benchmarks/qa_speed.py ...      # another version of the package, alternately
    PYTHONPATH=. benchmarks/qa_speed.py --profile        # where the time goes (cProfile, top 25)

``workflow`` is imported from PYTHONPATH (the script adds nothing to the
path), so the same script times any version of the package.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

from workflow.commands.check import article_pairs
from workflow.commands.inputs import glossary_of, load_article, word_list_of
from workflow.core.project import Project
from workflow.lang.glossary import Glossary
from workflow.qa.checks import Pair, run_checks

REPO = Path(__file__).resolve().parent.parent
WMT_SOURCE = "txt/sources/generaltest2022.zh-en.src.zh"
WMT_REFERENCE = "txt/references/generaltest2022.zh-en.ref.A.en"


def shipped(copies: int) -> list[tuple]:
    """(pairs, glossary, words) of each copy of the shipped article."""
    project = Project.open(REPO)
    article = load_article(project, "changsha-opening-up")
    pairs = article_pairs(project, article, "en")
    glossary, words = glossary_of(project), word_list_of(project)
    return [(pairs, glossary, words)] * copies


def wmt(repo: Path, size: int = 50) -> list[tuple]:
    """The WMT22 lines with ref.A, in articles of ``size`` segments, with no glossary."""

    def show(path: str) -> list[str]:
        out = subprocess.run(["git", "--git-dir", str(repo), "show", f"HEAD:{path}"], capture_output=True, check=True)
        return out.stdout.decode("utf-8").splitlines()

    sources, targets = show(WMT_SOURCE), show(WMT_REFERENCE)
    pairs = [Pair(str(i + 1), "body", s, t) for i, (s, t) in enumerate(zip(sources, targets)) if s.strip()]
    return [(pairs[i : i + size], Glossary([]), frozenset()) for i in range(0, len(pairs), size)]


def cpu_ms_per_segment(articles: list[tuple]) -> float:
    segments = sum(len(pairs) for pairs, _, _ in articles)
    start = time.process_time()
    for pairs, glossary, words in articles:
        run_checks(pairs, glossary, "bench", "en", words=words)
    return 1000 * (time.process_time() - start) / segments


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=300, help="copies of the shipped article (54 segments each)")
    ap.add_argument("--wmt", type=Path, help="the wmt22-news-systems snapshot (a bare git mirror)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each set (the median is reported)")
    ap.add_argument("--profile", action="store_true", help="profile one run of the shipped article instead")
    args = ap.parse_args(argv)
    sets = {"shipped": shipped(args.copies)}
    if args.wmt:
        sets["wmt22"] = wmt(args.wmt)
    for articles in sets.values():
        cpu_ms_per_segment(articles[:2])  # warm: imports, the dictionary's quick reading
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(cpu_ms_per_segment, sets["shipped"])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return 0
    result = {}
    for name, articles in sets.items():
        runs = [round(cpu_ms_per_segment(articles), 4) for _ in range(args.runs)]
        result[name] = {
            "segments": sum(len(p) for p, _, _ in articles),
            "ms_per_segment": runs,
            "median": statistics.median(runs),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
