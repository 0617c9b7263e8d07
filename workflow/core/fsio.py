"""Files on disk: reading what the user named, atomic writes, all-or-nothing
sets of writes, the project lock, and whether a path stays inside a folder.

Inputs are read with ``read_bytes`` (or ``read_input``): while a command's
input snapshot is open (``commands.snapshot``, set with ``reading_through``)
each file is read once and its bytes handed out again; a file written here
is forgotten by the snapshot, so it is never answered stale.

May import: errors.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from workflow.core.errors import InputError, environment_failure

#: The input snapshot of the running command, if one is open (an object with ``read(path)`` and ``forget(path)``).
_SNAPSHOT: ContextVar = ContextVar("bilingual_input_snapshot", default=None)


@contextmanager
def reading_through(snapshot):
    """Inputs read through ``snapshot`` while the block runs (worker processes forked in it too)."""
    token = _SNAPSHOT.set(snapshot)
    try:
        yield snapshot
    finally:
        _SNAPSHOT.reset(token)


def current_snapshot():
    """The input snapshot open in this context, or None."""
    return _SNAPSHOT.get()


def read_bytes(path: Path) -> bytes:
    """``path.read_bytes()``, once per command while an input snapshot is open."""
    snapshot = _SNAPSHOT.get()
    return path.read_bytes() if snapshot is None else snapshot.read(path)


def _replaced(path: Path) -> None:
    """``path`` was just written: the snapshot's copy, if any, is stale."""
    snapshot = _SNAPSHOT.get()
    if snapshot is not None:
        snapshot.forget(path)


def read_input(path: Path, display: str, error=InputError) -> bytes:
    """The bytes of a file the user named; a missing or unreadable file is
    an ``error`` naming it."""
    try:
        return read_bytes(path)
    except FileNotFoundError:
        raise error("no such file", display) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", display) from None
    except OSError as exc:
        raise environment_failure(exc, display) from None


def name_target(exc: OSError, path: Path) -> OSError:
    """``exc`` naming ``path`` (a write's ``OSError`` often names no file, or
    the temporary), for the one line the user reads."""
    if exc.filename is None or str(exc.filename).endswith(".tmp"):
        exc.filename = str(path)
    return exc


def atomic_write(path: Path, data: bytes | str, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file
    or the new one, never a mix: temp file in the same folder, fsync, rename.
    ``sync=False`` (caches, which may be lost) skips the fsync."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise name_target(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        _replaced(path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise name_target(exc, path) from None
        raise


def temporary_beside(path: Path) -> Path:
    """A fresh temporary's name beside ``path``, of the shape the project
    lock sweeps when a killed run left it (``.NAME.XXXXXXXX.tmp``)."""
    return path.with_name(f".{path.name}.{_token()}.tmp")


def _token() -> str:
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """The hex digest of a file's bytes, read in chunks (a photo or a memory file is never held whole)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, algorithm).hexdigest()


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Atomic write that leaves an identical file untouched (no mtime churn)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


class Staged:
    """Files written to temporaries beside their targets, then put in place
    together: all of them, or (on any failure) none.  A target whose bytes
    would not change is left alone (no mtime churn).  The temporaries are
    flushed to disk in one pass before the first rename, not one ``fsync``
    per write.  A temporary may be written by another process: ``reserve``
    names it (this object removes it on failure) without creating it."""

    def __init__(self) -> None:
        self.files: dict[Path, Path] = {}  # target → temporary
        self.made: list[Path] = []  # folders created for targets, removed again if nothing lands in them
        self.token = _token()

    def _folder(self, target: Path) -> None:
        if target.parent.is_dir():
            return  # the common case: one stat, not one per ancestor
        missing = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
        if missing:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made += reversed(missing)

    def reserve(self, target: Path) -> Path:
        """The temporary for ``target``'s new content, for any process to
        create and write; a target whose temporary is never written stays as it is."""
        self._folder(target)
        tmp = target.with_name(f".{target.name}.{self.token}.tmp")
        self.files[target] = tmp
        return tmp

    def open(self, target: Path):
        """A binary file to write ``target``'s new content into."""
        return open(self.reserve(target), "wb")

    def temporary(self, target: Path) -> Path:
        """Where ``target``'s new content is being written (for a tool to read it)."""
        return self.files[target]

    def write(self, target: Path, data: bytes | str) -> None:
        try:
            with self.open(target) as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as exc:
            raise name_target(exc, target) from None

    def discard(self) -> None:
        for tmp in self.files.values():
            tmp.unlink(missing_ok=True)
        self.files.clear()
        for folder in reversed(self.made):  # deepest first; a folder that holds anything stays
            try:
                folder.rmdir()
            except OSError:
                pass
        self.made.clear()

    def commit(self) -> list[Path]:
        """Put every changed file in place; the targets that changed."""
        import filecmp

        written = [(tmp, target) for target, tmp in self.files.items() if tmp.exists()]
        changed = [
            (tmp, target)
            for tmp, target in written
            if not (target.is_file() and filecmp.cmp(tmp, target, shallow=False))
        ]
        flush([tmp for tmp, _ in changed])
        for tmp, target in changed:
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        for tmp, target in changed:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise name_target(exc, target) from None
            _replaced(target)
        for folder in {target.parent for _, target in changed}:
            _fsync_folder(folder)
        self.discard()  # the unchanged ones
        return [target for _, target in changed]

    def __enter__(self):
        return self

    def __exit__(self, kind, value, trace):
        if kind is not None:
            self.discard()


#: Above this many files, one ``syncfs`` per file system replaces an ``fsync`` per file.
SYNCFS_FROM = 8


def flush(paths: list[Path]) -> None:
    """Every file in ``paths`` on disk.  A few are ``fsync``ed one by one;
    many (an extract of a thousand articles) with one ``syncfs`` call per
    file system (Linux), which a busy disk answers in one flush instead of
    thousands."""
    if len(paths) >= SYNCFS_FROM and _syncfs(paths):
        return
    for path in paths:
        with path.open("rb") as fh:
            os.fsync(fh.fileno())


def _syncfs(paths: list[Path]) -> bool:
    """``syncfs`` on each file system holding ``paths``; False where it is not available."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    devices: dict[int, Path] = {}
    for path in paths:
        devices.setdefault(os.stat(path).st_dev, path)
    for path in devices.values():
        fd = os.open(path, os.O_RDONLY)
        try:
            if syncfs(fd) != 0:
                return False
        finally:
            os.close(fd)
    return True


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # what atomic_write's mkstemp names look like


LOCK_FILE = ".bilingual.lock"
#: Called with the PID of the lock's holder (or None) when a command has
#: waited a second for the project lock; the command line prints it.
lock_wait_notice: Callable[[int | None], None] | None = None


def _holder(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _acquire(lock, path: Path, timeout: float) -> None:
    from filelock import Timeout

    try:
        lock.acquire(timeout=min(1.0, timeout))
    except Timeout:
        if lock_wait_notice is not None:
            lock_wait_notice(_holder(path))
        lock.acquire(timeout=max(0.0, timeout - 1.0))


@contextmanager
def project_lock(root: Path, timeout: float = 60.0, sweep: Path | None = None, read_only_ok: bool = False):
    """One writer at a time in a project (other processes wait, and after a
    second ``lock_wait_notice`` says who holds the lock).

    Holding the lock, no other writer can be half-way through a write, so
    temporary files left in ``sweep`` by a writer that was killed are
    removed: the files they were meant to replace are intact.
    ``read_only_ok``: a project on a read-only file system (no writer can
    be at work in it) is worked on without the lock, for a command that
    writes elsewhere (``build --out``)."""
    from filelock import FileLock, Timeout

    path = root / LOCK_FILE
    lock = FileLock(str(path))
    locked = True
    try:
        _acquire(lock, path, timeout)
    except Timeout:
        raise InputError(
            f"another bilingual command (PID {_holder(path) or '?'}) holds the project lock for over {timeout:.0f}s",
            path,
        ) from None
    except OSError as exc:
        if not (read_only_ok and exc.errno == errno.EROFS):
            raise environment_failure(exc, LOCK_FILE, "cannot take the project lock: ") from None
        locked = False  # a read-only project: worked on without the lock
    if not locked:
        yield
        return
    try:
        try:
            path.write_text(str(os.getpid()), encoding="ascii")  # who holds it, for whoever waits
        except OSError:
            pass
        if sweep is not None:
            remove_stale_temp_files(sweep)
        yield
    finally:
        lock.release()


def remove_stale_temp_files(folder: Path, recursive: bool = True) -> list[Path]:
    """Delete atomic_write's leftovers (``.NAME.XXXXXXXX.tmp``) under ``folder``
    (in it only, with ``recursive=False``)."""
    removed = []
    if folder.is_dir():
        for path in sorted(folder.rglob(".*.tmp") if recursive else folder.glob(".*.tmp")):
            if path.is_file() and _TEMP_NAME.match(path.name):
                try:
                    path.unlink()
                    removed.append(path)
                except OSError:
                    pass
    return removed


def inside(root: Path, candidate: Path) -> bool:
    try:
        candidate.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False
