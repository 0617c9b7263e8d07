"""Shared fixtures: a small project in tmp_path, the CLI runner, real tools."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from workflow.cli import cli

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# The article exactly as received, kept in the repository so the tests that
# compare against it always run; test_source checks it still equals the
# newsroom's copy in ../shared when that folder is present.
SEED = DATA / "received" / "000_efab4efa7b3875f7.txt"
SHARED_SEED = REPO.parent / "shared" / "seed" / "000_efab4efa7b3875f7.txt"
ARTICLE = "changsha-opening-up"

SMALL = """# 测试标题 一

——副题：测试文章

长沙晚报全媒体记者 张三

第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。

## 第一部分

小节导语

第二段正文，讲述巴斯夫杉杉的故事。

<!-- role: caption -->
一张照片的说明文字。

长沙晚报全媒体记者 李四 摄
"""

PYPROJECT = """[tool.bilingual]
target_languages = ["en"]
project_name = "Test"
publisher = "Test Evening News"
"""


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774051200")  # 2026-03-21
    monkeypatch.delenv("BILINGUAL_TRANSLATOR", raising=False)
    monkeypatch.delenv("BILINGUAL_REVIEWER", raising=False)


@pytest.fixture
def project(tmp_path):
    """A fresh project with one small article, extracted."""
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "source" / "small.md").write_text(SMALL, encoding="utf-8")
    return root


@pytest.fixture
def shipped(tmp_path):
    """A copy of this repository's publication: source, translations, config."""
    root = tmp_path / "shipped"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "translations", root / "translations")
    return root


class Run:
    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args, ok=True, code=None, input=None):
        # As users run it: cli.main switches the cyclic garbage collector off.
        gc.disable()
        try:
            result = self.runner.invoke(
                cli, ["--root", str(self.root), *map(str, args)], input=input, catch_exceptions=False
            )
        finally:
            gc.enable()
        if code is not None:
            assert result.exit_code == code, (result.output, result.stderr)
        elif ok:
            assert result.exit_code == 0, (result.output, result.stderr)
        return result


@pytest.fixture
def run(project):
    return Run(project)


@pytest.fixture
def run_shipped(shipped):
    return Run(shipped)


def one_line_error(result, *needles, code=3):
    """The command failed with ``code`` (an input error unless told) and said
    why in one ``bilingual:`` line on stderr, never a traceback; that line."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("bilingual:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def msgfmt_check(path: Path) -> str:
    """Run ``msgfmt -c --statistics``; fail the test if it rejects the file."""
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) is not installed")
    proc = subprocess.run(
        ["msgfmt", "-c", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def po_path(root: Path, article: str = "small", lang: str = "en") -> Path:
    return root / "translations" / lang / f"{article}.po"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (``CI`` set, as ``.ci/run`` runs) every tool is installed, so a
    test that skips because one is missing is a failed install step: it fails
    instead of passing quietly.  A test may skip in CI only when it is marked
    ``ci_may_skip`` with the reason."""
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("CI")
        and report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("ci_may_skip") is None
    ):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, where every tool must be installed: {reason}"


def pytest_report_header(config):
    from .test_fuzz import SEED

    return f"fuzz seed: {SEED} (BILINGUAL_FUZZ_SEED={SEED} replays this run's fuzz inputs)"


def pytest_configure(config):
    config.addinivalue_line("markers", "ci_may_skip(reason): a skip that is allowed in CI too")
