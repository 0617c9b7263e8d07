"""openxml-audit, the OOXML validator the Word files are checked with: one report per file and schema.

Where it is not installed, a test is skipped on a workstation; in CI the skip is a failure
(``conftest.pytest_runtest_makereport``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

#: The schemas checked: Word today, and Office 2007 (the strictest: a tblLook attribute once failed it).
SCHEMAS = ("microsoft365", "office2007")


def report(path: Path, schema: str) -> dict:
    """openxml-audit's JSON report on ``path`` under ``schema`` (strict policy, every message)."""
    audit = shutil.which("openxml-audit")
    if audit is None:
        pytest.skip("openxml-audit is not installed (pip install -e '.[test]')")
    proc = subprocess.run(
        [audit, "-o", "json", "-m", "0", "--policy", "strict", "-f", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    (found,) = json.loads(proc.stdout)
    return found


def assert_clean(path: Path, schema: str) -> None:
    """Valid, predicted to open clean in Word, no error and no warning."""
    found = report(path, schema)
    assert found["valid"] and found["verdict"]["prediction"] == "opens-clean", (path.name, schema, found)
    assert found["error_count"] == found["warning_count"] == 0 and not found["errors"], (path.name, schema, found)
