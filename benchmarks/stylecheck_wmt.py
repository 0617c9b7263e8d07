"""False alarms of the style checks (workflow/qa/stylecheck.py) on professional
zh→en translations: the WMT22 general test set, Chinese sources against
the human references A and B.

A reference is a professional's translation, so every finding on it is a
false alarm *for that translator* (a few are real: a reference may add a
"first" too; --show prints the findings to read them).

Usage: python benchmarks/stylecheck_wmt.py WMT22_REPO [--show N] [--check NAME]
WMT22_REPO is a clone of wmt-conference/wmt22-news-systems (read with git show).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow.qa.checks import Context, Pair
from workflow.qa.stylecheck import STYLE_CHECKS
from workflow.sources.segment import split_english_sentences

SRC = "txt/sources/generaltest2022.zh-en.src.zh"
REFS = {"A": "txt/references/generaltest2022.zh-en.ref.A.en", "B": "txt/references/generaltest2022.zh-en.ref.B.en"}


def _lines(repo: Path, path: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\n")[:-1]


def measure(repo: Path, show: int, only: str | None) -> None:
    src = _lines(repo, SRC)
    ctx = Context()
    for ref, path in REFS.items():
        tgt = _lines(repo, path)
        assert len(tgt) == len(src), (path, len(tgt), len(src))
        sentences = sum(len(split_english_sentences(t)) for t in tgt)
        words = sum(len(t.split()) for t in tgt)
        print(f"reference {ref}: {len(src)} segments, {sentences} sentences, {words} words")
        for name, check in STYLE_CHECKS.items():
            if only and name != only:
                continue
            hits = [
                (i, msg) for i, (s, t) in enumerate(zip(src, tgt)) for _, msg in check(Pair(str(i), "body", s, t), ctx)
            ]
            print(
                f"  {name:18} {len(hits):4} segments flagged  ({1000 * len(hits) / len(src):.1f} per 1,000 segments,"
                f" {1000 * len(hits) / words:.2f} per 1,000 words)"
            )
            for i, msg in hits[:show]:
                print(f"    line {i + 1}: {msg}\n      zh: {src[i][:120]}\n      en: {tgt[i][:200]}")
        if not only or only == "repeated-opening":
            _adjacent(src, tgt, ctx, show)


def _adjacent(src: list[str], tgt: list[str], ctx, show: int) -> None:
    """WMT's lines are mostly one sentence each, so the opening check is also
    run on each pair of adjacent lines joined (the document boundaries are
    not in the text files: a pair may straddle two documents)."""
    check = STYLE_CHECKS["repeated-opening"]
    hits = [
        (i, msg)
        for i in range(len(tgt) - 1)
        for _, msg in check(Pair(str(i), "body", src[i] + src[i + 1], f"{tgt[i]} {tgt[i + 1]}"), ctx)
    ]
    print(
        f"  repeated-opening on adjacent lines: {len(hits)} of {len(tgt) - 1} pairs flagged"
        f" ({1000 * len(hits) / (len(tgt) - 1):.1f} per 1,000)"
    )
    for i, msg in hits[:show]:
        print(f"    lines {i + 1}-{i + 2}: {msg}\n      en: {tgt[i][-80:]} / {tgt[i + 1][:80]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", type=Path)
    ap.add_argument("--show", type=int, default=0, help="print the first N findings of each check")
    ap.add_argument("--check", help="only this check")
    args = ap.parse_args()
    measure(args.repo, args.show, args.check)


if __name__ == "__main__":
    main()
