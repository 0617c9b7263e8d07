"""The desk under test: a real uvicorn server on 127.0.0.1 (a random free
port, in a thread of the test process) and logged-in HTTP clients."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests
import uvicorn

from workflow.core.project import Project
from workflow.web import app as web_app
from workflow.web import users

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REV = re.compile(r'name="rev" value="([0-9a-f]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(root: Path):
    """The desk of the project at ``root``, serving until the block ends."""
    port = free_port()
    config = uvicorn.Config(
        web_app.application(Project.open(root)), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the desk did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def serve_process(root: Path, port: int, out=subprocess.DEVNULL) -> subprocess.Popen:
    """``bilingual serve`` in its own process, answering once this returns."""
    server = subprocess.Popen(
        [sys.executable, "-m", "workflow", "--root", str(root), "serve", "--port", str(port)],
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except requests.ConnectionError:
            if server.poll() is not None:
                raise RuntimeError("bilingual serve stopped") from None
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("bilingual serve did not answer")


def add_users(root: Path, **roles: str) -> None:
    for name, role in roles.items():
        users.add(root, name, role, PASSWORD)


def login(base: str, name: str, password: str = PASSWORD):
    """A ``requests`` session signed in as ``name``."""
    s = requests.Session()
    token = CSRF.search(s.get(f"{base}/login").text).group(1)
    r = s.post(
        f"{base}/login",
        data={"username": name, "password": password, "csrf": token, "next": "/"},
        allow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return s


def form_of(session, url: str) -> tuple[str, str]:
    """(csrf token, revision) of the segment page at ``url``."""
    page = session.get(url).text
    return CSRF.search(page).group(1), REV.search(page).group(1)
