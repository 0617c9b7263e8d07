"""A PO file in any charset gettext reads works in every command.

The files are converted by gettext's own ``msgconv``, with a Chinese
translator's name in the header, so the header itself needs the declared
charset (``read_header`` once read it as UTF-8 and ``build --edition zh``
failed on such a file).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import msgfmt_check, po_path

pytestmark = pytest.mark.skipif(not shutil.which("msgconv"), reason="msgconv (gettext) is not installed")

COMMANDS = [
    ("status",),
    ("status", "--json"),
    ("check",),
    ("extract", "--check"),
    ("analyze",),
    ("build", "--edition", "zh", "--draft"),
    ("build", "--edition", "en", "--draft"),
    ("build", "--edition", "bilingual", "--draft"),
    ("export", "small", "--format", "po"),
    ("export", "small", "--format", "xliff"),
    ("export", "small", "--format", "csv"),
    ("lint",),
    ("status", "--list", "translated"),
    ("analyze", "--post-edit"),
    ("review", "small", "--changed"),
    ("tm", "export", "--out", "{project}/mem.tmx"),
]

#: Commands that write the PO file back: it comes out in UTF-8, saying so.
WRITERS = [
    ("submit", "small", "--segment", "{id}", "--text", "Another title", "--translator", "李四"),
    ("review", "small", "--all-translated", "--reviewer", "Reviewer"),
    ("pretranslate", "small"),
    ("tm", "import", "{po}"),
]


def _convert(po, charset: str) -> None:
    text = po.read_text(encoding="utf-8").replace("Last-Translator: ", "Last-Translator: 张三 ")
    po.write_text(text, encoding="utf-8")
    subprocess.run(["msgconv", f"--to-code={charset}", "-o", str(po), str(po)], check=True)
    assert f"charset={charset}".lower() in po.read_bytes().decode("ascii", "replace").lower()


@pytest.mark.parametrize("charset", ["GBK", "GB18030", "UTF-8"])
def test_every_command_reads_a_po_file_in_its_declared_charset(run, project, charset):
    run("extract")
    run("submit", "small", "--segment", _first_id(run), "--text", "A test title")
    po = po_path(project)
    _convert(po, charset)
    msgfmt_check(po)
    before = po.read_bytes()
    for args in COMMANDS:
        result = run(*(a.format(project=project) for a in args), ok=False)
        assert result.exit_code in (0, 1), (args, result.output, result.stderr)
        assert "cannot read" not in result.stderr and "codec" not in result.stderr, (args, result.stderr)
    assert po.read_bytes() == before  # reading commands leave it as it was
    assert (project / "output" / "small.zh.draft.docx").is_file()


@pytest.mark.parametrize("charset", ["GBK", "GB18030"])
@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a[:2]))
def test_every_writer_reads_a_po_file_in_its_declared_charset_and_writes_utf8(run, project, charset, args):
    import polib

    run("extract")
    sid = _first_id(run)
    run("submit", "small", "--segment", sid, "--text", "A test title")
    po = po_path(project)
    _convert(po, charset)
    before = polib.pofile(str(po))
    result = run(*(a.format(id=sid, po=po) for a in args), ok=False)
    assert result.exit_code in (0, 1), (args, result.output, result.stderr)
    assert "cannot read" not in result.stderr and "codec" not in result.stderr, (args, result.stderr)
    data = po.read_bytes()
    written = f"charset={charset}".encode() not in data
    assert written or args[0] not in ("submit", "review")  # these two change the translation
    if not written:  # left as it was: nothing to change
        return
    text = data.decode("utf-8")  # written back in UTF-8 ...
    assert "charset=UTF-8" in text  # ... and saying so
    msgfmt_check(po)
    after = polib.pofile(str(po))
    assert [e.msgid for e in after] == [e.msgid for e in before]  # the Chinese text survived
    assert after.metadata["Language-Team"] == before.metadata["Language-Team"]
    if "--translator" not in args:  # the header's Chinese name survives where no translator replaces it
        assert "张三" in after.metadata["Last-Translator"]


def _first_id(run) -> str:
    listing = run("status", "--list", "untranslated").output
    return next(line.split()[0] for line in listing.splitlines() if line[:1].isalnum() and len(line.split()[0]) == 8)


@pytest.mark.parametrize("charset", ["GBK", "GB18030"])
def test_rename_reads_a_catalog_in_its_declared_charset(run, project, charset):
    """``rename`` once decoded catalogs as UTF-8 whatever they declared (a traceback on GBK)."""
    import polib

    run("extract")
    run("submit", "small", "--segment", _first_id(run), "--text", "A test title")
    po = po_path(project)
    _convert(po, charset)
    before = polib.pofile(str(po))
    (project / "source" / "small.md").rename(project / "source" / "renamed.md")
    run("rename", "small", "renamed")
    moved = po_path(project, "renamed")
    assert not po.exists() and "charset=UTF-8" in moved.read_bytes().decode("utf-8")
    msgfmt_check(moved)
    after = polib.pofile(str(moved))
    assert [(e.msgid, e.msgstr) for e in after] == [(e.msgid, e.msgstr) for e in before]
    assert all(name == "source/renamed.md" for e in after for name, _ in e.occurrences)
    assert "张三" in after.metadata["Last-Translator"]
