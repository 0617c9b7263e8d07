"""False alarms on professional translations, in CI: the committed WMT22
excerpt (tests/data/wmt22-qa, 44 lines with its source and terms) checked as
body segments.  Its error findings are exactly the three real errors of the
reference that its README lists; seeded errors are caught."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from workflow.lang import spelling

from .conftest import REPO

EXCERPT = Path(__file__).resolve().parent / "data" / "wmt22-qa"
REAL_ERRORS = {"32", "40", "42"}  # excerpt lines; see tests/data/wmt22-qa/README.md


def _benchmark():
    spec = importlib.util.spec_from_file_location("qa_false_alarms", REPO / "benchmarks" / "qa_false_alarms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_excerpt_s_errors_are_the_reference_s_real_errors():
    bench = _benchmark()
    sources, targets = bench.read(EXCERPT, bench.SRC), bench.read(EXCERPT, bench.REF.format("A"))
    assert len(sources) == len(targets) == 44
    findings = bench.check_lines(sources, targets, range(len(sources)))
    errors = [f for f in findings if f.severity == "error"]
    false_alarms = [f for f in errors if f.segment not in REAL_ERRORS]
    assert not false_alarms, false_alarms  # 0 per 1,000 on the excerpt (the target: at most 1 per 1,000)
    assert {f.segment for f in errors} == REAL_ERRORS


def test_seeded_errors_in_the_excerpt_are_caught():
    bench = _benchmark()
    sources, targets = bench.read(EXCERPT, bench.SRC), bench.read(EXCERPT, bench.REF.format("A"))
    recall = bench.recall(sources, targets, range(len(sources)), limit=50)
    for kind in ("tenfold", "swapped-digit"):
        assert recall[kind]["seeded"] >= 4 and recall[kind]["recall"] >= 0.9, (kind, recall[kind])
    for kind in ("markdown:unclosed-bold", "markdown:changed-url", "markdown:bold-dropped", "misspelling"):
        if kind == "misspelling" and not spelling.available():
            continue
        assert recall[kind]["recall"] >= 0.9, (kind, recall[kind])
