"""Project configuration: defaults that need no file, overridden by
``bilingual.toml`` or a ``[tool.bilingual]`` table in ``pyproject.toml``.

May import: errors, fsio, text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from workflow.core.errors import ConfigError

CONFIG_FILE = "bilingual.toml"


@dataclass(frozen=True)
class Config:
    source_language: str = "zh_CN"
    target_languages: tuple[str, ...] = ("en",)
    source_dir: str = "source"
    translations_dir: str = "translations"
    output_dir: str = "output"
    project_name: str = "bilingual"
    publisher: str = ""
    bugs_address: str = ""
    #: The term base; empty means ``<translations_dir>/glossary.csv`` if it
    #: exists.  A glossary named here must exist.
    glossary: str = ""
    #: Width new PO files are wrapped at (0: never wrap); an existing file
    #: keeps the width it already uses.
    po_width: int = 78
    require_review: bool = False
    #: How alike (0–1, by characters) an old source must be for its
    #: translation to become a fuzzy suggestion for a new one: used by the
    #: merge (an edited paragraph) and by stale kits alike.
    fuzzy_threshold: float = 0.6
    #: Machine translation engines: (name, settings table) pairs from ``[engines.NAME]``
    #: tables, read by ``machine`` (never a credential: those come from the environment).
    engines: tuple = ()
    #: The project's own words the spell check accepts, one a line; empty
    #: means ``<translations_dir>/wordlist.txt`` if it exists.
    word_list: str = ""
    #: The desk's own checks: ``[[checklist]]`` tables of ``pattern`` (a
    #: regular expression found in the translation), ``message``,
    #: ``severity`` (error, warning or info; warning by default) and
    #: ``source`` (a regular expression the source must match for the rule
    #: to apply; optional).  Kept as (pattern, message, severity, source).
    checklist: tuple = ()
    #: Page furniture: a running head on every page of an edition (paper · date · section at the
    #: left, the article's title at the right) over the folio.  The paper's name defaults to
    #: ``publisher``, else ``project_name``; the section (also the PDF's subject) to none.
    page_furniture: bool = True
    paper_name: str = ""
    paper_name_zh: str = ""  # the name the Chinese and bilingual editions print (default: paper_name)
    section: str = ""
    #: The editions' look: "reader" (an A4 reader edition, one column) or "newspaper" (a body in
    #: columns under a head spanning them); ``build --look`` overrides it.
    look: str = "reader"


#: The editions' looks (the ``look`` setting, ``build --look``).
LOOKS = ("reader", "newspaper")


def _validate_locale(code: str, where: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ConfigError(f"unknown locale code {code!r} ({exc})", where) from None
    return code.replace("-", "_")


def _from_table(table: dict, where: str) -> Config:
    known = {f.name: f for f in fields(Config)}
    values: dict = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"unknown setting {key!r}; known: {', '.join(sorted(known))}", where)
        default = getattr(Config, name)
        if name == "engines":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError("engines must be tables: [engines.NAME] (or [tool.bilingual.engines.NAME])", where)
            value = tuple(sorted(value.items()))
        elif name == "checklist":
            value = _checklist(value, where)
        elif name == "target_languages":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
                raise ConfigError("target_languages must be a non-empty list of locale codes", where)
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} must be true or false", where)
        elif isinstance(default, float):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 1:
                raise ConfigError(f"{key} must be a number between 0 and 1", where)
            value = float(value)
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool) or not (value == 0 or 20 <= value <= 1000):
                raise ConfigError(f"{key} must be 0 (no wrapping) or a width from 20 to 1000", where)
        elif not isinstance(value, str):
            raise ConfigError(f"{key} must be a string", where)
        elif name == "look" and value not in LOOKS:
            raise ConfigError(f"look must be one of {', '.join(LOOKS)}, not {value!r}", where)
        values[name] = value
    config = replace(Config(), **values)
    src = _validate_locale(config.source_language, where)
    targets = tuple(_validate_locale(t, where) for t in config.target_languages)
    if len(set(targets)) != len(targets):
        raise ConfigError("target_languages lists a language twice", where)
    for name in ("source_dir", "translations_dir", "output_dir", "glossary", "word_list"):
        p = Path(getattr(config, name))
        if p.is_absolute() or ".." in p.parts:
            raise ConfigError(f"{name} must be a path inside the project, not {p}", where)
    _check_folders_apart(config, where)
    return replace(config, source_language=src, target_languages=targets)


_SEVERITIES = ("error", "warning", "info")


def _checklist(value, where: str) -> tuple:
    """The ``[[checklist]]`` tables, each pattern compiled once here to be refused early."""
    import re

    if not isinstance(value, list) or not all(isinstance(rule, dict) for rule in value):
        raise ConfigError("checklist must be a list of tables ([[checklist]] with pattern and message)", where)
    rules = []
    for i, rule in enumerate(value, 1):
        unknown = set(rule) - {"pattern", "message", "severity", "source"}
        if unknown:
            raise ConfigError(f"checklist rule {i}: unknown key(s) {', '.join(sorted(unknown))}", where)
        pattern, message = rule.get("pattern"), rule.get("message")
        severity, source = rule.get("severity", "warning"), rule.get("source", "")
        if not isinstance(pattern, str) or not pattern or not isinstance(message, str) or not message:
            raise ConfigError(f"checklist rule {i} needs a pattern and a message (strings)", where)
        if severity not in _SEVERITIES:
            raise ConfigError(f"checklist rule {i}: severity must be one of {', '.join(_SEVERITIES)}", where)
        for key, regex in (("pattern", pattern), ("source", source)):
            if not isinstance(regex, str):
                raise ConfigError(f"checklist rule {i}: {key} must be a string", where)
            try:
                re.compile(regex)
            except re.error as exc:
                raise ConfigError(
                    f"checklist rule {i}: {key} is not a valid regular expression ({exc})", where
                ) from None
        rules.append((pattern, message, severity, source))
    return tuple(rules)


def _check_folders_apart(config: Config, where: str) -> None:
    """Editions and kits must never land among the sources or translations."""
    folders = {name: Path(getattr(config, name)) for name in ("source_dir", "translations_dir", "output_dir")}
    for a, pa in folders.items():
        for b, pb in folders.items():
            if a < b and (pa == pb or pa in pb.parents or pb in pa.parents or pa == Path(".") or pb == Path(".")):
                raise ConfigError(f"{a} ({pa}) and {b} ({pb}) must be separate folders", where)


def load_config(root: Path) -> Config:
    """Read the configuration of the project at ``root``."""
    own = root / CONFIG_FILE
    if own.is_file():
        return _from_table(_read_toml(own), str(own))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("bilingual")
        if table is not None:
            return _from_table(table, str(pyproject))
    return _from_table({}, "defaults")


def _read_toml(path: Path) -> dict:
    from workflow.core.fsio import read_input
    from workflow.core.text import decode

    text = decode(read_input(path, str(path), ConfigError), str(path), ConfigError)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"not valid TOML: {exc}", path, line) from None


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` with a project configuration,
    else ``start`` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "bilingual" in _read_toml(pyproject).get("tool", {}):
                    return folder
            except ConfigError:
                pass
    return start
