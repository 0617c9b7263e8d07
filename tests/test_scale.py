"""Many articles: the same bytes from one process or many, only the work
that changed redone, and a PO file saved by Weblate (Translate Toolkit's
PO storage) read back unchanged and never churned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workflow.commands import build as publish
from workflow.commands import check as qa
from workflow.po import pofile
from workflow.qa import checks

from .conftest import ARTICLE, REPO, Run

N = 6


def _newsroom(root: Path) -> Path:
    """Six articles: the shipped one and five variants, each with the
    shipped translation (a variant's edited paragraph becomes fuzzy)."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(REPO / "translations", root / "translations")
    (root / "source").mkdir()
    text = (REPO / "source" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    for k in range(N):
        name = f"a{k}"
        edited = text if k == 0 else text.replace("春风又绿湘江岸", f"春风又绿湘江岸（{k}）")
        (root / "source" / f"{name}.md").write_text(edited, encoding="utf-8")
        for kind in ("templates", "en"):
            ext = "pot" if kind == "templates" else "po"
            shutil.copy(
                root / "translations" / kind / f"{ARTICLE}.{ext}", root / "translations" / kind / f"{name}.{ext}"
            )
    for kind, ext in (("templates", "pot"), ("en", "po")):
        (root / "translations" / kind / f"{ARTICLE}.{ext}").unlink()
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for folder in ("translations", "output")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def test_many_processes_write_what_one_process_writes(tmp_path):
    serial, parallel = _newsroom(tmp_path / "serial"), _newsroom(tmp_path / "parallel")
    outputs = {}
    for root, jobs in ((serial, "1"), (parallel, "2")):
        run = Run(root)
        texts = [
            run("-j", jobs, "extract").output,
            run("-j", jobs, "check", "--severity", "info", ok=False).output,
            run("-j", jobs, "status").output,
        ]
        run("-j", jobs, "build", "--draft")
        run(
            "-j",
            jobs,
            "build",
            "--edition",
            "bilingual",
            "--layout",
            "table",
            "--draft",
            "--out",
            root / "output" / "t",
        )
        outputs[jobs] = (texts, _tree(root))
    assert outputs["1"][0] == outputs["2"][0]
    assert outputs["1"][1].keys() == outputs["2"][1].keys() and len(outputs["1"][1]) >= 2 * N + 4 * N
    for name, data in outputs["1"][1].items():
        assert data == outputs["2"][1][name], name


def _spy(monkeypatch, module, name) -> list:
    calls = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def test_after_one_article_changes_only_its_work_is_redone(tmp_path, monkeypatch):
    root = _newsroom(tmp_path / "desk")
    run = Run(root)
    run("extract")
    run("check", ok=False)
    run("build", "--draft")
    before = {p.name: p.stat().st_mtime_ns for p in (root / "output").iterdir()}
    source = root / "source" / "a3.md"
    source.write_text(source.read_text(encoding="utf-8").replace("蓬勃朝气", "蓬勃活力", 1), encoding="utf-8")

    written = run("-j", "1", "extract").output
    assert "wrote translations/en/a3.po" in written and "a2.po" not in written
    planned = _spy(monkeypatch, publish, "_plan_article")
    checked = _spy(monkeypatch, qa, "check_article")
    computed = _spy(monkeypatch, checks, "_pair_findings")
    run("-j", "1", "check", ok=False)
    assert [args[1].name for args in checked] == ["a3"]  # the other articles are not even read
    assert len(computed) == 1  # one segment changed: one segment checked
    result = run("-j", "1", "build", "--draft")
    assert [args[1] for args in planned] == ["a3"]
    assert {line.split("/")[-1] for line in result.output.splitlines() if line.startswith("wrote")} <= {
        f"a3.{e}.draft.docx" for e in ("zh", "en", "bilingual")
    }
    after = {p.name: p.stat().st_mtime_ns for p in (root / "output").iterdir()}
    assert {n for n in before if before[n] != after[n]} <= {f"a3.{e}.draft.docx" for e in ("zh", "en", "bilingual")}


def test_a_changed_photo_rebuilds_its_article(tmp_path):
    from .test_wordsource import PHOTO_MD, photo

    root = tmp_path / "photos"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root)
    photo(root / "source" / "photos" / "train.jpg", (1200, 800))
    photo(root / "source" / "photos" / "coffee.png", (600, 400), "PNG", (40, 90, 200))
    (root / "source" / "photo.md").write_text(PHOTO_MD, encoding="utf-8")
    run = Run(root)
    run("build", "--draft", "--edition", "zh")
    assert "1 edition(s) unchanged" in run("build", "--draft", "--edition", "zh").output
    photo(root / "source" / "photos" / "train.jpg", (1200, 800), color=(10, 200, 10))
    assert "wrote output/photo.zh.draft.docx" in run("build", "--draft", "--edition", "zh").output


def test_a_deleted_or_edited_output_is_rebuilt(tmp_path):
    root = _newsroom(tmp_path / "desk")
    run = Run(root)
    run("build", "--draft", "--edition", "zh")
    target = root / "output" / "a1.zh.draft.docx"
    good = target.read_bytes()
    target.write_bytes(b"scribbled over")
    (root / "output" / "a2.zh.draft.docx").unlink()
    result = run("build", "--draft", "--edition", "zh").output
    assert "wrote output/a1.zh.draft.docx" in result and "wrote output/a2.zh.draft.docx" in result
    assert target.read_bytes() == good and f"{N - 2} edition(s) unchanged" in result


# -- Weblate: Translate Toolkit's PO storage --------------------------------------------------------


def test_a_weblate_save_is_read_back_unchanged_and_never_churned(run_shipped, shipped):
    pypo = pytest.importorskip("translate.storage.pypo")
    path = shipped / "translations" / "en" / f"{ARTICLE}.po"
    store = pypo.pofile.parsefile(str(path))
    unit = next(u for u in store.units if u.getcontext() == "byline")
    unit.target = "By Liu Jieping, Changsha Evening News."  # a translator's edit, saved as Weblate saves
    path.write_bytes(bytes(store))
    saved = path.read_bytes()

    po = pofile.load(path, "x")
    assert po.find(unit.source, msgctxt="byline").msgstr == "By Liu Jieping, Changsha Evening News."
    # the edited translation's review vouched for the old text: extract drops that line, and only it
    run_shipped("extract", "--check", code=1)
    run_shipped("extract")
    import difflib

    changed = [
        ln
        for ln in difflib.unified_diff(saved.decode().splitlines(), path.read_text().splitlines(), n=0)
        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    ]
    assert changed and all(ln.startswith("-# ") for ln in changed) and "Reviewed: " in changed[0], changed
    saved = path.read_bytes()
    run_shipped("extract", "--check")  # then up to date
    result = run_shipped("extract")
    assert "wrote" not in result.output and path.read_bytes() == saved  # never churned
    check = run_shipped("check", "--only", "roles", ok=False)
    assert "byline" in check.output  # the edit is seen: a byline takes no final period
