"""The package's shape, read from its source: imports flow one way, each
library has one home, functions stay short, and the rules of a segment's
life live in one module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "workflow"
#: The desk (``workflow/web/``) is a subpackage: its modules are named ``web.NAME``.
WEB = sorted(f"web.{p.stem}" for p in (PACKAGE / "web").glob("*.py") if p.stem != "__init__")
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")) + WEB

#: Each module's layer: a module may import only modules of a lower layer
#: (model ← readers ← catalog ← services/exchange ← cli).
LAYERS = {
    "errors": 0,
    "feather": 0,
    "clock": 0,
    "parallel": 0,
    "zipwrite": 0,
    "typography": 0,
    "model": 1,
    "text": 1,
    "xmlsafe": 1,
    "pdf": 1,
    "engines": 1,
    "config": 3,
    "fsio": 2,
    "segment": 2,
    "images": 2,
    "cache": 3,
    "project": 4,
    "source": 3,
    "glossary": 3,
    "pofile": 3,
    "lint": 4,
    "word": 3,
    "xliff": 3,
    "lifecycle": 4,
    "stylecheck": 4,
    "checks": 5,
    "numbers": 1,
    "parity": 2,
    "spelling": 1,
    "romanize": 1,
    "tmx": 4,
    "wordsource": 4,
    "catalog": 5,
    "status": 5,
    "kits": 6,
    "editions": 6,
    "consistency": 6,
    "load": 6,
    "memory": 6,
    "leverage": 7,
    "qa": 7,
    "changes": 7,
    "omegat": 7,
    "rename": 7,
    "machine": 7,
    "postedit": 7,
    "services": 8,
    "publish": 8,
    "exchange": 8,
    "report": 9,
    "qareport": 2,
    "cli": 10,
    # bilingual align (issue 25): lexicon and DP at the bottom, the service beside the others
    "alignlex": 2,
    "aligndp": 1,
    "alignscore": 3,
    "aligner": 4,
    "align": 8,
    "web.render": 8,
    "web.users": 3,
    "web.auth": 4,
    "web.reviewed": 8,
    "web.desk": 9,
    "web.app": 10,
}
#: Third-party libraries with one home each.
#: python-docx's home is the Word layer: word (editions, kits) and wordsource (Word articles).
HOMES = {
    "polib": {"pofile"},
    "docx": {"word", "wordsource"},
    "click": {"cli"},
    "spylls": {"spelling"},
    "pypinyin": {"romanize"},
    "starlette": {"web.app"},
    "uvicorn": {"web.app"},
    "jinja2": {"web.app"},
    "argon2": {"web.users"},
    "itsdangerous": {"web.auth"},
    "markupsafe": {"web.render"},
}


def _path(module: str) -> Path:
    return PACKAGE / f"{module.replace('.', '/')}.py"


def _tree(module: str) -> ast.Module:
    return ast.parse(_path(module).read_text(encoding="utf-8"))


def _imports(module: str) -> tuple[set[str], set[str]]:
    """(package modules, third-party top-level names) imported anywhere in ``module``."""
    ours, theirs = set(), set()
    # inside the desk, "." is workflow.web and ".." is workflow
    here = "web." if module.startswith("web.") else ""
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from .x import y
                prefix = here if node.level == 1 else ""
                if node.module:
                    ours.add(prefix + node.module.split(".")[0])
                else:
                    ours.update(prefix + alias.name for alias in node.names)
            elif node.module:
                theirs.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            theirs.update(alias.name.split(".")[0] for alias in node.names)
    return ours, theirs


def test_every_module_has_a_layer():
    assert set(MODULES) == set(LAYERS), set(MODULES) ^ set(LAYERS)


@pytest.mark.parametrize("module", MODULES)
def test_imports_flow_one_way(module):
    ours, _ = _imports(module)
    upward = sorted(m for m in ours - {"__version__"} if m in LAYERS and LAYERS[m] >= LAYERS[module])
    assert not upward, f"{module} (layer {LAYERS[module]}) imports {upward}"


@pytest.mark.parametrize("library", sorted(HOMES))
def test_each_library_has_one_home(library):
    users = {m for m in MODULES if library in _imports(m)[1]}
    assert users <= HOMES[library], f"{library} is imported by {sorted(users - HOMES[library])}"


@pytest.mark.parametrize("module", MODULES)
def test_module_docstring_says_its_job_and_what_it_may_import(module):
    doc = ast.get_docstring(_tree(module)) or ""
    assert len(doc.split(".")[0]) > 10, f"{module} has no docstring stating its job"
    assert "May import:" in doc, f"{module}'s docstring does not say what it may import"


def test_no_function_is_longer_than_80_lines():
    long = []
    for module in MODULES:
        for node in ast.walk(_tree(module)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert not long, long


_ENTRY_FIELDS = {"msgstr", "msgstr_plural", "flags", "tcomment", "previous_msgid", "previous_msgctxt"}


def test_exchange_changes_entries_only_through_the_life_cycle():
    touched = []
    for node in ast.walk(_tree("exchange")):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            touched += [t.attr for t in targets if isinstance(t, ast.Attribute) and t.attr in _ENTRY_FIELDS]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "remove", "extend", "clear")
        ):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and owner.attr in _ENTRY_FIELDS:
                touched.append(f"{owner.attr}.{node.func.attr}")
    assert not touched, touched


def test_history_fields_are_spelled_in_one_module():
    fields = ("Translated: ", "Reviewed: ", "Rejected: ", "Accept: ", "Translator note", "Review note")
    for module in MODULES:
        if module == "lifecycle":
            continue
        text = _path(module).read_text(encoding="utf-8")
        assert not [f for f in fields if f in text], module


def test_states_are_listed_once():
    pattern = re.compile(r"""["']untranslated["'],\s*["']fuzzy["']""")
    listed = [m for m in MODULES if pattern.search(_path(m).read_text(encoding="utf-8"))]
    assert listed == [], listed  # the State enum in model.py spells them one per line


def test_no_private_polib_api():
    text = (PACKAGE / "pofile.py").read_text(encoding="utf-8")
    assert not re.search(r"polib\._|__new__|__dict__", text)
