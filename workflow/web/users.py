"""The desk's accounts: name, role and password hash, kept outside git.

The file is ``.bilingual/users.toml`` in the project (the folder carries its
own ``.gitignore``), or the path in ``$BILINGUAL_USERS``.  Passwords are
hashed with Argon2id (argon2-cffi's defaults); the file is written
atomically, readable by its owner only.

May import: errors, fsio.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from workflow.core.errors import InputError, UsageError
from workflow.core.fsio import atomic_write

ROLES = ("translator", "reviewer", "editor")
#: What each role may do on the desk (the server refuses the rest).
CAN = {
    "translator": frozenset({"edit"}),
    "reviewer": frozenset({"edit", "approve", "reject", "accept", "replace-reviewed"}),
    "editor": frozenset({"edit", "approve", "reject", "accept", "replace-reviewed"}),
}
PRIVATE_DIR = ".bilingual"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class User:
    name: str
    role: str
    hash: str = ""

    def can(self, action: str) -> bool:
        return action in CAN.get(self.role, ())


def private_dir(root: Path) -> Path:
    """The project's folder for what never goes into git (created with a
    ``.gitignore`` that ignores everything in it)."""
    folder = root / PRIVATE_DIR
    if not (folder / ".gitignore").is_file():
        folder.mkdir(mode=0o700, exist_ok=True)
        atomic_write(folder / ".gitignore", "# the desk's users, secret and copies: never in git\n*\n")
    return folder


def users_path(root: Path) -> Path:
    named = os.environ.get("BILINGUAL_USERS")
    return Path(named) if named else root / PRIVATE_DIR / "users.toml"


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def load(root: Path) -> dict[str, User]:
    path = users_path(root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the users file: {exc}", str(path)) from None
    out = {}
    for name, row in (data.get("users") or {}).items():
        if not isinstance(row, dict) or row.get("role") not in ROLES or not _NAME.match(name):
            raise InputError(f"user {name!r}: needs a role ({', '.join(ROLES)}) and a hash", str(path))
        out[name] = User(name, row["role"], str(row.get("hash", "")))
    return out


def _save(root: Path, users: dict[str, User]) -> None:
    path = users_path(root)
    if path == root / PRIVATE_DIR / "users.toml":
        private_dir(root)
    lines = ["# bilingual desk users: written by 'bilingual users'; passwords are Argon2id hashes", ""]
    for user in sorted(users.values(), key=lambda u: u.name):
        lines += [f'[users."{user.name}"]', f'role = "{user.role}"', f'hash = "{user.hash}"', ""]
    atomic_write(path, "\n".join(lines))
    os.chmod(path, 0o600)


def add(root: Path, name: str, role: str, password: str) -> User:
    if not _NAME.match(name):
        raise UsageError(f"user name {name!r}: letters, digits, '.', '_' and '-' (at most 40)")
    if role not in ROLES:
        raise UsageError(f"role {role!r}: use {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password needs at least {MIN_PASSWORD} characters")
    users = load(root)
    users[name] = User(name, role, _hasher().hash(password))
    _save(root, users)
    return users[name]


def remove(root: Path, name: str) -> None:
    users = load(root)
    if name not in users:
        raise UsageError(f"no user {name!r}")
    del users[name]
    _save(root, users)


@functools.lru_cache(maxsize=1)
def _dummy() -> str:
    """A hash checked when the name is unknown, so both cases take as long."""
    return _hasher().hash(secrets.token_hex(16))


def verify(root: Path, name: str, password: str) -> User | None:
    """The user when the password is theirs, else None."""
    from argon2.exceptions import Argon2Error, InvalidHashError

    user = load(root).get(name)
    try:
        _hasher().verify(user.hash if user else _dummy(), password)
    except (Argon2Error, InvalidHashError):
        return None
    return user
