"""The command line: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import REPO, one_line_error, po_path

#: Every command the manual documents; --help must list each as a command, with its summary.
DOCUMENTED = (
    "align",
    "analyze",
    "build",
    "check",
    "export",
    "extract",
    "lint",
    "pretranslate",
    "rename",
    "review",
    "serve",
    "status",
    "submit",
    "tm",
    "users",
)


def test_help_lists_every_command(run):
    out = run("--help").output
    listed = {
        line.split()[0]
        for line in out.split("Commands:", 1)[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ") and line.strip()
    }
    assert set(DOCUMENTED) <= listed, set(DOCUMENTED) - listed


def test_python_dash_m_works():
    proc = subprocess.run([sys.executable, "-m", "workflow", "--version"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and "bilingual" in proc.stdout


def test_extract_check_exits_1_when_out_of_date_and_writes_nothing(run, project):
    result = run("extract", "--check", code=1)
    one_line_error(result, "out of date", code=1)
    assert "translations/templates/small.pot" in result.stderr
    assert not (project / "translations").exists()
    run("extract")
    run("extract", "--check")
    src = project / "source" / "small.md"
    src.write_text(src.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    run("extract", "--check", code=1)


def test_unknown_article_is_an_input_error(run):
    one_line_error(run("extract", "nosuch", code=3), "nosuch", "unknown article", "small")


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd.md", "../outside.md", "a/../../b"])
def test_names_never_lead_outside_the_project(run, name):
    result = run("extract", name, code=3)
    one_line_error(result)
    assert not (run.root.parent / "translations").exists()


def test_wrongly_encoded_source(run, project):
    (project / "source" / "gbk.md").write_bytes("# 标题\n\n正文。\n".encode("gb18030"))
    one_line_error(run("extract", "gbk", code=3), "source/gbk.md:1", "--encoding")
    run("extract", "gbk", "--encoding", "gb18030")
    assert po_path(project, "gbk").is_file()


def test_malformed_po_is_an_input_error_and_nothing_is_written(run, project):
    run("extract")
    po = po_path(project)
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    before = po.read_bytes()
    pot = project / "translations" / "templates" / "small.pot"
    pot_before = pot.read_bytes()
    (project / "source" / "small.md").write_text("# 新标题\n", encoding="utf-8")
    line = one_line_error(run("extract", code=3), "translations/en/small.po:")
    assert "malformed" in line
    assert po.read_bytes() == before and pot.read_bytes() == pot_before


def test_usage_errors_exit_2(run):
    assert run("build", "--layout", "diagonal", code=2).exit_code == 2
    assert run("status", "--lang", "fr", code=2).exit_code == 2
    assert run("submit", "small", "--segment", "x", code=2).exit_code == 2
    assert run("review", "small", code=2).exit_code == 2


def test_bad_config_is_an_input_error(run, project):
    (project / "pyproject.toml").write_text('[tool.bilingual]\ntarget_languages = ["xx_YY"]\n', encoding="utf-8")
    one_line_error(run("status", code=3), "pyproject.toml", "unknown locale")
    (project / "pyproject.toml").write_text('[tool.bilingual]\ncolour = "blue"\n', encoding="utf-8")
    one_line_error(run("status", code=3), "unknown setting 'colour'")


def test_lint_reports_broken_paragraphs_with_file_and_line(run, project):
    (project / "source" / "broken.md").write_text(
        "# 题\n\n第一句话说到一半，\n\n被排版切断了。\n\n完整的一段。\n\n最后一段被截断提升\n", encoding="utf-8"
    )
    result = run("lint", "broken", code=1)
    assert "source/broken.md:3: ends with '，'" in result.output
    assert "line 5" in result.output
    assert "source/broken.md:9: ends without end punctuation" in result.output
    assert "2 suspected defect(s)" in result.output
    # lint never changes the source
    assert "第一句话说到一半，\n\n被排版" in (project / "source" / "broken.md").read_text(encoding="utf-8")


def test_lint_on_the_seed_finds_the_five_broken_paragraphs_and_the_captions_without_photos(tmp_path):
    from .conftest import SEED, Run

    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "seed.md").write_bytes(SEED.read_bytes())
    result = Run(tmp_path)("lint", code=1)
    for line, text in ((39, "主动前瞻"), (47, "，"), (67, "再制造体系"), (75, "，"), (79, "助力片区提升")):
        assert any(ln.startswith(f"source/seed.md:{line}:") and text[-4:] in ln for ln in result.output.splitlines()), (
            line
        )
    captions = result.output.count("caption without a photo")
    assert captions >= 3 and f"{5 + captions} suspected defect(s)" in result.output


def test_help_is_fast_enough_to_not_import_heavy_libraries():
    """--help imports neither python-docx nor Babel nor polib (timing lives in benchmarks/)."""
    code = (
        "import sys; from workflow.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('docx','babel','polib','lxml','rapidfuzz','markdown_it') if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout.strip().endswith("[]"), proc.stdout
