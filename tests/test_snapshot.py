"""A command reads each input once (``commands.snapshot``): counted with an
audit hook on every ``open`` of a real run of the command line, cold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workflow.commands import snapshot
from workflow.core import fsio

REPO = Path(__file__).resolve().parent.parent

#: Runs the command line in a fresh interpreter and prints how often each file name was opened.
_COUNTING = """
import collections, json, os, sys
opened = collections.Counter()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened[os.path.basename(os.fsdecode(args[0]))] += 1
sys.addaudithook(hook)
from workflow.cli import cli
try:
    cli(sys.argv[1:], prog_name="bilingual")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "opened": opened}))
"""


def _opens(root: Path, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _COUNTING, "-j", "1", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, None), proc.stderr
    return result["opened"]


def test_a_cold_check_opens_each_input_once(shipped):
    opened = _opens(shipped, "check")
    assert opened["glossary.csv"] == 1  # five times before the snapshot
    assert opened["changsha-opening-up.md"] == 1
    assert opened["changsha-opening-up.po"] == 1


def test_a_cold_build_of_every_edition_opens_each_input_once(shipped, tmp_path):
    opened = _opens(shipped, "build", "--edition", "all", "--out", str(tmp_path / "out"))
    assert opened["changsha-opening-up.md"] == 1  # three times before
    assert opened["changsha-opening-up.po"] == 1
    assert opened["glossary.csv"] == 1
    assert (tmp_path / "out" / "changsha-opening-up.bilingual.docx").is_file()


def test_a_cold_extract_opens_the_article_once(shipped):
    (shipped / "translations" / "templates").joinpath("changsha-opening-up.pot").unlink()
    opened = _opens(shipped, "extract")
    assert opened["changsha-opening-up.md"] == 1
    assert opened["glossary.csv"] == 1


def test_a_snapshot_reads_a_file_once_and_forgets_what_is_written(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real(self))
    with snapshot.taken() as snap:
        assert snapshot.read(path) == b"one" and fsio.read_input(path, "a.txt") == b"one"
        assert snapshot.digest(path) == snap.digest(path)
        assert reads == ["a.txt"]
        fsio.atomic_write(path, b"two")  # a write through fsio: the snapshot's copy is dropped
        assert snapshot.read(path) == b"two"
        with snapshot.taken() as inner:  # a nested command shares the running snapshot
            assert inner is snap
    assert reads == ["a.txt", "a.txt"]
    path.write_bytes(b"three")  # no snapshot open: every read goes to the disk
    assert snapshot.read(path) == b"three" and fsio.current_snapshot() is None


def test_a_snapshot_remembers_nothing_of_a_file_it_could_not_read(tmp_path):
    missing = tmp_path / "missing.txt"
    with snapshot.taken() as snap:
        with pytest.raises(FileNotFoundError):
            snap.read(missing)
        missing.write_bytes(b"now")
        assert snap.read(missing) == b"now" and len(snap) == 1


def test_derived_values_are_made_once_per_input_digest():
    made = []
    first = snapshot.derived(("test", "digest-1"), lambda: made.append(1) or "a")
    again = snapshot.derived(("test", "digest-1"), lambda: made.append(2) or "b")
    other = snapshot.derived(("test", "digest-2"), lambda: made.append(3) or "c")
    assert (first, again, other, made) == ("a", "a", "c", [1, 3])


def test_a_snapshot_keeps_at_most_its_budget_and_the_files_used_last(tmp_path):
    paths = []
    for name in "abc":
        paths.append(tmp_path / name)
        paths[-1].write_bytes(name.encode() * 10)
    a, b, c = paths
    snap = snapshot.Snapshot(budget=25)
    snap.read(a), snap.read(b), snap.read(a)  # a used last: b is the oldest
    digest_b = snap.digest(b)  # reading b makes a the oldest
    snap.read(c)  # 30 bytes kept, over the budget of 25: a is let go
    assert len(snap) == 2
    a.write_bytes(b"changed")
    b.write_bytes(b"changed too")
    assert snap.read(b) == b"b" * 10  # kept: the bytes the command read
    assert snap.read(a) == b"changed"  # let go: read from the disk again
    assert snap.digest(b) == digest_b
