"""Project configuration: defaults that need no file, overridden by
``bilingual.toml`` or a ``[tool.bilingual]`` table in ``pyproject.toml``.

May import: errors.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError

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
    glossary: str = "translations/glossary.csv"
    require_review: bool = False
    #: How alike (0–1, by characters) an old source must be for its
    #: translation to become a fuzzy suggestion for a new one: used by the
    #: merge (an edited paragraph) and by stale kits alike.
    fuzzy_threshold: float = 0.6


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
        if name == "target_languages":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
                raise ConfigError("target_languages must be a non-empty list of locale codes", where)
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} must be true or false", where)
        elif isinstance(default, float):
            if not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise ConfigError(f"{key} must be a number between 0 and 1", where)
            value = float(value)
        elif not isinstance(value, str):
            raise ConfigError(f"{key} must be a string", where)
        values[name] = value
    config = replace(Config(), **values)
    src = _validate_locale(config.source_language, where)
    targets = tuple(_validate_locale(t, where) for t in config.target_languages)
    if len(set(targets)) != len(targets):
        raise ConfigError("target_languages lists a language twice", where)
    for name in ("source_dir", "translations_dir", "output_dir", "glossary"):
        p = Path(getattr(config, name))
        if p.is_absolute() or ".." in p.parts:
            raise ConfigError(f"{name} must be a path inside the project, not {p}", where)
    return replace(config, source_language=src, target_languages=targets)


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
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"not valid TOML: {exc}", path, line) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from None


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
