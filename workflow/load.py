"""Loading a project's inputs: articles, catalogs, the glossary, languages.

Every command starts here; each loader names files as the user sees them
(relative to the project) so errors point at the right place.

May import: errors, model, project, source, segment, glossary, pofile.
"""
from __future__ import annotations

from . import pofile
from .errors import GateError, UsageError
from .glossary import Glossary, load_glossary
from .model import Article, Segment
from .project import Project
from .segment import segments
from .source import read_article


def load_article(project: Project, name: str, encoding: str | None = None) -> Article:
    path = project.article_path(name)
    return read_article(path, project.rel(path), encoding)


def glossary_of(project: Project) -> Glossary:
    config = project.config
    return load_glossary(project.glossary_path, project.rel(project.glossary_path), config.source_language,
                         config.target_languages[0] if config.target_languages else "en")


def article_segments(article: Article, glossary: Glossary) -> list[Segment]:
    """The article's segments with their glossary hints."""
    return segments(article, lambda text: tuple((t.source, t.target) for t in glossary.hints(text)))


def languages(project: Project, lang: str | None) -> list[str]:
    """The target languages a command works on: ``lang``, or all of them."""
    if lang is None:
        return list(project.config.target_languages)
    code = lang.replace("-", "_")
    if code not in project.config.target_languages:
        raise UsageError(
            f"language {lang!r} is not a target language of this project "
            f"({', '.join(project.config.target_languages)})"
        )
    return [code]


def load_catalog(project: Project, article: str, language: str, keep_layout: bool = False):
    """The translation of ``article`` into ``language``.  ``keep_layout``
    for a catalog that will be written back (see ``pofile.Layout``)."""
    path = project.po_path(article, language)
    if not path.is_file():
        raise GateError(f"no translation file; run 'bilingual extract {article}' first", path=project.rel(path))
    return pofile.load(path, project.rel(path), keep_layout)
