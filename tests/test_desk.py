"""The desk over HTTP against a real server: accounts, sessions, CSRF,
roles, escaping, paths, conflicts, and writes equal to the CLI's."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import ARTICLE, Run, msgfmt_check, po_path
from tests.desk_helpers import (
    CSRF,
    PASSWORD,
    add_users,
    form_of,
    login,
    requests,
    running,
)
from workflow.web import users


def _first_sid(root, article=ARTICLE):
    text = po_path(root, article).read_text(encoding="utf-8")
    return re.findall(r"#\. ID: (\w+)", text)


@pytest.fixture
def desk(shipped):
    add_users(shipped, tina="translator", rita="reviewer", ed="editor")
    with running(shipped) as base:
        yield shipped, base


def test_users_cli_reads_the_password_from_stdin_and_keeps_the_file_out_of_git(shipped):
    run = Run(shipped)
    run("users", "add", "ana", "--role", "reviewer", input="a long password\n")
    run("users", "add", "bo", "--role", "translator", input="another password\n")
    assert run("users", "list").output.splitlines() == ["ana\treviewer", "bo\ttranslator"]
    stored = (shipped / ".bilingual" / "users.toml").read_text()
    assert "a long password" not in stored and "$argon2id$" in stored
    assert (shipped / ".bilingual" / "users.toml").stat().st_mode & 0o077 == 0
    subprocess.run(["git", "init", "-q", str(shipped)], check=True)
    listed = subprocess.run(
        ["git", "-C", str(shipped), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".bilingual" not in listed and "source/" in listed
    assert users.verify(shipped, "ana", "a long password").role == "reviewer"
    assert users.verify(shipped, "ana", "wrong password") is None
    run("users", "remove", "bo")
    assert run("users", "list").output.splitlines() == ["ana\treviewer"]
    short = run("users", "add", "cy", "--role", "editor", input="short\n", code=2)
    assert "at least 8" in short.stderr


def test_unauthenticated_requests_are_refused(desk):
    root, base = desk
    before = po_path(root, ARTICLE).read_bytes()
    sid = _first_sid(root)[0]
    for path in ("/", f"/a/{ARTICLE}/en", f"/a/{ARTICLE}/en/preview", f"/a/{ARTICLE}/en/s/{sid}"):
        r = requests.get(base + path, allow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    r = requests.post(f"{base}/a/{ARTICLE}/en/s/{sid}/edit", data={"text": "x", "rev": "0"}, allow_redirects=False)
    assert r.status_code == 401
    forged = requests.get(f"{base}/", cookies={"bilingual_desk": "eyJ1IjoiZWQifQ.forged.sig"}, allow_redirects=False)
    assert forged.status_code == 303
    assert po_path(root, ARTICLE).read_bytes() == before


def test_login_sets_a_strict_http_only_cookie_and_limits_failures(desk):
    _, base = desk
    s = requests.Session()
    token = CSRF.search(s.get(f"{base}/login").text).group(1)
    r = s.post(f"{base}/login", data={"username": "ed", "password": PASSWORD, "csrf": token}, allow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert PASSWORD.split()[0] not in r.headers["location"]
    s = requests.Session()
    token = CSRF.search(s.get(f"{base}/login").text).group(1)
    for _ in range(5):
        bad = s.post(f"{base}/login", data={"username": "rita", "password": "nope-nope", "csrf": token})
        assert bad.status_code == 401 and "Wrong user name or password" in bad.text
    blocked = s.post(f"{base}/login", data={"username": "rita", "password": PASSWORD, "csrf": token})
    assert blocked.status_code == 429  # even the right password, until the window passes
    assert login(base, "tina")  # another name is not blocked
    no_token = requests.post(f"{base}/login", data={"username": "ed", "password": PASSWORD})
    assert no_token.status_code == 403


def test_a_post_without_a_valid_csrf_token_is_refused(desk):
    root, base = desk
    sid = _first_sid(root)[0]
    before = po_path(root, ARTICLE).read_bytes()
    s = login(base, "ed")
    url = f"{base}/a/{ARTICLE}/en/s/{sid}"
    token, rev = form_of(s, url)
    for bad in ({}, {"csrf": ""}, {"csrf": "0" * 64}, {"csrf": token[:-1] + ("0" if token[-1] != "0" else "1")}):
        r = s.post(url + "/edit", data={"text": "Forged.", "rev": rev, **bad}, allow_redirects=False)
        assert r.status_code == 403, bad
    other = login(base, "rita")  # a token is the session's own
    r = other.post(url + "/edit", data={"text": "Forged.", "rev": rev, "csrf": token}, allow_redirects=False)
    assert r.status_code == 403
    cross = s.post(
        url + "/edit",
        data={"text": "Forged.", "rev": rev, "csrf": token},
        headers={"Origin": "http://evil.example"},
        allow_redirects=False,
    )
    assert cross.status_code == 403
    assert po_path(root, ARTICLE).read_bytes() == before


def test_a_translator_cannot_approve_on_the_server(desk):
    root, base = desk
    Run(root)("submit", ARTICLE, "--segment", _first_sid(root)[1], "--text", "A new subtitle.", "--force")
    before = po_path(root, ARTICLE).read_bytes()
    s = login(base, "tina")
    url = f"{base}/a/{ARTICLE}/en/s/{_first_sid(root)[1]}"
    token, rev = form_of(s, url)
    assert "approve-btn" not in s.get(f"{base}/a/{ARTICLE}/en").text
    for action, data in (("approve", {}), ("reject", {"note": "no"}), ("accept", {"check": "numbers", "reason": "x"})):
        r = s.post(f"{url}/{action}", data={"csrf": token, "rev": rev, **data}, allow_redirects=False)
        assert r.status_code == 403, action
    reviewed = f"{base}/a/{ARTICLE}/en/s/{_first_sid(root)[0]}"
    token, rev = form_of(s, reviewed)
    r = s.post(
        f"{reviewed}/edit",
        data={"csrf": token, "rev": rev, "text": "Over a review.", "back": reviewed},
        allow_redirects=False,
    )
    assert r.status_code == 303 and "ok=0" in r.headers["location"]  # as submit without --force
    assert po_path(root, ARTICLE).read_bytes() == before


def test_script_and_html_in_segment_text_are_shown_escaped(desk):
    root, base = desk
    sid = _first_sid(root)[2]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> & <b>bold</b>'
    Run(root)("submit", ARTICLE, "--segment", sid, "--text", evil, "--force")
    s = login(base, "ed")
    for path in (f"/a/{ARTICLE}/en", f"/a/{ARTICLE}/en/s/{sid}", f"/a/{ARTICLE}/en/preview"):
        page = s.get(base + path).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page, path
        assert "&lt;script&gt;alert" in page, path


@pytest.mark.parametrize(
    "path",
    [
        "/a/..%2F..%2Fetc%2Fpasswd/en",
        "/a/%2E%2E/en",
        f"/a/{ARTICLE}/..%2F..%2Fetc",
        f"/a/{ARTICLE}/en/s/..%2F..",
        "/static/..%2F..%2F..%2Fpyproject.toml",
        "/static/%2E%2E/app.py",
        f"/a/{ARTICLE}/en/preview?edition=..%2Fx",
        "/a/pyproject/en",
        f"/a/{ARTICLE}/templates",
    ],
)
def test_paths_in_urls_cannot_leave_the_project(desk, path):
    _, base = desk
    s = login(base, "ed")
    r = s.get(base + path, allow_redirects=False)
    # ../.. decoded into two path parts names an action, which is only posted (405)
    assert r.status_code == (405 if path.endswith("s/..%2F..") else 404), (path, r.status_code)
    assert "tool.bilingual" not in r.text and "Starlette" not in r.text


def test_a_session_cookie_from_another_project_is_refused(tmp_path, shipped, monkeypatch):
    monkeypatch.setenv("BILINGUAL_SECRET", "one secret for both projects")
    other = tmp_path / "other"
    shutil.copytree(shipped, other)
    for root in (shipped, other):
        add_users(root, ed="editor")
    with running(shipped) as a, running(other) as b:
        s = login(a, "ed")
        cookie = s.cookies.get("bilingual_desk")
        assert requests.get(f"{a}/", cookies={"bilingual_desk": cookie}, allow_redirects=False).status_code == 200
        r = requests.get(f"{b}/", cookies={"bilingual_desk": cookie}, allow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_signing_out_ends_the_session_even_for_a_copy_of_its_cookie(desk):
    _, base = desk
    s = login(base, "ed")
    cookie = s.cookies.get("bilingual_desk")
    token = CSRF.search(s.get(f"{base}/").text).group(1)
    assert s.post(f"{base}/logout", data={}, allow_redirects=False).status_code == 403  # a form like any other
    r = s.post(f"{base}/logout", data={"csrf": token}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    again = requests.get(f"{base}/", cookies={"bilingual_desk": cookie}, allow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")


def test_a_removed_user_is_signed_out_at_once(desk):
    root, base = desk
    s = login(base, "rita")
    assert s.get(f"{base}/", allow_redirects=False).status_code == 200
    users.remove(root, "rita")
    assert s.get(f"{base}/", allow_redirects=False).status_code == 303


def test_a_save_over_a_newer_revision_is_a_conflict_showing_both_versions(desk):
    root, base = desk
    sid = _first_sid(root)[3]
    url = f"{base}/a/{ARTICLE}/en/s/{sid}"
    first, second = login(base, "ed"), login(base, "rita")
    t1, rev = form_of(first, url)
    t2, rev2 = form_of(second, url)
    assert rev == rev2
    ok = first.post(
        url + "/edit",
        data={"csrf": t1, "rev": rev, "text": "First desk's version.", "back": url},
        allow_redirects=False,
    )
    assert ok.status_code == 303
    late = second.post(
        url + "/edit",
        data={"csrf": t2, "rev": rev, "text": "Second desk's version.", "back": url},
        allow_redirects=False,
    )
    assert late.status_code == 409
    assert "First desk&#39;s version." in late.text and "Second desk&#39;s version." in late.text
    on_disk = po_path(root, ARTICLE).read_text(encoding="utf-8")
    assert "First desk's version." in on_disk and "Second desk's version." not in on_disk
    stale_approve = second.post(url + "/approve", data={"csrf": t2, "rev": rev}, allow_redirects=False)
    assert stale_approve.status_code == 409
    msgfmt_check(po_path(root, ARTICLE))


def _cli_copy(tmp_path, root, name):
    copy = tmp_path / name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".bilingual", ".bilingual-cache", ".bilingual.lock"))
    return copy


def test_every_write_changes_the_po_file_exactly_as_the_cli_does(desk, tmp_path):
    root, base = desk
    twin = _cli_copy(tmp_path, root, "twin")
    cli = Run(twin)
    sids = _first_sid(root)
    s = login(base, "ed")

    def act(sid, action, **data):
        url = f"{base}/a/{ARTICLE}/en/s/{sid}"
        token, rev = form_of(s, url)
        r = s.post(f"{url}/{action}", data={"csrf": token, "rev": rev, "back": url, **data}, allow_redirects=False)
        assert r.status_code == 303 and "ok=1" in r.headers["location"], r.text

    act(sids[4], "edit", text="An edited line\r\nwith a break.")
    cli(
        "submit",
        ARTICLE,
        "--segment",
        sids[4],
        "--text",
        "An edited line\nwith a break.",
        "--translator",
        "ed",
        "--force",
    )
    act(sids[4], "approve", note="Checked the figures.")
    cli("review", ARTICLE, "--segment", sids[4], "--reviewer", "ed", "--note", "Checked the figures.")
    act(sids[5], "reject", note="The name is wrong.")
    cli("review", ARTICLE, "--segment", sids[5], "--reject", "--reviewer", "ed", "--note", "The name is wrong.")
    act(sids[6], "accept", check="numbers", reason="The figure is rounded in the source.")
    cli(
        "review",
        ARTICLE,
        "--segment",
        sids[6],
        "--accept",
        "numbers",
        "--reviewer",
        "ed",
        "--note",
        "The figure is rounded in the source.",
    )
    assert po_path(root, ARTICLE).read_bytes() == po_path(twin, ARTICLE).read_bytes()
    msgfmt_check(po_path(root, ARTICLE))


def test_the_diff_since_review_comes_from_git_when_the_history_keeps_no_reviewed_text(desk):
    root, base = desk
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "reviewed edition"], check=True)
    commit = subprocess.run(
        git + ["rev-parse", "--short=7", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    sid = _first_sid(root)[2]
    old = re.search(
        rf'#\. ID: {sid}\n(?:#.*\n)*msgctxt .*\nmsgid .*\nmsgstr ((?:".*"\n)+)',
        po_path(root, ARTICLE).read_text(encoding="utf-8"),
    ).group(1)
    assert "Railway Express train leaves" in old
    # edited as in a text editor: the history keeps no reviewed text, git has it
    path = po_path(root, ARTICLE)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"A China-Europe Railway Express train leaves Changsha',
            '"A China-Europe Railway Express train departs Changsha',
        ),
        encoding="utf-8",
    )
    page = login(base, "rita").get(f"{base}/a/{ARTICLE}/en?changed=1").text
    assert page.count('class="segment ') == 1 and f'id="s-{sid}"' in page
    assert f"(reviewed text from git {commit})" in page
    assert "<del>leaves</del><ins>departs</ins>" in page


def test_serve_listens_on_localhost_and_logs_no_secret(shipped, tmp_path):
    import signal

    from tests.desk_helpers import free_port, serve_process

    run = Run(shipped)
    assert "no desk users yet" in run("serve", code=2).stderr
    add_users(shipped, ed="editor")
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = serve_process(shipped, port, out)
        try:
            s = login(f"http://127.0.0.1:{port}", "ed")
            assert s.get(f"http://127.0.0.1:{port}/a/{ARTICLE}/en").status_code == 200
            cookie = s.cookies.get("bilingual_desk")
            busy = run("serve", "--port", port, code=2)
            assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
        finally:
            server.send_signal(signal.SIGINT)  # Ctrl-C
            server.wait(20)
    assert server.returncode == 130
    text = log.read_bytes().decode("utf-8", "replace")
    assert f"127.0.0.1:{port}" in text and "POST /login" in text
    assert PASSWORD not in text and cookie not in text and "csrf" not in text
    secret = (shipped / ".bilingual" / "secret").read_text()
    assert secret not in text and (shipped / ".bilingual" / "secret").stat().st_mode & 0o077 == 0


def test_a_broken_users_file_is_one_line_naming_it(shipped, monkeypatch, tmp_path):
    named = tmp_path / "desk-users.toml"
    monkeypatch.setenv("BILINGUAL_USERS", str(named))
    run = Run(shipped)
    run("users", "add", "ana", "--role", "editor", input="a long password\n")
    assert named.is_file() and not (shipped / ".bilingual" / "users.toml").exists()
    named.write_text("[users.x\n", encoding="utf-8")
    result = run("users", "list", code=3)
    assert result.stderr.count("\n") == 1 and str(named) in result.stderr and "Traceback" not in result.stderr
    named.write_text('[users.bob]\nrole = "boss"\n', encoding="utf-8")
    assert "needs a role" in run("serve", code=3).stderr


@pytest.mark.parametrize(
    ("action", "data", "status"),
    [
        ("edit", {"text": "A bell\x07 in it."}, 303),  # refused as submit refuses it: ok=0, nothing written
        ("edit", {"text": "   "}, 400),  # an empty translation never erases
        ("edit", {"text": "No revision.", "rev": ""}, 409),
        ("reject", {"note": ""}, 400),
        ("accept", {"check": "no-such-check", "reason": "why"}, 400),
        ("accept", {"check": "numbers", "reason": ""}, 400),
        ("delete", {}, 404),
    ],
)
def test_bad_form_input_is_refused_without_a_server_error(desk, action, data, status):
    root, base = desk
    before = po_path(root, ARTICLE).read_bytes()
    s = login(base, "ed")
    url = f"{base}/a/{ARTICLE}/en/s/{_first_sid(root)[0]}"
    token, rev = form_of(s, url)
    r = s.post(f"{url}/{action}", data={"csrf": token, "rev": rev, "back": url, **data}, allow_redirects=False)
    assert r.status_code == status, r.text
    if status == 303:
        assert "ok=0" in r.headers["location"] and "control+character" in r.headers["location"]
    missing = s.post(
        f"{base}/a/{ARTICLE}/en/s/nosuchid/edit", data={"csrf": token, "rev": rev, "text": "x"}, allow_redirects=False
    )
    assert missing.status_code == 404
    assert po_path(root, ARTICLE).read_bytes() == before
