"""The template every edition and kit starts from (``workflow/word/template.docx``):
the file in the package is what ``maketemplate`` makes now, openxml-audit finds
nothing in it, it holds none of python-docx's default leftovers, and a wheel of
the package carries it."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile

from lxml import etree

from workflow.word import maketemplate, package, typography

from . import ooxmlaudit
from .conftest import REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package.template_bytes())) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_shipped_template_is_what_the_script_makes():
    assert maketemplate.make() == package.template_bytes(), "run: python -m workflow.word.maketemplate"
    assert maketemplate.make() == maketemplate.make()  # fixed dates: the same bytes every run


def test_the_script_writes_the_file(tmp_path):
    target = tmp_path / "template.docx"
    assert maketemplate.main([str(target)]) == 0
    assert target.read_bytes() == package.template_bytes()


def test_the_template_has_no_leftovers_of_python_docx_s_default():
    parts = _parts()
    assert not [n for n in parts if "stylesWithEffects" in n or n.startswith("customXml") or "thumbnail" in n]
    rels = parts["word/_rels/document.xml.rels"].decode() + parts["_rels/.rels"].decode()
    assert "stylesWithEffects" not in rels and "customXml" not in rels and "thumbnail" not in rels
    styles = etree.fromstring(parts["word/styles.xml"])
    themed = [k for f in styles.iter(f"{W}rFonts") for k in f.attrib if k.lower().endswith("theme")]
    assert not themed
    assert not [c for c in styles.iter(f"{W}color") if c.get(f"{W}themeColor")]
    names = {s.find(f"{W}name").get(f"{W}val").lower() for s in styles.iter(f"{W}style")}  # built-ins: lower case
    assert {n.lower() for n in (*typography.looks("zh"), *package.KEPT_STYLES)} <= names
    assert len(names) < 40 and not any("table" in n and n != "normal table" for n in names), sorted(names)
    fonts = {f.get(f"{W}name") for f in etree.fromstring(parts["word/fontTable.xml"])}
    assert fonts == {row[0] for row in typography.FONTS}
    settings = etree.fromstring(parts["word/settings.xml"])
    assert settings.find(f"{W}savePreviewPicture") is None
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"


def test_openxml_audit_finds_nothing_in_the_template(tmp_path):
    path = tmp_path / "template.docx"
    path.write_bytes(package.template_bytes())
    for schema in ooxmlaudit.SCHEMAS:
        ooxmlaudit.assert_clean(path, schema)


def test_a_wheel_of_the_package_carries_the_template(tmp_path):
    """``pip wheel`` (setuptools from the index, as ``pip install .`` does) puts the template in the wheel."""
    source = tmp_path / "src"
    shutil.copytree(REPO / "workflow", source / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        assert z.read("workflow/word/template.docx") == package.template_bytes()
