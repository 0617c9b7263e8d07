"""Twenty desk users at once on one article, and the command line beside
them: 2,000 edits and approvals against one server, zero lost updates,
every conflict reported, the PO file valid (msgfmt -c) throughout.
(Latency is measured in benchmarks/desk_load.py, not asserted here.)"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

from tests.conftest import ARTICLE, REPO, msgfmt_check, po_path
from tests.desk_helpers import CSRF, REV, add_users, login, running
from workflow.po import lifecycle, pofile
from workflow.po.catalog import index_by_id

CLIENTS, OPS = 20, 2000


def _entries(root):
    return index_by_id(pofile.load(po_path(root, ARTICLE), "po"))


def _client(base, name, sids, ops, seed):
    """``ops`` edits and approvals; each record: (sid, kind, based_on, status, new revision, text)."""
    rnd = random.Random(seed)
    s = login(base, name)
    records = []
    for k in range(ops):
        sid = rnd.choice(sids)
        url = f"{base}/a/{ARTICLE}/en/s/{sid}"
        page = s.get(url).text
        token, rev = CSRF.search(page).group(1), REV.search(page).group(1)
        kind = "approve" if rnd.random() < 0.25 else "edit"
        text = f"Edit {k} by {name} on {sid}." if kind == "edit" else ""
        data = {"csrf": token, "rev": rev, "back": url, "text": text}
        r = s.post(f"{url}/{kind}", data=data, allow_redirects=False)
        new = ""
        if r.status_code == 303:
            query = parse_qs(urlsplit(r.headers["location"]).query)
            new = query["rev"][0] + (":ok" if query["ok"] == ["1"] else ":noop")
        elif r.status_code == 409:
            assert "changed since you opened it" in r.text or "was changed by someone else" in r.text
        records.append((sid, kind, rev, r.status_code, new, text))
    return records


def _cli_edits(root, sid, stop, done):
    """The command line submitting to another segment of the same article meanwhile."""
    n = 0
    while not stop.is_set() and n < 6:
        text = f"Command line edit {n}."
        subprocess.run(
            [
                sys.executable,
                "-m",
                "workflow",
                "--root",
                str(root),
                "submit",
                ARTICLE,
                "--segment",
                sid,
                "--text",
                text,
                "--force",
                "--translator",
                "cli",
            ],
            check=True,
            capture_output=True,
            env={**__import__("os").environ, "PYTHONPATH": str(REPO)},
        )
        done.append(text)
        n += 1


def _msgfmt_loop(path, stop, results):
    while not stop.is_set():
        proc = subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
        )
        results.append((proc.returncode, proc.stderr))


def test_twenty_users_make_two_thousand_changes_without_losing_one(shipped):
    msgfmt_check(po_path(shipped, ARTICLE))
    names = {f"desk{i}": "editor" for i in range(CLIENTS)}
    add_users(shipped, **names)
    entries = _entries(shipped)
    ids = list(entries)
    sids, cli_sid = ids[10:14], ids[20]
    start = {sid: _rev(entries[sid]) for sid in sids}
    stop, checks, cli_done = threading.Event(), [], []
    with running(shipped) as base:
        watchers = [
            threading.Thread(target=_msgfmt_loop, args=(po_path(shipped, ARTICLE), stop, checks)),
            threading.Thread(target=_cli_edits, args=(shipped, cli_sid, stop, cli_done)),
        ]
        for w in watchers:
            w.start()
        try:
            with ThreadPoolExecutor(CLIENTS) as pool:
                jobs = [pool.submit(_client, base, name, sids, OPS // CLIENTS, i) for i, name in enumerate(names)]
                records = [r for job in jobs for r in job.result()]
        finally:
            stop.set()
            for w in watchers:
                w.join()
    assert len(records) == OPS
    assert {r[3] for r in records} <= {303, 409}, sorted({r[3] for r in records})
    assert checks and all(rc == 0 for rc, _ in checks), [e for rc, e in checks if rc][:3]
    final = _entries(shipped)
    for sid in sids:
        _assert_one_chain(sid, start[sid], [r for r in records if r[0] == sid], final[sid])
    assert pofile.first_msgstr(final[cli_sid]) == cli_done[-1]
    conflicts = sum(r[3] == 409 for r in records)
    saved = sum(r[4].endswith(":ok") for r in records)
    assert conflicts > 0 and saved > OPS // 10  # the load did collide, and work got done
    msgfmt_check(po_path(shipped, ARTICLE))


def _rev(entry):
    from workflow.web.desk import revision

    return revision(entry)


def _assert_one_chain(sid, first, records, entry):
    """The saved changes of one segment follow each other: each was based on
    the revision the one before left, none on a revision another already
    replaced (that would be a lost update), and the file holds the last."""
    saved = [r for r in records if r[3] == 303 and r[4].endswith(":ok")]
    by_base = {}
    for r in saved:
        assert r[2] not in by_base, f"{sid}: two saves based on revision {r[2]}: a lost update"
        by_base[r[2]] = r
    rev, last_text, seen = first, None, 0
    while rev in by_base:
        r = by_base[rev]
        last_text = r[5] if r[1] == "edit" else last_text
        rev, seen = r[4].split(":")[0], seen + 1
    assert seen == len(saved), f"{sid}: {len(saved) - seen} saves outside the chain"
    from workflow.web.desk import revision

    assert revision(entry) == rev
    if last_text is not None:
        assert pofile.first_msgstr(entry) == last_text
    for r in records:
        if r[3] == 303 and r[4].endswith(":noop"):
            assert r[1] == "approve" and r[4].split(":")[0] == r[2]  # already reviewed: nothing written
    assert lifecycle.state(entry) in (lifecycle.State.TRANSLATED, lifecycle.State.REVIEWED)
