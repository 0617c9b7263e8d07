"""The style sheet of an edition, made from the looks in ``typography``.

Each look becomes a paragraph style's properties (``w:pPr``, ``w:rPr``); the
document defaults get explicit fonts and the edition's language; Chinese
line typography (kinsoku, no hanging punctuation, punctuation compression)
goes into the defaults and the settings; the font table declares the faces
as Word does.

May import: ooxml, typography.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE

from workflow.word import typography
from workflow.word.ooxml import PPR_ORDER, RPR_ORDER, clark, el, ordered, xml_bytes
from workflow.word.typography import LATIN, SONG, Look

_LISTS = {"List Bullet": "1", "List Number": "2"}  # style → w:numId


def rpr_parts(look: Look, latin: str = LATIN) -> dict:
    """A look's run properties, by name."""
    parts = {
        "w:rFonts": el("w:rFonts", {"w:ascii": latin, "w:hAnsi": latin, "w:cs": latin, "w:eastAsia": look.east_asia}),
        "w:color": el("w:color", {"w:val": look.color}),
        "w:spacing": el("w:spacing", {"w:val": 0}),
        "w:sz": el("w:sz", {"w:val": int(look.size * 2)}),
        "w:szCs": el("w:szCs", {"w:val": int(look.size * 2)}),
    }
    parts["w:b"] = el("w:b", {"w:val": 1 if look.bold else 0})
    parts["w:bCs"] = el("w:bCs", {"w:val": 1 if look.bold else 0})
    parts["w:i"] = el("w:i", {"w:val": 1 if look.italic else 0})
    parts["w:iCs"] = el("w:iCs", {"w:val": 1 if look.italic else 0})
    return parts


def ppr_parts(look: Look) -> dict:
    """A look's paragraph properties, by name."""
    parts = {
        "w:widowControl": el("w:widowControl"),  # no widows or orphans
        "w:snapToGrid": el("w:snapToGrid", {"w:val": 0}),
    }  # Chinese lines on the leading, not a grid
    if look.keep_next:
        parts["w:keepNext"] = el("w:keepNext")
    if look.keep_lines:  # heads: never split, never hyphenated
        parts["w:keepLines"] = el("w:keepLines")
        parts["w:suppressAutoHyphens"] = el("w:suppressAutoHyphens")
    spacing: dict[str, int | str] = {"w:before": look.before, "w:after": look.after}
    if look.line:
        spacing.update({"w:line": look.line, "w:lineRule": "exact" if look.exact else "auto"})
    parts["w:spacing"] = el("w:spacing", spacing)
    # A non-zero firstLineChars outranks firstLine, so both are always written.
    parts["w:ind"] = el(
        "w:ind",
        {
            "w:firstLineChars": look.first_line_chars,
            "w:firstLine": int(look.first_line_chars / 100 * look.size * 20),
        },
    )
    if look.align:
        parts["w:jc"] = el("w:jc", {"w:val": look.align})
    if look.outline is not None:
        parts["w:outlineLvl"] = el("w:outlineLvl", {"w:val": look.outline})
    return parts


def add_custom_styles(styles) -> None:
    """Our own paragraph styles (based on Normal, in the style gallery), in
    the order of the looks, where the document does not have them yet."""
    names = {s.name for s in styles}
    for name in typography.looks("zh"):
        if name in typography.CUSTOM and name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True


def setup_styles(document, edition: str, language: str, page_look: str = "reader") -> None:
    """The edition's looks in the styles of ``document`` (a package made from
    the shipped template: it has every style the looks name)."""
    styles = document.styles
    defaults = styles.element.find(clark("w:docDefaults"))
    # docDefaults: explicit fonts, no theme fonts (which resolve to MS Mincho), zh-CN for East Asian text.
    rpr = defaults.find(clark("w:rPrDefault")).find(clark("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    rpr.append(el("w:rFonts", {"w:ascii": LATIN, "w:hAnsi": LATIN, "w:cs": LATIN, "w:eastAsia": SONG}))
    rpr.append(el("w:sz", {"w:val": 22}))
    rpr.append(el("w:szCs", {"w:val": 22}))
    # The document's language is the edition's: LibreOffice takes the PDF's /Lang from the default (Western) one.
    rpr.append(el("w:lang", {"w:val": language, "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"}))
    _line_typography(defaults.find(clark("w:pPrDefault")).find(clark("w:pPr")), document.settings.element)
    for name, look in typography.looks(edition, page_look).items():
        _set_look(styles[name].element, name, look)


def _set_look(element, name: str, look: Look) -> None:
    """Replace a style's paragraph and run properties by its look's."""
    for tag in ("w:pPr", "w:rPr"):
        old = element.find(clark(tag))
        if old is not None:
            element.remove(old)
    parts = ppr_parts(look)
    if name in _LISTS:
        parts["w:numPr"] = el("w:numPr", None, el("w:numId", {"w:val": _LISTS[name]}))
    ppr = ordered("w:pPr", PPR_ORDER, parts)
    if name in _LISTS:
        ind = ppr.find(clark("w:ind"))
        ind.set(clark("w:left"), "720")
        ind.set(clark("w:hanging"), "360")
        for attr in ("w:firstLine", "w:firstLineChars"):
            del ind.attrib[clark(attr)]
    element.append(ppr)
    latin = typography.CODE_FONT if name == "Code" else LATIN
    element.append(ordered("w:rPr", RPR_ORDER, rpr_parts(look, latin)))


def _line_typography(ppr, settings) -> None:
    """Chinese line typography for every paragraph: no hanging punctuation
    (a mark past the margin is not drawn by LibreOffice: the PDF loses it;
    ``pdf`` hands LibreOffice the flag the way it reads it), the line-start
    and line-end prohibitions (kinsoku, 避头尾) on, and punctuation
    compression (标点挤压) for the document."""
    for tag in ("w:kinsoku", "w:overflowPunct"):  # schema order: kinsoku, wordWrap, overflowPunct, …, spacing
        old = ppr.find(clark(tag))
        if old is not None:
            ppr.remove(old)
    ppr.insert(0, el("w:overflowPunct", {"w:val": 0}))
    ppr.insert(0, el("w:kinsoku", {"w:val": 1}))
    control = settings.find(clark("w:characterSpacingControl"))
    control.set(clark("w:val"), "compressPunctuation")
    for tag in ("w:noLineBreaksAfter", "w:noLineBreaksBefore"):  # schema order: right after it
        for old in settings.findall(clark(tag)):
            settings.remove(old)
    control.addnext(el("w:noLineBreaksBefore", {"w:lang": typography.LANGUAGE, "w:val": typography.NO_LINE_START}))
    control.addnext(el("w:noLineBreaksAfter", {"w:lang": typography.LANGUAGE, "w:val": typography.NO_LINE_END}))


def hyphenation(settings, edition: str) -> None:
    """English lines break at hyphenation points; Chinese never hyphenates."""
    for old in settings.findall(clark("w:autoHyphenation")):
        settings.remove(old)
    if edition != "zh":
        settings.find(clark("w:defaultTabStop")).addnext(el("w:autoHyphenation"))


def font_table() -> bytes:
    """``word/fontTable.xml``: the faces of ``typography.FONTS``, declared as Word declares them."""
    fonts = el("w:fonts")
    for name, alt, panose, charset, family, pitch, usb0, usb1, usb2, csb0 in typography.FONTS:
        signature = {
            "w:usb0": usb0,
            "w:usb1": usb1,
            "w:usb2": usb2,
            "w:usb3": "00000000",
            "w:csb0": csb0,
            "w:csb1": "00000000",
        }
        font = el(
            "w:font",
            {"w:name": name},
            el("w:altName", {"w:val": alt}) if alt else None,
            el("w:panose1", {"w:val": panose}),
            el("w:charset", {"w:val": charset}),
            el("w:family", {"w:val": family}),
            el("w:pitch", {"w:val": pitch}),
            el("w:sig", signature),
        )
        fonts.append(font)
    return xml_bytes(fonts)
