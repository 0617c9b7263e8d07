"""A project: its root, configuration and the paths of everything in it.

Names that come from article names or from inside files are resolved here,
and none of them may lead outside the project, through ``..`` or a link.
The source folder is scanned here too: hidden files, editor backups and
files of other types are not articles, and are reported, never fatal.
Paths the user types (kits, output folders) may be anywhere, except onto
the project's own sources, translations, glossary or configuration.

May import: errors, model, config, fsio.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from workflow.core.config import CONFIG_FILE, Config, find_root, load_config
from workflow.core.errors import PathError, UsageError
from workflow.core.fsio import LOCK_FILE, inside
from workflow.core.model import SOURCE_FORMATS as FORMATS

_NAME = re.compile(r"^[\w][\w.\-]*$")
_BACKUP_SUFFIXES = (".bak", ".swp", ".swo", ".tmp", ".orig", ".rej", ".part", ".crdownload")
CACHE_DIR = ".bilingual-cache"


def not_an_article(path: Path) -> str | None:
    """Why a file in the source folder is not an article, or None when it is one."""
    name = path.name
    if name.startswith("._"):
        return "a macOS resource fork"
    if name.startswith((".", "~$", "#")):
        return "a hidden file or an editor's lock file"
    if name.endswith("~") or path.suffix.lower() in _BACKUP_SUFFIXES:
        return "an editor's backup"
    if path.suffix.lower() not in FORMATS:
        return f"not an article format ({', '.join(sorted(set(FORMATS)))})"
    if not _NAME.match(path.stem):
        if path.stem[:1] in ("-", "."):
            return "a name must start with a letter or a digit"
        return "not a valid article name (letters, digits, '-', '_' and '.' only)"
    if ".." in path.stem:
        return "two dots in a row in the name"
    return None


def tracked(paths: list[Path]) -> list[Path]:
    """Those of ``paths`` (existing files) that git tracks, in whatever
    repository holds them; none when git is missing or they are in none."""
    import shutil
    import subprocess

    if not shutil.which("git"):
        return []
    out: list[Path] = []
    by_folder: dict[Path, list[str]] = {}
    real_dirs: dict[Path, Path] = {}  # each folder resolved once: a build's thousands of files share one or two
    for path in paths:
        if not path.is_file():
            continue
        if path.is_symlink():
            real = path.resolve()
        else:
            folder = real_dirs.get(path.parent)
            if folder is None:
                folder = real_dirs[path.parent] = path.parent.resolve()
            real = folder / path.name
        by_folder.setdefault(real.parent, []).append(real.name)
    for folder, names in by_folder.items():
        proc = subprocess.run(["git", "-C", str(folder), "ls-files", "-z", "--", *names], capture_output=True)
        if proc.returncode == 0:
            out += [folder / name for name in proc.stdout.decode("utf-8", "replace").split("\0") if name]
    return sorted(out)


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config
    _real_dirs: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def open(cls, root: Path | None = None) -> Project:
        root = find_root(Path.cwd()) if root is None else root.resolve()
        return cls(root=root, config=load_config(root))

    # -- folders
    @property
    def source_dir(self) -> Path:
        return self.root / self.config.source_dir

    @property
    def translations_dir(self) -> Path:
        return self.root / self.config.translations_dir

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.output_dir

    @property
    def glossary_path(self) -> Path:
        return self.root / (self.config.glossary or f"{self.config.translations_dir}/glossary.csv")

    @property
    def word_list_path(self) -> Path:
        return self.root / (self.config.word_list or f"{self.config.translations_dir}/wordlist.txt")

    def rel(self, path: Path) -> str:
        """``path`` as shown to the user: relative to the project root when inside it."""
        if path.is_absolute() and ".." not in path.parts and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()  # a project path: no walk of the file system
        try:
            return self._resolved(path).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- articles
    def scan_sources(self) -> tuple[list[str], list[tuple[str, str]]]:
        """(article names, [(file name, why it is not an article)]) of the source folder."""
        if not self.source_dir.is_dir():
            return [], []
        names, skipped = set(), []
        for path in sorted(self.source_dir.iterdir()):
            if path.is_dir():
                continue  # photos/ and the like
            why = not_an_article(path)
            if why:
                skipped.append((path.name, why))
            else:
                names.add(path.stem)
        return sorted(names), skipped

    def article_names(self) -> list[str]:
        return self.scan_sources()[0]

    def article_path(self, name: str) -> Path:
        """The source file of the article ``name`` (a name, or a path to a
        file in the source folder)."""
        candidate = Path(name)
        if candidate.suffix.lower() in FORMATS and (candidate.exists() or "/" in name):
            path = candidate if candidate.is_absolute() else (Path.cwd() / candidate)
            if not inside(self.source_dir, path):
                raise PathError(f"not inside the source folder {self.config.source_dir}/", name)
            if not path.is_file():
                raise PathError("no such article", name)
            why = not_an_article(path)
            if why:
                raise PathError(f"not an article: {why}", name)
            return path.resolve()
        if not _NAME.match(name) or ".." in name:
            raise PathError("not an article name (letters, digits, '-', '_' and '.' only)", name)
        folder = self.source_dir
        base = os.path.join(folder, name)  # plain strings: a check of every article stats each name eight times
        found = [
            folder / f"{name}{case(ext)}"
            for ext in FORMATS
            for case in (str.lower, str.upper)
            if os.path.isfile(base + case(ext))
        ]
        if not found:
            known = ", ".join(self.article_names()) or "none"
            raise PathError(f"unknown article; articles in {self.config.source_dir}/: {known}", name)
        if len(found) > 1:  # on a case-insensitive disk NAME.md and NAME.MD are one file
            found = list({(p.stat().st_dev, p.stat().st_ino): p for p in found}.values())
        if len(found) > 1:
            raise PathError(f"ambiguous article: {', '.join(p.name for p in found)}", name)
        if not self._inside(found[0]):
            raise PathError(
                "a link to a file outside the project; copy the file into the project instead",
                f"{self.config.source_dir}/{found[0].name}",
            )
        return found[0]

    def resolve_articles(self, names) -> list[str]:
        """Article names to work on: those given, or every article."""
        if not names:
            return self.article_names()
        return [self.article_path(n).stem for n in names]

    def template_path(self, article: str) -> Path:
        return self._safe(self.translations_dir / "templates" / f"{article}.pot")

    def po_path(self, article: str, language: str) -> Path:
        return self._safe(self.translations_dir / language / f"{article}.po")

    def output_path(
        self, article: str, edition: str, out_dir: Path | None = None, draft: bool = False, ext: str = "docx"
    ) -> Path:
        """``<article>.<edition>.docx``; a draft is ``<article>.<edition>.draft.docx``,
        so a draft never replaces a final edition."""
        folder = out_dir if out_dir is not None else self.output_dir
        path = folder / f"{article}.{edition}{'.draft' if draft else ''}.{ext}"
        if out_dir is None:
            self._safe(path)
        return path

    def _resolved(self, path: Path) -> Path:
        """``path.resolve()``, each folder resolved once per command: a thousand
        articles' files then cost one ``lstat`` each instead of a walk of the whole path."""
        real_dirs = self._real_dirs
        folder = real_dirs.get(path.parent)
        if folder is None:
            folder = real_dirs[path.parent] = path.parent.resolve()
        plain = path.name not in ("", ".", "..") and not path.is_symlink()
        return folder / path.name if plain else path.resolve()

    def _inside(self, path: Path) -> bool:
        """Whether ``path`` resolves inside the project."""
        if "root" not in self._real_dirs:
            self._real_dirs["root"] = self.root.resolve()
        return self._resolved(path).is_relative_to(self._real_dirs["root"])

    def _safe(self, path: Path) -> Path:
        """``path``, a project folder and a name, when it stays inside the project."""
        if not self._inside(path):
            raise PathError("leads outside the project", path)
        return path

    # -- what the user asks to write
    def protected(self, path: Path) -> str | None:
        """Why writing ``path`` would overwrite the project's own files, or None."""
        target = path.resolve()
        for folder, what in (
            (self.source_dir, "the sources"),
            (self.translations_dir, "the translations"),
            (self.root / CACHE_DIR, "the cache"),
        ):
            if inside(folder, target):
                return f"it is among {what} ({self.rel(folder)}/)"
        for own in (
            self.glossary_path,
            self.word_list_path,
            self.root / CONFIG_FILE,
            self.root / "pyproject.toml",
            self.root / LOCK_FILE,
        ):
            if target == own.resolve():
                return f"it is the project's {own.name}"
        return None

    def check_output(self, path: Path, option: str = "--out", force: bool = False) -> Path:
        """A file or folder the user named for writing: anywhere but onto the
        project's own files; nor, without ``force``, into a ``.git`` folder or
        onto a file git tracks."""
        why = self.protected(path)
        if why:
            raise UsageError(f"{option} {path}: refusing to write there, {why}")
        if not force and ".git" in path.resolve().parts:
            raise UsageError(f"{option} {path}: refusing to write into a .git folder (--force to do it anyway)")
        if not force and path.is_file():
            self.refuse_tracked([path], option)
        return path

    def refuse_tracked(self, paths: list[Path], option: str = "--out") -> None:
        """A usage error when git tracks any of ``paths`` (they would be overwritten)."""
        known = tracked(paths)
        if known:
            raise UsageError(
                f"{option}: refusing to overwrite {self.rel(known[0])}, which git tracks"
                f"{f' (and {len(known) - 1} more)' if len(known) > 1 else ''} (--force to do it anyway)"
            )
