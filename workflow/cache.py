"""A small content-keyed cache in ``.bilingual-cache/`` (ignored by git).

Entries are keyed on the SHA-256 of the inputs, never on times, so a hit
means the same bytes.  A missing, unreadable or corrupt cache is a miss;
nothing depends on it being there.

May import: fsio, and the package version.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__

FOLDER = ".bilingual-cache"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def load(root: Path, name: str) -> dict:
    try:
        data = json.loads((root / FOLDER / f"{name}.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save(root: Path, name: str, data: dict) -> None:
    from .fsio import atomic_write

    try:
        # No fsync: a cache lost in a crash is a miss, and a torn one does not parse (a miss too).
        atomic_write(root / FOLDER / f"{name}.json", json.dumps(data, ensure_ascii=False, sort_keys=True), sync=False)
    except OSError:
        pass  # a read-only project still works, only slower
