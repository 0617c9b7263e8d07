"""Faults of the machine and misuse: a full disk, a read-only folder, damaged
caches and indexes, renamed articles, deep nesting, odd file names.

The full disk is a real one: a small tmpfs mounted for the test (we need
root for that; elsewhere the test is skipped and says why).  A read-only
folder is a read-only bind mount, since ``chmod`` does not stop root."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ARTICLE, Run, po_path

EXIT_ENVIRONMENT = 74


def _mount(*args: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    proc = subprocess.run(["mount", *args], capture_output=True, text=True)
    if proc.returncode:
        pytest.skip(f"cannot mount here ({' '.join(proc.stderr.split())})")


@pytest.fixture
def disk(tmp_path):
    """A small tmpfs: a real file system that fills up."""
    point = tmp_path / "disk"
    point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(point))
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system holding ``folder`` to the last byte."""
    with open(folder / "fill.bin", "wb", buffering=0) as fh:
        block = b"\0" * 65536
        try:
            while True:
                fh.write(block)
                fh.flush()
        except OSError:
            pass
        try:
            while True:
                fh.write(b"\0")
                fh.flush()
        except OSError:
            pass


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only with a bind mount (root ignores file modes)."""
    points = []

    def make(folder: Path) -> None:
        _mount("--bind", str(folder), str(folder))
        points.append(folder)
        _mount("-o", "remount,ro,bind", str(folder))

    yield make
    for folder in reversed(points):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def snapshot(root: Path, skip=("fill.bin", ".bilingual.lock")) -> dict:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in skip and ".bilingual-cache" not in p.parts
    }


def one_line(result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.fixture
def shipped_on_disk(disk, shipped):
    root = disk / "proj"
    shutil.copytree(shipped, root)
    return root


def _change_source(root: Path) -> None:
    path = root / "source" / f"{ARTICLE}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段正文。\n", encoding="utf-8")


def _kit(run: Run, tmp_path: Path) -> Path:
    """A PO kit with one translation changed."""
    kit = tmp_path / "kit.po"
    run("export", ARTICLE, "--out", kit)
    text = kit.read_text(encoding="utf-8")
    i = text.index('msgstr "', text.index("msgid", text.index("msgid") + 5))
    kit.write_text(text[:i] + 'msgstr "Changed. "\n"' + text[i + 8 :], encoding="utf-8")
    return kit


def _tmx(tmp_path: Path, n: int = 3000) -> Path:
    units = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>第{i}条测试记忆的中文原文句子。</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Test memory sentence number {i}.</seg></tuv></tu>\n'
        for i in range(n)
    )
    path = tmp_path / "big.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN" '
        'datatype="plaintext" segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" '
        f'o-tmf="t"/><body>\n{units}</body></tmx>\n',
        encoding="utf-8",
    )
    return path


# -- a full disk ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["extract", "build", "submit", "review", "tm import", "pretranslate"])
def test_a_full_disk_is_one_line_exit_74_and_changes_nothing(shipped_on_disk, tmp_path, command):
    root = shipped_on_disk
    run = Run(root)
    if command == "pretranslate":
        _with_work_ahead(root, tmp_path)
    args = {
        "extract": ["extract"],
        "build": ["build", "--edition", "en"],
        "submit": ["submit", _kit(run, tmp_path) if command == "submit" else "", "--force"],
        "review": ["review", ARTICLE, "--segment", "mk585ceg", "--reject", "--note", "again", "--reviewer", "Ed"],
        "tm import": ["tm", "import", _tmx(tmp_path)],
        "pretranslate": ["pretranslate"],
    }[command]
    if command == "extract":
        _change_source(root)
    before = snapshot(root)
    fill(root)
    result = run(*args, ok=False)
    # pretranslate may first say that the memory's index is built in memory: the disk refuses it too
    line = one_line(result, EXIT_ENVIRONMENT) if command != "pretranslate" else result.stderr.splitlines()[-1]
    assert line.startswith("bilingual: no space left on device while writing ") and "nothing was changed" in line
    assert ".tmp" not in line and "internal error" not in line
    assert snapshot(root) == before
    assert not list(root.rglob("*.tmp")), "a temporary was left behind"
    (root / "fill.bin").unlink()
    if command == "tm import":  # the retry imports everything: nothing of the failed one was kept
        result = run("tm", "import", _tmx(tmp_path))
        assert (
            "3000 added, 0 duplicate(s)" in result.stdout and "(kept as translations/memory/big.tmx)" in result.stdout
        )


def test_build_pdf_on_a_full_disk(shipped_on_disk):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    root = shipped_on_disk
    before = snapshot(root)
    fill(root)
    line = one_line(Run(root)("build", "--edition", "en", "--pdf", ok=False), EXIT_ENVIRONMENT)
    assert "nothing was changed" in line
    assert snapshot(root) == before
    assert not (root / "output").exists() or not any((root / "output").iterdir())


def test_out_that_cannot_be_written_is_exit_74(run_shipped):
    line = one_line(run_shipped("build", "--edition", "en", "--out", "/proc/x", ok=False), EXIT_ENVIRONMENT)
    assert "/proc/x" in line and "nothing was changed" in line


@pytest.mark.parametrize("command", ["extract", "submit", "tm import"])
def test_read_only_translations_are_exit_74_naming_the_file(shipped, tmp_path, read_only, command):
    run = Run(shipped)
    args = {
        "extract": ["extract"],
        "submit": ["submit", _kit(run, tmp_path) if command == "submit" else ""],
        "tm import": ["tm", "import", _tmx(tmp_path, 5)],
    }[command]
    if command == "submit":
        args.append("--force")
    if command == "extract":
        _change_source(shipped)
    before = snapshot(shipped)
    read_only(shipped / "translations")
    line = one_line(run(*args, ok=False), EXIT_ENVIRONMENT)
    assert "read-only file system while writing translations/" in line and "nothing was changed" in line
    assert snapshot(shipped) == before


# -- caches and indexes are disposable -----------------------------------------------------------------


def _status_counts(run) -> str:
    return run("status").stdout


DAMAGE = {
    "random bytes": lambda p: p.write_bytes(os.urandom(300)),
    "valid JSON, wrong types": lambda p: p.write_text(json.dumps({"k": {"total": "54"}}), encoding="utf-8"),
    "edited, checksum stale": lambda p: p.write_bytes(p.read_bytes().replace(b'"total": 54', b'"total": 0')),
    "a folder": lambda p: (p.unlink(), (p / "x").mkdir(parents=True)),
    "empty": lambda p: p.write_bytes(b""),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_status_cache_is_rebuilt_with_one_warning(run_shipped, shipped, damage):
    good = run_shipped("status").stdout
    assert "54" in good
    cache = shipped / ".bilingual-cache" / "status.json"
    DAMAGE[damage](cache)
    result = run_shipped("status")
    assert result.stdout == good
    assert result.stderr.count("status.json was damaged") == 1, result.stderr
    again = run_shipped("status")
    assert again.stdout == good and again.stderr == ""


def test_a_status_cache_with_the_right_checksum_but_wrong_types_is_not_trusted(run_shipped, shipped):
    import hashlib

    good = run_shipped("status").stdout
    cache = shipped / ".bilingual-cache" / "status.json"
    data = json.loads(cache.read_bytes().partition(b"\n")[2])
    for value in data.values():
        value["total"], value["translated"] = "54", None
    body = json.dumps(data).encode()
    cache.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    result = run_shipped("status")
    assert result.stdout == good and "wrong shape" in result.stderr


def _with_work_ahead(root: Path, tmp_path: Path) -> None:
    """Blank one translation; import a memory (the catalog as it was) holding it."""
    po = po_path(root, ARTICLE)
    shutil.copy(po, tmp_path / "old.po")
    text = po.read_text(encoding="utf-8")
    i = text.index('msgstr "', text.index("msgid", text.index("msgid") + 5))
    j = text.index("\n\n", i)
    po.write_text(text[:i] + 'msgstr ""' + text[j:], encoding="utf-8")
    Run(root)("tm", "import", tmp_path / "old.po")


INDEX_DAMAGE = {
    "random bytes": lambda p: p.write_bytes(os.urandom(5000)),
    "pages overwritten": lambda p: _overwrite_pages(p),
    "a folder": lambda p: (p.unlink(), (p / "x").mkdir(parents=True)),
    "wrong layout": lambda p: sqlite3.connect(p).execute("PRAGMA user_version=999").connection.commit(),
}


def _overwrite_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(4096 * 2, len(data), 4096):
        data[page : page + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", ["analyze", "pretranslate", "export"])
@pytest.mark.parametrize("damage", sorted(INDEX_DAMAGE))
def test_a_damaged_memory_index_is_rebuilt(shipped, tmp_path, command, damage):
    _with_work_ahead(shipped, tmp_path)
    run = Run(shipped)
    args = {
        "analyze": ["analyze"],
        "pretranslate": ["pretranslate", "--dry-run"],
        "export": ["export", ARTICLE, "--format", "xliff", "--out", tmp_path / "k.xlf"],
    }[command]
    good = run(*args).stdout
    index = shipped / ".bilingual-cache" / "memory.sqlite"
    INDEX_DAMAGE[damage](index)
    result = run(*args)
    assert result.stdout.replace("k.xlf", "") == good.replace("k.xlf", "")
    if damage != "pages overwritten":  # pages of a table no lookup reads may stay unnoticed, harmlessly
        assert result.stderr.count("memory.sqlite") == 1, result.stderr
        assert "rebuilt" in result.stderr
    assert run(*args).stderr == ""


def test_a_read_only_cache_folder_is_never_fatal(shipped, tmp_path, read_only):
    _with_work_ahead(shipped, tmp_path)
    run = Run(shipped)
    good = run("analyze").stdout
    (shipped / ".bilingual-cache" / "memory.sqlite").unlink()
    read_only(shipped / ".bilingual-cache")
    result = run("analyze")
    assert result.stdout == good
    assert "cannot be written" in result.stderr and result.stderr.count("\n") == 1
    run("status")
    run("pretranslate", "--dry-run")


def test_a_file_where_the_cache_folder_should_be_is_never_fatal(shipped, tmp_path):
    _with_work_ahead(shipped, tmp_path)
    run = Run(shipped)
    good = run("analyze").stdout
    shutil.rmtree(shipped / ".bilingual-cache")
    (shipped / ".bilingual-cache").write_text("not a folder")
    assert run("analyze").stdout == good
    run("status")


# -- nothing in a source is dropped without a word ---------------------------------------------------------


def _pot_texts(root: Path, article: str) -> str:
    return (root / "translations" / "templates" / f"{article}.pot").read_text(encoding="utf-8")


def test_30_levels_of_lists_and_block_quotes_keep_every_text(run, project):
    lists = "\n".join("  " * i + f"- 第{i}层列表文字。" for i in range(30))
    quotes = "\n".join(">" * (i + 1) + f" 第{i}层引用文字。" for i in range(30))
    mixed = "\n".join("> " * i + f"- 第{i}层混合文字。" for i in range(15))
    (project / "source" / "deep.md").write_text(
        f"# 深层标题\n\n正文。\n\n{lists}\n\n{quotes}\n\n{mixed}\n", encoding="utf-8"
    )
    run("extract", "deep")
    pot = _pot_texts(project, "deep")
    for i in range(30):
        assert f"第{i}层列表文字。" in pot and f"第{i}层引用文字。" in pot, i
    for i in range(15):
        assert f"第{i}层混合文字。" in pot, i
    if shutil.which("pandoc"):  # pandoc keeps them all too: the same texts
        plain = subprocess.run(
            ["pandoc", "-f", "commonmark", "-t", "plain", str(project / "source" / "deep.md")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        import re

        assert set(re.findall(r"第\d+层\w+文字。", plain)) == set(re.findall(r"第\d+层\w+文字。", pot))


def test_nesting_past_the_parsers_limit_is_refused_with_the_line(run, project):
    deep = "\n".join(">" * (i + 1) + f" 第{i}层。" for i in range(250))
    (project / "source" / "deep.md").write_text(f"# 标题\n\n{deep}\n", encoding="utf-8")
    result = run("extract", "deep", ok=False)
    line = one_line(result, 3)
    assert "source/deep.md:" in line and "nested deeper" in line
    assert not (project / "translations" / "templates" / "deep.pot").exists()


HTML_ARTICLE = """# 分页标题

第一页正文。

<div style="page-break-after:always;"></div>

第二页正文。

<DIV STYLE="page-break-before: always"></DIV>

第三页正文。
"""


def test_a_page_break_div_is_a_page_break_in_every_edition(run, project):
    import docx

    (project / "source" / "small.md").write_text(HTML_ARTICLE, encoding="utf-8")
    run("extract")
    assert "page-break" not in _pot_texts(project, "small")
    run("lint")  # a page break is understood: nothing to report
    run("build", "--draft")
    for edition in ("zh", "en", "bilingual"):
        doc = docx.Document(str(project / "output" / f"small.{edition}.draft.docx"))
        texts = [p.text for p in doc.paragraphs]
        assert not any("page-break" in t for t in texts), texts
        breaks = [i for i, p in enumerate(doc.paragraphs) if 'w:type="page"' in p._p.xml]
        assert len(breaks) == 2, (edition, texts)


def test_other_raw_html_is_reported_by_lint_and_blocks_a_final_build(run, project):
    (project / "source" / "small.md").write_text(
        "# 标题\n\n正文。\n\n<table><tr><td>表格</td></tr></table>\n\n结尾。\n", encoding="utf-8"
    )
    run("extract")
    result = run("lint", code=1)
    assert "source/small.md:5: raw HTML" in result.stdout
    assert "<table>" not in _pot_texts(project, "small")


@pytest.mark.parametrize(
    "text, written, read_as",
    [
        ("長沙外貿進出口總值達", "big5", "gb18030"),
        ("新華社電", "big5", "gb18030"),
        ("長沙外貿", "gb18030", "big5"),
        ("长沙晚报：", "gb18030", "big5"),
        ("长沙外贸进出口总值达2875.4亿元。", "gb18030", "big5"),
    ],
)
def test_a_short_source_in_the_wrong_encoding_is_refused(run, project, text, written, read_as):
    data = f"# {text}\n".encode(written)
    (project / "source" / "small.md").write_bytes(data)
    decoded = data.decode(read_as, errors="replace")
    result = run("extract", "--encoding", read_as, ok=False)
    line = one_line(result, 3)
    assert "source/small.md" in line and any(w in line for w in ("encoding", "U+FFFD", f"not {read_as}")), (
        decoded,
        line,
    )
    (project / "source" / "small.md").write_bytes(data)
    run("extract", "--encoding", written)  # the right codec reads it


def test_a_short_source_in_the_right_encoding_is_read(run, project):
    (project / "source" / "small.md").write_bytes("# ２０２５年长沙（新华社电）\n".encode("gb18030"))
    run("extract", "--encoding", "gb18030")


# -- a renamed article keeps its work -----------------------------------------------------------------------


def test_a_renamed_article_is_noticed_and_rename_carries_its_work_over(run_shipped, shipped):
    po_before = po_path(shipped, ARTICLE).read_text(encoding="utf-8")
    (shipped / "source" / f"{ARTICLE}.md").rename(shipped / "source" / "changsha.md")
    before = snapshot(shipped)
    line = one_line(run_shipped("extract", ok=False), 3)
    assert "source/changsha.md" in line and f"bilingual rename {ARTICLE} changsha" in line
    assert snapshot(shipped) == before  # no fresh 0 % catalog
    status = run_shipped("status", ok=False)
    assert f"bilingual rename {ARTICLE} changsha" in status.stderr
    result = run_shipped("rename", ARTICLE, "changsha")
    assert f"translations/en/{ARTICLE}.po -> translations/en/changsha.po" in result.stdout
    assert not po_path(shipped, ARTICLE).exists()
    moved = po_path(shipped, "changsha").read_text(encoding="utf-8")
    # the work as it was: every history line, note and review decision; references at the new file
    history = [line for line in po_before.splitlines() if line.startswith(("# ", "msgstr"))]
    assert [line for line in moved.splitlines() if line.startswith(("# ", "msgstr"))] == [
        line.replace(f"source/{ARTICLE}.md", "source/changsha.md") for line in history
    ]
    assert "100.0%" in run_shipped("status").stdout
    run_shipped("extract", "--check")
    from tests.conftest import msgfmt_check

    msgfmt_check(po_path(shipped, "changsha"))


def test_status_lists_orphaned_catalogs(run_shipped, shipped):
    shutil.copy(po_path(shipped, ARTICLE), po_path(shipped, "gone"))
    out = run_shipped("status").stdout
    assert "orphaned: translations of gone" in out and "bilingual rename gone NEW" in out
    data = json.loads(run_shipped("status", "--json").stdout)
    assert data["orphans"] == ["gone"]


def test_rename_refuses_what_would_lose_work(run_shipped, shipped):
    line = one_line(run_shipped("rename", ARTICLE, "nosuch", ok=False), 3)
    assert "nosuch" in line  # NEW must be an article
    shutil.copy(shipped / "source" / f"{ARTICLE}.md", shipped / "source" / "copy.md")
    result = run_shipped("rename", ARTICLE, "copy", code=2)
    assert "still an article" in result.stderr.splitlines()[0] and len(result.stderr.splitlines()) == 2
    (shipped / "source" / f"{ARTICLE}.md").unlink()
    shutil.copy(po_path(shipped, ARTICLE), po_path(shipped, "copy"))  # copy has work of its own
    before = snapshot(shipped)
    line = one_line(run_shipped("rename", ARTICLE, "copy", ok=False), 3)
    assert "translations/en/copy.po" in line and "refusing" in line
    assert snapshot(shipped) == before


# -- misuse ---------------------------------------------------------------------------------------------------


def _git_repo(root: Path) -> None:
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    (root / "README.md").write_text("# Our project\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "small.en.draft.docx").write_bytes(b"tracked, not ours to replace")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "README.md", "docs"], check=True)
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=a@example.org", "-c", "user.name=A", "commit", "-qm", "x"],
        check=True,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["export", "small", "--out", "README.md"],
        ["tm", "export", "--out", ".git/config"],
        ["build", "--draft", "--edition", "en", "--out", "docs"],
    ],
)
def test_out_never_overwrites_what_git_tracks_or_dot_git_without_force(run, project, args, monkeypatch):
    run("extract")
    _git_repo(project)
    monkeypatch.chdir(project)
    before = snapshot(project, skip=())
    config = (project / ".git" / "config").read_bytes()
    result = run(*args, code=2)
    assert "refusing" in result.stderr and "--force" in result.stderr
    assert snapshot(project, skip=()) == before and (project / ".git" / "config").read_bytes() == config
    subprocess.run(["git", "-C", str(project), "status"], check=True, capture_output=True)
    if args[0] == "build":
        run(*args, "--force")
        assert (project / "docs" / "small.en.draft.docx").read_bytes() != b"tracked, not ours to replace"


def test_odd_file_names_in_source_affect_only_themselves(run, project):
    source = project / "source"
    (source / "a..b.txt").write_text("第一段。\n", encoding="utf-8")
    (source / "-x.txt").write_text("第一段。\n", encoding="utf-8")
    shutil.copy(source / "small.md", source / "SANGUO.TXT")
    result = run("extract")
    assert result.stderr.count("skipped 2 file(s)") == 1, result.stderr
    assert "a..b.txt (two dots in a row" in result.stderr and "-x.txt (a name must start with a letter" in result.stderr
    assert "invalid characters" not in result.stderr
    assert (project / "translations" / "en" / "SANGUO.po").is_file() and po_path(project).is_file()
    for command in (["status"], ["check"], ["lint"], ["build", "--draft"]):
        result = run(*command, ok=False)
        assert result.exit_code in (0, 1), (command, result.stderr)
        assert "unknown article" not in result.stderr


def test_root_that_does_not_exist_is_a_usage_error(tmp_path):
    result = Run(tmp_path / "nonexistent")("status", code=2)
    assert "--root" in result.stderr and "no such folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2


def test_root_at_an_empty_folder_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    result = Run(tmp_path / "empty")("extract")
    assert "no articles to extract" in result.stdout
    assert "no articles to build" in Run(tmp_path / "empty")("build").stdout


@pytest.mark.parametrize(
    "name, value",
    [
        ("SOURCE_DATE_EPOCH", "yesterday"),
        ("SOURCE_DATE_EPOCH", "-5"),
        ("BILINGUAL_JOBS", "0"),
        ("BILINGUAL_JOBS", "many"),
    ],
)
def test_invalid_environment_variables_are_usage_errors_naming_them(run, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    result = run("status", code=2)
    assert result.stderr.startswith(f"bilingual: {name}={value!r}")


def test_review_with_both_segment_and_all_translated_says_not_both(run, project):
    run("extract")
    result = run("review", "small", "--all-translated", "--segment", "x", code=2)
    assert "not both" in result.stderr and len(result.stderr.strip().splitlines()) == 2


def test_a_duplicate_glossary_row_is_an_input_error_naming_both_lines(run, project):
    (project / "translations").mkdir()
    (project / "translations" / "glossary.csv").write_text(
        "source,target,note\n长沙,Changsha,\n巴斯夫,BASF,\n长沙,Chang-sha,\n", encoding="utf-8"
    )
    line = one_line(run("extract", ok=False), 3)
    assert "translations/glossary.csv:4" in line and "line 2" in line


def test_a_control_character_in_the_glossary_is_an_input_error(run, project):
    (project / "translations").mkdir()
    (project / "translations" / "glossary.csv").write_text("source,target,note\n长沙,Chang\x01sha,\n", encoding="utf-8")
    line = one_line(run("extract", ok=False), 3)
    assert "translations/glossary.csv:2" in line and "U+0001" in line


@pytest.mark.parametrize("content", ["", "#. a comment only\n", 'msgid "第一段正文。"\nmsgstr ""\n'])
def test_an_empty_or_header_less_catalog_gets_a_proper_header(run, project, content):
    from tests.conftest import msgfmt_check

    (project / "translations" / "en").mkdir(parents=True)
    po_path(project).write_text(content, encoding="utf-8")
    run("extract")
    text = po_path(project).read_text(encoding="utf-8")
    assert "Content-Type: text/plain; charset=UTF-8" in text and "Language: en" in text
    msgfmt_check(po_path(project))


def test_xliff_1_0_is_refused_as_documented(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "old.xlf"
    kit.write_text(
        '<?xml version="1.0"?><xliff version="1.0"><file original="small" source-language="zh-CN" '
        'target-language="en" datatype="plaintext"><body/></file></xliff>',
        encoding="utf-8",
    )
    line = one_line(run("submit", kit, ok=False), 3)
    assert "XLIFF version 1.0 is not supported" in line


def test_xml_nested_too_deeply_gives_no_parser_advice(run, project, tmp_path):
    run("extract")
    kit = tmp_path / "deep.xlf"
    kit.write_text('<xliff version="1.2">' + "<g>" * 300 + "</g>" * 300 + "</xliff>", encoding="utf-8")
    line = one_line(run("submit", kit, ok=False), 3)
    assert "XML_PARSE_HUGE" not in line and "nested too deeply" in line


def test_a_draft_build_names_each_qa_error_once_with_its_file(run_shipped, shipped):
    po = po_path(shipped, ARTICLE)
    po.write_text(po.read_text(encoding="utf-8").replace("287.54", "297.54", 1), encoding="utf-8")
    result = run_shipped("build", "--draft")
    errors = [line for line in result.stderr.splitlines() if line.startswith("QA error")]
    assert errors and len(errors) == len(set(errors))
    assert all(f"translations/en/{ARTICLE}.po" in line for line in errors)
    assert "0 segment(s) not ready" not in result.stderr


# -- leftovers of killed runs are swept -----------------------------------------------------------------------


def test_leftovers_of_killed_runs_are_swept(run_shipped, shipped, tmp_path):
    output = shipped / "output"
    output.mkdir()
    stale_out = output / f".{ARTICLE}.en.docx.k1ll3d00.tmp"
    stale_out.write_bytes(b"half a docx")
    memory = shipped / "translations" / "memory"
    memory.mkdir()
    stale_tm = memory / ".big.tmx.k1ll3d00.tmp"
    stale_tm.write_bytes(b"half a tmx")
    mine = output / "notes.tmp"  # not a temporary of ours: kept
    mine.write_bytes(b"the user's")
    run_shipped("build", "--edition", "en")
    assert not stale_out.exists() and mine.exists()
    run_shipped("tm", "import", _tmx(tmp_path, 3))
    assert not stale_tm.exists()
    assert sorted(p.name for p in memory.iterdir()) == ["big.tmx"]


def test_work_folders_of_killed_pdf_runs_are_swept(tmp_path):
    from workflow.editions import pdf

    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"bilingual-pdf-{dead.pid}-abc"
    (stale / "profile" / "user").mkdir(parents=True)
    (stale / "profile" / "user" / "registrymodifications.xcu").write_bytes(b"x" * 1000)
    live = tmp_path / f"bilingual-pdf-{os.getpid()}-def"
    live.mkdir()
    other = tmp_path / "bilingual-pdf-notes"
    other.mkdir()
    assert pdf.sweep_work_folders(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and other.exists()


# -- a zip directory that lies -------------------------------------------------------------------------------


def _lying_kit(kit: Path, out: Path, inflated_mib: int = 1024) -> None:
    """``kit`` with one more part: ``inflated_mib`` MiB of zeros whose zip
    directory (central and local) declares 100 bytes."""
    import struct
    import zipfile

    with zipfile.ZipFile(kit) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        part = zipfile.ZipInfo("word/media/image9.png")
        part.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(part, "w", force_zip64=False) as fh:
            block = b"\0" * 2**20
            for _ in range(inflated_mib):
                fh.write(block)
    data = bytearray(out.read_bytes())
    name = b"word/media/image9.png"
    for signature, size_at, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack("<H", data[at + (28 if signature == b"PK\x01\x02" else 26) :][:2])[0]
            if data[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, 100)
            at = data.find(signature, at + 4)
    out.write_bytes(bytes(data))


def test_a_zip_part_larger_than_declared_is_refused_without_inflating_it(run, project, tmp_path):
    import sys

    run("extract")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    lying = tmp_path / "lying.docx"
    _lying_kit(kit, lying)
    assert lying.stat().st_size < 5 * 2**20  # a small file that would inflate to 1 GiB
    before = snapshot(project)
    # The reader's own peak: a child's ru_maxrss keeps the high-water mark of the process it was
    # forked from across exec (here pytest, with LibreOffice and Chromium tests behind it), so a
    # small launcher starts the reader and reports its peak (os.wait4) on the last stderr line.
    launcher = (
        "import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:]); _, s, u = os.wait4(p.pid, 0); "
        "print(u.ru_maxrss, file=sys.stderr); sys.exit(os.waitstatus_to_exitcode(s))"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            launcher,
            sys.executable,
            "-m",
            "workflow",
            "--root",
            str(project),
            "submit",
            str(lying),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    *lines, peak_kib = proc.stderr.strip().splitlines()
    stderr = "\n".join(lines)
    assert proc.returncode == 3, stderr
    assert "inflates beyond" in stderr and "lying.docx" in stderr
    peak_mib = int(peak_kib) / 1024
    assert peak_mib < 400, f"the reader reached {peak_mib:.0f} MiB"
    assert snapshot(project) == before


def test_a_long_reindex_says_so_and_reports_progress(run_shipped, shipped, tmp_path, monkeypatch):
    from workflow.core import cache
    from workflow.core.project import Project
    from workflow.memory import index as memory_index
    from workflow.memory import store as memory

    run_shipped("tm", "import", _tmx(tmp_path, 3000))
    (shipped / ".bilingual-cache" / "memory.sqlite").unlink()
    monkeypatch.setattr(memory, "LONG_INDEX", 100_000)  # a big file, scaled down
    monkeypatch.setattr(memory_index, "_BATCH", 500)
    told, seen = [], []
    cache.on_damage(told.append)
    monkeypatch.setattr(cache, "rebuild_progress", lambda display, units: seen.append((display, units)))
    memory.open_memory(Project.open(shipped)).close()
    assert [line for line in told if "indexing translations/memory/big.tmx" in line] == told[:1]
    counts = [units for display, units in seen if display == "translations/memory/big.tmx"]
    assert counts[-1] is None and counts[-2] == 3000 and counts[:-1] == sorted(counts[:-1]) and len(counts) > 3
    cache.on_damage(None)


# -- fuzz: the cache reader and deep nesting ----------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
            max_leaves=8,
        ).map(lambda v: json.dumps(v).encode()),
    )
)
def test_the_cache_reader_never_trusts_or_raises_on_any_bytes(tmp_path, data):
    from workflow.commands.status import _valid_counts
    from workflow.core import cache

    (tmp_path / cache.FOLDER).mkdir(exist_ok=True)
    (tmp_path / cache.FOLDER / "status.json").write_bytes(data)
    loaded = cache.load(tmp_path, "status", _valid_counts)
    assert loaded == {}  # nothing without the checksum is ever taken
    import hashlib

    body = data
    (tmp_path / cache.FOLDER / "status.json").write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    loaded = cache.load(tmp_path, "status", _valid_counts)
    assert isinstance(loaded, dict) and all(_valid_counts(v) for v in loaded.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["> ", "- ", "1. ", "* "]), max_size=140))
def test_any_nesting_keeps_every_text_or_is_refused_with_a_line(prefixes):
    from workflow.core.errors import SourceError
    from workflow.sources.source import parse_article

    lines, indent = [], ""
    for depth, prefix in enumerate(prefixes):
        lines.append(f"{indent}{prefix}第{depth}层文字。")
        indent += "   " if prefix != "> " else "> "
    text = "# 标题\n\n" + "\n".join(lines) + "\n"
    try:
        article = parse_article(text, path="deep.md")
    except SourceError as exc:
        assert exc.line and "nested deeper" in exc.message
        return
    joined = "\n".join(b.text for b in article.blocks)
    for depth in range(len(prefixes)):
        assert f"第{depth}层文字。" in joined, (depth, prefixes[: depth + 1])


def test_a_word_kit_nested_too_deeply_gives_no_parser_advice(run, project, tmp_path):
    import zipfile

    run("extract")
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    deep = tmp_path / "deep.docx"
    with zipfile.ZipFile(kit) as src, zipfile.ZipFile(deep, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * 300 + b"</w:sdt>" * 300, 1)
            dst.writestr(info, data)
    line = one_line(run("submit", deep, ok=False), 3)
    assert "XML_PARSE_HUGE" not in line and "nested too deeply" in line


def test_a_read_only_project_still_builds_to_an_out_folder(shipped, tmp_path, read_only):
    import docx

    run = Run(shipped)
    run("status")  # caches made while it could
    read_only(shipped)
    result = run("build", "--edition", "en", "--out", tmp_path / "out")
    assert (tmp_path / "out" / f"{ARTICLE}.en.docx").is_file(), result.stderr
    docx.Document(str(tmp_path / "out" / f"{ARTICLE}.en.docx"))
    line = one_line(run("build", "--edition", "en", ok=False), EXIT_ENVIRONMENT)  # into the project: refused
    assert "read-only file system" in line


def test_no_permission_is_exit_74_naming_the_file(shipped):
    """Without the capability that lets root ignore file modes (``setpriv``),
    a translations folder it may read but not write."""
    import sys

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("dropping root's file-mode override needs root and setpriv (util-linux)")
    _change_source(shipped)
    for folder in [shipped / "translations", *[p for p in (shipped / "translations").rglob("*") if p.is_dir()]]:
        os.chmod(folder, 0o555)
    before = snapshot(shipped)
    try:
        proc = subprocess.run(
            [
                "setpriv",
                "--bounding-set",
                "-dac_override,-dac_read_search",
                sys.executable,
                "-m",
                "workflow",
                "--root",
                str(shipped),
                "extract",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
    finally:
        for folder in [shipped / "translations", *[p for p in (shipped / "translations").rglob("*") if p.is_dir()]]:
            os.chmod(folder, 0o755)
    assert proc.returncode == EXIT_ENVIRONMENT, proc.stderr
    assert proc.stderr.startswith("bilingual: permission denied on translations/"), proc.stderr
    assert "nothing was changed" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert snapshot(shipped) == before


def test_a_malformed_orphan_does_not_stop_a_new_article(run, project):
    (project / "translations" / "en").mkdir(parents=True)
    (project / "translations" / "en" / "gone.po").write_bytes(b'msgid "unterminated\n\xff\xfe')
    run("extract")
    assert po_path(project).is_file()
    assert "orphaned: translations of gone" in run("status").stdout
