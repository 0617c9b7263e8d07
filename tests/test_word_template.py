"""The template every edition and kit starts from (``word.maketemplate``, made in
memory): the same bytes in every process, openxml-audit finds nothing in it, it
holds none of python-docx's default leftovers, and it is derived, not shipped (a
wheel of the package carries the code that makes it and no generated file)."""

from __future__ import annotations

import hashlib
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


def test_the_template_is_the_same_bytes_in_every_process():
    """Fixed dates and a fixed order: another process makes exactly these bytes."""
    code = (
        "import hashlib; from workflow.word import package; print(hashlib.sha256(package.template_bytes()).hexdigest())"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert proc.stdout.strip() == hashlib.sha256(maketemplate.make()).hexdigest()
    assert package.template_bytes() == maketemplate.make()


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
    assert {n.lower() for n in (*typography.looks("zh"), *maketemplate.KEPT_STYLES)} <= names
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


def test_a_wheel_of_the_package_carries_the_template_maker_and_no_generated_file(tmp_path):
    """``pip wheel`` (setuptools from the index, as ``pip install .`` does): the code that makes the template
    is in the wheel, a generated template is not."""
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
        names = set(z.namelist())
    assert "workflow/word/maketemplate.py" in names and not any(n.endswith(".docx") for n in names)
