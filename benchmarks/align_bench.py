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

from workflow.align import aligner, embedding
from workflow.align import beads as aligndp
from workflow.align import lexicon as alignlex
from workflow.align.beads import Bead
from workflow.align.score import Weights

BERTALIGN_COMMIT = "3c432d0"
MAC_DEV = ["001", "002", "003", "004", "005", "006"]
CONFIGS = {
    # Gale–Church 1993: -log P(delta) with their bead priors (1–1 0.89, 2–1 0.089, 2–2 0.011, 1–0 0.0099)
    "gale-church (length only)": Weights(
        lexical=0.0, anchors=0.0, length=1.0, merge=2.3, many=0.0, skip=-4.5, literal_skip=0.0
    ),
    "lexical only (CC-CEDICT)": Weights(anchors=0.0, length=0.0, literal_skip=0.0),
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


#: Independent news sets, never used while the aligner was tuned: (zh path, en path) in a snapshot.
INDEPENDENT = {
    "wmt21": ("HEAD:txt/sources/newstest2021.zh-en.src.zh", "HEAD:txt/references/newstest2021.zh-en.ref.A.en"),
    # NTREX-128: WMT19's English news with a professional Chinese translation (CC BY-SA 4.0)
    "ntrex": ("HEAD:NTREX-128/newstest2019-ref.zho-CN.txt", "HEAD:NTREX-128/newstest2019-src.eng.txt"),
}


def independent_news(kind: str, git_dir: str, size: int = 25, seed: int = 2021):
    """An independent news set built the way ``news`` builds WMT22's."""
    zh_path, en_path = INDEPENDENT[kind]
    zh_all, en_all = show(git_dir, zh_path).splitlines(), show(git_dir, en_path).splitlines()
    rng = random.Random(seed)
    for start in range(0, len(zh_all) - size + 1, size):
        yield (f"{kind}-{start // size:03d}", *_edited(zh_all[start : start + size], en_all[start : start + size], rng))


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
    encoder = embedding.shared()
    return [encoder.pair(zh, en) for _, zh, en, *_ in docs]


def speed_child(wmt: str, count: int, with_embeddings: bool) -> None:
    """Run in a child: align ``count`` pairs of news (WMT22 repeated), print seconds and peak MiB.
    Each repeat is numbered (``（2）`` / ``(2)`` before each line), so that every sentence is a
    distinct text and the encoder's cache cannot hide the cost of encoding it."""
    zh_all = show(wmt, "HEAD:txt/sources/generaltest2022.zh-en.src.zh").splitlines()
    en_all = show(wmt, "HEAD:txt/references/generaltest2022.zh-en.ref.A.en").splitlines()
    zh_lines = [
        f"（{k // len(zh_all)}）{line}" if k >= len(zh_all) else line for k, line in enumerate((zh_all * 6)[:count])
    ]
    en_lines = [
        f"({k // len(en_all)}) {line}" if k >= len(en_all) else line for k, line in enumerate((en_all * 6)[:count])
    ]
    zh, en, _ = _edited(zh_lines, en_lines, random.Random(7))
    start, cpu = time.perf_counter(), time.process_time()
    lexicon = alignlex.cedict()
    vectors, encoder = None, embedding.Encoder()
    if with_embeddings:
        vectors = encoder.pair(zh, en)
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
                "texts_encoded": encoder.encoded,
                "zh": len(zh),
                "en": len(en),
            }
        )
    )


def speed(wmt: str, count: int, with_embeddings: bool, runs: int = 3) -> dict:
    results = []
    load = os.getloadavg()[0]
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
        "cpu_runs": [round(r["cpu_seconds"], 2) for r in results],
        "load_average_before": load,
        "load_average_after": os.getloadavg()[0],
        "peak_mib": max(r["peak_mib"] for r in results),
        "runs": [round(r["seconds"], 2) for r in results],
        "pairs": count,
    }


# -- leverage: what an aligned archive fills in a new article from the same source ---------------

REPO = Path(__file__).resolve().parent.parent
BANDS = ("101", "100", "95-99", "85-94", "75-84")


def cli(root: Path, *args) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "workflow", "--root", str(root), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def _bands(root: Path, articles: list[str]) -> dict:
    report = json.loads(cli(root, "analyze", "--json", *articles))
    out = {band: 0 for band in (*BANDS, "50-74", "none")}
    for article in report["articles"]:
        for band in out:
            out[band] += article["bands"][band]["segments"]
    return out


def leverage(name: str, archive, new, gold_units: set[str]) -> dict:
    """Copy this repository's publication into a scratch project, add the ``new`` articles
    (Chinese, one sentence a paragraph, with their reference English), count what the memory
    fills (``analyze``) before and after ``align --into memory`` of the ``archive`` pairs, then
    ``pretranslate`` and count the fills that are the reference English word for word.
    ``gold_units`` (the Chinese of the archive's gold beads) gives the exact matches a perfect
    alignment would offer: the new sentences (distinct) found among them."""
    import shutil
    import tempfile

    import polib

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        shutil.copytree(REPO / "source", root / "source")
        shutil.copytree(REPO / "translations", root / "translations")
        names, reference = [], {}
        for k, (zh, en) in enumerate(new):
            names.append(f"{name}-new-{k:02d}")
            (root / "source" / f"{names[-1]}.md").write_text("\n\n".join(zh) + "\n", encoding="utf-8")
            reference.update((z, e) for z, e in zip(zh, en) if e is not None)
        cli(root, "extract", *names)
        before = _bands(root, names)
        rows = ["zh,en,article"]
        for k, (zh, en) in enumerate(archive):
            for side, lines in (("zh", zh), ("en", en)):
                (Path(tmp) / f"{k:03d}.{side}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            rows.append(f"{k:03d}.zh.txt,{k:03d}.en.txt,{name}-archive-{k:03d}")
        (Path(tmp) / "pairs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        start = time.perf_counter()
        cli(root, "align", "--pairs", Path(tmp) / "pairs.csv", "--presplit", "--into", "memory")
        seconds = time.perf_counter() - start
        after = _bands(root, names)
        cli(root, "pretranslate", *names, "--min-score", "75")
        filled = right = 0
        for article in names:
            for entry in polib.pofile(str(root / "translations" / "en" / f"{article}.po")):
                if entry.msgstr and not entry.obsolete:
                    filled += 1
                    right += entry.msgstr.strip() == (reference.get(entry.msgid.strip()) or "").strip()
    segments = sum(before.values())
    return {
        "segments": segments,
        "archive_pairs": len(archive),
        "archive_sentences": [sum(len(z) for z, _ in archive), sum(len(e) for _, e in archive)],
        "align_seconds": round(seconds, 1),
        "before": before,
        "after": after,
        "filled_75_plus": filled,
        "filled_with_the_reference_exactly": right,
        "exact_with_gold_alignment": len({z for zh, _ in new for z in zh} & gold_units),
    }


def leverage_sets(bertalign: str, wmt: str) -> dict:
    """News: WMT22 zh–en in articles of 25 lines, the first 60 (with the edits above) aligned into the
    memory, the last 15 the new articles.  The Bible: its first 80 % (up to a gold bead boundary)
    aligned as one pair, the rest in articles of 100 sentences."""
    docs = list(news(wmt))
    archive = [(zh, en) for _, zh, en, _ in docs[:60]]
    units = {"".join(zh[x] for x in b.zh) for _, zh, en, gold in docs[:60] for b in gold if b.zh and b.en}
    zh_all = show(wmt, "HEAD:txt/sources/generaltest2022.zh-en.src.zh").splitlines()
    en_all = show(wmt, "HEAD:txt/references/generaltest2022.zh-en.ref.A.en").splitlines()
    new = [(zh_all[k : k + 25], en_all[k : k + 25]) for k in range(60 * 25, len(zh_all) - 24, 25)]
    out = {"news (WMT22)": leverage("news", archive, new, units)}
    _, zh, en, gold, _ = next(bible(bertalign))
    cut = next(k for k, bead in enumerate(gold) if bead.zh and bead.zh[0] >= 0.8 * len(zh))
    i, j = gold[cut].zh[0], next(b.en[0] for b in gold[cut:] if b.en)
    partner = {b.zh[0]: en[b.en[0]] for b in gold[cut:] if len(b.zh) == 1 and len(b.en) == 1}
    rest = [(zh[k], partner.get(k)) for k in range(i, len(zh))]
    new = [([z for z, _ in rest[k : k + 100]], [e for _, e in rest[k : k + 100]]) for k in range(0, len(rest), 100)]
    units = {"".join(zh[x] for x in b.zh) for b in gold[:cut] if b.zh and b.en}
    out["Bible"] = leverage("bible", [(zh[:i], en[:j])], new, units)
    return out


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
    parser.add_argument("--only", choices=("quality", "speed", "leverage"), help="run one part of the benchmark")
    parser.add_argument(
        "--wmt21", help="the wmt21-news-systems snapshot: newstest2021 zh–en as an independent news set"
    )
    parser.add_argument("--ntrex", help="the NTREX snapshot: NTREX-128 en–zh as an independent news set")
    parser.add_argument("--independent-only", action="store_true", help="score only the independent news sets")
    args = parser.parse_args()
    if args.only == "leverage":
        report = leverage_sets(args.bertalign, args.wmt22)
        print(json.dumps(report, indent=2))
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        return 0
    lexicon = alignlex.cedict()
    report: dict = {}
    news_docs = list(news(args.wmt22))
    half = len(news_docs) // 2
    mac_docs = list(mac(args.bertalign))
    sets = {
        "MAC-Dev": mac_docs,
        "MAC-Dev 001–003 (tuning half)": mac_docs[:3],
        "MAC-Dev 004–006 (held-out half)": mac_docs[3:],
        "Bible": list(bible(args.bertalign)),
        "news (WMT22, first half)": news_docs[:half],
        "news (WMT22, held-out half)": news_docs[half:],
    }
    for kind, label in (("wmt21", "newstest2021 zh–en"), ("ntrex", "NTREX-128")):
        if getattr(args, kind):
            sets[f"news ({label}, independent)"] = list(independent_news(kind, getattr(args, kind)))
    if args.independent_only:
        sets = {name: docs for name, docs in sets.items() if "independent" in name}
    for name, docs in sets.items() if args.only != "speed" else ():
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
    for with_embeddings in ((False, True) if args.embeddings else (False,)) if args.only != "quality" else ():
        key = f"speed {'with' if with_embeddings else 'without'} embeddings"
        report[key] = speed(args.wmt22, args.pairs, with_embeddings, args.runs)
        print(f"{key}: {report[key]}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=float) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--speed-child":
        speed_child(sys.argv[2], int(sys.argv[3]), "--embeddings" in sys.argv)
        sys.exit(0)
    sys.exit(main())
