"""End to end, as users run it: the ``bilingual`` entry point (``cli.main``,
garbage collector off) in a separate process, on a copy of the shipped
publication and on a fresh project, from extract to the Word editions."""
from __future__ import annotations

import os
import subprocess
import sys

import docx

from .conftest import ARTICLE, REPO, po_path


def bilingual(root, *args, code=0):
    """``python -m workflow`` is the same program as the ``bilingual`` script."""
    proc = subprocess.run([sys.executable, "-m", "workflow", "--root", str(root), *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == code, (args, proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc


def test_the_main_job_on_the_shipped_article(shipped, tmp_path):
    bilingual(shipped, "extract", "--check")
    assert "100.0%" in bilingual(shipped, "status", "--fail-under", "100").stdout
    assert bilingual(shipped, "check").stdout.strip().splitlines()[-1].startswith("0 error(s)")
    out = tmp_path / "out"
    bilingual(shipped, "build", "--edition", "all", "--out", out)
    for edition in ("zh", "en", "bilingual"):
        document = docx.Document(str(out / f"{ARTICLE}.{edition}.docx"))
        assert len(document.paragraphs) > 40, edition


def test_a_translation_start_to_finish(project, tmp_path):
    bilingual(project, "extract")
    bilingual(project, "build", code=1)  # nothing translated: the gate refuses
    kit = tmp_path / "small.en.csv"
    bilingual(project, "export", "small", "--format", "csv", "--out", kit)
    bilingual(project, "submit", kit)  # an untouched kit changes nothing
    po = po_path(project).read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' in po
    bilingual(project, "submit", "small", "--segment", "zzzzzzzz", "--text", "x", code=3)
    bilingual(project, "status", "--fail-under", "100", code=1)
    proc = bilingual(project, "nosuchcommand", code=2)
    assert "Traceback" not in proc.stderr
