"""A command's inputs, each read once: the bytes of the articles, catalogs,
glossary and word list, their digests, and what is made from them.

A command opens one ``Snapshot`` for its run (``with snapshot.taken():``).
While it is open every input the package reads with ``fsio.read_bytes`` or
``fsio.read_input`` — the readers of articles, PO files and the glossary —
comes from it: the first read opens the file, the later ones get the same
bytes.  Worker processes forked in the block inherit what was read before
the fork.  A file the command writes (``fsio.atomic_write``, ``Staged``) is
forgotten, so a snapshot never answers with bytes that are no longer on disk.
Outside a snapshot (the desk serving requests, a library call) every read
goes to the disk, as before.

``derived`` is the one memo for what is made from an input (the parsed
glossary, the word list): keyed by the input's digest, so it is never stale,
and kept per process, so the workers of one command and the requests of the
desk share it.

May import: fsio.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from workflow.core import fsio

T = TypeVar("T")


#: The most bytes a snapshot keeps: beyond it the files read longest ago are let go (their
#: digests are kept).  A command reads an article's files twice in a row (to key its cache
#: entry, then to parse them), so this is far more than any one job needs, and far less
#: than a thousand articles' catalogs.
BUDGET = 16 * 2**20


class Snapshot:
    """The inputs of one command run, read once each (within ``budget`` bytes kept at a time)."""

    def __init__(self, budget: int = BUDGET) -> None:
        self._bytes: dict[str, bytes] = {}  # in the order last used
        self._digests: dict[str, str] = {}
        self._kept = 0
        self._budget = budget

    def read(self, path: Path) -> bytes:
        """The file's bytes (an ``OSError`` as ``path.read_bytes()`` raises it; nothing is remembered then)."""
        key = os.fspath(path)
        data = self._bytes.pop(key, None)
        if data is None:
            data = Path(path).read_bytes()
            self._kept += len(data)
        self._bytes[key] = data  # now the most recently used
        while self._kept > self._budget and len(self._bytes) > 1:
            oldest = next(iter(self._bytes))
            self._kept -= len(self._bytes.pop(oldest))
        return data

    def digest(self, path: Path) -> str:
        """The SHA-256 of the file's bytes, in hex."""
        key = os.fspath(path)
        found = self._digests.get(key)
        if found is None:
            found = self._digests[key] = hashlib.sha256(self.read(path)).hexdigest()
        return found

    def forget(self, path: Path) -> None:
        """``path`` changed on disk: the next read opens it again."""
        key = os.fspath(path)
        self._kept -= len(self._bytes.pop(key, b""))
        self._digests.pop(key, None)

    def __len__(self) -> int:
        return len(self._bytes)


@contextmanager
def taken() -> Iterator[Snapshot]:
    """A snapshot for the block: the command's inputs are read through it (a nested one is the same)."""
    running = fsio.current_snapshot()
    if running is not None:
        yield running
        return
    with fsio.reading_through(Snapshot()) as snapshot:
        yield snapshot


def read(path: Path) -> bytes:
    """The file's bytes: from the running command's snapshot, else from the disk."""
    return fsio.read_bytes(path)


def digest(path: Path) -> str:
    """The SHA-256 of the file's bytes, in hex: from the running command's snapshot, else from the disk."""
    running = fsio.current_snapshot()
    return running.digest(path) if running is not None else hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_if_file(path: Path, missing: bytes = b"") -> bytes:
    """The file's bytes, or ``missing`` when there is no such file."""
    return read(path) if path.is_file() else missing


#: What was made from inputs, by (kind, input digest, ...): at most this many, oldest dropped first.
_DERIVED: dict[tuple, object] = {}
DERIVED_MOST = 8


def derived(key: tuple, make: Callable[[], T]) -> T:
    """``make()``, once per ``key`` in this process; ``key`` holds the digest of every input ``make`` reads."""
    if key in _DERIVED:
        return _DERIVED[key]  # type: ignore[return-value]
    value = make()
    while len(_DERIVED) >= DERIVED_MOST:
        _DERIVED.pop(next(iter(_DERIVED)))
    _DERIVED[key] = value
    return value
