"""Who is asking: signed session cookies, CSRF tokens and the login rate limit.

A session cookie carries the user's name, the project it was issued for
and a random nonce, signed with the project's secret (``$BILINGUAL_SECRET``,
else a random key generated once in ``.bilingual/secret``, outside git) and
stamped with its time; it is refused after ``SESSION_HOURS``, when it was
issued for another project, or when the user is gone.  The CSRF token of a
session is an HMAC of its nonce: every form carries it, every POST is
checked against it.  Failed logins are limited per user name.

May import: fsio, web.users.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from workflow.core.fsio import atomic_write
from workflow.web import users

COOKIE = "bilingual_desk"
SESSION_HOURS = 12
#: At most this many failed logins per user name in ``WINDOW`` seconds.
MAX_FAILURES = 5
WINDOW = 300.0


def secret(root: Path) -> bytes:
    named = os.environ.get("BILINGUAL_SECRET")
    if named:
        return named.encode("utf-8")
    path = users.private_dir(root) / "secret"
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        atomic_write(path, secrets.token_hex(32))
        os.chmod(path, 0o600)
        return path.read_bytes().strip()


def project_id(root: Path) -> str:
    """Names the project inside its cookies (a cookie of another project is refused)."""
    return hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Session:
    user: str
    nonce: str


class Sessions:
    """Issues and reads the signed cookies of one project."""

    def __init__(self, root: Path):
        from itsdangerous import URLSafeTimedSerializer

        self._project = project_id(root)
        self._key = secret(root)
        self._signer = URLSafeTimedSerializer(self._key, salt="bilingual-desk-session")

    def issue(self, user: str) -> str:
        return self._signer.dumps({"u": user, "p": self._project, "n": secrets.token_urlsafe(16)})

    def read(self, cookie: str | None) -> Session | None:
        from itsdangerous import BadSignature

        if not cookie:
            return None
        try:
            data = self._signer.loads(cookie, max_age=SESSION_HOURS * 3600)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("p") != self._project or not isinstance(data.get("u"), str):
            return None
        return Session(data["u"], str(data.get("n", "")))

    def csrf(self, session: Session) -> str:
        return hmac.new(self._key, f"csrf\x00{session.nonce}".encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf(session), str(token))


class RateLimit:
    """Failed logins per user name in a sliding window (in memory)."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW):
        self._limit, self._window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, name: str) -> bool:
        with self._lock:
            return len(self._recent(name)) >= self._limit

    def failed(self, name: str) -> None:
        with self._lock:
            self._failures[name] = self._recent(name) + [time.monotonic()]

    def clear(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)

    def _recent(self, name: str) -> list[float]:
        now = time.monotonic()
        return [t for t in self._failures.get(name, []) if now - t < self._window]
