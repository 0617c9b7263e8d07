"""A project: its root, configuration and the paths of everything in it.

Names that come from article names or from inside files are resolved here,
and none of them may lead outside the project.

May import: errors, model, config, fsio.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .config import Config, find_root, load_config
from .errors import PathError
from .fsio import inside
from .model import SOURCE_FORMATS as FORMATS

_NAME = re.compile(r"^[\w][\w.\-]*$")


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config

    @classmethod
    def open(cls, root: Path | None = None) -> "Project":
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
        return self.root / self.config.glossary

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- articles
    def article_names(self) -> list[str]:
        if not self.source_dir.is_dir():
            return []
        return sorted(p.stem for p in self.source_dir.iterdir() if p.suffix.lower() in FORMATS and p.is_file())

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
            return path.resolve()
        if not _NAME.match(name) or ".." in name:
            raise PathError("not an article name (letters, digits, '-', '_' and '.' only)", name)
        found = [self.source_dir / f"{name}{ext}" for ext in FORMATS if (self.source_dir / f"{name}{ext}").is_file()]
        if not found:
            known = ", ".join(self.article_names()) or "none"
            raise PathError(f"unknown article; articles in {self.config.source_dir}/: {known}", name)
        if len(found) > 1:
            raise PathError(f"ambiguous article: {', '.join(p.name for p in found)}", name)
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

    def output_path(self, article: str, edition: str, out_dir: Path | None = None) -> Path:
        folder = out_dir if out_dir is not None else self.output_dir
        path = folder / f"{article}.{edition}.docx"
        if out_dir is None:
            self._safe(path)
        return path

    def _safe(self, path: Path) -> Path:
        if not inside(self.root, path):
            raise PathError("leads outside the project", path)
        return path
