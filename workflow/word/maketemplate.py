"""Makes the template every edition and kit starts from, in memory, once a process.

The template is derived, not shipped: ``word.package`` asks for it (``make``,
about 30 ms) the first time a document is written.

It starts from python-docx's default document and keeps only what ours
need: the styles the looks name (and those they are based on or linked
to, and the defaults: the default template's hundred table styles and the
like go, and styles.xml shrinks from 349 KB to a tenth), our own styles
and the Hyperlink character style, explicit fonts and colours instead of
theme ones (its theme fonts resolve to MS Mincho), and the font table of
``typography.FONTS``.  Its second copy of the styles (stylesWithEffects,
out of step with ours, which Word reports as unreadable content), its
bibliography store and its blank thumbnail are not carried over.  The
looks themselves (sizes, spacing, the page) are set on each use
(``word.package``), not stored here.  The parts are written with fixed
dates, so the template is the same bytes in every process and on every
machine with the same python-docx.

May import: zipwrite, ooxml, styles, typography.
"""

from __future__ import annotations

import functools
import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from workflow.core.zipwrite import Writer as ZipWriter
from workflow.word import styles, typography
from workflow.word.ooxml import clark, el

#: The default template's parts that would contradict a document of ours.
_LEFTOVERS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",  # Word 2010's copy of styles.xml
    RT.CUSTOM_XML,  # the bibliography sources
)


def _explicit_fonts(root) -> None:
    """Every style that names theme fonts gets explicit ones (Hei for heads, Song otherwise)."""
    for rfonts in root.iter(clark("w:rFonts")):
        themed = [k for k in rfonts.attrib if k.endswith("Theme") or k.endswith("theme")]
        if themed:
            heading = any("major" in rfonts.get(k, "") for k in themed)
            for k in themed:
                del rfonts.attrib[k]
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                rfonts.set(clark(attr), typography.LATIN)
            rfonts.set(clark("w:eastAsia"), typography.HEI if heading else typography.SONG)


def _no_theme_colours(root) -> None:
    for color in root.iter(clark("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(clark(attr), None)


def _drop_leftovers(document) -> None:
    """No second copy of the styles, no bibliography store, no thumbnail, no preview picture."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in _LEFTOVERS:
            part.drop_rel(rid)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rid)
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:autoHyphenation"):
        for old in settings.findall(clark(tag)):
            settings.remove(old)
    lang = settings.find(clark("w:themeFontLang"))
    if lang is None:
        lang = el("w:themeFontLang")
        settings.append(lang)
    lang.set(clark("w:val"), "en-US")
    lang.set(clark("w:eastAsia"), "zh-CN")


def _prune_styles(root, used: set[str]) -> None:  # used: style IDs
    """Keep the styles the editions use, the defaults, and the styles those
    are based on or linked to (Word offers its built-in styles anyway)."""
    found = {element.get(clark("w:styleId")): element for element in root.iter(clark("w:style"))}
    defaults = [sid for sid, element in found.items() if element.get(clark("w:default")) in ("1", "true")]
    keep: set[str] = set()
    todo = [*used, *defaults]
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in found:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = found[sid].find(clark(tag))
            if ref is not None:
                todo.append(ref.get(clark("w:val")))
    for sid, element in found.items():
        if sid not in keep:
            root.remove(element)


#: Styles kept besides the looks' own: what the package's headers, footers and links use.
KEPT_STYLES = ("Hyperlink", "Header", "Footer")


@functools.cache
def make() -> bytes:
    """The template's bytes (made once a process)."""
    document = docx.Document()
    root = document.styles.element
    _explicit_fonts(root)
    styles.add_custom_styles(document.styles)
    _no_theme_colours(root)
    _drop_leftovers(document)
    link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.element.append(
        el("w:rPr", None, el("w:color", {"w:val": typography.LINK_COLOR}), el("w:u", {"w:val": "single"}))
    )
    ids = {style.name: style.style_id for style in document.styles}
    _prune_styles(root, {ids[name] for name in (*typography.looks("zh"), *KEPT_STYLES)})
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    writer = ZipWriter(out)
    with zipfile.ZipFile(raw) as saved:
        for info in saved.infolist():
            data = styles.font_table() if info.filename == "word/fontTable.xml" else saved.read(info)
            writer.add(info.filename, data)
    writer.close()
    return out.getvalue()
