#!/usr/bin/env python3
"""The translation memory at scale on *distinct* units, with the recall of
its candidate search checked against a brute-force search.

    python benchmarks/memory_distinct.py WORK [--units 1000000] [--wmt SNAPSHOT]

The memory benchmark in ``memory_bench.py`` repeats the article's paragraphs
with copy numbers, which flatters the trigram candidate search (every
candidate of a query is a near copy).  Here the units are real text, each
unit's source different from every other's:

* every zh_CN string of the gettext catalogs installed on this machine
  (``/usr/share/locale/zh_CN/LC_MESSAGES/*.mo``: real software strings,
  Chinese → English), and the WMT22 zh→en sources with reference A when a
  snapshot is given (real news sentences);
* then, to reach the unit count, pairs of those joined (``A。B`` →
  ``A. B``), each pair once: distinct sources made of real sentences, whose
  trigrams are shared with many other units (harder for the candidate
  search, not easier).

Measured, each a whole process where it is a command: ``tm import`` into an
empty memory; ``pretranslate`` of a 50-segment article (25 sources the
memory has, 25 edited: a character changed, one dropped) five times, the
median wall and CPU time; inside one process, one lookup's time, exact and
fuzzy, wall and CPU (median and p90 of 200); and for 100 edited queries, the brute-force best unit by
rapidfuzz ratio over every unit against what the memory returns (recall:
the memory's match is as similar to the query as the brute-force best).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
HAN = re.compile("[\u4e00-\u9fff]")
CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")  # not in XML, nor in a segment


def real_pairs(wmt: Path | None) -> list[tuple[str, str]]:
    import polib

    from workflow.memory.store import normalize

    pairs, seen = [], set()

    def add(zh: str, en: str) -> None:
        zh, en = normalize(zh), " ".join(en.split())
        if len(zh) >= 4 and HAN.search(zh) and en and zh not in seen and not CONTROL.search(zh + en):
            seen.add(zh)
            pairs.append((zh, en))

    for path in sorted(glob.glob("/usr/share/locale/zh_CN/LC_MESSAGES/*.mo")):
        try:
            for e in polib.mofile(path):
                if e.msgstr and not e.msgid_plural:
                    add(e.msgstr, e.msgid)
        except (OSError, ValueError, UnicodeDecodeError):
            continue
    if wmt is not None:

        def show(name: str) -> list[str]:
            return (
                subprocess.run(["git", "-C", str(wmt), "show", f"HEAD:{name}"], capture_output=True, check=True)
                .stdout.decode("utf-8")
                .split("\n")
            )

        for zh, en in zip(
            show("txt/sources/generaltest2022.zh-en.src.zh"), show("txt/references/generaltest2022.zh-en.ref.A.en")
        ):
            add(zh, en)
    return pairs


def units(pairs: list[tuple[str, str]], n: int):
    """``n`` distinct units: the real pairs, then pairs of them joined."""
    from workflow.kits import tmx

    count, m = 0, len(pairs)
    for zh, en in pairs:
        if count >= n:
            return
        count += 1
        yield tmx.TranslationUnit(zh, en, f"r{count}", {"x-role": "body"})
    step = 1
    while count < n:
        for i in range(m):
            if count >= n:
                return
            a, b = pairs[i], pairs[(i + step) % m]
            count += 1
            yield tmx.TranslationUnit(f"{a[0]}。{b[0]}", f"{a[1]}. {b[1]}", f"j{count}", {"x-role": "body"})
        step += 1


def edited(text: str, rng: random.Random) -> str:
    """A source a desk might have written since: one character changed, one dropped."""
    chars = list(text)
    i = rng.randrange(len(chars))
    chars[i] = "新" if chars[i] != "新" else "旧"
    if len(chars) > 8:
        del chars[rng.randrange(len(chars))]
    return "".join(chars)


def bilingual(root: Path, *args: str) -> tuple[float, float]:
    """One whole process: (wall seconds, CPU seconds, user + system).  On a
    shared, loaded machine the CPU time is the figure to compare."""
    # bytecode cached, as an installed package has it (this machine sets PYTHONDONTWRITEBYTECODE:
    # every process would compile its modules again, +0.5 s CPU under load)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(root.parent / "pycache"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "workflow", "--root", str(root), *args], capture_output=True, text=True, env=env
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"bilingual {' '.join(args)} failed: {done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


LOOKUP = r"""
import json, statistics, sys, time
from pathlib import Path
from rapidfuzz import fuzz, process
from workflow.memory import store as memory
con, _ = memory.open_index(Path(sys.argv[1]))
tm = memory.Memory(con)
queries = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
def timed(texts):
    wall, cpu = [], []
    for q in texts:
        start, used = time.perf_counter(), time.process_time()
        tm.lookup(memory.Query(q, "body"), "en")
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    figures = {}
    for name, out in (("wall", wall), ("cpu", cpu)):
        out.sort()
        figures[name] = (statistics.median(out) * 1000, out[int(len(out) * 0.9)] * 1000)
    return figures
result = {"exact": timed(queries["exact"]), "fuzzy": timed(queries["fuzzy"])}
norms = [r[0] for r in con.execute("SELECT norm FROM units WHERE lang = 'en'")]
hits = 0
worse = []
for q in queries["recall"]:
    best = process.extractOne(memory.normalize(q), norms, scorer=fuzz.ratio)
    if best[1] < 60:
        continue  # nothing in the memory worth offering (under the suggestion floor's neighbourhood)
    found = tm.lookup(memory.Query(q, "body"), "en", min_score=50)
    ours = fuzz.ratio(memory.normalize(q), memory.normalize(found.source)) if found else 0.0
    if ours >= best[1] - 0.01:
        hits += 1
    else:
        worse.append(round(best[1] - ours, 1))
result["recall"] = {"queries": hits + len(worse), "as_good": hits, "short_by": sorted(worse)}
print(json.dumps(result))
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--wmt", type=Path, help="the WMT22 snapshot (adds real news sentences)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep WORK's memory from an earlier run (same options): time the lookups only",
    )
    args = parser.parse_args(argv)
    from workflow.kits import tmx

    rng = random.Random(7)
    pairs = real_pairs(args.wmt)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    root = work / "project"
    reuse = args.reuse and (root / ".bilingual-cache" / "memory.sqlite").is_file()
    if not reuse:
        tmx.write(work / "distinct.tmx", units(pairs, args.units), "zh_CN", "en", "bench")
    (root / "source").mkdir(parents=True, exist_ok=True)
    (root / "bilingual.toml").write_text('target_languages = ["en"]\n', encoding="utf-8")
    indexed = pairs[: args.units]  # the real units the memory holds
    chosen = rng.sample(
        [p for p in indexed if 8 <= len(p[0]) <= 120 and not p[0].startswith(("#", "-", "*", "<"))], 300
    )
    article = [zh for zh, _ in chosen[:25]] + [edited(zh, rng) for zh, _ in chosen[25:50]]
    (root / "source" / "article.txt").write_text("\n\n".join(["测试文章标题"] + article) + "\n", encoding="utf-8")
    po = root / "translations" / "en" / "article.po"
    po.unlink(missing_ok=True)  # reused: the last run's pretranslated catalog goes, extract makes it afresh
    bilingual(root, "extract")
    empty = po.read_bytes()
    figures = {"units": args.units, "real": len(pairs), "tmx_mib": (work / "distinct.tmx").stat().st_size / 2**20}
    if not reuse:
        figures["import_s"] = bilingual(root, "tm", "import", str(work / "distinct.tmx"))
    runs = []
    for _ in range(5):
        po.write_bytes(empty)
        runs.append(bilingual(root, "pretranslate"))
    figures["pretranslate_s"] = {
        "wall": statistics.median(r[0] for r in runs),
        "cpu": statistics.median(r[1] for r in runs),
    }
    queries = {
        "exact": [zh for zh, _ in chosen[50:250]],
        "fuzzy": [edited(zh, rng) for zh, _ in chosen[50:250]],
        "recall": [edited(zh, rng) for zh, _ in chosen[200:300]],
    }
    (work / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    index = root / ".bilingual-cache" / "memory.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", LOOKUP, str(index), str(work / "queries.json")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    figures.update(json.loads(done.stdout))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
