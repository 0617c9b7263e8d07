"""The newsroom benchmark: the shipped article as N separate articles.

Cold caches for every step (the cache folder removed before each run),
the project translated with the shipped English; each peer on the same
text.  Reports medians, ratios to the peers, per-segment check cost, the
time to redo the work after one article changes, CPU time over wall time
(both cores), peak memory of the largest process, and growth with N.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
from pathlib import Path

import make_corpus

SEGMENTS_PER_ARTICLE = 54


def call(cmd, cwd, codes=(0,)) -> None:
    """Run a preparation step (not timed)."""
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode not in codes:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}: {proc.stderr.decode()[-400:]}")


def corpus(work: Path, articles: int, bilingual: list[str], fill) -> Path:
    """CORPUS/split/cN: N articles, extracted and translated (not timed);
    a copy of the translations in translations.filled/."""
    folder = make_corpus.build(work / "split", articles, split=True)
    (folder / "out").mkdir(exist_ok=True)
    if not (folder / "translations.filled").is_dir():
        shutil.rmtree(folder / "translations" / "en", ignore_errors=True)
        call(bilingual + ["extract"], folder)
        for po in sorted((folder / "translations" / "en").glob("*.po")):
            fill(po, po)
        shutil.copytree(folder / "translations", folder / "translations.filled")
    if not (folder / "bilingual.md").is_file():
        _peer_documents(folder)
    return folder


def _peer_documents(folder: Path) -> None:
    """en.md and bilingual.md of the whole newsroom, from the filled PO
    files, so pandoc can make the same three documents we make (not timed)."""
    import polib

    entries = [
        e
        for po in sorted((folder / "translations.filled" / "en").glob("*.po"))
        for e in polib.pofile(str(po))
        if not e.obsolete
    ]
    (folder / "en.md").write_text("\n\n".join(e.msgstr for e in entries) + "\n", encoding="utf-8")
    (folder / "bilingual.md").write_text(
        "\n\n".join(f"{e.msgid}\n\n{e.msgstr}" for e in entries) + "\n", encoding="utf-8"
    )


def steps(folder: Path, bilingual: list[str]):
    """(name, command, prep, peer, allowed exit codes) of each timed step."""
    cache = folder / ".bilingual-cache"
    out = folder / "out"

    def cold():
        shutil.rmtree(cache, ignore_errors=True)

    def restored():
        cold()
        shutil.rmtree(folder / "translations", ignore_errors=True)
        shutil.copytree(folder / "translations.filled", folder / "translations")

    def unextracted():
        cold()
        for sub in ("en", "templates"):
            shutil.rmtree(folder / "translations" / sub, ignore_errors=True)

    def fresh_out(name, *first):
        def prep():
            restored()
            shutil.rmtree(out / name, ignore_errors=True)
            for cmd in first:
                call(cmd, folder, codes=(0, 1))

        return prep

    return [
        ("extract", "bilingual extract", bilingual + ["extract"], unextracted, False, (0,)),
        (
            "extract",
            "md2po (Translate Toolkit) on source/",
            ["md2po", "--progress=none", "-P", "-i", "source", "-o", "out/md2po"],
            lambda: shutil.rmtree(out / "md2po", ignore_errors=True),
            True,
            (0,),
        ),
        ("status", "bilingual status", bilingual + ["status"], restored, False, (0,)),
        ("status", "pocount translations/en", ["pocount", "translations/en"], None, True, (0,)),
        ("check", "bilingual check", bilingual + ["check"], restored, False, (0, 1)),
        (
            "build",
            "bilingual build --edition all (cold: runs every check)",
            bilingual + ["build", "--edition", "all", "--out", "out/b"],
            fresh_out("b"),
            False,
            (0,),
        ),
        (
            "build",
            "bilingual build --edition all (after a check)",
            bilingual + ["build", "--edition", "all", "--out", "out/b"],
            fresh_out("b", bilingual + ["check"]),
            False,
            (0,),
        ),
        (
            "build",
            "pandoc on the whole text",
            ["pandoc", "-f", "markdown", "-t", "docx", "-o", "out/pandoc.docx", "src.md"],
            None,
            True,
            (0,),
        ),
        (
            "build",
            PANDOC_THREE,
            [
                "sh",
                "-c",
                "pandoc -f markdown -t docx -o out/pandoc.zh.docx src.md && "
                "pandoc -f markdown -t docx -o out/pandoc.en.docx en.md && "
                "pandoc -f markdown -t docx -o out/pandoc.bi.docx bilingual.md",
            ],
            None,
            True,
            (0,),
        ),
    ]


PANDOC_THREE = "pandoc making the same three documents (zh, en, bilingual)"


def incremental(folder: Path, bilingual: list[str], timed, repeat: int):
    """Extract, check and a draft build of the whole project after one
    article's source changed: (wall seconds of the three, median)."""
    call(bilingual + ["extract"], folder)
    call(bilingual + ["check"], folder, codes=(0, 1))
    call(bilingual + ["build", "--draft", "--out", "out/inc"], folder)
    names = sorted(p.name for p in (folder / "source").glob("*.md"))
    article = folder / "source" / names[len(names) // 2]
    text = article.read_text(encoding="utf-8")
    walls = []
    for i in range(repeat):
        article.write_text(
            text.replace("蓬勃朝气", "蓬勃活力" if i % 2 == 0 else "蓬勃朝气", 1) if i % 2 == 0 else text,
            encoding="utf-8",
        )
        os.sync()
        total = 0.0
        for cmd, codes in ((["extract"], (0,)), (["check"], (0, 1)), (["build", "--draft", "--out", "out/inc"], (0,))):
            wall, _, _ = timed(bilingual + cmd, folder, codes)
            total += wall
        walls.append(total)
    article.write_text(text, encoding="utf-8")
    return statistics.median(walls)


def _row(f: dict, name: str, peer: str | None = None, target: str = "") -> str:
    """One step's table row from one size's figures ``f``, against ``peer`` when it ran."""
    if name not in f or f[name] is None:
        return f"| {name} | missing | | | | {target} |"
    wall, cpu, peak, walls = f[name]
    versus = ""
    if peer and f.get(peer):
        ratio = statistics.median(a / b for a, b in zip(walls, f[peer][3]))
        versus = f"{ratio:.2f}x {peer.split(' ')[0]} ({f[peer][0]:.2f} s)"
    return f"| {name} | {wall:.2f} | {cpu / wall:.2f} | {peak:.0f} | {versus} | {target} |"


def report(figures: dict, pandoc_key="pandoc on the whole text") -> str:
    """figures: articles → {step name: (median wall, cpu, peak MiB, walls per round)}, plus
    'incremental'.  Ratios are the median of the rounds' ratios (ours and the
    peer alternate, one of each per round)."""
    lines = []
    sizes = sorted(figures)
    for n in sizes:
        f = figures[n]
        seg = n * SEGMENTS_PER_ARTICLE
        lines += [
            f"**newsroom: {n:,} articles** ({seg:,} segments; cold caches; medians)",
            "",
            "| step | wall s | CPU / wall | peak MiB | against the peer | target |",
            "|---|---|---|---|---|---|",
        ]

        lines.append(_row(f, "bilingual extract", "md2po (Translate Toolkit) on source/", "≤ 0.5x md2po"))
        lines.append(_row(f, "bilingual status", "pocount translations/en", "≤ 0.25x pocount"))
        lines.append(_row(f, "bilingual check", None, "≤ 0.08 ms per segment"))
        if f.get("bilingual check"):
            lines[-1] = lines[-1].replace(
                "|  | ≤ 0.08", f"| {f['bilingual check'][0] / seg * 1000:.3f} ms per segment | ≤ 0.08"
            )
        cold = "bilingual build --edition all (cold: runs every check)"
        lines.append(_row(f, cold, pandoc_key, "≤ 1.0x pandoc making one document"))
        if f.get(cold) and f.get(PANDOC_THREE):
            ratio = statistics.median(a / b for a, b in zip(f[cold][3], f[PANDOC_THREE][3]))
            lines.append(
                f"| {cold}, against the same three documents | | | | {ratio:.2f}x pandoc × 3 "
                f"({f[PANDOC_THREE][0]:.2f} s) | ≤ 0.3x |"
            )
        lines.append(_row(f, "bilingual build --edition all (after a check)", pandoc_key, ""))
        for peer in ("md2po (Translate Toolkit) on source/", "pocount translations/en", pandoc_key, PANDOC_THREE):
            lines.append(_row(f, peer))
        if f.get("incremental") is not None:
            target = "≤ 1.5 s" if n <= 1000 else "≤ 3 s"
            lines.append(
                f"| after one article changes: extract + check + build --draft | {f['incremental']:.2f} | | | | "
                f"{target} |"
            )
        lines.append("")
    if len(sizes) > 1:
        small, big = sizes[0], sizes[-1]
        lines += [
            f"**growth {small:,} → {big:,} articles ({big / small:.0f}x the articles)**",
            "",
            "| step | factor | target |",
            "|---|---|---|",
        ]
        for name, value in figures[big].items():
            if name.startswith("bilingual") and value and figures[small].get(name):
                lines.append(f"| {name} | {value[0] / figures[small][name][0]:.1f}x | ≤ {big / small * 1.2:.0f}x |")
        lines.append("")
    return "\n".join(lines)
