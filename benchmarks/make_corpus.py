#!/usr/bin/env python3
"""Build benchmark corpora from the shipped article.

For N > 1 the article is repeated N times and the last line of every block
gets the suffix （k） (k = copy number), so no segment deduplicates.
Writes CORPUS/cN/ as a bilingual project: pyproject.toml and
source/article.md (one article), and with --split, source/a00001.md … (N
articles).  Also writes cN/src.md for the peer tools and cN/src.edited.md
with 1 % of the blocks edited.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "source" / "changsha-opening-up.md"
PYPROJECT = (
    '[tool.bilingual]\ntarget_languages = ["en"]\nproject_name = "bench"\nglossary = "translations/glossary.csv"\n'
)


def blocks(text: str) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


def copy_of(parts: list[str], k: int, n: int) -> list[str]:
    if n == 1:
        return list(parts)
    out = []
    for b in parts:
        if b.startswith("<!--"):
            marker, _, body = b.partition("\n")
            out.append(f"{marker}\n{body}（{k}）")
        else:
            out.append(f"{b}（{k}）")
    return out


def build(out: Path, n: int, split: bool) -> Path:
    parts = blocks(ARTICLE.read_text(encoding="utf-8"))
    folder = out / f"c{n}"
    src = folder / "source"
    src.mkdir(parents=True, exist_ok=True)
    (folder / "translations").mkdir(exist_ok=True)
    (folder / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    glossary = ROOT / "translations" / "glossary.csv"
    (folder / "translations" / "glossary.csv").write_bytes(glossary.read_bytes())
    copies = [copy_of(parts, k, n) for k in range(1, n + 1)]
    every = [b for c in copies for b in c]
    whole = "\n\n".join(every) + "\n"
    (folder / "src.md").write_text(whole, encoding="utf-8")
    # 1 % of the blocks edited: every 100th block (index ≡ 50 mod 100) gets "，修订".
    edited = [b + "，修订" if i % 100 == 50 else b for i, b in enumerate(every)]
    (folder / "src.edited.md").write_text("\n\n".join(edited) + "\n", encoding="utf-8")
    if split:
        for k, c in enumerate(copies, start=1):
            (src / f"a{k:05d}.md").write_text("\n\n".join(c) + "\n", encoding="utf-8")
    else:
        (src / "article.md").write_text(whole, encoding="utf-8")
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--split", action="store_true", help="one article per copy")
    args = parser.parse_args(argv)
    for n in args.sizes:
        folder = build(args.out, n, args.split)
        size = (folder / "src.md").stat().st_size
        print(f"{folder}: {size:,} bytes, {len(blocks((folder / 'src.md').read_text(encoding='utf-8'))):,} blocks")


if __name__ == "__main__":
    main()
