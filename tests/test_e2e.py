"""End to end, as users run it: the ``bilingual`` entry point (``cli.main``,
garbage collector off) in a separate process, on a copy of the shipped
publication and on a fresh project, from extract to the Word editions."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import docx

from .conftest import ARTICLE, REPO, po_path


def bilingual(root, *args, code=0):
    """``python -m workflow`` is the same program as the ``bilingual`` script."""
    proc = subprocess.run(
        [sys.executable, "-m", "workflow", "--root", str(root), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
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


#: What a translator types into the CSV kit of the small article, by source.
ENGLISH = {
    "测试标题 一": "Test Headline One",
    "——副题：测试文章": "A Test Article",
    "长沙晚报全媒体记者 张三": "By Zhang San, Changsha Evening News",
    "第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。": "The first paragraph. Changsha's foreign trade reached 287.54 billion yuan, up 3.5 percent year on year.",
    "第一部分": "Part One",
    "小节导语": "The section's deck",
    "第二段正文，讲述巴斯夫杉杉的故事。": "The second paragraph tells the story of BASF Shanshan.",
    "一张照片的说明文字。": "The caption of a photo.",
    "长沙晚报全媒体记者 李四 摄": "Photo by Li Si/Changsha Evening News",
}


def test_a_translator_fills_the_kit_and_the_desk_publishes(project, tmp_path):
    """The whole cycle with real work in it: a CSV kit filled in as a
    spreadsheet would, submitted, checked clean, reviewed, and a final
    (not draft) build whose English edition holds the translator's text."""
    bilingual(project, "extract")
    kit = tmp_path / "small.en.csv"
    bilingual(project, "export", "small", "--format", "csv", "--out", kit)
    with kit.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["source"] for row in rows} == set(ENGLISH)
    for row in rows:
        row["target"] = ENGLISH[row["source"]]
    with kit.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert "9 added" in bilingual(project, "submit", kit, "--translator", "Ann Lee").stdout
    assert bilingual(project, "check").stdout.strip().splitlines()[-1].startswith("0 error(s)")
    bilingual(project, "review", "small", "--all-translated", "--reviewer", "Bo Chen")
    bilingual(project, "status", "--fail-under", "100")
    caption = next(row["id"] for row in rows if row["source"] == "一张照片的说明文字。")
    assert "caption without a photo" in bilingual(project, "build", code=1).stderr  # the photo never came
    bilingual(
        project,
        "review",
        "small",
        "--accept",
        "lint",
        "--segment",
        caption,
        "--reviewer",
        "Production desk",
        "--note",
        "the photo desk places the photo at make-up",
    )
    out = tmp_path / "out"
    bilingual(project, "build", "--edition", "all", "--out", out)
    english = "\n".join(p.text for p in docx.Document(str(out / "small.en.docx")).paragraphs)
    for text in ENGLISH.values():
        assert text in english, text
    assert not (out / "small.en.draft.docx").exists()
    po = po_path(project).read_text(encoding="utf-8")
    assert po.count("# Reviewed: Bo Chen") == 9 and po.count("# Translated: Ann Lee") == 9


def test_the_project_is_found_without_root(project, tmp_path):
    """Run from a folder inside the project, as a user does, with no --root."""
    inside = project / "source"
    proc = subprocess.run(
        [sys.executable, "-m", "workflow", "extract"],
        capture_output=True,
        text=True,
        cwd=inside,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stderr
    assert po_path(project).is_file() and not (inside / "translations").exists()
