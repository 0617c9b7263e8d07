"""A small content-keyed cache in ``.bilingual-cache/`` (ignored by git).

Entries are keyed on the SHA-256 of the inputs, never on times, so a hit
means the same bytes.  Nothing depends on the cache being there, and nothing
in it is trusted: each file starts with the SHA-256 of the rest, so random
bytes, a truncated file or a hand edit are found; a caller's ``valid`` test
refuses entries of the wrong shape; a folder where the file should be is
removed.  A damaged cache is a miss, with one warning through
``damage_notice``, and is rewritten by the command.

May import: fsio, and the package version.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from workflow import __version__

FOLDER = ".bilingual-cache"
#: Called with one line when a cache file is damaged and ignored (the command line prints it).
damage_notice: Callable[[str], None] | None = None
#: Called as ``(file, units so far)`` while a long rebuild (the memory's index of a large file) runs, and
#: ``(file, None)`` when it is done; the command line shows it on a terminal.
rebuild_progress: Callable[[str, int | None], None] | None = None
_warned: set[str] = set()


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def on_damage(callback: Callable[[str], None] | None) -> None:
    """Who tells the user (the command line, once per command)."""
    global damage_notice
    damage_notice = callback
    _warned.clear()


def warn(line: str) -> None:
    """Tell the user, once per command, that something disposable was damaged and rebuilt."""
    if damage_notice is not None and line not in _warned:
        _warned.add(line)
        damage_notice(line)


def _damaged(name: str, why: str) -> dict:
    warn(f"{FOLDER}/{name}.json was damaged ({why}); ignored and rebuilt (it is only a cache)")
    return {}


def load(root: Path, name: str, valid=None) -> dict:
    """The cache ``name``, or {} when it is missing or damaged in any way;
    ``valid(value)`` says whether an entry has the shape its reader needs."""
    path = root / FOLDER / f"{name}.json"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        shutil.rmtree(path, ignore_errors=True)
        return _damaged(name, "a folder stood in its place")
    except OSError as exc:
        return _damaged(name, exc.strerror or str(exc))
    check, _, body = raw.partition(b"\n")
    if check.decode("ascii", "replace") != hashlib.sha256(body).hexdigest():
        return _damaged(name, "its checksum does not match")
    try:
        data = json.loads(body.decode("utf-8"))
    except ValueError:
        return _damaged(name, "not JSON")
    if not isinstance(data, dict):
        return _damaged(name, "not a table")
    if valid is not None and not all(valid(value) for value in data.values()):
        return _damaged(name, "entries of the wrong shape")
    return data


def save(root: Path, name: str, data: dict) -> None:
    from workflow.core.fsio import atomic_write

    body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        # No fsync: a cache lost in a crash is a miss, and a torn one fails its checksum (a miss too).
        atomic_write(
            root / FOLDER / f"{name}.json", hashlib.sha256(body).hexdigest().encode() + b"\n" + body, sync=False
        )
    except OSError:
        pass  # a read-only project still works, only slower
