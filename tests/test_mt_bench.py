"""The MT benchmark on the committed WMT22 excerpt: real system outputs and
professional references replayed through the replay engine, then checked."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCERPT = ROOT / "tests" / "data" / "wmt22"
TXT = EXCERPT / "txt"
PAIR = "generaltest2022.zh-en"


def test_every_output_is_replayed_and_leftover_chinese_is_flagged_exactly_where_it_is():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "mt_bench.py"), str(EXCERPT), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    files = {
        "ref-A": TXT / "references" / f"{PAIR}.ref.A.en",
        "ref-B": TXT / "references" / f"{PAIR}.ref.B.en",
        **{p.name.split(".hyp.")[1][:-3]: p for p in (TXT / "system-outputs").glob("*.en")},
    }
    assert set(results) == set(files)
    sources = (TXT / "sources" / f"{PAIR}.src.zh").read_text(encoding="utf-8").splitlines()
    for name, path in files.items():
        outputs = path.read_text(encoding="utf-8").splitlines()
        assert results[name]["drafted"] == sum(1 for s, o in zip(sources, outputs) if s.strip() and o.strip())
        with_han = [i for i, line in enumerate(outputs) if re.search("[\u3400-\u9fff]", line)]
        checks = results[name]["checks"]
        flagged = checks["dev"].get("chinese-characters", 0) + checks["held-out"].get("chinese-characters", 0)
        assert flagged == len(with_han), name
    # the system that leaves most Chinese behind is flagged more than either reference
    worst = max((n for n in files if not n.startswith("ref-")), key=lambda n: sum(results[n]["flagged"].values()))
    assert sum(results[worst]["flagged"].values()) > max(
        sum(results[r]["flagged"].values()) for r in ("ref-A", "ref-B")
    )
