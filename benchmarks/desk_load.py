#!/usr/bin/env python3
"""Latency of the desk under load: N simulated users (HTTP clients in
threads) editing and approving segments of one article against one
``bilingual serve`` process, on a copy of the shipped project.

Each operation is what a browser does: GET the segment's form, POST the
edit or approval.  Reported: the POST latency (median, p95, max), the
form GET's, conflicts (409: the segment changed since the form was read)
and throughput.  No figure is asserted; tests/test_desk_concurrency.py
checks the correctness of the same load.

    benchmarks/desk_load.py                      # 20 users, 2000 operations
    benchmarks/desk_load.py --think 1           # users who read for a second (0-2 s) between actions
    benchmarks/desk_load.py --clients 5 --ops 500 --segments 20 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.desk_helpers import serve_process

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "changsha-opening-up"
PASSWORD = "benchmark password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REV = re.compile(r'name="rev" value="([0-9a-f]+)"')


def _project(folder: Path) -> Path:
    root = folder / "shipped"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    for name in ("source", "translations"):
        shutil.copytree(REPO / name, root / name)
    return root


def _cli(root: Path, *args: str, stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, "-m", "workflow", "--root", str(root), *args],
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(base: str, name: str) -> requests.Session:
    s = requests.Session()
    token = CSRF.search(s.get(f"{base}/login").text).group(1)
    s.post(f"{base}/login", data={"username": name, "password": PASSWORD, "csrf": token}, allow_redirects=False)
    return s


def _client(
    base: str, name: str, sids: list[str], ops: int, seed: int, think: float
) -> list[tuple[str, float, float, int]]:
    rnd, s, out = random.Random(seed), _login(base, name), []
    for k in range(ops):
        if think:
            time.sleep(rnd.uniform(0, 2 * think))
        url = f"{base}/a/{ARTICLE}/en/s/{rnd.choice(sids)}"
        t0 = time.perf_counter()
        page = s.get(url).text
        t1 = time.perf_counter()
        kind = "approve" if rnd.random() < 0.25 else "edit"
        data = {
            "csrf": CSRF.search(page).group(1),
            "rev": REV.search(page).group(1),
            "back": url,
            "text": f"Edit {k} by {name}.",
        }
        status = s.post(f"{url}/{kind}", data=data, allow_redirects=False).status_code
        out.append((kind, t1 - t0, time.perf_counter() - t1, status))
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(clients: int, ops: int, segments: int, think: float = 0.0) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = _project(Path(folder))
        for i in range(clients):
            _cli(root, "users", "add", f"desk{i}", "--role", "editor", stdin=PASSWORD + "\n")
        sids = re.findall(r"#\. ID: (\w+)", (root / "translations/en" / f"{ARTICLE}.po").read_text("utf-8"))
        port = _port()
        server = serve_process(root, port)
        base = f"http://127.0.0.1:{port}"
        try:
            start = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                jobs = [
                    pool.submit(_client, base, f"desk{i}", sids[10 : 10 + segments], ops // clients, i, think)
                    for i in range(clients)
                ]
                rows = [r for job in jobs for r in job.result()]
            wall = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(10)
    posts, gets = [r[2] for r in rows], [r[1] for r in rows]
    return {
        "clients": clients,
        "operations": len(rows),
        "segments": segments,
        "think_s": think,
        "wall_s": round(wall, 2),
        "ops_per_s": round(len(rows) / wall, 1),
        "post_ms": {
            "median": round(statistics.median(posts) * 1000, 1),
            "p95": round(_pct(posts, 0.95), 1),
            "max": round(max(posts) * 1000, 1),
        },
        "get_ms": {"median": round(statistics.median(gets) * 1000, 1), "p95": round(_pct(gets, 0.95), 1)},
        "saved": sum(r[3] == 303 for r in rows),
        "conflicts": sum(r[3] == 409 for r in rows),
        "other": sum(r[3] not in (303, 409) for r in rows),
        "cores": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--segments", type=int, default=4, help="How many segments the users share.")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="Mean seconds a user waits between operations (0: as fast as the server answers).",
    )
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()
    figures = run(args.clients, args.ops, args.segments, args.think)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
