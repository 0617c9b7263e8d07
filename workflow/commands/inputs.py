"""Loading a project's inputs: articles, catalogs, the glossary, languages.

Every command starts here; each loader names files as the user sees them
(relative to the project) so errors point at the right place.

May import: errors, fsio, model, project, source, wordsource, segment, glossary, pofile, catalog, text, spelling,
snapshot.
"""

from __future__ import annotations

import hashlib

from workflow.commands import snapshot
from workflow.core.errors import EncodingError, GateError, InputError, PathError, UsageError
from workflow.core.fsio import inside, read_input
from workflow.core.model import Article, Segment
from workflow.core.project import Project
from workflow.core.text import decode
from workflow.lang.glossary import Glossary, load_glossary
from workflow.po import catalog, pofile
from workflow.sources.segment import segments
from workflow.sources.source import read_article


def load_article(project: Project, name: str, encoding: str | None = None) -> Article:
    """The article ``name``, read as ``encoding``, else as UTF-8, else in the
    encoding its template remembers (``extract --encoding`` records it)."""
    path = project.article_path(name)
    if path.suffix.lower() == ".docx":
        from workflow.sources.wordsource import read_article as read_word

        return read_word(path, project.rel(path), project.root)
    try:
        return read_article(path, project.rel(path), encoding, project.root)
    except EncodingError:
        remembered = None if encoding else remembered_encoding(project, path.stem)
        if not remembered:
            raise
        return read_article(path, project.rel(path), remembered, project.root)


def remembered_encoding(project: Project, article: str) -> str | None:
    from workflow.po.catalog import SOURCE_ENCODING

    template = project.template_path(article)
    if not template.is_file():
        return None
    return pofile.read_header(template, project.rel(template)).get(SOURCE_ENCODING) or None


def glossary_of(project: Project) -> Glossary:
    """The project's term base: empty when the default file is absent; a
    glossary the configuration names must exist, and stay inside the project."""
    config, path = project.config, project.glossary_path
    display = config.glossary or project.rel(path)
    if not path.exists():
        if config.glossary:
            raise PathError("the glossary named in the configuration (glossary = ...) does not exist", display)
        return Glossary([])
    if not inside(project.root, path):
        raise PathError("a link to a file outside the project; copy the glossary into the project instead", display)
    target = config.target_languages[0] if config.target_languages else "en"
    try:
        digest = snapshot.digest(path)
    except OSError:  # unreadable: the loader says so, naming the file
        return load_glossary(path, display, config.source_language, target)
    # parsed once per process: many articles (and the workers forked after this) share one term base
    return snapshot.derived(
        ("glossary", str(path), digest, config.source_language, target),
        lambda: load_glossary(path, display, config.source_language, target),
    )


def word_list_bytes(project: Project) -> bytes:
    """The project's word list as stored (empty when there is none)."""
    path = project.word_list_path
    if not path.is_file():
        if project.config.word_list:
            raise PathError(
                "the word list named in the configuration (word_list = ...) does not exist", project.config.word_list
            )
        return b""
    if not inside(project.root, path):
        raise PathError(
            "a link to a file outside the project; copy the word list into the project instead", project.rel(path)
        )
    return read_input(path, project.rel(path), InputError)


def word_list_of(project: Project) -> frozenset:
    """The words the spell check accepts besides the dictionary's."""
    from workflow.lang.spelling import read_word_list

    data = word_list_bytes(project)
    if not data:
        return frozenset()
    return snapshot.derived(
        ("word list", str(project.word_list_path), hashlib.sha256(data).hexdigest()),
        lambda: read_word_list(decode(data, project.rel(project.word_list_path), InputError)),
    )


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
            f"language {lang!r} is not a target language of this project ({', '.join(project.config.target_languages)})"
        )
    return [code]


def load_catalog(project: Project, article: str, language: str) -> pofile.Catalog:
    """The translation of ``article`` into ``language``: one ``Catalog``
    whether it is only read or written back (``pofile.save_catalog`` keeps
    the layout of every entry not changed)."""
    path = project.po_path(article, language)
    if not path.is_file():
        raise GateError(f"no translation file; run 'bilingual extract {article}' first", path=project.rel(path))
    return pofile.load(path, project.rel(path))


def catalog_indexes(project: Project, article: str) -> dict:
    """language → the entries of the article's catalog by segment ID, for
    every target language that has a catalog."""
    return {
        code: catalog.index_by_id(load_catalog(project, article, code))
        for code in project.config.target_languages
        if project.po_path(article, code).is_file()
    }
