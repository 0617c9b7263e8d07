#!/usr/bin/env python3
"""Real machine translation through the replay engine: what our checks flag
on the outputs of WMT22's zh→en systems, against what they flag on the two
professional references of the same sources.

    python benchmarks/mt_bench.py /work/.mirror/wmt-conference+wmt22-news-systems/repo
    python benchmarks/mt_bench.py SNAPSHOT --systems Online-B,NiuTrans --lines 0:400
    python benchmarks/mt_bench.py tests/data/wmt22          # the committed excerpt (CI, --smoke)

SNAPSHOT is a git snapshot of ``wmt-conference/wmt22-news-systems`` (read at
HEAD: ``txt/sources/generaltest2022.zh-en.src.zh``,
``txt/references/generaltest2022.zh-en.ref.{A,B}.en``,
``txt/system-outputs/generaltest2022.zh-en.hyp.*.en``) or a plain folder
with the same file names (the excerpt).

For each output set (each system, and each reference as if it were one), a
fresh project gets the sources as one article (a paragraph a line), then,
as whole processes: ``bilingual pretranslate --engine replay:FILE`` with
``source<TAB>output`` lines, and ``bilingual check --json``.  Reported: the
segments drafted, and per check the segments flagged.  The lines are split
in two halves, the second held out: a figure that holds on one half and not
the other is noise.  No glossary (WMT has none), so the glossary checks
are silent: what is measured is numbers, dates, names, leftover Chinese,
brackets, length and the like.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAIR = "generaltest2022.zh-en"
SOURCE = f"txt/sources/{PAIR}.src.zh"
REFERENCES = {"ref-A": f"txt/references/{PAIR}.ref.A.en", "ref-B": f"txt/references/{PAIR}.ref.B.en"}
SYSTEMS = f"txt/system-outputs/{PAIR}.hyp."
TITLE = "WMT22 通用测试集"


def _is_git(path: Path) -> bool:
    return (path / "HEAD").is_file() or (path / ".git").exists()


def read(snapshot: Path, name: str) -> list[str]:
    if _is_git(snapshot):
        data = subprocess.run(
            [
                "git",
                "--git-dir",
                str(snapshot if (snapshot / "HEAD").is_file() else snapshot / ".git"),
                "show",
                f"HEAD:{name}",
            ],
            capture_output=True,
            check=True,
        ).stdout
    else:
        data = (snapshot / name).read_bytes()
    return data.decode("utf-8").split("\n")[:-1] if data.endswith(b"\n") else data.decode("utf-8").split("\n")


def systems(snapshot: Path) -> list[str]:
    if _is_git(snapshot):
        git = snapshot if (snapshot / "HEAD").is_file() else snapshot / ".git"
        names = subprocess.run(
            ["git", "--git-dir", str(git), "ls-tree", "--name-only", "HEAD", "txt/system-outputs/"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    else:
        names = [f"txt/system-outputs/{p.name}" for p in sorted((snapshot / "txt" / "system-outputs").glob("*"))]
    return sorted(n[len(SYSTEMS) : -len(".en")] for n in names if n.startswith(SYSTEMS) and n.endswith(".en"))


def bilingual(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BILINGUAL_JOBS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "workflow", "--root", str(root), *args], capture_output=True, text=True, env=env
    )


def make_project(folder: Path, sources: list[str]) -> tuple[Path, bytes]:
    root = folder / "project"
    (root / "source").mkdir(parents=True)
    (root / "bilingual.toml").write_text('target_languages = ["en"]\n', encoding="utf-8")
    paragraphs = [TITLE] + [" ".join(s.split()) for s in sources]
    (root / "source" / "wmt.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    done = bilingual(root, "extract")
    if done.returncode not in (0, 1):
        raise SystemExit(f"extract failed: {done.stderr}")
    return root, (root / "translations" / "en" / "wmt.po").read_bytes()


def run_one(root: Path, po: bytes, sources: list[str], outputs: list[str], half: int) -> dict:
    """Replay one output set and count what the checks flag, per half."""
    (root / "translations" / "en" / "wmt.po").write_bytes(po)
    shutil.rmtree(root / ".bilingual-cache", ignore_errors=True)
    replay = root.parent / "replay.tsv"
    lines = [f"{s}\t{' '.join(o.split())}" for s, o in zip(sources, outputs) if s.strip() and o.strip()]
    replay.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = bilingual(root, "pretranslate", "--engine", f"replay:{replay}")
    if done.returncode:
        raise SystemExit(f"pretranslate failed: {done.stderr}")
    drafted = int(done.stdout.split(" machine draft", 1)[0].split()[-1])
    found = json.loads(bilingual(root, "check", "--json", "--severity", "warning").stdout)
    line_of = _lines_by_segment(root, sources)
    counts = {"dev": Counter(), "held-out": Counter()}
    flagged = {"dev": set(), "held-out": set()}
    for finding in found["findings"]:
        line = line_of.get(finding["segment"])
        if line is None:
            continue  # the title
        part = "dev" if line < half else "held-out"
        counts[part][(finding["check"], finding["segment"])] += 1
        flagged[part].add(finding["segment"])
    per_check = {part: Counter(check for check, _ in c) for part, c in counts.items()}
    return {"drafted": drafted, "flagged": {p: len(s) for p, s in flagged.items()}, "checks": per_check}


def _lines_by_segment(root: Path, sources: list[str]) -> dict[str, int]:
    sys.path.insert(0, str(ROOT))
    from workflow.po import pofile
    from workflow.po.catalog import entry_id

    first = {}
    for i, s in enumerate(sources):
        first.setdefault(" ".join(s.split()), i)
    po = pofile.load(root / "translations" / "en" / "wmt.po", "wmt.po")
    return {entry_id(e): first[e.msgid] for e in po if e.msgid in first}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--systems", help="comma-separated system names (default: all)")
    parser.add_argument("--lines", default="", help="START:END of the test set's lines (default: all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sources = read(args.snapshot, SOURCE)
    start, _, end = args.lines.partition(":")
    window = slice(int(start) if start else 0, int(end) if end else None)
    sources = sources[window]
    names = args.systems.split(",") if args.systems else systems(args.snapshot)
    sets = {
        **{k: read(args.snapshot, v)[window] for k, v in REFERENCES.items()},
        **{n: read(args.snapshot, f"{SYSTEMS}{n}.en")[window] for n in names},
    }
    half = len(sources) // 2
    with tempfile.TemporaryDirectory() as tmp:
        root, po = make_project(Path(tmp), sources)
        results = {name: run_one(root, po, sources, outputs, half) for name, outputs in sets.items()}
    print(
        json.dumps(results, indent=2, ensure_ascii=False, default=dict)
        if args.json
        else report(results, len(sources), half)
    )
    return 0


def report(results: dict, lines: int, half: int) -> str:
    checks = sorted({c for r in results.values() for part in r["checks"].values() for c in part})
    head = ["outputs", "drafted", "flagged dev", "flagged held-out", *checks]
    rows = [head]
    for name, r in results.items():
        rows.append(
            [
                name,
                str(r["drafted"]),
                str(r["flagged"]["dev"]),
                str(r["flagged"]["held-out"]),
                *(f"{r['checks']['dev'][c]}+{r['checks']['held-out'][c]}" for c in checks),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = [
        f"WMT22 {PAIR}: {lines} source lines, dev = lines 0–{half - 1}, held-out = the rest; "
        "cells: segments flagged dev+held-out"
    ]
    out += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    refs = [r for n, r in results.items() if n.startswith("ref-")]
    mt = [r for n, r in results.items() if not n.startswith("ref-")]
    if refs and mt:
        for part in ("dev", "held-out"):
            ref = sum(r["flagged"][part] for r in refs) / len(refs)
            sys_mean = sum(r["flagged"][part] for r in mt) / len(mt)
            out.append(
                f"{part}: segments flagged, mean of {len(mt)} system(s) {sys_mean:.1f}, "
                f"mean of the references {ref:.1f}" + (f" (×{sys_mean / ref:.2f})" if ref else "")
            )
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
