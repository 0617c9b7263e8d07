"""The package's shape, read from its source: imports flow one way, each
library has one home, functions stay short, and the rules of a segment's
life live in one module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "workflow"
#: Every module, named by its path below ``workflow/`` with dots (``po.pofile``, ``web.app``, ``cli``).
MODULES = sorted(
    ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
    for p in PACKAGE.rglob("*.py")
    if p.stem not in ("__init__", "__main__")
)
#: The subpackages, bottom first: a package may import only packages before it in this list.
PACKAGES = ["core", "lang", "word", "sources", "po", "kits", "qa", "align", "memory", "editions", "commands", "web"]

#: Each module's layer: a module may import only modules of a lower layer
#: (model ← readers ← catalog ← the command modules ← cli).
LAYERS = {
    "core.errors": 0,
    "editions.feather": 0,
    "core.clock": 0,
    "core.parallel": 0,
    "core.zipwrite": 0,
    "word.typography": 0,
    "core.model": 1,
    "core.text": 1,
    "core.xmlsafe": 1,
    "editions.pdf": 1,
    "memory.engines": 1,
    "core.config": 3,
    "core.fsio": 2,
    "sources.segment": 2,
    "sources.images": 2,
    "core.cache": 3,
    "core.project": 4,
    "sources.source": 3,
    "lang.glossary": 3,
    "po.pofile": 3,
    "sources.lint": 4,
    "word.document": 3,
    "kits.xliff": 3,
    "po.lifecycle": 4,
    "qa.stylecheck": 4,
    "qa.checks": 5,
    "lang.numbers": 1,
    "qa.parity": 2,
    "lang.spelling": 1,
    "lang.romanize": 1,
    "kits.tmx": 4,
    "sources.wordsource": 4,
    "po.catalog": 5,
    "po.status": 5,
    "kits.kit": 6,
    "editions.contents": 6,
    "qa.consistency": 6,
    "commands.snapshot": 5,
    "commands.inputs": 6,
    "memory.store": 6,
    "commands.memory": 7,
    "commands.changes": 7,
    "kits.omegat": 7,
    "commands.rename": 7,
    "commands.machine": 7,
    "commands.postedit": 7,
    "commands.gate": 7,
    "commands.extract": 8,
    "commands.status": 8,
    "commands.check": 8,
    "commands.translate": 8,
    "commands.report": 8,
    "commands.submit": 9,
    "commands.build": 9,
    "qa.htmlreport": 2,
    "console": 12,
    "cli": 13,
    # bilingual align (issue 25): lexicon and DP at the bottom, the service beside the others
    "align.lexicon": 2,
    "align.beads": 1,
    "align.score": 3,
    "align.aligner": 4,
    "commands.align": 8,
    "web.render": 8,
    "web.users": 3,
    "web.auth": 4,
    "web.reviewed": 8,
    "web.desk": 10,
    "web.app": 11,
}
#: Third-party libraries with one home each.
#: python-docx's home is the Word layer: word (editions, kits) and wordsource (Word articles).
HOMES = {
    "polib": {"po.pofile"},
    "docx": {"word.document", "sources.wordsource"},
    "click": {"cli", "console"},
    "spylls": {"lang.spelling"},
    "pypinyin": {"lang.romanize"},
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
    """(package modules, third-party top-level names) imported anywhere in ``module``.
    A package module is named as in MODULES; ``from workflow.po import pofile`` is ``po.pofile``."""
    ours, theirs = set(), set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.ImportFrom):
            assert not node.level, f"{module}: relative import (the package imports by absolute name)"
            name = node.module or ""
            if name == "workflow" or name.startswith("workflow."):
                base = name.removeprefix("workflow").strip(".")
                for alias in node.names:
                    full = f"{base}.{alias.name}".strip(".")
                    ours.add(full if full in MODULES else base or alias.name)
            else:
                theirs.add(name.split(".")[0])
        elif isinstance(node, ast.Import):
            theirs.update(alias.name.split(".")[0] for alias in node.names)
    return ours, theirs


def _package(module: str) -> str:
    return module.split(".")[0] if "." in module else ""


def test_every_module_has_a_layer():
    assert set(MODULES) == set(LAYERS), set(MODULES) ^ set(LAYERS)


@pytest.mark.parametrize("module", MODULES)
def test_imports_flow_one_way(module):
    ours, _ = _imports(module)
    upward = sorted(m for m in ours - {"__version__"} if m in LAYERS and LAYERS[m] >= LAYERS[module])
    assert not upward, f"{module} (layer {LAYERS[module]}) imports {upward}"


def test_every_subpackage_is_listed():
    found = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert found == sorted(PACKAGES)


@pytest.mark.parametrize("module", MODULES)
def test_packages_import_only_packages_below_them(module):
    here = _package(module)
    if not here:  # cli, the top
        return
    upward = sorted(
        m for m in _imports(module)[0] if _package(m) and PACKAGES.index(_package(m)) > PACKAGES.index(here)
    )
    assert not upward, f"{module} (package {here}) imports {upward}"


def _may_import(doc: str) -> str:
    """The text of a docstring's "May import:" sentence (up to its full stop)."""
    tail = doc.split("May import:", 1)[1]
    return re.split(r"\.(?:\s|$)", tail, maxsplit=1)[0]


@pytest.mark.parametrize("package", PACKAGES)
def test_subpackage_docstring_lists_the_packages_it_imports(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert len(doc.split(".")[0]) > 10 and "May import:" in doc, package
    listed = set(re.findall(r"\w+", _may_import(doc)))
    used = {_package(m) for mod in MODULES if _package(mod) == package for m in _imports(mod)[0]}
    stale = sorted(used - listed - {package, ""})
    assert not stale, f"workflow/{package}/__init__.py does not list {stale}"


@pytest.mark.parametrize("module", MODULES)
def test_module_docstring_lists_what_it_imports(module):
    """The "May import:" line is true: each package module imported is named
    (by its module name or its package), unless the line says "everything"."""
    text = _may_import(ast.get_docstring(_tree(module)) or "May import: .")
    if "everything" in text:
        return
    listed = set(re.findall(r"\w+", text))
    missing = sorted(
        m for m in _imports(module)[0] - {"__version__"} if m.split(".")[-1] not in listed and _package(m) not in listed
    )
    assert not missing, f"{module}'s docstring does not list {missing}"


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


@pytest.mark.parametrize("module", ["commands.translate", "commands.submit"])
def test_the_translator_loop_changes_entries_only_through_the_life_cycle(module):
    touched = []
    for node in ast.walk(_tree(module)):
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
        if module == "po.lifecycle":
            continue
        text = _path(module).read_text(encoding="utf-8")
        assert not [f for f in fields if f in text], module


def test_states_are_listed_once():
    pattern = re.compile(r"""["']untranslated["'],\s*["']fuzzy["']""")
    listed = [m for m in MODULES if pattern.search(_path(m).read_text(encoding="utf-8"))]
    assert listed == [], listed  # the State enum in model.py spells them one per line


def test_no_private_polib_api():
    text = (PACKAGE / "po" / "pofile.py").read_text(encoding="utf-8")
    assert not re.search(r"polib\._|__new__|__dict__", text)


def test_the_command_layer_keeps_modules_under_600_lines_and_functions_under_60():
    """The command modules, the command line and its console: short modules, short functions."""
    layer = [m for m in MODULES if m.startswith("commands.") or m in ("cli", "console")]
    long = [f"{m}: {n} lines" for m in layer if (n := len(_path(m).read_text(encoding="utf-8").splitlines())) > 600]
    for module in layer:
        for node in ast.walk(_tree(module)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60:
                long.append(f"{module}.{node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert not long, long
